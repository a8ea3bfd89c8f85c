import { sql } from 'kysely';
import type { Executor } from '../../platform/database.ts';

/** The SQL of card payments (migration 0010). */

export type CardPaymentStatus = 'created' | 'pending' | 'succeeded' | 'canceled';
export type CardEventSource = 'api' | 'webhook' | 'poll' | 'reconcile';

export interface CardPaymentRow {
  id: string;
  accountId: number;
  accountNumber: string;
  amountKopecks: number;
  maxKopecks: number;
  period: string | null;
  provider: string;
  idempotencyKey: string;
  requestHash: string;
  providerPaymentId: string | null;
  status: CardPaymentStatus;
  cancelReason: string | null;
  confirmationUrl: string | null;
  returnUrl: string;
  expiresAt: Date | null;
  paidAt: Date | null;
  paymentId: number | null;
  creditRefusal: string | null;
  createdAt: Date;
  updatedAt: Date;
  checkedAt: Date | null;
}

const columns = sql`
  c.id, c.account_id AS "accountId", a.number AS "accountNumber", c.amount_kopecks AS "amountKopecks",
  c.max_kopecks AS "maxKopecks", c.period, c.provider, c.idempotency_key AS "idempotencyKey",
  c.request_hash AS "requestHash", c.provider_payment_id AS "providerPaymentId", c.status,
  c.cancel_reason AS "cancelReason", c.confirmation_url AS "confirmationUrl", c.return_url AS "returnUrl",
  c.expires_at AS "expiresAt", c.paid_at AS "paidAt",
  c.payment_id AS "paymentId", c.credit_refusal AS "creditRefusal",
  c.created_at AS "createdAt", c.updated_at AS "updatedAt", c.checked_at AS "checkedAt"`;

export interface CardAccount {
  id: number;
  number: string;
  regionCode: string;
  timeZone: string;
}

/** The account's region and time zone: the card limit is a regional parameter, periods are local. */
export async function findCardAccount(db: Executor, number: string): Promise<CardAccount | undefined> {
  const r = await sql<CardAccount>`
    SELECT a.id, a.number, h.region_code AS "regionCode", r.time_zone AS "timeZone"
    FROM account a JOIN premises p ON p.id = a.premises_id JOIN house h ON h.id = p.house_id
    JOIN region r ON r.code = h.region_code
    WHERE a.number = ${number}`.execute(db);
  return r.rows[0];
}

export async function findCardPayment(db: Executor, id: string): Promise<CardPaymentRow | undefined> {
  const r = await sql<CardPaymentRow>`
    SELECT ${columns} FROM card_payment c JOIN account a ON a.id = c.account_id WHERE c.id = ${id}`.execute(
    db,
  );
  return r.rows[0];
}

export async function findByIdempotencyKey(db: Executor, key: string): Promise<CardPaymentRow | undefined> {
  const r = await sql<CardPaymentRow>`
    SELECT ${columns} FROM card_payment c JOIN account a ON a.id = c.account_id
    WHERE c.idempotency_key = ${key}`.execute(db);
  return r.rows[0];
}

/** By the provider's payment id; or by our own id (the metadata) while the provider's id is not yet stored. */
export async function findByProviderPayment(
  db: Executor,
  provider: string,
  providerPaymentId: string,
  ownId: string | undefined,
): Promise<CardPaymentRow | undefined> {
  const own = ownId && /^[0-9a-f-]{36}$/i.test(ownId) ? ownId : null;
  const r = await sql<CardPaymentRow>`
    SELECT ${columns} FROM card_payment c JOIN account a ON a.id = c.account_id
    WHERE (c.provider = ${provider} AND c.provider_payment_id = ${providerPaymentId})
       OR (c.id = ${own}::uuid AND c.provider = ${provider} AND c.provider_payment_id IS NULL)
    ORDER BY c.provider_payment_id NULLS LAST LIMIT 1`.execute(db);
  return r.rows[0];
}

export interface NewCardPayment {
  id: string;
  accountId: number;
  amountKopecks: number;
  maxKopecks: number;
  period: string | null;
  provider: string;
  idempotencyKey: string;
  requestHash: string;
  returnUrl: string;
  at: Date;
}

