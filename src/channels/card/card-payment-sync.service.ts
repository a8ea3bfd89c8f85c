import {
  type CardPaymentRow,
  findByProviderPayment,
  findCardPayment,
  markChecked,
  transition,
  unfinishedBefore,
} from './card-payment.repository.ts';
import { applyProviderState, type CardDeps, createAtProvider } from './card-provider-state.service.ts';
import { ProviderUnavailableError } from './payment-provider.ts';

/**
 * Keeping card payments in step with the provider: its notifications (webhooks) and, for whatever a
 * notification did not settle (lost, never sent, processing timeouts), periodic reconciliation.
 */

export type NotificationOutcome =
  | { handled: true; cardPaymentId: string; status: CardPaymentRow['status'] }
  | { handled: false; reason: 'event_ignored' | 'unknown_payment' };

/**
 * A provider's notification: verified first (NotificationRejectedError: nothing is read or changed), then
 * applied. Repeats are harmless. Database trouble throws, so the provider delivers it again later.
 */
export async function handleProviderNotification(
  deps: CardDeps,
  n: { rawBody: string; headers: Record<string, unknown> },
): Promise<NotificationOutcome> {
  const note = deps.provider.verifyNotification({ ...n, now: deps.clock.now() });
  if (note.event !== 'payment.succeeded' && note.event !== 'payment.canceled')
    return { handled: false, reason: 'event_ignored' };
  const row = await findByProviderPayment(
    deps.db,
    deps.provider.name,
    note.payment.id,
    note.payment.metadata.card_payment_id,
  );
  if (!row) return { handled: false, reason: 'unknown_payment' };
  const after = await applyProviderState(deps, row, note.payment, 'webhook');
  return { handled: true, cardPaymentId: after.id, status: after.status };
}

export interface ReconcileSummary {
  checked: number;
  succeeded: number;
  canceled: number;
  pending: number;
  /** The provider could not be reached for these: they stay as they were, tried again next time. */
  unreachable: number;
  failed: number;
  errors: string[];
}

/**
 * Asks the provider about every card payment still created or pending after `olderThanMinutes` and records
 * the answers (crediting the succeeded ones). A payment the provider does not know is canceled once past
 * its expiry. Safe to run from several processes at once.
 */
export async function reconcilePendingCardPayments(
  deps: CardDeps,
  options: { olderThanMinutes?: number; limit?: number } = {},
): Promise<ReconcileSummary> {
  const now = deps.clock.now();
  const before = new Date(now.getTime() - (options.olderThanMinutes ?? 10) * 60_000);
  const rows = await unfinishedBefore(deps.db, before, options.limit ?? 500);
  const s: ReconcileSummary = {
    checked: 0,
    succeeded: 0,
    canceled: 0,
    pending: 0,
    unreachable: 0,
    failed: 0,
    errors: [],
  };
  for (const row of rows) {
    s.checked += 1;
    try {
      const after = await reconcileOne(deps, row, now);
      if (after.status === 'succeeded') s.succeeded += 1;
      else if (after.status === 'canceled') s.canceled += 1;
      else s.pending += 1;
    } catch (e) {
      if (e instanceof ProviderUnavailableError) s.unreachable += 1;
      else {
        s.failed += 1;
        s.errors.push(`${row.id}: ${(e as Error).message}`);
      }
    }
  }
  return s;
}

async function reconcileOne(deps: CardDeps, row: CardPaymentRow, now: Date): Promise<CardPaymentRow> {
  // Its creation never got an answer: ask again with the same idempotence key (same payment, if any).
  if (row.status === 'created' || !row.providerPaymentId) return createAtProvider(deps, row, 'reconcile');
  const p = await deps.provider.getPayment(row.providerPaymentId);
  if (p) return applyProviderState(deps, row, p, 'reconcile');
  if (row.expiresAt && now.getTime() > row.expiresAt.getTime()) {
    await transition(deps.db, {
      id: row.id,
      from: ['pending'],
      to: 'canceled',
      at: now,
      source: 'reconcile',
      providerPaymentId: row.providerPaymentId,
      cancelReason: 'not_found_at_provider',
    });
  } else await markChecked(deps.db, row.id, now);
  return (await findCardPayment(deps.db, row.id))!;
}
