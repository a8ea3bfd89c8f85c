import { sql } from 'kysely';
import type pg from 'pg';
import type { BillDocument } from '../domain/bill-document.ts';
import type { BillingProblem, HouseBillingResult } from '../domain/house-billing.ts';
import type { BilledVolume } from '../domain/volume-history.ts';
import { copyRows } from '../platform/copy.ts';
import type { Executor } from '../platform/database.ts';

/** A bill version to write, with the volumes it charged (the history of later bills). */
export interface NewBill {
  accountId: number;
  houseId: number;
  version: number;
  contentSha256: string;
  document: BillDocument;
  /** The document as JSON text, stringified once (for the digest and the row). */
  documentJson: string;
  /** The ledger snapshot the bill's balance and payments were read on (§8). */
  ledgerSnapshot: string | null;
  volume: BilledVolume & {
    meterId: number | null;
    current: { valuesWh: number[]; period: string; readingId: number | null } | null;
  };
}

const BILL_COLUMNS = [
  'id',
  'number',
  'version',
  'account_id',
  'period',
  'run_id',
  'house_id',
  'status',
  'content_sha256',
  'charged_kopecks',
  'recalculation_kopecks',
  'common_needs_kopecks',
  'balance_forward_kopecks',
  'payments_kopecks',
  'penalties_kopecks',
  'amount_due_kopecks',
  'deliver_by',
  'due_date',
  'document',
  'ledger_snapshot',
  'formed_on',
] as const;

const VOLUME_COLUMNS = [
  'bill_id',
  'account_id',
  'period',
  'meter_id',
  'source',
  'zones_wh',
  'single_rate_wh',
  'metered_known',
  'metered_from',
  'metered_zones_wh',
  'current_values_wh',
  'current_period',
  'current_reading_id',
] as const;

/**
 * Writes bill versions and their volumes by COPY on the caller's connection and transaction (ids reserved
 * from the sequence first, so the volumes can name their bill): the billing run's hot path.
 */
export async function insertBills(
  client: pg.PoolClient,
  runId: number,
  period: string,
  bills: NewBill[],
): Promise<void> {
  if (bills.length === 0) return;
  const ids = await client.query<{ id: number }>(
    "SELECT nextval(pg_get_serial_sequence('bill', 'id')) AS id FROM generate_series(1, $1)",
    [bills.length],
  );
  const idOf = ids.rows.map((r) => r.id);
  await copyRows(
    client,
    'bill',
    BILL_COLUMNS,
    bills.map((b, i) => {
      const t = b.document.totals;
      return [
        idOf[i] ?? null,
        b.document.number,
        b.version,
        b.accountId,
        period,
        runId,
        b.houseId,
        'draft',
        b.contentSha256,
        t.chargedKopecks,
        t.recalculationKopecks,
        t.commonNeedsKopecks,
        t.balanceForwardKopecks,
        t.paymentsKopecks,
        t.penaltiesKopecks,
        t.amountDueKopecks,
        b.document.deliverBy,
        b.document.dueDate,
        b.documentJson,
        b.ledgerSnapshot,
        b.document.formedOn,
      ];
    }),
  );
  await copyRows(
    client,
    'bill_volume',
    VOLUME_COLUMNS,
    bills.map((b, i) => {
      const v = b.volume;
      return [
        idOf[i] ?? null,
        b.accountId,
        v.period,
        v.meterId,
        v.source,
        v.zonesWh,
        v.singleRateWh,
        v.metered !== null,
        v.metered?.fromPeriod ?? null,
        v.metered?.zonesWh ?? null,
        v.current?.valuesWh ?? null,
        v.current?.period ?? null,
        v.current?.readingId ?? null,
      ];
    }),
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
