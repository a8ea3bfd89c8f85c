/**
 * The charge for one account and period, domain.md §6.3: `charge = Σ_zones volume_z × price_z`, each bill
 * line rounded to the kopeck half up; zones priced at their own tariff (§6.2) or, for a norm volume on a
 * zone meter, at the single-rate tariff; volume ranges (since 2025); a tariff change inside the period.
 * Each line names the tariff row it used, so a bill (§8) can explain every kopeck.
 */
import { allocateByWeights } from './allocation.ts';
import { chargeKopecks, sumKopecks } from './money.ts';
import {
  addDays,
  daysInMonth,
  formatLocalDate,
  type LocalDate,
  type Period,
  parseLocalDate,
  parsePeriod,
} from './period.ts';
import {
  METER_TYPE_ZONES,
  type MeterType,
  type TariffCategory,
  type TariffZone,
  type VolumeRange,
} from './tariff-structure.ts';

/** One row of the `tariff` table (region already chosen): a price for a zone and a volume range. */
export interface TariffRate {
  id?: string | number;
  category: TariffCategory;
  meterType: MeterType;
  zone: TariffZone;
  rangeFromKwh: number;
  /** Exclusive; null = no upper bound. */
  rangeToKwh: number | null;
  priceKopecks: number;
  /** 'YYYY-MM-DD'. */
  effectiveFrom: string;
}

/**
 * §6.3 "a tariff change inside a period applies by the days of the period unless the region's rule says
 * otherwise": `by_days` (default) splits the volume by the days each tariff was in force; a region may
 * instead price the whole period at the tariff in force on its first or on its last day.
 */
export type TariffChangeRule = 'by_days' | 'first_day' | 'last_day';

export interface ZoneVolume {
  zone: TariffZone;
  wh: number;
}

export interface ChargeInput {
  period: Period;
  category: TariffCategory;
  /** The meter's type; the volumes name exactly its zones, in the order the bill shows them. */
  meterType: MeterType;
  volumes: readonly ZoneVolume[];
  /** §6.2: a norm volume on a zone meter is priced at the single-rate tariff (the zones are summed). */
  singleRate?: boolean;
  /** Tariff rows of the region; rows of other categories and meter types are ignored. */
  tariffs: readonly TariffRate[];
  tariffChange?: TariffChangeRule;
}

export interface ChargeLine {
  zone: TariffZone;
  volumeWh: number;
  priceKopecksPerKwh: number;
  amountKopecks: number;
  /** The tariff row used: which schedule (effective date) and which volume range. */
  tariff: { id?: string | number; meterType: MeterType; effectiveFrom: string; range: VolumeRange };
  /** The days of the period this line covers ('YYYY-MM-DD', inclusive) and their count. */
  from: string;
  to: string;
  days: number;
}

export interface Charge {
  period: Period;
  /** The meter type whose tariffs priced the volume ('single' for a norm volume under `singleRate`). */
  pricedAs: MeterType;
  volumeWh: number;
  amountKopecks: number;
  lines: ChargeLine[];
}

export type TariffProblem = 'NO_TARIFF' | 'RANGES_INCOMPLETE';

/** The tariff table cannot price this volume: a configuration problem for operators, not a subscriber's. */
export class TariffTableError extends Error {
  constructor(
    readonly problem: TariffProblem,
    message: string,
  ) {
    super(message);
    this.name = 'TariffTableError';
  }
}

/**
 * The schedule of one zone in force on a date: the rows with the latest effective date not after it, all
 * their volume ranges together (a new schedule replaces the old one's ranges as a whole, as the registry
 * reads them), ordered by range and checked to cover [0, ∞) without gaps.
 */
