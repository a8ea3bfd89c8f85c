import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows } from '../support/fixtures.ts';
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

async function counts() {
  const tables = ['meter', 'reading', 'meter_replacement'];
  return Object.fromEntries(await Promise.all(tables.map(async (t) => [t, await countRows(api.t.db, t)])));
}

/** An accepted reading appended the way the intake would, for the meter's history. */
async function addReading(serial: string, values: number[], takenAt: string, period: string) {
  await sql`
    INSERT INTO reading (meter_id, account_id, values_wh, taken_at, received_at, channel, period, status)
    SELECT id, account_id, ${values}::bigint[], ${takenAt}, ${takenAt}, 'sms', ${period}, 'accepted'
    FROM meter WHERE serial = ${serial}`.execute(api.t.db);
}

const meterBody = (account: string, serial: string) => ({
  serial,
  model: 'Нева МТ 124',
  account,
  zones: 2,
  digits: 6,
  decimals: 1,
  installedOn: '2025-03-01',
  initialValues: ['100.5', '20'],
  nextVerificationOn: '2041-03-01',
});

describe('registering meters', () => {
  it('an individual two-zone meter with its act; a common-house meter; duplicates refused', async () => {
    const s = await seedAccount(api);
    const r = await api.post('/api/v1/meters', meterBody(s.number, 'NEVA-0001'));
    expectAnswer(r, 201);
    expect(r.body).toMatchObject({
      serial: 'NEVA-0001',
      account: s.number,
      house: s.house,
      kind: 'individual',
      commissionedOn: '2025-03-01',
      initialValues: ['100.5', '20.0'],
      zoneNames: ['day', 'night'],
      validity: { valid: true },
      lastReading: null,
    });
    const stored = await sql<{
      v: number[];
    }>`SELECT initial_values_wh AS v FROM meter WHERE serial = 'NEVA-0001'`.execute(api.t.db);
    expect(stored.rows[0]!.v).toEqual([100_500, 20_000]);
    const common = {
      ...meterBody(s.number, 'ODPU-1'),
      account: undefined,
      kind: 'common',
      house: s.house,
      zones: 1,
    };
    common.initialValues = ['0'];
    expectAnswer(await api.post('/api/v1/meters', common), 201);
    expectAnswer(
      await api.post('/api/v1/meters', { ...common, serial: 'ODPU-2' }),
      409,
      'COMMON_METER_EXISTS',
    );
    expectAnswer(
      await api.post('/api/v1/meters', meterBody(s.number, 'NEVA-0001')),
      409,
      'METER_SERIAL_EXISTS',
    );
  });

  it('bad meter input: reason codes of the value rules, nothing written', async () => {
    const s = await seedAccount(api);
    const base = meterBody(s.number, 'NEVA-0009');
    const before = await counts();
    const cases: [object, number, string][] = [
      [{ ...base, initialValues: ['1'] }, 422, 'ZONE_COUNT_MISMATCH'],
      [{ ...base, initialValues: ['1234567', '0'] }, 422, 'VALUE_TOO_LONG'],
      [{ ...base, initialValues: ['1.25', '0'] }, 422, 'VALUE_PRECISION'],
      [{ ...base, initialValues: ['-1', '0'] }, 422, 'VALUE_NEGATIVE'],
      [{ ...base, initialValues: ['1x', '0'] }, 422, 'VALUE_INVALID'],
      [{ ...base, nextVerificationOn: '2025-03-01' }, 422, 'VERIFICATION_DATE_INVALID'],
      [{ ...base, commissionedOn: '2025-02-01' }, 422, 'COMMISSIONED_BEFORE_INSTALLED'],
      [{ ...base, account: '5555555555' }, 422, 'ACCOUNT_NOT_FOUND'],
      [{ ...base, smart: true }, 400, 'VALIDATION_FAILED'],
      [{ ...base, zones: 4 }, 400, 'VALIDATION_FAILED'],
      [{ ...base, digits: 12 }, 400, 'VALIDATION_FAILED'],
      [{ ...base, account: undefined }, 400, 'VALIDATION_FAILED'],
      [{ ...base, colour: 'white' }, 400, 'VALIDATION_FAILED'],
    ];
    for (const [payload, status, code] of cases)
      expectAnswer(await api.post('/api/v1/meters', payload), status, code);
    const precision = await api.post('/api/v1/meters', { ...base, initialValues: ['1.25', '0'] });
    expect(precision.body.error.message).toMatch(/^Начальные показания: .*после запятой не более 1/);
    expect(await counts()).toEqual(before);
  });
});

