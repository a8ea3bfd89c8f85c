import type { LocalDate, Period } from './period.ts';
import { billingPeriodFor, countedPeriod, type ReadingsWindow } from './readings-window.ts';

/**
 * Meter replacement (domain.md §3): the old meter is closed with a final reading, the new one opens with
 * the commissioning act's initial readings; the period's consumption is (final − previous) + (current −
 * initial). These are the rules for the final reading; the act's values follow §4.2 like any reading.
 */

export type FinalReadingCheck =
  | { ok: true; consumptionWh: number[] }
  | {
      ok: false;
      reason: 'FINAL_LOWER_THAN_PREVIOUS';
      params: { zone: number; previousWh: number; valueWh: number };
    };

/**
 * The final reading per zone must not be lower than the baseline — the last accepted reading, or the
 * commissioning act when there is none; the consumption since the baseline is what the final reading adds.
 */
export function finalReadingConsumption(baselineWh: number[], finalWh: number[]): FinalReadingCheck {
  if (baselineWh.length !== finalWh.length) {
    throw new RangeError(`zone counts differ: baseline ${baselineWh.length}, final ${finalWh.length}`);
  }
  const consumptionWh: number[] = [];
  for (let z = 0; z < finalWh.length; z++) {
    const previousWh = baselineWh[z] ?? 0;
    const valueWh = finalWh[z] ?? 0;
    if (valueWh < previousWh) {
      return { ok: false, reason: 'FINAL_LOWER_THAN_PREVIOUS', params: { zone: z + 1, previousWh, valueWh } };
    }
    consumptionWh.push(valueWh - previousWh);
  }
  return { ok: true, consumptionWh };
}

export interface ReadingPeriods {
  /** The period the reading counts for (§4.3). */
  period: Period;
  /** The bill that takes it: the next open period when `period` is already billed (§4.8). */
  billedInPeriod: Period;
  recalculation: boolean;
}

/** §4.3 and §4.8 for a reading taken on a local date: its counted period and the bill it goes into. */
export function readingPeriods(
  takenOn: LocalDate,
  window: ReadingsWindow,
  lastClosedPeriod: Period | undefined,
): ReadingPeriods {
  const period = countedPeriod(takenOn, window).period;
  return { period, ...billingPeriodFor(period, lastClosedPeriod) };
}
