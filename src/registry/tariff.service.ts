import { formatFixedPoint, parseFixedPoint } from '../domain/fixed-point.ts';
import {
  isValidRange,
  METER_TYPE_ZONES,
  rangesOverlap,
  zoneFitsMeterType,
} from '../domain/tariff-structure.ts';
import { ApiError } from '../platform/http.ts';
import { findRegion } from './party.repository.ts';
import { regionNotFound } from './party.service.ts';
import { inTransaction, type RegistryDeps } from './registry-db.ts';
import {
  type CommonNormRow,
  commonNormsInForce,
  insertCommonNorm,
  insertNorm,
  insertTariff,
  type NormRow,
  normsInForce,
  rangesOnSameDate,
  type TariffRow,
  tariffsInForce,
} from './tariff.repository.ts';
import type {
  CommonNormCreate,
  InForceQuery,
  NormCreate,
  TariffCreate,
  TariffListQuery,
} from './tariff.schemas.ts';

/**
 * Use cases for effective-dated tariffs (§6.3), norms (§6.1 item 4) and common-needs norms (§7). Lists
 * answer what is in force on a date. Prices are kopecks per kWh, also shown in rubles.
 */

export type TariffView = TariffRow & { price: string };
export type NormView = NormRow & { kwhPerPerson: string };
export type CommonNormView = CommonNormRow & { kwhPerM2: string };

const INT_MAX = 2_147_483_647;

function decimalError(field: string, problem: string, decimals: number, unitRu: string, unitEn: string) {
  return new ApiError(
    422,
    'AMOUNT_INVALID',
    `${field}: ${problem === 'TOO_PRECISE' ? `не более ${decimals} знаков после запятой` : `ожидается неотрицательное число, ${unitRu}`}.`,
    `${field}: ${problem === 'TOO_PRECISE' ? `at most ${decimals} decimals` : `a non-negative number is expected, ${unitEn}`}.`,
    { field, problem },
  );
}

export async function requireRegion(deps: RegistryDeps, code: string): Promise<void> {
  if (!(await findRegion(deps.db, code))) throw regionNotFound(code);
}

export async function listTariffs(deps: RegistryDeps, q: TariffListQuery): Promise<TariffView[]> {
  if (q.region !== undefined) await requireRegion(deps, q.region);
  const rows = await tariffsInForce(deps.db, { ...q, now: deps.clock.now() });
  return rows.map((t) => ({ ...t, price: formatFixedPoint(t.priceKopecks, 2) }));
}

