import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDateOf } from '../../src/domain/local-time.ts';
import { formatLocalDate } from '../../src/domain/period.ts';
import { countedPeriod, type ReadingsWindow } from '../../src/domain/readings-window.ts';
import { openDatabase } from '../../src/platform/database.ts';
import { loadParameterValues } from '../../src/registry/parameters.repository.ts';
import { type SeedSummary, seedDemoCity } from '../../src/registry/seed.service.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';

/** The demo city generator (issue item 7) on a real PostgreSQL. */

const NOW = new Date('2026-03-20T09:00:00Z'); // Moscow 12:00 inside the 15–26 window; Yakutsk between windows
const ACCOUNTS = 1_500;
const SEED = 42;

let a: TestDatabase;
let b: TestDatabase;
let first: SeedSummary;
beforeAll(async () => {
  [a, b] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  first = await seedDemoCity(a, { accounts: ACCOUNTS, seed: SEED, now: NOW });
});
afterAll(async () => {
  await Promise.all([a?.drop(), b?.drop()]);
});

/** Everything the generator wrote, ordered by natural keys (never by ids), one hash per table. */
async function exportCity(db: TestDatabase): Promise<Record<string, string>> {
  const queries: Record<string, string> = {
    house: `SELECT h.code, h.region_code, mc.code AS mc, h.address, h.kind, h.stove_type, h.settlement_type,
                   h.total_area_m2, h.common_area_m2, h.common_needs_mode
            FROM house h LEFT JOIN management_company mc ON mc.id = h.management_company_id ORDER BY h.code`,
    premises: `SELECT h.code, p.number, p.is_residential, p.area_m2, p.rooms, p.residents
               FROM premises p JOIN house h ON h.id = p.house_id ORDER BY h.code, p.number`,
    account: `SELECT a.number, h.code, p.number AS premises, pr.code AS principal, a.payer_name, a.email,
                     a.tariff_category, a.status, a.start_date, a.meter_installation_possible
              FROM account a JOIN premises p ON p.id = a.premises_id JOIN house h ON h.id = p.house_id
              JOIN principal pr ON pr.id = a.principal_id ORDER BY a.number`,
    phone: `SELECT a.number, ap.phone FROM account_phone ap JOIN account a ON a.id = ap.account_id
            ORDER BY a.number, ap.phone`,
    meter: `SELECT m.serial, m.model, m.kind, h.code, a.number, m.zones, m.digits, m.decimals, m.installed_on,
                   m.commissioned_on, m.commissioning_act, m.initial_values_wh, m.next_verification_on, m.smart,
                   m.head_end_id, m.status, m.failure_reason
            FROM meter m JOIN house h ON h.id = m.house_id LEFT JOIN account a ON a.id = m.account_id
            ORDER BY m.serial`,
    reading: `SELECT m.serial, a.number, r.kind, r.values_wh, r.consumption_wh, r.rollover, r.taken_at,
                     r.received_at, r.channel, r.submitted_by, r.period, r.billed_in_period, r.status
              FROM reading r JOIN meter m ON m.id = r.meter_id LEFT JOIN account a ON a.id = r.account_id
              ORDER BY m.serial, r.taken_at`,
  };
  const out: Record<string, string> = {};
  for (const [table, q] of Object.entries(queries)) {
    const rows = await db.pool.query(q);
    expect(rows.rowCount, table).toBeGreaterThan(0);
    out[table] = createHash('sha256').update(JSON.stringify(rows.rows)).digest('hex');
  }
  return out;
}

async function count(db: TestDatabase, q: string, params: unknown[] = []): Promise<number> {
  const r = await db.pool.query<{ n: number }>(q, params);
  return Number(r.rows[0]?.n ?? 0);
}

interface ReadingRow {
  meter_id: number;
  account_id: number | null;
  serial: string;
  zones: number;
  digits: number;
  decimals: number;
  initial_values_wh: number[];
  commissioned_on: string;
  next_verification_on: string;
  start_date: string | null;
  region_code: string;
  time_zone: string;
  values_wh: number[];
  consumption_wh: number[];
  rollover: boolean;
  taken_at: Date;
  received_at: Date;
  channel: string;
  smart: boolean;
  period: string;
  billed_in_period: string;
  status: string;
  kind: string;
}

