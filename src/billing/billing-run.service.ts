/**
 * The billing run (design principle 5): one run per region and period, split into units by house, leased
 * from PostgreSQL with FOR UPDATE SKIP LOCKED and billed in the same transaction as the lease. Several
 * workers — in this process, in child processes, on other machines — share a run; a worker killed at any
 * moment loses nothing (its transaction rolls back, its units return to the pool); running again bills
 * every account exactly once (one current bill per account and period, enforced by a unique index).
 */
import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { BillDocument } from '../domain/bill-document.ts';
import { billHouse } from '../domain/house-billing.ts';
import { periodDays } from '../domain/period.ts';
import { billMoneyFacts, pendingDebtNotices, postIssuedBills } from '../ledger/index.ts';
import type { Clock } from '../platform/clock.ts';
import { connectionDb, type Database, type Db, type Executor } from '../platform/database.ts';
import {
  type CommonNeedsRow,
  completeUnits,
  insertBills,
  type NewBill,
  replaceCommonNeeds,
  replaceProblems,
  supersedeDrafts,
  type UnitOutcome,
} from './bill-store.repository.ts';
import { type BillingContext, loadBillingContext } from './billing-context.ts';
import { BillingError } from './billing-errors.ts';
import { loadBatchRows } from './billing-facts.repository.ts';
import { endedPeriodToday } from './billing-period.service.ts';
import {
  closedPeriod,
  createRun,
  ensureUnits,
  findRun,
  findRunById,
  issueDrafts,
  leaseUnits,
  markIssued,
  type RunCounts,
  type RunRow,
  repeatRun,
  runCounts,
  unissuedBefore,
} from './billing-run.repository.ts';
import { houseInputs } from './house-input.ts';

/** Validates the period and opens (or finds) the region's run; `repeat` starts the draft run over. */
export async function prepareRun(
  db: Db,
  clock: Clock,
  o: { regionCode: string; period: string; repeat?: boolean },
): Promise<RunRow> {
  await endedPeriodToday(db, clock, o);
  if (!(await closedPeriod(db, o.regionCode, o.period)))
    throw BillingError.periodNotClosed(o.period, o.regionCode);
  const earlier = await unissuedBefore(db, o.regionCode, o.period);
  if (earlier) throw BillingError.earlierNotIssued(earlier, o.regionCode);
  const { firstDay, lastDay } = periodDays(o.period);
  const existing = await findRun(db, o.regionCode, o.period);
  const run = existing ?? (await createRun(db, o.regionCode, o.period));
  await ensureUnits(db, run, firstDay, lastDay);
  if (o.repeat && existing) {
    await repeatRun(db, run.id);
    return (await findRun(db, o.regionCode, o.period)) as RunRow;
  }
  return run;
}

/**
 * A bill version as JSON text and its content digest, from one stringify: the digest covers everything
 * but the formation date and the version (equal content → equal digest, so a repeated run changes
 * nothing); those two are appended to the text.
 */
function documentText(doc: Omit<BillDocument, 'version'>, version: number): { json: string; sha: string } {
  const { formedOn, ...content } = doc;
  const text = JSON.stringify(content);
  const sha = createHash('sha256').update(text).digest('hex');
  return { json: `${text.slice(0, -1)},"formedOn":${JSON.stringify(formedOn)},"version":${version}}`, sha };
}

export interface WorkOptions {
  worker: string;
  /** Accounts per transaction (several small houses go together). */
  batchAccounts?: number;
  /** Called after each committed batch with the accounts it billed. */
  onBatch?: (accounts: number) => void;
  /** Stop after this many batches (tests). */
  maxBatches?: number;
  /** Transactions kept going at once, each on its own connection (default 2). */
  inFlight?: number;
}

/**
 * Bills pending units of the run until none is left; returns the number of accounts it processed. Each
 * worker keeps `inFlight` transactions going on connections of its own (default 2), so its CPU composes
 * one batch while PostgreSQL writes another.
 */
export async function workRun(
  database: Database,
  clock: Clock,
  runId: number,
  options: WorkOptions,
): Promise<number> {
  const run = await sqlRun(database.db, runId);
  const ctx = await loadBillingContext(database.db, run.regionCode, run.period, clock.now());
  const target = options.batchAccounts ?? 400;
  let perHouse = 20;
  let processed = 0;
  let batches = 0;
  let finished = false;
  const loop = async () => {
    const client = await database.pool.connect();
    const db = connectionDb(client);
    try {
      while (!finished) {
        if (options.maxBatches !== undefined && batches >= options.maxBatches) break;
        await client.query('BEGIN');
        try {
          const current = await sqlRun(db, runId);
          const units = await leaseUnits(db, runId, Math.max(1, Math.round(target / perHouse)));
          if (units.length === 0) {
            finished = true;
            await client.query('COMMIT');
            break;
          }
          const accounts = units.reduce((s, u) => s + u.accounts, 0);
          perHouse = Math.max(1, accounts / units.length);
          await billUnits(
            client,
            db,
            ctx,
            current,
            units.map((u) => u.houseId),
            options.worker,
          );
          await client.query('COMMIT');
          processed += accounts;
          batches++;
          options.onBatch?.(accounts);
        } catch (e) {
          await client.query('ROLLBACK').catch(() => {});
          throw e;
        }
      }
    } finally {
      await db.destroy().catch(() => {});
      client.release();
    }
  };
  const inFlight = Math.max(1, options.inFlight ?? 2);
  await Promise.all(Array.from({ length: inFlight }, loop));
  return processed;
}

