import { localDateOf } from './local-time.ts';
import type { RuleParameters } from './parameters.ts';
import {
  addDays,
  addPeriods,
  comparePeriods,
  formatLocalDate,
  type LocalDate,
  type Period,
  parseLocalDate,
  periodOfDate,
  periodsBetween,
} from './period.ts';
import { billingPeriodFor, type CountedPeriod, countedPeriod } from './readings-window.ts';
import { parseRegisterValue, registerModulusWh, type ValueProblem } from './register-value.ts';

/**
 * The rules of readings intake, domain.md §4, in their order. Two steps:
 *  - `checkSubmission` (rules 1–2 and the taken-at moment): bad input, nothing is written;
 *  - `decideReading` (rules 3–8): accepted / held / rejected, recorded in the reading history.
 */

export type InvalidReason =
  | 'ACCOUNT_NOT_FOUND'
  | 'ACCOUNT_INACTIVE'
  | 'PHONE_NOT_LINKED'
  | 'PHONE_AMBIGUOUS'
  | 'METER_NOT_FOUND'
  | 'METER_OF_ANOTHER_ACCOUNT'
  | 'METER_REQUIRED'
  | 'NO_METER'
  | 'METER_REMOVED'
  | 'METER_FAILED'
  | 'METER_NOT_COMMISSIONED'
  | 'METER_VERIFICATION_EXPIRED'
  | 'ZONE_COUNT_MISMATCH'
  | ValueProblem
  | 'TAKEN_IN_FUTURE'
  | 'TAKEN_TOO_LONG_AGO'
  | 'TAKEN_BEFORE_COMMISSIONING'
  | 'IDEMPOTENCY_CONFLICT';

export type RejectReason = 'OUTSIDE_WINDOW' | 'LOWER_THAN_PREVIOUS' | 'HIGHER_THAN_LATER' | 'LONG_GAP';
export type HoldReason = 'HIGH_CONSUMPTION';
export type ReasonCode = InvalidReason | RejectReason | HoldReason;

export interface MeterFacts {
  serial: string;
  zones: number;
  digits: number;
  decimals: number;
  status: 'active' | 'failed' | 'removed';
  /** 'YYYY-MM-DD' local dates. */
  commissionedOn: string | null;
  nextVerificationOn: string;
  initialValuesWh: number[];
  /** The day the meter failed ('YYYY-MM-DD'); null when not failed or the day is unknown. */
  failedOn?: string | null;
}

export interface AccountFacts {
  status: 'active' | 'closed';
}

/** An accepted reading that counts for its period (the latest accepted submission of that period). */
export interface HistoryPoint {
  id: number;
  period: Period;
  takenAt: Date;
  valuesWh: number[];
}

export type Check<T> =
  | { ok: true; value: T }
  | { ok: false; reason: InvalidReason; params?: Record<string, unknown> };

/** Rule 1 for the account and the meter's validity (§3) on the local date the reading was taken. */
export function checkAccountAndMeter(
  account: AccountFacts,
  meter: MeterFacts,
  takenOn: LocalDate,
): Check<null> {
  if (account.status !== 'active') return { ok: false, reason: 'ACCOUNT_INACTIVE' };
  return checkMeterValidity(meter, takenOn);
}

/**
 * §3: a meter is valid on a date if it is in service, commissioned, not failed by then, and before its next
 * verification date. An invalid meter bills as §6.1 item 4 and takes no readings.
 */
export function checkMeterValidity(meter: MeterFacts, on: LocalDate): Check<null> {
  if (meter.status === 'removed')
    return { ok: false, reason: 'METER_REMOVED', params: { serial: meter.serial } };
  const day = formatLocalDate(on);
  // A failed meter is still valid on the days before it failed (§3): an earlier reading counts.
  const failedByThen = meter.failedOn === null || meter.failedOn === undefined || meter.failedOn <= day;
  if (meter.status === 'failed' && failedByThen) {
    return {
      ok: false,
      reason: 'METER_FAILED',
      params: { serial: meter.serial, date: meter.failedOn ?? null },
    };
  }
  if (meter.commissionedOn === null)
    return { ok: false, reason: 'METER_NOT_COMMISSIONED', params: { serial: meter.serial } };
  if (day >= meter.nextVerificationOn) {
    return {
      ok: false,
      reason: 'METER_VERIFICATION_EXPIRED',
      params: { serial: meter.serial, date: meter.nextVerificationOn },
    };
  }
  return { ok: true, value: null };
}

/** Rules 1 (zone count) and 2 (each value within the register's digits and decimals). */
export function checkValues(values: ReadonlyArray<string | number>, meter: MeterFacts): Check<number[]> {
  if (values.length !== meter.zones) {
    return {
      ok: false,
      reason: 'ZONE_COUNT_MISMATCH',
      params: { expected: meter.zones, got: values.length },
    };
  }
  const out: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const parsed = parseRegisterValue(values[i] as string | number, meter);
    if (!parsed.ok) {
      return {
        ok: false,
        reason: parsed.problem,
        params: { zone: i + 1, value: String(values[i]), digits: meter.digits, decimals: meter.decimals },
      };
    }
    out.push(parsed.wh);
  }
  return { ok: true, value: out };
}

