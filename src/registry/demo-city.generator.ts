import { accrualPoint, epochDay, type RegionCalendar } from './demo-city.calendar.ts';
import {
  COMMON_METER_MODELS,
  EMAIL_DOMAINS,
  FAILURE_REASONS,
  FEMALE_FIRST_NAMES,
  feminineSurname,
  INDIVIDUAL_METER_MODELS,
  MALE_FIRST_NAMES,
  type MeterModel,
  MOSCOW_REGION_SETTLEMENTS,
  MOSCOW_STREETS,
  PATRONYMICS,
  SURNAMES,
  transliterate,
  VILLAGE_STREETS,
  YAKUTIA_SETTLEMENTS,
  YAKUTIA_SURNAMES,
  YAKUTSK_STREETS,
} from './demo-city.data.ts';
import {
  between,
  chance,
  clamp,
  gauss,
  mixSeed,
  mulberry32,
  pick,
  pickIndex,
  type Rng,
  uniform,
  weights,
} from './demo-city.random.ts';

/**
 * The demo city's houses, premises, accounts and meters as drafts (no database ids yet). A planner decides
 * the sequence of houses from the seed; each house then draws from its own random stream, so the city does
 * not depend on how it is cut into chunks.
 */

export type RegionCode = 'moscow' | 'yakutia';
export type TariffCategory = 'gas_stove' | 'electric_stove' | 'rural' | 'equated';
export type Behaviour = 'regular' | 'skipper' | 'stopped';

export interface RegionSetup {
  code: RegionCode;
  calendar: RegionCalendar;
  principalId: number;
  managementCompanyIds: number[];
  /** Seasonal factor of consumption by calendar month (index 0 = January). */
  seasonal: readonly number[];
}

export interface MeterDraft {
  serial: string;
  model: string;
  common: boolean;
  zones: number;
  digits: number;
  decimals: number;
  installedDay: number;
  commissionedDay: number;
  act: string;
  initialWh: number[];
  nextVerificationDay: number;
  smart: boolean;
  headEndId: string | null;
  status: 'active' | 'failed';
  failureReason: string | null;
  /** Commissioned inside the history: the first reading follows the act's initial values. */
  fresh: boolean;
  expired: boolean;
  /** Readings are taken on days after this one and before `untilDay` (verification expired, failure). */
  fromDay: number;
  untilDay: number;
  /** Register value (Wh, before wrapping) at the accrual origin, per zone. */
  base: number[];
  /** Cumulative consumption per zone at the start of each accrual month: [month * zones + zone]. */
  cumulative: Float64Array;
  /** Wh per register step (1 kWh for 0 decimals, 0.1 kWh for 1) and the register modulus (10^digits kWh). */
  quantumWh: number;
  modulusWh: number;
  /** Days after the window opens on which a smart meter reports. */
  smartDayOffset: number;
}

export interface AccountDraft {
  number: string;
  payerName: string;
  email: string | null;
  phones: string[];
  category: TariffCategory;
  startDay: number;
  installationPossible: boolean;
  meter: MeterDraft | null;
  behaviour: Behaviour;
  /** Bit i set: the period slot i is skipped. */
  skipMask: number;
  /** Readings only for period slots with index below this. */
  stopBefore: number;
  /** Preferred channel index into CHANNELS. */
  channel: number;
}

export interface PremisesDraft {
  number: string;
  residential: boolean;
  areaCenti: number;
  rooms: number;
  residents: number;
  account: AccountDraft | null;
}

export interface HouseDraft {
  code: string;
  region: RegionSetup;
  kind: 'apartment_building' | 'private_house';
  address: string;
  stove: 'gas' | 'electric';
  settlement: 'urban' | 'rural';
  managementCompanyId: number | null;
  totalAreaCenti: number;
  commonAreaCenti: number;
  commonNeedsMode: 'none' | 'full' | 'capped';
  premises: PremisesDraft[];
  commonMeter: MeterDraft | null;
  accounts: number;
  meters: number;
  rng: Rng;
}

