import { createHash } from 'node:crypto';
import { quoteByReadings, type ReadingQuote } from '../../billing/index.ts';
import { formatMoney } from '../../domain/money.ts';
import { type IntakeResult, submitReading } from '../../intake/index.ts';
import { type CardDeps, type CardPaymentView, startCardPayment } from '../card/index.ts';
import { accountIdOf, findPayByReadings, insertPayByReadings } from './pay-by-readings.repository.ts';

/**
 * "Pay by readings" (domain.md §9): in the readings window, one request submits the meter's values through
 * the one intake (§4, channel 'portal'), recomputes the quote with them (billing's `quoteByReadings`) and
 * starts a card payment for the quoted amount (or the payer's own amount) through the card channel. A channel
 * decides nothing: the intake decides the readings, billing the amount, the card channel and the ledger the
 * money. Idempotent by the Idempotency-Key (design principle 6): the intake's external id, this channel's
 * row (migrations/0013) and the card payment's key are all derived from it.
 */

export interface PayByReadingsDeps {
  card: CardDeps;
}

export interface PayByReadingsRequest {
  account: string;
  values: string[];
  /** The payer's own amount instead of the quoted one (the card limits apply). */
  amountKopecks?: number | undefined;
  returnUrl: string;
  idempotencyKey: string;
}

export interface PayByReadingsPayment {
  id: string;
  status: CardPaymentView['status'];
  amountKopecks: number;
  /** Where to send the payer's browser (the provider's page) while the payment is pending. */
  confirmationUrl: string | null;
  expiresAt: string | null;
  message: string;
  messageEn: string;
}

export interface PayByReadingsRefusal {
  code: string;
  message: string;
  messageEn: string;
  params: Record<string, unknown>;
}

export interface PayByReadingsAnswer {
  /** What the intake answered (null when the window is closed or the values are invalid: nothing submitted). */
  reading: IntakeResult | null;
  quote: ReadingQuote | null;
  payment: PayByReadingsPayment | null;
  /** Why no payment was started; null when it was. */
  refusal: PayByReadingsRefusal | null;
  /** True when this answers a retry with an Idempotency-Key seen before. */
  duplicate: boolean;
  message: string;
  messageEn: string;
}

export type PayByReadingsOutcome =
  | { outcome: 'answered'; answer: PayByReadingsAnswer }
  | { outcome: 'conflict'; refusal: PayByReadingsRefusal };

/** The intake's external id and the card payment's key, both from the client's Idempotency-Key. */
export const keyOf = (idempotencyKey: string) => `pay-by-readings:${idempotencyKey}`;

const NOTHING_TO_PAY = {
  ru: 'Показания приняты. Оплачивать сейчас нечего: переплата покрывает начисление.',
  en: 'Readings accepted. Nothing to pay now: the advance covers the charge.',
};

const CONFLICT: PayByReadingsRefusal = {
  code: 'IDEMPOTENCY_CONFLICT',
  message:
    'Этот ключ идемпотентности уже использован для другого запроса. Для нового платежа нужен новый ключ.',
  messageEn: 'This idempotency key was used for another request. A new payment needs a new key.',
  params: {},
};

function requestHash(r: PayByReadingsRequest): string {
  return createHash('sha256')
    .update(JSON.stringify([r.account, r.values.map(String), r.amountKopecks ?? null, r.returnUrl]))
    .digest('hex');
}

type Stored = Omit<PayByReadingsAnswer, 'payment' | 'duplicate'>;

