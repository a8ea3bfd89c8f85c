import { sql } from 'kysely';
import type { Executor } from '../platform/database.ts';

/** The SQL of the ledger: postings, the cached balance and its lock, the entries of an account. */

export type Book =
  | 'receivable'
  | 'penalty'
  | 'revenue'
  | 'penalty_revenue'
  | 'clearing'
  | 'cash'
  | 'write_off';
export type TxnKind =
  | 'charge'
  | 'payment'
  | 'settlement'
  | 'penalty'
  | 'write_off'
  | 'refund'
  | 'transfer'
  | 'opening'
  | 'fee'
  | 'adjustment';

export interface EntryInput {
  book: Book;
  accountId: number | null;
  principalId: number;
  period: string | null;
  dueDate: string | null;
  item: string;
  channel: string | null;
  amountKopecks: number;
}

export interface TxnInput {
  kind: TxnKind;
  accountId: number | null;
  occurredOn: string;
  /** Unique cause of the posting ('bill:12', 'payment:7', ...): a retried posting changes nothing. */
  source: string;
  billId?: number | null;
  paymentId?: number | null;
  memo?: string | null;
  postedBy?: string | null;
}

export interface Balance {
  receivableKopecks: number;
  penaltyKopecks: number;
}

/**
 * Locks the account's balance row (creating it at zero on first use) and returns the cached balance.
 * Every posting for one subscriber account takes this lock first, so postings of one account are serial
 * while different accounts post in parallel (docs/ledger.md "Concurrency").
 */
export async function lockBalance(tx: Executor, accountId: number): Promise<Balance> {
  const r = await sql<Balance>`
    INSERT INTO ledger_balance AS b (account_id) VALUES (${accountId})
    ON CONFLICT (account_id) DO UPDATE SET updated_at = b.updated_at
    RETURNING receivable_kopecks AS "receivableKopecks", penalty_kopecks AS "penaltyKopecks"`.execute(tx);
  return r.rows[0]!;
}

/** `lockBalance` for several accounts in one statement, in account order (no deadlocks between batches). */
export async function lockBalances(tx: Executor, accountIds: number[]): Promise<Map<number, Balance>> {
  const r = await sql<Balance & { accountId: number }>`
    INSERT INTO ledger_balance AS b (account_id)
    SELECT id FROM unnest(${accountIds}::bigint[]) AS id ORDER BY id
    ON CONFLICT (account_id) DO UPDATE SET updated_at = b.updated_at
    RETURNING account_id AS "accountId", receivable_kopecks AS "receivableKopecks",
              penalty_kopecks AS "penaltyKopecks"`.execute(tx);
  return new Map(r.rows.map((x) => [x.accountId, x]));
}

/** Creates missing balance rows at zero without locking existing ones (the unsafe variant only). */
export async function ensureBalanceRows(tx: Executor, accountIds: number[]): Promise<void> {
  await sql`INSERT INTO ledger_balance (account_id) SELECT unnest(${accountIds}::bigint[])
            ON CONFLICT DO NOTHING`.execute(tx);
}

/** The cached balances without locking (the unsafe variant of the concurrency test); missing = zero. */
export async function readBalancesUnlocked(
  tx: Executor,
  accountIds: number[],
): Promise<Map<number, Balance>> {
  const r = await sql<Balance & { accountId: number }>`
    SELECT account_id AS "accountId", receivable_kopecks AS "receivableKopecks", penalty_kopecks AS "penaltyKopecks"
    FROM ledger_balance WHERE account_id = ANY(${accountIds}::bigint[])`.execute(tx);
  const found = new Map(r.rows.map((x) => [x.accountId, x as Balance]));
  for (const id of accountIds) if (!found.has(id)) found.set(id, { receivableKopecks: 0, penaltyKopecks: 0 });
  return found;
}

/** Reads the cached balance without locking (for the unsafe variant in the concurrency test). */
export async function readBalance(tx: Executor, accountId: number): Promise<Balance> {
  const r = await sql<Balance>`
    SELECT receivable_kopecks AS "receivableKopecks", penalty_kopecks AS "penaltyKopecks"
    FROM ledger_balance WHERE account_id = ${accountId}`.execute(tx);
  return r.rows[0] ?? { receivableKopecks: 0, penaltyKopecks: 0 };
}

export async function writeBalance(tx: Executor, accountId: number, b: Balance): Promise<void> {
  await sql`
    INSERT INTO ledger_balance (account_id, receivable_kopecks, penalty_kopecks)
    VALUES (${accountId}, ${b.receivableKopecks}, ${b.penaltyKopecks})
    ON CONFLICT (account_id) DO UPDATE SET receivable_kopecks = EXCLUDED.receivable_kopecks,
      penalty_kopecks = EXCLUDED.penalty_kopecks, version = ledger_balance.version + 1, updated_at = now()`.execute(
    tx,
  );
}