/** Counters that continue after what the database already holds (never collide on a re-run). */
export interface SeedCounters {
  nextAccountNumber: number;
  nextSerialNumber: number;
  nextHouseNumber: Record<HouseSeries, number>;
}

export type HouseSeries = 'MSK' | 'MSKO' | 'YKT' | 'YKTU';

/** Readings channels with their shares (smart meters report through 'smart'). */
export const CHANNELS = ['portal', 'app', 'sms', 'email', 'ivr', 'terminal', 'paper', 'inspector'] as const;
export const CHANNEL_WEIGHTS = weights([29, 28, 10, 5, 8, 7, 12, 1]);

const YAKUTIA_SHARE = 0.1;
const PRIVATE_SHARE: Record<RegionCode, number> = { moscow: 0.1, yakutia: 0.3 };
const MEAN_FLATS = 115;

interface BuildingType {
  weight: number;
  floors: [number, number];
  entrances: [number, number];
  perFloor: [number, number];
  built: [number, number];
  electricShare: number;
}

const BUILDINGS: Record<RegionCode, readonly BuildingType[]> = {
  moscow: [
    { weight: 7, floors: [2, 4], entrances: [1, 3], perFloor: [2, 4], built: [1935, 1957], electricShare: 0 },
    {
      weight: 25,
      floors: [5, 5],
      entrances: [2, 6],
      perFloor: [4, 4],
      built: [1958, 1969],
      electricShare: 0,
    },
    {
      weight: 25,
      floors: [9, 9],
      entrances: [1, 6],
      perFloor: [4, 4],
      built: [1967, 1992],
      electricShare: 0.25,
    },
    {
      weight: 28,
      floors: [12, 17],
      entrances: [1, 4],
      perFloor: [4, 6],
      built: [1975, 2012],
      electricShare: 1,
    },
    {
      weight: 15,
      floors: [17, 25],
      entrances: [1, 2],
      perFloor: [6, 8],
      built: [2008, 2023],
      electricShare: 1,
    },
  ],
  yakutia: [
    {
      weight: 15,
      floors: [2, 2],
      entrances: [1, 3],
      perFloor: [4, 6],
      built: [1955, 1985],
      electricShare: 0.8,
    },
    {
      weight: 45,
      floors: [5, 5],
      entrances: [2, 6],
      perFloor: [3, 4],
      built: [1970, 1995],
      electricShare: 0.7,
    },
    {
      weight: 40,
      floors: [9, 9],
      entrances: [1, 4],
      perFloor: [4, 4],
      built: [1980, 2020],
      electricShare: 0.7,
    },
  ],
};
const BUILDING_WEIGHTS = {
  moscow: weights(BUILDINGS.moscow.map((b) => b.weight)),
  yakutia: weights(BUILDINGS.yakutia.map((b) => b.weight)),
};

export interface HousePlan {
  ordinal: number;
  region: RegionSetup;
  kind: 'apartment_building' | 'private_house';
  building: BuildingType | null;
  flats: number;
  nonResidential: number;
  nonResidentialAccounts: number;
  accounts: number;
}

/** Decides the sequence of houses: ~10% of accounts in Yakutia, private houses by region. */
export class CityPlanner {
  private assigned = 0;
  private yakutia = 0;
  private ordinal = 0;
  private readonly rng: Rng;

  constructor(
    seed: number,
    private readonly total: number,
    private readonly regions: Record<RegionCode, RegionSetup>,
  ) {
    this.rng = mulberry32(mixSeed(seed, 0x504c414e));
  }

  get remaining(): number {
    return this.total - this.assigned;
  }

