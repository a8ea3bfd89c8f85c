/**
 * Recalculation (true-up), domain.md §6.4: when actual register values arrive after periods billed by
 * estimate, `V = R_new − R_last_actual − Σ volumes billed since`, per zone; a negative V is a credit. Issued
 * bills are never changed: V goes into the current bill, naming the periods it corrects. A control reading
 * (354 p.61) is the same arithmetic: its difference from what was billed counts in the check month.
 */
import { comparePeriods, type Period } from './period.ts';
import type { BilledVolume, ReadingPoint } from './volume-history.ts';

export interface RegisterConsumption {
  /** Consumption per zone, Wh. */
  consumptionWh: number[];
  /** Per zone: the register passed through zero (§4 rule 4, E9). */
  rollover: boolean[];
}

/**
 * Consumption between two register values per zone. A lower value is a rollover of an n-digit register
 * (E9: 99,870 → 00,130 on 5 digits = 260 kWh); intake (§4 rule 4) has already refused the implausible ones.
 */
export function registerConsumption(
  previousWh: readonly number[],
  currentWh: readonly number[],
  modulusWh: number,
): RegisterConsumption {
  if (previousWh.length !== currentWh.length) {
    throw new RangeError(`zone counts differ: previous ${previousWh.length}, current ${currentWh.length}`);
  }
  const consumptionWh: number[] = [];
  const rollover: boolean[] = [];
  for (let z = 0; z < currentWh.length; z++) {
    const prev = previousWh[z] ?? 0;
    const now = currentWh[z] ?? 0;
    rollover.push(now < prev);
    consumptionWh.push(now >= prev ? now - prev : now + modulusWh - prev);
  }
  return { consumptionWh, rollover };
}

export interface TrueUpInput {
  /** The new actual register values: a reading, a smart register, a control or a final reading. */
  current: ReadingPoint;
  /** The last actual register values of the same meter before them (or its commissioning act). */
  lastActual: ReadingPoint;
  /**
   * The account's billed volumes, any order. Those of periods after `lastActual.period` up to and
   * including `current.period` are subtracted: the estimates in between and, for a reading of a period
   * already billed (§4.8), that period's own bill.
   */
  billed: readonly BilledVolume[];
  modulusWh: number;
}

export interface TrueUp {
  /** R_new − R_last_actual per zone, Wh (rollover-aware). */
  consumptionWh: number[];
  rollover: boolean[];
  /** Σ volumes billed since, per zone register, Wh. */
  billedWh: number[];
  /** Σ volumes billed since at the single-rate tariff (norm volumes on a zone meter, §6.2), Wh. */
  billedSingleRateWh: number;
  /** V per zone = consumption − billed, Wh; negative is a credit. */
  volumeWh: number[];
  /** The single-rate line: the norm volumes billed since, reversed at the tariff they were billed at. */
  singleRateWh: number;
  /** Σ volumeWh + singleRateWh. */
  totalWh: number;
  /** The periods this corrects, oldest first (the bill's recalculation line names them, §8). */
  corrects: Period[];
}

/**
 * §6.4 `V = R_new − R_last_actual − Σ billed since` per zone. E1: 16,130 − 15,200 − 3 × 200 = 330 kWh;
 * with 15,700: −100 kWh, a credit. Invariant: the volumes billed after `lastActual`, this one included,
 * add up to the register difference — nothing is billed twice or lost.
 *
 * Volumes billed at the single-rate tariff cannot be attributed to a zone register, so they are reversed
 * on their own single-rate line and the zones get their whole consumption (domain.md is silent; this
 * reverses each estimate at the tariff it was billed at, §6.2).
 */
export function trueUp(input: TrueUpInput): TrueUp {
  const { current, lastActual } = input;
  if (comparePeriods(lastActual.period, current.period) > 0) {
    throw new RangeError(`the last actual reading (${lastActual.period}) is after ${current.period}`);
  }
  const { consumptionWh, rollover } = registerConsumption(
    lastActual.valuesWh,
    current.valuesWh,
    input.modulusWh,
  );
  const zones = consumptionWh.length;
  const since = input.billed
    .filter(
      (b) => comparePeriods(b.period, lastActual.period) > 0 && comparePeriods(b.period, current.period) <= 0,
    )
    .sort((a, b) => comparePeriods(a.period, b.period));
  const billedWh = new Array<number>(zones).fill(0);
  let billedSingleRateWh = 0;
  for (const b of since) {
    if (b.zonesWh.length !== 0 && b.zonesWh.length !== zones) {
      throw new RangeError(`${b.period} was billed on ${b.zonesWh.length} zones, the meter has ${zones}`);
    }
    b.zonesWh.forEach((wh, z) => {
      billedWh[z] = (billedWh[z] ?? 0) + wh;
    });
    billedSingleRateWh += b.singleRateWh;
  }
  const volumeWh = consumptionWh.map((c, z) => c - (billedWh[z] ?? 0));
  const singleRateWh = 0 - billedSingleRateWh; // never −0
  return {
    consumptionWh,
    rollover,
    billedWh,
    billedSingleRateWh,
    volumeWh,
    singleRateWh,
    totalWh: volumeWh.reduce((a, b) => a + b, 0) + singleRateWh,
    corrects: [...new Set(since.map((b) => b.period))],
  };
}

export interface ControlDifference extends TrueUp {
  /** 354 p.61: the difference is consumed in the check month (the control reading's period). */
  countsInPeriod: Period;
}

/**
 * §6.4 and 354 p.61: a control reading compared with what was billed since the last actual reading. The
 * difference (positive: under-billed; negative: over-billed, a credit) counts in the check month; when
 * that month is already billed, the caller puts it into the next bill as a recalculation of it (§4.8).
 * The check month's own bill, if issued, is part of "what was billed": a subscriber's reading of that month
 * that the inspector did not confirm is corrected by exactly the discrepancy.
 */
export function controlReadingDifference(input: TrueUpInput): ControlDifference {
  if (input.current.kind !== 'control') {
    throw new RangeError(`a control reading is needed, got a ${input.current.kind} reading`);
  }
  return { ...trueUp(input), countsInPeriod: input.current.period };
}
