import type { PaymentChannel } from '../domain/payment-channels.ts';
import type { Period } from '../domain/period.ts';

/**
 * What every payment channel hands to the one payment use case (domain.md §9, design.md principle 2).
 * The channel's transaction id makes it idempotent: the same id with the same data gets the first answer
 * and credits nothing more; the same id with another account, sum, period or date is refused.
 */
export interface PaymentSubmission {
  channel: PaymentChannel;
  /** The channel's transaction id (OSMP txn_id, the provider's payment id, bank registry row id). */
  externalId: string;
  /** The account number as the payer gave it. */
  account: string;
  amountKopecks: number;
  /** When the payer paid (ISO timestamp). Its local date is the payment day of §10. */
  paidAt: string;
  /** The period the payer named, 'YYYY-MM'; otherwise the oldest debt is paid first (§9). */
  period?: Period;
  payerName?: string;
  /** The payment agent or bank that took the money (its code). */
  agentCode?: string;
  /** The money has already settled on this day ('YYYY-MM-DD'), e.g. a bank registry: accepted and credited. */
  settledOn?: string;
  /** The bank registry the payment came in. */
  registryId?: number;
  /** The largest sum this channel may take (e.g. card: 50,000 RUB by parameter), checked with the others. */
  maxKopecks?: number;
}

/** Why a payment was refused: nothing was written. */
export type PaymentRefusalCode =
  | 'VALIDATION_FAILED'
  | 'BAD_ACCOUNT_FORMAT'
  | 'ACCOUNT_NOT_FOUND'
  | 'ACCOUNT_CLOSED'
  | 'AMOUNT_NOT_POSITIVE'
  | 'AMOUNT_TOO_SMALL'
  | 'AMOUNT_OVER_LIMIT'
  | 'PERIOD_INVALID'
  | 'IDEMPOTENCY_CONFLICT';

export interface PaymentAllocation {
  /** A period's charge, the penalties (§10), or the advance carried forward (overpayment). */
  kind: 'charge' | 'penalty' | 'advance';
  /** The period paid (kind 'charge'); null otherwise. */
  period: string | null;
  amountKopecks: number;
}

export interface PaymentAccepted {
  outcome: 'accepted';
  paymentId: number;
  /** True when this answers a repeat of an earlier delivery (same channel and transaction id). */
  duplicate: boolean;
  channel: PaymentChannel;
  externalId: string;
  account: { number: string; address: string; payerName: string };
  amountKopecks: number;
  paidAt: string;
  /** The payment day in the region's time zone. */
  paidOn: string;
  acceptedAt: string;
  /** §9 credited (зачислен): the day the money settles, expected or actual. */
  creditExpectedOn: string;
  creditedOn: string | null;
  period: string | null;
  /** The bank registry the payment came with, if any (a repeat shows the registry that credited it). */
  registryId: number | null;
  /** How the payment was applied at acceptance (§9): the named period or the oldest debts, then advance. */
  allocation: PaymentAllocation[];
  /** The account's balance after it (energy + penalties; above zero = owed, below = advance). */
  balanceAfterKopecks: number;
  message: string;
  messageEn: string;
}

export interface PaymentRefused {
  outcome: 'refused';
  code: PaymentRefusalCode;
  params: Record<string, unknown>;
  message: string;
  messageEn: string;
}

export type PaymentResult = PaymentAccepted | PaymentRefused;

/** The answer to "may this account be paid?" (OSMP `check`, the card page before redirect). */
export type PaymentCheck =
  | {
      outcome: 'ok';
      account: { number: string; address: string; payerName: string };
      /** What is owed now (energy + penalties), kopecks; below zero = advance. */
      balanceKopecks: number;
      /** The amount due on the last issued bill, if any. */
      lastBill: { period: string; amountDueKopecks: number; dueDate: string } | null;
    }
  | PaymentRefused;
