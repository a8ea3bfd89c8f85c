import { sql } from 'kysely';
import type { BillDocument } from '../domain/bill-document.ts';
import type { Executor } from '../platform/database.ts';

export interface BillView {
  id: number;
  number: string;
  version: number;
  status: 'draft' | 'issued' | 'superseded';
  accountNumber: string;
  period: string;
  amountDueKopecks: number;
  dueDate: string;
  createdAt: Date;
  issuedAt: Date | null;
  document: BillDocument;
}

const columns = sql`b.id, b.number, b.version, b.status, a.number AS "accountNumber", b.period,
  b.amount_due_kopecks AS "amountDueKopecks", b.due_date AS "dueDate", b.created_at AS "createdAt",
  b.issued_at AS "issuedAt"`;

/** The current bill of an account for a period (issued, else the draft), or a given version. */
export async function findBill(
  db: Executor,
  q: { accountNumber: string; period: string; version?: number },
): Promise<BillView | undefined> {
  const r = await sql<Omit<BillView, 'document'> & { document: string }>`
    SELECT ${columns}, b.document FROM bill b JOIN account a ON a.id = b.account_id
    WHERE a.number = ${q.accountNumber} AND b.period = ${q.period}
      AND ${q.version === undefined ? sql`b.status <> 'superseded'` : sql`b.version = ${q.version}`}`.execute(
    db,
  );
  const row = r.rows[0];
  return row && { ...row, document: JSON.parse(row.document) as BillDocument };
}

/** Every version of an account's bill for a period, newest first (what changed between draft runs). */
export async function billVersions(
  db: Executor,
  q: { accountNumber: string; period: string },
): Promise<Omit<BillView, 'document'>[]> {
  const r = await sql<Omit<BillView, 'document'>>`
    SELECT ${columns} FROM bill b JOIN account a ON a.id = b.account_id
    WHERE a.number = ${q.accountNumber} AND b.period = ${q.period} ORDER BY b.version DESC`.execute(db);
  return r.rows;
}

export interface BillListQuery {
  period: string;
  regionCode?: string | undefined;
  accountNumber?: string | undefined;
  status?: 'draft' | 'issued' | undefined;
  afterId?: number | undefined;
  limit: number;
}

/** FROM … WHERE … ORDER BY … LIMIT of a page of a period's current bills, by id (keyset with `afterId`). */
function currentBillsPage(q: BillListQuery) {
  return sql`FROM bill b JOIN account a ON a.id = b.account_id
    WHERE b.run_id IN (SELECT id FROM billing_run WHERE period = ${q.period}
                       ${q.regionCode ? sql`AND region_code = ${q.regionCode}` : sql``})
      AND b.status <> 'superseded'
      ${q.accountNumber ? sql`AND a.number = ${q.accountNumber}` : sql``}
      ${q.status ? sql`AND b.status = ${q.status}` : sql``}
      ${q.afterId !== undefined ? sql`AND b.id > ${q.afterId}` : sql``}
    ORDER BY b.id LIMIT ${q.limit}`;
}

/** Current bills of a period, by id (keyset pagination with `afterId`). */
export async function listBills(db: Executor, q: BillListQuery): Promise<Omit<BillView, 'document'>[]> {
  const r = await sql<Omit<BillView, 'document'>>`SELECT ${columns} ${currentBillsPage(q)}`.execute(db);
  return r.rows;
}

/** Documents of a period's current bills by id, for batch rendering. */
export async function billDocuments(
  db: Executor,
  q: BillListQuery,
): Promise<{ id: number; version: number; status: string; document: BillDocument }[]> {
  const r = await sql<{ id: number; version: number; status: string; document: string }>`
    SELECT b.id, b.version, b.status, b.document ${currentBillsPage(q)}`.execute(db);
  return r.rows.map((row) => ({ ...row, document: JSON.parse(row.document) as BillDocument }));
}
