import { sql } from 'kysely';
import {
  closePeriod,
  issueRun,
  type RegionResult,
  regionsWithHouses,
  runBilling,
} from '../src/billing/index.ts';
import { spawnCli } from '../src/cli/spawn-cli.ts';
import { periodDays } from '../src/domain/period.ts';
import { fixedClock } from '../src/platform/clock.ts';
import type { Db } from '../src/platform/database.ts';
import { seedDemoCity } from '../src/registry/seed.service.ts';
import type { Bench, BenchContext } from './harness.ts';
import { timed } from './harness.ts';

/**
 * Accounts billed per second by the billing run (domain.md §5–§8) on the demo city, against a raw
 * set-based baseline measured in the same run on the same server and data.
 *
 * `npm run bench -- billing --accounts=N` (or BILLING_BENCH_ACCOUNTS=N; default 100,000).
 * (`--accounts N` with a space makes bench/run.ts read N as a bench name: use `=`.)
 *
 * 1. Seeds the demo city (N accounts, ~12 months of readings) with the clock at 2026-11-22 and closes
 *    2026-09 and 2026-10 in every region with houses. 2026-09 is billed (1 worker) and issued, untimed,
 *    so that 2026-10 reads a real history of billed volumes, as a production run does.
 * 2. Baseline: ONE `INSERT … SELECT` into a normal (logged, primary-keyed) table: per account with a
 *    regular reading billed in 2026-10, (latest current − previous actual, or the commissioning values) per
 *    zone register × the tariff of the zone (zone_names parameter) for the account's category and meter
 *    type in force on the period's last day, rounded half up to kopecks, summed to one row per account.
 *    Accounts without a reading (norm/average volumes) are skipped by it; volume ranges, tariff changes in
 *    the period, replacements, common needs and the bill document are not done by it.
 * 3. The full billing run of 2026-10 (`runBilling`, every region) with 1 worker in this process, timed.
 * 4. Fair 2-worker measurement: the 2026-10 run is removed again — its bills, volumes, problems, house
 *    results, units and run rows (bill triggers forbid DELETE, so the bench's own scratch database does it
 *    with session_replication_role = replica) — and the tables are VACUUMed, so the second run starts
 *    from the same data and the same (issued 2026-09) history as the first: same period, same accounts,
 *    same work. Then `runBilling` with 2 workers — this process and one `abonent bill-worker` child
 *    process, as `abonent bill --workers 2` runs them (the child's start, ~1.3 s per region, included) —
 *    timed; its bills are checked against the 1-worker run's. On a 2-core machine one worker (two
 *    transactions in flight: JS on one core, PostgreSQL on the other) already keeps both cores busy, so
 * 5. the same reset-and-rerun measures the lease's own scaling with CPU to spare: 1 process with one
 *    transaction at a time against 2 such processes.
 * Before each timed step: VACUUM ANALYZE of the billing tables and a CHECKPOINT, so neither side pays
 * for the other's dirty pages or dead rows.
 *
 * Rates are accounts/s with ONE denominator for every side: the accounts the 1-worker run processed
 * (sum of its units' accounts, every account in scope for 2026-10, billed or reported as a problem).
 */
const PERIOD = '2026-10';
const HISTORY_PERIOD = '2026-09';
const CLOCK = '2026-11-22T09:00:00Z';
const BILLING_TABLES = 'bill, bill_volume, billing_unit, billing_problem, common_needs_result, billing_run';

function accountsArg(): number {
  const argv = process.argv;
  const eq = argv.find((a) => a.startsWith('--accounts='));
  const i = argv.indexOf('--accounts');
  const text =
    eq?.slice('--accounts='.length) ??
    (i >= 0 ? argv[i + 1] : undefined) ??
    process.env.BILLING_BENCH_ACCOUNTS;
  const n = Number(text ?? 100_000);
  if (!Number.isInteger(n) || n < 1) throw new Error('--accounts must be a positive integer');
  return n;
}

const fmt = (n: number) => Math.round(n).toLocaleString('en');

async function prepareForTiming(db: Db): Promise<void> {
  await sql.raw(`VACUUM ANALYZE ${BILLING_TABLES}`).execute(db);
  await sql`CHECKPOINT`.execute(db);
}

function summarise(results: RegionResult[]) {
  const s = { accounts: 0, billed: 0, unchanged: 0, problems: 0 };
  for (const r of results) {
    if (r.refused)
      throw new Error(`${r.regionCode} ${r.period} refused: ${r.refused.code} ${r.refused.messageEn}`);
    s.accounts += r.counts?.accountsDone ?? 0;
    s.billed += r.counts?.billed ?? 0;
    s.unchanged += r.counts?.unchanged ?? 0;
    s.problems += r.counts?.problems ?? 0;
  }
  return s;
}

