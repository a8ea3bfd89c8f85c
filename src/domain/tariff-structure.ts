/**
 * The shape of tariffs (domain.md §6.2–6.3): which zones a meter type is priced in, volume ranges, and
 * which tariff category fits a house. Prices themselves are effective-dated data, never constants here.
 */
export const METER_TYPES = ['single', 'two_zone', 'three_zone'] as const;
export type MeterType = (typeof METER_TYPES)[number];

export const TARIFF_ZONES = ['single', 'day', 'night', 'peak', 'half_peak'] as const;
export type TariffZone = (typeof TARIFF_ZONES)[number];

export const TARIFF_CATEGORIES = ['gas_stove', 'electric_stove', 'rural', 'equated'] as const;
export type TariffCategory = (typeof TARIFF_CATEGORIES)[number];

/** §6.2: a single-rate meter has one price, a two-zone meter day/night, a three-zone peak/night/half-peak. */
export const METER_TYPE_ZONES: Record<MeterType, readonly TariffZone[]> = {
  single: ['single'],
  two_zone: ['day', 'night'],
  three_zone: ['peak', 'night', 'half_peak'],
};

/** The meter type of a meter with 1, 2 or 3 zone registers. */
export function meterTypeOf(zoneCount: number): MeterType {
  if (zoneCount === 1) return 'single';
  if (zoneCount === 2) return 'two_zone';
  if (zoneCount === 3) return 'three_zone';
  throw new RangeError(`a meter has 1, 2 or 3 zones, not ${zoneCount}`);
}

export function zoneFitsMeterType(meterType: MeterType, zone: TariffZone): boolean {
  return METER_TYPE_ZONES[meterType].includes(zone);
}

/** A monthly volume range of a tariff (§6.3, since 2025): [fromKwh, toKwh), toKwh null = no upper bound. */
export interface VolumeRange {
  fromKwh: number;
  toKwh: number | null;
}

export function isValidRange(r: VolumeRange): boolean {
  return Number.isInteger(r.fromKwh) && r.fromKwh >= 0 && (r.toKwh === null || r.toKwh > r.fromKwh);
}

/** Whether two ranges share any volume (touching ends, [0, 3900) and [3900, 6000), do not overlap). */
export function rangesOverlap(a: VolumeRange, b: VolumeRange): boolean {
  const aEnd = a.toKwh ?? Number.POSITIVE_INFINITY;
  const bEnd = b.toKwh ?? Number.POSITIVE_INFINITY;
  return a.fromKwh < bEnd && b.fromKwh < aEnd;
}

export interface HouseTariffFacts {
  stoveType: 'gas' | 'electric';
  settlementType: 'urban' | 'rural';
}

/**
 * The tariff category a household in this house gets by default (§6.3): a rural settlement prices as
 * rural; otherwise by the stove the house is equipped with.
 */
export function defaultTariffCategory(house: HouseTariffFacts): TariffCategory {
  if (house.settlementType === 'rural') return 'rural';
  return house.stoveType === 'electric' ? 'electric_stove' : 'gas_stove';
}

/**
 * Whether a category may be given to an account in this house: the stove categories must match the
 * house's stove, the rural one needs a rural settlement; "equated to households" fits any house.
 */
export function categoryFitsHouse(category: TariffCategory, house: HouseTariffFacts): boolean {
  switch (category) {
    case 'gas_stove':
      return house.stoveType === 'gas';
    case 'electric_stove':
      return house.stoveType === 'electric';
    case 'rural':
      return house.settlementType === 'rural';
    case 'equated':
      return true;
  }
}

/**
 * §6.2 which register is which zone is data per region (parameter zone_names): for n registers the names
 * must be exactly the zones of that meter type, in any order (seed 003 labels T3 as peak, Moscow T1).
 */
export function zoneNamesFit(zoneCount: number, names: readonly string[]): boolean {
  const zones = METER_TYPE_ZONES[meterTypeOf(zoneCount)];
  return names.length === zones.length && zones.every((z) => names.includes(z));
}
