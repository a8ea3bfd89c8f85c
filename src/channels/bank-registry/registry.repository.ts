import { sql } from 'kysely';
import type { Executor } from '../../platform/database.ts';
import type { LineOutcome, RegistryReport } from './registry-report.ts';

export type { LineOutcome };

/** The SQL of bank registries. */

export interface RegistryRow {
  id: number;
  bank: string;
  number: string;
  registryDate: string;
  fileSha256: string;
  fileName: string | null;
  encoding: string;
  rows: number;
  totalKopecks: number;
  status: 'importing' | 'done';
  report: RegistryReport | null;
  importedAt: string;
}

const SELECT = sql`SELECT id, bank, number, registry_date AS "registryDate", file_sha256 AS "fileSha256",
  file_name AS "fileName", encoding, rows, total_kopecks AS "totalKopecks", status, report,
  imported_at AS "importedAt" FROM payment_registry`;

export async function findRegistry(
  db: Executor,
  o: { sha256?: string; bank?: string; number?: string; date?: string; id?: number },
): Promise<RegistryRow | undefined> {
  const where =
    o.id !== undefined
      ? sql`id = ${o.id}`
      : o.sha256 !== undefined
        ? sql`file_sha256 = ${o.sha256}`
        : sql`bank = ${o.bank} AND number = ${o.number} AND registry_date = ${o.date}::date`;
  const r = await sql<RegistryRow>`${SELECT} WHERE ${where}`.execute(db);
  return r.rows[0];
}

export async function listRegistries(db: Executor, limit = 100): Promise<RegistryRow[]> {
  const r = await sql<RegistryRow>`${SELECT} ORDER BY registry_date DESC, id DESC LIMIT ${limit}`.execute(db);
  return r.rows;
}

/** Registers the file (status importing); an existing row with the same key wins (returned as is). */
export async function insertRegistry(
  db: Executor,
  r: {
    bank: string;
    number: string;
    date: string;
    sha256: string;
    fileName: string | null;
    encoding: string;
    rows: number;
    totalKopecks: number;
  },
): Promise<RegistryRow> {
  await sql`
    INSERT INTO payment_registry (bank, number, registry_date, file_sha256, file_name, encoding, rows, total_kopecks, status)
    VALUES (${r.bank}, ${r.number}, ${r.date}, ${r.sha256}, ${r.fileName}, ${r.encoding}, ${r.rows}, ${r.totalKopecks}, 'importing')
    ON CONFLICT DO NOTHING`.execute(db);
  return (
    (await findRegistry(db, { sha256: r.sha256 })) ??
    (await findRegistry(db, { bank: r.bank, number: r.number, date: r.date }))!
  );
}

export async function insertLineOutcomes(
  db: Executor,
  registryId: number,
  rows: LineOutcome[],
): Promise<void> {
  if (rows.length === 0) return;
  await sql`
    INSERT INTO payment_registry_row (registry_id, line_no, operation_id, account, amount_kopecks, outcome, reason_code, payment_id)
    SELECT ${registryId}, * FROM unnest(${rows.map((r) => r.lineNo)}::int[], ${rows.map((r) => r.operationId)}::text[],
      ${rows.map((r) => r.account)}::text[], ${rows.map((r) => r.amountKopecks)}::bigint[],
      ${rows.map((r) => r.outcome)}::text[], ${rows.map((r) => r.reasonCode)}::text[], ${rows.map((r) => r.paymentId)}::bigint[])
    ON CONFLICT DO NOTHING`.execute(db);
}

export async function lineOutcomes(db: Executor, registryId: number): Promise<LineOutcome[]> {
  const r = await sql<LineOutcome>`
    SELECT line_no AS "lineNo", operation_id AS "operationId", account, amount_kopecks AS "amountKopecks", outcome,
           reason_code AS "reasonCode", payment_id AS "paymentId"
    FROM payment_registry_row WHERE registry_id = ${registryId} ORDER BY line_no`.execute(db);
  return r.rows;
}

/** Which of these payments came in with this registry (a resumed import's own earlier work). */
export async function paymentsOfRegistry(
  db: Executor,
  registryId: number,
  paymentIds: number[],
): Promise<Set<number>> {
  if (paymentIds.length === 0) return new Set();
  const r = await sql<{ id: number }>`
    SELECT id FROM payment WHERE id = ANY(${paymentIds}::bigint[]) AND registry_id = ${registryId}`.execute(
    db,
  );
  return new Set(r.rows.map((x) => x.id));
}

export async function finishRegistry(
  db: Executor,
  registryId: number,
  report: RegistryReport,
): Promise<void> {
  await sql`UPDATE payment_registry SET status = 'done', report = ${JSON.stringify(report)}::jsonb, done_at = now()
            WHERE id = ${registryId}`.execute(db);
}