/** A digest of the period's current bills, to check that two runs billed the same. */
async function billsDigest(db: Db, period: string): Promise<string> {
  const r = await sql<{ d: string }>`
    SELECT count(*) || '/' || coalesce(sum(amount_due_kopecks), 0) || '/' ||
           coalesce(md5(string_agg(account_id || ':' || content_sha256, ',' ORDER BY account_id)), '') AS d
    FROM bill WHERE period = ${period} AND status <> 'superseded'`.execute(db);
  return r.rows[0]?.d ?? '';
}

function progress(log: (l: string) => void, label: string) {
  let next = 0.1;
  return (p: { regionCode: string; accounts: number; accountsDone: number; rate: number; phase: string }) => {
    const share = p.accounts === 0 ? 1 : p.accountsDone / p.accounts;
    if (share + 1e-9 < next && p.phase === 'billing') return;
    next = Math.floor(share * 10) / 10 + 0.1;
    log(
      `  ${label} ${p.regionCode}: ${fmt(p.accountsDone)}/${fmt(p.accounts)} accounts, ${fmt(p.rate)}/s (${p.phase})`,
    );
    if (p.phase === 'done') next = 0.1;
  };
}

async function closePeriods(ctx: BenchContext, clock: ReturnType<typeof fixedClock>): Promise<string[]> {
  const regions = (await regionsWithHouses(ctx.database.db)).map((r) => r.code);
  for (const period of [HISTORY_PERIOD, PERIOD]) {
    for (const regionCode of regions) await closePeriod(ctx.database.db, clock, { regionCode, period });
  }
  ctx.log(`closed ${HISTORY_PERIOD} and ${PERIOD} in ${regions.join(', ')}`);
  return regions;
}

/** The baseline: one set-based INSERT … SELECT of single-period zone charges. Returns rows written. */
async function baselineInsert(db: Db): Promise<number> {
  const { firstDay, lastDay } = periodDays(PERIOD);
  const r = await sql`
    INSERT INTO bench_charge (account_id, period, volume_wh, amount_kopecks)
    WITH zn AS (
      SELECT r.code AS region_code,
             (SELECT p.value FROM parameter p
              WHERE p.key = 'zone_names' AND (p.region_code = r.code OR p.region_code IS NULL)
                AND p.effective_from <= ${firstDay}::date
              ORDER BY (p.region_code IS NULL), p.effective_from DESC LIMIT 1) AS names
      FROM region r
    ), price AS (
      SELECT DISTINCT ON (region_code, category, meter_type, zone) region_code, category, meter_type, zone,
             price_kopecks
      FROM tariff WHERE effective_from <= ${lastDay}::date AND range_from_kwh = 0
      ORDER BY region_code, category, meter_type, zone, effective_from DESC
    ), cur AS (
      SELECT DISTINCT ON (meter_id) meter_id, values_wh
      FROM reading WHERE billed_in_period = ${PERIOD} AND status = 'accepted' AND kind = 'regular'
      ORDER BY meter_id, id DESC
    ), prev AS (
      SELECT DISTINCT ON (meter_id) meter_id, values_wh
      FROM reading WHERE billed_in_period < ${PERIOD} AND status = 'accepted' AND kind IN ('regular', 'control')
      ORDER BY meter_id, billed_in_period DESC, period DESC, id DESC
    ), line AS (
      SELECT a.id AS account_id, z.ord,
             c.values_wh[z.ord] - (coalesce(pv.values_wh, m.initial_values_wh))[z.ord] AS wh,
             pr.price_kopecks
      FROM cur c
      JOIN meter m ON m.id = c.meter_id AND m.kind = 'individual'
                  AND (m.removed_on IS NULL OR m.removed_on > ${lastDay}::date)
      JOIN account a ON a.id = m.account_id AND a.start_date <= ${lastDay}::date
                    AND (a.end_date IS NULL OR a.end_date >= ${firstDay}::date)
      JOIN premises p ON p.id = a.premises_id
      JOIN house h ON h.id = p.house_id
      JOIN zn ON zn.region_code = h.region_code
      LEFT JOIN prev pv ON pv.meter_id = c.meter_id
      CROSS JOIN LATERAL jsonb_array_elements_text(zn.names -> m.zones::text) WITH ORDINALITY AS z(zone, ord)
      JOIN price pr ON pr.region_code = h.region_code AND pr.category = a.tariff_category
                   AND pr.meter_type = (CASE m.zones WHEN 1 THEN 'single' WHEN 2 THEN 'two_zone' ELSE 'three_zone' END)
                   AND pr.zone = z.zone
    )
    SELECT account_id, ${PERIOD}, sum(wh), sum(round(wh * price_kopecks / 1000.0))::int8
    FROM line GROUP BY account_id`.execute(db);
  return Number(r.numAffectedRows ?? 0);
}

