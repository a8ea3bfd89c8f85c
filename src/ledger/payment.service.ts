import { createHash } from 'node:crypto';
import { z } from 'zod';
import { localDateOf } from '../domain/local-time.ts';
import { isPaymentChannel } from '../domain/payment-channels.ts';
import { addDays, formatLocalDate, isPeriod, parseLocalDate, periodOfDate } from '../domain/period.ts';
import { nextWorkingDay } from '../domain/working-days.ts';
import type { Clock } from '../platform/clock.ts';
import { type Db, PgError, pgErrorCode } from '../platform/database.ts';
import { regionCalendar } from './calendar.repository.ts';
import {
  type Balance,
  type EntryInput,
  lockBalance,
  readBalance,
  receivableRows,
} from './ledger.repository.ts';
import { loadMoneyParameters } from './money-parameters.repository.ts';
import { accountOpenItemsFromRows } from './open-items.service.ts';
import {
  findPayableAccount,
  findSeenPayment,
  insertPayment,
  lastIssuedBill,
  type PayableAccount,
  type SeenPayment,
} from './payment.repository.ts';
import { acceptedMessage, refusalMessage } from './payment-messages.ts';
import type {
  PaymentAccepted,
  PaymentAllocation,
  PaymentCheck,
  PaymentRefusalCode,
  PaymentRefused,
  PaymentResult,
  PaymentSubmission,
} from './payment-types.ts';

export interface LedgerDeps {
  db: Db;
  clock: Clock;
}

const ACCOUNT_FORMAT = /^[0-9]{6,16}$/;

const submissionSchema = z.object({
  channel: z.string().refine(isPaymentChannel, 'unknown payment channel'),
  externalId: z.string().min(1).max(100),
  account: z.string().max(64),
  amountKopecks: z.number().int().safe(),
  paidAt: z.string().refine((v) => !Number.isNaN(Date.parse(v)), 'not an ISO timestamp'),
  period: z.string().optional(),
  payerName: z.string().max(300).optional(),
  agentCode: z.string().max(64).optional(),
  settledOn: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional(),
  registryId: z.number().int().positive().optional(),
  maxKopecks: z.number().int().positive().optional(),
});

/** Test hooks: the unsafe variant without the account lock (see test/integration/ledger-concurrency). */
export interface PaymentOptions {
  unsafeNoLock?: boolean;
  afterRead?: () => Promise<void>;
}

/**
 * The one payment use case (domain.md §9, design.md principle 2). Every channel builds a submission and
 * renders the typed result. Accepted payments are posted to the ledger in one transaction with the
 * payment row; a repeat of the channel's transaction id gets the first answer and credits nothing more.
 * Refusals change nothing and are returned; database trouble throws (the channel answers "try again").
 */
