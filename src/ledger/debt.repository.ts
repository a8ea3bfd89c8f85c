import { sql } from 'kysely';
import type { SingleRateRange } from '../domain/debt-eligibility.ts';
import type { DebtCase, DebtCaseState } from '../domain/restriction-workflow.ts';
import type { Executor } from '../platform/database.ts';

/** The SQL of §11: candidates, the facts eligibility needs, cases and their audit trail. */

/**
 * Accounts the daily job looks at, by keyset on the account id: a positive cached balance (the cache is
 * re-derived by `abonent ledger check`; the debt itself is derived from the entries) or a current case.
 */
export async function debtCandidates(db: Executor, afterId: number, limit: number): Promise<number[]> {
  const r = await sql<{ id: number }>`
    SELECT id FROM (
      (SELECT account_id AS id FROM ledger_balance
       WHERE receivable_kopecks > 0 AND account_id > ${afterId} ORDER BY account_id LIMIT ${limit})
      UNION
      (SELECT account_id AS id FROM debt_case
       WHERE current AND account_id > ${afterId} ORDER BY account_id LIMIT ${limit})
    ) c ORDER BY id LIMIT ${limit}`.execute(db);
  return r.rows.map((x) => x.id);
}

export interface AccountRow {
  accountId: number;
  number: string;
  status: string;
  payerName: string;
  address: string;
  regionCode: string;
  principalId: number;
  stoveType: string;
  rooms: number;
  residents: number;
  category: string;
  /** The account's active smart meter, if any: steps become remote commands. */
  smartMeterId: number | null;
}

export async function accountRows(db: Executor, ids: number[]): Promise<AccountRow[]> {
  if (ids.length === 0) return [];
  const r = await sql<AccountRow>`
    SELECT a.id AS "accountId", a.number, a.status, a.payer_name AS "payerName",
           h.address || ', кв. ' || p.number AS address, h.region_code AS "regionCode",
           a.principal_id AS "principalId", h.stove_type AS "stoveType", p.rooms, p.residents,
           a.tariff_category AS category,
           (SELECT m.id FROM meter m WHERE m.account_id = a.id AND m.smart AND m.status = 'active'
            ORDER BY m.id DESC LIMIT 1) AS "smartMeterId"
    FROM account a JOIN premises p ON p.id = a.premises_id JOIN house h ON h.id = p.house_id
    WHERE a.id = ANY(${ids}::bigint[])
    ORDER BY a.id`.execute(db);
  return r.rows;
}

export async function accountIdByNumber(db: Executor, number: string): Promise<number | undefined> {
  const r = await sql<{ id: number }>`SELECT id FROM account WHERE number = ${number}`.execute(db);
  return r.rows[0]?.id;
}

/** The single-rate schedules (§6.3) in force on a date in a region, per tariff category. */
export async function singleRateSchedules(
  db: Executor,
  regionCode: string,
  date: string,
): Promise<Map<string, SingleRateRange[]>> {
  const r = await sql<SingleRateRange & { category: string }>`
    SELECT t.category, t.range_from_kwh AS "rangeFromKwh", t.range_to_kwh AS "rangeToKwh",
           t.price_kopecks AS "priceKopecks"
    FROM tariff t
    WHERE t.region_code = ${regionCode} AND t.meter_type = 'single' AND t.zone = 'single'
      AND t.effective_from = (
        SELECT max(x.effective_from) FROM tariff x
        WHERE x.region_code = t.region_code AND x.category = t.category AND x.meter_type = 'single'
          AND x.zone = 'single' AND x.effective_from <= ${date}::date)
    ORDER BY t.category, t.range_from_kwh`.execute(db);
  const out = new Map<string, SingleRateRange[]>();
  for (const { category, ...range } of r.rows) {
    const list = out.get(category);
    if (list) list.push(range);
    else out.set(category, [range]);
  }
  return out;
}

export interface CaseRow extends DebtCase {
  id: number;
  accountId: number;
  overdueKopecks: number;
  thresholdKopecks: number;
  restrictionPossible: boolean;
}

const CASE_COLUMNS = sql`
  c.id, c.account_id AS "accountId", c.state, c.opened_on AS "openedOn",
  c.overdue_kopecks AS "overdueKopecks", c.threshold_kopecks AS "thresholdKopecks",
  c.notice_delivered_on AS "noticeDeliveredOn", c.notice_channel AS "noticeChannel",
  c.restrict_from AS "restrictFrom", c.suspend_from AS "suspendFrom", c.restricted_on AS "restrictedOn",
  c.suspended_on AS "suspendedOn", c.reconnect_by AS "reconnectBy", c.ended_on AS "endedOn",
  c.restriction_possible AS "restrictionPossible"`;

export async function currentCases(db: Executor, accountIds: number[]): Promise<CaseRow[]> {
  if (accountIds.length === 0) return [];
  const r = await sql<CaseRow>`
    SELECT ${CASE_COLUMNS} FROM debt_case c
    WHERE c.account_id = ANY(${accountIds}::bigint[]) AND c.current`.execute(db);
  return r.rows;
}

/** Locks a case row for a transition (serialises the job, operators and payments on one case). */
export async function lockCase(tx: Executor, caseId: number): Promise<CaseRow | undefined> {
  const r =
    await sql<CaseRow>`SELECT ${CASE_COLUMNS} FROM debt_case c WHERE c.id = ${caseId} FOR UPDATE`.execute(tx);
  return r.rows[0];
}

