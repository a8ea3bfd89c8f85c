/**
 * The volume of one account, one meter (or none) and one period — domain.md §6.1 in its order of priority:
 *  1. readings counted for the period (§4) or the smart meter's register at the period end;
 *  2. a control reading by the supplier;
 *  3. the average monthly actual consumption, at most N consecutive periods, then the norm;
 *  4. the norm: residents × norm; × the raising coefficient without a meter that could be installed, or
 *     after the average periods of a failed / unverified meter.
 * Measured values after estimated periods true them up (§6.4); a meter replaced in the period bills
 * (final − previous) + (current − initial) (§3). Every decision says which rule applied and from what, so
 * a bill line (§8) can say where its volume came from.
 */

import { allocateByWeights } from './allocation.ts';
import {
  addPeriods,
  comparePeriods,
  type Period,
  parseLocalDate,
  periodDays,
  periodOfDate,
  periodsBetween,
} from './period.ts';
import { registerConsumption, trueUp } from './recalculation.ts';
import { registerModulusWh } from './register-value.ts';
import {
  type AverageVolume,
  averageMonthlyVolume,
  type BilledVolume,
  type ReadingPoint,
  type VolumeSource,
} from './volume-history.ts';
import { normVolume, ONE, parseCoefficient, type Ratio } from './volume-norm.ts';
import {
  type MeterReplacement,
  VOLUME_RULE_CITATIONS,
  type VolumeDecision,
  type VolumeExplanation,
  type VolumeInput,
  type VolumeMeter,
  type VolumeRule,
} from './volume-types.ts';

export * from './volume-types.ts';

/** §6.1 for one account, meter and period. */
export function determineVolume(input: VolumeInput): VolumeDecision {
  const { meter, period, params: p } = input;
  if (!meter) {
    return input.meterInstallationPossible === false
      ? norm(input, 'NORM_NO_METER_IMPOSSIBLE', ONE)
      : norm(input, 'NORM_NO_METER', parseCoefficient(p.raisingCoefficient));
  }
  const measured = measuredPoint(input);
  if (input.replacement) return replacement(input, meter, input.replacement, measured);
  if (meter.status === 'removed')
    throw new RangeError('a removed meter bills only with its replacement (§3)');
  // §3: a meter not commissioned by the period end is not valid. Domain.md is silent on the coefficient;
  // the subscriber did install one, so the norm applies without it.
  const { lastDay } = periodDays(period);
  if (meter.commissionedOn === null || meter.commissionedOn > lastDay) {
    return norm(input, 'NORM_NOT_COMMISSIONED', ONE);
  }
  // Measured values come first. Intake accepted the reading only while the meter was valid (§4 rule 1),
  // so a reading of the month a meter failed in still counts.
  if (measured) return fromMeasured(input, meter, measured);

  const average = averageMonthlyVolume(
    input.history,
    period,
    meter.zones,
    p.averagePeriods,
    p.averageMinPeriods,
  );
  const withinRun = input.consecutiveEstimated < p.averageMaxConsecutive;
  const invalid = invalidity(meter, period);
  if (invalid) {
    // §6.1 item 4, 354 p.59(a): counted from the period the meter failed or expired in (the 1st period),
    // average for at most `failedMeterAveragePeriods`, then norm × coefficient. Within those periods the
    // general limit of item 3 still holds, and without an average the norm has no coefficient (yet).
    const periodNumber = periodsBetween(invalid.since, period) + 1;
    const limit = p.failedMeterAveragePeriods;
    const invalidMeter = { ...invalid, periodNumber, limit };
    if (periodNumber > limit) {
      return norm(input, 'NORM_INVALID_METER', parseCoefficient(p.raisingCoefficient), invalidMeter);
    }
    if (average && withinRun) return averaged(input, average, 'AVERAGE_INVALID_METER', invalidMeter);
    return norm(input, average ? 'NORM_AFTER_AVERAGE' : 'NORM_NO_AVERAGE', ONE, invalidMeter);
  }
  if (!average) return norm(input, 'NORM_NO_AVERAGE', ONE);
  if (!withinRun) return norm(input, 'NORM_AFTER_AVERAGE', ONE);
  return averaged(input, average, 'AVERAGE');
}

