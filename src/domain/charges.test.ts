import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type ChargeInput,
  computeCharge,
  scheduleInForce,
  type TariffRate,
  TariffTableError,
} from './charges.ts';
import { chargeKopecks } from './money.ts';
import type { MeterType, TariffCategory, TariffZone } from './tariff-structure.ts';

function rate(
  category: TariffCategory,
  meterType: MeterType,
  zone: TariffZone,
  priceKopecks: number,
  effectiveFrom: string,
  range: [number, number | null] = [0, null],
): TariffRate {
  return {
    category,
    meterType,
    zone,
    priceKopecks,
    effectiveFrom,
    rangeFromKwh: range[0],
    rangeToKwh: range[1],
  };
}

/** Moscow, gas stove, H2 2025 (E6), and an illustrative H1 2025 schedule before it. */
const MOSCOW: TariffRate[] = [
  rate('gas_stove', 'single', 'single', 700, '2025-01-01'),
  rate('gas_stove', 'single', 'single', 787, '2025-07-01'),
  rate('gas_stove', 'two_zone', 'day', 945, '2025-07-01'),
  rate('gas_stove', 'two_zone', 'night', 408, '2025-07-01'),
  rate('gas_stove', 'three_zone', 'peak', 1124, '2025-07-01'),
  rate('gas_stove', 'three_zone', 'night', 408, '2025-07-01'),
  rate('gas_stove', 'three_zone', 'half_peak', 787, '2025-07-01'),
  rate('electric_stove', 'single', 'single', 551, '2025-07-01'),
];

function charge(input: Partial<ChargeInput> & Pick<ChargeInput, 'meterType' | 'volumes'>) {
  return computeCharge({ period: '2025-08', category: 'gas_stove', tariffs: MOSCOW, ...input });
}

const summary = (c: ReturnType<typeof computeCharge>) =>
  c.lines.map((l) => [l.zone, l.volumeWh, l.priceKopecksPerKwh, l.amountKopecks]);

describe('§6.5 E6 and E1: zones priced at their own tariffs, each line rounded', () => {
  it('three-zone: peak 674.40 + half-peak 708.30 + night 408.00 = 1,790.70', () => {
    const c = charge({
      meterType: 'three_zone',
      volumes: [
        { zone: 'peak', wh: 60_000 },
        { zone: 'half_peak', wh: 90_000 },
        { zone: 'night', wh: 100_000 },
      ],
    });
    expect(summary(c)).toEqual([
      ['peak', 60_000, 1124, 67_440],
      ['half_peak', 90_000, 787, 70_830],
      ['night', 100_000, 408, 40_800],
    ]);
    expect(c.amountKopecks).toBe(179_070);
    expect(c.volumeWh).toBe(250_000);
    expect(c.pricedAs).toBe('three_zone');
    expect(c.lines[0]).toMatchObject({
      tariff: { meterType: 'three_zone', effectiveFrom: '2025-07-01', range: { fromKwh: 0, toKwh: null } },
      from: '2025-08-01',
      to: '2025-08-31',
      days: 31,
    });
  });

  it('two-zone, same 250 kWh: day 150 × 9.45 + night 100 × 4.08 = 1,825.50', () => {
    const c = charge({
      meterType: 'two_zone',
      volumes: [
        { zone: 'day', wh: 150_000 },
        { zone: 'night', wh: 100_000 },
      ],
    });
    expect(summary(c)).toEqual([
      ['day', 150_000, 945, 141_750],
      ['night', 100_000, 408, 40_800],
    ]);
    expect(c.amountKopecks).toBe(182_550);
  });

  it('single-rate: 250 × 7.87 = 1,967.50 (other categories ignored)', () => {
    const c = charge({ meterType: 'single', volumes: [{ zone: 'single', wh: 250_000 }] });
    expect(summary(c)).toEqual([['single', 250_000, 787, 196_750]]);
  });

  it('E1: 200 kWh × 8.00 = 1,600.00; E1 credit −100 kWh = −800.00', () => {
    const tariffs = [rate('equated', 'single', 'single', 800, '2024-01-01')];
    const base = { period: '2025-01', category: 'equated', meterType: 'single', tariffs } as const;
    expect(computeCharge({ ...base, volumes: [{ zone: 'single', wh: 200_000 }] }).amountKopecks).toBe(
      160_000,
    );
    const credit = computeCharge({ ...base, volumes: [{ zone: 'single', wh: -100_000 }] });
    expect(summary(credit)).toEqual([['single', -100_000, 800, -80_000]]);
  });

  it('§6.2 a norm volume on a zone meter is priced at the single-rate tariff', () => {
    const c = charge({
      meterType: 'three_zone',
      singleRate: true,
      volumes: [
        { zone: 'peak', wh: 60_000 },
        { zone: 'night', wh: 100_000 },
        { zone: 'half_peak', wh: 90_000 },
      ],
    });
    expect(c.pricedAs).toBe('single');
    expect(summary(c)).toEqual([['single', 250_000, 787, 196_750]]);
  });

  it('rounds each line half up: 1.5 kWh × 7.87 = 11.805 → 11.81; 1.499 kWh → 11.80 (11.797)', () => {
    expect(charge({ meterType: 'single', volumes: [{ zone: 'single', wh: 1_500 }] }).amountKopecks).toBe(
      1_181,
    );
    expect(charge({ meterType: 'single', volumes: [{ zone: 'single', wh: 1_499 }] }).amountKopecks).toBe(
      1_180,
    );
  });

  it('rounds per line, not the total: three half kopecks make 3 kopecks, not 2', () => {
    const tariffs = [
      rate('rural', 'three_zone', 'peak', 1, '2025-01-01'),
      rate('rural', 'three_zone', 'night', 1, '2025-01-01'),
      rate('rural', 'three_zone', 'half_peak', 1, '2025-01-01'),
    ];
    const volumes = (['peak', 'night', 'half_peak'] as const).map((zone) => ({ zone, wh: 500 }));
    const c = computeCharge({
      period: '2025-03',
      category: 'rural',
      meterType: 'three_zone',
      volumes,
      tariffs,
    });
    expect(c.lines.map((l) => l.amountKopecks)).toEqual([1, 1, 1]);
    expect(c.amountKopecks).toBe(3);
  });
});