describe('failed meters and verification dates', () => {
  it('marks a meter failed with a reason, then repaired; a new verification date', async () => {
    const s = await seedAccount(api);
    await seedMeter(api, s.number, 'FAIL-1');
    expectAnswer(await api.patch('/api/v1/meters/FAIL-1', { status: 'failed' }), 400, 'VALIDATION_FAILED');
    expectAnswer(await api.patch('/api/v1/meters/FAIL-1', { status: 'removed' }), 400, 'VALIDATION_FAILED');
    const failed = await api.patch('/api/v1/meters/FAIL-1', {
      status: 'failed',
      failureReason: 'сорвана пломба',
    });
    expect(failed.body).toMatchObject({
      status: 'failed',
      failureReason: 'сорвана пломба',
      failedOn: '2026-11-20', // today in Moscow by the test clock
      validity: { valid: false, reason: 'METER_FAILED' },
    });
    expectAnswer(
      await api.patch('/api/v1/meters/FAIL-1', { failedOn: '2026-11-01' }),
      400,
      'VALIDATION_FAILED',
    );
    const card = await api.get(`/api/v1/accounts/${s.number}`);
    expect(card.body.meters[0]).toMatchObject({ serial: 'FAIL-1', status: 'failed' });
    const repaired = await api.patch('/api/v1/meters/FAIL-1', {
      status: 'active',
      nextVerificationOn: '2026-11-20',
    });
    expect(repaired.body).toMatchObject({
      status: 'active',
      failureReason: null,
      failedOn: null,
      nextVerificationOn: '2026-11-20',
      validity: { valid: false, reason: 'METER_VERIFICATION_EXPIRED' },
    });
    expectAnswer(
      await api.patch('/api/v1/meters/FAIL-1', { nextVerificationOn: '2020-01-01' }),
      422,
      'VERIFICATION_DATE_INVALID',
    );
    expectAnswer(await api.patch('/api/v1/meters/NOPE-1', { model: 'x' }), 404, 'METER_NOT_FOUND');
  });
});

