import type { PaymentChannel } from './payment-channels.ts';

/**
 * Effective-dated parameters of money (domain.md §9–§11), kept in the `parameter` table like the rules of
 * §4–§7 (migration 0008 loads the defaults; a region may override any of them from any date).
 */
export interface MoneyParameters {
  /** §9 card payment at most 50,000 RUB. */
  cardPaymentMaxKopecks: number;
  /** The smallest and the largest single payment any channel takes. */
  paymentMinKopecks: number;
  paymentMaxKopecks: number;
  /** §9 accepted → credited after this many working days, per channel. */
  settlementWorkingDays: Partial<Record<PaymentChannel, number>>;
  /** §10 the Central Bank key rate in force, basis points. */
  keyRateBp: number;
  /** §10 the cap on the rate, basis points, or null when none is in force. */
  penaltyRateCapBp: number | null;
  penaltyGraceDays: number;
  penaltyFirstDivisorUntilDay: number;
  penaltyDivisors: { first: number; then: number };
  /** §11 debt over this many norm-based monthly charges. */
  debtThresholdMonths: number;
  restrictionNoticeDays: number;
  suspensionAfterDays: number;
  reconnectionDays: number;
  reconnectionCostKopecks: number;
  reconnectionCostCapKopecks: number;
}

export const MONEY_PARAMETER_KEYS: Record<keyof MoneyParameters, string> = {
  cardPaymentMaxKopecks: 'card_payment_max_kopecks',
  paymentMinKopecks: 'payment_min_kopecks',
  paymentMaxKopecks: 'payment_max_kopecks',
  settlementWorkingDays: 'settlement_working_days',
  keyRateBp: 'key_rate_bp',
  penaltyRateCapBp: 'penalty_rate_cap_bp',
  penaltyGraceDays: 'penalty_grace_days',
  penaltyFirstDivisorUntilDay: 'penalty_first_divisor_until_day',
  penaltyDivisors: 'penalty_divisors',
  debtThresholdMonths: 'debt_threshold_months',
  restrictionNoticeDays: 'restriction_notice_days',
  suspensionAfterDays: 'suspension_after_days',
  reconnectionDays: 'reconnection_days',
  reconnectionCostKopecks: 'reconnection_cost_kopecks',
  reconnectionCostCapKopecks: 'reconnection_cost_cap_kopecks',
};

/** Builds the money parameters from key → value rows; a missing key is a configuration error. */
export function moneyParametersFrom(values: Map<string, unknown>): MoneyParameters {
  const out: Record<string, unknown> = {};
  for (const [field, key] of Object.entries(MONEY_PARAMETER_KEYS)) {
    if (!values.has(key)) throw new Error(`parameter "${key}" has no value in force`);
    out[field] = values.get(key);
  }
  return out as unknown as MoneyParameters;
}
