import { createHash, randomUUID } from 'node:crypto';
import { localDateOf } from '../../domain/local-time.ts';
import { formatLocalDate, isPeriod, periodOfDate } from '../../domain/period.ts';
import { checkPayment, loadMoneyParameters } from '../../ledger/index.ts';
import {
  type CardPaymentRow,
  findByIdempotencyKey,
  findCardAccount,
  findCardPayment,
  insertCardPayment,
} from './card-payment.repository.ts';
import { IDEMPOTENCY_CONFLICT, PERIOD_INVALID, statusMessage } from './card-payment-messages.ts';
import { applyProviderState, type CardDeps, createAtProvider } from './card-provider-state.service.ts';
import { ProviderUnavailableError } from './payment-provider.ts';

export type { CardDeps } from './card-provider-state.service.ts';

/**
 * Card payments (domain.md §9): abonent checks the account and the card limit, asks the provider for a
 * payment, sends the payer to the provider's page and credits the payment through the one payment use case
 * when the provider reports it succeeded (webhook, status poll or reconciliation — whichever comes first;
 * the ledger's idempotency by provider payment id makes the others harmless).
 */

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
    const check = await checkPayment(
      { db: deps.db, clock: deps.clock },
      {
        channel: 'card',
        account: r.account,
        amountKopecks: r.amountKopecks,
        maxKopecks,
      },
    );
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
