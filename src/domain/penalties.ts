/**
 * §10 penalties (ЖК РФ art. 155 p.14): for each period's unpaid charge, nothing for the first 30 days after
 * the due date, then `debt × rate / 300` per day up to day 90, then `debt × rate / 130` per day, until paid
 * (the payment day counts). Rate = the Central Bank key rate on the payment day (for what is still unpaid:
 * on the calculation day), capped where a cap is in force (9.5 % through 31.12.2026); moratorium days
 * accrue nothing. Key rates, caps and moratoria are effective-dated data the caller supplies.
 *
 * Exact: the penalty of one period's debt is summed as a fraction and rounded half up to the kopeck once.
 */
import { divideRoundHalfUp, toSafeNumber } from './money.ts';
import { addDays, formatLocalDate, parseLocalDate } from './period.ts';

export interface PenaltyRules {
  /** Nothing for days 1..graceDays after the due date (30). */
  graceDays: number;
  /** Days graceDays+1..firstUntilDay accrue at rate/first (90). */
  firstUntilDay: number;
  /** 300 up to firstUntilDay, 130 after. */
  divisors: { first: number; after: number };
  /** The key rate in force on a date, basis points. */
  keyRateBp: (date: string) => number;
  /** The cap in force on a date, basis points, or null. */
  capBp: (date: string) => number | null;
  /** No penalty on these days (inclusive); with `debtBefore`, only for debts due before that date. */
  moratoria: readonly { from: string; to: string; debtBefore: string | null }[];
}

export interface PenaltySegment {
  /** The days accrued, inclusive, 'YYYY-MM-DD'. */
  from: string;
  to: string;
  days: number;
  debtKopecks: number;
  rateBp: number;
  divisor: number;
  /** Paid on this day (its rate), or null: still open at the calculation date. */
  paidOn: string | null;
}

export interface PenaltyItem {
  dueDate: string;
  /** The slices that paid the debt: the day and the amount (§9 allocation). */
  payments: readonly { on: string; amountKopecks: number }[];
  /** What is still unpaid. */
  openKopecks: number;
}

/** The rate of §10 on a date: the key rate, capped when a cap is in force. */
export function penaltyRateBp(date: string, rules: Pick<PenaltyRules, 'keyRateBp' | 'capBp'>): number {
  const key = rules.keyRateBp(date);
  const cap = rules.capBp(date);
  return cap === null ? key : Math.min(key, cap);
}

const DAY_MS = 86_400_000;
function dayNumber(date: string): number {
  const d = parseLocalDate(date);
  return Date.UTC(d.year, d.month - 1, d.day) / DAY_MS;
}
function dateOf(day: number): string {
  return formatLocalDate(addDays({ year: 1970, month: 1, day: 1 }, day));
}

/** The days of [from, to] (day numbers, inclusive) outside every moratorium that applies, as intervals. */
function outsideMoratoria(
  from: number,
  to: number,
  dueDate: string,
  rules: PenaltyRules,
): [number, number][] {
  let parts: [number, number][] = from <= to ? [[from, to]] : [];
  for (const m of rules.moratoria) {
    if (m.debtBefore !== null && !(dueDate < m.debtBefore)) continue;
    const mf = dayNumber(m.from);
    const mt = dayNumber(m.to);
    parts = parts.flatMap(([a, b]): [number, number][] => {
      if (mt < a || mf > b) return [[a, b]];
      const out: [number, number][] = [];
      if (a < mf) out.push([a, mf - 1]);
      if (mt < b) out.push([mt + 1, b]);
      return out;
    });
  }
  return parts;
}

/**
 * §10 the penalty on one period's debt through `through` (inclusive): each paid slice accrues until its
 * payment day at that day's rate; what is still open accrues until `through` at `through`'s rate.
 * E7: 3,000.00 due 15.04.2026, paid 13.08.2026 (day 120), 9.5 %: 57.00 + 65.77 = 122.77.
 */
export function penaltyFor(
  item: PenaltyItem,
  through: string,
  rules: PenaltyRules,
): { kopecks: number; segments: PenaltySegment[] } {
  const due = dayNumber(item.dueDate);
  const last = dayNumber(through);
  const bandOneFrom = due + rules.graceDays + 1;
  const bandOneTo = due + rules.firstUntilDay;
  const { first, after } = rules.divisors;
  const slices = [
    ...item.payments.map((p) => ({
      amount: p.amountKopecks,
      end: dayNumber(p.on),
      paidOn: p.on as string | null,
    })),
    ...(item.openKopecks > 0 ? [{ amount: item.openKopecks, end: last, paidOn: null }] : []),
  ];
  let numerator = 0n;
  const segments: PenaltySegment[] = [];
  for (const s of slices) {
    const end = Math.min(s.end, last);
    if (s.amount <= 0 || end < bandOneFrom) continue;
    const rate = penaltyRateBp(s.paidOn !== null && s.end <= last ? s.paidOn : through, rules);
    const bands: [number, number, number, bigint][] = [
      [bandOneFrom, Math.min(bandOneTo, end), first, BigInt(after)],
      [bandOneTo + 1, end, after, BigInt(first)],
    ];
    for (const [from, to, divisor, other] of bands) {
      for (const [a, b] of outsideMoratoria(from, to, item.dueDate, rules)) {
        const days = b - a + 1;
        // Σ amount × rate/10000 × days/divisor over a common denominator 10000 × first × after.
        numerator += BigInt(s.amount) * BigInt(rate) * BigInt(days) * other;
        segments.push({
          from: dateOf(a),
          to: dateOf(b),
          days,
          debtKopecks: s.amount,
          rateBp: rate,
          divisor,
          paidOn: s.paidOn,
        });
      }
    }
  }
  const kopecks = toSafeNumber(divideRoundHalfUp(numerator, 10_000n * BigInt(first) * BigInt(after)));
  return { kopecks, segments };
}
