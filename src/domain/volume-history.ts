/**
 * What earlier bills said about an account's volumes, and the two rules of domain.md §6.1 item 3 that
 * read it: the average monthly ACTUAL consumption, and how many estimated periods ran in a row.
 */
import { divideRoundHalfUp, toSafeNumber } from './money.ts';
import { addPeriods, comparePeriods, type Period, periodsBetween } from './period.ts';

/** §8 the source a bill line names: actual / average / norm / control / smart. */
export type VolumeSource = 'actual' | 'smart' | 'control' | 'average' | 'norm';

/** Measured sources (§6.1 items 1–2); the others are estimates. */
export function isMeasured(source: VolumeSource): boolean {
  return source === 'actual' || source === 'smart' || source === 'control';
}

/** Register values per zone at a moment, and where they came from. */
export interface ReadingPoint {
  /** The period they count for (§4.3). */
  period: Period;
  /** Cumulative register values per zone, Wh, in the meter's register order (T1..Tn). */
  valuesWh: number[];
  kind: 'reading' | 'smart' | 'control' | 'commissioning' | 'final';
}

/** The volume one bill charged for one period (issued bills never change, §6.4). */
export interface BilledVolume {
  period: Period;
  source: VolumeSource;
  /** Charged per zone register of the meter (T1..Tn), Wh; negative for a credit. */
  zonesWh: number[];
  /** Charged at the single-rate tariff (§6.2: a norm volume on a zone meter, or no meter), Wh. */
  singleRateWh: number;
  /**
   * For a measured source: the consumption the registers showed, per zone, from `fromPeriod` through
   * `period` inclusive (more than one period when the readings came after estimated periods, §6.4).
   * Absent: the period's own `zonesWh` is its consumption. `null`: not comparable per zone (a meter with
   * another zone count was replaced in the period, §3) — the period does not count for an average.
   */
  metered?: { fromPeriod: Period; zonesWh: number[] } | null;
}

export interface AverageVolume {
  /** Average monthly consumption per zone register, Wh, rounded half up. */
  zonesWh: number[];
  /** The periods it was taken over, oldest first. */
  periods: Period[];
}

/**
 * §6.1 item 3: the average monthly actual consumption over the last `periods` periods before `period` that
 * have actual volumes, per zone register separately; `undefined` with fewer than `minPeriods` of them.
 *
 * A measured volume that covered several periods (readings after estimated months, §6.4) spreads evenly
 * over them: its months are actual months too, each with an equal share — exactly what the registers say
 * about them, and the same average as the law's "by the readings over the months" (354 p.59).
 * Only volumes measured with `zones` registers count (domain.md is silent on a meter replaced by one with
 * another zone count; a per-zone average of other registers would be meaningless).
 */
export function averageMonthlyVolume(
  history: readonly BilledVolume[],
  period: Period,
  zones: number,
  periods: number,
  minPeriods: number,
): AverageVolume | undefined {
  // Each actual month → the block it belongs to (its consumption and its number of months).
  const months = new Map<Period, { wh: number[]; months: number }>();
  const blocks = history
    .filter((h) => isMeasured(h.source) && h.metered !== null && comparePeriods(h.period, period) < 0)
    .sort((a, b) => comparePeriods(a.period, b.period));
  for (const h of blocks) {
    const wh = h.metered?.zonesWh ?? h.zonesWh;
    if (wh.length !== zones) continue;
    const from = h.metered?.fromPeriod ?? h.period;
    const n = Math.max(1, periodsBetween(from, h.period) + 1);
    for (let i = 0; i < n; i++) months.set(addPeriods(h.period, -i), { wh, months: n });
  }
  const chosen = [...months.keys()].sort(comparePeriods).slice(-periods);
  if (chosen.length < minPeriods || chosen.length === 0) return undefined;
  // Σ wh/n over the chosen months, exactly: over the common denominator of the block lengths.
  const lengths = chosen.map((p) => months.get(p)?.months ?? 1);
  const denominator = lengths.reduce((l, n) => lcm(l, BigInt(n)), 1n);
  const zonesWh: number[] = [];
  for (let z = 0; z < zones; z++) {
    let numerator = 0n;
    for (const p of chosen) {
      const block = months.get(p);
      if (!block) continue;
      numerator += (BigInt(block.wh[z] ?? 0) * denominator) / BigInt(block.months);
    }
    zonesWh.push(toSafeNumber(divideRoundHalfUp(numerator, denominator * BigInt(chosen.length))));
  }
  return { zonesWh, periods: chosen };
}

/**
 * §6.1 item 3 "at most N consecutive periods": how many periods right before `period` were billed by an
 * estimate (average or norm), counting back until a measured period or a period with no bill.
 */
export function consecutiveEstimatedPeriods(history: readonly BilledVolume[], period: Period): number {
  const byPeriod = new Map(history.map((h) => [h.period, h]));
  let count = 0;
  for (let p = addPeriods(period, -1); ; p = addPeriods(p, -1)) {
    const billed = byPeriod.get(p);
    if (!billed || isMeasured(billed.source)) return count;
    count++;
  }
}

function gcd(a: bigint, b: bigint): bigint {
  return b === 0n ? a : gcd(b, a % b);
}

function lcm(a: bigint, b: bigint): bigint {
  return (a / gcd(a, b)) * b;
}
