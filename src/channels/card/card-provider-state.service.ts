import { submitPayment } from '../../ledger/index.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/database.ts';
import {
  appendEvent,
  type CardEventSource,
  type CardPaymentRow,
  findCardPayment,
  markChecked,
  transition,
} from './card-payment.repository.ts';
import { type PaymentProvider, type ProviderPayment, ProviderRequestError } from './payment-provider.ts';

/**
 * What the provider says about a card payment, recorded: shared by the start of a payment, status polls,
 * notifications and reconciliation.
 */

export interface CardDeps {
  db: Db;
  clock: Clock;
  provider: PaymentProvider;
  /** abonent's address as browsers see it (the default return page). */
  publicUrl: string;
}

const ledger = (deps: CardDeps) => ({ db: deps.db, clock: deps.clock });

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