/** Writes a new card payment ('created') with its first event; false when the key is already taken. */
export async function insertCardPayment(db: Executor, n: NewCardPayment): Promise<boolean> {
  const r = await sql<{ id: string }>`
    WITH ins AS (
      INSERT INTO card_payment (id, account_id, amount_kopecks, max_kopecks, period, provider, idempotency_key,
                                request_hash, status, return_url, created_at, updated_at)
      VALUES (${n.id}, ${n.accountId}, ${n.amountKopecks}, ${n.maxKopecks}, ${n.period}, ${n.provider},
              ${n.idempotencyKey}, ${n.requestHash}, 'created', ${n.returnUrl}, ${n.at}, ${n.at})
      ON CONFLICT (idempotency_key) DO NOTHING
      RETURNING id)
    INSERT INTO card_payment_event (card_payment_id, at, source, status, detail)
    SELECT id, ${n.at}, 'api', 'created', NULL FROM ins
    RETURNING card_payment_id AS id`.execute(db);
  return r.rows.length > 0;
}

export interface Transition {
  id: string;
  /** Only from these statuses: a transition another delivery already made is not made twice. */
  from: CardPaymentStatus[];
  to: CardPaymentStatus;
  at: Date;
  source: CardEventSource;
  /** The provider's id; null when the provider never gave one (e.g. it refused the payment). */
  providerPaymentId: string | null;
  confirmationUrl?: string | null;
  expiresAt?: string | null;
  cancelReason?: string | null;
  paidAt?: string | null;
  paymentId?: number | null;
  creditRefusal?: string | null;
  detail?: Record<string, unknown>;
}

/**
 * Moves a card payment to a new status and appends the event, in one statement; false when it was no
 * longer in one of the `from` statuses (someone else moved it first).
 */
export async function transition(db: Executor, t: Transition): Promise<boolean> {
  const r = await sql<{ id: string }>`
    WITH upd AS (
      UPDATE card_payment SET
        status = ${t.to},
        provider_payment_id = coalesce(${t.providerPaymentId}, provider_payment_id),
        confirmation_url = coalesce(${t.confirmationUrl ?? null}, confirmation_url),
        expires_at = coalesce(${t.expiresAt ?? null}::timestamptz, expires_at),
        cancel_reason = ${t.cancelReason ?? null},
        paid_at = coalesce(${t.paidAt ?? null}::timestamptz, paid_at),
        payment_id = ${t.paymentId ?? null},
        credit_refusal = ${t.creditRefusal ?? null},
        updated_at = ${t.at},
        checked_at = ${t.at}
      WHERE id = ${t.id} AND status = ANY(${t.from}::text[])
        AND (${t.providerPaymentId}::text IS NULL OR provider_payment_id IS NULL
             OR provider_payment_id = ${t.providerPaymentId})
      RETURNING id)
    INSERT INTO card_payment_event (card_payment_id, at, source, status, detail)
    SELECT id, ${t.at}, ${t.source}, ${t.to}, ${t.detail ? JSON.stringify(t.detail) : null}::jsonb FROM upd
    RETURNING card_payment_id AS id`.execute(db);
  return r.rows.length > 0;
}

/** Appends an event without a change of status (an anomaly worth an operator's look). */
export async function appendEvent(
  db: Executor,
  e: {
    id: string;
    at: Date;
    source: CardEventSource;
    status: CardPaymentStatus;
    detail: Record<string, unknown>;
  },
): Promise<void> {
  await sql`INSERT INTO card_payment_event (card_payment_id, at, source, status, detail)
            VALUES (${e.id}, ${e.at}, ${e.source}, ${e.status}, ${JSON.stringify(e.detail)}::jsonb)`.execute(
    db,
  );
}

export async function markChecked(db: Executor, id: string, at: Date): Promise<void> {
  await sql`UPDATE card_payment SET checked_at = ${at} WHERE id = ${id}`.execute(db);
}

/** Unfinished card payments created at or before `before`, least recently checked first. */
export async function unfinishedBefore(db: Executor, before: Date, limit: number): Promise<CardPaymentRow[]> {
  const r = await sql<CardPaymentRow>`
    SELECT ${columns} FROM card_payment c JOIN account a ON a.id = c.account_id
    WHERE c.status IN ('created', 'pending') AND c.created_at <= ${before}
    ORDER BY c.checked_at NULLS FIRST, c.created_at LIMIT ${limit}`.execute(db);
  return r.rows;
}

export interface CardPaymentEvent {
  at: Date;
  source: CardEventSource;
  status: CardPaymentStatus;
  detail: Record<string, unknown> | null;
}

export async function cardPaymentEvents(db: Executor, id: string): Promise<CardPaymentEvent[]> {
  const r = await sql<CardPaymentEvent>`
    SELECT at, source, status, detail
    FROM card_payment_event WHERE card_payment_id = ${id} ORDER BY id`.execute(db);
  return r.rows;
}
