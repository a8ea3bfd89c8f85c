import { sql } from 'kysely';
import type { Executor } from '../platform/database.ts';

/**
 * `abonent ledger check`: re-derives everything the ledger caches or implies and reports every mismatch
 * (domain.md §9 "a stored balance is only a cache that a check re-derives"). Read-only.
 */
export interface LedgerCheckProblem {
  code:
    | 'TXN_UNBALANCED'
    | 'TXN_WITHOUT_ENTRIES'
    | 'BALANCE_MISMATCH'
    | 'PAYMENT_NOT_POSTED'
    | 'PAYMENT_POSTED_WRONG'
    | 'SETTLEMENT_NOT_POSTED'
    | 'BILL_NOT_POSTED'
    | 'BILL_POSTED_WRONG';
  ref: string;
  detail: string;
}

export interface LedgerCheckResult {
  ok: boolean;
  counts: { txns: number; entries: number; accounts: number; payments: number; issuedBills: number };
  totals: Record<string, number>;
  problems: LedgerCheckProblem[];
}

const LIMIT = 1000;

export async function checkLedger(db: Executor): Promise<LedgerCheckResult> {
  const problems: LedgerCheckProblem[] = [];
  const add = (rows: LedgerCheckProblem[]) => problems.push(...rows);

  add(
    (
      await sql<LedgerCheckProblem>`
      SELECT 'TXN_UNBALANCED' AS code, 'txn:' || txn_id AS ref, 'entries add up to ' || sum(amount_kopecks) AS detail
      FROM ledger_entry GROUP BY txn_id HAVING sum(amount_kopecks) <> 0 LIMIT ${LIMIT}`.execute(db)
    ).rows,
  );
  add(
    (
      await sql<LedgerCheckProblem>`
      SELECT 'TXN_WITHOUT_ENTRIES' AS code, 'txn:' || t.id AS ref, t.kind || ' ' || t.source AS detail
      FROM ledger_txn t WHERE NOT EXISTS (SELECT 1 FROM ledger_entry e WHERE e.txn_id = t.id) LIMIT ${LIMIT}`.execute(
        db,
      )
    ).rows,
  );
  add(
    (
      await sql<LedgerCheckProblem>`
      WITH d AS (
        SELECT account_id,
               coalesce(sum(amount_kopecks) FILTER (WHERE book = 'receivable'), 0) AS receivable,
               coalesce(sum(amount_kopecks) FILTER (WHERE book = 'penalty'), 0) AS penalty
        FROM ledger_entry WHERE account_id IS NOT NULL GROUP BY account_id)
      SELECT 'BALANCE_MISMATCH' AS code, 'account:' || a.number AS ref,
             format('cached %s/%s, derived %s/%s (receivable/penalty)',
                    coalesce(b.receivable_kopecks, 0), coalesce(b.penalty_kopecks, 0),
                    coalesce(d.receivable, 0), coalesce(d.penalty, 0)) AS detail
      FROM ledger_balance b FULL JOIN d ON d.account_id = b.account_id
      JOIN account a ON a.id = coalesce(b.account_id, d.account_id)
      WHERE coalesce(b.receivable_kopecks, 0) <> coalesce(d.receivable, 0)
         OR coalesce(b.penalty_kopecks, 0) <> coalesce(d.penalty, 0)
      LIMIT ${LIMIT}`.execute(db)
    ).rows,
  );
  add(
    (
      await sql<LedgerCheckProblem>`
      SELECT CASE WHEN t.id IS NULL THEN 'PAYMENT_NOT_POSTED' ELSE 'PAYMENT_POSTED_WRONG' END AS code,
             'payment:' || p.id AS ref,
             format('%s %s: amount %s, posted to the subscriber %s', p.channel, p.external_id, p.amount_kopecks,
                    coalesce(-x.subscriber, 0)) AS detail
      FROM payment p
      LEFT JOIN ledger_txn t ON t.source = 'payment:' || p.id
      LEFT JOIN LATERAL (
        SELECT sum(amount_kopecks) FILTER (WHERE book IN ('receivable', 'penalty')) AS subscriber,
               sum(amount_kopecks) FILTER (WHERE book = 'clearing') AS clearing
        FROM ledger_entry WHERE txn_id = t.id) x ON true
      WHERE t.id IS NULL OR x.subscriber IS DISTINCT FROM -p.amount_kopecks OR x.clearing IS DISTINCT FROM p.amount_kopecks
      LIMIT ${LIMIT}`.execute(db)
    ).rows,
  );
  add(
    (
      await sql<LedgerCheckProblem>`
      SELECT 'SETTLEMENT_NOT_POSTED' AS code, 'payment:' || s.payment_id AS ref,
             'credited on ' || s.credited_on || ' without a settlement entry' AS detail
      FROM payment_settlement s
      WHERE NOT EXISTS (SELECT 1 FROM ledger_txn t WHERE t.source = 'settle:' || s.payment_id)
      LIMIT ${LIMIT}`.execute(db)
    ).rows,
  );
  add(
    (
      await sql<LedgerCheckProblem>`
      SELECT CASE WHEN t.id IS NULL THEN 'BILL_NOT_POSTED' ELSE 'BILL_POSTED_WRONG' END AS code,
             'bill:' || b.number || '/' || b.version AS ref,
             format('charges %s, penalties %s; posted %s, %s', b.charged_kopecks + b.recalculation_kopecks
                    + b.common_needs_kopecks, b.penalties_kopecks, coalesce(x.receivable, 0), coalesce(x.penalty, 0)) AS detail
      FROM bill b
      LEFT JOIN ledger_txn t ON t.source = 'bill:' || b.id
      LEFT JOIN LATERAL (
        SELECT sum(e.amount_kopecks) FILTER (WHERE e.book = 'receivable') AS receivable,
               sum(e.amount_kopecks) FILTER (WHERE e.book = 'penalty') AS penalty
        FROM ledger_txn t2 JOIN ledger_entry e ON e.txn_id = t2.id
        WHERE t2.source IN ('bill:' || b.id, 'bill-penalty:' || b.id)) x ON true
      WHERE b.status = 'issued' AND b.ledger_snapshot IS NOT NULL
        AND (coalesce(x.receivable, 0) <> b.charged_kopecks + b.recalculation_kopecks + b.common_needs_kopecks
             OR coalesce(x.penalty, 0) <> b.penalties_kopecks
             OR (t.id IS NULL AND b.charged_kopecks + b.recalculation_kopecks + b.common_needs_kopecks <> 0))
      LIMIT ${LIMIT}`.execute(db)
    ).rows,
  );

  const c = await sql<LedgerCheckResult['counts'] & { totals: Record<string, number> }>`
    SELECT (SELECT count(*) FROM ledger_txn)::bigint AS txns,
           (SELECT count(*) FROM ledger_entry)::bigint AS entries,
           (SELECT count(*) FROM ledger_balance)::bigint AS accounts,
           (SELECT count(*) FROM payment)::bigint AS payments,
           (SELECT count(*) FROM bill WHERE status = 'issued')::bigint AS "issuedBills",
           (SELECT coalesce(json_object_agg(book, total), '{}') FROM (
              SELECT book, sum(amount_kopecks)::bigint AS total FROM ledger_entry GROUP BY book) s) AS totals`.execute(
    db,
  );
  const { totals, ...counts } = c.rows[0]!;
  return { ok: problems.length === 0, counts, totals, problems };
}
