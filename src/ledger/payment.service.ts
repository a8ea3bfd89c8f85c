import { createHash } from 'node:crypto';
import { z } from 'zod';
import { localDateOf } from '../domain/local-time.ts';
import { openItems } from '../domain/open-items.ts';
import { isPaymentChannel } from '../domain/payment-channels.ts';
import { addDays, formatLocalDate, isPeriod, parseLocalDate, periodOfDate } from '../domain/period.ts';
import { nextWorkingDay } from '../domain/working-days.ts';
import type { Clock } from '../platform/clock.ts';
import { type Db, PgError, pgErrorCode } from '../platform/database.ts';
import { regionCalendar } from './calendar.repository.ts';
import {
  type Balance,
  type EntryInput,
  ensureBalanceRows,
  lockBalances,
  type ReceivableRow,
  readBalancesUnlocked,
  receivableRows,
} from './ledger.repository.ts';
import { loadMoneyParameters } from './money-parameters.repository.ts';
import { receivableEvents } from './open-items.service.ts';
import {
  findPayable,
  insertPayments,
  lastIssuedBill,
  type PayableAccount,
  type PaymentRowInput,
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
  const [result] = await submitPayments(deps, [input], options);
  return result!;
}

/** A submission that passed every check, waiting to be posted. */
interface Candidate {
  index: number;
  s: PaymentSubmission;
  hash: string;
  account: PayableAccount;
}

/**
 * The payment use case for many payments at once (a bank registry, the demo city): the same rules and the
 * same answers as one by one, in one transaction and a handful of statements whatever their number.
 * Results come in input order. Payments to one account in a batch are applied in input order.
 */
export async function submitPayments(
  deps: LedgerDeps,
  inputs: PaymentSubmission[],
  options: PaymentOptions = {},
): Promise<PaymentResult[]> {
  const results: (PaymentResult | undefined)[] = new Array(inputs.length);
  const hashes = inputs.map((s) => requestHash(s));
  const valid: number[] = [];
  inputs.forEach((s, i) => {
    const parsed = submissionSchema.safeParse(s);
    if (parsed.success) valid.push(i);
    else {
      const detail = parsed.error.issues.map((x) => `${x.path.join('.') || '/'}: ${x.message}`).join('; ');
      results[i] = refused('VALIDATION_FAILED', { detail });
    }
  });
  const found = await findPayable(
    deps.db,
    [...new Set(valid.map((i) => inputs[i]!.account).filter((a) => ACCOUNT_FORMAT.test(a)))],
    valid.map((i) => ({ channel: inputs[i]!.channel, externalId: inputs[i]!.externalId })),
  );
  const now = deps.clock.now();
  const candidates: Candidate[] = [];
  const inBatch = new Map<string, number>();
  for (const i of valid) {
    const s = inputs[i]!;
    const key = `${s.channel} ${s.externalId}`;
    const seen = found.seen.get(key);
    if (seen) {
      results[i] = repeat(seen, hashes[i]!, s);
      continue;
    }
    const first = inBatch.get(key);
    if (first !== undefined) continue; // answered after the first one is posted
    const account = found.accounts.get(s.account);
    const refusal = await refusalOf(deps, s, account, now);
    if (refusal || !account) {
      results[i] = refusal;
      continue;
    }
    inBatch.set(key, i);
    candidates.push({ index: i, s, hash: hashes[i]!, account });
  }
  if (candidates.length > 0) {
    try {
      const accepted = await postPayments(deps, candidates, now, options);
      accepted.forEach((r, k) => {
        results[candidates[k]!.index] = r;
      });
    } catch (e) {
      // Deliveries of one transaction id racing: the unique key decided; answer them one by one.
      if (pgErrorCode(e) !== PgError.uniqueViolation) throw e;
      if (candidates.length === 1) {
        const c = candidates[0]!;
        const again = await findPayable(deps.db, [], [{ channel: c.s.channel, externalId: c.s.externalId }]);
        const seen = again.seen.get(`${c.s.channel} ${c.s.externalId}`);
        if (!seen) throw e;
        results[c.index] = repeat(seen, c.hash, c.s);
      } else {
        for (const c of candidates) results[c.index] = (await submitPayments(deps, [c.s], options))[0];
      }
    }
  }
  // Second deliveries inside the batch: repeats of the first one's answer (or a conflict).
  for (const i of valid) {
    if (results[i]) continue;
    const s = inputs[i]!;
    const first = results[inBatch.get(`${s.channel} ${s.externalId}`)!]!;
    results[i] =
      first.outcome === 'accepted'
        ? repeat(
            { requestHash: hashes[inBatch.get(`${s.channel} ${s.externalId}`)!]!, reply: first },
            hashes[i]!,
            s,
          )
        : first;
  }
  return results as PaymentResult[];
}

