import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { ReadingsWindow } from '../domain/readings-window.ts';
import type { Database } from '../platform/database.ts';
import { buildRegionCalendar } from './demo-city.calendar.ts';
import * as data from './demo-city.data.ts';
import {
  buildHouse,
  CityPlanner,
  type HouseDraft,
  type HouseSeries,
  type RegionCode,
  type RegionSetup,
  type SeedCounters,
} from './demo-city.generator.ts';
import { mixSeed } from './demo-city.random.ts';
import {
  type ChunkCounts,
  type ChunkIds,
  ChunkRenderer,
  COPY_COLUMNS,
  type CopyTable,
  SampleCollector,
  type SeedSample,
} from './demo-city.render.ts';
import { loadParameterValues } from './parameters.repository.ts';

export type { SeedSample } from './demo-city.render.ts';

/**
 * The demo city generator (`abonent seed`): houses, premises, accounts, meters and a year of readings for
 * two regions — Moscow (~90% of accounts, window 15–26) and Yakutia (window 1–10 of the next month) — plus
 * the principals, management companies, illustrative tariffs and norms they need.
 *
 * - Deterministic: the same accounts, seed, `now` and starting database give the same rows (only the
 *   values of reading.id, drawn by the two writers as they go, may interleave differently).
 * - Additive: account numbers, house codes and meter serials continue after the largest ones present, and
 *   reference data is inserted with ON CONFLICT DO NOTHING, so seeding twice adds a second city part.
 * - Bulk: rows go in with COPY, one transaction per chunk of houses; ids are reserved from the identity
 *   sequences first (nextval, safe next to other writers) so child rows can name their parents.
 * - Interrupted runs leave whole chunks only (houses with all their premises, accounts, meters and
 *   readings); the reserved ids of lost chunks stay unused. After a failure no new chunk starts; the
 *   other writer's chunk then in flight still commits (and is reported through onProgress). A re-run does not resume: it adds a new part
 *   after what is there and never collides. Two seed runs at once are serialised by an advisory lock.
 */

export interface SeedOptions {
  accounts: number;
  seed: number;
  now: Date;
  onProgress?: (done: number, total: number) => void;
  /** Accounts per COPY transaction (whole houses; default 5,000). The data do not depend on it. */
  chunkAccounts?: number;
  /** Connections copying chunks at the same time (default 2). */
  writers?: number;
}

export interface SeedSummary extends ChunkCounts {
  seed: number;
  seconds: number;
  firstAccountNumber: string;
  lastAccountNumber: string;
  accountsByRegion: Record<RegionCode, number>;
  /** Periods with readings per region (the last one is the current, partly elapsed period). */
  periods: Record<RegionCode, { from: string; to: string }>;
  samples: SeedSample[];
}

export const MAX_SEED_ACCOUNTS = 10_000_000;
const SEED_LOCK_KEY = 0x5eed_0c17;
const DEFAULT_CHUNK_ACCOUNTS = 5_000;
const DEFAULT_WRITERS = 2;
const COPY_ORDER: readonly CopyTable[] = [
  'house',
  'premises',
  'account',
  'account_phone',
  'meter',
  'reading',
];
const SEASONAL: Record<RegionCode, readonly number[]> = {
  moscow: [1.22, 1.15, 1.05, 0.95, 0.88, 0.82, 0.8, 0.83, 0.92, 1.02, 1.14, 1.25],
  yakutia: [1.45, 1.32, 1.12, 0.92, 0.78, 0.66, 0.64, 0.72, 0.88, 1.08, 1.3, 1.48],
};