export function scheduleInForce(
  tariffs: readonly TariffRate[],
  category: TariffCategory,
  meterType: MeterType,
  zone: TariffZone,
  date: string,
): TariffRate[] {
  const rows = tariffs.filter(
    (t) => t.category === category && t.meterType === meterType && t.zone === zone && t.effectiveFrom <= date,
  );
  const latest = rows
    .map((t) => t.effectiveFrom)
    .sort()
    .at(-1); // 'YYYY-MM-DD' sorts as dates
  const schedule = rows
    .filter((t) => t.effectiveFrom === latest)
    .sort((a, b) => a.rangeFromKwh - b.rangeFromKwh);
  const what = `${category}/${meterType}/${zone} on ${date}`;
  if (schedule.length === 0) throw new TariffTableError('NO_TARIFF', `no tariff in force for ${what}`);
  let from = 0;
  for (const [i, t] of schedule.entries()) {
    const last = i === schedule.length - 1;
    if (t.rangeFromKwh !== from || (t.rangeToKwh === null) !== last) {
      throw new TariffTableError(
        'RANGES_INCOMPLETE',
        `the volume ranges of ${what} do not cover [0, ∞) once`,
      );
    }
    from = t.rangeToKwh ?? from;
  }
  return schedule;
}

interface Segment {
  from: LocalDate;
  to: LocalDate;
  days: number;
  /** Per zone (in the order of the volumes), its schedule during the segment. */
  schedules: TariffRate[][];
}

/** §6.3 the parts of the period with one set of tariffs in force each, by the region's rule. */
function tariffSegments(input: ChargeInput, pricedAs: MeterType, zones: readonly TariffZone[]): Segment[] {
  const { year, month } = parsePeriod(input.period);
  const first: LocalDate = { year, month, day: 1 };
  const last: LocalDate = { year, month, day: daysInMonth(year, month) };
  const rule = input.tariffChange ?? 'by_days';
  const relevant = input.tariffs.filter((t) => t.category === input.category && t.meterType === pricedAs);
  for (const t of relevant) parseLocalDate(t.effectiveFrom);
  const firstText = formatLocalDate(first);
  const lastText = formatLocalDate(last);
  let starts: LocalDate[];
  if (rule === 'by_days') {
    const changes = new Set(
      relevant.map((t) => t.effectiveFrom).filter((d) => d > firstText && d <= lastText),
    );
    starts = [first, ...[...changes].sort().map(parseLocalDate)];
  } else {
    starts = [first];
  }
  return starts.map((start, i) => {
    const next = starts[i + 1];
    const end = next ? addDays(next, -1) : last;
    const on = rule === 'last_day' ? lastText : formatLocalDate(start);
    return {
      from: start,
      to: end,
      days: end.day - start.day + 1,
      schedules: zones.map((z) => scheduleInForce(relevant, input.category, pricedAs, z, on)),
    };
  });
}

/**
 * §6.3 "split the month's volume across ranges in order, zones pro rata within a range". With a tariff
 * change by days, each zone's volume is first split by the days of each part of the period, and each
 * range boundary (3,900 kWh …) likewise by days (largest remainder, so the parts of a boundary add up to
 * the monthly boundary): in a 15 + 15 day month the 3,900 kWh boundary is 1,950 kWh in each half.
 * Within a part, range after range takes its volume and splits it over the zones in proportion to what
 * is still left of each zone — the same as pro rata to the zone's monthly volume up to a watt-hour, and
 * it keeps both sums exact: each zone's lines add up to its volume, each range's lines to the range's.
 */
