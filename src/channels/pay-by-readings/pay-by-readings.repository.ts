import { sql } from 'kysely';
import type { Executor } from '../../platform/database.ts';

/** The only SQL of "pay by readings": one write-once row per Idempotency-Key (migrations/0013). */

export interface PayByReadingsRow {
  idempotencyKey: string;
  accountId: number;
  requestHash: string;
  readingId: number | null;
  amountKopecks: number | null;
  answer: unknown;
  createdAt: Date;
}

export async function findPayByReadings(db: Executor, key: string): Promise<PayByReadingsRow | undefined> {
  const r = await sql<PayByReadingsRow>`
    SELECT idempotency_key AS "idempotencyKey", account_id AS "accountId", request_hash AS "requestHash",
           reading_id AS "readingId", amount_kopecks AS "amountKopecks", answer, created_at AS "createdAt"
    FROM pay_by_readings WHERE idempotency_key = ${key}`.execute(db);
  return r.rows[0];
}

/** Writes the row unless the key is taken (a concurrent retry won): the caller reads back the winner. */
export async function insertPayByReadings(db: Executor, row: PayByReadingsRow): Promise<void> {
  await sql`
    INSERT INTO pay_by_readings (idempotency_key, account_id, request_hash, reading_id, amount_kopecks, answer, created_at)
    VALUES (${row.idempotencyKey}, ${row.accountId}, ${row.requestHash}, ${row.readingId}, ${row.amountKopecks},
            ${JSON.stringify(row.answer)}::jsonb, ${row.createdAt})
    ON CONFLICT (idempotency_key) DO NOTHING`.execute(db);
}

/** The account's id by number (the row names the account it paid for). */
export async function accountIdOf(db: Executor, number: string): Promise<number | undefined> {
  const r = await sql<{ id: number }>`SELECT id FROM account WHERE number = ${number}`.execute(db);
  return r.rows[0]?.id;
}
