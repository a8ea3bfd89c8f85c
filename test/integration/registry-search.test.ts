import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectAnswer,
  openRegistryApi,
  type RegistryApi,
  seedAccount,
  seedMeter,
} from '../support/registry-api.ts';

let api: RegistryApi;
beforeAll(async () => {
  api = await openRegistryApi('2026-11-20T10:00:00Z');
});
afterAll(async () => {
  await api?.close();
});

describe('search and the account card', () => {
  it('finds by number prefix, phone in any common spelling, meter serial, name and address words', async () => {
    const s = await seedAccount(api);
    await seedMeter(api, s.number, 'ABC-77001');
    const find = async (q: string) =>
      (await api.get(`/api/v1/accounts?q=${encodeURIComponent(q)}`)).body.accounts;
    expect((await find(s.number.slice(0, 8)))[0]).toMatchObject({ number: s.number, matchedBy: 'number' });
    const local = `8 ${s.phone.slice(2, 5)} ${s.phone.slice(5, 8)}-${s.phone.slice(8, 10)}-${s.phone.slice(10)}`;
    expect(await find(local)).toEqual([expect.objectContaining({ number: s.number, matchedBy: 'phone' })]);
    expect(await find('abc-77001')).toEqual([
      expect.objectContaining({ number: s.number, matchedBy: 'meter' }),
    ]);
    expect((await find('Петров Пётр'))[0]).toMatchObject({ matchedBy: 'name' });
    const address = await find(`Проверочная ${s.house.slice(2)} кв. 1`);
    expect(address.map((a: { number: string }) => a.number)).toContain(s.number);
    expect(await find('Несуществующая')).toEqual([]);
    expect(await find('100%')).toEqual([]);
    expectAnswer(await api.get('/api/v1/accounts?q=a'), 400, 'VALIDATION_FAILED');
    expectAnswer(await api.get('/api/v1/accounts?q=ab&limit=51'), 400, 'VALIDATION_FAILED');
  });

  it('the card: premises, house, region, principal, phones, meters with zone names, validity, last reading', async () => {
    const s = await seedAccount(api);
    await seedMeter(api, s.number, `${s.serial}-2z`, { zones: 2, decimals: 1 });
    const meterId = (
      await sql<{ id: number }>`SELECT id FROM meter WHERE serial = ${`${s.serial}-2z`}`.execute(api.t.db)
    ).rows[0]!.id;
    const accountId = (
      await sql<{ id: number }>`SELECT id FROM account WHERE number = ${s.number}`.execute(api.t.db)
    ).rows[0]!.id;
    await sql`
      INSERT INTO reading (meter_id, account_id, values_wh, taken_at, received_at, channel, period, status)
      VALUES (${meterId}, ${accountId}, '{1200500,500000}', '2026-10-20T09:00:00Z', '2026-10-20T09:00:00Z', 'sms', '2026-10', 'accepted'),
             (${meterId}, ${accountId}, '{9999000,9999000}', '2026-11-19T09:00:00Z', '2026-11-19T09:00:00Z', 'sms', '2026-11', 'held')`.execute(
      api.t.db,
    );
    const card = await api.get(`/api/v1/accounts/${s.number}`);
    expectAnswer(card, 200);
    expect(card.body).toMatchObject({
      account: { number: s.number, phones: [s.phone], tariffCategory: 'gas_stove' },
      premises: { number: '1', areaM2: 50, rooms: 2, residents: 2 },
      house: { code: s.house, managementCompany: { code: s.company } },
      region: { code: 'moscow', timeZone: 'Europe/Moscow' },
      principal: { code: s.principal, kind: 'supplier' },
      asOf: '2026-11-20',
    });
    expect(card.body.meters).toEqual([
      expect.objectContaining({
        serial: `${s.serial}-2z`,
        status: 'active',
        zones: 2,
        zoneNames: ['day', 'night'],
        initialValues: ['0.0', '0.0'],
        validity: { on: '2026-11-20', valid: true, reason: null },
        lastReading: expect.objectContaining({
          values: ['1200.5', '500.0'],
          period: '2026-10',
          channel: 'sms',
        }),
      }),
    ]);
    expectAnswer(await api.get('/api/v1/accounts/1234567890'), 404, 'ACCOUNT_NOT_FOUND');
    expectAnswer(await api.get('/api/v1/accounts/12'), 400, 'VALIDATION_FAILED');
  });
});
