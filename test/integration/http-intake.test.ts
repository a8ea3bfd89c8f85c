import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpApp } from '../../src/platform/http.ts';
import { createOperatorKey } from '../../src/platform/operator-auth.ts';
import { buildServer } from '../../src/server.ts';
import { testAppContext } from '../support/cli.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { addAccount, countRows } from '../support/fixtures.ts';

let t: TestDatabase;
let app: HttpApp;
let key: string;
const auth = () => ({ authorization: `Bearer ${key}` });

beforeAll(async () => {
  t = await createTestDatabase();
  app = await buildServer(testAppContext(t, '2026-11-20T10:00:00Z'));
  key = await createOperatorKey(t.db, 'test');
});
afterAll(async () => {
  await app?.close();
  await t?.drop();
});

describe('HTTP: health, OpenAPI, operator authentication', () => {
  it('/health answers without a key', async () => {
    const r = await app.inject({ method: 'GET', url: '/health' });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ status: 'ok', database: 'ok' });
  });

  it('/docs serves the OpenAPI document with the readings routes', async () => {
    const r = await app.inject({ method: 'GET', url: '/docs/json' });
    expect(r.statusCode).toBe(200);
    const doc = r.json();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/v1/readings', '/api/v1/accounts/{number}/readings']),
    );
  });

  it('refuses the API without a valid key', async () => {
    const none = await app.inject({ method: 'POST', url: '/api/v1/readings', payload: {} });
    expect(none.statusCode).toBe(401);
    expect(none.json().error.code).toBe('AUTH_REQUIRED');
    const wrong = await app.inject({
      method: 'POST',
      url: '/api/v1/readings',
      headers: { authorization: 'Bearer nope' },
      payload: {},
    });
    expect(wrong.json().error.code).toBe('AUTH_INVALID');
  });
});

describe('HTTP: POST /api/v1/readings', () => {
  it('201 accepted with the counted period and the Russian message', async () => {
    const a = await addAccount(t.db, { zones: 2, commissionedOn: '2026-10-01' });
    const r = await app.inject({
      method: 'POST',
      url: '/api/v1/readings',
      headers: auth(),
      payload: { account: a.number, values: ['120', '45'], channel: 'portal' },
    });
    expect(r.statusCode).toBe(201);
    expect(r.json()).toMatchObject({
      outcome: 'accepted',
      period: '2026-11',
      values: [{ zone: 'day' }, { zone: 'night' }],
    });
    expect(r.json().message).toMatch(/^Показания T1 \(день\) 120, T2 \(ночь\) 45 приняты за ноябрь 2026 г\./);
  });

  it('Idempotency-Key: a retried request gets 200 and the same reading', async () => {
    const a = await addAccount(t.db);
    const req = {
      method: 'POST' as const,
      url: '/api/v1/readings',
      headers: { ...auth(), 'idempotency-key': 'k-1' },
      payload: { account: a.number, values: ['10'] },
    };
    const first = await app.inject(req);
    const second = await app.inject(req);
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(200);
    expect(second.json().readingId).toBe(first.json().readingId);
    const other = await app.inject({ ...req, payload: { account: a.number, values: ['11'] } });
    expect(other.statusCode).toBe(409);
    expect(other.json().error.code).toBe('IDEMPOTENCY_CONFLICT');
  });

  it('bad input: 4xx with a reason code, nothing written', async () => {
    const a = await addAccount(t.db);
    const before = await countRows(t.db, 'reading');
    const cases: { payload: string | object; status: number; code: string; headers?: object }[] = [
      {
        payload: '{"account": "12',
        status: 400,
        code: 'FST_ERR_CTP_INVALID_JSON_BODY',
        headers: { 'content-type': 'application/json' },
      },
      {
        payload: { account: a.number, values: ['1'], colour: 'red' },
        status: 400,
        code: 'VALIDATION_FAILED',
      },
      { payload: { account: a.number }, status: 400, code: 'VALIDATION_FAILED' },
      { payload: { values: ['1'] }, status: 400, code: 'VALIDATION_FAILED' },
      {
        payload: { account: a.number, values: ['1'], channel: 'pigeon' },
        status: 400,
        code: 'VALIDATION_FAILED',
      },
      {
        payload: { account: a.number, values: ['1'], takenAt: 'yesterday' },
        status: 400,
        code: 'VALIDATION_FAILED',
      },
      { payload: { account: '5555555555', values: ['1'] }, status: 404, code: 'ACCOUNT_NOT_FOUND' },
      { payload: { account: a.number, values: ['1', '2'] }, status: 422, code: 'ZONE_COUNT_MISMATCH' },
      { payload: { account: a.number, values: ['-3'] }, status: 422, code: 'VALUE_NEGATIVE' },
      { payload: { account: a.number, values: ['1234567'] }, status: 422, code: 'VALUE_TOO_LONG' },
      {
        payload: { account: a.number, values: ['1'], takenAt: '2027-01-01T00:00:00+03:00' },
        status: 422,
        code: 'TAKEN_IN_FUTURE',
      },
      {
        payload: `{"account":"${a.number}","values":["${'1'.repeat(1_100_000)}"]}`,
        status: 413,
        code: 'BODY_TOO_LARGE',
        headers: { 'content-type': 'application/json' },
      },
    ];
    for (const c of cases) {
      const r = await app.inject({
        method: 'POST',
        url: '/api/v1/readings',
        headers: { ...auth(), ...(c.headers ?? {}) },
        payload: c.payload,
      });
      expect(r.statusCode, c.code).toBe(c.status);
      expect(r.json().error.code, c.code).toBe(c.code);
      expect(r.json().error.message.length, c.code).toBeGreaterThan(5);
    }
    expect(await countRows(t.db, 'reading')).toBe(before);
  });

  it('English on request', async () => {
    const r = await app.inject({
      method: 'POST',
      url: '/api/v1/readings',
      headers: { ...auth(), 'accept-language': 'en' },
      payload: { account: '5555555555', values: ['1'] },
    });
    expect(r.json().error.message).toContain('Account not found');
  });

  it('lists the history with statuses', async () => {
    const a = await addAccount(t.db);
    for (const v of ['10', '20', '5']) {
      await app.inject({
        method: 'POST',
        url: '/api/v1/readings',
        headers: auth(),
        payload: { account: a.number, values: [v] },
      });
    }
    const r = await app.inject({
      method: 'GET',
      url: `/api/v1/accounts/${a.number}/readings`,
      headers: auth(),
    });
    expect(r.statusCode).toBe(200);
    expect(
      r.json().readings.map((x: { status: string; values: string[] }) => [x.values[0], x.status]),
    ).toEqual([
      ['5', 'accepted'], // a correction within the period, judged against the previous period
      ['20', 'superseded'],
      ['10', 'superseded'],
    ]);
    const missing = await app.inject({
      method: 'GET',
      url: '/api/v1/accounts/5555555555/readings',
      headers: auth(),
    });
    expect(missing.statusCode).toBe(404);
  });
});
