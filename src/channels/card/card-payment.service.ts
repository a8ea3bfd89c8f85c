import { createHash, randomUUID } from 'node:crypto';
import { localDateOf } from '../../domain/local-time.ts';
import { formatLocalDate, isPeriod, periodOfDate } from '../../domain/period.ts';
import { checkPayment, loadMoneyParameters, submitPayment } from '../../ledger/index.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/database.ts';
import {
  appendEvent,
  type CardEventSource,
  type CardPaymentRow,
  findByIdempotencyKey,
  findCardAccount,
  findCardPayment,
  insertCardPayment,
  markChecked,
  transition,
} from './card-payment.repository.ts';
import { IDEMPOTENCY_CONFLICT, PERIOD_INVALID, statusMessage } from './card-payment-messages.ts';
import {
  type PaymentProvider,
  type ProviderPayment,
  ProviderRequestError,
  ProviderUnavailableError,
} from './payment-provider.ts';

/**
 * Card payments (domain.md §9): abonent checks the account and the card limit, asks the provider for a
 * payment, sends the payer to the provider's page and credits the payment through the one payment use case
 * when the provider reports it succeeded (webhook, status poll or reconciliation — whichever comes first;
 * the ledger's idempotency by provider payment id makes the others harmless).
 */

export interface CardDeps {
  db: Db;
  clock: Clock;
  provider: PaymentProvider;
  /** abonent's address as browsers see it (the default return page). */
  publicUrl: string;
}

export interface CardPaymentRequest {
  account: string;
  amountKopecks: number;
  period?: string;
  /** Where the provider sends the payer back; default: abonent's own return page. */
  returnUrl?: string;
  idempotencyKey: string;
}

export interface CardPaymentView {
  id: string;
  account: string;
  amountKopecks: number;
  period: string | null;
  status: CardPaymentRow['status'];
  cancelReason: string | null;
  /** Where to send the payer's browser (while pending). */
  confirmationUrl: string | null;
  returnUrl: string;
  expiresAt: string | null;
  paidAt: string | null;
  /** The ledger payment (succeeded and credited). */
  paymentId: number | null;
  creditRefusal: string | null;
  createdAt: string;
  updatedAt: string;
  message: string;
  messageEn: string;
}

export type StartOutcome =
  | { outcome: 'created' | 'repeat'; payment: CardPaymentView }
  | { outcome: 'refused'; code: string; message: string; messageEn: string; params: Record<string, unknown> };

/** The provider could not be reached: the card payment stays 'created'; retry with the same key. */
export class CardProviderUnavailableError extends Error {
  constructor(readonly cardPaymentId: string) {
    super('payment provider unavailable');
  }
}

const ledger = (deps: CardDeps) => ({ db: deps.db, clock: deps.clock });

/** Starts a card payment once per Idempotency-Key: checks, writes it, creates it at the provider. */
export async function startCardPayment(deps: CardDeps, r: CardPaymentRequest): Promise<StartOutcome> {
  const hash = createHash('sha256')
    .update(JSON.stringify([r.account, r.amountKopecks, r.period ?? null, r.returnUrl ?? null]))
    .digest('hex');
  let row = await findByIdempotencyKey(deps.db, r.idempotencyKey);
  let fresh = false;
  if (!row) {
    const now = deps.clock.now();
    const account = await findCardAccount(deps.db, r.account);
    const today = account ? localDateOf(now, account.timeZone) : undefined;
    const maxKopecks =
      account && today
        ? (await loadMoneyParameters(deps.db, account.regionCode, formatLocalDate(today)))
            .cardPaymentMaxKopecks
        : undefined;
    const check = await checkPayment(ledger(deps), {
      channel: 'card',
      account: r.account,
      amountKopecks: r.amountKopecks,
      maxKopecks,
    });
    if (check.outcome === 'refused') return { ...check, outcome: 'refused' };
    if (!account || !today || maxKopecks === undefined) throw new Error(`account ${r.account} vanished`);
    // A named period must be valid when the money is credited: refuse now, before the payer pays.
    if (r.period !== undefined && (!isPeriod(r.period) || r.period > periodOfDate(today))) {
      const m = PERIOD_INVALID(r.period);
      return {
        outcome: 'refused',
        code: 'PERIOD_INVALID',
        message: m.ru,
        messageEn: m.en,
        params: { period: r.period },
      };
    }
    const id = randomUUID();
    fresh = await insertCardPayment(deps.db, {
      id,
      accountId: account.id,
      amountKopecks: r.amountKopecks,
      maxKopecks,
      period: r.period ?? null,
      provider: deps.provider.name,
      idempotencyKey: r.idempotencyKey,
      requestHash: hash,
      returnUrl: r.returnUrl ?? `${deps.publicUrl}/pay/card/${id}`,
      at: now,
    });
    row = await findByIdempotencyKey(deps.db, r.idempotencyKey);
    if (!row) throw new Error('card payment not found after insert');
  }
  if (row.requestHash !== hash) {
    return {
      outcome: 'refused',
      code: 'IDEMPOTENCY_CONFLICT',
      message: IDEMPOTENCY_CONFLICT.ru,
      messageEn: IDEMPOTENCY_CONFLICT.en,
      params: { idempotencyKey: r.idempotencyKey },
    };
  }
  if (row.status === 'created') {
    try {
      row = await createAtProvider(deps, row, 'api');
    } catch (e) {
      if (e instanceof ProviderUnavailableError) throw new CardProviderUnavailableError(row.id);
      throw e;
    }
  }
  return { outcome: fresh ? 'created' : 'repeat', payment: viewOf(row) };
}

