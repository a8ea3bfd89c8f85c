import { sql } from 'kysely';
import type { Executor } from '../platform/database.ts';
import type { EntryInput } from './ledger.repository.ts';
import type { PaymentAccepted } from './payment-types.ts';

/** The SQL of the payment use case. */

/** An account a payment names, with its ledger as read before posting (the optimistic path). */
export interface PayableAccount {
  id: number;
  number: string;
  status: 'active' | 'closed';
  payerName: string;
  address: string;
  principalId: number;
  regionCode: string;
  timeZone: string;
  /** The cached balance, its version, and the receivable entries [id, txn kind, on, period, due, amount]. */
  balance: { receivableKopecks: number; penaltyKopecks: number };
  /** null: the account has no balance row yet (its first posting takes the locked path, which creates it). */
  version: number | null;
  rows: [number, string, string, string | null, string | null, number][];
}

export interface SeenPayment {
  requestHash: string;
  reply: PaymentAccepted;
}

/**
 * The accounts payments name and the stored answers to earlier deliveries of the same transaction ids,
 * in one round trip (the hot path of every channel).
 */
export async function findPayable(
  db: Executor,
  numbers: string[],
  keys: { channel: string; externalId: string }[],
): Promise<{ accounts: Map<string, PayableAccount>; seen: Map<string, SeenPayment> }> {
  const r = await sql<{ kind: 'account' | 'seen'; key: string; value: PayableAccount | SeenPayment }>`
    SELECT 'account' AS kind, a.number AS key,
      json_build_object('id', a.id, 'number', a.number, 'status', a.status, 'payerName', a.payer_name,
        'address', CASE WHEN h.kind = 'apartment_building' THEN h.address || ', кв. ' || p.number ELSE h.address END,
        'principalId', a.principal_id, 'regionCode', h.region_code, 'timeZone', r.time_zone,
        'balance', json_build_object('receivableKopecks', coalesce(b.receivable_kopecks, 0),
                                     'penaltyKopecks', coalesce(b.penalty_kopecks, 0)),
        'version', b.version,
        'rows', coalesce((
          SELECT json_agg(json_build_array(e.id, t.kind, e.occurred_on, e.period, e.due_date, e.amount_kopecks)
                          ORDER BY e.id)
          FROM ledger_entry e JOIN ledger_txn t ON t.id = e.txn_id
          WHERE e.account_id = a.id AND e.book = 'receivable'), '[]'::json)) AS value
    FROM account a JOIN premises p ON p.id = a.premises_id JOIN house h ON h.id = p.house_id
    JOIN region r ON r.code = h.region_code
    LEFT JOIN ledger_balance b ON b.account_id = a.id
    WHERE a.number = ANY(${numbers}::text[])
    UNION ALL
    SELECT 'seen', p.channel || ' ' || p.external_id,
           json_build_object('requestHash', p.request_hash, 'reply', p.reply)
    FROM unnest(${keys.map((k) => k.channel)}::text[], ${keys.map((k) => k.externalId)}::text[]) AS k(channel, external_id)
    JOIN LATERAL (
      SELECT channel, external_id, request_hash, reply FROM payment
      WHERE channel = k.channel AND external_id = k.external_id) p ON true`.execute(db);
  const accounts = new Map<string, PayableAccount>();
  const seen = new Map<string, SeenPayment>();
  for (const row of r.rows) {
    if (row.kind === 'account') accounts.set(row.key, row.value as PayableAccount);
    else seen.set(row.key, row.value as SeenPayment);
  }
  return { accounts, seen };
}

export interface PaymentRowInput {
  channel: string;
  externalId: string;
  requestHash: string;
  accountId: number;
  principalId: number;
  amountKopecks: number;
  period: string | null;
  paidAt: Date;
  paidOn: string;
  acceptedAt: Date;
  creditExpectedOn: string;
  payerName: string | null;
  agentCode: string | null;
  registryId: number | null;
  settledOn: string | null;
  /** The answer, stored for repeats; its paymentId is filled in here. */
  reply: Omit<PaymentAccepted, 'paymentId'>;
  entries: EntryInput[];
}

