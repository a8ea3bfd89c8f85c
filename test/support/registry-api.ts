import { expect } from 'vitest';
import { type Clock, fixedClock } from '../../src/platform/clock.ts';
import { createHttpApp, type HttpApp } from '../../src/platform/http.ts';
import { registryRoutes } from '../../src/registry/registry.routes.ts';
import { createTestDatabase, type TestDatabase } from './db.ts';

/** A JSON answer body; tests read into it freely. */
// biome-ignore lint/suspicious/noExplicitAny: JSON bodies of answers are asserted, not typed
type Body = any;
export interface Answer {
  status: number;
  body: Body;
}

/** The registry API over a fresh database, driven by app.inject (no network, no authentication). */
export interface RegistryApi {
  t: TestDatabase;
  app: HttpApp;
  clock: Clock;
  get(url: string): Promise<Answer>;
  post(url: string, payload: unknown): Promise<Answer>;
  patch(url: string, payload: unknown): Promise<Answer>;
  close(): Promise<void>;
}

export async function openRegistryApi(now = '2026-11-20T10:00:00Z'): Promise<RegistryApi> {
  const t = await createTestDatabase();
  const clock = fixedClock(now);
  const app = await createHttpApp();
  await registryRoutes(app, { database: t, clock });
  await app.ready();
  const call = async (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown) => {
    const r = await app.inject({
      method,
      url,
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
    return { status: r.statusCode, body: r.body ? r.json() : undefined };
  };
  return {
    t,
    app,
    clock,
    get: (url) => call('GET', url),
    post: (url, payload) => call('POST', url, payload),
    patch: (url, payload) => call('PATCH', url, payload),
    async close() {
      await app.close();
      await t.drop();
    },
  };
}

/** Asserts an answer: the status and, for errors, the reason code in the error body. */
export function expectAnswer(r: Answer, status: number, code?: string): void {
  expect({ status: r.status, code: r.body?.error?.code }).toEqual({ status, code });
}

let n = 0;

/**
 * A principal, a management company, a house with premises "1" and an account on it with a phone, through
 * the API. Returns the natural keys.
 */
export async function seedAccount(
  api: RegistryApi,
  o: { region?: string; zones?: number; stoveType?: 'gas' | 'electric' } = {},
) {
  n += 1;
  const principal = `sup-${n}`;
  const company = `mc-${n}`;
  const house = `H-${n}`;
  const number = String(7_000_000_000 + n);
  const phone = `+7903555${String(n).padStart(4, '0')}`;
  expectAnswer(
    await api.post('/api/v1/principals', { code: principal, kind: 'supplier', name: 'АО «Сбыт»' }),
    201,
  );
  expectAnswer(await api.post('/api/v1/management-companies', { code: company, name: 'ООО «УК»' }), 201);
  expectAnswer(
    await api.post('/api/v1/houses', {
      code: house,
      region: o.region ?? 'moscow',
      managementCompany: company,
      address: `г. Тестовск, ул. Проверочная, д. ${n}`,
      kind: 'apartment_building',
      stoveType: o.stoveType ?? 'gas',
      settlementType: 'urban',
      totalAreaM2: 1000,
      commonAreaM2: 100,
    }),
    201,
  );
  expectAnswer(
    await api.post(`/api/v1/houses/${house}/premises`, { number: '1', areaM2: 50, rooms: 2, residents: 2 }),
    201,
  );
  expectAnswer(
    await api.post('/api/v1/accounts', {
      number,
      house,
      premises: '1',
      principal,
      payerName: `Петров Пётр ${n}`,
      phones: [phone],
      startDate: '2024-01-01',
    }),
    201,
  );
  return { principal, company, house, number, phone, serial: `SN-${n}` };
}

/** An individual meter on an account, commissioned on `on` with zero initial values. */
export async function seedMeter(
  api: RegistryApi,
  account: string,
  serial: string,
  o: { zones?: number; digits?: number; decimals?: number; on?: string } = {},
) {
  const zones = o.zones ?? 1;
  const r = await api.post('/api/v1/meters', {
    serial,
    model: 'Меркурий 201',
    account,
    zones,
    digits: o.digits ?? 5,
    decimals: o.decimals ?? 0,
    installedOn: o.on ?? '2024-01-10',
    initialValues: new Array(zones).fill('0'),
    nextVerificationOn: '2036-01-01',
  });
  expectAnswer(r, 201);
  return r.body;
}