async function readings(db: TestDatabase): Promise<ReadingRow[]> {
  const r = await db.pool.query<ReadingRow>(
    `SELECT r.meter_id, r.account_id, m.serial, m.zones, m.digits, m.decimals, m.initial_values_wh,
            m.commissioned_on, m.next_verification_on, a.start_date, h.region_code, g.time_zone, r.values_wh,
            r.consumption_wh, r.rollover, r.taken_at, r.received_at, r.channel, m.smart, r.period,
            r.billed_in_period, r.status, r.kind
     FROM reading r JOIN meter m ON m.id = r.meter_id JOIN house h ON h.id = m.house_id
     JOIN region g ON g.code = h.region_code LEFT JOIN account a ON a.id = r.account_id
     ORDER BY r.meter_id, r.taken_at`,
  );
  return r.rows;
}

async function windowOf(db: TestDatabase, region: string): Promise<ReadingsWindow> {
  return (await loadParameterValues(db.db, region, '2026-03-01')).get('readings_window') as ReadingsWindow;
}

describe('abonent seed: the demo city', () => {
  it('is deterministic: the same seed gives the same rows, however the load is chunked', async () => {
    const other = await seedDemoCity(b, { accounts: ACCOUNTS, seed: SEED, now: NOW, chunkAccounts: 170 });
    expect({ ...other, seconds: 0 }).toEqual({ ...first, seconds: 0 });
    expect(await exportCity(b)).toEqual(await exportCity(a));
  });

  it('writes the counts it reports, whole houses with consistent areas, unique numbers', async () => {
    expect(first.accounts).toBe(ACCOUNTS);
    expect(await count(a, 'SELECT count(*) AS n FROM account')).toBe(ACCOUNTS);
    expect(await count(a, 'SELECT count(*) AS n FROM house')).toBe(first.houses);
    expect(await count(a, 'SELECT count(*) AS n FROM premises')).toBe(first.premises);
    expect(await count(a, 'SELECT count(*) AS n FROM account_phone')).toBe(first.phones);
    expect(await count(a, 'SELECT count(*) AS n FROM meter')).toBe(first.meters);
    expect(await count(a, `SELECT count(*) AS n FROM meter WHERE kind = 'common'`)).toBe(first.commonMeters);
    expect(await count(a, 'SELECT count(*) AS n FROM reading')).toBe(first.readings);
    expect(first.accountsByRegion.moscow + first.accountsByRegion.yakutia).toBe(ACCOUNTS);
    // ~11–12 readings a meter: a year of periods, the current one partly, minus gaps.
    expect(first.readings / first.meters).toBeGreaterThan(10);
    expect(first.readings / first.meters).toBeLessThan(13);
    // Every account number is 10 digits; numbers are consecutive from the first one reported.
    expect(await count(a, `SELECT count(*) AS n FROM account WHERE number !~ '^[0-9]{10}$'`)).toBe(0);
    const range = await a.pool.query('SELECT min(number) AS lo, max(number) AS hi FROM account');
    expect(range.rows[0]).toEqual({ lo: first.firstAccountNumber, hi: first.lastAccountNumber });
    // S_total of a house is the sum of its premises' areas (§3).
    expect(
      await count(
        a,
        `SELECT count(*) AS n FROM house h
         WHERE h.total_area_m2 <> (SELECT sum(area_m2) FROM premises p WHERE p.house_id = h.id)`,
      ),
    ).toBe(0);
    // At most one meter per account; common meters belong to apartment buildings only.
    expect(
      await count(
        a,
        'SELECT count(*) AS n FROM (SELECT account_id FROM meter WHERE account_id IS NOT NULL GROUP BY 1 HAVING count(*) > 1) x',
      ),
    ).toBe(0);
    expect(
      await count(
        a,
        `SELECT count(*) AS n FROM meter m JOIN house h ON h.id = m.house_id WHERE m.kind = 'common' AND h.kind <> 'apartment_building'`,
      ),
    ).toBe(0);
    // Private houses have one premises; tariff category follows the stove and settlement.
    expect(
      await count(
        a,
        `SELECT count(*) AS n FROM account a JOIN premises p ON p.id = a.premises_id JOIN house h ON h.id = p.house_id
         WHERE a.tariff_category <> CASE
           WHEN NOT p.is_residential THEN 'equated'
           WHEN h.settlement_type = 'rural' AND h.kind = 'private_house' THEN 'rural'
           WHEN h.stove_type = 'gas' THEN 'gas_stove' ELSE 'electric_stove' END`,
      ),
    ).toBe(0);
    // Mobile numbers are derived one-to-one from account numbers: no two seeded accounts share one.
    expect(
      await count(
        a,
        `SELECT count(*) - count(DISTINCT phone) AS n FROM account_phone WHERE phone LIKE '+79%'`,
      ),
    ).toBe(0);
    // Smart meters have unique head-end ids (the partial unique index holds) and nobody else has one.
    expect(await count(a, 'SELECT count(*) AS n FROM meter WHERE smart <> (head_end_id IS NOT NULL)')).toBe(
      0,
    );
  });

  it('writes readings that count for their period, are cumulative per register and fit the register', async () => {
    const rows = await readings(a);
    expect(rows.length).toBe(first.readings);
    const windows: Record<string, ReadingsWindow> = {
      moscow: await windowOf(a, 'moscow'),
      yakutia: await windowOf(a, 'yakutia'),
    };
    const problems: string[] = [];
    let rollovers = 0;
    let previous: ReadingRow | undefined;
    const periodsSeen = new Set<string>();
    for (const r of rows) {
      const where = `${r.serial} ${r.period}`;
      const modulus = 10 ** r.digits * 1000;
      const step = 10 ** (3 - r.decimals);
      const takenOn = localDateOf(r.taken_at, r.time_zone);
      const counted = countedPeriod(takenOn, windows[r.region_code]!);
      if (!counted.inWindow || counted.period !== r.period)
        problems.push(`${where}: counted ${counted.period}`);
      if (r.billed_in_period !== r.period || r.status !== 'accepted' || r.kind !== 'regular')
        problems.push(`${where}: state`);
      if (r.taken_at > r.received_at || r.received_at > NOW) problems.push(`${where}: times`);
      const day = formatLocalDate(takenOn);
      if (day <= r.commissioned_on || day >= r.next_verification_on)
        problems.push(`${where}: meter not valid on ${day}`);
      if (r.start_date && day < r.start_date) problems.push(`${where}: before the account started`);
      if ((r.channel === 'smart') !== r.smart) problems.push(`${where}: channel ${r.channel}`);
      if (r.values_wh.length !== r.zones || r.consumption_wh.length !== r.zones)
        problems.push(`${where}: zones`);
      for (const v of r.values_wh)
        if (v < 0 || v >= modulus || v % step !== 0) problems.push(`${where}: value ${v}`);
      const key = `${r.meter_id}|${r.period}`;
      if (periodsSeen.has(key)) problems.push(`${where}: two readings in one period`);
      periodsSeen.add(key);
      const sameMeter = previous?.meter_id === r.meter_id ? previous : undefined;
      // A meter commissioned within the year: the first reading counts from the act's initial values.
      const base =
        sameMeter?.values_wh ?? (r.commissioned_on >= '2025-03-01' ? r.initial_values_wh : undefined);
      if (base) {
        let wrapped = false;
        r.values_wh.forEach((v, z) => {
          const d = v - base[z]!;
          if (d < 0) wrapped = true;
          if (r.consumption_wh[z] !== (d < 0 ? d + modulus : d))
            problems.push(`${where}: consumption zone ${z + 1}`);
        });
        if (wrapped !== r.rollover) problems.push(`${where}: rollover flag`);
      } else if (r.consumption_wh.some((c) => c < 0 || (r.account_id !== null && c > 3_000_000))) {
        problems.push(`${where}: first consumption ${r.consumption_wh}`);
      }
      if (r.rollover) rollovers++;
      previous = r;
    }
    expect(problems.slice(0, 10)).toEqual([]);
    expect(rollovers).toBeGreaterThan(0);
    // Readings stop where the meter stopped being valid, and for payers who stopped submitting.
    expect(
      await count(
        a,
        `SELECT count(*) AS n FROM meter m WHERE m.kind = 'individual' AND m.status = 'active'
         AND m.next_verification_on > now() AND NOT EXISTS (SELECT 1 FROM reading r WHERE r.meter_id = m.id)`,
      ),
    ).toBeLessThan(first.meters * 0.03);
    const stopped = await count(
      a,
      `SELECT count(*) AS n FROM meter m JOIN house h ON h.id = m.house_id
       WHERE m.kind = 'individual' AND m.status = 'active' AND m.next_verification_on > '2026-04-01'
         AND h.region_code = 'moscow'
         AND (SELECT max(period) FROM reading r WHERE r.meter_id = m.id) <= '2025-11'`,
    );
    expect(stopped).toBeGreaterThan(0);
  });

  it('has the proportions of a real city', async () => {
    const share = async (where: string, of = `FROM meter WHERE kind = 'individual'`) =>
      (await count(a, `SELECT count(*) FILTER (WHERE ${where}) AS n ${of}`)) /
      (await count(a, `SELECT count(*) AS n ${of}`));
    expect(await share('zones = 1')).toBeCloseTo(0.5, 1);
    expect(await share('zones = 2')).toBeCloseTo(0.35, 1);
    expect(await share('zones = 3')).toBeCloseTo(0.15, 1);
    expect(await share('smart')).toBeCloseTo(1 / 3, 1);
    expect(await share('digits = 5')).toBeGreaterThan(0.03);
    expect(await share('decimals = 1')).toBeGreaterThan(0.3);
    expect(await share(`status = 'failed'`)).toBeLessThan(0.03);
    expect(await share(`next_verification_on <= '2026-03-20'`)).toBeGreaterThan(0.005);
    expect(await share(`next_verification_on <= '2026-03-20'`)).toBeLessThan(0.05);
    const moscow = first.accountsByRegion.moscow / ACCOUNTS;
    expect(moscow).toBeGreaterThan(0.82);
    expect(moscow).toBeLessThan(0.95);
    const accounts = 'FROM account';
    expect(
      await share('EXISTS (SELECT 1 FROM account_phone p WHERE p.account_id = account.id)', accounts),
    ).toBeCloseTo(0.6, 1);
    expect(await share('email IS NOT NULL', accounts)).toBeCloseTo(0.4, 1);
    const withoutMeter = await count(
      a,
      'SELECT count(*) AS n FROM account a WHERE NOT EXISTS (SELECT 1 FROM meter m WHERE m.account_id = a.id)',
    );
    expect(withoutMeter).toBeGreaterThan(0);
    expect(withoutMeter).toBeLessThan(ACCOUNTS * 0.04);
    // Flats: realistic areas by rooms; residents 0–5.
    const flats = await a.pool.query(
      `SELECT rooms, min(area_m2) AS lo, max(area_m2) AS hi FROM premises p JOIN house h ON h.id = p.house_id
       WHERE h.kind = 'apartment_building' AND p.is_residential GROUP BY rooms ORDER BY rooms`,
    );
    expect(flats.rows.map((r) => r.rooms)).toEqual([1, 2, 3, 4]);
    expect(flats.rows[0]).toMatchObject({ lo: expect.any(Number) });
    expect(flats.rows[0].lo).toBeGreaterThanOrEqual(30);
    expect(flats.rows[0].hi).toBeLessThanOrEqual(42);
    expect(await count(a, 'SELECT count(*) AS n FROM premises WHERE residents > 5')).toBe(0);
    // Several flats per apartment building, one premises per private house.
    const sizes = await a.pool.query(
      `SELECT h.kind, min(n) AS lo, max(n) AS hi FROM house h
       JOIN (SELECT house_id, count(*) AS n FROM premises WHERE is_residential GROUP BY 1) p ON p.house_id = h.id GROUP BY 1`,
    );
    const byKind = Object.fromEntries(sizes.rows.map((r) => [r.kind, r]));
    expect(byKind.private_house).toMatchObject({ lo: 1, hi: 1 });
    expect(byKind.apartment_building.hi).toBeLessThanOrEqual(300);
    // Usage is seasonal: January's readings show more consumption than July's.
    const season = await a.pool.query(
      `SELECT period, avg((SELECT sum(c) FROM unnest(consumption_wh) c)) AS wh FROM reading r
       JOIN meter m ON m.id = r.meter_id WHERE m.kind = 'individual' AND period IN ('2025-07', '2026-01')
       AND r.id NOT IN (SELECT min(id) FROM reading GROUP BY meter_id) GROUP BY period ORDER BY period`,
    );
    expect(Number(season.rows[1].wh)).toBeGreaterThan(Number(season.rows[0].wh) * 1.2);
  });

  it('has Yakutia with its own supplier and readings in its 1–10 window for the month before', async () => {
    const all = await readings(a);
    const rows = all.filter((r) => r.region_code === 'yakutia');
    expect(first.accountsByRegion.yakutia).toBeGreaterThan(0);
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) {
      const d = localDateOf(r.taken_at, 'Asia/Yakutsk');
      expect(d.day).toBeGreaterThanOrEqual(1);
      expect(d.day).toBeLessThanOrEqual(10);
      const taken = `${d.year}-${String(d.month).padStart(2, '0')}`;
      expect(r.period < taken).toBe(true);
    }
    const moscow = all.filter((r) => r.region_code === 'moscow');
    for (const r of moscow) {
      const d = localDateOf(r.taken_at, 'Europe/Moscow');
      expect(d.day).toBeGreaterThanOrEqual(15);
      expect(d.day).toBeLessThanOrEqual(26);
    }
    // Today (20 March) Moscow's window is open: some March readings are in, none from after now.
    expect(moscow.some((r) => r.period === '2026-03')).toBe(true);
    const suppliers = await a.pool.query(
      `SELECT DISTINCT h.region_code, pr.code FROM account a JOIN premises p ON p.id = a.premises_id
       JOIN house h ON h.id = p.house_id JOIN principal pr ON pr.id = a.principal_id ORDER BY 1`,
    );
    expect(suppliers.rows).toEqual([
      { region_code: 'moscow', code: 'demo-supplier-moscow' },
      { region_code: 'yakutia', code: 'demo-supplier-yakutia' },
    ]);
  });

  it('loads principals, tariffs (E6) and norms (E2, E3, E4) with valid-format bank details', async () => {
    const p = await a.pool.query(`SELECT * FROM principal WHERE code LIKE 'demo-%' ORDER BY code`);
    expect(p.rows.map((r) => [r.code, r.kind])).toEqual([
      ['demo-agent', 'agent'],
      ['demo-supplier-moscow', 'supplier'],
      ['demo-supplier-yakutia', 'supplier'],
    ]);
    for (const r of p.rows) {
      expect(r.inn).toMatch(/^\d{10}$/);
      expect(r.kpp).toMatch(/^\d{9}$/);
      expect(r.bic).toMatch(/^\d{9}$/);
      expect(r.personal_acc).toMatch(/^\d{20}$/);
      expect(r.corresp_acc).toMatch(/^\d{20}$/);
    }
    const price = async (region: string, category: string, meterType: string, zone: string) =>
      count(
        a,
        `SELECT price_kopecks AS n FROM tariff WHERE region_code = $1 AND category = $2 AND meter_type = $3 AND zone = $4
         AND effective_from = '2025-07-01' AND illustrative`,
        [region, category, meterType, zone],
      );
    expect(await price('moscow', 'gas_stove', 'single', 'single')).toBe(787);
    expect(await price('moscow', 'gas_stove', 'two_zone', 'day')).toBe(945);
    expect(await price('moscow', 'gas_stove', 'two_zone', 'night')).toBe(408);
    expect(await price('moscow', 'gas_stove', 'three_zone', 'peak')).toBe(1124);
    expect(await price('moscow', 'gas_stove', 'three_zone', 'half_peak')).toBe(787);
    expect(await price('moscow', 'gas_stove', 'three_zone', 'night')).toBe(408);
    expect(await price('moscow', 'equated', 'single', 'single')).toBe(787);
    expect(await price('moscow', 'electric_stove', 'single', 'single')).toBe(551);
    expect(await price('moscow', 'rural', 'two_zone', 'day')).toBe(662);
    expect(await price('yakutia', 'gas_stove', 'single', 'single')).toBeGreaterThan(0);
    const norm = async (rooms: number, residents: number) =>
      count(
        a,
        `SELECT wh_per_person AS n FROM norm WHERE region_code = 'moscow' AND stove_type = 'gas' AND rooms = $1 AND residents = $2`,
        [rooms, residents],
      );
    expect(await norm(1, 2)).toBe(74_000);
    expect(await norm(2, 3)).toBe(60_000);
    expect(await norm(2, 1)).toBeGreaterThan(await norm(2, 2));
    expect(await count(a, `SELECT count(*) AS n FROM norm WHERE region_code = 'yakutia'`)).toBe(40);
    expect(await count(a, `SELECT wh_per_m2 AS n FROM common_norm WHERE region_code = 'moscow'`)).toBe(683);
  });

  it('adds to what is there when run again: numbers continue, nothing collides or repeats', async () => {
    const before = await a.pool.query('SELECT count(*)::int AS n, max(number) AS hi FROM account');
    const tariffs = await count(a, 'SELECT count(*) AS n FROM tariff');
    const again = await seedDemoCity(a, { accounts: 500, seed: SEED, now: NOW });
    expect(again.accounts).toBe(500);
    expect(BigInt(again.firstAccountNumber)).toBe(BigInt(before.rows[0].hi) + 1n);
    expect(await count(a, 'SELECT count(*) AS n FROM account')).toBe(ACCOUNTS + 500);
    expect(await count(a, 'SELECT count(*) AS n FROM tariff')).toBe(tariffs);
    expect(await count(a, `SELECT count(*) AS n FROM principal WHERE code LIKE 'demo-%'`)).toBe(3);
    // Same seed, yet a different part of the city: no repeated address or payer sequence.
    expect(await count(a, 'SELECT count(*) - count(DISTINCT address) AS n FROM house')).toBe(0);
    const names = await a.pool.query<{ payer_name: string }>(
      'SELECT payer_name FROM account ORDER BY number LIMIT 20',
    );
    const newNames = await a.pool.query<{ payer_name: string }>(
      'SELECT payer_name FROM account WHERE number >= $1 ORDER BY number LIMIT 20',
      [again.firstAccountNumber],
    );
    expect(newNames.rows).not.toEqual(names.rows);
  });

  it('leaves whole chunks when interrupted, and a re-run continues without collisions', async () => {
    const c = await createTestDatabase();
    try {
      let calls = 0;
      let committed = 0;
      await expect(
        seedDemoCity(c, {
          accounts: 1_000,
          seed: 7,
          now: NOW,
          chunkAccounts: 120,
          onProgress: (done) => {
            committed = done;
            if (++calls === 3) throw new Error('interrupted');
          },
        }),
      ).rejects.toThrow('interrupted');
      expect(committed).toBeGreaterThanOrEqual(360);
      expect(committed).toBeLessThan(1_000);
      expect(await count(c, 'SELECT count(*) AS n FROM account')).toBe(committed);
      // Whole houses: every premises has its account, every house its area.
      expect(
        await count(
          c,
          `SELECT count(*) AS n FROM premises p WHERE p.is_residential AND NOT EXISTS (SELECT 1 FROM account a WHERE a.premises_id = p.id)`,
        ),
      ).toBe(0);
      expect(
        await count(
          c,
          'SELECT count(*) AS n FROM house h WHERE h.total_area_m2 <> (SELECT sum(area_m2) FROM premises p WHERE p.house_id = h.id)',
        ),
      ).toBe(0);
      const rerun = await seedDemoCity(c, { accounts: 300, seed: 7, now: NOW });
      expect(rerun.accounts).toBe(300);
      expect(await count(c, 'SELECT count(*) AS n FROM account')).toBe(committed + 300);
    } finally {
      await c.drop();
    }
  });

  it('refuses nonsense options before touching the database', async () => {
    await expect(seedDemoCity(b, { accounts: 0, seed: 1, now: NOW })).rejects.toThrow(RangeError);
    await expect(seedDemoCity(b, { accounts: 1.5, seed: 1, now: NOW })).rejects.toThrow(RangeError);
    await expect(seedDemoCity(b, { accounts: 10, seed: -1, now: NOW })).rejects.toThrow(RangeError);
    await expect(seedDemoCity(b, { accounts: 10, seed: 1, now: new Date('nonsense') })).rejects.toThrow(
      RangeError,
    );
    // Two writers and an id reservation need three connections; fewer would wait for each other forever.
    const small = openDatabase(b.url, 2);
    try {
      await expect(seedDemoCity(small, { accounts: 10, seed: 1, now: NOW })).rejects.toThrow(
        /pool of at least 3/,
      );
    } finally {
      await small.close();
    }
  });
});