/** unnest() arguments for a list of entries, in the column order of `ENTRY_COLUMNS`. */
export function entryArrays(entries: EntryInput[]) {
  return sql`unnest(
      ${entries.map((e) => e.book)}::text[], ${entries.map((e) => e.accountId)}::bigint[],
      ${entries.map((e) => e.principalId)}::bigint[], ${entries.map((e) => e.period)}::text[],
      ${entries.map((e) => e.dueDate)}::date[], ${entries.map((e) => e.item)}::text[],
      ${entries.map((e) => e.channel)}::text[], ${entries.map((e) => e.amountKopecks)}::bigint[])
    AS e(book, account_id, principal_id, period, due_date, item, channel, amount_kopecks)`;
}

/**
 * Posts one transaction with its entries in one statement (the double-entry trigger checks the entries
 * add up to zero). Returns the transaction id, or null when its source was already posted.
 */
export async function postTxn(tx: Executor, t: TxnInput, entries: EntryInput[]): Promise<number | null> {
  const r = await sql<{ id: number }>`
    WITH t AS (
      INSERT INTO ledger_txn (kind, account_id, occurred_on, source, bill_id, payment_id, memo, posted_by)
      VALUES (${t.kind}, ${t.accountId}, ${t.occurredOn}, ${t.source}, ${t.billId ?? null},
              ${t.paymentId ?? null}, ${t.memo ?? null}, ${t.postedBy ?? null})
      ON CONFLICT (source) DO NOTHING
      RETURNING id, occurred_on),
    e AS (
      INSERT INTO ledger_entry (txn_id, book, account_id, principal_id, period, due_date, item, channel,
                                amount_kopecks, occurred_on)
      SELECT t.id, e.book, e.account_id, e.principal_id, e.period, e.due_date, e.item, e.channel,
             e.amount_kopecks, t.occurred_on
      FROM t, ${entryArrays(entries)}
      RETURNING 1)
    SELECT id FROM t, (SELECT count(*) FROM e) n`.execute(tx);
  return r.rows[0]?.id ?? null;
}

/** One receivable entry of an account, in posting order (the input of the §9 allocation). */
export interface ReceivableRow {
  accountId: number;
  id: number;
  txnKind: TxnKind;
  occurredOn: string;
  period: string | null;
  dueDate: string | null;
  item: string;
  amountKopecks: number;
}

export async function receivableRows(db: Executor, accountIds: number[]): Promise<ReceivableRow[]> {
  if (accountIds.length === 0) return [];
  const r = await sql<ReceivableRow>`
    SELECT e.account_id AS "accountId", e.id, t.kind AS "txnKind", e.occurred_on AS "occurredOn", e.period,
           e.due_date AS "dueDate", e.item, e.amount_kopecks AS "amountKopecks"
    FROM ledger_entry e JOIN ledger_txn t ON t.id = e.txn_id
    WHERE e.account_id = ANY(${accountIds}::bigint[]) AND e.book = 'receivable'
    ORDER BY e.account_id, e.id`.execute(db);
  return r.rows;
}

/** Penalties posted per account and debt period (the cumulative §10 penalty already charged). */
export async function postedPenalties(
  db: Executor,
  accountIds: number[],
): Promise<{ accountId: number; period: string | null; kopecks: number }[]> {
  if (accountIds.length === 0) return [];
  const r = await sql<{ accountId: number; period: string | null; kopecks: number }>`
    SELECT e.account_id AS "accountId", e.period, sum(e.amount_kopecks)::bigint AS kopecks
    FROM ledger_entry e JOIN ledger_txn t ON t.id = e.txn_id
    WHERE e.account_id = ANY(${accountIds}::bigint[]) AND e.book = 'penalty' AND t.kind = 'penalty'
    GROUP BY e.account_id, e.period`.execute(db);
  return r.rows;
}

/** The balances derived from the entries (not the cache), per account. */
export async function derivedBalances(db: Executor, accountIds: number[]): Promise<Map<number, Balance>> {
  const r = await sql<{ accountId: number } & Balance>`
    SELECT account_id AS "accountId",
           coalesce(sum(amount_kopecks) FILTER (WHERE book = 'receivable'), 0)::bigint AS "receivableKopecks",
           coalesce(sum(amount_kopecks) FILTER (WHERE book = 'penalty'), 0)::bigint AS "penaltyKopecks"
    FROM ledger_entry WHERE account_id = ANY(${accountIds}::bigint[])
    GROUP BY account_id`.execute(db);
  return new Map(r.rows.map((x) => [x.accountId, x]));
}