export function computeCharge(input: ChargeInput): Charge {
  const meterZones = METER_TYPE_ZONES[input.meterType];
  const given = input.volumes.map((v) => v.zone);
  if (given.length !== meterZones.length || !meterZones.every((z) => given.includes(z))) {
    throw new RangeError(
      `a ${input.meterType} meter has zones ${meterZones.join(', ')}, got ${given.join(', ')}`,
    );
  }
  for (const v of input.volumes) {
    if (!Number.isSafeInteger(v.wh))
      throw new RangeError(`the ${v.zone} volume must be whole Wh, got ${v.wh}`);
  }
  // A credit (negative volumes, §6.4) is priced as the mirror image of the same charge.
  const negative = input.volumes.some((v) => v.wh < 0);
  if (negative && input.volumes.some((v) => v.wh > 0)) {
    throw new RangeError('zone volumes of one charge are all charges or all credits, not a mix');
  }
  const pricedAs: MeterType = input.singleRate ? 'single' : input.meterType;
  const volumes: ZoneVolume[] = input.singleRate
    ? [{ zone: 'single', wh: input.volumes.reduce((s, v) => s + Math.abs(v.wh), 0) }]
    : input.volumes.map((v) => ({ zone: v.zone, wh: Math.abs(v.wh) }));
  const zones = volumes.map((v) => v.zone);
  const segments = tariffSegments(input, pricedAs, zones);
  const dayWeights = segments.map((s) => s.days);
  const byDays = volumes.map((v) => allocateByWeights(v.wh, dayWeights));
  const boundaryCache = new Map<number, number[]>();
  const boundaryWh = (kwh: number, s: number): number => {
    let parts = boundaryCache.get(kwh);
    if (!parts) {
      parts = allocateByWeights(kwh * 1000, dayWeights);
      boundaryCache.set(kwh, parts);
    }
    return parts[s] ?? 0;
  };

  const lines: ChargeLine[] = [];
  const lineOf = new Map<TariffRate, ChargeLine>();
  for (const [s, segment] of segments.entries()) {
    // The range boundaries of all zones together (zones normally share them; if not, each zone still
    // prices every stretch at its own row that contains it).
    const kwhEnds = [
      ...new Set(segment.schedules.flat().flatMap((t) => (t.rangeToKwh === null ? [] : [t.rangeToKwh]))),
    ];
    kwhEnds.sort((a, b) => a - b);
    const left = byDays.map((parts) => parts[s] ?? 0);
    let leftTotal = left.reduce((a, b) => a + b, 0);
    let start = 0;
    for (const [k, kwhFrom] of [0, ...kwhEnds].entries()) {
      const kwhTo = kwhEnds[k];
      const end = kwhTo === undefined ? Number.POSITIVE_INFINITY : Math.max(start, boundaryWh(kwhTo, s));
      const inRange = Math.min(leftTotal, end - start);
      start = end;
      const parts = leftTotal > 0 ? allocateByWeights(inRange, left) : left.map(() => 0);
      for (const [z, zone] of zones.entries()) {
        const volumeWh = parts[z] ?? 0;
        left[z] = (left[z] ?? 0) - volumeWh;
        if (volumeWh === 0 && k > 0) continue;
        const rate = segment.schedules[z]?.find(
          (t) => t.rangeFromKwh <= kwhFrom && (t.rangeToKwh ?? Infinity) > kwhFrom,
        );
        if (rate) addToLine(lines, lineOf, rate, zone, volumeWh, segment);
      }
      leftTotal -= inRange;
    }
  }
  // Bill order: by the days, then the meter's zone order, then range by range.
  lines.sort(
    (a, b) =>
      a.from.localeCompare(b.from) ||
      zones.indexOf(a.zone) - zones.indexOf(b.zone) ||
      a.tariff.range.fromKwh - b.tariff.range.fromKwh,
  );
  for (const line of lines) {
    if (negative && line.volumeWh !== 0) line.volumeWh = -line.volumeWh;
    line.amountKopecks = chargeKopecks(line.volumeWh, line.priceKopecksPerKwh);
  }
  return {
    period: input.period,
    pricedAs,
    volumeWh: lines.reduce((s, l) => s + l.volumeWh, 0),
    amountKopecks: sumKopecks(lines.map((l) => l.amountKopecks)),
    lines,
  };
}

/** One line per tariff row: a row still in force in the next part of the period extends its line. */
function addToLine(
  lines: ChargeLine[],
  lineOf: Map<TariffRate, ChargeLine>,
  rate: TariffRate,
  zone: TariffZone,
  volumeWh: number,
  segment: Segment,
): void {
  const existing = lineOf.get(rate);
  if (existing) {
    existing.volumeWh += volumeWh;
    existing.to = formatLocalDate(segment.to);
    existing.days += segment.days;
    return;
  }
  const line: ChargeLine = {
    zone,
    volumeWh,
    priceKopecksPerKwh: rate.priceKopecks,
    amountKopecks: 0,
    tariff: {
      ...(rate.id !== undefined ? { id: rate.id } : {}),
      meterType: rate.meterType,
      effectiveFrom: rate.effectiveFrom,
      range: { fromKwh: rate.rangeFromKwh, toKwh: rate.rangeToKwh },
    },
    from: formatLocalDate(segment.from),
    to: formatLocalDate(segment.to),
    days: segment.days,
  };
  lines.push(line);
  lineOf.set(rate, line);
}