/** The one flow: readings → amount → card payment. */
export async function payByReadings(
  deps: PayByReadingsDeps,
  r: PayByReadingsRequest,
): Promise<PayByReadingsOutcome> {
  const { db, clock } = deps.card;
  const hash = requestHash(r);
  const seen = await findPayByReadings(db, r.idempotencyKey);
  if (seen) {
    if (seen.requestHash !== hash) return { outcome: 'conflict', refusal: CONFLICT };
    return answer(await withPayment(deps, r, seen.answer as Stored, seen.amountKopecks), true);
  }

  // The window, the account and the values first: refused here, nothing is written.
  const before = await quoteByReadings({ db, clock }, { account: r.account, values: r.values });
  if (before.outcome === 'refused' && ['refused', 'invalid'].includes(before.refusal.kind)) {
    const { kind: _kind, ...refusal } = before.refusal;
    return answer({ ...stored(null, null, refusal), payment: null }, false);
  }

  // The readings through the one intake: a rejected or held one is recorded there with its reason (§4).
  const reading = await submitReading(
    { db, clock },
    {
      account: r.account,
      values: r.values,
      channel: 'portal',
      externalId: keyOf(r.idempotencyKey),
      submittedBy: 'pay-by-readings',
    },
  );
  if (reading.outcome === 'invalid' && reading.reason?.code === 'IDEMPOTENCY_CONFLICT')
    return { outcome: 'conflict', refusal: CONFLICT };
  let result: Stored;
  let amount: number | null = null;
  if (reading.outcome !== 'accepted') {
    result = stored(reading, null, {
      code: reading.reason?.code ?? reading.outcome.toUpperCase(),
      message: reading.message,
      messageEn: reading.messageEn,
      params: reading.reason?.params ?? {},
    });
  } else {
    // The quote again, with the readings now in the history (it may also have crossed midnight).
    const after = await quoteByReadings({ db, clock }, { account: r.account, values: r.values });
    if (after.outcome === 'refused') {
      const { kind: _kind, ...refusal } = after.refusal;
      result = stored(reading, null, refusal);
    } else {
      amount = r.amountKopecks ?? after.quote.amountToPayKopecks;
      result =
        amount > 0
          ? stored(reading, after.quote, null)
          : stored(reading, after.quote, {
              code: 'NOTHING_TO_PAY',
              message: NOTHING_TO_PAY.ru,
              messageEn: NOTHING_TO_PAY.en,
              params: { amountToPayKopecks: after.quote.amountToPayKopecks },
            });
      if (amount <= 0) amount = null;
    }
  }
  const accountId = await accountIdOf(db, r.account);
  if (accountId === undefined) throw new Error(`account ${r.account} vanished`);
  await insertPayByReadings(db, {
    idempotencyKey: r.idempotencyKey,
    accountId,
    requestHash: hash,
    readingId: reading.readingId ?? null,
    amountKopecks: amount,
    answer: result,
    createdAt: clock.now(),
  });
  // A concurrent request with the same key may have written first: its amount and answer hold.
  const row = await findPayByReadings(db, r.idempotencyKey);
  if (!row) throw new Error('pay-by-readings row not found after insert');
  if (row.requestHash !== hash) return { outcome: 'conflict', refusal: CONFLICT };
  return answer(await withPayment(deps, r, row.answer as Stored, row.amountKopecks), false);
}

function stored(
  reading: IntakeResult | null,
  quote: ReadingQuote | null,
  refusal: PayByReadingsRefusal | null,
): Stored {
  return {
    reading,
    quote,
    refusal,
    message: refusal?.message ?? '',
    messageEn: refusal?.messageEn ?? '',
  };
}

/** Starts (or, on a retry, finds) the card payment for the fixed amount. */
async function withPayment(
  deps: PayByReadingsDeps,
  r: PayByReadingsRequest,
  s: Stored,
  amountKopecks: number | null,
): Promise<Omit<PayByReadingsAnswer, 'duplicate'>> {
  if (amountKopecks === null) return { ...s, payment: null };
  const started = await startCardPayment(deps.card, {
    account: r.account,
    amountKopecks,
    returnUrl: r.returnUrl,
    idempotencyKey: keyOf(r.idempotencyKey),
  });
  if (started.outcome === 'refused') {
    const refusal = {
      code: started.code,
      message: `${s.reading?.message ?? ''} ${started.message}`.trim(),
      messageEn: `${s.reading?.messageEn ?? ''} ${started.messageEn}`.trim(),
      params: started.params,
    };
    return { ...s, refusal, payment: null, message: refusal.message, messageEn: refusal.messageEn };
  }
  const p = started.payment;
  const payment: PayByReadingsPayment = {
    id: p.id,
    status: p.status,
    amountKopecks: p.amountKopecks,
    confirmationUrl: p.confirmationUrl,
    expiresAt: p.expiresAt,
    message: p.message,
    messageEn: p.messageEn,
  };
  const ru = `${s.reading?.message ?? ''} К оплате картой: ${formatMoney(p.amountKopecks)}.`.trim();
  const en = `${s.reading?.messageEn ?? ''} To pay by card: ${formatMoney(p.amountKopecks, 'en')}.`.trim();
  return { ...s, payment, message: ru, messageEn: en };
}

function answer(a: Omit<PayByReadingsAnswer, 'duplicate'>, duplicate: boolean): PayByReadingsOutcome {
  return { outcome: 'answered', answer: { ...a, duplicate } };
}