  next(): HousePlan | undefined {
    const remaining = this.remaining;
    if (remaining <= 0) return undefined;
    const rng = this.rng;
    const code: RegionCode = this.yakutia < YAKUTIA_SHARE * this.assigned ? 'yakutia' : 'moscow';
    const share = PRIVATE_SHARE[code];
    const privateChance = (share * MEAN_FLATS) / (1 - share + share * MEAN_FLATS);
    let plan: HousePlan;
    if (rng() < privateChance || remaining < 8) {
      plan = {
        ordinal: this.ordinal,
        region: this.regions[code],
        kind: 'private_house',
        building: null,
        flats: 1,
        nonResidential: 0,
        nonResidentialAccounts: 0,
        accounts: 1,
      };
    } else {
      const building = BUILDINGS[code][pickIndex(rng, BUILDING_WEIGHTS[code])]!;
      const flats = clamp(
        between(rng, ...building.floors) *
          between(rng, ...building.entrances) *
          between(rng, ...building.perFloor),
        8,
        300,
      );
      const nonResidential = chance(rng, 0.15) ? between(rng, 1, 3) : 0;
      let nonResidentialAccounts = 0;
      for (let i = 0; i < nonResidential; i++) if (chance(rng, 0.3)) nonResidentialAccounts++;
      plan = {
        ordinal: this.ordinal,
        region: this.regions[code],
        kind: 'apartment_building',
        building,
        flats,
        nonResidential,
        nonResidentialAccounts,
        accounts: flats + nonResidentialAccounts,
      };
      if (plan.accounts > remaining) {
        plan.flats = remaining;
        plan.nonResidentialAccounts = 0;
        plan.accounts = remaining;
      }
    }
    this.ordinal++;
    this.assigned += plan.accounts;
    if (code === 'yakutia') this.yakutia += plan.accounts;
    return plan;
  }
}

const ROOMS_WEIGHTS = weights([30, 38, 25, 7]);
const AREA_BY_ROOMS: readonly [number, number][] = [
  [30, 42],
  [44, 62],
  [58, 86],
  [78, 112],
];
const RESIDENTS_BY_ROOMS = [
  weights([8, 45, 35, 10, 2, 0]),
  weights([7, 22, 38, 22, 9, 2]),
  weights([6, 12, 28, 28, 18, 8]),
  weights([5, 8, 20, 30, 22, 15]),
];
const PRIVATE_RESIDENTS = weights([5, 15, 35, 22, 15, 8]);