/** Since 2025 (§6.3): electric stove, two-zone, ranges [0, 3900), [3900, 6000), [6000, ∞) kWh. */
const RANGED: TariffRate[] = [
  rate('electric_stove', 'two_zone', 'day', 600, '2025-01-01', [0, 3900]),
  rate('electric_stove', 'two_zone', 'day', 900, '2025-01-01', [3900, 6000]),
  rate('electric_stove', 'two_zone', 'day', 1200, '2025-01-01', [6000, null]),
  rate('electric_stove', 'two_zone', 'night', 300, '2025-01-01', [0, 3900]),
  rate('electric_stove', 'two_zone', 'night', 450, '2025-01-01', [3900, 6000]),
  rate('electric_stove', 'two_zone', 'night', 600, '2025-01-01', [6000, null]),
];

function ranged(dayWh: number, nightWh: number, period = '2025-03', tariffs = RANGED) {
  return computeCharge({
    period,
    category: 'electric_stove',
    meterType: 'two_zone',
    volumes: [
      { zone: 'day', wh: dayWh },
      { zone: 'night', wh: nightWh },
    ],
    tariffs,
  });
}

describe('§6.3 volume ranges: the month across ranges in order, zones pro rata within a range', () => {
  it('below the first cap everything is in the first range', () => {
    expect(summary(ranged(2_000_000, 1_000_000))).toEqual([
      ['day', 2_000_000, 600, 1_200_000],
      ['night', 1_000_000, 300, 300_000],
    ]);
  });

  it('4,500 kWh (day 3,000, night 1,500) crosses 3,900: 3,900 split 2:1, the other 600 likewise', () => {
    const c = ranged(3_000_000, 1_500_000);
    expect(summary(c)).toEqual([
      ['day', 2_600_000, 600, 1_560_000],
      ['day', 400_000, 900, 360_000],
      ['night', 1_300_000, 300, 390_000],
      ['night', 200_000, 450, 90_000],
    ]);
    expect(c.lines.map((l) => l.tariff.range)).toEqual([
      { fromKwh: 0, toKwh: 3900 },
      { fromKwh: 3900, toKwh: 6000 },
      { fromKwh: 0, toKwh: 3900 },
      { fromKwh: 3900, toKwh: 6000 },
    ]);
    expect(c.amountKopecks).toBe(2_400_000);
  });

  it('7,000 kWh uses all three ranges; odd pro rata shares still add up per zone and per range', () => {
    const c = ranged(4_666_667, 2_333_333);
    const byZone = (z: string) => c.lines.filter((l) => l.zone === z).map((l) => l.volumeWh);
    expect(byZone('day')).toEqual([2_600_000, 1_400_000, 666_667]);
    expect(byZone('night')).toEqual([1_300_000, 700_000, 333_333]);
  });

  it('each range holds exactly its part of the month, shared by the zones pro rata to within 1 Wh', () => {
    const wh = fc.integer({ min: 0, max: 10_000_000 });
    fc.assert(
      fc.property(wh, wh, (day, night) => {
        const c = ranged(day, night);
        const total = day + night;
        const inRange = (from: number) => c.lines.filter((l) => l.tariff.range.fromKwh === from);
        const vol = (ls: typeof c.lines) => ls.reduce((s, l) => s + l.volumeWh, 0);
        expect(vol(inRange(0))).toBe(Math.min(total, 3_900_000));
        expect(vol(inRange(3900))).toBe(Math.min(Math.max(total - 3_900_000, 0), 2_100_000));
        expect(vol(inRange(6000))).toBe(Math.max(total - 6_000_000, 0));
        const first = inRange(0).find((l) => l.zone === 'day')?.volumeWh ?? 0;
        if (total > 0) expect(Math.abs(first * total - Math.min(total, 3_900_000) * day)).toBeLessThan(total);
      }),
    );
  });

  it('refuses a schedule whose ranges leave volume unpriced', () => {
    const gap = RANGED.filter((t) => t.rangeFromKwh !== 6000);
    expect(() => ranged(1, 1, '2025-03', gap)).toThrow(TariffTableError);
    try {
      ranged(1, 1, '2025-03', gap);
    } catch (e) {
      expect((e as TariffTableError).problem).toBe('RANGES_INCOMPLETE');
    }
  });
});