/** Locks the current case of an account, if any. */
export async function lockCurrentCase(tx: Executor, accountId: number): Promise<CaseRow | undefined> {
  const r = await sql<CaseRow>`
    SELECT ${CASE_COLUMNS} FROM debt_case c WHERE c.account_id = ${accountId} AND c.current FOR UPDATE`.execute(
    tx,
  );
  return r.rows[0];
}

export interface NewCase {
  accountId: number;
  overdueKopecks: number;
  thresholdKopecks: number;
}

/**
 * Opens cases for eligible accounts in one statement with their 'opened' events. An account that already
 * has a current case is skipped (the partial unique index), so a repeat or a concurrent run opens nothing
 * twice. Returns the accounts opened.
 */
export async function insertCases(
  tx: Executor,
  cases: NewCase[],
  o: { date: string; actor: string; details: unknown },
): Promise<number[]> {
  if (cases.length === 0) return [];
  const r = await sql<{ accountId: number }>`
    WITH c AS (
      INSERT INTO debt_case (account_id, opened_on, state, overdue_kopecks, threshold_kopecks)
      SELECT x.account_id, ${o.date}::date, 'notice_pending', x.overdue, x.threshold
      FROM unnest(${cases.map((c) => c.accountId)}::bigint[], ${cases.map((c) => c.overdueKopecks)}::bigint[],
                  ${cases.map((c) => c.thresholdKopecks)}::bigint[]) AS x(account_id, overdue, threshold)
      ORDER BY x.account_id
      ON CONFLICT (account_id) WHERE current DO NOTHING
      RETURNING id, account_id, overdue_kopecks, threshold_kopecks),
    e AS (
      INSERT INTO debt_case_event (case_id, on_date, from_state, to_state, event, actor, details)
      SELECT c.id, ${o.date}::date, NULL, 'notice_pending', 'opened', ${o.actor},
             ${JSON.stringify(o.details)}::jsonb
               || jsonb_build_object('overdueKopecks', c.overdue_kopecks, 'thresholdKopecks', c.threshold_kopecks)
      FROM c RETURNING 1)
    SELECT account_id AS "accountId" FROM c, (SELECT count(*) FROM e) n`.execute(tx);
  return r.rows.map((x) => x.accountId);
}

export async function updateCase(tx: Executor, id: number, from: DebtCaseState, c: DebtCase): Promise<void> {
  const r = await sql`
    UPDATE debt_case SET state = ${c.state}, notice_delivered_on = ${c.noticeDeliveredOn},
      notice_channel = ${c.noticeChannel}, restrict_from = ${c.restrictFrom}, suspend_from = ${c.suspendFrom},
      restricted_on = ${c.restrictedOn}, suspended_on = ${c.suspendedOn}, reconnect_by = ${c.reconnectBy},
      ended_on = ${c.endedOn}, updated_at = now()
    WHERE id = ${id} AND state = ${from}`.execute(tx);
  if (Number(r.numAffectedRows ?? 0) !== 1) throw new Error(`debt case ${id} is no longer ${from}`);
}

export async function setRestrictionPossible(tx: Executor, id: number, possible: boolean): Promise<void> {
  await sql`UPDATE debt_case SET restriction_possible = ${possible}, updated_at = now() WHERE id = ${id}`.execute(
    tx,
  );
}

export async function insertEvent(
  tx: Executor,
  e: {
    caseId: number;
    onDate: string;
    from: string | null;
    to: string;
    event: string;
    actor: string;
    details: unknown;
  },
): Promise<void> {
  await sql`
    INSERT INTO debt_case_event (case_id, on_date, from_state, to_state, event, actor, details)
    VALUES (${e.caseId}, ${e.onDate}, ${e.from}, ${e.to}, ${e.event}, ${e.actor}, ${JSON.stringify(e.details)}::jsonb)`.execute(
    tx,
  );
}

export interface CaseEventRow {
  id: number;
  caseId: number;
  at: Date;
  onDate: string;
  fromState: string | null;
  toState: string;
  event: string;
  actor: string;
  details: Record<string, unknown>;
}

export async function caseEvents(db: Executor, caseIds: number[]): Promise<CaseEventRow[]> {
  if (caseIds.length === 0) return [];
  const r = await sql<CaseEventRow>`
    SELECT id, case_id AS "caseId", at, on_date AS "onDate", from_state AS "fromState", to_state AS "toState",
           event, actor, details
    FROM debt_case_event WHERE case_id = ANY(${caseIds}::bigint[]) ORDER BY case_id, id`.execute(db);
  return r.rows;
}

export interface CaseListRow extends CaseRow {
  number: string;
  address: string;
}

/** Cases (current by default) with their account, keyset by id. */
export async function listCases(
  db: Executor,
  o: { state?: DebtCaseState | undefined; all?: boolean; afterId?: number; limit: number },
): Promise<CaseListRow[]> {
  const r = await sql<CaseListRow>`
    SELECT ${CASE_COLUMNS}, a.number, h.address || ', кв. ' || p.number AS address
    FROM debt_case c JOIN account a ON a.id = c.account_id JOIN premises p ON p.id = a.premises_id
    JOIN house h ON h.id = p.house_id
    WHERE c.id > ${o.afterId ?? 0}
      ${o.state !== undefined ? sql`AND c.state = ${o.state}` : o.all ? sql`` : sql`AND c.current`}
    ORDER BY c.id LIMIT ${o.limit}`.execute(db);
  return r.rows;
}

export async function casesOfAccount(db: Executor, accountId: number): Promise<CaseRow[]> {
  const r = await sql<CaseRow>`
    SELECT ${CASE_COLUMNS} FROM debt_case c WHERE c.account_id = ${accountId} ORDER BY c.id`.execute(db);
  return r.rows;
}