export async function seedDemoCity(database: Database, opts: SeedOptions): Promise<SeedSummary> {
  if (!Number.isInteger(opts.accounts) || opts.accounts < 1 || opts.accounts > MAX_SEED_ACCOUNTS) {
    throw new RangeError(`accounts must be an integer from 1 to ${MAX_SEED_ACCOUNTS}`);
  }
  if (!Number.isInteger(opts.seed) || opts.seed < 0 || opts.seed > 0xffffffff)
    throw new RangeError('seed must be an integer from 0 to 4294967295');
  if (Number.isNaN(opts.now.getTime())) throw new RangeError('now is not a valid date');
  assertCopySafeData();
  // Writers copy while one more connection reserves ids: a smaller pool would wait for itself forever.
  const writers = Math.max(1, Math.floor(opts.writers ?? DEFAULT_WRITERS));
  if ((database.pool.options.max ?? 10) < writers + 1) {
    throw new RangeError(
      `seeding with ${writers} writer(s) needs a connection pool of at least ${writers + 1}`,
    );
  }
  const started = performance.now();
  const client = await database.pool.connect();
  let broken = false;
  try {
    await client.query('SELECT pg_advisory_lock($1)', [SEED_LOCK_KEY]);
    try {
      return await seedLocked(database, client, { ...opts, writers }, started);
    } catch (e) {
      broken = true;
      throw e;
    } finally {
      if (!broken) await client.query('SELECT pg_advisory_unlock($1)', [SEED_LOCK_KEY]);
    }
  } finally {
    // A connection that failed mid-COPY is dropped (which also releases the lock).
    client.release(broken);
  }
}

async function seedLocked(
  database: Database,
  client: pg.PoolClient,
  opts: SeedOptions,
  started: number,
): Promise<SeedSummary> {
  const ids = await insertReferenceData(client);
  const regions = {
    moscow: await regionSetup(database, 'moscow', opts.now, ids),
    yakutia: await regionSetup(database, 'yakutia', opts.now, ids),
  };
  const counters = await loadCounters(client, opts.accounts);
  const sequences = await sequenceNames(client);
  const firstAccountNumber = counters.nextAccountNumber;
  const planner = new CityPlanner(mixSeed(opts.seed, firstAccountNumber), opts.accounts, regions);
  const samples = new SampleCollector();
  const chunkAccounts = Math.max(1, opts.chunkAccounts ?? DEFAULT_CHUNK_ACCOUNTS);
  const totals: ChunkCounts = {
    houses: 0,
    premises: 0,
    accounts: 0,
    phones: 0,
    meters: 0,
    commonMeters: 0,
    readings: 0,
  };
  const byRegion: Record<RegionCode, number> = { moscow: 0, yakutia: 0 };

  // Pipeline: while chunks are being copied (on `writers` connections, each chunk its own transaction),
  // the next one is generated — yielding often so the sockets keep draining — and its ids are reserved on
  // another pooled connection. PostgreSQL's per-row work (foreign-key checks, indexes) is the bottleneck,
  // so two writers use a second core.
  const writers: pg.PoolClient[] = [client];
  const inflight: (Promise<void> | undefined)[] = [];
  let firstFailure: { error: unknown } | undefined;
  let failed = false;
  try {
    for (let i = 1; i < (opts.writers ?? 1); i++) writers.push(await database.pool.connect());
    let turn = 0;
    while (planner.remaining > 0) {
      if (firstFailure) throw firstFailure.error;
      const drafts: HouseDraft[] = [];
      const need = { house: 0, premises: 0, account: 0, meter: 0 };
      const chunkByRegion: Record<RegionCode, number> = { moscow: 0, yakutia: 0 };
      while (need.account < chunkAccounts) {
        const plan = planner.next();
        if (!plan) break;
        const h = buildHouse(plan, opts.seed, counters);
        drafts.push(h);
        need.house++;
        need.premises += h.premises.length;
        need.account += h.accounts;
        need.meter += h.meters;
        chunkByRegion[h.region.code] += h.accounts;
        if (drafts.length % 16 === 0) await yieldToIo();
      }
      const reserved = await reserveIds(database, sequences, need);
      const renderer = new ChunkRenderer(reserved, samples);
      for (let i = 0; i < drafts.length; i++) {
        renderer.renderHouse(drafts[i]!);
        if (i % 4 === 3) await yieldToIo();
      }
      const w = turn++ % writers.length;
      await inflight[w];
      const done = writeChunk(writers[w]!, renderer.rows).then(() => {
        for (const key of Object.keys(totals) as (keyof ChunkCounts)[]) totals[key] += renderer.counts[key];
        byRegion.moscow += chunkByRegion.moscow;
        byRegion.yakutia += chunkByRegion.yakutia;
        opts.onProgress?.(totals.accounts, opts.accounts);
      });
      // Noted at once so no further chunk starts; awaited on this writer's next turn or below.
      done.catch((error: unknown) => {
        firstFailure ??= { error };
      });
      inflight[w] = done;
    }
    await Promise.all(inflight);
  } catch (e) {
    failed = true;
    await Promise.allSettled(inflight);
    throw e;
  } finally {
    // A connection that failed mid-COPY is dropped rather than reused.
    for (const extra of writers.slice(1)) extra.release(failed);
  }
  await client.query('ANALYZE house, premises, account, account_phone, meter, reading');
  const periodsOf = (r: RegionSetup) => ({
    from: r.calendar.slots[0]?.period ?? '',
    to: r.calendar.slots.at(-1)?.period ?? '',
  });
  return {
    ...totals,
    seed: opts.seed,
    seconds: Math.round((performance.now() - started) / 10) / 100,
    firstAccountNumber: String(firstAccountNumber),
    lastAccountNumber: String(counters.nextAccountNumber - 1),
    accountsByRegion: byRegion,
    periods: { moscow: periodsOf(regions.moscow), yakutia: periodsOf(regions.yakutia) },
    samples: samples.list(),
  };
}

