import { type ReadingsWindow, validateWindow } from '../domain/readings-window.ts';
import { zoneNamesFit } from '../domain/tariff-structure.ts';
import { ApiError } from '../platform/http.ts';
import { insertParameter, listParameters, type ParameterRow } from './parameters.repository.ts';
import { inTransaction, type RegistryDeps } from './registry-db.ts';
import type { ParameterCreate } from './tariff.schemas.ts';
import { requireRegion } from './tariff.service.ts';

/**
 * Effective-dated rule parameters (domain.md: where the law changes by date, the rule is a parameter):
 * list them, add a value from a date. A value of a known key is checked before it is stored — a window of
 * the wrong shape would stop the intake of a whole region.
 */

/** A parameter value as the API shows it: by region, key and effective date, without the row id. */
export type ParameterView = Omit<ParameterRow, 'id'>;
const view = ({ id: _id, ...rest }: ParameterRow): ParameterView => rest;

export async function listParameterRows(deps: RegistryDeps, region?: string): Promise<ParameterView[]> {
  if (region !== undefined) await requireRegion(deps, region);
  return (await listParameters(deps.db, region)).map(view);
}

export async function addParameter(deps: RegistryDeps, input: ParameterCreate): Promise<ParameterView> {
  const region = input.region ?? null;
  if (region !== null) await requireRegion(deps, region);
  const problem = parameterProblem(input.key, input.value);
  if (problem) {
    throw new ApiError(
      422,
      'PARAMETER_VALUE_INVALID',
      `Значение параметра ${input.key} некорректно: ${problem.ru}.`,
      `The value of parameter ${input.key} is invalid: ${problem.en}.`,
    );
  }
  const row = await inTransaction(deps.db, (tx) =>
    insertParameter(tx, {
      regionCode: region,
      key: input.key,
      value: input.value,
      effectiveFrom: input.effectiveFrom,
      note: input.note ?? null,
    }),
  );
  return view(row);
}

type Problem = { ru: string; en: string } | undefined;

const NUMERIC_KEYS = new Set([
  'long_gap_periods',
  'rollover_average_factor',
  'rollover_ceiling_kwh_per_month',
  'hold_average_factor',
  'hold_min_kwh_per_month',
  'hold_no_history_kwh_per_month',
  'average_periods',
  'average_min_periods',
  'average_max_consecutive_periods',
  'failed_meter_average_periods',
  'raising_coefficient',
  'future_tolerance_minutes',
  'max_reading_age_days',
]);

function parameterProblem(key: string, value: unknown): Problem {
  const isObject = typeof value === 'object' && value !== null && !Array.isArray(value);
  const isStringList = (v: unknown) => Array.isArray(v) && v.every((x) => typeof x === 'string');
  if (NUMERIC_KEYS.has(key)) {
    return typeof value === 'number' && Number.isFinite(value) && value >= 0
      ? undefined
      : { ru: 'ожидается неотрицательное число', en: 'a non-negative number is expected' };
  }
  switch (key) {
    case 'readings_window': {
      const bad = isObject ? validateWindow(value as ReadingsWindow) : 'expected {fromDay, toDay, serves}';
      return bad ? { ru: `окно приёма показаний: ${bad}`, en: bad } : undefined;
    }
    case 'bill_delivery_day':
    case 'payment_due_day':
      return Number.isInteger(value) && (value as number) >= 1 && (value as number) <= 28
        ? undefined
        : { ru: 'ожидается число месяца от 1 до 28', en: 'a day of month 1–28 is expected' };
    case 'window_only_channels':
    case 'long_gap_channels':
      return isStringList(value)
        ? undefined
        : { ru: 'ожидается список каналов', en: 'a list of channels is expected' };
    case 'norm_priced_single_rate':
      return typeof value === 'boolean'
        ? undefined
        : { ru: 'ожидается true или false', en: 'true or false expected' };
    case 'zone_names': {
      const v = value as Record<string, unknown>;
      const ok = isObject && [1, 2, 3].every((n) => isStringList(v[n]) && zoneNamesFit(n, v[n] as string[]));
      return ok
        ? undefined
        : {
            ru: 'ожидается {"1":["single"],"2":[день, ночь в порядке регистров],"3":[пик, ночь, полупик в порядке регистров]}',
            en: 'expected {"1":["single"],"2":[day/night in register order],"3":[peak/night/half_peak in register order]}',
          };
    }
    default:
      return undefined;
  }
}