describe('§6.3 a tariff change inside the period applies by its days', () => {
  const JUNE: TariffRate[] = [
    rate('gas_stove', 'single', 'single', 700, '2025-01-01'),
    rate('gas_stove', 'single', 'single', 787, '2025-06-16'),
    rate('gas_stove', 'two_zone', 'day', 900, '2025-01-01'),
    rate('gas_stove', 'two_zone', 'night', 408, '2025-01-01'),
    rate('gas_stove', 'two_zone', 'day', 945, '2025-06-16'),
  ];
  const june = (input: Partial<ChargeInput> & Pick<ChargeInput, 'meterType' | 'volumes'>) =>
    computeCharge({ period: '2025-06', category: 'gas_stove', tariffs: JUNE, ...input });

  it('a change on the 16th of a 30-day month: 15 days at the old price, 15 at the new', () => {
    const c = june({ meterType: 'single', volumes: [{ zone: 'single', wh: 250_000 }] });
    expect(
      c.lines.map((l) => [l.from, l.to, l.days, l.volumeWh, l.priceKopecksPerKwh, l.amountKopecks]),
    ).toEqual([
      ['2025-06-01', '2025-06-15', 15, 125_000, 700, 87_500],
      ['2025-06-16', '2025-06-30', 15, 125_000, 787, 98_375],
    ]);
    expect(c.amountKopecks).toBe(185_875);
  });

  it('splits odd volumes exactly by days (the earlier part takes a tied watt-hour)', () => {
    const c = june({ meterType: 'single', volumes: [{ zone: 'single', wh: 1_001 }] });
    expect(c.lines.map((l) => l.volumeWh)).toEqual([501, 500]);
  });

  it('a zone whose price did not change keeps one line for the whole month', () => {
    const c = june({
      meterType: 'two_zone',
      volumes: [
        { zone: 'day', wh: 150_000 },
        { zone: 'night', wh: 100_000 },
      ],
    });
    expect(c.lines.map((l) => [l.zone, l.from, l.to, l.volumeWh, l.priceKopecksPerKwh])).toEqual([
      ['day', '2025-06-01', '2025-06-15', 75_000, 900],
      ['night', '2025-06-01', '2025-06-30', 100_000, 408],
      ['day', '2025-06-16', '2025-06-30', 75_000, 945],
    ]);
  });

  it('a region may price the whole period at the first day’s or the last day’s tariff', () => {
    const volumes = [{ zone: 'single' as const, wh: 250_000 }];
    expect(summary(june({ meterType: 'single', volumes, tariffChange: 'first_day' }))).toEqual([
      ['single', 250_000, 700, 175_000],
    ]);
    expect(summary(june({ meterType: 'single', volumes, tariffChange: 'last_day' }))).toEqual([
      ['single', 250_000, 787, 196_750],
    ]);
  });

  it('with ranges, each cap is split by days too: 5,000 kWh over 15 + 15 days meets 1,950 kWh twice', () => {
    const tariffs = [
      ...RANGED,
      rate('electric_stove', 'two_zone', 'day', 700, '2025-06-16', [0, 3900]),
      rate('electric_stove', 'two_zone', 'day', 1000, '2025-06-16', [3900, null]),
    ];
    const c = ranged(4_000_000, 1_000_000, '2025-06', tariffs);
    const day = c.lines.filter((l) => l.zone === 'day');
    expect(day.map((l) => [l.from, l.volumeWh, l.priceKopecksPerKwh])).toEqual([
      ['2025-06-01', 1_560_000, 600],
      ['2025-06-01', 440_000, 900],
      ['2025-06-16', 1_560_000, 700],
      ['2025-06-16', 440_000, 1000],
    ]);
    expect(c.lines.filter((l) => l.zone === 'night').map((l) => l.volumeWh)).toEqual([780_000, 220_000]);
  });
});