describe('meter replacement (§3)', () => {
  const replacement = (o: Record<string, unknown> = {}) => ({
    replacedAt: '2026-11-18T12:00:00+03:00',
    finalValues: ['1350', '560.4'],
    actNumber: 'А-17',
    submittedBy: 'инспектор Смирнов',
    newMeter: {
      serial: 'NEW-0001',
      model: 'Меркурий 200',
      zones: 2,
      digits: 6,
      decimals: 0,
      initialValues: ['0', '3'],
      nextVerificationOn: '2042-11-18',
    },
    ...o,
  });

  it('bad replacements are refused with reason codes and change nothing', async () => {
    const s = await seedAccount(api);
    await seedMeter(api, s.number, 'OLD-0001', { zones: 2, digits: 6, decimals: 1, on: '2024-01-10' });
    await seedMeter(api, s.number, 'TAKEN-01');
    await addReading('OLD-0001', [1_200_000, 500_000], '2026-10-20T09:00:00Z', '2026-10');
    const before = await counts();
    const nm = replacement().newMeter;
    const cases: [object, number, string][] = [
      [replacement({ finalValues: ['1350', '499.9'] }), 422, 'FINAL_LOWER_THAN_PREVIOUS'],
      [replacement({ finalValues: ['1350'] }), 422, 'ZONE_COUNT_MISMATCH'],
      [replacement({ finalValues: ['1350', '560.45'] }), 422, 'VALUE_PRECISION'],
      [replacement({ replacedAt: '2026-11-21T12:00:00+03:00' }), 422, 'TAKEN_IN_FUTURE'],
      [replacement({ replacedAt: '2026-10-19T12:00:00+03:00' }), 422, 'REPLACED_BEFORE_LAST_READING'],
      [replacement({ newMeter: { ...nm, initialValues: ['0'] } }), 422, 'ZONE_COUNT_MISMATCH'],
      [replacement({ newMeter: { ...nm, initialValues: ['0', '1234567'] } }), 422, 'VALUE_TOO_LONG'],
      [
        replacement({ newMeter: { ...nm, nextVerificationOn: '2026-11-18' } }),
        422,
        'VERIFICATION_DATE_INVALID',
      ],
      // The final reading is inserted before the new meter: the unique violation rolls everything back.
      [replacement({ newMeter: { ...nm, serial: 'TAKEN-01' } }), 409, 'METER_SERIAL_EXISTS'],
      [replacement({ replacedAt: 'yesterday' }), 400, 'VALIDATION_FAILED'],
      [replacement({ newMeter: { ...nm, colour: 'red' } }), 400, 'VALIDATION_FAILED'],
    ];
    for (const [payload, status, code] of cases) {
      expectAnswer(await api.post('/api/v1/meters/OLD-0001/replacement', payload), status, code);
    }
    expectAnswer(
      await api.post('/api/v1/meters/NOPE-404/replacement', replacement()),
      404,
      'METER_NOT_FOUND',
    );
    expect(await counts()).toEqual(before);
    expect((await api.get('/api/v1/meters/OLD-0001')).body.status).toBe('active');
  });

  it('closes the old meter with a final reading and opens the new one with the act', async () => {
    const card = await api.get('/api/v1/meters/OLD-0001');
    const account = card.body.account as string;
    const r = await api.post('/api/v1/meters/OLD-0001/replacement', replacement());
    expectAnswer(r, 201);
    expect(r.body).toMatchObject({
      actNumber: 'А-17',
      finalReading: {
        period: '2026-11',
        billedInPeriod: '2026-11',
        recalculation: false,
        values: ['1350.0', '560.4'],
        consumptionWh: [150_000, 60_400],
        previousValuesWh: [1_200_000, 500_000],
      },
      oldMeter: { serial: 'OLD-0001', status: 'removed', removedOn: '2026-11-18', replacedBy: 'NEW-0001' },
      newMeter: {
        serial: 'NEW-0001',
        account,
        status: 'active',
        commissionedOn: '2026-11-18',
        installedOn: '2026-11-18',
        commissioningAct: 'А-17',
        initialValues: ['0', '3'],
        replaces: 'OLD-0001',
        validity: { valid: true },
      },
    });
    const final = await sql<Record<string, unknown>>`
      SELECT r.kind, r.channel, r.status, r.period, r.values_wh, r.consumption_wh, r.taken_at, r.submitted_by,
             a.number AS account
      FROM reading r JOIN meter m ON m.id = r.meter_id LEFT JOIN account a ON a.id = r.account_id
      WHERE m.serial = 'OLD-0001' AND r.kind = 'final'`.execute(api.t.db);
    expect(final.rows).toEqual([
      {
        kind: 'final',
        channel: 'operator',
        status: 'accepted',
        period: '2026-11',
        values_wh: [1_350_000, 560_400],
        consumption_wh: [150_000, 60_400],
        taken_at: new Date('2026-11-18T09:00:00Z'),
        submitted_by: 'инспектор Смирнов',
        account,
      },
    ]);
    const act = await sql<Record<string, unknown>>`
      SELECT o.serial AS old, n.serial AS new, mr.final_values_wh, mr.act_number, n.initial_values_wh
      FROM meter_replacement mr JOIN meter o ON o.id = mr.old_meter_id JOIN meter n ON n.id = mr.new_meter_id`.execute(
      api.t.db,
    );
    expect(act.rows).toEqual([
      {
        old: 'OLD-0001',
        new: 'NEW-0001',
        final_values_wh: [1_350_000, 560_400],
        act_number: 'А-17',
        initial_values_wh: [0, 3000],
      },
    ]);
    const accountCard = await api.get(`/api/v1/accounts/${account}`);
    expect(
      accountCard.body.meters.map((m: { serial: string; status: string }) => `${m.serial}:${m.status}`),
    ).toEqual(['NEW-0001:active', 'TAKEN-01:active', 'OLD-0001:removed']);
    expect(accountCard.body.meters[2].lastReading).toMatchObject({
      kind: 'final',
      values: ['1350.0', '560.4'],
    });
    expectAnswer(await api.post('/api/v1/meters/OLD-0001/replacement', replacement()), 409, 'METER_REMOVED');
    expectAnswer(
      await api.patch('/api/v1/meters/OLD-0001', { status: 'failed', failureReason: 'x' }),
      409,
      'METER_REMOVED',
    );
  });

  it('the period follows the region window and billed periods (Yakutia, a closed period)', async () => {
    const s = await seedAccount(api, { region: 'yakutia' });
    await seedMeter(api, s.number, 'YKT-OLD-1');
    await sql`INSERT INTO billing_period (region_code, period, closed_at) VALUES ('yakutia', '2026-10', now())`.execute(
      api.t.db,
    );
    // 5 November in Yakutsk: days 1–10 serve October, which is already billed → into the November bill.
    const r = await api.post('/api/v1/meters/YKT-OLD-1/replacement', {
      replacedAt: '2026-11-05T10:00:00+09:00',
      finalValues: ['42'],
      newMeter: {
        serial: 'YKT-NEW-1',
        zones: 1,
        digits: 5,
        initialValues: ['0'],
        nextVerificationOn: '2040-01-01',
      },
    });
    expectAnswer(r, 201);
    expect(r.body.finalReading).toMatchObject({
      period: '2026-10',
      billedInPeriod: '2026-11',
      recalculation: true,
    });
    expect(r.body.newMeter).toMatchObject({ commissioningAct: null, zoneNames: ['single'] });
  });

  it('a failed meter can be replaced', async () => {
    const s = await seedAccount(api);
    await seedMeter(api, s.number, 'BROKEN-1');
    await api.patch('/api/v1/meters/BROKEN-1', { status: 'failed', failureReason: 'нет индикации' });
    const r = await api.post('/api/v1/meters/BROKEN-1/replacement', {
      replacedAt: '2026-11-19T10:00:00+03:00',
      finalValues: ['0'],
      newMeter: {
        serial: 'FIXED-1',
        zones: 1,
        digits: 5,
        initialValues: ['0'],
        nextVerificationOn: '2040-01-01',
      },
    });
    expectAnswer(r, 201);
    expect(r.body.oldMeter).toMatchObject({ status: 'removed', failureReason: 'нет индикации' });
  });
});
