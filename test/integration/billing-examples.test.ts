/**
 * domain.md §6.5 worked examples through the public use cases: readings through the intake, periods closed,
 * bills formed and issued month after month by the billing run, bills read back as documents.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addPeriods } from '../../src/domain/period.ts';
import { addNorms, addTariffs, amountOf, bill, billDoc, reading, volumeOf } from '../support/billing.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { addAccount } from '../support/fixtures.ts';

const kwh = (n: number) => n * 1000;

describe('E1, E2, E9: average, true-up after estimates, norm after the average run, rollover', () => {
  let t: TestDatabase;
  const actual = [180, 170, 190, 210, 230, 220]; // Jul–Dec 2025, average 200
  const months = ['2025-07', '2025-08', '2025-09', '2025-10', '2025-11', '2025-12'];
  const a = { number: '2000000001' }; // E1 reading 16,130 on 20 Apr
  const b = { number: '2000000002' }; // E1 variant: 15,700 → a credit
  const c = { number: '2000000003' }; // E2: no readings for seven months
  const r = { number: '2000000004' }; // E9: 5-digit rollover

  beforeAll(async () => {
    t = await createTestDatabase();
    await addTariffs(t.db);
    await addNorms(t.db);
    for (const acc of [a, b, c]) {
      await addAccount(t.db, { number: acc.number, initial: [kwh(14_000)], commissionedOn: '2025-06-10' });
    }
    await addAccount(t.db, {
      number: r.number,
      initial: [kwh(98_670)],
      commissionedOn: '2025-06-10',
      digits: 5,
    });
    let level = 14_000;
    let rolling = 98_670;
    for (const [i, month] of months.entries()) {
      level += actual[i] ?? 0;
      rolling += 200;
      const day = month === '2025-12' ? 26 : 24;
      for (const acc of [a, b, c]) await reading(t.db, acc.number, [level], `${month}-${day}T09:00:00+03:00`);
      await reading(t.db, r.number, [rolling], `${month}-${day}T09:00:00+03:00`);
      await bill(t, month);
    }
    expect(level).toBe(15_200);
    // January–March: no readings (E9's meter rolls over in January).
    await reading(t.db, r.number, ['00130'], '2026-01-20T09:00:00+03:00');
    for (const month of ['2026-01', '2026-02', '2026-03']) await bill(t, month);
    await reading(t.db, a.number, [16_130], '2026-04-20T09:00:00+03:00');
    await reading(t.db, b.number, [15_700], '2026-04-20T09:00:00+03:00');
    for (const month of ['2026-04', '2026-05', '2026-06', '2026-07']) await bill(t, month);
  }, 120_000);
  afterAll(() => t?.drop());

  it('E1: three months at the average of 200 kWh, 1,600.00 each', async () => {
    for (const month of ['2026-01', '2026-02', '2026-03']) {
      const doc = await billDoc(t.db, a.number, month);
      expect(doc.meters[0]?.rule).toBe('AVERAGE');
      expect(doc.meters[0]?.source).toBe('average');
      expect(volumeOf(doc)).toBe(kwh(200));
      expect(doc.totals.chargedKopecks).toBe(160_000);
      expect(doc.lines.every((l) => l.kind === 'consumption' && l.priceKopecksPerKwh === 800)).toBe(true);
    }
  });

  it('E1: the April reading bills 330 kWh = 2,640.00 as a recalculation naming January–March', async () => {
    const doc = await billDoc(t.db, a.number, '2026-04');
    expect(doc.lines).toHaveLength(1);
    const line = doc.lines[0];
    expect(line?.kind).toBe('recalculation');
    expect(line?.volumeWh).toBe(kwh(330));
    expect(line?.amountKopecks).toBe(264_000);
    expect(line?.periods).toEqual(['2026-01', '2026-02', '2026-03', '2026-04']);
    expect(line?.reason).toBe('TRUE_UP');
    expect(doc.meters[0]?.previous?.valuesWh).toEqual([kwh(15_200)]);
    expect(doc.meters[0]?.current?.valuesWh).toEqual([kwh(16_130)]);
    expect(doc.totals.chargedKopecks).toBe(264_000);
    // §8 nothing was paid: the unpaid earlier bills come forward, with their §10 penalties.
    const t8 = doc.totals;
    expect(t8.balanceForwardKopecks).toBeGreaterThan(0);
    expect(t8.amountDueKopecks).toBe(
      t8.balanceForwardKopecks - t8.paymentsKopecks + t8.chargedKopecks + t8.penaltiesKopecks,
    );
  });

  it('E1: had it been 15,700, −100 kWh is a credit of −800.00', async () => {
    const doc = await billDoc(t.db, b.number, '2026-04');
    expect(volumeOf(doc)).toBe(kwh(-100));
    expect(amountOf(doc, 'recalculation')).toBe(-80_000);
    expect(doc.totals.chargedKopecks).toBe(-80_000);
    // The credit reduces what the earlier, unpaid bills brought forward.
    expect(doc.totals.amountDueKopecks).toBe(
      doc.totals.balanceForwardKopecks + doc.totals.chargedKopecks + doc.totals.penaltiesKopecks,
    );
  });

  it('E2: months 1–6 at the average, month 7 at the norm 2 × 74 × 8.00 = 1,184.00', async () => {
    for (let i = 0; i < 6; i++) {
      const doc = await billDoc(t.db, c.number, addPeriods('2026-01', i));
      expect(doc.meters[0]?.rule).toBe('AVERAGE');
      expect(doc.totals.chargedKopecks).toBe(160_000);
    }
    const july = await billDoc(t.db, c.number, '2026-07');
    expect(july.meters[0]?.rule).toBe('NORM_AFTER_AVERAGE');
    expect(volumeOf(july)).toBe(kwh(148));
    expect(july.totals.chargedKopecks).toBe(118_400);
  });

  it('E9: 99,870 → 00,130 on a 5-digit register is 260 kWh, not a negative volume', async () => {
    const doc = await billDoc(t.db, r.number, '2026-01');
    expect(doc.meters[0]?.previous?.valuesWh).toEqual([kwh(99_870)]);
    expect(volumeOf(doc)).toBe(kwh(260));
    expect(doc.totals.chargedKopecks).toBe(208_000);
    expect(doc.meters[0]?.explanation.readings).toMatchObject({ rollover: [true] });
  });

  it('issued bills are numbered, versioned, and never change', async () => {
    const doc = await billDoc(t.db, a.number, '2026-04');
    expect(doc.number).toBe(`202604-${a.number}`);
    expect(doc.version).toBe(1);
    await expect(
      sql`UPDATE bill SET amount_due_kopecks = 0 WHERE number = ${doc.number}`.execute(t.db),
    ).rejects.toThrow(/never changes/);
    await expect(sql`DELETE FROM bill WHERE number = ${doc.number}`.execute(t.db)).rejects.toThrow(
      /never deleted/,
    );
  });
});

describe('E3: no meter', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
    await addTariffs(t.db);
    await addNorms(t.db);
    for (const [number, possible] of [
      ['3000000001', true],
      ['3000000002', false],
    ] as const) {
      const acc = await addAccount(t.db, { number });
      await sql`DELETE FROM meter WHERE id = ${acc.meterId}`.execute(t.db);
      await sql`UPDATE premises SET residents = 3 WHERE id = (SELECT premises_id FROM account WHERE id = ${acc.accountId})`.execute(
        t.db,
      );
      await sql`UPDATE account SET meter_installation_possible = ${possible} WHERE id = ${acc.accountId}`.execute(
        t.db,
      );
    }
    await bill(t, '2026-05');
  });
  afterAll(() => t?.drop());

  it('installation possible: 3 × 60 × 1.5 × 8.00 = 2,160.00', async () => {
    const doc = await billDoc(t.db, '3000000001', '2026-05');
    expect(doc.meters[0]?.rule).toBe('NORM_NO_METER');
    expect(volumeOf(doc)).toBe(kwh(270));
    expect(doc.totals.chargedKopecks).toBe(216_000);
  });

  it('installation impossible (act): 1,440.00', async () => {
    const doc = await billDoc(t.db, '3000000002', '2026-05');
    expect(doc.meters[0]?.rule).toBe('NORM_NO_METER_IMPOSSIBLE');
    expect(doc.totals.chargedKopecks).toBe(144_000);
  });
});

describe('E6: zones priced at their own tariffs (Moscow gas stove, H2 2025)', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
    await addTariffs(t.db, { single: 787, from: '2025-07-01' });
    await addNorms(t.db);
    await addAccount(t.db, { number: '6000000003', zones: 3, commissionedOn: '2025-06-10' });
    await addAccount(t.db, { number: '6000000002', zones: 2, commissionedOn: '2025-06-10' });
    await addAccount(t.db, { number: '6000000001', zones: 1, commissionedOn: '2025-06-10' });
    const at = '2025-09-22T09:00:00+03:00';
    await reading(t.db, '6000000003', [60, 100, 90], at); // T1 peak, T2 night, T3 half-peak (§6.2)
    await reading(t.db, '6000000002', [150, 100], at);
    await reading(t.db, '6000000001', [250], at);
    // July and August without readings (norm), September with them: the first actual period after the act.
    await bill(t, '2025-07');
    await bill(t, '2025-08');
    await bill(t, '2025-09');
  });
  afterAll(() => t?.drop());

  it('three-zone: 674.40 + 708.30 + 408.00 = 1,790.70 (less the norm billed before, reversed)', async () => {
    const doc = await billDoc(t.db, '6000000003', '2025-09');
    const zone = (z: string) => doc.lines.filter((l) => l.zone === z && l.volumeWh > 0);
    expect(zone('peak').map((l) => [l.volumeWh, l.amountKopecks])).toEqual([[kwh(60), 67_440]]);
    expect(zone('half_peak').map((l) => [l.volumeWh, l.amountKopecks])).toEqual([[kwh(90), 70_830]]);
    expect(zone('night').map((l) => [l.volumeWh, l.amountKopecks])).toEqual([[kwh(100), 40_800]]);
    expect(doc.meters[0]?.zoneNames).toEqual(['peak', 'night', 'half_peak']);
  });

  it('two-zone: day 150 × 9.45 + night 100 × 4.08; the single-register meter nets the norm in its one zone', async () => {
    const two = await billDoc(t.db, '6000000002', '2025-09');
    const positive = (d: typeof two) =>
      d.lines.filter((l) => l.volumeWh > 0).reduce((s, l) => s + l.amountKopecks, 0);
    expect(positive(two)).toBe(182_550);
    // 250 kWh measured since the act, 2 × 148 kWh billed by the norm in July and August: −46 kWh at 7.87.
    const one = await billDoc(t.db, '6000000001', '2025-09');
    expect(volumeOf(one)).toBe(kwh(-46));
    expect(one.totals.chargedKopecks).toBe(-36_202);
    expect(one.lines[0]?.periods).toEqual(['2025-07', '2025-08', '2025-09']);
  });

  it('a month of readings only: 1,790.70 three-zone, 1,825.50 two-zone, 1,967.50 single-rate', async () => {
    await reading(t.db, '6000000003', [120, 200, 180], '2025-10-22T09:00:00+03:00');
    await reading(t.db, '6000000002', [300, 200], '2025-10-22T09:00:00+03:00');
    await reading(t.db, '6000000001', [500], '2025-10-22T09:00:00+03:00');
    await bill(t, '2025-10');
    const charged = async (n: string) => {
      const doc = await billDoc(t.db, n, '2025-10');
      expect(doc.lines.every((l) => l.kind === 'consumption')).toBe(true);
      return doc.totals.chargedKopecks;
    };
    expect(await charged('6000000003')).toBe(179_070);
    expect(await charged('6000000002')).toBe(182_550);
    expect(await charged('6000000001')).toBe(196_750);
  });
});

describe('E4: common-house needs', () => {
  let t: TestDatabase;
  const houses: Record<string, { id: number; accounts: string[] }> = {};

  async function addHouse(code: string, mode: 'full' | 'capped', commonMeterKwh: number) {
    const principal = await sql<{ id: number }>`
      INSERT INTO principal (code, kind, name, inn, kpp, bank_name, bic, personal_acc, corresp_acc)
      VALUES ('SUP', 'supplier', 'АО «Энергосбыт»', '7700000000', '770001001', 'ПАО Сбербанк', '044525225',
              '40702810900000000001', '30101810400000000225')
      ON CONFLICT (code) DO UPDATE SET code = EXCLUDED.code RETURNING id`.execute(t.db);
    const mc = await sql<{ id: number }>`
      INSERT INTO management_company (code, name) VALUES (${`MC-${code}`}, 'УК «Уют»') RETURNING id`.execute(
      t.db,
    );
    const house = await sql<{ id: number }>`
      INSERT INTO house (code, region_code, management_company_id, address, kind, stove_type, settlement_type,
                         total_area_m2, common_area_m2, common_needs_mode)
      VALUES (${code}, 'moscow', ${mc.rows[0]?.id}, ${`г. Москва, ул. Общая, д. ${code}`}, 'apartment_building', 'gas',
              'urban', 200, 40, ${mode}) RETURNING id`.execute(t.db);
    const houseId = house.rows[0]?.id as number;
    const accounts: string[] = [];
    const flats: [number, number][] = [
      [50, 300],
      [70, 250],
      [80, 200],
    ];
    for (const [i, [area, usage]] of flats.entries()) {
      const p = await sql<{ id: number }>`
        INSERT INTO premises (house_id, number, area_m2, rooms, residents) VALUES (${houseId}, ${String(i + 1)}, ${area}, 2, 2)
        RETURNING id`.execute(t.db);
      const number = `${houseId}00000${i + 1}`.padStart(10, '4');
      const a = await sql<{ id: number }>`
        INSERT INTO account (number, premises_id, principal_id, payer_name, tariff_category, start_date)
        VALUES (${number}, ${p.rows[0]?.id}, ${principal.rows[0]?.id}, 'Петров П. П.', 'gas_stove', '2024-01-01') RETURNING id`.execute(
        t.db,
      );
      await sql`
        INSERT INTO meter (serial, house_id, account_id, zones, digits, installed_on, commissioned_on, initial_values_wh,
                           next_verification_on)
        VALUES (${`SN${number}`}, ${houseId}, ${a.rows[0]?.id}, 1, 6, '2025-01-10', '2025-01-10', '{0}', '2036-01-01')`.execute(
        t.db,
      );
      await reading(t.db, number, [usage], '2026-05-22T09:00:00+03:00');
      accounts.push(number);
    }
    const cm = await sql<{ id: number }>`
      INSERT INTO meter (serial, kind, house_id, zones, digits, installed_on, commissioned_on, initial_values_wh,
                         next_verification_on)
      VALUES (${`CM-${code}`}, 'common', ${houseId}, 1, 7, '2025-01-10', '2025-01-10', '{0}', '2036-01-01')
      RETURNING id`.execute(t.db);
    // A common meter's reading comes by the registry import or the back office (not a subscriber channel).
    await sql`
      INSERT INTO reading (meter_id, kind, values_wh, taken_at, received_at, channel, period, billed_in_period, status)
      VALUES (${cm.rows[0]?.id}, 'regular', ${[kwh(commonMeterKwh)]}, '2026-05-25T09:00:00+03:00',
              '2026-05-25T09:00:00+03:00', 'import', '2026-05', '2026-05', 'accepted')`.execute(t.db);
    houses[code] = { id: houseId, accounts };
  }

  beforeAll(async () => {
    t = await createTestDatabase();
    await addTariffs(t.db);
    await addNorms(t.db);
    await addHouse('E4-FULL', 'full', 1000);
    await addHouse('E4-CAP', 'capped', 1000);
    await addHouse('E4-NEG', 'full', 700);
    await bill(t, '2026-05');
  });
  afterAll(() => t?.drop());

  const shares = async (code: string) =>
    Promise.all(
      (houses[code]?.accounts ?? []).map(async (n) => {
        const doc = await billDoc(t.db, n, '2026-05');
        return [volumeOf(doc, 'common_needs'), amountOf(doc, 'common_needs')];
      }),
    );

  it('full: 62.5 / 87.5 / 100 kWh = 500.00 / 700.00 / 800.00', async () => {
    expect(await shares('E4-FULL')).toEqual([
      [62_500, 50_000],
      [87_500, 70_000],
      [100_000, 80_000],
    ]);
  });

  it('capped at 0.683 kWh/m²: 6.830 / 9.562 / 10.928 kWh = 54.64 / 76.50 / 87.42; 222.68 kWh = 1,781.44 to the management company', async () => {
    expect(await shares('E4-CAP')).toEqual([
      [6_830, 5_464],
      [9_562, 7_650],
      [10_928, 8_742],
    ]);
    const r = await sql<{ wh: number; kopecks: number; cap: number }>`
      SELECT management_company_wh AS wh, management_company_kopecks AS kopecks, house_cap_wh AS cap
      FROM common_needs_result WHERE house_id = ${houses['E4-CAP']?.id}`.execute(t.db);
    expect(r.rows[0]).toEqual({ wh: 222_680, kopecks: 178_144, cap: 27_320 });
  });

  it('a common meter reading 700: 0 each, −50 kWh logged for the house', async () => {
    expect(await shares('E4-NEG')).toEqual([
      [0, 0],
      [0, 0],
      [0, 0],
    ]);
    const r = await sql<{ neg: number; log: { code: string }[] }>`
      SELECT negative_wh AS neg, log FROM common_needs_result WHERE house_id = ${houses['E4-NEG']?.id}`.execute(
      t.db,
    );
    expect(r.rows[0]?.neg).toBe(-50_000);
    expect(r.rows[0]?.log.map((l) => l.code)).toContain('NEGATIVE_COMMON_VOLUME');
  });

  it('the bill explains the share: areas, house volume and the cap', async () => {
    const doc = await billDoc(t.db, houses['E4-CAP']?.accounts[0] as string, '2026-05');
    expect(doc.commonNeeds).toMatchObject({
      mode: 'capped',
      method: 'meter',
      houseVolumeWh: 250_000,
      houseCapWh: 27_320,
      premisesAreaCentiM2: 5_000,
      totalAreaCentiM2: 20_000,
      shareWh: 6_830,
      capWh: 6_830,
    });
    expect(doc.lines.find((l) => l.kind === 'common_needs')?.rule).toBe('COMMON_CAPPED');
  });
});