/** Everything a house draws from its own stream; counters advance in house order. */
export function buildHouse(plan: HousePlan, seed: number, counters: SeedCounters): HouseDraft {
  const region = plan.region;
  const cal = region.calendar;
  const historyStartYear = yearOf(cal.historyStartDay);
  const rng = mulberry32(mixSeed(seed, counters.nextAccountNumber, plan.ordinal));
  const apartment = plan.kind === 'apartment_building';
  const series: HouseSeries =
    region.code === 'moscow' ? (apartment ? 'MSK' : 'MSKO') : apartment ? 'YKT' : 'YKTU';
  const houseNumber = counters.nextHouseNumber[series]++;
  const code = `${series}-${String(houseNumber).padStart(6, '0')}`;
  const place = address(series, houseNumber);
  const settlement = apartment || place.urban ? 'urban' : 'rural';
  const electricShare = plan.building ? plan.building.electricShare : region.code === 'yakutia' ? 0.8 : 0.45;
  const stove = chance(rng, electricShare) ? 'electric' : 'gas';
  const builtYear = plan.building ? between(rng, ...plan.building.built) : between(rng, 1950, 2022);
  const builtDay = epochDay({ year: builtYear, month: between(rng, 1, 12), day: between(rng, 1, 28) });

  const premises: PremisesDraft[] = [];
  const profiles: Float64Array[] = [];
  const months = cal.monthLength.length;
  const houseMonthly = new Float64Array(months);
  const addProfile = (kwh: number, amplitude: number) => {
    const profile = monthlyProfile(rng, region, kwh, amplitude);
    for (let k = 0; k < months; k++) houseMonthly[k]! += profile[k]!;
    profiles.push(profile);
    return profile;
  };
  let totalAreaCenti = 0;
  let accounts = 0;
  let meters = 0;
  const yakutiaFactor = region.code === 'yakutia' ? 1.15 : 1;
  const house: HouseDraft = {
    code,
    region,
    kind: plan.kind,
    address: place.text,
    stove,
    settlement,
    managementCompanyId: apartment ? pick(rng, region.managementCompanyIds) : null,
    totalAreaCenti: 0,
    commonAreaCenti: 0,
    commonNeedsMode: 'none',
    premises,
    commonMeter: null,
    accounts: 0,
    meters: 0,
    rng,
  };
  const openAccount = (p: PremisesDraft, category: TariffCategory, profile: Float64Array) => {
    p.account = buildAccount(rng, house, category, profile, counters, builtDay, historyStartYear);
    accounts++;
    if (p.account.meter) meters++;
  };

  if (apartment) {
    for (let i = 1; i <= plan.flats; i++) {
      const rooms = pickIndex(rng, ROOMS_WEIGHTS) + 1;
      const [lo, hi] = AREA_BY_ROOMS[rooms - 1]!;
      const areaCenti = Math.round(uniform(rng, lo, hi) * 10) * 10;
      const residents = pickIndex(rng, RESIDENTS_BY_ROOMS[rooms - 1]!);
      const p: PremisesDraft = {
        number: String(i),
        residential: true,
        areaCenti,
        rooms,
        residents,
        account: null,
      };
      premises.push(p);
      totalAreaCenti += areaCenti;
      const kwh = flatKwh(stove, rooms, residents) * yakutiaFactor;
      openAccount(p, stove === 'gas' ? 'gas_stove' : 'electric_stove', addProfile(kwh, 1));
    }
    for (let i = 1; i <= plan.nonResidential; i++) {
      const areaCenti = Math.round(uniform(rng, 40, 300) * 10) * 10;
      const p: PremisesDraft = {
        number: `Н${i}`,
        residential: false,
        areaCenti,
        rooms: 0,
        residents: 0,
        account: null,
      };
      premises.push(p);
      totalAreaCenti += areaCenti;
      const profile = addProfile(uniform(rng, 300, 2500), 0.6);
      if (i <= plan.nonResidentialAccounts) openAccount(p, 'equated', profile);
    }
    house.commonAreaCenti = Math.round((totalAreaCenti * uniform(rng, 0.1, 0.2)) / 10) * 10;
    const mode = rng();
    house.commonNeedsMode = mode < 0.85 ? 'none' : mode < 0.95 ? 'full' : 'capped';
    // Lighting, lifts, pumps: around the common-needs norm, more in winter.
    const commonKwh =
      (house.commonAreaCenti / 100) * (region.code === 'moscow' ? 0.683 : 1.02) * uniform(rng, 0.6, 2.2);
    addProfile(commonKwh, 1.2);
    if (chance(rng, region.code === 'moscow' ? 0.4 : 0.3)) {
      house.commonMeter = buildCommonMeter(rng, house, houseMonthly, counters, builtDay, historyStartYear);
      meters++;
    }
  } else {
    const rooms = between(rng, 2, 6);
    const areaCenti = Math.round(uniform(rng, 40 + rooms * 15, 60 + rooms * 30) * 10) * 10;
    const residents = pickIndex(rng, PRIVATE_RESIDENTS);
    const p: PremisesDraft = { number: '1', residential: true, areaCenti, rooms, residents, account: null };
    premises.push(p);
    totalAreaCenti = areaCenti;
    const kwh =
      (120 + residents * 55 + rooms * 15 + (stove === 'electric' ? 120 : 0)) *
      yakutiaFactor *
      (residents === 0 ? 0.2 : 1);
    const category: TariffCategory =
      settlement === 'rural' ? 'rural' : stove === 'gas' ? 'gas_stove' : 'electric_stove';
    openAccount(p, category, addProfile(kwh, 1.3));
  }
  house.totalAreaCenti = totalAreaCenti;
  house.accounts = accounts;
  house.meters = meters;
  return house;
}

/** Typical monthly kWh of a flat: stove, rooms, residents (an empty flat uses little). */
function flatKwh(stove: 'gas' | 'electric', rooms: number, residents: number): number {
  const kwh = (stove === 'gas' ? 45 : 110) + residents * (stove === 'gas' ? 48 : 60) + rooms * 10;
  return residents === 0 ? kwh * 0.15 : kwh;
}

