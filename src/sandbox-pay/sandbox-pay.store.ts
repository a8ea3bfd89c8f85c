import { createHash, randomUUID } from 'node:crypto';

/**
 * The sandbox provider's books: payments and idempotence keys, in memory (a sandbox keeps nothing across
 * restarts, like a provider's test shop that is wiped). Payments follow the provider's state machine:
 * pending → succeeded | canceled; a pending payment past its expiry is canceled `expired_on_confirmation`.
 */

export type SandboxStatus = 'pending' | 'succeeded' | 'canceled';

export interface SandboxPayment {
  id: string;
  shopId: string;
  status: SandboxStatus;
  /** Kopecks, kept as the API's decimal string on the wire. */
  amountKopecks: number;
  description: string | undefined;
  metadata: Record<string, string>;
  returnUrl: string;
  createdAt: Date;
  expiresAt: Date;
  capturedAt: Date | undefined;
  /** The payer submitted a card and the issuer never answered (test card …0119). */
  processing: boolean;
  /** Only what a provider may show back: the last 4 digits and the scheme. */
  card: { last4: string; cardType: string } | undefined;
  cancellation: { party: 'payment_network' | 'sandbox_pay'; reason: string } | undefined;
}

export interface NewPayment {
  amountKopecks: number;
  description: string | undefined;
  metadata: Record<string, string>;
  returnUrl: string;
}

export class SandboxStore {
  private readonly payments = new Map<string, SandboxPayment>();
  private readonly keys = new Map<string, { hash: string; paymentId: string }>();

  constructor(private readonly ttlMs: number) {}

  /**
   * Creates a payment once per (shop, Idempotence-Key): a repeat with the same body returns the same
   * payment; the same key with another body is refused (`conflict`).
   */
  create(shopId: string, key: string, input: NewPayment, now: Date): SandboxPayment | 'conflict' {
    const hash = createHash('sha256').update(JSON.stringify(input)).digest('hex');
    const seen = this.keys.get(`${shopId}\n${key}`);
    if (seen) return seen.hash === hash ? this.get(shopId, seen.paymentId, now)! : 'conflict';
    const payment: SandboxPayment = {
      id: randomUUID(),
      shopId,
      status: 'pending',
      ...input,
      createdAt: now,
      expiresAt: new Date(now.getTime() + this.ttlMs),
      capturedAt: undefined,
      processing: false,
      card: undefined,
      cancellation: undefined,
    };
    this.payments.set(payment.id, payment);
    this.keys.set(`${shopId}\n${key}`, { hash, paymentId: payment.id });
    return payment;
  }

  /** A shop's payment (another shop's id is "not found"), expired first if its time is up. */
  get(shopId: string | undefined, id: string, now: Date): SandboxPayment | undefined {
    const p = this.payments.get(id);
    if (!p || (shopId !== undefined && p.shopId !== shopId)) return undefined;
    if (p.status === 'pending' && now.getTime() >= p.expiresAt.getTime()) {
      p.status = 'canceled';
      p.cancellation = { party: 'sandbox_pay', reason: 'expired_on_confirmation' };
    }
    return p;
  }

  count(): number {
    return this.payments.size;
  }
}

/** The payment as the API shows it (YooKassa-style JSON). */
export function paymentJson(p: SandboxPayment, checkoutUrl: string) {
  return {
    id: p.id,
    status: p.status,
    paid: p.status === 'succeeded',
    amount: { value: kopecksToValue(p.amountKopecks), currency: 'RUB' as const },
    ...(p.description === undefined ? {} : { description: p.description }),
    recipient: { account_id: p.shopId },
    created_at: p.createdAt.toISOString(),
    ...(p.status === 'pending'
      ? {
          expires_at: p.expiresAt.toISOString(),
          confirmation: { type: 'redirect' as const, confirmation_url: checkoutUrl, return_url: p.returnUrl },
        }
      : {}),
    ...(p.capturedAt ? { captured_at: p.capturedAt.toISOString() } : {}),
    ...(p.card
      ? {
          payment_method: {
            type: 'bank_card' as const,
            saved: false,
            title: `${p.card.cardType} *${p.card.last4}`,
            card: { last4: p.card.last4, card_type: p.card.cardType },
          },
        }
      : {}),
    ...(p.cancellation ? { cancellation_details: p.cancellation } : {}),
    metadata: p.metadata,
    refundable: p.status === 'succeeded',
    test: true,
  };
}

export type PaymentJson = ReturnType<typeof paymentJson>;

export function kopecksToValue(kopecks: number): string {
  return `${Math.floor(kopecks / 100)}.${String(kopecks % 100).padStart(2, '0')}`;
}

/** '1500.00' → 150000; undefined for anything but a positive sum with two decimals. */
export function valueToKopecks(value: string): number | undefined {
  const m = /^(\d{1,9})\.(\d{2})$/.exec(value);
  if (!m) return undefined;
  const k = Number(m[1]) * 100 + Number(m[2]);
  return k > 0 ? k : undefined;
}