export async function submitPayment(
  deps: LedgerDeps,
  input: PaymentSubmission,
  options: PaymentOptions = {},
): Promise<PaymentResult> {
  const parsed = submissionSchema.safeParse(input);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.') || '/'}: ${i.message}`).join('; ');
    return refused('VALIDATION_FAILED', { detail });
  }
  const s = input;
  const hash = requestHash(s);
  if (!ACCOUNT_FORMAT.test(s.account)) {
    const seen = await findSeenPayment(deps.db, s.channel, s.externalId);
    return seen ? repeat(seen, hash, s) : refused('BAD_ACCOUNT_FORMAT', { account: s.account });
  }
  const found = await findPayableAccount(deps.db, s.account, s.channel, s.externalId);
  if (found.seen) return repeat(found.seen, hash, s);
  const account = found.account;
  if (!account) return refused('ACCOUNT_NOT_FOUND', { account: s.account });
  if (account.status !== 'active') return refused('ACCOUNT_CLOSED', { account: s.account });

  const now = deps.clock.now();
  const paidAt = new Date(s.paidAt);
  const paidOn = formatLocalDate(localDateOf(paidAt, account.timeZone));
  const params = await loadMoneyParameters(deps.db, account.regionCode, paidOn);
  const limit = amountRefusal(s.amountKopecks, params, s.maxKopecks);
  if (limit) return limit;
  if (s.period !== undefined) {
    const today = periodOfDate(localDateOf(now, account.timeZone));
    if (!isPeriod(s.period) || s.period > today) return refused('PERIOD_INVALID', { period: s.period });
  }
  const calendar = await regionCalendar(deps.db, account.regionCode);
  const settlementDays = params.settlementWorkingDays[s.channel] ?? 3;
  const creditExpectedOn = s.settledOn ?? addWorkingDays(paidOn, settlementDays, calendar);

  try {
    return await deps.db.transaction().execute(async (tx) => {
      const before = options.unsafeNoLock
        ? await readBalance(tx, account.id)
        : await lockBalance(tx, account.id);
      await options.afterRead?.();
      const split = splitPayment(s.amountKopecks, before);
      const entries = paymentEntries(account, s, split);
      const after: Balance = {
        receivableKopecks: before.receivableKopecks - split.toEnergy - split.advance,
        penaltyKopecks: before.penaltyKopecks - split.toPenalty,
      };
      const rows = await receivableRows(tx, [account.id]);
      const allocation = allocationOf(rows, account.id, s, paidOn, split);
      const body: Omit<PaymentAccepted, 'paymentId' | 'message' | 'messageEn'> = {
        outcome: 'accepted',
        duplicate: false,
        channel: s.channel,
        externalId: s.externalId,
        account: { number: account.number, address: account.address, payerName: account.payerName },
        amountKopecks: s.amountKopecks,
        paidAt: paidAt.toISOString(),
        paidOn,
        acceptedAt: now.toISOString(),
        creditExpectedOn,
        creditedOn: s.settledOn ?? null,
        period: s.period ?? null,
        allocation,
        balanceAfterKopecks: after.receivableKopecks + after.penaltyKopecks,
      };
      const text = acceptedMessage(body);
      const reply = { ...body, message: text.ru, messageEn: text.en };
      if (options.unsafeNoLock) await lockBalance(tx, account.id); // the row must exist for the update
      const paymentId = await insertPayment(
        tx,
        {
          channel: s.channel,
          externalId: s.externalId,
          requestHash: hash,
          accountId: account.id,
          principalId: account.principalId,
          amountKopecks: s.amountKopecks,
          period: s.period ?? null,
          paidAt,
          paidOn,
          acceptedAt: now,
          creditExpectedOn,
          payerName: s.payerName ?? null,
          agentCode: s.agentCode ?? null,
          registryId: s.registryId ?? null,
          settledOn: s.settledOn ?? null,
        },
        entries,
        reply,
        after,
        'payment:',
      );
      return { ...reply, paymentId };
    });
  } catch (e) {
    // Two deliveries of one transaction id racing: the unique key decided; answer as a repeat.
    if (pgErrorCode(e) === PgError.uniqueViolation) {
      const seen = await findSeenPayment(deps.db, s.channel, s.externalId);
      if (seen) return repeat(seen, hash, s);
    }
    throw e;
  }
}

/** "May this account be paid this sum?" — the OSMP `check`, the card page before the redirect. Writes nothing. */
export async function checkPayment(
  deps: LedgerDeps,
  q: { channel: PaymentSubmission['channel']; account: string; amountKopecks?: number; maxKopecks?: number },
): Promise<PaymentCheck> {
  if (!ACCOUNT_FORMAT.test(q.account)) return refused('BAD_ACCOUNT_FORMAT', { account: q.account });
  const found = await findPayableAccount(deps.db, q.account, q.channel, '');
  const account = found.account;
  if (!account) return refused('ACCOUNT_NOT_FOUND', { account: q.account });
  if (account.status !== 'active') return refused('ACCOUNT_CLOSED', { account: q.account });
  if (q.amountKopecks !== undefined) {
    const today = formatLocalDate(localDateOf(deps.clock.now(), account.timeZone));
    const params = await loadMoneyParameters(deps.db, account.regionCode, today);
    const limit = amountRefusal(q.amountKopecks, params, q.maxKopecks);
    if (limit) return limit;
  }
  const balance = await readBalance(deps.db, account.id);
  return {
    outcome: 'ok',
    account: { number: account.number, address: account.address, payerName: account.payerName },
    balanceKopecks: balance.receivableKopecks + balance.penaltyKopecks,
    lastBill: await lastIssuedBill(deps.db, account.id),
  };
}

function amountRefusal(
  amount: number,
  params: { paymentMinKopecks: number; paymentMaxKopecks: number },
  channelMax: number | undefined,
): PaymentRefused | undefined {
  if (amount <= 0) return refused('AMOUNT_NOT_POSITIVE', { amountKopecks: amount });
  if (amount < params.paymentMinKopecks)
    return refused('AMOUNT_TOO_SMALL', { minKopecks: params.paymentMinKopecks });
  const max = Math.min(params.paymentMaxKopecks, channelMax ?? Number.MAX_SAFE_INTEGER);
  if (amount > max) return refused('AMOUNT_OVER_LIMIT', { maxKopecks: max });
  return undefined;
}