/**
 * §6.1 item 1–2: the smart register, else the reading, else the control reading. For a smart meter the
 * register at the period end is preferred to a manual reading: it sits exactly on the period boundary
 * (domain.md lists both in item 1 without an order).
 */
function measuredPoint(input: VolumeInput): ReadingPoint | undefined {
  const period = input.period;
  if (input.smartRegisterWh) return { period, valuesWh: input.smartRegisterWh, kind: 'smart' };
  if (input.readingWh) return { period, valuesWh: input.readingWh, kind: 'reading' };
  if (input.controlWh) return { period, valuesWh: input.controlWh, kind: 'control' };
  return undefined;
}

const SOURCE_OF: Record<string, { source: VolumeSource; rule: VolumeRule }> = {
  smart: { source: 'smart', rule: 'SMART_REGISTER' },
  reading: { source: 'actual', rule: 'READING' },
  control: { source: 'control', rule: 'CONTROL_READING' },
};

function fromMeasured(input: VolumeInput, meter: VolumeMeter, current: ReadingPoint): VolumeDecision {
  const previous = input.previousActual;
  if (!previous) throw new RangeError('measured values need the previous actual reading or the act (§3)');
  checkZones(current.valuesWh, meter.zones);
  const t = trueUp({
    current,
    lastActual: previous,
    billed: input.history,
    modulusWh: registerModulusWh(meter),
  });
  const { source, rule } = SOURCE_OF[current.kind] ?? { source: 'actual', rule: 'READING' };
  const explanation: VolumeExplanation = {
    readings: { previous, current, consumptionWh: t.consumptionWh, rollover: t.rollover },
  };
  if (t.corrects.length > 0) {
    explanation.recalculation = {
      corrects: t.corrects,
      billedWh: t.billedWh,
      billedSingleRateWh: t.billedSingleRateWh,
    };
  }
  const metered = { fromPeriod: firstCovered(previous.period, input.period), zonesWh: t.consumptionWh };
  return decision(input, source, rule, t.volumeWh, t.singleRateWh, explanation, metered);
}

function replacement(
  input: VolumeInput,
  meter: VolumeMeter,
  r: MeterReplacement,
  current: ReadingPoint | undefined,
): VolumeDecision {
  const period = input.period;
  checkZones(r.initialWh, meter.zones);
  const final: ReadingPoint = { period, valuesWh: r.finalWh, kind: 'final' };
  // The old meter's part: final − previous, less what was billed by estimate since (§6.4).
  const old = trueUp({
    current: final,
    lastActual: r.oldLastActual,
    billed: input.history,
    modulusWh: registerModulusWh(r.oldMeter),
  });
  // The new meter's part: current − initial. Without a value for the new meter yet, it counts from its act
  // at its first reading (domain.md is silent; nothing is estimated for part of a month).
  if (current) checkZones(current.valuesWh, meter.zones);
  const fresh = current
    ? registerConsumption(r.initialWh, current.valuesWh, registerModulusWh(meter)).consumptionWh
    : r.initialWh.map(() => 0);
  const sameZones = r.oldMeter.zones === meter.zones;
  const zonesWh = sameZones ? fresh.map((wh, z) => wh + (old.volumeWh[z] ?? 0)) : fresh;
  const explanation: VolumeExplanation = {
    replacement: {
      oldLastActual: r.oldLastActual,
      finalWh: r.finalWh,
      initialWh: r.initialWh,
      current: current ?? null,
      oldMeterWh: old.consumptionWh,
      newMeterWh: fresh,
    },
  };
  if (old.corrects.length > 0) {
    explanation.recalculation = {
      corrects: old.corrects,
      billedWh: old.billedWh,
      billedSingleRateWh: old.billedSingleRateWh,
    };
  }
  // The month counts for a later per-zone average only when both meters measured it on the same registers.
  const metered =
    sameZones && current
      ? {
          fromPeriod: firstCovered(r.oldLastActual.period, period),
          zonesWh: fresh.map((wh, z) => wh + (old.consumptionWh[z] ?? 0)),
        }
      : null;
  const d = decision(input, 'actual', 'METER_REPLACEMENT', zonesWh, old.singleRateWh, explanation, metered);
  if (sameZones) return d;
  const replacedMeterZonesWh = old.volumeWh;
  return { ...d, replacedMeterZonesWh, totalWh: d.totalWh + replacedMeterZonesWh.reduce((a, b) => a + b, 0) };
}