/** Wh per accrual month: a household's level × season (winter higher) × month-to-month noise. */
function monthlyProfile(rng: Rng, region: RegionSetup, kwh: number, amplitude: number): Float64Array {
  const cal = region.calendar;
  const level = kwh * 1000 * clamp(Math.exp(0.33 * gauss(rng)), 0.4, 2.5);
  const out = new Float64Array(cal.monthLength.length);
  for (let k = 0; k < out.length; k++) {
    const season = 1 + (region.seasonal[cal.calendarMonth[k]! - 1]! - 1) * amplitude;
    out[k] = level * season * clamp(1 + 0.08 * gauss(rng), 0.7, 1.3);
  }
  return out;
}

function payerName(rng: Rng, region: RegionCode): string {
  const surname =
    region === 'yakutia' && chance(rng, 0.6) ? pick(rng, YAKUTIA_SURNAMES) : pick(rng, SURNAMES);
  const [male, female] = pick(rng, PATRONYMICS);
  return chance(rng, 0.47)
    ? `${surname} ${pick(rng, MALE_FIRST_NAMES)} ${male}`
    : `${feminineSurname(surname)} ${pick(rng, FEMALE_FIRST_NAMES)} ${female}`;
}

function emailOf(rng: Rng, name: string): string {
  const [surname = '', first = ''] = name.split(' ');
  const s = transliterate(surname);
  const f = transliterate(first);
  const variant = between(rng, 0, 3);
  const local =
    variant === 0
      ? `${f}.${s}`
      : variant === 1
        ? `${s}${between(rng, 1950, 2004)}`
        : variant === 2
          ? `${f[0]}${s}${between(rng, 1, 99)}`
          : `${s}.${f}${between(rng, 10, 999)}`;
  return `${local}@${pick(rng, EMAIL_DOMAINS)}`;
}

/**
 * Phones derived from the (unique) account number through a bijection of its last nine digits, so no two
 * seeded accounts share a mobile number; a landline as a second number for some.
 */
function phonesOf(rng: Rng, accountNumber: number, region: RegionCode): string[] {
  const x = accountNumber % 1_000_000_000;
  // 3^18 is coprime with 10^9, so x → (3^18·x + c) mod 10^9 is a bijection (BigInt: the product exceeds 2^53).
  const scrambled = (BigInt(x) * 387_420_489n + 160_482_637n) % 1_000_000_000n;
  const mobile = `+79${String(scrambled).padStart(9, '0')}`;
  if (!chance(rng, 0.12)) return [mobile];
  const landline =
    region === 'moscow'
      ? `+7${pick(rng, ['495', '499'])}${String((x * 1_594_323 + 7_654_321) % 10_000_000).padStart(7, '0')}`
      : `+74112${String((x * 531_441 + 123_457) % 1_000_000).padStart(6, '0')}`;
  return [mobile, landline];
}

function buildAccount(
  rng: Rng,
  house: HouseDraft,
  category: TariffCategory,
  profile: Float64Array,
  counters: SeedCounters,
  builtDay: number,
  historyStartYear: number,
): AccountDraft {
  const region = house.region;
  const cal = region.calendar;
  const number = counters.nextAccountNumber++;
  const name = payerName(rng, region.code);
  const phones = chance(rng, 0.6) ? phonesOf(rng, number, region.code) : [];
  const email = chance(rng, 0.4) ? emailOf(rng, name) : null;
  const earliest = Math.max(builtDay + 30, epochDay({ year: 2006, month: 1, day: 10 }));
  const latest = cal.historyStartDay - 45;
  let startDay = between(rng, Math.min(earliest, latest), latest);

  const r = rng();
  let meter: MeterDraft | null = null;
  let installationPossible = true;
  if (r < 0.015) {
    installationPossible = chance(rng, 0.65);
  } else {
    const kind = r < 0.02 ? 'failed' : r < 0.04 ? 'expired' : r < 0.1 ? 'fresh' : 'old';
    meter = buildIndividualMeter(rng, house, profile, kind, counters, builtDay, historyStartYear);
    // Half of the freshly commissioned meters came with a new payer moving in.
    if (meter.fresh && chance(rng, 0.5)) startDay = meter.commissionedDay - between(rng, 0, 10);
  }
  const b = rng();
  const smart = meter?.smart ?? false;
  const behaviour: Behaviour = smart
    ? b < 0.02
      ? 'skipper'
      : 'regular'
    : b < 0.1
      ? 'skipper'
      : b < 0.12
        ? 'stopped'
        : 'regular';
  const slots = cal.slots.length;
  let skipMask = 0;
  if (behaviour === 'skipper') {
    const skips = between(rng, 1, 4);
    for (let i = 0; i < skips; i++) skipMask |= 1 << between(rng, 0, slots - 2);
  }
  const stopBefore = behaviour === 'stopped' ? Math.max(1, slots - 1 - between(rng, 4, 8)) : slots;
  return {
    number: String(number),
    payerName: name,
    email,
    phones,
    category,
    startDay,
    installationPossible,
    meter,
    behaviour,
    skipMask,
    stopBefore,
    channel: pickIndex(rng, CHANNEL_WEIGHTS),
  };
}

