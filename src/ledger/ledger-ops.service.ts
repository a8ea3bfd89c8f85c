import { sql } from 'kysely';
import { localDateOf } from '../domain/local-time.ts';
import { formatLocalDate, isPeriod } from '../domain/period.ts';
import type { Db, Executor } from '../platform/database.ts';
import {
  type Balance,
  type Book,
  lockBalance,
  postTxn,
  readBalance,
  type TxnKind,
  writeBalance,
} from './ledger.repository.ts';
import { LedgerError } from './ledger-errors.ts';
import type { LedgerDeps } from './payment.service.ts';

/**
 * The other money movements of §9, each one ledger transaction under the account's lock, each idempotent by
 * its key: settlement of accepted payments, refunds of an advance, write-offs, opening balances handed over
 * (§13) and transfers between principals (an agent remitting what it collected).
 */

interface AccountRef {
  id: number;
  number: string;
  principalId: number;
  timeZone: string;
}

async function accountRef(db: Executor, number: string): Promise<AccountRef> {
  const r = await sql<AccountRef>`
    SELECT a.id, a.number, a.principal_id AS "principalId", rg.time_zone AS "timeZone"
    FROM account a JOIN premises p ON p.id = a.premises_id JOIN house h ON h.id = p.house_id
    JOIN region rg ON rg.code = h.region_code WHERE a.number = ${number}`.execute(db);
  const a = r.rows[0];
  if (!a) throw LedgerError.accountNotFound(number);
  return a;
}

/**
 * §9 accepted → credited: the payments whose money settled by `through` (their expected day has come, or
 * all of one channel when a statement says so) move from money in transit to cash. Set-based, idempotent.
 */
export async function settlePayments(
  db: Db,
  o: { through: string; channel?: string; source?: string },
): Promise<{ settled: number; kopecks: number }> {
  const r = await sql<{ settled: number; kopecks: number }>`
    WITH due AS (
      SELECT p.id, p.account_id, p.principal_id, p.channel, p.amount_kopecks,
             greatest(p.paid_on, least(p.credit_expected_on, ${o.through}::date)) AS credited_on
      FROM payment p
      WHERE NOT EXISTS (SELECT 1 FROM payment_settlement s WHERE s.payment_id = p.id)
        AND p.paid_on <= ${o.through}::date
        AND ${o.channel === undefined ? sql`p.credit_expected_on <= ${o.through}::date` : sql`p.channel = ${o.channel}`}
      ORDER BY p.id
      FOR UPDATE OF p SKIP LOCKED),
    s AS (
      INSERT INTO payment_settlement (payment_id, credited_on, source)
      SELECT id, credited_on, ${o.source ?? 'schedule'} FROM due
      ON CONFLICT (payment_id) DO NOTHING
      RETURNING payment_id),
    t AS (
      INSERT INTO ledger_txn (kind, account_id, occurred_on, source, payment_id)
      SELECT 'settlement', due.account_id, due.credited_on, 'settle:' || due.id, due.id
      FROM due JOIN s ON s.payment_id = due.id
      RETURNING id, payment_id, occurred_on),
    e AS (
      INSERT INTO ledger_entry (txn_id, book, principal_id, item, channel, amount_kopecks, occurred_on)
      SELECT t.id, x.book, due.principal_id, 'settlement', due.channel, x.sign * due.amount_kopecks, t.occurred_on
      FROM t JOIN due ON due.id = t.payment_id, (VALUES ('cash', 1), ('clearing', -1)) AS x(book, sign)
      RETURNING amount_kopecks)
    SELECT (SELECT count(*) FROM t)::int AS settled,
           coalesce((SELECT sum(amount_kopecks) FROM e WHERE amount_kopecks > 0), 0)::bigint AS kopecks`.execute(
    db,
  );
  return r.rows[0]!;
}

/**
 * Test hooks of the concurrency test (test/integration/ledger-concurrency.test.ts): the unsafe variant
 * reads the balance without the account lock, and `afterRead` holds the transaction after the read.
 */
export interface UnsafeOptions {
  unsafeNoLock?: boolean;
  afterRead?: () => Promise<void>;
}

export interface AdjustmentInput {
  account: string;
  amountKopecks: number;
  /** The idempotency key of this operation (e.g. the refund application's number). */
  key: string;
  memo: string;
  by: string;
  period?: string;
}

type OpResult = { txnId: number | null; balance: Balance };

