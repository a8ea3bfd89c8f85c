/**
 * Debt eligibility for restriction (domain.md §11; Decree 354 p.117–118): an account may be restricted when
 * its overdue debt for the service exceeds `thresholdMonths` × the monthly charge computed from the norm at
 * the current tariff, and no repayment agreement is in force. Pure: every fact is a parameter.
 */
import { chargeKopecks, divideRoundHalfUp, toSafeNumber } from './money.ts';
import { addDays, formatLocalDate, parseLocalDate } from './period.ts';
import { type NormTableRow, normFromTable, normVolume, parseCoefficient } from './volume-norm.ts';

/** One volume range of the single-rate tariff schedule in force (§6.3): [from, to) kWh, price per kWh. */
export interface SingleRateRange {
  rangeFromKwh: number;
  /** Exclusive; null = no upper bound. */
  rangeToKwh: number | null;
  priceKopecks: number;
}

/**
 * The residents the norm charge counts: at least 1. 354 p.56(2) bills an empty flat by the number of its
 * owners; the registry does not keep owners, so an empty flat counts as one person (max(1, residents)) —
 * the smallest threshold the law could give, documented in docs/debt.md.
 */
export function chargeableResidents(residents: number): number {
  if (!Number.isSafeInteger(residents) || residents < 0) {
    throw new RangeError(`residents must be a non-negative integer, got ${residents}`);
  }
  return Math.max(1, residents);
}

/**
 * §6.3 a single-rate volume priced across the schedule's volume ranges in order (since 2025 regions may
 * price monthly volume in ranges); one rounding per range line, half up, as a bill does.
 */
export function priceSingleRate(wh: number, schedule: readonly SingleRateRange[]): number {
  if (schedule.length === 0) throw new RangeError('no single-rate tariff in force');
  const ranges = [...schedule].sort((a, b) => a.rangeFromKwh - b.rangeFromKwh);
  let total = 0;
  for (const r of ranges) {
    const from = r.rangeFromKwh * 1000;
    const to = r.rangeToKwh === null ? Number.POSITIVE_INFINITY : r.rangeToKwh * 1000;
    const part = Math.max(0, Math.min(wh, to) - from);
    if (part > 0) total += chargeKopecks(part, r.priceKopecks);
  }
  return total;
}

export interface NormChargeInput {
  /** The premises' registered residents (0 allowed, see `chargeableResidents`). */
  residents: number;
  rooms: number;
  stoveType: string;
  /** The region's norm table in force (§6.1 item 4). */
  norms: readonly NormTableRow[];
  /** The single-rate schedule in force for the account's tariff category. */
  schedule: readonly SingleRateRange[];
}

export interface NormCharge {
  residents: number;
  normWhPerPerson: number;
  volumeWh: number;
  kopecks: number;
}

/**
 * §11 the monthly charge computed from the norm: norm(rooms, residents, stove) × residents × the current
 * single-rate tariff, rounded half up to the kopeck. E8: 2 × 74 kWh × 8.00 = 1,184.00. Undefined when the
 * norm table has no row for the stove type (a configuration problem: the account is reported, not judged).
 */
export function normMonthlyCharge(input: NormChargeInput): NormCharge | undefined {
  const residents = chargeableResidents(input.residents);
  const normWh = normFromTable(input.norms, input.stoveType, input.rooms, residents);
  if (normWh === undefined || input.schedule.length === 0) return undefined;
  const volume = normVolume(residents, normWh);
  return {
    residents,
    normWhPerPerson: normWh,
    volumeWh: volume.wh,
    kopecks: priceSingleRate(volume.wh, input.schedule),
  };
}

export interface DebtEligibilityInput {
  /** Open energy charges whose due date has passed (§9 allocation), kopecks. */
  overdueKopecks: number;
  normMonthlyChargeKopecks: number;
  /** Parameter `debt_threshold_months` (2 by §11); a decimal is allowed ("2.5"). */
  thresholdMonths: number | string;
  agreementInForce: boolean;
}

export type DebtEligibilityReason = 'eligible' | 'below_threshold' | 'agreement_in_force';

export interface DebtEligibility {
  eligible: boolean;
  reason: DebtEligibilityReason;
  /** The debt must be strictly above this (thresholdMonths × the norm charge, half up). */
  thresholdKopecks: number;
}