/** The checks of one submission against its account and the parameters in force; undefined = passed. */
async function refusalOf(
  deps: LedgerDeps,
  s: PaymentSubmission,
  account: PayableAccount | undefined,
  now: Date,
): Promise<PaymentRefused | undefined> {
  if (!ACCOUNT_FORMAT.test(s.account)) return refused('BAD_ACCOUNT_FORMAT', { account: s.account });
  if (!account) return refused('ACCOUNT_NOT_FOUND', { account: s.account });
  if (account.status !== 'active') return refused('ACCOUNT_CLOSED', { account: s.account });
  const paidAt = new Date(s.paidAt);
  const paidOn = formatLocalDate(localDateOf(paidAt, account.timeZone));
  const params = await loadMoneyParameters(deps.db, account.regionCode, paidOn);
  const limit = amountRefusal(s.amountKopecks, params, s.maxKopecks);
  if (limit) return limit;
  if (s.period !== undefined) {
    const today = periodOfDate(localDateOf(now, account.timeZone));
    if (!isPeriod(s.period) || s.period > today) return refused('PERIOD_INVALID', { period: s.period });
  }
  return undefined;
}

/** Posts accepted payments: locks their accounts' balances, decides each split, writes everything at once. */
async function postPayments(
  deps: LedgerDeps,
  candidates: Candidate[],
  now: Date,
  options: PaymentOptions,
): Promise<PaymentAccepted[]> {
  const prepared: (Candidate & { paidAt: Date; paidOn: string; creditExpectedOn: string })[] = [];
  for (const c of candidates) {
    const paidAt = new Date(c.s.paidAt);
    const paidOn = formatLocalDate(localDateOf(paidAt, c.account.timeZone));
    const params = await loadMoneyParameters(deps.db, c.account.regionCode, paidOn);
    const calendar = await regionCalendar(deps.db, c.account.regionCode);
    const days = params.settlementWorkingDays[c.s.channel] ?? 3;
    prepared.push({
      ...c,
      paidAt,
      paidOn,
      creditExpectedOn: c.s.settledOn ?? addWorkingDays(paidOn, days, calendar),
    });
  }
  const accountIds = [...new Set(prepared.map((c) => c.account.id))].sort((a, b) => a - b);
  // Optimistic: priced on the balances and entries read with the accounts, posted by one statement that
  // locks the balance rows and writes only if none moved since (docs/ledger.md "Concurrency"). A moved
  // balance, an account's first posting, or a test hook: the locked transaction below.
  const byId = new Map(prepared.map((c) => [c.account.id, c.account]));
  if (
    !options.unsafeNoLock &&
    !options.afterRead &&
    accountIds.every((id) => byId.get(id)!.version !== null)
  ) {
    const balances = new Map(accountIds.map((id) => [id, { ...byId.get(id)!.balance }]));
    const rows = accountIds.flatMap((id) => rowsOfAccount(byId.get(id)!));
    const priced = price(prepared, balances, rows, now);
    const ids = await insertPayments(
      deps.db,
      priced.out,
      accountIds.map((id) => ({
        accountId: id,
        ...balances.get(id)!,
        expectedVersion: byId.get(id)!.version!,
      })),
    );
    if (ids) return priced.bodies.map((b, k) => ({ ...b, paymentId: ids[k]! }) as PaymentAccepted);
  }
  return deps.db.transaction().execute(async (tx) => {
    const balances = options.unsafeNoLock
      ? await readBalancesUnlocked(tx, accountIds)
      : await lockBalances(tx, accountIds);
    const rows = await receivableRows(tx, accountIds);
    await options.afterRead?.();
    const priced = price(prepared, balances, rows, now);
    if (options.unsafeNoLock) await ensureBalanceRows(tx, accountIds);
    const ids = (await insertPayments(
      tx,
      priced.out,
      accountIds.map((id) => ({ accountId: id, ...balances.get(id)! })),
    ))!;
    return priced.bodies.map((b, k) => ({ ...b, paymentId: ids[k]! }) as PaymentAccepted);
  });
}

function rowsOfAccount(a: PayableAccount): ReceivableRow[] {
  return a.rows.map(([id, kind, on, period, due, amount]) => ({
    accountId: a.id,
    id,
    txnKind: kind as ReceivableRow['txnKind'],
    occurredOn: on,
    period,
    dueDate: due,
    item: '',
    amountKopecks: amount,
  }));
}

/**
 * Prices the payments on the balances and receivable entries given (updated in place, in input order):
 * each payment's split (§9: energy, then penalties, then advance), its allocation, its answer and rows.
 */