/** One line of an account's posting: subscriber books (receivable, penalty) carry the account. */
interface Line {
  book: Book;
  item: string;
  amountKopecks: number;
  period?: string | null;
  dueDate?: string | null;
}

/**
 * One money movement of a subscriber account: under the account's lock (docs/ledger.md "Concurrency") the
 * plan checks the balance and returns the lines; they are posted as one transaction, idempotent by its
 * source key, and the cached balance moves by the same amounts.
 */
async function postForAccount(
  deps: LedgerDeps,
  number: string,
  t: { kind: TxnKind; source: string; memo: string; by: string },
  plan: (before: Balance, on: string) => Line[],
  options: UnsafeOptions = {},
): Promise<OpResult> {
  const a = await accountRef(deps.db, number);
  const on = formatLocalDate(localDateOf(deps.clock.now(), a.timeZone));
  return deps.db.transaction().execute(async (tx) => {
    const before = options.unsafeNoLock ? await readBalance(tx, a.id) : await lockBalance(tx, a.id);
    await options.afterRead?.();
    const lines = plan(before, on);
    const subscriber = (b: Book) => b === 'receivable' || b === 'penalty';
    const txnId = await postTxn(
      tx,
      { kind: t.kind, accountId: a.id, occurredOn: on, source: t.source, memo: t.memo, postedBy: t.by },
      lines.map((l) => ({
        book: l.book,
        accountId: subscriber(l.book) ? a.id : null,
        principalId: a.principalId,
        period: l.period ?? null,
        dueDate: l.dueDate ?? null,
        item: l.item,
        channel: null,
        amountKopecks: l.amountKopecks,
      })),
    );
    const moved = (b: Book) => lines.filter((l) => l.book === b).reduce((x, l) => x + l.amountKopecks, 0);
    const after =
      txnId === null
        ? before
        : {
            receivableKopecks: before.receivableKopecks + moved('receivable'),
            penaltyKopecks: before.penaltyKopecks + moved('penalty'),
          };
    await writeBalance(tx, a.id, after);
    return { txnId, balance: after };
  });
}

function positive(amount: number): void {
  if (!Number.isSafeInteger(amount) || amount <= 0) throw LedgerError.amountNotPositive(amount);
}

/** Refund of an overpayment (the advance): never more than the advance, checked under the account lock. */
export async function refundAdvance(
  deps: LedgerDeps,
  input: AdjustmentInput,
  options: UnsafeOptions = {},
): Promise<OpResult> {
  positive(input.amountKopecks);
  const x = input.amountKopecks;
  return postForAccount(
    deps,
    input.account,
    { kind: 'refund', source: `refund:${input.key}`, memo: input.memo, by: input.by },
    (before, on) => {
      const advance = Math.max(0, -before.receivableKopecks);
      if (x > advance) throw LedgerError.refundOverAdvance(x, advance);
      // A refund is a charge due at once that the advance pays (docs/ledger.md): money leaves the cash book.
      return [
        { book: 'receivable', item: 'refund', amountKopecks: x, period: on.slice(0, 7), dueDate: on },
        { book: 'cash', item: 'refund', amountKopecks: -x },
      ];
    },
    options,
  );
}

/** Write-off of an energy debt (e.g. by a court decision or the limitation period): at most the debt. */
export async function writeOffDebt(deps: LedgerDeps, input: AdjustmentInput): Promise<OpResult> {
  positive(input.amountKopecks);
  if (input.period !== undefined && !isPeriod(input.period)) throw LedgerError.badPeriod(input.period);
  const x = input.amountKopecks;
  return postForAccount(
    deps,
    input.account,
    { kind: 'write_off', source: `write_off:${input.key}`, memo: input.memo, by: input.by },
    (before) => {
      if (x > Math.max(0, before.receivableKopecks))
        throw LedgerError.writeOffOverDebt(x, before.receivableKopecks);
      return [
        { book: 'receivable', item: 'write_off', amountKopecks: -x, period: input.period ?? null },
        { book: 'write_off', item: 'write_off', amountKopecks: x },
      ];
    },
  );
}

/**
 * An opening balance handed over with a house (§13): a debt for a period (due on a date) or an advance.
 * Positive = the subscriber owes; negative = an advance.
 */