const ZONES_WEIGHTS = weights([50, 35, 15]);

function buildIndividualMeter(
  rng: Rng,
  house: HouseDraft,
  profile: Float64Array,
  kind: 'failed' | 'expired' | 'fresh' | 'old',
  counters: SeedCounters,
  builtDay: number,
  historyStartYear: number,
): MeterDraft {
  const cal = house.region.calendar;
  const zones = pickIndex(rng, ZONES_WEIGHTS) + 1;
  const smart = kind !== 'expired' && chance(rng, 1 / 3);
  const fresh = kind === 'fresh';
  let installedDay: number;
  let model: MeterModel;
  let expiryDay = Number.POSITIVE_INFINITY;
  if (fresh) {
    installedDay = between(rng, cal.historyStartDay - 10, cal.today - 45);
    model = pickModel(rng, INDIVIDUAL_METER_MODELS, zones, smart, yearOf(installedDay), yearOf(installedDay));
  } else if (kind === 'expired') {
    // Verification ran out within the last year: readings stop on that day (§3).
    expiryDay = between(rng, cal.today - 330, cal.today - 20);
    model = pickModel(
      rng,
      INDIVIDUAL_METER_MODELS,
      zones,
      false,
      yearOf(expiryDay) - 16,
      yearOf(expiryDay) - 16,
    );
    installedDay = addYears(expiryDay, -model.verificationYears);
  } else {
    const lo = Math.max(yearOf(builtDay), smart ? 2020 : 1996);
    const hi = Math.max(lo, historyStartYear - 1);
    model = pickModel(rng, INDIVIDUAL_METER_MODELS, zones, smart, lo, hi);
    const year = between(rng, Math.max(lo, model.fromYear), Math.min(hi, model.toYear ?? hi));
    installedDay = Math.min(
      epochDay({ year, month: between(rng, 1, 12), day: between(rng, 1, 28) }),
      cal.historyStartDay - 60,
    );
  }
  const meter = newMeter(rng, model, zones, installedDay, counters, cal.today);
  meter.fresh = fresh;
  if (kind === 'expired') {
    meter.expired = true;
    meter.nextVerificationDay = expiryDay;
    meter.untilDay = expiryDay;
  }
  if (kind === 'failed') {
    meter.status = 'failed';
    meter.failureReason = pick(rng, FAILURE_REASONS);
    meter.untilDay = cal.today - between(rng, 35, 150);
  }
  const shares = zoneShares(rng, meter.zones);
  fillCumulative(rng, meter, profile, shares, cal);
  const avgMonthly = profile.reduce((a, b) => a + b, 0) / profile.length;
  if (fresh) {
    // value(t) = act + consumption since commissioning (taken at midday of that day).
    const { month, frac } = accrualPoint(cal, meter.commissionedDay, 43_200);
    for (let z = 0; z < meter.zones; z++) {
      const a = meter.cumulative[month * meter.zones + z]!;
      const b = meter.cumulative[(month + 1) * meter.zones + z]!;
      meter.base[z] = meter.initialWh[z]! - (a + (b - a) * frac);
    }
  } else {
    // The register has counted since commissioning; a few 5-digit ones are about to roll over.
    const monthsSince = Math.max(1, (cal.originDay - meter.commissionedDay) / 30.4);
    const nearRollover = meter.digits === 5 && chance(rng, 0.02);
    for (let z = 0; z < meter.zones; z++) {
      const counted =
        nearRollover && z === 0
          ? meter.modulusWh - avgMonthly * uniform(rng, 3, 12)
          : meter.initialWh[z]! + avgMonthly * (shares[z] ?? 1) * monthsSince * uniform(rng, 0.8, 1.2);
      meter.base[z] = Math.floor(counted) % meter.modulusWh;
    }
  }
  return meter;
}

