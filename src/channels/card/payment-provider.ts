/**
 * What abonent needs from a card payment provider (docs/payments-card.md). The payer pays on the
 * provider's hosted page, so no card data ever pass through abonent; the provider tells the outcome by a
 * notification (webhook) and answers status requests. One implementation talks to the bundled sandbox
 * (YooKassa-style API); another provider is one more implementation of this interface.
 */

export type ProviderPaymentStatus = 'pending' | 'succeeded' | 'canceled';

export interface ProviderPayment {
  id: string;
  status: ProviderPaymentStatus;
  amountKopecks: number;
  /** Where to send the payer (while pending). */
  confirmationUrl: string | null;
  /** When the provider took the money: the moment the payer paid (§9 accepted). */
  capturedAt: string | null;
  /** Until when the payer may pay. */
  expiresAt: string | null;
  /** Why it was canceled (insufficient_funds, card_expired, expired_on_confirmation, …). */
  cancelReason: string | null;
  metadata: Record<string, string>;
}

export interface CreatePaymentRequest {
  /** Sent as the provider's idempotence key: a retry gets the same payment, never a second one. */
  idempotenceKey: string;
  amountKopecks: number;
  description: string;
  /** Where the provider sends the payer's browser back. */
  returnUrl: string;
  metadata: Record<string, string>;
}

export interface ProviderNotification {
  event: string;
  payment: ProviderPayment;
}

export interface PaymentProvider {
  /** The provider's name in abonent: stored with each payment and used in its webhook address. */
  readonly name: string;
  /** Throws ProviderUnavailableError (outcome unknown: retry with the same key) or ProviderRequestError. */
  createPayment(request: CreatePaymentRequest): Promise<ProviderPayment>;
  /** The payment as the provider sees it now; null when the provider does not know it. */
  getPayment(id: string): Promise<ProviderPayment | null>;
  /** Checks that a notification really comes from the provider and parses it; throws NotificationRejectedError. */
  verifyNotification(n: {
    rawBody: string;
    headers: Record<string, unknown>;
    now: Date;
  }): ProviderNotification;
}

/** The provider could not be reached or did not answer in time (or answered 5xx): retry later. */
export class ProviderUnavailableError extends Error {}

/** The provider refused the request (4xx): retrying the same request will not help. */
export class ProviderRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export type NotificationRejection =
  | 'signature_missing'
  | 'signature_invalid'
  | 'signature_expired'
  | 'malformed';

export class NotificationRejectedError extends Error {
  constructor(readonly reason: NotificationRejection) {
    super(`notification rejected: ${reason}`);
  }
}