export async function postOpeningBalance(
  deps: LedgerDeps,
  input: AdjustmentInput & { dueDate?: string },
): Promise<OpResult> {
  if (input.amountKopecks === 0 || !Number.isSafeInteger(input.amountKopecks))
    throw LedgerError.amountNotPositive(input.amountKopecks);
  if (input.period !== undefined && !isPeriod(input.period)) throw LedgerError.badPeriod(input.period);
  const x = input.amountKopecks;
  return postForAccount(
    deps,
    input.account,
    { kind: 'opening', source: `opening:${input.key}`, memo: input.memo, by: input.by },
    (_before, on) =>
      x > 0
        ? [
            {
              book: 'receivable',
              item: 'opening',
              amountKopecks: x,
              period: input.period ?? on.slice(0, 7),
              dueDate: input.dueDate ?? on,
            },
            { book: 'revenue', item: 'opening', amountKopecks: -x },
          ]
        : [
            { book: 'receivable', item: 'opening', amountKopecks: x },
            { book: 'cash', item: 'opening', amountKopecks: -x },
          ],
  );
}

/**
 * A charge outside the monthly bill, due on a day: the §11 reconnection costs, or a correction an operator
 * books for a period. Negative = a credit for that period (e.g. a recalculation decided by a complaint).
 */
export async function postCharge(
  deps: LedgerDeps,
  input: AdjustmentInput & { dueDate: string; item: 'fee' | 'energy' | 'recalculation' },
): Promise<OpResult> {
  if (input.amountKopecks === 0 || !Number.isSafeInteger(input.amountKopecks))
    throw LedgerError.amountNotPositive(input.amountKopecks);
  if (input.period !== undefined && !isPeriod(input.period)) throw LedgerError.badPeriod(input.period);
  const x = input.amountKopecks;
  return postForAccount(
    deps,
    input.account,
    {
      kind: input.item === 'fee' ? 'fee' : 'charge',
      source: `charge:${input.key}`,
      memo: input.memo,
      by: input.by,
    },
    (_before, on) => {
      const period = input.period ?? on.slice(0, 7);
      return [
        { book: 'receivable', item: input.item, amountKopecks: x, period, dueDate: input.dueDate },
        { book: 'revenue', item: input.item, amountKopecks: -x, period },
      ];
    },
  );
}

/** A penalty booked or waived by an operator (± kopecks; e.g. a court's decision, a waiver): the penalty book. */
export async function adjustPenalty(deps: LedgerDeps, input: AdjustmentInput): Promise<OpResult> {
  if (input.amountKopecks === 0 || !Number.isSafeInteger(input.amountKopecks))
    throw LedgerError.amountNotPositive(input.amountKopecks);
  const x = input.amountKopecks;
  return postForAccount(
    deps,
    input.account,
    { kind: 'adjustment', source: `penalty:${input.key}`, memo: input.memo, by: input.by },
    (before) => {
      if (x < 0 && -x > Math.max(0, before.penaltyKopecks))
        throw LedgerError.writeOffOverDebt(-x, before.penaltyKopecks);
      return [
        { book: 'penalty', item: 'penalty', amountKopecks: x, period: input.period ?? null },
        { book: 'penalty_revenue', item: 'penalty', amountKopecks: -x },
      ];
    },
  );
}

/** Money collected by one principal (an agent) remitted to another (the supplier): cash moves between them. */
export async function transferBetweenPrincipals(
  db: Db,
  o: { from: string; to: string; amountKopecks: number; on: string; key: string; memo: string; by: string },
): Promise<number | null> {
  if (!(o.amountKopecks > 0)) throw LedgerError.amountNotPositive(o.amountKopecks);
  const r = await sql<{ id: number; code: string }>`
    SELECT id, code FROM principal WHERE code IN (${o.from}, ${o.to})`.execute(db);
  const from = r.rows.find((x) => x.code === o.from);
  const to = r.rows.find((x) => x.code === o.to);
  if (!from) throw LedgerError.principalNotFound(o.from);
  if (!to) throw LedgerError.principalNotFound(o.to);
  if (from.id === to.id) throw LedgerError.samePrincipal(o.from);
  return postTxn(
    db,
    {
      kind: 'transfer',
      accountId: null,
      occurredOn: o.on,
      source: `transfer:${o.key}`,
      memo: o.memo,
      postedBy: o.by,
    },
    [
      {
        book: 'cash',
        accountId: null,
        principalId: to.id,
        period: null,
        dueDate: null,
        item: 'transfer',
        channel: null,
        amountKopecks: o.amountKopecks,
      },
      {
        book: 'cash',
        accountId: null,
        principalId: from.id,
        period: null,
        dueDate: null,
        item: 'transfer',
        channel: null,
        amountKopecks: -o.amountKopecks,
      },
    ],
  );
}