function buildCommonMeter(
  rng: Rng,
  house: HouseDraft,
  monthly: Float64Array,
  counters: SeedCounters,
  builtDay: number,
  historyStartYear: number,
): MeterDraft {
  const cal = house.region.calendar;
  const zones = chance(rng, 0.4) ? 2 : 1;
  const lo = Math.max(yearOf(builtDay), 2012);
  const hi = Math.max(lo, historyStartYear - 1);
  const model = pickModel(rng, COMMON_METER_MODELS, zones, chance(rng, 0.4), lo, hi);
  const year = between(rng, Math.max(lo, model.fromYear), hi);
  const installedDay = Math.min(
    epochDay({ year, month: between(rng, 1, 12), day: between(rng, 1, 28) }),
    cal.historyStartDay - 60,
  );
  const meter = newMeter(rng, model, zones, installedDay, counters, cal.today);
  meter.common = true;
  const night = uniform(rng, 0.3, 0.38);
  fillCumulative(rng, meter, monthly, zones === 1 ? [1] : [1 - night, night], cal);
  const avgMonthly = monthly.reduce((a, b) => a + b, 0) / monthly.length;
  const monthsSince = Math.max(1, (cal.originDay - meter.commissionedDay) / 30.4);
  for (let z = 0; z < zones; z++)
    meter.base[z] =
      Math.floor(
        meter.initialWh[z]! + avgMonthly * (zones === 1 ? 1 : z === 0 ? 1 - night : night) * monthsSince,
      ) % meter.modulusWh;
  return meter;
}

function newMeter(
  rng: Rng,
  model: MeterModel,
  zones: number,
  installedDay: number,
  counters: SeedCounters,
  today: number,
): MeterDraft {
  const serial = `${model.serialPrefix}${String(counters.nextSerialNumber++).padStart(9, '0')}`;
  const commissionedDay = Math.min(installedDay + between(rng, 0, 5), today - 40);
  const quantumWh = 10 ** (3 - model.decimals);
  const initialWh: number[] = [];
  for (let z = 0; z < zones; z++)
    initialWh.push(
      Math.floor((z === 0 ? uniform(rng, 0, 12_000) : uniform(rng, 0, 3_000)) / quantumWh) * quantumWh,
    );
  // Next verification: the first end of a verification interval still ahead (re-verified meanwhile).
  let nextVerificationDay = addYears(installedDay, model.verificationYears);
  while (nextVerificationDay <= today + 30)
    nextVerificationDay = addYears(nextVerificationDay, model.verificationYears);
  const year = yearOf(commissionedDay);
  return {
    serial,
    model: model.name,
    common: false,
    zones,
    digits: model.digits,
    decimals: model.decimals,
    installedDay,
    commissionedDay,
    act: `АВЭ-${year}/${serial.slice(-6)}`,
    initialWh,
    nextVerificationDay,
    smart: model.smart,
    headEndId: model.smart ? `HES-${serial}` : null,
    status: 'active',
    failureReason: null,
    fresh: false,
    expired: false,
    fromDay: commissionedDay,
    untilDay: Number.POSITIVE_INFINITY,
    base: new Array<number>(zones).fill(0),
    cumulative: new Float64Array(0),
    quantumWh,
    modulusWh: 10 ** model.digits * 1000,
    smartDayOffset: between(rng, 0, 2),
  };
}

