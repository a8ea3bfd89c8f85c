/**
 * "Pay by readings" (domain.md §9): inside the readings window the subscriber types the meter's values
 * and sees, before paying, what the period's bill will charge for them and how much to pay now. The quote
 * writes nothing. It validates the values as the intake would (§4 rules 1–6, channel 'portal'), refuses
 * outside the window of the account's region (§4.3: "pay by readings" works only 15–26 in Moscow), and
 * prices the period exactly as the billing run will: the same rows, `determineVolume` (§6.1, a true-up of
 * estimated periods §6.4) and `composeBill` (§6.3 tariffs in force, zones, volume ranges) — only common
 * needs (§7) are an estimate (the last issued bill's amount), since other flats' readings are not in yet.
 * Amount to pay = the ledger's balance (debt + penalties − advance, §9) + the period's estimated charge,
 * never below 0.
 */
import type { BillDocument, BillLine } from '../domain/bill-document.ts';
import { billHouse } from '../domain/house-billing.ts';
import { localDateOf } from '../domain/local-time.ts';
import { formatLocalDate } from '../domain/period.ts';
import { checkAccountAndMeter, checkTakenAt, checkValues, decideReading } from '../domain/reading-rules.ts';
import { countedPeriod } from '../domain/readings-window.ts';
import { formatRegisterValue } from '../domain/register-value.ts';
import { reasonMessage } from '../i18n/reading-messages.ts';
import { type AccountDebt, accountOpenItems } from '../ledger/index.ts';
import type { Clock } from '../platform/clock.ts';
import type { Executor } from '../platform/database.ts';
import { loadRuleParameters } from '../registry/index.ts';
import { loadBillingContext } from './billing-context.ts';
import { houseInputs } from './house-input.ts';
import {
  accountMeters,
  findQuoteAccount,
  lastIssuedCommonNeeds,
  loadAccountRows,
  type QuoteAccountRow,
  readingHistory,
} from './reading-quote.repository.ts';
import { quoteExplanation, windowClosedMessage } from './reading-quote-messages.ts';
import type {
  ReadingQuote,
  ReadingQuoteInput,
  ReadingQuoteLine,
  ReadingQuoteRefusal,
  ReadingQuoteRegister,
  ReadingQuoteResult,
} from './reading-quote-types.ts';

export type {
  ReadingQuote,
  ReadingQuoteInput,
  ReadingQuoteLine,
  ReadingQuoteRefusal,
  ReadingQuoteRegister,
  ReadingQuoteResult,
} from './reading-quote-types.ts';

/** The channel the quote judges the values for: pay by readings is a personal-account flow. */
export const PAY_BY_READINGS_CHANNEL = 'portal';

export interface ReadingQuoteDeps {
  db: Executor;
  clock: Clock;
}

function refused(
  code: string,
  kind: ReadingQuoteRefusal['kind'],
  params: Record<string, unknown> = {},
  text?: { ru: string; en: string },
): ReadingQuoteResult {
  return {
    outcome: 'refused',
    refusal: {
      code,
      kind,
      message: text?.ru ?? reasonMessage(code, params, 'ru'),
      messageEn: text?.en ?? reasonMessage(code, params, 'en'),
      params,
    },
  };
}