function yieldToIo(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

interface ReferenceIds {
  principal: Map<string, number>;
  managementCompany: Map<string, number>;
}

/** Principals, management companies, tariffs and norms; present rows are left as they are. */
async function insertReferenceData(client: pg.PoolClient): Promise<ReferenceIds> {
  await client.query('BEGIN');
  try {
    await client.query(
      `INSERT INTO principal (code, kind, name, inn, kpp, bank_name, bic, personal_acc, corresp_acc, phone, email, address)
       SELECT code, kind, name, inn, kpp, "bankName", bic, "personalAcc", "correspAcc", phone, email, address
       FROM jsonb_to_recordset($1::jsonb) AS x(code text, kind text, name text, inn text, kpp text, "bankName" text,
            bic text, "personalAcc" text, "correspAcc" text, phone text, email text, address text)
       ON CONFLICT (code) DO NOTHING`,
      [JSON.stringify(data.DEMO_PRINCIPALS)],
    );
    await client.query(
      `INSERT INTO management_company (code, name, inn, phone)
       SELECT code, name, inn, phone FROM jsonb_to_recordset($1::jsonb) AS x(code text, name text, inn text, phone text)
       ON CONFLICT (code) DO NOTHING`,
      [JSON.stringify(data.DEMO_MANAGEMENT_COMPANIES)],
    );
    await client.query(
      `INSERT INTO tariff (region_code, category, meter_type, zone, price_kopecks, effective_from, illustrative, note)
       SELECT region, category, "meterType", zone, "priceKopecks", $2::date, true, 'demo city (abonent seed)'
       FROM jsonb_to_recordset($1::jsonb) AS x(region text, category text, "meterType" text, zone text, "priceKopecks" integer)
       ON CONFLICT DO NOTHING`,
      [JSON.stringify(data.DEMO_TARIFFS), data.DEMO_TARIFFS_FROM],
    );
    await client.query(
      `INSERT INTO norm (region_code, stove_type, rooms, residents, wh_per_person, effective_from, illustrative)
       SELECT region, "stoveType", rooms, residents, "whPerPerson", $2::date, true
       FROM jsonb_to_recordset($1::jsonb) AS x(region text, "stoveType" text, rooms smallint, residents smallint, "whPerPerson" integer)
       ON CONFLICT DO NOTHING`,
      [JSON.stringify(data.DEMO_NORMS), data.DEMO_NORMS_FROM],
    );
    await client.query(
      `INSERT INTO common_norm (region_code, wh_per_m2, effective_from, illustrative)
       SELECT region, "whPerM2", $2::date, true FROM jsonb_to_recordset($1::jsonb) AS x(region text, "whPerM2" integer)
       ON CONFLICT DO NOTHING`,
      [JSON.stringify(data.DEMO_COMMON_NORMS), data.DEMO_NORMS_FROM],
    );
    const principals = await client.query<{ code: string; id: number }>(
      'SELECT code, id FROM principal WHERE code = ANY($1)',
      [data.DEMO_PRINCIPALS.map((p) => p.code)],
    );
    const companies = await client.query<{ code: string; id: number }>(
      'SELECT code, id FROM management_company WHERE code = ANY($1)',
      [data.DEMO_MANAGEMENT_COMPANIES.map((c) => c.code)],
    );
    await client.query('COMMIT');
    return {
      principal: new Map(principals.rows.map((r) => [r.code, r.id])),
      managementCompany: new Map(companies.rows.map((r) => [r.code, r.id])),
    };
  } catch (e) {
    await client.query('ROLLBACK');
    throw e;
  }
}

/** The region's time zone and readings windows (per calendar month, from the `parameter` table). */
async function regionSetup(
  database: Database,
  code: RegionCode,
  now: Date,
  ids: ReferenceIds,
): Promise<RegionSetup> {
  const region = await database.pool.query<{ time_zone: string }>(
    'SELECT time_zone FROM region WHERE code = $1',
    [code],
  );
  const timeZone = region.rows[0]?.time_zone;
  if (!timeZone) throw new Error(`region "${code}" is missing (migrations not applied?)`);
  const windows = new Map<string, ReadingsWindow>();
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth() + 1;
  const months: [number, number][] = [];
  for (let i = -20; i <= 3; i++)
    months.push([y + Math.floor((m - 1 + i) / 12), ((((m - 1 + i) % 12) + 12) % 12) + 1]);
  await Promise.all(
    months.map(async ([year, month]) => {
      const date = `${year}-${String(month).padStart(2, '0')}-01`;
      const values = await loadParameterValues(database.db, code, date);
      const w = values.get('readings_window') as ReadingsWindow | undefined;
      if (!w) throw new Error(`no readings_window parameter in force for ${code} on ${date}`);
      windows.set(`${year}-${month}`, w);
    }),
  );
  const calendar = buildRegionCalendar(timeZone, now, (year, month) => {
    const w = windows.get(`${year}-${month}`);
    if (!w) throw new Error(`readings window for ${code} ${year}-${month} was not loaded`);
    return w;
  });
  const principalId = ids.principal.get(code === 'moscow' ? 'demo-supplier-moscow' : 'demo-supplier-yakutia');
  if (principalId === undefined) throw new Error(`supplier of ${code} is missing`);
  const managementCompanyIds = data.DEMO_MANAGEMENT_COMPANIES.filter((c) => c.region === code).map(
    (c) => ids.managementCompany.get(c.code)!,
  );
  return { code, calendar, principalId, managementCompanyIds, seasonal: SEASONAL[code] };
}

/** Where numbering continues: after the largest 10-digit account number, meter serial number, house code. */
async function loadCounters(client: pg.PoolClient, accounts: number): Promise<SeedCounters> {
  const account = await client.query<{ n: number | null }>(
    `SELECT max(number::bigint) AS n FROM account WHERE number ~ '^[0-9]{10}$'`,
  );
  const nextAccountNumber = Math.max(account.rows[0]?.n ?? 0, 999_999_999) + 1;
  if (nextAccountNumber + accounts - 1 > 9_999_999_999)
    throw new RangeError('10-digit account numbers are exhausted');
  const serial = await client.query<{ n: number | null }>(
    `SELECT max(substring(serial from '([0-9]{1,12})$')::bigint) AS n FROM meter WHERE serial ~ '(^|[^0-9])[0-9]{1,12}$'`,
  );
  const houses = await client.query<{ series: string; n: number }>(
    `SELECT split_part(code, '-', 1) AS series, max(split_part(code, '-', 2)::bigint) AS n
     FROM house WHERE code ~ '^(MSK|MSKO|YKT|YKTU)-[0-9]{1,12}$' GROUP BY 1`,
  );
  const nextHouseNumber: Record<HouseSeries, number> = { MSK: 1, MSKO: 1, YKT: 1, YKTU: 1 };
  for (const r of houses.rows) nextHouseNumber[r.series as HouseSeries] = r.n + 1;
  return { nextAccountNumber, nextSerialNumber: (serial.rows[0]?.n ?? 0) + 1, nextHouseNumber };
}

type Sequences = Record<keyof ChunkIds, string>;

async function sequenceNames(client: pg.PoolClient): Promise<Sequences> {
  const r = await client.query<Sequences>(
    `SELECT pg_get_serial_sequence('house', 'id') AS house, pg_get_serial_sequence('premises', 'id') AS premises,
            pg_get_serial_sequence('account', 'id') AS account, pg_get_serial_sequence('meter', 'id') AS meter`,
  );
  return r.rows[0]!;
}

/** Ids from the identity sequences: unique even with other writers inserting at the same time. */
async function reserveIds(
  database: Database,
  seq: Sequences,
  need: Record<keyof ChunkIds, number>,
): Promise<ChunkIds> {
  const r = await database.pool.query<ChunkIds>(
    `SELECT ARRAY(SELECT nextval($1::regclass) FROM generate_series(1, $2)) AS house,
            ARRAY(SELECT nextval($3::regclass) FROM generate_series(1, $4)) AS premises,
            ARRAY(SELECT nextval($5::regclass) FROM generate_series(1, $6)) AS account,
            ARRAY(SELECT nextval($7::regclass) FROM generate_series(1, $8)) AS meter`,
    [seq.house, need.house, seq.premises, need.premises, seq.account, need.account, seq.meter, need.meter],
  );
  return r.rows[0]!;
}

/** One chunk in one transaction: parents before children, so the foreign keys hold at each COPY's end. */
async function writeChunk(client: pg.PoolClient, rows: Record<CopyTable, string[]>): Promise<void> {
  await client.query('BEGIN');
  try {
    // Losing the last chunks on a server crash is acceptable for demo data; waiting for each flush is not.
    await client.query('SET LOCAL synchronous_commit TO off');
    for (const table of COPY_ORDER) {
      const lines = rows[table];
      if (lines.length === 0) continue;
      await pipeline(
        Readable.from(batches(lines)),
        client.query(copyFrom(`COPY ${table} (${COPY_COLUMNS[table]}) FROM STDIN`)),
      );
    }
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    throw e;
  }
}

function* batches(lines: string[], size = 2_000): Generator<string> {
  for (let i = 0; i < lines.length; i += size) yield lines.slice(i, i + size).join('');
}

let dataChecked = false;
/** COPY text is written without escaping: the static data must hold no tab, newline or backslash. */
function assertCopySafeData(): void {
  if (dataChecked) return;
  const bad = /[\t\n\r\\]/;
  const visit = (v: unknown): void => {
    if (typeof v === 'string') {
      if (bad.test(v))
        throw new Error(`demo data holds a character COPY text would need escaped: ${JSON.stringify(v)}`);
    } else if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object') Object.values(v).forEach(visit);
  };
  Object.values(data).forEach(visit);
  dataChecked = true;
}