/** A model that supports the zones (and smartness) and was installed in some year of [lo, hi]. */
function pickModel(
  rng: Rng,
  models: readonly MeterModel[],
  zones: number,
  smart: boolean,
  lo: number,
  hi: number,
): MeterModel {
  const fits = (m: MeterModel, s: boolean) =>
    m.smart === s && m.zones.includes(zones as 1 | 2 | 3) && m.fromYear <= hi && (m.toYear ?? 9999) >= lo;
  let candidates = models.filter((m) => fits(m, smart));
  if (candidates.length === 0) candidates = models.filter((m) => fits(m, !smart));
  if (candidates.length === 0) candidates = models.filter((m) => m.zones.includes(zones as 1 | 2 | 3));
  return pick(rng, candidates);
}

/** Shares of consumption per register: T1 day / T2 night; three zones T1 peak, T2 night, T3 half-peak (§6.2). */
function zoneShares(rng: Rng, zones: number): number[] {
  if (zones === 1) return [1];
  if (zones === 2) {
    const night = clamp(0.3 + 0.07 * gauss(rng), 0.12, 0.55);
    return [1 - night, night];
  }
  const peak = clamp(0.28 + 0.05 * gauss(rng), 0.15, 0.4);
  const night = clamp(0.28 + 0.07 * gauss(rng), 0.1, 0.5);
  return [peak, night, 1 - peak - night];
}

function fillCumulative(
  rng: Rng,
  meter: MeterDraft,
  monthly: Float64Array,
  shares: number[],
  cal: RegionCalendar,
): void {
  const zones = meter.zones;
  const months = monthly.length;
  const cumulative = new Float64Array((months + 1) * zones);
  const month = new Float64Array(zones);
  for (let k = 0; k < months; k++) {
    // Night registers count a little more in winter; every month wobbles a little.
    const winter = zones > 1 && [11, 12, 1, 2].includes(cal.calendarMonth[k]!) ? 0.02 : 0;
    let sum = 0;
    for (let z = 0; z < zones; z++) {
      month[z] =
        zones === 1 ? 1 : Math.max(0.02, (shares[z] ?? 0) + (z === 1 ? winter : 0) + 0.01 * gauss(rng));
      sum += month[z]!;
    }
    for (let z = 0; z < zones; z++) {
      cumulative[(k + 1) * zones + z] = cumulative[k * zones + z]! + (monthly[k]! * month[z]!) / sum;
    }
  }
  meter.cumulative = cumulative;
}

function yearOf(day: number): number {
  return new Date(day * 86_400_000).getUTCFullYear();
}

function addYears(day: number, years: number): number {
  const t = new Date(day * 86_400_000);
  return Date.UTC(t.getUTCFullYear() + years, t.getUTCMonth(), Math.min(t.getUTCDate(), 28)) / 86_400_000;
}

/** Addresses are a bijection of the house's number in its series, so re-runs never repeat one. */
function address(series: HouseSeries, n: number): { text: string; urban: boolean } {
  if (series === 'MSK' || series === 'YKT') {
    const streets = series === 'MSK' ? MOSCOW_STREETS : YAKUTSK_STREETS;
    const street = streets[n % streets.length]!;
    const q = Math.floor(n / streets.length);
    const building = Math.floor(q / 3) + 1;
    const block = q % 3;
    const city = series === 'MSK' ? 'г. Москва' : 'Республика Саха (Якутия), г. Якутск';
    return { text: `${city}, ${street}, д. ${building}${block ? `, корп. ${block}` : ''}`, urban: true };
  }
  const settlements = series === 'MSKO' ? MOSCOW_REGION_SETTLEMENTS : YAKUTIA_SETTLEMENTS;
  const slots = settlements.length * VILLAGE_STREETS.length;
  const slot = n % slots;
  const s = settlements[slot % settlements.length]!;
  const street = VILLAGE_STREETS[Math.floor(slot / settlements.length)]!;
  const number = Math.floor(n / slots) + 1;
  const area = series === 'MSKO' ? 'Московская обл.' : 'Республика Саха (Якутия)';
  return { text: `${area}, ${s.district}, ${s.settlement}, ${street}, д. ${number}`, urban: s.urban };
}
