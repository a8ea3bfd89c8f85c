import { sql } from 'kysely';
import { localDateOf } from '../domain/local-time.ts';
import { formatLocalDate } from '../domain/period.ts';
import type { Executor } from '../platform/database.ts';
import { LedgerError } from './ledger-errors.ts';
import { accountOpenItems } from './open-items.service.ts';
import type { LedgerDeps } from './payment.service.ts';

/**
 * The money side of one account as the subscriber and the operator see it (§9): balance, what is open
 * per period and since when it is overdue, the payments with their state (accepted / credited), and the
 * ledger movements line by line.
 */
export interface AccountStatement {
  account: { number: string; payerName: string; address: string };
  asOf: string;
  balanceKopecks: number;
  energyKopecks: number;
  penaltyKopecks: number;
  advanceKopecks: number;
  overdueKopecks: number;
  openItems: {
    period: string;
    dueDate: string;
    chargedKopecks: number;
    paidKopecks: number;
    openKopecks: number;
    overdue: boolean;
  }[];
  payments: {
    id: number;
    channel: string;
    externalId: string;
    amountKopecks: number;
    period: string | null;
    paidAt: string;
    paidOn: string;
    state: 'accepted' | 'credited';
    creditExpectedOn: string;
    creditedOn: string | null;
  }[];
  movements: {
    txnId: number;
    kind: string;
    occurredOn: string;
    item: string;
    book: string;
    period: string | null;
    amountKopecks: number;
    memo: string | null;
  }[];
}

export async function accountStatement(
  deps: LedgerDeps,
  number: string,
  o: { limit?: number } = {},
): Promise<AccountStatement> {
  const db = deps.db;
  const a = await accountByNumber(db, number);
  if (!a) throw LedgerError.accountNotFound(number);
  const asOf = formatLocalDate(localDateOf(deps.clock.now(), a.timeZone));
  const debt = (await accountOpenItems(db, [a.id], asOf)).get(a.id)!;
  const limit = o.limit ?? 200;
  const payments = await sql<AccountStatement['payments'][number]>`
    SELECT p.id, p.channel, p.external_id AS "externalId", p.amount_kopecks AS "amountKopecks", p.period,
           p.paid_at AS "paidAt", p.paid_on AS "paidOn",
           CASE WHEN s.payment_id IS NULL THEN 'accepted' ELSE 'credited' END AS state,
           p.credit_expected_on AS "creditExpectedOn", s.credited_on AS "creditedOn"
    FROM payment p LEFT JOIN payment_settlement s ON s.payment_id = p.id
    WHERE p.account_id = ${a.id} ORDER BY p.paid_at DESC, p.id DESC LIMIT ${limit}`.execute(db);
  const movements = await sql<AccountStatement['movements'][number]>`
    SELECT t.id AS "txnId", t.kind, e.occurred_on AS "occurredOn", e.item, e.book, e.period,
           e.amount_kopecks AS "amountKopecks", t.memo
    FROM ledger_entry e JOIN ledger_txn t ON t.id = e.txn_id
    WHERE e.account_id = ${a.id} ORDER BY e.id DESC LIMIT ${limit}`.execute(db);
  const energy = debt.balanceKopecks - debt.penaltyKopecks;
  return {
    account: { number: a.number, payerName: a.payerName, address: a.address },
    asOf,
    balanceKopecks: debt.balanceKopecks,
    energyKopecks: energy,
    penaltyKopecks: debt.penaltyKopecks,
    advanceKopecks: debt.advanceKopecks,
    overdueKopecks: debt.overdueKopecks,
    openItems: debt.items
      .filter((i) => i.openKopecks !== 0)
      .map((i) => ({
        period: i.period,
        dueDate: i.dueDate,
        chargedKopecks: i.chargedKopecks,
        paidKopecks: i.paidKopecks,
        openKopecks: i.openKopecks,
        overdue: i.dueDate < asOf,
      })),
    payments: payments.rows.map((p) => ({ ...p, paidAt: new Date(p.paidAt).toISOString() })),
    movements: movements.rows,
  };
}

async function accountByNumber(db: Executor, number: string) {
  const r = await sql<{ id: number; number: string; payerName: string; address: string; timeZone: string }>`
    SELECT a.id, a.number, a.payer_name AS "payerName", CASE WHEN h.kind = 'apartment_building' THEN h.address || ', кв. ' || p.number ELSE h.address END AS address,
           rg.time_zone AS "timeZone"
    FROM account a JOIN premises p ON p.id = a.premises_id JOIN house h ON h.id = p.house_id
    JOIN region rg ON rg.code = h.region_code WHERE a.number = ${number}`.execute(db);
  return r.rows[0];
}
