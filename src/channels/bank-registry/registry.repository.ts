import { sql } from 'kysely';
import type { Executor } from '../../platform/database.ts';
import type { LineOutcome, RegistryReport } from './registry-report.ts';

/** The SQL of bank registries. */

export interface RegistryRow {
  id: number;
  bank: string;
  number: string;
  registryDate: string;
  fileSha256: string;
  contentSha256: string;
  fileName: string | null;
  encoding: string;
  rows: number;
  totalKopecks: number;
  status: 'importing' | 'done';
  report: RegistryReport | null;
  importedAt: string;
  doneAt: string | null;
}

const SELECT = sql`SELECT id, bank, number, registry_date AS "registryDate", file_sha256 AS "fileSha256",
  content_sha256 AS "contentSha256", file_name AS "fileName", encoding, rows, total_kopecks AS "totalKopecks",
  status, report, imported_at AS "importedAt", done_at AS "doneAt" FROM payment_registry`;

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
  return r.rows.map(withIsoTimes)[0];
}

/** timestamptz comes as a Date: the row carries ISO strings (as JSON shows them). */
function withIsoTimes(r: RegistryRow): RegistryRow {
  const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : (v as string | null));
  return { ...r, importedAt: iso(r.importedAt)!, doneAt: iso(r.doneAt) };
}

export async function listRegistries(db: Executor, limit = 100): Promise<RegistryRow[]> {
  const r = await sql<RegistryRow>`${SELECT} ORDER BY registry_date DESC, id DESC LIMIT ${limit}`.execute(db);
  return r.rows.map(withIsoTimes);
}

/**
 * Registers the file (status importing). When the file (its SHA-256) or the registry (bank, number,
 * date) is already registered, nothing is inserted and the existing row is returned.
 */
export async function insertRegistry(
  db: Executor,
  r: {
    bank: string;
    number: string;
    date: string;
    sha256: string;
    contentSha256: string;
    fileName: string | null;
    encoding: string;
    rows: number;
    totalKopecks: number;
    importedAt: Date;
  },
): Promise<RegistryRow> {
  await sql`
    INSERT INTO payment_registry (bank, number, registry_date, file_sha256, content_sha256, file_name, encoding,
                                  rows, total_kopecks, status, imported_at)
    VALUES (${r.bank}, ${r.number}, ${r.date}, ${r.sha256}, ${r.contentSha256}, ${r.fileName}, ${r.encoding},
            ${r.rows}, ${r.totalKopecks}, 'importing', ${r.importedAt})
    ON CONFLICT DO NOTHING`.execute(db);
  return (
    (await findRegistry(db, { bank: r.bank, number: r.number, date: r.date })) ??
    (await findRegistry(db, { sha256: r.sha256 }))!
  );
}

export async function insertLineOutcomes(
  db: Executor,
  registryId: number,
  rows: LineOutcome[],
): Promise<void> {
  if (rows.length === 0) return;
  const col = <T>(f: (r: LineOutcome) => T) => rows.map(f);
  await sql`
    INSERT INTO payment_registry_row (registry_id, line_no, operation_id, account, payer_name, address, paid_at,
                                      period, amount_kopecks, outcome, reason_code, message, message_en,
                                      raw_line, payment_id)
    SELECT ${registryId}, * FROM unnest(
      ${col((r) => r.lineNo)}::int[], ${col((r) => r.operationId)}::text[], ${col((r) => r.account)}::text[],
      ${col((r) => r.payerName)}::text[], ${col((r) => r.address)}::text[], ${col((r) => r.paidAt)}::timestamptz[],
      ${col((r) => r.period)}::text[], ${col((r) => r.amountKopecks)}::bigint[], ${col((r) => r.outcome)}::text[],
      ${col((r) => r.reasonCode)}::text[], ${col((r) => r.message)}::text[], ${col((r) => r.messageEn)}::text[],
      ${col((r) => r.rawLine)}::text[], ${col((r) => r.paymentId)}::bigint[])
    ON CONFLICT DO NOTHING`.execute(db);
}

export async function lineOutcomes(db: Executor, registryId: number): Promise<LineOutcome[]> {
  const r = await sql<LineOutcome & { paidAt: Date | null }>`
    SELECT line_no AS "lineNo", operation_id AS "operationId", account, payer_name AS "payerName", address,
           paid_at AS "paidAt", period, amount_kopecks AS "amountKopecks", outcome, reason_code AS "reasonCode",
           message, message_en AS "messageEn", raw_line AS "rawLine", payment_id AS "paymentId"
    FROM payment_registry_row WHERE registry_id = ${registryId} ORDER BY line_no`.execute(db);
  return r.rows.map((x) => ({ ...x, paidAt: x.paidAt ? new Date(x.paidAt).toISOString() : null }));
}

export async function finishRegistry(
  db: Executor,
  registryId: number,
  report: RegistryReport,
  doneAt: Date,
): Promise<void> {
  await sql`UPDATE payment_registry SET status = 'done', report = ${JSON.stringify(report)}::jsonb, done_at = ${doneAt}
            WHERE id = ${registryId}`.execute(db);
}