/** Adds one zone (and volume range) of a tariff from a date; the zone must be one of the meter type's. */
export async function addTariff(deps: RegistryDeps, input: TariffCreate): Promise<TariffView> {
  await requireRegion(deps, input.region);
  if (!zoneFitsMeterType(input.meterType, input.zone)) {
    const zones = METER_TYPE_ZONES[input.meterType].join(', ');
    throw new ApiError(
      422,
      'TARIFF_ZONE_MISMATCH',
      `Зона ${input.zone} не относится к типу учёта ${input.meterType}; допустимы: ${zones}.`,
      `Zone ${input.zone} is not a zone of meter type ${input.meterType}; allowed: ${zones}.`,
      { allowed: METER_TYPE_ZONES[input.meterType] },
    );
  }
  const range = { fromKwh: input.rangeFromKwh ?? 0, toKwh: input.rangeToKwh ?? null };
  if (!isValidRange(range)) {
    throw new ApiError(
      422,
      'TARIFF_RANGE_INVALID',
      `Диапазон объёма ${range.fromKwh}–${range.toKwh} кВт·ч: конец должен быть больше начала.`,
      `Volume range ${range.fromKwh}–${range.toKwh} kWh: the end must be above the start.`,
    );
  }
  let priceKopecks = input.priceKopecks;
  if (input.price !== undefined) {
    const p = parseFixedPoint(input.price, 2, INT_MAX);
    if (!p.ok) throw decimalError('price', p.problem, 2, 'руб. за кВт·ч', 'RUB per kWh');
    priceKopecks = p.value;
  }
  if (!priceKopecks || priceKopecks <= 0) {
    throw new ApiError(
      422,
      'AMOUNT_INVALID',
      'Цена должна быть больше нуля.',
      'The price must be above zero.',
    );
  }
  const row = {
    region: input.region,
    category: input.category,
    meterType: input.meterType,
    zone: input.zone,
    rangeFromKwh: range.fromKwh,
    rangeToKwh: range.toKwh,
    priceKopecks,
    effectiveFrom: input.effectiveFrom,
    illustrative: input.illustrative ?? false,
    note: input.note ?? null,
  };
  await inTransaction(deps.db, async (tx) => {
    const taken = await rangesOnSameDate(tx, row);
    // The same start is the same tariff row: the unique key answers it as TARIFF_EXISTS.
    const clash = taken.find((r) => r.fromKwh !== range.fromKwh && rangesOverlap(r, range));
    if (clash) {
      throw new ApiError(
        409,
        'TARIFF_RANGE_OVERLAP',
        `Диапазон ${range.fromKwh}–${range.toKwh ?? '∞'} кВт·ч пересекается с уже заданным ${clash.fromKwh}–${clash.toKwh ?? '∞'} с той же даты.`,
        `Range ${range.fromKwh}–${range.toKwh ?? '∞'} kWh overlaps ${clash.fromKwh}–${clash.toKwh ?? '∞'} set from the same date.`,
        { existing: clash },
      );
    }
    await insertTariff(tx, row);
  });
  return { ...row, on: input.effectiveFrom, price: formatFixedPoint(priceKopecks, 2) };
}

export async function listNorms(
  deps: RegistryDeps,
  q: InForceQuery & { stoveType?: string | undefined },
): Promise<NormView[]> {
  if (q.region !== undefined) await requireRegion(deps, q.region);
  const rows = await normsInForce(deps.db, { ...q, now: deps.clock.now() });
  return rows.map((n) => ({ ...n, kwhPerPerson: formatFixedPoint(n.whPerPerson, 3) }));
}

export async function addNorm(deps: RegistryDeps, input: NormCreate): Promise<NormView> {
  await requireRegion(deps, input.region);
  const wh = parseFixedPoint(input.kwhPerPerson, 3, INT_MAX);
  if (!wh.ok) throw decimalError('kwhPerPerson', wh.problem, 3, 'кВт·ч', 'kWh');
  const row = {
    region: input.region,
    stoveType: input.stoveType,
    rooms: input.rooms,
    residents: input.residents,
    whPerPerson: wh.value,
    effectiveFrom: input.effectiveFrom,
    illustrative: input.illustrative ?? false,
  };
  await inTransaction(deps.db, (tx) => insertNorm(tx, row));
  return { ...row, on: input.effectiveFrom, kwhPerPerson: formatFixedPoint(wh.value, 3) };
}

export async function listCommonNorms(deps: RegistryDeps, q: InForceQuery): Promise<CommonNormView[]> {
  if (q.region !== undefined) await requireRegion(deps, q.region);
  const rows = await commonNormsInForce(deps.db, { ...q, now: deps.clock.now() });
  return rows.map((c) => ({ ...c, kwhPerM2: formatFixedPoint(c.whPerM2, 3) }));
}

export async function addCommonNorm(deps: RegistryDeps, input: CommonNormCreate): Promise<CommonNormView> {
  await requireRegion(deps, input.region);
  const wh = parseFixedPoint(input.kwhPerM2, 3, INT_MAX);
  if (!wh.ok) throw decimalError('kwhPerM2', wh.problem, 3, 'кВт·ч на м²', 'kWh per m²');
  const row = {
    region: input.region,
    whPerM2: wh.value,
    effectiveFrom: input.effectiveFrom,
    illustrative: input.illustrative ?? false,
  };
  await inTransaction(deps.db, (tx) => insertCommonNorm(tx, row));
  return { ...row, on: input.effectiveFrom, kwhPerM2: formatFixedPoint(wh.value, 3) };
}