export default (async (ctx) => {
  const accounts = accountsArg();
  const { db } = ctx.database;
  // One fixed clock for this process and the worker processes it starts (they read ABONENT_CLOCK).
  process.env.ABONENT_CLOCK = process.env.ABONENT_CLOCK || CLOCK;
  const clock = fixedClock(process.env.ABONENT_CLOCK);
  ctx.log(`billing: ${fmt(accounts)} accounts, period ${PERIOD}, clock ${process.env.ABONENT_CLOCK}`);

  // 1. The city.
  let nextLog = 0.1;
  const t0 = performance.now();
  const seed = await seedDemoCity(ctx.database, {
    accounts,
    seed: 1,
    now: clock.now(),
    onProgress: (done, total) => {
      if (done / total + 1e-9 < nextLog && done < total) return;
      nextLog = Math.floor((done / total) * 10) / 10 + 0.1;
      const s = (performance.now() - t0) / 1000;
      ctx.log(`  seed: ${fmt(done)}/${fmt(total)} accounts, ${s.toFixed(1)} s`);
    },
  });
  ctx.log(
    `seed: ${fmt(seed.accounts)} accounts, ${fmt(seed.houses)} houses, ${fmt(seed.meters)} meters, ${fmt(seed.readings)} readings in ${seed.seconds.toFixed(1)} s`,
  );
  await closePeriods(ctx, clock);

  // History: 2026-09 billed and issued (untimed), so 2026-10 averages and true-ups read real volumes.
  const historySeconds = await timed(async () => {
    summarise(
      await runBilling(ctx.database, clock, {
        period: HISTORY_PERIOD,
        workers: 1,
        onProgress: progress(ctx.log, HISTORY_PERIOD),
        progressEveryMs: 10_000,
      }),
    );
    const runs = await sql<{
      id: number;
    }>`SELECT id FROM billing_run WHERE period = ${HISTORY_PERIOD}`.execute(db);
    for (const r of runs.rows) await issueRun(db, r.id, { skipProblems: true });
  });
  ctx.log(`history: ${HISTORY_PERIOD} billed and issued in ${historySeconds.toFixed(1)} s (untimed)`);
  // The state of a maintained database: every table vacuumed and analysed (unanalysed reference tables —
  // tariff, region, parameter — otherwise lead the planner into nested loops that cost the baseline 40×).
  await sql`VACUUM ANALYZE`.execute(db);

  // 2. Baseline.
  await sql`CREATE TABLE bench_charge (account_id bigint PRIMARY KEY, period text NOT NULL,
            volume_wh bigint NOT NULL, amount_kopecks bigint NOT NULL)`.execute(db);
  await prepareForTiming(db);
  let baselineRows = 0;
  const baselineSeconds = await timed(async () => {
    baselineRows = await baselineInsert(db);
  });

  // 3. Full run, 1 worker.
  await prepareForTiming(db);
  let one = summarise([]);
  const oneSeconds = await timed(async () => {
    one = summarise(
      await runBilling(ctx.database, clock, {
        period: PERIOD,
        workers: 1,
        onProgress: progress(ctx.log, '1 worker'),
        progressEveryMs: 10_000,
      }),
    );
  });
  const n = one.accounts;
  const baseline = n / baselineSeconds;
  const value = n / oneSeconds;
  ctx.log(
    `baseline: one INSERT … SELECT, ${fmt(baselineRows)} account charges (accounts with a regular reading; ` +
      `${fmt(n - baselineRows)} without one skipped) in ${baselineSeconds.toFixed(2)} s = ${fmt(baseline)} accounts/s ` +
      `(denominator ${fmt(n)}: the accounts the billing run processed)`,
  );
  const agree = await sql<{ same: number; compared: number }>`
    SELECT count(*) FILTER (WHERE (b.document::jsonb -> 'totals' ->> 'consumptionKopecks')::int8 = c.amount_kopecks)::int AS same,
           count(*)::int AS compared
    FROM bench_charge c JOIN bill b ON b.account_id = c.account_id AND b.period = ${PERIOD} AND b.status = 'draft'`.execute(
    db,
  );
  const a = agree.rows[0] ?? { same: 0, compared: 0 };
  ctx.log(
    `  baseline amount = the bill's consumption charge for ${fmt(a.same)}/${fmt(a.compared)} accounts billed by both (the rest: true-ups after estimated periods, §6.4)`,
  );
  ctx.log(
    `full run, 1 worker: ${fmt(n)} accounts (${fmt(one.billed)} bills, ${fmt(one.problems)} problems) in ${oneSeconds.toFixed(2)} s = ${fmt(value)} accounts/s`,
  );
  const ratio = value / baseline;
  ctx.log(`  ratio full/baseline: ${ratio.toFixed(3)} (target ≥ 0.25)`);

  // 4. Same period again from the same state, 2 worker processes.
  const digestOne = await billsDigest(db, PERIOD);
  const again = async (label: string, workers: number, inFlight: number): Promise<number> => {
    await db.transaction().execute(async (tx) => {
      await sql`SET LOCAL session_replication_role = replica`.execute(tx);
      const runs = sql`(SELECT id FROM billing_run WHERE period = ${PERIOD})`;
      await sql`DELETE FROM bill_volume WHERE bill_id IN (SELECT id FROM bill WHERE run_id IN ${runs})`.execute(
        tx,
      );
      await sql`DELETE FROM bill WHERE run_id IN ${runs}`.execute(tx);
      await sql`DELETE FROM billing_problem WHERE run_id IN ${runs}`.execute(tx);
      await sql`DELETE FROM common_needs_result WHERE run_id IN ${runs}`.execute(tx);
      await sql`DELETE FROM billing_unit WHERE run_id IN ${runs}`.execute(tx);
      await sql`DELETE FROM billing_run WHERE id IN ${runs}`.execute(tx);
    });
    await prepareForTiming(db);
    let r = summarise([]);
    const seconds = await timed(async () => {
      r = summarise(
        await runBilling(ctx.database, clock, {
          period: PERIOD,
          workers,
          inFlight,
          spawnWorker: (runId) =>
            spawnCli(['bill-worker', '--run', String(runId), '--in-flight', String(inFlight)], ctx.url),
          onProgress: progress(ctx.log, label),
          progressEveryMs: 10_000,
        }),
      );
    });
    const digest = await billsDigest(db, PERIOD);
    if (r.accounts !== n || digest !== digestOne)
      throw new Error(`${label} billed differently: ${r.accounts} accounts ${digest} vs ${n} ${digestOne}`);
    const rate = n / seconds;
    ctx.log(
      `full run, ${label}: ${fmt(n)} accounts in ${seconds.toFixed(2)} s = ${fmt(rate)} accounts/s; same bills as 1 worker`,
    );
    return rate;
  };
  // `abonent bill --workers 2` defaults: one transaction in flight per worker (two with a single worker).
  const workers2 = await again('2 workers (this process + 1 bill-worker process, 1 transaction each)', 2, 1);
  const speedup = workers2 / value;
  ctx.log(`  speedup over 1 worker: ${speedup.toFixed(2)}× (target ≥ 1.25×)`);
  // The lease's own scaling: one transaction at a time, 1 process against 2, and 2 processes × 2 in flight.
  const serial1 = await again('1 worker, 1 transaction at a time', 1, 1);
  const serial2 = workers2;
  ctx.log(`  speedup with 1 transaction in flight per worker: ${(serial2 / serial1).toFixed(2)}×`);
  const wide = await again('2 workers, 2 transactions in flight each', 2, 2);
  ctx.log(`  2 workers × 2 in flight: ${fmt(wide)} accounts/s (${(wide / value).toFixed(2)}× 1 worker)`);
  const twoSeconds = n / workers2;
  return {
    bench: 'billing',
    unit: 'accounts/s',
    value: Math.round(value),
    baseline: Math.round(baseline),
    ratio: Math.round(ratio * 1000) / 1000,
    workers2: Math.round(workers2),
    speedup: Math.round(speedup * 100) / 100,
    serial1: Math.round(serial1),
    serial2: Math.round(serial2),
    serialSpeedup: Math.round((serial2 / serial1) * 100) / 100,
    workers2x2: Math.round(wide),
    accounts: n,
    baselineAccounts: baselineRows,
    seconds: {
      seed: seed.seconds,
      baseline: Math.round(baselineSeconds * 100) / 100,
      worker1: Math.round(oneSeconds * 100) / 100,
      workers2: Math.round(twoSeconds * 100) / 100,
    },
  };
}) satisfies Bench;