/** §11 eligible iff overdue > thresholdMonths × the norm-based monthly charge and no agreement in force. */
export function debtEligibility(input: DebtEligibilityInput): DebtEligibility {
  if (!Number.isSafeInteger(input.overdueKopecks)) throw new RangeError('overdueKopecks must be an integer');
  if (!Number.isSafeInteger(input.normMonthlyChargeKopecks) || input.normMonthlyChargeKopecks < 0) {
    throw new RangeError('normMonthlyChargeKopecks must be a non-negative integer');
  }
  const months = parseCoefficient(input.thresholdMonths);
  const thresholdKopecks = toSafeNumber(
    divideRoundHalfUp(BigInt(input.normMonthlyChargeKopecks) * months.numerator, months.denominator),
  );
  if (input.overdueKopecks <= thresholdKopecks)
    return { eligible: false, reason: 'below_threshold', thresholdKopecks };
  if (input.agreementInForce) return { eligible: false, reason: 'agreement_in_force', thresholdKopecks };
  return { eligible: true, reason: 'eligible', thresholdKopecks };
}

/** One instalment of a repayment agreement. */
export interface Instalment {
  dueDate: string;
  amountKopecks: number;
}

export interface AgreementFacts {
  signedOn: string;
  totalKopecks: number;
  instalments: readonly Instalment[];
  /** Credits to the account's receivable (payments) on or after the signing day, kopecks. */
  paidSinceSigningKopecks: number;
  /** Set when an operator terminated the agreement. */
  terminatedOn?: string | null;
}

export type AgreementStatus = 'not_yet_signed' | 'in_force' | 'completed' | 'broken' | 'terminated';

export interface AgreementState {
  status: AgreementStatus;
  /** Σ instalments due by `asOf − graceDays` not covered by the payments, kopecks (0 unless broken). */
  arrearsKopecks: number;
  /** The first instalment not fully paid, if any. */
  nextDue: Instalment | null;
}

/**
 * A repayment agreement "in force" (§11; docs/debt.md): signed on or before `asOf`, not terminated, not
 * completed (payments since signing < total), and no instalment overdue by more than `graceDays` —
 * payments since signing cover the instalments in due-date order, so an instalment is overdue when the
 * cumulative sum due by (asOf − graceDays) exceeds what was paid.
 */
export function agreementState(a: AgreementFacts, asOf: string, graceDays: number): AgreementState {
  if (a.signedOn > asOf) return { status: 'not_yet_signed', arrearsKopecks: 0, nextDue: null };
  const sorted = [...a.instalments].sort((x, y) =>
    x.dueDate < y.dueDate ? -1 : x.dueDate > y.dueDate ? 1 : 0,
  );
  const paid = Math.max(0, a.paidSinceSigningKopecks);
  let cumulative = 0;
  let nextDue: Instalment | null = null;
  for (const i of sorted) {
    cumulative += i.amountKopecks;
    if (cumulative > paid) {
      nextDue = i;
      break;
    }
  }
  if (a.terminatedOn && a.terminatedOn <= asOf) return { status: 'terminated', arrearsKopecks: 0, nextDue };
  if (paid >= a.totalKopecks) return { status: 'completed', arrearsKopecks: 0, nextDue: null };
  const cutoff = formatLocalDate(addDays(parseLocalDate(asOf), -graceDays));
  const dueByCutoff = sorted.filter((i) => i.dueDate < cutoff).reduce((s, i) => s + i.amountKopecks, 0);
  const arrears = Math.max(0, dueByCutoff - paid);
  return { status: arrears > 0 ? 'broken' : 'in_force', arrearsKopecks: arrears, nextDue };
}

/**
 * Equal monthly instalments of a total (the CLI's `--instalments K --first-due D`): the same day of each
 * following month (the month's last day when shorter), kopecks split by largest remainder so they add up
 * exactly (the first instalments take the extra kopecks).
 */
export function equalInstalments(totalKopecks: number, count: number, firstDue: string): Instalment[] {
  if (!Number.isSafeInteger(totalKopecks) || totalKopecks <= 0)
    throw new RangeError('total must be positive');
  if (!Number.isSafeInteger(count) || count < 1 || count > 120) throw new RangeError('1 to 120 instalments');
  if (count > totalKopecks) throw new RangeError('more instalments than kopecks');
  const first = parseLocalDate(firstDue);
  const base = Math.floor(totalKopecks / count);
  const extra = totalKopecks - base * count;
  const out: Instalment[] = [];
  for (let k = 0; k < count; k++) {
    const monthIndex = first.month - 1 + k;
    const year = first.year + Math.floor(monthIndex / 12);
    const month = (monthIndex % 12) + 1;
    const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
    const day = Math.min(first.day, last);
    out.push({ dueDate: formatLocalDate({ year, month, day }), amountKopecks: base + (k < extra ? 1 : 0) });
  }
  return out;
}