describe('tariff selection and refusals', () => {
  it('picks the latest schedule not after the date', () => {
    expect(scheduleInForce(MOSCOW, 'gas_stove', 'single', 'single', '2025-06-30')[0]?.priceKopecks).toBe(700);
    expect(scheduleInForce(MOSCOW, 'gas_stove', 'single', 'single', '2025-07-01')[0]?.priceKopecks).toBe(787);
  });

  it('no tariff in force is a configuration error', () => {
    expect(() =>
      charge({ period: '2024-12', meterType: 'single', volumes: [{ zone: 'single', wh: 1 }] }),
    ).toThrow(/no tariff in force for gas_stove\/single\/single/);
  });

  it('the volumes must name exactly the meter’s zones, all charges or all credits', () => {
    expect(() => charge({ meterType: 'two_zone', volumes: [{ zone: 'day', wh: 1 }] })).toThrow(RangeError);
    expect(() => charge({ meterType: 'single', volumes: [{ zone: 'day', wh: 1 }] })).toThrow(RangeError);
    const mixed = [
      { zone: 'day' as const, wh: 1 },
      { zone: 'night' as const, wh: -1 },
    ];
    expect(() => charge({ meterType: 'two_zone', volumes: mixed })).toThrow(RangeError);
  });
});

describe('properties: nothing is lost or invented', () => {
  it('each zone’s lines add up to its volume, each line is its volume × price rounded, the total their sum', () => {
    const tariffs = [
      ...RANGED,
      rate('electric_stove', 'two_zone', 'day', 700, '2025-05-11', [0, 3900]),
      rate('electric_stove', 'two_zone', 'day', 1000, '2025-05-11', [3900, null]),
      rate('electric_stove', 'two_zone', 'night', 350, '2025-05-20', [0, 6000]),
      rate('electric_stove', 'two_zone', 'night', 500, '2025-05-20', [6000, null]),
    ];
    const wh = fc.integer({ min: 0, max: 20_000_000 });
    fc.assert(
      fc.property(wh, wh, (day, night) => {
        const c = ranged(day, night, '2025-05', tariffs);
        const sum = (z: string) => c.lines.filter((l) => l.zone === z).reduce((s, l) => s + l.volumeWh, 0);
        expect([sum('day'), sum('night')]).toEqual([day, night]);
        for (const l of c.lines) {
          expect(l.volumeWh).toBeGreaterThanOrEqual(0);
          expect(l.amountKopecks).toBe(chargeKopecks(l.volumeWh, l.priceKopecksPerKwh));
        }
        expect(c.amountKopecks).toBe(c.lines.reduce((s, l) => s + l.amountKopecks, 0));
        expect(c.lines.reduce((s, l) => s + l.days, 0)).toBeGreaterThanOrEqual(31);
      }),
    );
  });
});