/** The card payment now; a pending one is first checked at the provider (unreachable: stays pending). */
export async function cardPaymentStatus(deps: CardDeps, id: string): Promise<CardPaymentView | undefined> {
  let row = await findCardPayment(deps.db, id);
  if (!row) return undefined;
  if (row.status === 'pending' && row.providerPaymentId) {
    try {
      const p = await deps.provider.getPayment(row.providerPaymentId);
      if (p) row = await applyProviderState(deps, row, p, 'poll');
    } catch (e) {
      if (!(e instanceof ProviderUnavailableError)) throw e;
    }
  }
  return viewOf(row);
}

/** Asks the provider for the payment (again: same idempotence key, same payment) and records the answer. */
export async function createAtProvider(
  deps: CardDeps,
  row: CardPaymentRow,
  source: CardEventSource,
): Promise<CardPaymentRow> {
  let p: ProviderPayment;
  try {
    p = await deps.provider.createPayment({
      idempotenceKey: row.id,
      amountKopecks: row.amountKopecks,
      description: `Оплата электроэнергии, лицевой счёт ${row.accountNumber}`,
      returnUrl: row.returnUrl,
      metadata: { card_payment_id: row.id, account: row.accountNumber },
    });
  } catch (e) {
    if (!(e instanceof ProviderRequestError)) throw e;
    await transition(deps.db, {
      id: row.id,
      from: ['created'],
      to: 'canceled',
      at: deps.clock.now(),
      source,
      providerPaymentId: null,
      cancelReason: 'provider_refused',
      detail: { providerStatus: e.status, providerCode: e.code, providerMessage: e.message.slice(0, 500) },
    });
    return (await findCardPayment(deps.db, row.id))!;
  }
  return applyProviderState(deps, row, p, source);
}

/**
 * Records what the provider says about a payment: pending (the payer may pay), succeeded (credit it through
 * the one payment use case, then mark it), canceled (with the reason). Repeats change nothing.
 */
export async function applyProviderState(
  deps: CardDeps,
  row: CardPaymentRow,
  p: ProviderPayment,
  source: CardEventSource,
): Promise<CardPaymentRow> {
  const now = deps.clock.now();
  const base = { id: row.id, at: now, source, providerPaymentId: p.id };
  const ownId = p.metadata.card_payment_id;
  if (
    p.amountKopecks !== row.amountKopecks ||
    (ownId !== undefined && ownId !== row.id) ||
    (row.providerPaymentId !== null && row.providerPaymentId !== p.id)
  ) {
    await appendEvent(deps.db, {
      id: row.id,
      at: now,
      source,
      status: row.status,
      detail: {
        anomaly: 'provider_payment_mismatch',
        providerPaymentId: p.id,
        providerAmountKopecks: p.amountKopecks,
      },
    });
    return row;
  }
  if (p.status === 'pending') {
    if (row.status === 'created')
      await transition(deps.db, {
        ...base,
        from: ['created'],
        to: 'pending',
        confirmationUrl: p.confirmationUrl,
        expiresAt: p.expiresAt,
      });
    else await markChecked(deps.db, row.id, now);
  } else if (p.status === 'succeeded') {
    if (row.status !== 'succeeded') {
      // The provider took the money: credit it (idempotent by the provider's payment id).
      const result = await submitPayment(ledger(deps), {
        channel: 'card',
        externalId: p.id,
        account: row.accountNumber,
        amountKopecks: row.amountKopecks,
        paidAt: p.capturedAt ?? now.toISOString(),
        period: row.period ?? undefined,
        maxKopecks: row.maxKopecks,
      });
      const accepted = result.outcome === 'accepted';
      await transition(deps.db, {
        ...base,
        from: ['created', 'pending', 'canceled'],
        to: 'succeeded',
        paidAt: p.capturedAt ?? now.toISOString(),
        paymentId: accepted ? result.paymentId : null,
        creditRefusal: accepted ? null : result.code,
        detail: accepted
          ? {
              paymentId: result.paymentId,
              ...(row.status === 'canceled' ? { wasCanceled: row.cancelReason } : {}),
            }
          : { creditRefusal: result.code, message: result.messageEn },
      });
    } else await markChecked(deps.db, row.id, now);
  } else if (row.status === 'created' || row.status === 'pending') {
    await transition(deps.db, {
      ...base,
      from: ['created', 'pending'],
      to: 'canceled',
      cancelReason: p.cancelReason ?? 'canceled',
      detail: { reason: p.cancelReason },
    });
  } else if (row.status === 'succeeded') {
    await appendEvent(deps.db, {
      id: row.id,
      at: now,
      source,
      status: row.status,
      detail: { anomaly: 'canceled_after_success', reason: p.cancelReason },
    });
  } else await markChecked(deps.db, row.id, now);
  return (await findCardPayment(deps.db, row.id))!;
}

export function viewOf(row: CardPaymentRow): CardPaymentView {
  const m = statusMessage(row);
  return {
    id: row.id,
    account: row.accountNumber,
    amountKopecks: row.amountKopecks,
    period: row.period,
    status: row.status,
    cancelReason: row.cancelReason,
    confirmationUrl: row.status === 'pending' ? row.confirmationUrl : null,
    returnUrl: row.returnUrl,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    paidAt: row.paidAt?.toISOString() ?? null,
    paymentId: row.paymentId,
    creditRefusal: row.creditRefusal,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    message: m.ru,
    messageEn: m.en,
  };
}