/** The quote of "pay by readings" for an account and the values typed (§9). Writes nothing. */
export async function quoteByReadings(
  deps: ReadingQuoteDeps,
  input: ReadingQuoteInput,
): Promise<ReadingQuoteResult> {
  const { db } = deps;
  const now = deps.clock.now();
  const account = await findQuoteAccount(db, input.account);
  if (!account) return refused('ACCOUNT_NOT_FOUND', 'invalid', { account: input.account });
  if (account.status !== 'active') return refused('ACCOUNT_INACTIVE', 'invalid');
  const todayDate = localDateOf(now, account.timeZone);
  const today = formatLocalDate(todayDate);
  const params = await loadRuleParameters(db, account.regionCode, today);

  // §4.3 / §9: only inside the window; otherwise the subscriber pays the bill's amount.
  const counted = countedPeriod(todayDate, params.readingsWindow);
  if (!counted.inWindow) {
    const debt = await debtOf(db, account, today);
    const p = {
      opens: formatLocalDate(counted.windowOpens),
      closes: formatLocalDate(counted.windowCloses),
      fromDay: params.readingsWindow.fromDay,
      toDay: params.readingsWindow.toDay,
      amountDueKopecks: Math.max(0, debt.balanceKopecks),
    };
    return refused('WINDOW_CLOSED', 'refused', p, windowClosedMessage(p));
  }

  // §4 rule 1 as the intake identifies the meter by the account alone, then rules 1–2 on the values.
  const meters = await accountMeters(db, account.id);
  const inService = meters.filter((m) => m.status !== 'removed');
  if (inService.length > 1) return refused('METER_REQUIRED', 'invalid');
  const meter = inService[0] ?? meters[0];
  if (!meter) return refused('NO_METER', 'invalid');
  for (const c of [
    checkAccountAndMeter(account, meter, todayDate),
    checkTakenAt(now, now, meter, account.timeZone, params),
  ]) {
    if (!c.ok) return refused(c.reason, 'invalid', c.params);
  }
  const values = checkValues(input.values, meter);
  if (!values.ok) return refused(values.reason, 'invalid', values.params);

  // §4 rules 3–8: the intake's own decision for these values, taken now through the portal.
  const facts = await readingHistory(db, meter.id, account.regionCode);
  const decision = decideReading({
    meter,
    valuesWh: values.value,
    takenAt: now,
    channel: PAY_BY_READINGS_CHANNEL,
    timeZone: account.timeZone,
    params,
    history: facts.history,
    sameperiodReadingId: undefined,
    lastClosedPeriod: facts.lastClosedPeriod,
  });
  if (decision.outcome !== 'accepted') {
    return refused(decision.reason ?? 'REJECTED', decision.outcome, decision.reasonParams);
  }
  const period = decision.billedInPeriod;

  // §6 the period's bill for these values, as the billing run will compose it.
  const ctx = await loadBillingContext(db, account.regionCode, period, now);
  const rows = await loadAccountRows(db, {
    accountId: account.id,
    houseId: account.houseId,
    period,
    firstDay: ctx.firstDay,
    lastDay: ctx.lastDay,
    timeZone: ctx.timeZone,
  });
  rows.current = [
    ...rows.current.filter((r) => !(r.meterId === meter.id && r.kind === 'regular')),
    {
      id: 0,
      meterId: meter.id,
      kind: 'regular',
      valuesWh: values.value,
      takenOn: today,
      takenAt: now,
      period: decision.counted.period,
      channel: PAY_BY_READINGS_CHANNEL,
    },
  ];
  const [house] = houseInputs(ctx, rows);
  if (!house) throw new Error(`house of account ${account.number} not found`);
  // Common needs are estimated from the last bill: the other flats' readings are not in yet (§7).
  const billed = billHouse({ ...house, house: { ...house.house, mode: 'none' } });
  const doc = billed.bills[0]?.document;
  if (!doc) {
    const problem = billed.problems[0];
    return refused(
      'QUOTE_UNAVAILABLE',
      'refused',
      { problem: problem?.code ?? 'UNKNOWN' },
      {
        ru: 'Сейчас не удаётся рассчитать сумму по показаниям. Передайте показания обычным способом и оплатите сумму по счёту.',
        en: 'The amount cannot be calculated from the readings right now. Submit the readings the usual way and pay the bill amount.',
      },
    );
  }

  const zoneNames = doc.meters[0]?.zoneNames ?? [];
  const measured = (doc.meters[0]?.explanation as { readings?: { consumptionWh?: number[] } } | undefined)
    ?.readings?.consumptionWh;
  const registers = registersOf(doc, meter.decimals, zoneNames, measured ?? decision.consumptionWh);
  const lines = doc.lines
    .filter((l): l is BillLine & { kind: 'consumption' | 'recalculation' } => l.kind !== 'common_needs')
    .map((l) => lineOf(l, registers));
  const chargeKopecks = lines.reduce((s, l) => s + l.amountKopecks, 0);
  const cn = await lastIssuedCommonNeeds(db, account.id, period);
  const commonNeeds = {
    estimate: true as const,
    amountKopecks: cn?.kopecks ?? 0,
    fromPeriod: cn?.period ?? null,
  };
  const debt = await debtOf(db, account, today);
  const estimatedChargeKopecks = chargeKopecks + commonNeeds.amountKopecks;
  const balance = {
    asOf: today,
    balanceKopecks: debt.balanceKopecks,
    debtKopecks: debt.items.reduce((s, i) => s + Math.max(0, i.openKopecks), 0),
    penaltyKopecks: debt.penaltyKopecks,
    advanceKopecks: debt.advanceKopecks,
    overdueKopecks: debt.overdueKopecks,
  };
  const quote: Omit<ReadingQuote, 'message' | 'messageEn' | 'explanation'> = {
    account: { number: account.number, address: account.address },
    meter: { serial: meter.serial, zones: meter.zones },
    period,
    today,
    window: {
      opens: formatLocalDate(decision.counted.windowOpens),
      closes: formatLocalDate(decision.counted.windowCloses),
    },
    rollover: decision.rollover,
    registers,
    lines,
    chargeKopecks,
    commonNeeds,
    estimatedChargeKopecks,
    balance,
    amountToPayKopecks: Math.max(0, balance.balanceKopecks + estimatedChargeKopecks),
    bill: { period, deliverBy: ctx.deliverBy, dueDate: ctx.dueDate },
  };
  const explanation = { ru: quoteExplanation(quote, 'ru'), en: quoteExplanation(quote, 'en') };
  return {
    outcome: 'quoted',
    quote: {
      ...quote,
      message: explanation.ru.join(' '),
      messageEn: explanation.en.join(' '),
      explanation,
    },
  };
}