/**
 * §9 how a payment settles the books: energy debt first, then penalties, the rest carried forward as an
 * advance on the receivable book (which the next charges consume).
 */
export function splitPayment(
  amount: number,
  before: Balance,
): { toEnergy: number; toPenalty: number; advance: number } {
  const toEnergy = Math.min(amount, Math.max(before.receivableKopecks, 0));
  const toPenalty = Math.min(amount - toEnergy, Math.max(before.penaltyKopecks, 0));
  return { toEnergy, toPenalty, advance: amount - toEnergy - toPenalty };
}

function paymentEntries(
  account: PayableAccount,
  s: PaymentSubmission,
  split: { toEnergy: number; toPenalty: number; advance: number },
): EntryInput[] {
  const base = { principalId: account.principalId, dueDate: null, channel: null };
  const entries: EntryInput[] = [
    {
      ...base,
      book: 'clearing',
      accountId: null,
      period: null,
      item: 'payment',
      channel: s.channel,
      amountKopecks: s.amountKopecks,
    },
  ];
  const toReceivable = split.toEnergy + split.advance;
  if (toReceivable > 0)
    entries.push({
      ...base,
      book: 'receivable',
      accountId: account.id,
      period: s.period ?? null,
      item: 'payment',
      amountKopecks: -toReceivable,
    });
  if (split.toPenalty > 0)
    entries.push({
      ...base,
      book: 'penalty',
      accountId: account.id,
      period: null,
      item: 'payment',
      amountKopecks: -split.toPenalty,
    });
  return entries;
}

/** The allocation the payer is shown: per period paid, penalties, and the advance carried forward. */
function allocationOf(
  rows: Awaited<ReturnType<typeof receivableRows>>,
  accountId: number,
  s: PaymentSubmission,
  paidOn: string,
  split: { toEnergy: number; toPenalty: number; advance: number },
): PaymentAllocation[] {
  const toReceivable = split.toEnergy + split.advance;
  const before = accountOpenItemsFromRows(rows, accountId);
  const nextSeq = (rows.at(-1)?.id ?? 0) + 1;
  const withPayment =
    toReceivable > 0
      ? accountOpenItemsFromRows(
          [
            ...rows,
            {
              accountId,
              id: nextSeq,
              txnKind: 'payment',
              occurredOn: paidOn,
              period: s.period ?? null,
              dueDate: null,
              item: 'payment',
              amountKopecks: -toReceivable,
            },
          ],
          accountId,
        )
      : before;
  const out: PaymentAllocation[] = [];
  for (const item of withPayment.items) {
    const was = before.items.find((i) => i.period === item.period)?.paidKopecks ?? 0;
    if (item.paidKopecks > was)
      out.push({ kind: 'charge', period: item.period, amountKopecks: item.paidKopecks - was });
  }
  if (split.toPenalty > 0) out.push({ kind: 'penalty', period: null, amountKopecks: split.toPenalty });
  const advance = withPayment.advanceKopecks - before.advanceKopecks;
  if (advance > 0) out.push({ kind: 'advance', period: null, amountKopecks: advance });
  return out;
}

function addWorkingDays(date: string, n: number, calendar: Parameters<typeof nextWorkingDay>[1]): string {
  let d = parseLocalDate(date);
  for (let i = 0; i < n; i++) d = nextWorkingDay(addDays(d, 1), calendar);
  return formatLocalDate(d);
}

function requestHash(s: PaymentSubmission): string {
  const paidAt = Number.isNaN(Date.parse(s.paidAt)) ? s.paidAt : new Date(s.paidAt).toISOString();
  return createHash('sha256')
    .update(JSON.stringify([s.channel, s.externalId, s.account, s.amountKopecks, s.period ?? null, paidAt]))
    .digest('hex');
}

function repeat(seen: SeenPayment, hash: string, s: PaymentSubmission): PaymentResult {
  if (seen.requestHash !== hash) return refused('IDEMPOTENCY_CONFLICT', { externalId: s.externalId });
  return { ...seen.reply, duplicate: true };
}

function refused(code: PaymentRefusalCode, params: Record<string, unknown>): PaymentRefused {
  const m = refusalMessage(code, params);
  return { outcome: 'refused', code, params, message: m.ru, messageEn: m.en };
}
