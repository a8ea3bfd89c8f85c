/**
 * `abonent bill` and POST /billing/runs: for each region, prepare the run, bill its units with one worker
 * in this process or N worker processes (each leasing units from PostgreSQL), report progress with rate
 * and ETA from the run's own counters (so it counts every process's work), and issue when asked.
 */
import type { Clock } from '../platform/clock.ts';
import type { Database } from '../platform/database.ts';
import { BillingError } from './billing-errors.ts';
import { listProblems, type ProblemRow, regionsInScope, runProgress } from './billing-run.repository.ts';
import {
  issueRun,
  prepareRun,
  type RunCounts,
  type RunRow,
  runCounts,
  workRun,
} from './billing-run.service.ts';

export interface BillingProgress {
  regionCode: string;
  period: string;
  runId: number;
  phase: 'billing' | 'issuing' | 'done';
  accounts: number;
  accountsDone: number;
  /** Accounts per second since this command started. */
  rate: number;
  etaSeconds: number | null;
}

export interface BillingJobOptions {
  period: string;
  /** Regions to bill; default every region with houses. */
  regionCodes?: string[] | undefined;
  repeat?: boolean | undefined;
  issue?: boolean | undefined;
  skipProblems?: boolean | undefined;
  /** Worker processes to start (>1), or 1 for this process only. */
  workers?: number | undefined;
  /** Starts one worker process for a run and resolves when it exits (the CLI provides it). */
  spawnWorker?: ((runId: number, index: number) => Promise<void>) | undefined;
  workerName?: string | undefined;
  /** Accounts per transaction of the in-process worker. */
  batchAccounts?: number | undefined;
  /** Transactions the in-process worker keeps going at once (default 2). */
  inFlight?: number | undefined;
  onProgress?: ((p: BillingProgress) => void) | undefined;
  progressEveryMs?: number | undefined;
}

export interface RegionResult {
  regionCode: string;
  period: string;
  run?: RunRow;
  counts?: RunCounts;
  issued?: number;
  seconds?: number;
  problems?: ProblemRow[];
  refused?: { code: string; message: string; messageEn: string };
}

export async function runBilling(
  database: Database,
  clock: Clock,
  o: BillingJobOptions,
): Promise<RegionResult[]> {
  const db = database.db;
  const explicit = o.regionCodes && o.regionCodes.length > 0;
  const regions = await regionsInScope(db, o.regionCodes);
  // Validate every region before billing any: one refused region is reported, the others are billed;
  // with regions named explicitly, a refusal stops the command before anything is written.
  const prepared: { regionCode: string; run?: RunRow; refused?: BillingError }[] = [];
  for (const regionCode of regions) {
    try {
      prepared.push({
        regionCode,
        run: await prepareRun(db, clock, { regionCode, period: o.period, repeat: o.repeat }),
      });
    } catch (e) {
      if (!(e instanceof BillingError) || (explicit && regions.length === 1)) throw e;
      prepared.push({ regionCode, refused: e });
    }
  }
  const results: RegionResult[] = [];
  for (const p of prepared) {
    if (!p.run) {
      const e = p.refused as BillingError;
      results.push({
        regionCode: p.regionCode,
        period: o.period,
        refused: { code: e.code, message: e.message, messageEn: e.messageEn },
      });
      continue;
    }
    results.push(await billRegion(database, clock, p.run, o));
  }
  return results;
}

async function billRegion(
  database: Database,
  clock: Clock,
  run: RunRow,
  o: BillingJobOptions,
): Promise<RegionResult> {
  const db = database.db;
  const started = performance.now();
  const first = await runProgress(db, run.id);
  const report = async (phase: BillingProgress['phase']) => {
    if (!o.onProgress) return;
    const c = await runProgress(db, run.id);
    const seconds = (performance.now() - started) / 1000;
    const rate = (c.accountsDone - first.accountsDone) / Math.max(seconds, 0.001);
    o.onProgress({
      regionCode: run.regionCode,
      period: run.period,
      runId: run.id,
      phase,
      accounts: c.accounts,
      accountsDone: c.accountsDone,
      rate,
      etaSeconds: rate > 0 ? (c.accounts - c.accountsDone) / rate : null,
    });
  };
  const timer = o.onProgress
    ? setInterval(() => void report('billing').catch(() => {}), o.progressEveryMs ?? 500)
    : undefined;
  try {
    await report('billing');
    const spawn = o.spawnWorker;
    const workers = spawn ? Math.max(1, o.workers ?? 1) : 1;
    const here = () =>
      workRun(database, clock, run.id, {
        worker: o.workerName ?? `pid-${process.pid}`,
        ...(o.batchAccounts ? { batchAccounts: o.batchAccounts } : {}),
        // Several workers: one transaction each unless told otherwise (measured fastest, docs/billing.md).
        inFlight: o.inFlight ?? (workers > 1 ? 1 : 2),
      });
    // N workers: this process and N − 1 others, all leasing units from the same run.
    const others =
      workers > 1 && spawn ? Array.from({ length: workers - 1 }, (_, i) => spawn(run.id, i)) : [];
    await Promise.all([here(), ...others]);
  } finally {
    if (timer) clearInterval(timer);
  }
  await report('billing');
  const seconds = (performance.now() - started) / 1000;
  let issued: number | undefined;
  if (o.issue) {
    await report('issuing');
    issued = (await issueRun(db, run.id, { skipProblems: o.skipProblems })).issued;
  }
  await report('done');
  return {
    regionCode: run.regionCode,
    period: run.period,
    run,
    counts: await runCounts(db, run.id),
    ...(issued !== undefined ? { issued } : {}),
    seconds,
    problems: await listProblems(db, run.id, 200),
  };
}
