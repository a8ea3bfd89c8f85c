import { sql } from 'kysely';
import type { Executor } from '../platform/database.ts';
import { type EntryInput, entryArrays } from './ledger.repository.ts';
import type { PaymentAccepted } from './payment-types.ts';

/** The SQL of the payment use case. */

export interface PayableAccount {
  id: number;
  number: string;
  status: 'active' | 'closed';
  payerName: string;
  address: string;
  principalId: number;
  regionCode: string;
  timeZone: string;
}

export interface SeenPayment {
  requestHash: string;
  reply: PaymentAccepted;
}

/**
 * The account a payment names and the stored answer to an earlier delivery of the same transaction id,
 * in one round trip (the hot path of every channel).
 */
export async function findPayableAccount(
  db: Executor,
  number: string,
  channel: string,
  externalId: string,
): Promise<{ account: PayableAccount | undefined; seen: SeenPayment | undefined }> {
  const r = await sql<{ kind: 'account' | 'seen'; account: PayableAccount | null; seen: SeenPayment | null }>`
    SELECT 'account' AS kind,
           json_build_object('id', a.id, 'number', a.number, 'status', a.status, 'payerName', a.payer_name,
             'address', CASE WHEN h.kind = 'apartment_building' THEN h.address || ', кв. ' || p.number ELSE h.address END, 'principalId', a.principal_id,
             'regionCode', h.region_code, 'timeZone', r.time_zone) AS account,
           NULL::json AS seen
    FROM account a JOIN premises p ON p.id = a.premises_id JOIN house h ON h.id = p.house_id
    JOIN region r ON r.code = h.region_code
    WHERE a.number = ${number}
    UNION ALL
    SELECT 'seen', NULL, json_build_object('requestHash', request_hash, 'reply', reply)
    FROM payment WHERE channel = ${channel} AND external_id = ${externalId}`.execute(db);
  return {
    account: r.rows.find((x) => x.kind === 'account')?.account ?? undefined,
    seen: r.rows.find((x) => x.kind === 'seen')?.seen ?? undefined,
  };
}

export async function findSeenPayment(
  db: Executor,
  channel: string,
  externalId: string,
): Promise<SeenPayment | undefined> {
  const r = await sql<SeenPayment>`
    SELECT request_hash AS "requestHash", reply FROM payment
    WHERE channel = ${channel} AND external_id = ${externalId}`.execute(db);
  return r.rows[0];
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
}

/**
 * Writes the payment, its ledger transaction (clearing ↔ the subscriber's books), the settlement when the
 * money has already arrived, and the account's new cached balance — one statement. The stored reply gets
 * the payment's id; returns it.
 */
export async function insertPayment(
  tx: Executor,
  p: PaymentRowInput,
  entries: EntryInput[],
  reply: Omit<PaymentAccepted, 'paymentId'>,
  balance: { receivableKopecks: number; penaltyKopecks: number },
  source: string,
): Promise<number> {
  const settle = p.settledOn !== null;
  const r = await sql<{ id: number }>`
    WITH n AS (SELECT nextval(pg_get_serial_sequence('payment', 'id')) AS id),
    p AS (
      INSERT INTO payment (id, channel, external_id, request_hash, account_id, principal_id, amount_kopecks,
                           period, paid_at, paid_on, accepted_at, credit_expected_on, payer_name, agent_code,
                           registry_id, reply)
      SELECT n.id, ${p.channel}, ${p.externalId}, ${p.requestHash}, ${p.accountId}, ${p.principalId},
             ${p.amountKopecks}, ${p.period}, ${p.paidAt}, ${p.paidOn}, ${p.acceptedAt}, ${p.creditExpectedOn},
             ${p.payerName}, ${p.agentCode}, ${p.registryId},
             jsonb_set(${JSON.stringify(reply)}::jsonb, '{paymentId}', to_jsonb(n.id))
      FROM n RETURNING id),
    t AS (
      INSERT INTO ledger_txn (kind, account_id, occurred_on, source, payment_id)
      SELECT 'payment', ${p.accountId}, ${p.paidOn}, ${source}::text || p.id, p.id FROM p
      RETURNING id, occurred_on),
    e AS (
      INSERT INTO ledger_entry (txn_id, book, account_id, principal_id, period, due_date, item, channel,
                                amount_kopecks, occurred_on)
      SELECT t.id, e.book, e.account_id, e.principal_id, e.period, e.due_date, e.item, e.channel,
             e.amount_kopecks, t.occurred_on
      FROM t, ${entryArrays(entries)}
      RETURNING 1),
    s AS (
      INSERT INTO payment_settlement (payment_id, credited_on, source)
      SELECT p.id, ${p.settledOn}, ${p.channel} FROM p WHERE ${settle}
      RETURNING payment_id),
    st AS (
      INSERT INTO ledger_txn (kind, account_id, occurred_on, source, payment_id)
      SELECT 'settlement', ${p.accountId}, ${p.settledOn}, 'settle:' || s.payment_id, s.payment_id FROM s
      RETURNING id, occurred_on),
    se AS (
      INSERT INTO ledger_entry (txn_id, book, principal_id, item, channel, amount_kopecks, occurred_on)
      SELECT st.id, x.book, ${p.principalId}, 'settlement', ${p.channel}, x.sign * ${p.amountKopecks}::bigint,
             st.occurred_on
      FROM st, (VALUES ('cash', 1), ('clearing', -1)) AS x(book, sign)
      RETURNING 1),
    b AS (
      UPDATE ledger_balance SET receivable_kopecks = ${balance.receivableKopecks},
        penalty_kopecks = ${balance.penaltyKopecks}, updated_at = now()
      WHERE account_id = ${p.accountId}
      RETURNING 1)
    SELECT p.id FROM p, (SELECT count(*) FROM e) x, (SELECT count(*) FROM se) y, (SELECT count(*) FROM b) z`.execute(
    tx,
  );
  return r.rows[0]!.id;
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