function price(
  prepared: (Candidate & { paidAt: Date; paidOn: string; creditExpectedOn: string })[],
  balances: Map<number, Balance>,
  rows: ReceivableRow[],
  now: Date,
): { out: PaymentRowInput[]; bodies: Omit<PaymentAccepted, 'paymentId'>[] } {
  const rowsOf = new Map<number, ReceivableRow[]>();
  for (const r of rows) rowsOf.set(r.accountId, [...(rowsOf.get(r.accountId) ?? []), r]);
  let seq = (rows.reduce((m, r) => Math.max(m, r.id), 0) || 0) + 1;
  const out: PaymentRowInput[] = [];
  const bodies: Omit<PaymentAccepted, 'paymentId'>[] = [];
  for (const c of prepared) {
    const before = balances.get(c.account.id) ?? { receivableKopecks: 0, penaltyKopecks: 0 };
    const split = splitPayment(c.s.amountKopecks, before);
    const after: Balance = {
      receivableKopecks: before.receivableKopecks - split.toEnergy - split.advance,
      penaltyKopecks: before.penaltyKopecks - split.toPenalty,
    };
    balances.set(c.account.id, after);
    const own = rowsOf.get(c.account.id) ?? [];
    const credit: ReceivableRow = {
      accountId: c.account.id,
      id: seq++,
      txnKind: 'payment',
      occurredOn: c.paidOn,
      period: c.s.period ?? null,
      dueDate: null,
      item: 'payment',
      amountKopecks: -(split.toEnergy + split.advance),
    };
    const allocation = allocationOf(own, credit, split);
    if (credit.amountKopecks !== 0) rowsOf.set(c.account.id, [...own, credit]);
    const body: Omit<PaymentAccepted, 'paymentId' | 'message' | 'messageEn'> = {
      outcome: 'accepted',
      duplicate: false,
      channel: c.s.channel,
      externalId: c.s.externalId,
      account: { number: c.account.number, address: c.account.address, payerName: c.account.payerName },
      amountKopecks: c.s.amountKopecks,
      paidAt: c.paidAt.toISOString(),
      paidOn: c.paidOn,
      acceptedAt: now.toISOString(),
      creditExpectedOn: c.creditExpectedOn,
      creditedOn: c.s.settledOn ?? null,
      period: c.s.period ?? null,
      registryId: c.s.registryId ?? null,
      allocation,
      balanceAfterKopecks: after.receivableKopecks + after.penaltyKopecks,
    };
    const text = acceptedMessage(body);
    const reply = { ...body, message: text.ru, messageEn: text.en };
    bodies.push(reply);
    out.push({
      channel: c.s.channel,
      externalId: c.s.externalId,
      requestHash: c.hash,
      accountId: c.account.id,
      principalId: c.account.principalId,
      amountKopecks: c.s.amountKopecks,
      period: c.s.period ?? null,
      paidAt: c.paidAt,
      paidOn: c.paidOn,
      acceptedAt: now,
      creditExpectedOn: c.creditExpectedOn,
      payerName: c.s.payerName ?? null,
      agentCode: c.s.agentCode ?? null,
      registryId: c.s.registryId ?? null,
      settledOn: c.s.settledOn ?? null,
      reply,
      entries: paymentEntries(c.account, c.s, split),
    });
  }
  return { out, bodies };
}

/** "May this account be paid this sum?" — the OSMP `check`, the card page before the redirect. Writes nothing. */
export async function checkPayment(
  deps: LedgerDeps,
  q: { channel: PaymentSubmission['channel']; account: string; amountKopecks?: number; maxKopecks?: number },
): Promise<PaymentCheck> {
  if (!ACCOUNT_FORMAT.test(q.account)) return refused('BAD_ACCOUNT_FORMAT', { account: q.account });
  const found = await findPayable(deps.db, [q.account], []);
  const account = found.accounts.get(q.account);
  if (!account) return refused('ACCOUNT_NOT_FOUND', { account: q.account });
  if (account.status !== 'active') return refused('ACCOUNT_CLOSED', { account: q.account });
  if (q.amountKopecks !== undefined) {
    const today = formatLocalDate(localDateOf(deps.clock.now(), account.timeZone));
    const params = await loadMoneyParameters(deps.db, account.regionCode, today);
    const limit = amountRefusal(q.amountKopecks, params, q.maxKopecks);
    if (limit) return limit;
  }
  return {
    outcome: 'ok',
    account: { number: account.number, address: account.address, payerName: account.payerName },
    balanceKopecks: account.balance.receivableKopecks + account.balance.penaltyKopecks,
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

/** The allocation the payer is shown: per period paid, penalties, and the advance carried forward (§9). */
function allocationOf(
  rows: ReceivableRow[],
  credit: ReceivableRow,
  split: { toEnergy: number; toPenalty: number; advance: number },
): PaymentAllocation[] {
  const before = openItems(receivableEvents(rows));
  const withPayment = credit.amountKopecks !== 0 ? openItems(receivableEvents([...rows, credit])) : before;
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
