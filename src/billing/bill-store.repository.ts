import { sql } from 'kysely';
import type { BillDocument } from '../domain/bill-document.ts';
import type { BillingProblem, HouseBillingResult } from '../domain/house-billing.ts';
import type { BilledVolume } from '../domain/volume-history.ts';
import type { Executor } from '../platform/database.ts';

/** A bill version to write, with the volumes it charged (the history of later bills). */
export interface NewBill {
  accountId: number;
  houseId: number;
  version: number;
  contentSha256: string;
  document: BillDocument;
  volume: BilledVolume & {
    meterId: number | null;
    current: { valuesWh: number[]; period: string; readingId: number | null } | null;
  };
}

/** Writes bill versions and their volumes: two set-based INSERTs (unnest) whatever the number of bills. */
export async function insertBills(
  db: Executor,
  runId: number,
  period: string,
  bills: NewBill[],
): Promise<void> {
  if (bills.length === 0) return;
  const col = <T>(f: (b: NewBill) => T) => bills.map(f);
  const inserted = await sql<{ id: number; accountId: number }>`
    INSERT INTO bill (number, version, account_id, period, run_id, house_id, status, content_sha256,
                      charged_kopecks, recalculation_kopecks, common_needs_kopecks, balance_forward_kopecks,
                      payments_kopecks, penalties_kopecks, amount_due_kopecks, deliver_by, due_date, document)
    SELECT t.number, t.version, t.account_id, ${period}, ${runId}, t.house_id, 'draft', t.sha, t.charged,
           t.recalc, t.common, t.forward, t.payments, t.penalties, t.due, t.deliver_by, t.due_date, t.doc::jsonb
    FROM unnest(${col((b) => b.document.number)}::text[], ${col((b) => b.version)}::int[],
                ${col((b) => b.accountId)}::int8[], ${col((b) => b.houseId)}::int8[],
                ${col((b) => b.contentSha256)}::text[], ${col((b) => b.document.totals.chargedKopecks)}::int8[],
                ${col((b) => b.document.totals.recalculationKopecks)}::int8[],
                ${col((b) => b.document.totals.commonNeedsKopecks)}::int8[],
                ${col((b) => b.document.totals.balanceForwardKopecks)}::int8[],
                ${col((b) => b.document.totals.paymentsKopecks)}::int8[],
                ${col((b) => b.document.totals.penaltiesKopecks)}::int8[],
                ${col((b) => b.document.totals.amountDueKopecks)}::int8[],
                ${col((b) => b.document.deliverBy)}::date[], ${col((b) => b.document.dueDate)}::date[],
                ${col((b) => JSON.stringify(b.document))}::text[])
         AS t(number, version, account_id, house_id, sha, charged, recalc, common, forward, payments, penalties,
              due, deliver_by, due_date, doc)
    RETURNING id, account_id AS "accountId"`.execute(db);
  const idOf = new Map(inserted.rows.map((r) => [r.accountId, r.id]));
  const v = bills.map((b) => b.volume);
  const pg2d = (arrays: (number[] | null)[]) => arrays.map((a) => (a === null ? null : `{${a.join(',')}}`));
  await sql`
    INSERT INTO bill_volume (bill_id, account_id, period, meter_id, source, zones_wh, single_rate_wh,
                             metered_known, metered_from, metered_zones_wh, current_values_wh, current_period,
                             current_reading_id)
    SELECT t.bill_id, t.account_id, t.period, t.meter_id, t.source, t.zones::int8[], t.single, t.known, t.mfrom,
           t.mzones::int8[], t.cur::int8[], t.cperiod, t.creading
    FROM unnest(${bills.map((b) => idOf.get(b.accountId))}::int8[], ${col((b) => b.accountId)}::int8[],
                ${v.map((x) => x.period)}::text[], ${v.map((x) => x.meterId)}::int8[], ${v.map((x) => x.source)}::text[],
                ${pg2d(v.map((x) => x.zonesWh))}::text[], ${v.map((x) => x.singleRateWh)}::int8[],
                ${v.map((x) => x.metered !== null)}::bool[], ${v.map((x) => x.metered?.fromPeriod ?? null)}::text[],
                ${pg2d(v.map((x) => x.metered?.zonesWh ?? null))}::text[],
                ${pg2d(v.map((x) => x.current?.valuesWh ?? null))}::text[],
                ${v.map((x) => x.current?.period ?? null)}::text[], ${v.map((x) => x.current?.readingId ?? null)}::int8[])
         AS t(bill_id, account_id, period, meter_id, source, zones, single, known, mfrom, mzones, cur, cperiod, creading)`.execute(
    db,
  );
}

