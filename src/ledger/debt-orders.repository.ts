import { sql } from 'kysely';
import type { FieldCommand, MeterCommand } from '../domain/restriction-workflow.ts';
import type { Executor } from '../platform/database.ts';

/** The SQL of the work §11 cases order: field orders for crews and smart-meter command requests. */
export async function insertFieldOrder(
  tx: Executor,
  o: {
    caseId: number;
    accountId: number;
    kind: FieldCommand;
    orderedOn: string;
    notBefore: string;
    dueBy: string;
  },
): Promise<number | undefined> {
  const r = await sql<{ id: number }>`
    INSERT INTO field_order (case_id, account_id, kind, ordered_on, not_before, due_by)
    VALUES (${o.caseId}, ${o.accountId}, ${o.kind}, ${o.orderedOn}, ${o.notBefore}, ${o.dueBy})
    ON CONFLICT (case_id, kind) DO NOTHING RETURNING id`.execute(tx);
  return r.rows[0]?.id;
}

export async function insertMeterCommand(
  tx: Executor,
  o: { caseId: number; meterId: number; command: MeterCommand; notBefore: string; dueBy: string; by: string },
): Promise<number | undefined> {
  const r = await sql<{ id: number }>`
    INSERT INTO meter_command_request (meter_id, case_id, command, not_before, due_by, requested_by)
    VALUES (${o.meterId}, ${o.caseId}, ${o.command}, ${o.notBefore}, ${o.dueBy}, ${o.by})
    ON CONFLICT (case_id, command) WHERE case_id IS NOT NULL DO NOTHING RETURNING id`.execute(tx);
  return r.rows[0]?.id;
}

/** Cancels the case's open field orders and its command requests not yet sent. */
export async function cancelOpenOrders(
  tx: Executor,
  caseId: number,
): Promise<{ orders: number; commands: number }> {
  const a =
    await sql`UPDATE field_order SET status = 'cancelled' WHERE case_id = ${caseId} AND status = 'open'`.execute(
      tx,
    );
  const b = await sql`
    UPDATE meter_command_request SET status = 'cancelled', status_at = now()
    WHERE case_id = ${caseId} AND status = 'requested'`.execute(tx);
  return { orders: Number(a.numAffectedRows ?? 0), commands: Number(b.numAffectedRows ?? 0) };
}

export interface FieldOrderRow {
  id: number;
  caseId: number;
  accountId: number;
  kind: FieldCommand;
  status: 'open' | 'done' | 'impossible' | 'cancelled';
  orderedOn: string;
  notBefore: string;
  dueBy: string;
  doneOn: string | null;
  doneBy: string | null;
}

const ORDER_COLUMNS = sql`
  id, case_id AS "caseId", account_id AS "accountId", kind, status, ordered_on AS "orderedOn",
  not_before AS "notBefore", due_by AS "dueBy", done_on AS "doneOn", done_by AS "doneBy"`;

export async function findFieldOrder(db: Executor, id: number): Promise<FieldOrderRow | undefined> {
  const r = await sql<FieldOrderRow>`SELECT ${ORDER_COLUMNS} FROM field_order WHERE id = ${id}`.execute(db);
  return r.rows[0];
}

export async function finishFieldOrder(
  tx: Executor,
  id: number,
  o: { status: 'done' | 'impossible'; on: string; by: string },
): Promise<void> {
  await sql`
    UPDATE field_order SET status = ${o.status}, done_on = ${o.on}, done_by = ${o.by}
    WHERE id = ${id} AND status = 'open'`.execute(tx);
}

export async function caseOrders(db: Executor, caseIds: number[]): Promise<FieldOrderRow[]> {
  if (caseIds.length === 0) return [];
  const r = await sql<FieldOrderRow>`
    SELECT ${ORDER_COLUMNS} FROM field_order WHERE case_id = ANY(${caseIds}::bigint[]) ORDER BY id`.execute(
    db,
  );
  return r.rows;
}

export interface MeterCommandRow {
  id: number;
  meterId: number;
  caseId: number | null;
  command: MeterCommand;
  notBefore: string;
  dueBy: string;
  status: string;
  requestedBy: string;
}

export async function caseCommands(db: Executor, caseIds: number[]): Promise<MeterCommandRow[]> {
  if (caseIds.length === 0) return [];
  const r = await sql<MeterCommandRow>`
    SELECT id, meter_id AS "meterId", case_id AS "caseId", command, not_before AS "notBefore",
           due_by AS "dueBy", status, requested_by AS "requestedBy"
    FROM meter_command_request WHERE case_id = ANY(${caseIds}::bigint[]) ORDER BY id`.execute(db);
  return r.rows;
}

export async function findMeterCommand(db: Executor, id: number): Promise<MeterCommandRow | undefined> {
  const r = await sql<MeterCommandRow>`
    SELECT id, meter_id AS "meterId", case_id AS "caseId", command, not_before AS "notBefore",
           due_by AS "dueBy", status, requested_by AS "requestedBy"
    FROM meter_command_request WHERE id = ${id}`.execute(db);
  return r.rows[0];
}

export async function acknowledgeMeterCommand(tx: Executor, id: number): Promise<void> {
  await sql`UPDATE meter_command_request SET status = 'acknowledged', status_at = now() WHERE id = ${id}`.execute(
    tx,
  );
}

export async function caseAccountId(db: Executor, caseId: number): Promise<number> {
  const r = await sql<{
    accountId: number;
  }>`SELECT account_id AS "accountId" FROM debt_case WHERE id = ${caseId}`.execute(db);
  return r.rows[0]!.accountId;
}