/**
 * Writes payments, their ledger transactions (clearing ↔ the subscriber's books), the settlements of money
 * that has already arrived, and the accounts' new cached balances — one statement for the whole batch.
 * Returns the payments' ids in input order.
 */
export async function insertPayments(
  tx: Executor,
  payments: PaymentRowInput[],
  balances: {
    accountId: number;
    receivableKopecks: number;
    penaltyKopecks: number;
    expectedVersion?: number;
  }[],
): Promise<number[] | null> {
  // With expected versions (the optimistic path, one statement, no transaction around it): the balance rows
  // are locked here (FOR UPDATE re-reads a row another posting just changed), and nothing is written unless
  // every one exists and is still at the version the payments were priced on. Without them the caller
  // already holds the locks.
  const checked = balances.some((b) => b.expectedVersion !== undefined);
  const col = <T>(f: (p: PaymentRowInput, i: number) => T) => payments.map(f);
  const entries = payments.flatMap((p, ord) => p.entries.map((e) => ({ ord, e })));
  const r = await sql<{ ord: number | null; id: number | null; ok: boolean }>`
    WITH lk AS (
      SELECT account_id, version FROM ledger_balance
      WHERE account_id = ANY(${balances.map((b) => b.accountId)}::bigint[])
      ORDER BY account_id FOR UPDATE),
    ok AS (
      SELECT NOT ${checked} OR (count(lk.account_id) = ${balances.length}::int AND coalesce(bool_and(lk.version = v.version), false)) AS ok
      FROM unnest(${balances.map((b) => b.accountId)}::bigint[], ${balances.map((b) => b.expectedVersion ?? 0)}::bigint[])
           AS v(account_id, version)
      LEFT JOIN lk ON lk.account_id = v.account_id),
    x AS MATERIALIZED (
      SELECT nextval(pg_get_serial_sequence('payment', 'id')) AS id, x.*
      FROM unnest(
        ${col((_, i) => i)}::int[], ${col((p) => p.channel)}::text[], ${col((p) => p.externalId)}::text[],
        ${col((p) => p.requestHash)}::text[], ${col((p) => p.accountId)}::bigint[],
        ${col((p) => p.principalId)}::bigint[], ${col((p) => p.amountKopecks)}::bigint[],
        ${col((p) => p.period)}::text[], ${col((p) => p.paidAt.toISOString())}::timestamptz[],
        ${col((p) => p.paidOn)}::date[], ${col((p) => p.acceptedAt.toISOString())}::timestamptz[],
        ${col((p) => p.creditExpectedOn)}::date[], ${col((p) => p.payerName)}::text[],
        ${col((p) => p.agentCode)}::text[], ${col((p) => p.registryId)}::bigint[],
        ${col((p) => p.settledOn)}::date[], ${col((p) => JSON.stringify(p.reply))}::jsonb[])
      AS x(ord, channel, external_id, request_hash, account_id, principal_id, amount, period, paid_at, paid_on,
           accepted_at, credit_expected_on, payer_name, agent_code, registry_id, settled_on, reply)
      WHERE (SELECT ok FROM ok)),
    p AS (
      INSERT INTO payment (id, channel, external_id, request_hash, account_id, principal_id, amount_kopecks,
                           period, paid_at, paid_on, accepted_at, credit_expected_on, payer_name, agent_code,
                           registry_id, reply)
      SELECT id, channel, external_id, request_hash, account_id, principal_id, amount, period, paid_at, paid_on,
             accepted_at, credit_expected_on, payer_name, agent_code, registry_id,
             jsonb_set(reply, '{paymentId}', to_jsonb(id))
      FROM x RETURNING id),
    t AS (
      INSERT INTO ledger_txn (kind, account_id, occurred_on, source, payment_id)
      SELECT 'payment', account_id, paid_on, 'payment:' || id, id FROM x
      RETURNING id, payment_id, occurred_on),
    e AS (
      INSERT INTO ledger_entry (txn_id, book, account_id, principal_id, period, due_date, item, channel,
                                amount_kopecks, occurred_on)
      SELECT t.id, en.book, en.account_id, en.principal_id, en.period, en.due_date, en.item, en.channel,
             en.amount_kopecks, t.occurred_on
      FROM unnest(${entries.map((x) => x.ord)}::int[], ${entries.map((x) => x.e.book)}::text[],
                  ${entries.map((x) => x.e.accountId)}::bigint[], ${entries.map((x) => x.e.principalId)}::bigint[],
                  ${entries.map((x) => x.e.period)}::text[], ${entries.map((x) => x.e.dueDate)}::date[],
                  ${entries.map((x) => x.e.item)}::text[], ${entries.map((x) => x.e.channel)}::text[],
                  ${entries.map((x) => x.e.amountKopecks)}::bigint[])
           AS en(ord, book, account_id, principal_id, period, due_date, item, channel, amount_kopecks)
      JOIN x ON x.ord = en.ord JOIN t ON t.payment_id = x.id
      RETURNING 1),
    s AS (
      INSERT INTO payment_settlement (payment_id, credited_on, source)
      SELECT id, settled_on, channel FROM x WHERE settled_on IS NOT NULL
      RETURNING payment_id),
    st AS (
      INSERT INTO ledger_txn (kind, account_id, occurred_on, source, payment_id)
      SELECT 'settlement', x.account_id, x.settled_on, 'settle:' || x.id, x.id FROM x JOIN s ON s.payment_id = x.id
      RETURNING id, payment_id, occurred_on),
    se AS (
      INSERT INTO ledger_entry (txn_id, book, principal_id, item, channel, amount_kopecks, occurred_on)
      SELECT st.id, v.book, x.principal_id, 'settlement', x.channel, v.sign * x.amount, st.occurred_on
      FROM st JOIN x ON x.id = st.payment_id, (VALUES ('cash', 1), ('clearing', -1)) AS v(book, sign)
      RETURNING 1),
    b AS (
      UPDATE ledger_balance lb SET receivable_kopecks = v.r, penalty_kopecks = v.p, version = lb.version + 1,
        updated_at = now()
      FROM unnest(${balances.map((b) => b.accountId)}::bigint[], ${balances.map((b) => b.receivableKopecks)}::bigint[],
                  ${balances.map((b) => b.penaltyKopecks)}::bigint[]) AS v(account_id, r, p)
      WHERE lb.account_id = v.account_id AND (SELECT ok FROM ok)
      RETURNING 1)
    SELECT x.ord, x.id, (SELECT ok FROM ok) AS ok FROM (SELECT 1) one LEFT JOIN x ON true
    WHERE (SELECT count(*) FROM p) >= 0 AND (SELECT count(*) FROM e) >= 0 AND (SELECT count(*) FROM se) >= 0
      AND (SELECT count(*) FROM b) >= 0
    ORDER BY x.ord`.execute(tx);
  if (!r.rows[0]?.ok) return null;
  return r.rows.map((x) => x.id as number);
}

/** The last issued bill of an account (what the terminal shows on `check`). */
export async function lastIssuedBill(
  db: Executor,
  accountId: number,
): Promise<{ period: string; amountDueKopecks: number; dueDate: string } | null> {
  const r = await sql<{ period: string; amountDueKopecks: number; dueDate: string }>`
    SELECT period, amount_due_kopecks AS "amountDueKopecks", due_date AS "dueDate"
    FROM bill WHERE account_id = ${accountId} AND status = 'issued'
    ORDER BY period DESC LIMIT 1`.execute(db);
  return r.rows[0] ?? null;
}