/** The moment the reading was taken: not in the future, not ancient, not before the meter was commissioned. */
export function checkTakenAt(
  takenAt: Date,
  now: Date,
  meter: MeterFacts,
  timeZone: string,
  p: RuleParameters,
): Check<null> {
  if (takenAt.getTime() > now.getTime() + p.futureToleranceMinutes * 60_000) {
    return { ok: false, reason: 'TAKEN_IN_FUTURE', params: { takenAt: takenAt.toISOString() } };
  }
  if (now.getTime() - takenAt.getTime() > p.maxReadingAgeDays * 86_400_000) {
    return { ok: false, reason: 'TAKEN_TOO_LONG_AGO', params: { days: p.maxReadingAgeDays } };
  }
  const day = formatLocalDate(localDateOf(takenAt, timeZone));
  if (meter.commissionedOn !== null && day < meter.commissionedOn) {
    return { ok: false, reason: 'TAKEN_BEFORE_COMMISSIONING', params: { date: meter.commissionedOn } };
  }
  return { ok: true, value: null };
}

export interface DecisionInput {
  meter: MeterFacts;
  valuesWh: number[];
  takenAt: Date;
  channel: string;
  timeZone: string;
  params: RuleParameters;
  /** Accepted readings that count for their periods, any order; several per period allowed (the latest id wins). */
  history: HistoryPoint[];
  /** The accepted reading already counted for the same period, if any (rule 7). */
  sameperiodReadingId: number | undefined;
  /** The latest period already billed in the region (rule 8). */
  lastClosedPeriod: Period | undefined;
}

export interface Decision {
  outcome: 'accepted' | 'held' | 'rejected';
  reason: RejectReason | HoldReason | undefined;
  reasonParams: Record<string, unknown>;
  counted: CountedPeriod;
  /** The bill this reading goes into (later than `counted.period` when that one is already billed). */
  billedInPeriod: Period;
  recalculation: boolean;
  replacesReadingId: number | undefined;
  rollover: boolean;
  /** Consumption per zone since the previous reading (or the commissioning act), rollover-adjusted. */
  consumptionWh: number[];
  previous: {
    period: Period;
    takenAt: Date | undefined;
    valuesWh: number[];
    source: 'reading' | 'commissioning';
  };
  /** Monthly average per zone used for rules 4–5, when there is enough history. */
  averageWh: number[] | undefined;
  monthsSincePrevious: number;
}

