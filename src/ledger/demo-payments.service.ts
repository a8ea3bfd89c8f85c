import { sql } from 'kysely';
import { addDays, formatLocalDate, parseLocalDate } from '../domain/period.ts';
import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/database.ts';
import { submitPayments } from './payment.service.ts';
import type { PaymentSubmission } from './payment-types.ts';

/**
 * The demo city's payment history (npm start): after each billed period, its payers pay through the one
 * payment use case as a real city does — most of them on time through bank registries, cash desks and the
 * post, some a month and a half late (so §10 penalties appear), a few not at all (so §11 debt cases
 * appear). Deterministic by account id; idempotent (each payment's id names the period and account).
 */
export async function payDemoBills(
  db: Db,
  clock: Clock,
  period: string,
  o: { batch?: number } = {},
): Promise<{ paid: number; late: number; unpaid: number }> {
  const today = clock.now().toISOString().slice(0, 10);
  const bills = await sql<{ accountId: number; number: string; amountDueKopecks: number; dueDate: string }>`
    SELECT b.account_id AS "accountId", a.number, b.amount_due_kopecks AS "amountDueKopecks", b.due_date AS "dueDate"
    FROM bill b JOIN account a ON a.id = b.account_id
    WHERE b.period = ${period} AND b.status = 'issued' AND b.amount_due_kopecks > 0 AND a.status = 'active'
    ORDER BY b.account_id`.execute(db);
  const result = { paid: 0, late: 0, unpaid: 0 };
  const channels = ['bank_registry', 'bank_registry', 'cash_desk', 'post'] as const;
  const batch: PaymentSubmission[] = [];
  const lateOf: boolean[] = [];
  for (const b of bills.rows) {
    const roll = hash(b.accountId) % 100;
    const lateDays = roll < 16 ? 45 : -3 - (roll % 7);
    const paidOn = formatLocalDate(addDays(parseLocalDate(b.dueDate), lateDays));
    if (roll < 6 || paidOn >= today) {
      result.unpaid++;
      continue;
    }
    const channel = channels[roll % channels.length]!;
    batch.push({
      channel,
      externalId: `DEMO-${period}-${b.number}`,
      account: b.number,
      amountKopecks: b.amountDueKopecks,
      paidAt: `${paidOn}T09:30:00+03:00`,
      period,
      ...(channel === 'bank_registry' ? { settledOn: paidOn, agentCode: 'SBER' } : {}),
    });
    lateOf.push(lateDays > 0);
  }
  // In registry-sized batches, as a bank's daily file comes in.
  for (let i = 0; i < batch.length; i += o.batch ?? 500) {
    const results = await submitPayments({ db, clock }, batch.slice(i, i + (o.batch ?? 500)));
    results.forEach((r, k) => {
      if (r.outcome !== 'accepted') return;
      if (lateOf[i + k]) result.late++;
      else result.paid++;
    });
  }
  return result;
}

/** A small integer hash (deterministic demo behaviour per account). */
function hash(n: number): number {
  let x = (n ^ 0x9e3779b9) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b) >>> 0;
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35) >>> 0;
  return (x ^ (x >>> 16)) >>> 0;
}
