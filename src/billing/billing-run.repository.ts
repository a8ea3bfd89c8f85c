import { sql } from 'kysely';
import type { Executor } from '../platform/database.ts';

export interface RunRow {
  id: number;
  regionCode: string;
  period: string;
  generation: number;
  createdAt: Date;
  repeatedAt: Date | null;
  issuedAt: Date | null;
}

const runColumns = sql`id, region_code AS "regionCode", period, generation, created_at AS "createdAt",
  repeated_at AS "repeatedAt", issued_at AS "issuedAt"`;

export async function findRun(db: Executor, region: string, period: string): Promise<RunRow | undefined> {
  const r =
    await sql<RunRow>`SELECT ${runColumns} FROM billing_run WHERE region_code = ${region} AND period = ${period}`.execute(
      db,
    );
  return r.rows[0];
}

export async function findRunById(db: Executor, id: number): Promise<RunRow | undefined> {
  const r = await sql<RunRow>`SELECT ${runColumns} FROM billing_run WHERE id = ${id}`.execute(db);
  return r.rows[0];
}

export async function listRuns(db: Executor, period?: string): Promise<RunRow[]> {
  const r = await sql<RunRow>`SELECT ${runColumns} FROM billing_run
    WHERE ${period === undefined ? sql`true` : sql`period = ${period}`} ORDER BY period DESC, region_code`.execute(
    db,
  );
  return r.rows;
}

/** Creates the run once; concurrent starters get the same row. */
export async function createRun(db: Executor, region: string, period: string): Promise<RunRow> {
  await sql`INSERT INTO billing_run (region_code, period) VALUES (${region}, ${period})
            ON CONFLICT (region_code, period) DO NOTHING`.execute(db);
  const run = await findRun(db, region, period);
  if (!run) throw new Error('billing run vanished');
  return run;
}

/** One unit per house of the region that has accounts in the period; houses added later join on resume. */
export async function ensureUnits(
  db: Executor,
  run: RunRow,
  firstDay: string,
  lastDay: string,
): Promise<void> {
  await sql`
    INSERT INTO billing_unit (run_id, house_id, accounts)
    SELECT ${run.id}, h.id, count(a.id)
    FROM house h JOIN premises p ON p.house_id = h.id JOIN account a ON a.premises_id = p.id
    WHERE h.region_code = ${run.regionCode} AND a.start_date <= ${lastDay}::date
      AND (a.end_date IS NULL OR a.end_date >= ${firstDay}::date)
    GROUP BY h.id
    ON CONFLICT (run_id, house_id) DO NOTHING`.execute(db);
}

/** A repeat of the draft run: every unit is billed again (unchanged bills stay as they are). */
export async function repeatRun(db: Executor, runId: number): Promise<void> {
  await sql`UPDATE billing_run SET generation = generation + 1, repeated_at = now(), issued_at = NULL
            WHERE id = ${runId}`.execute(db);
  await sql`UPDATE billing_unit SET status = 'pending' WHERE run_id = ${runId}`.execute(db);
}

export interface LeasedUnit {
  houseId: number;
  accounts: number;
}

/**
 * Locks up to `limit` pending units for the calling transaction. SKIP LOCKED lets other workers, in this
 * process or any other, take the next ones; a worker that dies releases its lock with its connection.
 */
export async function leaseUnits(db: Executor, runId: number, limit: number): Promise<LeasedUnit[]> {
  const r = await sql<LeasedUnit>`
    SELECT house_id AS "houseId", accounts FROM billing_unit
    WHERE run_id = ${runId} AND status = 'pending'
    ORDER BY house_id
    FOR UPDATE SKIP LOCKED
    LIMIT ${limit}`.execute(db);
  return r.rows;
}

export interface RunCounts {
  units: number;
  unitsDone: number;
  accounts: number;
  accountsDone: number;
  billed: number;
  unchanged: number;
  problems: number;
  drafts: number;
  issued: number;
}

export async function runCounts(db: Executor, runId: number): Promise<RunCounts> {
  const r = await sql<RunCounts>`
    SELECT count(*)::int AS units, count(*) FILTER (WHERE status = 'done')::int AS "unitsDone",
           coalesce(sum(accounts), 0)::int AS accounts,
           coalesce(sum(accounts) FILTER (WHERE status = 'done'), 0)::int AS "accountsDone",
           coalesce(sum(billed) FILTER (WHERE status = 'done'), 0)::int AS billed,
           coalesce(sum(unchanged) FILTER (WHERE status = 'done'), 0)::int AS unchanged,
           (SELECT count(*)::int FROM billing_problem WHERE run_id = ${runId}) AS problems,
           (SELECT count(*)::int FROM bill WHERE run_id = ${runId} AND status = 'draft') AS drafts,
           (SELECT count(*)::int FROM bill WHERE run_id = ${runId} AND status = 'issued') AS issued
    FROM billing_unit WHERE run_id = ${runId}`.execute(db);
  return r.rows[0] as RunCounts;
}