async function sqlRun(db: Executor, runId: number): Promise<RunRow> {
  const run = await findRunById(db, runId);
  if (!run) throw new Error(`billing run ${runId} not found`);
  return run;
}

/** Bills the leased houses inside the caller's transaction. */
async function billUnits(
  client: pg.PoolClient,
  db: Executor,
  ctx: BillingContext,
  run: RunRow,
  houseIds: number[],
  worker: string,
) {
  const rows = await loadBatchRows(db, {
    period: ctx.period,
    firstDay: ctx.firstDay,
    lastDay: ctx.lastDay,
    timeZone: ctx.timeZone,
    houseIds,
  });
  const latest = new Map(rows.bills.map((b) => [b.accountId, b]));
  const ledger = await billMoneyFacts(db, {
    accountIds: rows.accounts.map((a) => a.id),
    period: ctx.period,
    through: ctx.lastDay,
    rules: ctx.penaltyRules,
  });
  // §11 the debt notice goes on the bill of an account whose case waits for it (docs/debt.md).
  const debtNotices = await pendingDebtNotices(
    db,
    rows.accounts.map((a) => a.id),
    ctx.formedOn,
  );
  const fresh: NewBill[] = [];
  const superseded: number[] = [];
  const problems: Parameters<typeof replaceProblems>[3] = [];
  const outcomes: UnitOutcome[] = [];
  const commonNeeds: CommonNeedsRow[] = [];
  const mcOf = new Map(rows.houses.map((h) => [h.id, h.managementCompanyId]));
  for (const input of houseInputs(ctx, rows, ledger.money, debtNotices)) {
    const houseId = input.house.id;
    const meterOf = new Map(input.accounts.map((a) => [a.facts.accountId, a.meterId]));
    const outcome: UnitOutcome = { houseId, billed: 0, unchanged: 0, problems: 0 };
    outcomes.push(outcome);
    // Accounts already issued for the period are never billed again (the house is still computed whole:
    // its common volume depends on every premises, §7).
    const isIssued = (accountId: number | null) =>
      accountId !== null && latest.get(accountId)?.status === 'issued';
    const result = billHouse(input);
    if (result.commonNeeds) {
      commonNeeds.push({
        houseId,
        managementCompanyId: mcOf.get(houseId) ?? null,
        result: result.commonNeeds,
        managementCompany: result.managementCompany,
      });
    }
    for (const p of result.problems) {
      if (isIssued(p.accountId)) continue;
      problems.push({ ...p, houseId });
      outcome.problems++;
      const prev = p.accountId === null ? undefined : latest.get(p.accountId);
      if (prev?.status === 'draft') superseded.push(prev.id);
    }
    for (const bill of result.bills) {
      if (isIssued(bill.accountId)) {
        outcome.unchanged++;
        continue;
      }
      const prev = latest.get(bill.accountId);
      const version = (prev?.version ?? 0) + 1;
      const { json, sha } = documentText(bill.document, version);
      if (prev && prev.status === 'draft' && prev.contentSha256 === sha) {
        outcome.unchanged++;
        continue;
      }
      if (prev?.status === 'draft') superseded.push(prev.id);
      const measured = bill.document.meters[0]?.current ?? null;
      fresh.push({
        accountId: bill.accountId,
        houseId,
        version,
        contentSha256: sha,
        document: { ...bill.document, version },
        documentJson: json,
        ledgerSnapshot: ledger.snapshot || null,
        volume: {
          ...bill.decision.historyEntry,
          meterId: meterOf.get(bill.accountId) ?? null,
          current: measured
            ? { valuesWh: measured.valuesWh, period: measured.period, readingId: measured.readingId }
            : null,
        },
      });
      outcome.billed++;
    }
  }
  await supersedeDrafts(db, superseded);
  await insertBills(client, run.id, ctx.period, fresh);
  await replaceProblems(db, run.id, houseIds, problems);
  await replaceCommonNeeds(db, run.id, houseIds, commonNeeds);
  await completeUnits(db, run.id, run.generation, worker, outcomes);
}

/** Issues every draft of the run (refused while units are pending, or problems remain unless skipped). */
export async function issueRun(
  db: Db,
  runId: number,
  o: { skipProblems?: boolean; onBatch?: (n: number) => void } = {},
): Promise<{ issued: number; counts: RunCounts }> {
  const run = await sqlRun(db, runId);
  const before = await runCounts(db, runId);
  if (before.unitsDone < before.units) throw BillingError.runNotComplete(run, before);
  if (before.problems > 0 && !o.skipProblems) throw BillingError.runHasProblems(run, before);
  let issued = 0;
  for (;;) {
    // Issuing and posting the charges to the ledger (§9) are one transaction.
    const n = await db.transaction().execute(async (tx) => {
      const ids = await issueDrafts(tx, runId, 5000);
      await postIssuedBills(tx, ids);
      return ids.length;
    });
    if (n === 0) break;
    issued += n;
    o.onBatch?.(n);
  }
  await markIssued(db, runId);
  return { issued, counts: await runCounts(db, runId) };
}

export { type RunCounts, type RunRow, runCounts };