/** Drafts replaced by a newer version (or no longer billable) step aside; issued bills are never touched. */
export async function supersedeDrafts(db: Executor, billIds: number[]): Promise<void> {
  if (billIds.length === 0) return;
  await sql`UPDATE bill SET status = 'superseded' WHERE id = ANY(${billIds}::int8[]) AND status = 'draft'`.execute(
    db,
  );
}

export async function replaceProblems(
  db: Executor,
  runId: number,
  houseIds: number[],
  problems: (BillingProblem & { houseId: number })[],
): Promise<void> {
  await sql`DELETE FROM billing_problem WHERE run_id = ${runId} AND house_id = ANY(${houseIds}::int8[])`.execute(
    db,
  );
  if (problems.length === 0) return;
  await sql`
    INSERT INTO billing_problem (run_id, house_id, account_id, code, message)
    SELECT ${runId}, t.h, t.a, t.c, t.m
    FROM unnest(${problems.map((p) => p.houseId)}::int8[], ${problems.map((p) => p.accountId)}::int8[],
                ${problems.map((p) => p.code)}::text[], ${problems.map((p) => p.message)}::text[]) AS t(h, a, c, m)`.execute(
    db,
  );
}

export interface UnitOutcome {
  houseId: number;
  billed: number;
  unchanged: number;
  problems: number;
}

export async function completeUnits(
  db: Executor,
  runId: number,
  generation: number,
  worker: string,
  outcomes: UnitOutcome[],
): Promise<void> {
  await sql`
    UPDATE billing_unit u SET status = 'done', generation = ${generation}, worker = ${worker}, done_at = now(),
           billed = t.billed, unchanged = t.unchanged, problems = t.problems
    FROM unnest(${outcomes.map((o) => o.houseId)}::int8[], ${outcomes.map((o) => o.billed)}::int[],
                ${outcomes.map((o) => o.unchanged)}::int[], ${outcomes.map((o) => o.problems)}::int[])
         AS t(house_id, billed, unchanged, problems)
    WHERE u.run_id = ${runId} AND u.house_id = t.house_id`.execute(db);
}

export interface CommonNeedsRow {
  houseId: number;
  managementCompanyId: number | null;
  result: NonNullable<HouseBillingResult['commonNeeds']>;
  managementCompany: HouseBillingResult['managementCompany'];
}

/** §7 house results of the units just billed (replacing those of an earlier pass of the draft run). */
export async function replaceCommonNeeds(
  db: Executor,
  runId: number,
  houseIds: number[],
  rows: CommonNeedsRow[],
): Promise<void> {
  await sql`DELETE FROM common_needs_result WHERE run_id = ${runId} AND house_id = ANY(${houseIds}::int8[])`.execute(
    db,
  );
  const list = rows.filter((r) => r.result.mode !== 'none' && r.result.method !== 'none');
  if (list.length === 0) return;
  await sql`
    INSERT INTO common_needs_result (run_id, house_id, mode, method, common_volume_wh, house_cap_wh, distributed_wh,
      negative_wh, management_company_id, management_company_wh, management_company_kopecks, log)
    SELECT ${runId}, t.h, t.mode, t.method, t.vol, t.cap, t.dist, t.neg, t.mc, t.mcwh, t.mck, t.log::jsonb
    FROM unnest(${list.map((r) => r.houseId)}::int8[], ${list.map((r) => r.result.mode)}::text[],
                ${list.map((r) => r.result.method)}::text[], ${list.map((r) => r.result.commonVolumeWh)}::int8[],
                ${list.map((r) => r.result.houseCapWh)}::int8[], ${list.map((r) => r.result.distributedWh)}::int8[],
                ${list.map((r) => r.result.negativeWh)}::int8[], ${list.map((r) => r.managementCompanyId)}::int8[],
                ${list.map((r) => r.managementCompany?.wh ?? 0)}::int8[],
                ${list.map((r) => r.managementCompany?.amountKopecks ?? 0)}::int8[],
                ${list.map((r) => JSON.stringify(r.result.log))}::text[])
         AS t(h, mode, method, vol, cap, dist, neg, mc, mcwh, mck, log)`.execute(db);
}
