import type { TariffChangeRule } from './charges.ts';
import type { ReadingsWindow } from './readings-window.ts';

/**
 * Effective-dated parameters of the rules (domain.md: "where the law changes by date, the rule is a
 * parameter with an effective date"). Defaults are loaded into the `parameter` table by migration; a
 * region may override any of them from any date.
 */
export interface RuleParameters {
  /** §4.3 readings window. */
  readingsWindow: ReadingsWindow;
  /** §4.3 channels that accept readings only inside the window (e.g. payment terminals). */
  windowOnlyChannels: string[];
  /** §4.6 more than this many skipped periods refuses the submission on the listed channels. */
  longGapPeriods: number;
  longGapChannels: string[];
  /** §4.4 rollover is plausible up to this many times the monthly average. */
  rolloverAverageFactor: number;
  /** §4.4 without an average, rollover is plausible up to this monthly consumption. */
  rolloverCeilingKwhPerMonth: number;
  /** §4.5 hold for review above this many times the average and above this many kWh a month. */
  holdAverageFactor: number;
  holdMinKwhPerMonth: number;
  /** §4.5 without an average, hold above this monthly consumption. */
  holdNoHistoryKwhPerMonth: number;
  /** §6.1 average: over the last N periods with actual volumes, at least M of them. */
  averagePeriods: number;
  averageMinPeriods: number;
  /** §6.1 item 3 the average for at most this many consecutive periods, then the norm. */
  averageMaxConsecutive: number;
  /** §6.1 item 4 a failed or unverified meter: the average for at most this many periods. */
  failedMeterAveragePeriods: number;
  /** §6.1 item 4 `raising_coefficient` as the law writes it, "1.5" (kept exact, see volume-norm.ts). */
  raisingCoefficient: string | number;
  /** §6.2 a norm volume on a zone meter is priced at the single-rate tariff. */
  normPricedSingleRate: boolean;
  /** §6.3 a tariff change inside a period: by the days, or the tariff of its first or last day. */
  tariffChangeRule: TariffChangeRule;
  /** §6.1 item 1 a smart register within this many hours of the period end counts as at the end. */
  smartRegisterToleranceHours: number;
  /** Readings taken more than this far in the future (clock skew) are refused. */
  futureToleranceMinutes: number;
  /** Readings taken longer ago than this are refused (operators enter old history by import). */
  maxReadingAgeDays: number;
  /** §5 the bill is delivered by this day of the next month; payment is due by that day. */
  billDeliveryDay: number;
  paymentDueDay: number;
  /** §6.2 zone names of registers T1..Tn by zone count, per region. */
  zoneNames: Record<'1' | '2' | '3', string[]>;
}

export const PARAMETER_KEYS: Record<keyof RuleParameters, string> = {
  readingsWindow: 'readings_window',
  windowOnlyChannels: 'window_only_channels',
  longGapPeriods: 'long_gap_periods',
  longGapChannels: 'long_gap_channels',
  rolloverAverageFactor: 'rollover_average_factor',
  rolloverCeilingKwhPerMonth: 'rollover_ceiling_kwh_per_month',
  holdAverageFactor: 'hold_average_factor',
  holdMinKwhPerMonth: 'hold_min_kwh_per_month',
  holdNoHistoryKwhPerMonth: 'hold_no_history_kwh_per_month',
  averagePeriods: 'average_periods',
  averageMinPeriods: 'average_min_periods',
  averageMaxConsecutive: 'average_max_consecutive_periods',
  failedMeterAveragePeriods: 'failed_meter_average_periods',
  raisingCoefficient: 'raising_coefficient',
  normPricedSingleRate: 'norm_priced_single_rate',
  tariffChangeRule: 'tariff_change_rule',
  smartRegisterToleranceHours: 'smart_register_tolerance_hours',
  futureToleranceMinutes: 'future_tolerance_minutes',
  maxReadingAgeDays: 'max_reading_age_days',
  billDeliveryDay: 'bill_delivery_day',
  paymentDueDay: 'payment_due_day',
  zoneNames: 'zone_names',
};

/** Builds the parameter set from key → value rows; a missing key is a configuration error. */
export function ruleParametersFrom(values: Map<string, unknown>): RuleParameters {
  const out: Record<string, unknown> = {};
  for (const [field, key] of Object.entries(PARAMETER_KEYS)) {
    if (!values.has(key)) throw new Error(`parameter "${key}" has no value in force`);
    out[field] = values.get(key);
  }
  return out as unknown as RuleParameters;
}