function averaged(
  input: VolumeInput,
  average: AverageVolume,
  rule: VolumeRule,
  invalidMeter?: VolumeExplanation['invalidMeter'],
): VolumeDecision {
  const explanation: VolumeExplanation = {
    average: {
      ...average,
      consecutive: input.consecutiveEstimated + 1,
      limit: input.params.averageMaxConsecutive,
    },
  };
  if (invalidMeter) explanation.invalidMeter = invalidMeter;
  return decision(input, 'average', rule, average.zonesWh, 0, explanation, undefined);
}

function norm(
  input: VolumeInput,
  rule: VolumeRule,
  coefficient: Ratio,
  invalidMeter?: VolumeExplanation['invalidMeter'],
): VolumeDecision {
  const n = normVolume(input.residents, input.normWhPerPerson, coefficient);
  const explanation: VolumeExplanation = { norm: n };
  if (invalidMeter) explanation.invalidMeter = invalidMeter;
  const zones = input.meter?.zones ?? 0;
  // A single-register meter's one zone is the single-rate tariff already.
  if (zones === 1) return decision(input, 'norm', rule, [n.wh], 0, explanation, undefined);
  if (zones > 1 && !input.params.normPricedSingleRate) {
    // §6.2 with the parameter off (domain.md is silent on how): split by the zones' shares of the
    // account's actual consumption; with none known, the single-rate tariff still applies.
    const shares = averageMonthlyVolume(input.history, input.period, zones, input.params.averagePeriods, 1);
    if (shares?.zonesWh.some((wh) => wh > 0)) {
      explanation.norm = { ...n, splitByAverageOf: shares.periods };
      return decision(
        input,
        'norm',
        rule,
        allocateByWeights(n.wh, shares.zonesWh),
        0,
        explanation,
        undefined,
      );
    }
  }
  return { ...decision(input, 'norm', rule, [], n.wh, explanation, undefined), singleRate: true };
}

function decision(
  input: VolumeInput,
  source: VolumeSource,
  rule: VolumeRule,
  zonesWh: number[],
  singleRateWh: number,
  explanation: VolumeExplanation,
  metered: BilledVolume['metered'],
): VolumeDecision {
  const historyEntry: BilledVolume = { period: input.period, source, zonesWh, singleRateWh };
  if (metered !== undefined) historyEntry.metered = metered;
  return {
    period: input.period,
    source,
    rule,
    cite: VOLUME_RULE_CITATIONS[rule],
    zonesWh,
    singleRate: false,
    singleRateWh,
    totalWh: zonesWh.reduce((a, b) => a + b, 0) + singleRateWh,
    explanation,
    historyEntry,
  };
}

/** §3: the earliest of "failed" and "verification expired" that has happened by `period`. */
function invalidity(
  meter: VolumeMeter,
  period: Period,
): { reason: 'failed' | 'verification_expired'; since: Period } | undefined {
  const events: { reason: 'failed' | 'verification_expired'; since: Period }[] = [];
  if (meter.status === 'failed') {
    if (!meter.failedOn) throw new RangeError('a failed meter needs its failure date (354 p.59(a))');
    events.push({ reason: 'failed', since: periodOfDate(parseLocalDate(meter.failedOn)) });
  }
  events.push({
    reason: 'verification_expired',
    since: periodOfDate(parseLocalDate(meter.nextVerificationOn)),
  });
  return events
    .filter((e) => comparePeriods(e.since, period) <= 0)
    .sort((a, b) => comparePeriods(a.since, b.since))[0];
}

function firstCovered(previousPeriod: Period, period: Period): Period {
  const next = addPeriods(previousPeriod, 1);
  return comparePeriods(next, period) > 0 ? period : next;
}

function checkZones(valuesWh: readonly number[], zones: number): void {
  if (valuesWh.length !== zones)
    throw new RangeError(`the meter has ${zones} zones, got ${valuesWh.length} values`);
}
