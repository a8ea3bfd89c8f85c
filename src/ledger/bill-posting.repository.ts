import { sql } from 'kysely';
import type { Executor } from '../platform/database.ts';

/**
 * §9 issued bills post their charges to the ledger — in the same transaction that issues them, set-based:
 * per bill one 'charge' transaction (receivable by item: energy, recalculation, common needs, against the
 * principal's revenue) and, when the bill charges penalties, one 'penalty' transaction (the penalty book
 * against penalty revenue). The cached balances grow by the same amounts under their row locks, so
 * payments posting at the same moment are never lost (docs/ledger.md "Concurrency").
 * Idempotent: each transaction's source ('bill:<id>', 'bill-penalty:<id>') is unique.
 */
export async function postIssuedBills(tx: Executor, billIds: number[]): Promise<number> {
  if (billIds.length === 0) return 0;
  const r = await sql<{ posted: number }>`
    WITH b AS (
      SELECT b.id, b.account_id, b.period, b.due_date, a.principal_id,
             coalesce(b.formed_on, (b.issued_at AT TIME ZONE rg.time_zone)::date) AS on_day,
             b.charged_kopecks - b.recalculation_kopecks - b.common_needs_kopecks AS energy,
             b.recalculation_kopecks AS recalculation, b.common_needs_kopecks AS common_needs,
             b.charged_kopecks AS charged, b.penalties_kopecks AS penalties
      FROM bill b JOIN account a ON a.id = b.account_id JOIN premises p ON p.id = a.premises_id
      JOIN house h ON h.id = p.house_id JOIN region rg ON rg.code = h.region_code
      WHERE b.id = ANY(${billIds}::bigint[]) AND b.status = 'issued'),
    ct AS (
      INSERT INTO ledger_txn (kind, account_id, occurred_on, source, bill_id)
      SELECT 'charge', b.account_id, b.on_day, 'bill:' || b.id, b.id FROM b
      WHERE b.energy <> 0 OR b.recalculation <> 0 OR b.common_needs <> 0
      ON CONFLICT (source) DO NOTHING
      RETURNING id, bill_id, occurred_on),
    ce AS (
      INSERT INTO ledger_entry (txn_id, book, account_id, principal_id, period, due_date, item, amount_kopecks,
                                occurred_on)
      SELECT ct.id, x.book, CASE WHEN x.book = 'receivable' THEN b.account_id END, b.principal_id,
             b.period, CASE WHEN x.book = 'receivable' THEN b.due_date END, x.item, x.amount, ct.occurred_on
      FROM ct JOIN b ON b.id = ct.bill_id,
      LATERAL (VALUES ('receivable', 'energy', b.energy),
                      ('receivable', 'recalculation', b.recalculation),
                      ('receivable', 'common_needs', b.common_needs),
                      ('revenue', 'charge', -b.charged)) AS x(book, item, amount)
      WHERE x.amount <> 0
      RETURNING 1),
    pt AS (
      INSERT INTO ledger_txn (kind, account_id, occurred_on, source, bill_id)
      SELECT 'penalty', b.account_id, b.on_day, 'bill-penalty:' || b.id, b.id FROM b WHERE b.penalties <> 0
      ON CONFLICT (source) DO NOTHING
      RETURNING id, bill_id, occurred_on),
    pe AS (
      INSERT INTO ledger_entry (txn_id, book, account_id, principal_id, period, item, amount_kopecks, occurred_on)
      SELECT pt.id, x.book, CASE WHEN x.book = 'penalty' THEN b.account_id END, b.principal_id, b.period,
             'penalty', x.amount, pt.occurred_on
      FROM pt JOIN b ON b.id = pt.bill_id,
      LATERAL (VALUES ('penalty', b.penalties), ('penalty_revenue', -b.penalties)) AS x(book, amount)
      RETURNING 1),
    delta AS (
      SELECT b.account_id,
             sum(CASE WHEN ct.id IS NOT NULL THEN b.charged ELSE 0 END) AS receivable,
             sum(CASE WHEN pt.id IS NOT NULL THEN b.penalties ELSE 0 END) AS penalty
      FROM b LEFT JOIN ct ON ct.bill_id = b.id LEFT JOIN pt ON pt.bill_id = b.id
      WHERE ct.id IS NOT NULL OR pt.id IS NOT NULL
      GROUP BY b.account_id),
    bal AS (
      INSERT INTO ledger_balance AS lb (account_id, receivable_kopecks, penalty_kopecks)
      SELECT account_id, receivable, penalty FROM delta ORDER BY account_id
      ON CONFLICT (account_id) DO UPDATE
        SET receivable_kopecks = lb.receivable_kopecks + EXCLUDED.receivable_kopecks,
            penalty_kopecks = lb.penalty_kopecks + EXCLUDED.penalty_kopecks, version = lb.version + 1,
            updated_at = now()
      RETURNING 1)
    SELECT (SELECT count(*) FROM ct)::int + (SELECT count(*) FROM pt)::int AS posted,
           (SELECT count(*) FROM ce) AS ce, (SELECT count(*) FROM pe) AS pe, (SELECT count(*) FROM bal) AS bal`.execute(
    tx,
  );
  return r.rows[0]?.posted ?? 0;
}