async function debtOf(db: Executor, account: QuoteAccountRow, today: string): Promise<AccountDebt> {
  const debt = (await accountOpenItems(db, [account.id], today)).get(account.id);
  if (!debt) throw new Error(`no ledger view of account ${account.number}`);
  return debt;
}

function registersOf(
  doc: Omit<BillDocument, 'version'>,
  decimals: number,
  zoneNames: readonly string[],
  consumptionWh: readonly number[],
): ReadingQuoteRegister[] {
  const block = doc.meters[0];
  const previous = block?.previous;
  const current = block?.current;
  if (!previous || !current) return [];
  return current.valuesWh.map((wh, i) => ({
    register: i + 1,
    zone: zoneNames[i] ?? `t${i + 1}`,
    previous: formatRegisterValue(previous.valuesWh[i] ?? 0, decimals),
    current: formatRegisterValue(wh, decimals),
    previousTakenOn: previous.takenOn,
    previousKind: previous.kind,
    consumptionWh: consumptionWh[i] ?? null,
  }));
}

function lineOf(
  l: BillLine & { kind: 'consumption' | 'recalculation' },
  registers: readonly ReadingQuoteRegister[],
): ReadingQuoteLine {
  const reg = l.register === null ? undefined : registers[l.register - 1];
  return {
    kind: l.kind,
    zone: l.zone,
    register: l.register,
    previous: reg?.previous ?? null,
    current: reg?.current ?? null,
    volumeWh: l.volumeWh,
    priceKopecksPerKwh: l.priceKopecksPerKwh,
    amountKopecks: l.amountKopecks,
    periods: l.periods,
    reason: l.reason ?? null,
    from: l.from,
    to: l.to,
  };
}