export function decideReading(input: DecisionInput): Decision {
  const { meter, valuesWh, params: p } = input;
  const takenOn = localDateOf(input.takenAt, input.timeZone);
  // Rule 3: the counted period by the window in the region's local time.
  const counted = countedPeriod(takenOn, p.readingsWindow);
  const period = counted.period;
  const history = latestPerPeriod(input.history);
  const act: HistoryPoint = {
    id: 0,
    period: periodOfDate(parseLocalDate(meter.commissionedOn ?? formatLocalDate(takenOn))),
    takenAt: new Date(0),
    valuesWh: meter.initialValuesWh,
  };
  const earlier = history.filter((h) => comparePeriods(h.period, period) < 0);
  const later = history.filter((h) => comparePeriods(h.period, period) > 0);
  const baseline = earlier.at(-1) ?? act;
  const months = Math.max(1, periodsBetween(baseline.period, period));
  const modulus = registerModulusWh(meter);
  const average = monthlyAverage([act, ...earlier], p.averagePeriods, p.averageMinPeriods, modulus);
  const { billedInPeriod, recalculation } = billingPeriodFor(period, input.lastClosedPeriod);

  const base = {
    counted,
    billedInPeriod,
    recalculation,
    replacesReadingId: input.sameperiodReadingId,
    previous: {
      period: baseline.period,
      takenAt: baseline.id === 0 ? undefined : baseline.takenAt,
      valuesWh: baseline.valuesWh,
      source: baseline.id === 0 ? ('commissioning' as const) : ('reading' as const),
    },
    averageWh: average,
    monthsSincePrevious: months,
  };
  const reject = (
    reason: RejectReason,
    reasonParams: Record<string, unknown>,
    consumptionWh: number[] = [],
    rollover = false,
  ): Decision => ({
    ...base,
    outcome: 'rejected',
    reason,
    reasonParams,
    consumptionWh,
    rollover,
  });

  if (!counted.inWindow && p.windowOnlyChannels.includes(input.channel)) {
    return reject('OUTSIDE_WINDOW', {
      opens: formatLocalDate(counted.windowOpens),
      closes: formatLocalDate(counted.windowCloses),
      fromDay: p.readingsWindow.fromDay,
      toDay: p.readingsWindow.toDay,
    });
  }

  // Rule 4: not lower than the previous accepted reading, unless a plausible rollover.
  const consumption: number[] = [];
  let rollover = false;
  for (let z = 0; z < meter.zones; z++) {
    const prev = baseline.valuesWh[z] ?? 0;
    const now = valuesWh[z] ?? 0;
    if (now >= prev) {
      consumption.push(now - prev);
      continue;
    }
    const rolled = now + modulus - prev;
    const limit =
      average !== undefined
        ? p.rolloverAverageFactor * (average[z] ?? 0) * months
        : p.rolloverCeilingKwhPerMonth * 1000 * months;
    if (rolled <= limit) {
      consumption.push(rolled);
      rollover = true;
    } else {
      return reject('LOWER_THAN_PREVIOUS', { zone: z + 1, previousWh: prev, valueWh: now });
    }
  }
  // A reading for an earlier period must not exceed a reading already accepted for a later one.
  const next = later[0];
  if (next) {
    for (let z = 0; z < meter.zones; z++) {
      const v = valuesWh[z] ?? 0;
      const after = next.valuesWh[z] ?? 0;
      const afterGrowth = (after - (baseline.valuesWh[z] ?? 0) + modulus) % modulus;
      const ownGrowth = consumption[z] ?? 0;
      if (ownGrowth > afterGrowth) {
        return reject(
          'HIGHER_THAN_LATER',
          { zone: z + 1, laterPeriod: next.period, laterWh: after, valueWh: v },
          consumption,
          rollover,
        );
      }
    }
  }

  // Rule 5: plausibility — far above history is held for an operator, not billed.
  const total = consumption.reduce((a, b) => a + b, 0);
  let held = false;
  if (average !== undefined) {
    const avgTotal = average.reduce((a, b) => a + b, 0);
    held = total > p.holdAverageFactor * avgTotal * months && total > p.holdMinKwhPerMonth * 1000 * months;
  } else {
    held = total > p.holdNoHistoryKwhPerMonth * 1000 * months;
  }

  // Rule 6: a long gap on the listed channels (the personal account) — call or visit an office.
  const skipped = periodsBetween(baseline.period, period) - 1;
  if (p.longGapChannels.includes(input.channel) && skipped > p.longGapPeriods) {
    return reject(
      'LONG_GAP',
      { skipped, limit: p.longGapPeriods, lastPeriod: baseline.period },
      consumption,
      rollover,
    );
  }

  return {
    ...base,
    outcome: held ? 'held' : 'accepted',
    reason: held ? 'HIGH_CONSUMPTION' : undefined,
    reasonParams: held
      ? { consumptionWh: total, averageWh: average?.reduce((a, b) => a + b, 0), months }
      : {},
    consumptionWh: consumption,
    rollover,
  };
}

/** One point per period: the latest accepted reading of the period (of any kind), in period order. */
export function latestPerPeriod(points: HistoryPoint[]): HistoryPoint[] {
  const byPeriod = new Map<Period, HistoryPoint>();
  for (const p of points) {
    const seen = byPeriod.get(p.period);
    if (!seen || p.id > seen.id) byPeriod.set(p.period, p);
  }
  return [...byPeriod.values()].sort((a, b) => comparePeriods(a.period, b.period));
}

/**
 * Average monthly consumption per zone (§6.1 item 3 applied to readings): over the last `periods`
 * periods of history ending at the latest point, if that spans at least `minPeriods` periods.
 */
export function monthlyAverage(
  points: HistoryPoint[],
  periods: number,
  minPeriods: number,
  modulusWh: number,
): number[] | undefined {
  const sorted = [...points].sort((a, b) => comparePeriods(a.period, b.period));
  const last = sorted.at(-1);
  if (!last) return undefined;
  const from = addPeriods(last.period, -periods);
  const within = sorted.filter((h) => comparePeriods(h.period, from) >= 0);
  const first = within[0];
  if (!first) return undefined;
  const span = periodsBetween(first.period, last.period);
  if (span < minPeriods) return undefined;
  const zones = last.valuesWh.length;
  const sums = new Array<number>(zones).fill(0);
  for (let i = 1; i < within.length; i++) {
    for (let z = 0; z < zones; z++) {
      const d = (within[i]?.valuesWh[z] ?? 0) - (within[i - 1]?.valuesWh[z] ?? 0);
      sums[z] = (sums[z] ?? 0) + (d >= 0 ? d : d + modulusWh);
    }
  }
  return sums.map((s) => Math.round(s / span));
}

/** §5: the bill for `period` is delivered by `billDeliveryDay` of the next month. */
export function billDeliveredBy(period: Period, p: RuleParameters): LocalDate {
  const next = addPeriods(period, 1);
  const [y, m] = next.split('-').map(Number) as [number, number];
  return addDays({ year: y, month: m, day: 1 }, p.billDeliveryDay - 1);
}
