/**
 * The inputs and the decision of `determineVolume` (volumes.ts), domain.md §6.1: plain data, so the billing
 * run, the bill (§8) and the tests all speak of the same things.
 */
import type { RuleParameters } from './parameters.ts';
import type { Period } from './period.ts';
import type { MeterFacts } from './reading-rules.ts';
import type { RegisterConsumption } from './recalculation.ts';
import type { AverageVolume, BilledVolume, ReadingPoint, VolumeSource } from './volume-history.ts';
import type { NormVolume } from './volume-norm.ts';

export type VolumeRule =
  | 'READING'
  | 'SMART_REGISTER'
  | 'CONTROL_READING'
  | 'METER_REPLACEMENT'
  | 'AVERAGE'
  | 'AVERAGE_INVALID_METER'
  | 'NORM_NO_AVERAGE'
  | 'NORM_AFTER_AVERAGE'
  | 'NORM_INVALID_METER'
  | 'NORM_NO_METER'
  | 'NORM_NO_METER_IMPOSSIBLE'
  | 'NORM_NOT_COMMISSIONED';

/** Where each rule comes from, for the bill and for auditors. */
export const VOLUME_RULE_CITATIONS: Record<VolumeRule, string> = {
  READING: '§6.1 item 1; §6.4 when it follows estimated periods',
  SMART_REGISTER: '§6.1 item 1; §15',
  CONTROL_READING: '§6.1 item 2; §6.4 (354 p.61)',
  METER_REPLACEMENT: '§3 (final − previous) + (current − initial)',
  AVERAGE: '§6.1 item 3',
  AVERAGE_INVALID_METER: '§6.1 item 4: failed or unverified meter, average',
  NORM_NO_AVERAGE: '§6.1 item 3: fewer actual periods than needed for an average',
  NORM_AFTER_AVERAGE: '§6.1 item 3: the average was used for the maximum consecutive periods',
  NORM_INVALID_METER: '§6.1 item 4: failed or unverified meter after the average periods, × coefficient',
  NORM_NO_METER: '§6.1 item 4: no meter although one could be installed, × coefficient',
  NORM_NO_METER_IMPOSSIBLE: '§6.1 item 4: no meter, installation impossible (act)',
  NORM_NOT_COMMISSIONED: '§3 a meter not commissioned is not valid: norm',
};

/** The meter's facts that decide its volume; `failedOn` is the failure date, 'YYYY-MM-DD', when failed. */
export type VolumeMeter = Pick<
  MeterFacts,
  'zones' | 'digits' | 'decimals' | 'status' | 'commissionedOn' | 'nextVerificationOn'
> & { failedOn: string | null };

/** §3: the old meter closed by a final reading in the period, the new one (`meter`) opened by its act. */
export interface MeterReplacement {
  oldMeter: Pick<MeterFacts, 'zones' | 'digits' | 'decimals'>;
  /** The old meter's last actual register values before the final reading (or its own act). */
  oldLastActual: ReadingPoint;
  finalWh: number[];
  /** The new meter's commissioning act, per zone. */
  initialWh: number[];
}

/** The parameters of §6.1–6.2 that decide a volume. */
export type VolumeParameters = Pick<
  RuleParameters,
  | 'averagePeriods'
  | 'averageMinPeriods'
  | 'averageMaxConsecutive'
  | 'failedMeterAveragePeriods'
  | 'raisingCoefficient'
  | 'normPricedSingleRate'
>;

export interface VolumeInput {
  period: Period;
  /** The meter in place at the period end; null without one. */
  meter: VolumeMeter | null;
  /** Without a meter: false when an act records that one cannot be installed (default true). */
  meterInstallationPossible?: boolean;
  /** Values of the accepted reading that counts for the period (§4), per zone, Wh. */
  readingWh?: number[] | null;
  /** The smart meter's register at the period end, already chosen within tolerance (§6.1 item 1). */
  smartRegisterWh?: number[] | null;
  /** A control reading counted for the period (§6.1 item 2). */
  controlWh?: number[] | null;
  /** The meter's last actual register values before this period (a reading, register, control or act). */
  previousActual?: ReadingPoint | null;
  replacement?: MeterReplacement | null;
  /** Volumes billed for earlier periods (§6.1 item 3 average; §6.4 what to true up). */
  history: readonly BilledVolume[];
  /** Periods billed by estimate right before this one (see `consecutiveEstimatedPeriods`). */
  consecutiveEstimated: number;
  residents: number;
  /** The norm for these premises (region, stove type, rooms, residents), Wh per person per month. */
  normWhPerPerson: number;
  params: VolumeParameters;
}

export interface VolumeExplanation {
  readings?: { previous: ReadingPoint; current: ReadingPoint } & RegisterConsumption;
  replacement?: {
    oldLastActual: ReadingPoint;
    finalWh: number[];
    initialWh: number[];
    current: ReadingPoint | null;
    oldMeterWh: number[];
    newMeterWh: number[];
  };
  /** §6.4: the earlier bills this volume corrects and what they charged. */
  recalculation?: { corrects: Period[]; billedWh: number[]; billedSingleRateWh: number };
  /** §6.1 item 3: the average, its periods, and this period's place in the run of estimates. */
  average?: AverageVolume & { consecutive: number; limit: number };
  norm?: NormVolume & { splitByAverageOf?: Period[] };
  invalidMeter?: {
    reason: 'failed' | 'verification_expired';
    since: Period;
    periodNumber: number;
    limit: number;
  };
}

export interface VolumeDecision {
  period: Period;
  source: VolumeSource;
  rule: VolumeRule;
  cite: string;
  /** Per register of the meter (T1..Tn), Wh, negative for a credit; empty for a single-rate volume. */
  zonesWh: number[];
  /** §6.2: the volume is priced at the single-rate tariff (a norm on a zone meter, or no meter). */
  singleRate: boolean;
  /** The single-rate line, Wh (the whole volume when `singleRate`; a reversal of norm estimates in a true-up). */
  singleRateWh: number;
  /** A replaced meter with another zone count: its part per its own registers, priced at its meter type. */
  replacedMeterZonesWh?: number[];
  totalWh: number;
  explanation: VolumeExplanation;
  /** What to record for this period, for later averages and true-ups. */
  historyEntry: BilledVolume;
}
