import { sql } from 'kysely';
import type { Instalment } from '../domain/debt-eligibility.ts';
import type { Executor } from '../platform/database.ts';

/** The SQL of repayment agreements (§11): agreements with their instalments and the payments since signing. */
export interface AgreementRow {
  id: number;
  accountId: number;
  document: string;
  totalKopecks: number;
  signedOn: string;
  terminatedOn: string | null;
  instalments: Instalment[];
  /** Payments credited to the receivable from the signing day through the date asked for. */
  paidSinceSigningKopecks: number;
}

/** The agreements of the accounts signed by `date`, with the payments since each was signed. */
export async function agreementRows(db: Executor, ids: number[], date: string): Promise<AgreementRow[]> {
  if (ids.length === 0) return [];
  const r = await sql<AgreementRow>`
    SELECT a.id, a.account_id AS "accountId", a.document, a.total_kopecks AS "totalKopecks",
           a.signed_on AS "signedOn", a.terminated_on AS "terminatedOn",
           (SELECT json_agg(json_build_object('dueDate', i.due_date, 'amountKopecks', i.amount_kopecks)
                            ORDER BY i.n)
            FROM repayment_instalment i WHERE i.agreement_id = a.id) AS instalments,
           (SELECT coalesce(-sum(e.amount_kopecks), 0)
            FROM ledger_entry e JOIN ledger_txn t ON t.id = e.txn_id
            WHERE e.account_id = a.account_id AND e.book = 'receivable' AND t.kind = 'payment'
              AND e.occurred_on >= a.signed_on AND e.occurred_on <= ${date}::date)::bigint
             AS "paidSinceSigningKopecks"
    FROM repayment_agreement a
    WHERE a.account_id = ANY(${ids}::bigint[]) AND a.signed_on <= ${date}::date
    ORDER BY a.account_id, a.signed_on, a.id`.execute(db);
  return r.rows;
}

/** Records an agreement with its instalments (their sum is checked at commit); idempotent by document. */
export async function insertAgreement(
  tx: Executor,
  a: {
    accountId: number;
    document: string;
    totalKopecks: number;
    signedOn: string;
    signedBy: string;
    instalments: Instalment[];
  },
): Promise<{ id: number; created: boolean }> {
  const r = await sql<{ id: number }>`
    INSERT INTO repayment_agreement (account_id, total_kopecks, signed_on, signed_by, document)
    VALUES (${a.accountId}, ${a.totalKopecks}, ${a.signedOn}, ${a.signedBy}, ${a.document})
    ON CONFLICT (document) DO NOTHING RETURNING id`.execute(tx);
  const id = r.rows[0]?.id;
  if (id === undefined) {
    const existing = await sql<{
      id: number;
    }>`SELECT id FROM repayment_agreement WHERE document = ${a.document}`.execute(tx);
    return { id: existing.rows[0]!.id, created: false };
  }
  await sql`
    INSERT INTO repayment_instalment (agreement_id, n, due_date, amount_kopecks)
    SELECT ${id}, x.n, x.due_date, x.amount
    FROM unnest(${a.instalments.map((_, i) => i + 1)}::int[], ${a.instalments.map((i) => i.dueDate)}::date[],
                ${a.instalments.map((i) => i.amountKopecks)}::bigint[]) AS x(n, due_date, amount)`.execute(
    tx,
  );
  return { id, created: true };
}

/** Serialises agreement signing per account (no two agreements in force at once). */
export async function lockAccountForDebt(tx: Executor, accountId: number): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtext('debt-account'), ${accountId}::int)`.execute(tx);
}