/** Accounts in the run and accounts done: the progress bar's query, from the units alone (cheap). */
export async function runProgress(
  db: Executor,
  runId: number,
): Promise<{ accounts: number; accountsDone: number }> {
  const r = await sql<{ accounts: number; accountsDone: number }>`
    SELECT coalesce(sum(accounts), 0)::int AS accounts,
           coalesce(sum(accounts) FILTER (WHERE status = 'done'), 0)::int AS "accountsDone"
    FROM billing_unit WHERE run_id = ${runId}`.execute(db);
  return r.rows[0] ?? { accounts: 0, accountsDone: 0 };
}

export interface ProblemRow {
  houseId: number;
  accountId: number | null;
  accountNumber: string | null;
  code: string;
  message: string;
}

export async function listProblems(db: Executor, runId: number, limit = 1000): Promise<ProblemRow[]> {
  const r = await sql<ProblemRow>`
    SELECT bp.house_id AS "houseId", bp.account_id AS "accountId", a.number AS "accountNumber", bp.code, bp.message
    FROM billing_problem bp LEFT JOIN account a ON a.id = bp.account_id
    WHERE bp.run_id = ${runId} ORDER BY bp.house_id, a.number LIMIT ${limit}`.execute(db);
  return r.rows;
}

/** Issues up to `limit` drafts of the run; returns how many. Called until it returns 0 (resumable). */
export async function issueDrafts(db: Executor, runId: number, limit: number): Promise<number[]> {
  const r = await sql<{ id: number }>`
    UPDATE bill SET status = 'issued', issued_at = now()
    WHERE id IN (SELECT id FROM bill WHERE run_id = ${runId} AND status = 'draft' ORDER BY id LIMIT ${limit}
                 FOR UPDATE SKIP LOCKED)
    RETURNING id`.execute(db);
  return r.rows.map((x) => x.id);
}

export async function markIssued(db: Executor, runId: number): Promise<void> {
  await sql`UPDATE billing_run SET issued_at = now() WHERE id = ${runId}`.execute(db);
}

export async function closedPeriod(db: Executor, region: string, period: string): Promise<boolean> {
  const r =
    await sql`SELECT 1 FROM billing_period WHERE region_code = ${region} AND period = ${period}`.execute(db);
  return r.rows.length > 0;
}

export async function lastClosedPeriod(db: Executor, region: string): Promise<string | null> {
  const r = await sql<{ period: string | null }>`
    SELECT max(period)::text AS period FROM billing_period WHERE region_code = ${region}`.execute(db);
  return r.rows[0]?.period ?? null;
}

export async function insertClosedPeriod(db: Executor, region: string, period: string): Promise<void> {
  await sql`INSERT INTO billing_period (region_code, period, closed_at) VALUES (${region}, ${period}, now())
            ON CONFLICT DO NOTHING`.execute(db);
}

export async function regionsWithHouses(db: Executor): Promise<{ code: string; timeZone: string }[]> {
  const r = await sql<{ code: string; timeZone: string }>`
    SELECT r.code, r.time_zone AS "timeZone" FROM region r
    WHERE EXISTS (SELECT 1 FROM house h WHERE h.region_code = r.code) ORDER BY r.code`.execute(db);
  return r.rows;
}

/** The regions a command names, or — naming none — every region with houses. */
export async function regionsInScope(db: Executor, regionCodes?: readonly string[]): Promise<string[]> {
  if (regionCodes && regionCodes.length > 0) return [...regionCodes];
  return (await regionsWithHouses(db)).map((r) => r.code);
}

/** Drafts of an earlier period's run still waiting to be issued (their volumes are not history yet). */
export async function unissuedBefore(db: Executor, region: string, period: string): Promise<string | null> {
  const r = await sql<{ period: string }>`
    SELECT r.period FROM billing_run r
    WHERE r.region_code = ${region} AND r.period < ${period}
      AND EXISTS (SELECT 1 FROM bill b WHERE b.run_id = r.id AND b.status = 'draft')
    ORDER BY r.period LIMIT 1`.execute(db);
  return r.rows[0]?.period ?? null;
}
