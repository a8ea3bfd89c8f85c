import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addPeriods, type Period } from './period.ts';
import { controlReadingDifference, registerConsumption, trueUp } from './recalculation.ts';
import type { BilledVolume, ReadingPoint, VolumeSource } from './volume-history.ts';

const kWh = (n: number) => Math.round(n * 1000);
const FIVE_DIGITS = kWh(100_000);
const billed = (period: Period, source: VolumeSource, kwh: number[], singleKwh = 0): BilledVolume => ({
  period,
  source,
  zonesWh: kwh.map(kWh),
  singleRateWh: kWh(singleKwh),
});
const point = (period: Period, kind: ReadingPoint['kind'], ...kwh: number[]): ReadingPoint => ({
  period,
  valuesWh: kwh.map(kWh),
  kind,
});
/** E1: Dec actual (last reading 15,200), Jan–Mar at the average 200. */
const E1_BILLED = [
  billed('2025-12', 'actual', [220]),
  billed('2026-01', 'average', [200]),
  billed('2026-02', 'average', [200]),
  billed('2026-03', 'average', [200]),
];
const E1_LAST = point('2025-12', 'reading', 15_200);

describe('§6.4 true-up: V = R_new − R_last_actual − Σ billed since', () => {
  it('E1: 16,130 − 15,200 − 600 = 330 kWh in April, correcting Jan–Mar', () => {
    const t = trueUp({
      current: point('2026-04', 'reading', 16_130),
      lastActual: E1_LAST,
      billed: E1_BILLED,
      modulusWh: FIVE_DIGITS,
    });
    expect(t).toEqual({
      consumptionWh: [kWh(930)],
      rollover: [false],
      billedWh: [kWh(600)],
      billedSingleRateWh: 0,
      volumeWh: [kWh(330)],
      singleRateWh: 0,
      totalWh: kWh(330),
      corrects: ['2026-01', '2026-02', '2026-03'],
    });
  });
  it('E1: had it been 15,700, −100 kWh — a credit', () => {
    const t = trueUp({
      current: point('2026-04', 'reading', 15_700),
      lastActual: E1_LAST,
      billed: E1_BILLED,
      modulusWh: FIVE_DIGITS,
    });
    expect(t.volumeWh).toEqual([kWh(-100)]);
    expect(t.totalWh).toBe(kWh(-100));
  });
  it('no estimates in between: V is the consumption itself and corrects nothing', () => {
    const t = trueUp({
      current: point('2026-01', 'reading', 15_410),
      lastActual: E1_LAST,
      billed: E1_BILLED.slice(0, 1),
      modulusWh: FIVE_DIGITS,
    });
    expect(t).toMatchObject({ volumeWh: [kWh(210)], corrects: [] });
  });
  it("§4.8 a reading of a period already billed by estimate also subtracts that period's bill", () => {
    const t = trueUp({
      current: point('2026-03', 'reading', 15_900),
      lastActual: E1_LAST,
      billed: E1_BILLED,
      modulusWh: FIVE_DIGITS,
    });
    expect(t).toMatchObject({ volumeWh: [kWh(100)], corrects: ['2026-01', '2026-02', '2026-03'] });
  });
  it('E9 rollover inside a true-up: 99,870 → 00,130 over two months billed 200 → 60 kWh', () => {
    const t = trueUp({
      current: point('2026-02', 'reading', 130),
      lastActual: point('2025-12', 'reading', 99_870),
      billed: [billed('2026-01', 'average', [200])],
      modulusWh: FIVE_DIGITS,
    });
    expect(t).toMatchObject({ consumptionWh: [kWh(260)], rollover: [true], volumeWh: [kWh(60)] });
  });
  it('per zone, with norm estimates on a zone meter reversed on their single-rate line (§6.2)', () => {
    const t = trueUp({
      current: point('2026-03', 'reading', 1_300, 700),
      lastActual: point('2025-12', 'reading', 1_000, 500),
      billed: [billed('2026-01', 'average', [90, 60]), billed('2026-02', 'norm', [], 148)],
      modulusWh: FIVE_DIGITS,
    });
    expect(t).toMatchObject({
      consumptionWh: [kWh(300), kWh(200)],
      billedWh: [kWh(90), kWh(60)],
      billedSingleRateWh: kWh(148),
      volumeWh: [kWh(210), kWh(140)],
      singleRateWh: kWh(-148),
      totalWh: kWh(202),
      corrects: ['2026-01', '2026-02'],
    });
  });
  it('refuses a last actual reading after the new one, and mismatched zones', () => {
    const args = { lastActual: point('2026-05', 'reading', 1), billed: [], modulusWh: FIVE_DIGITS };
    expect(() => trueUp({ ...args, current: point('2026-04', 'reading', 2) })).toThrow(RangeError);
    expect(() => registerConsumption([1, 2], [3], FIVE_DIGITS)).toThrow(RangeError);
  });
});

describe('354 p.61: a control reading against what was billed', () => {
  it('the subscriber reported 15,400 for March (billed); the inspector reads 15,350 in March → −50 kWh in March', () => {
    const d = controlReadingDifference({
      current: point('2026-03', 'control', 15_350),
      lastActual: point('2026-02', 'reading', 15_200),
      billed: [billed('2026-03', 'actual', [200])],
      modulusWh: FIVE_DIGITS,
    });
    expect(d).toMatchObject({ volumeWh: [kWh(-50)], countsInPeriod: '2026-03', corrects: ['2026-03'] });
  });
  it('after months at the average: the under-billed difference counts in the check month', () => {
    const d = controlReadingDifference({
      current: point('2026-04', 'control', 16_000),
      lastActual: E1_LAST,
      billed: E1_BILLED,
      modulusWh: FIVE_DIGITS,
    });
    expect(d).toMatchObject({ volumeWh: [kWh(200)], countsInPeriod: '2026-04' });
  });
  it('only a control reading is one', () => {
    expect(() =>
      controlReadingDifference({
        current: point('2026-04', 'reading', 1),
        lastActual: E1_LAST,
        billed: [],
        modulusWh: FIVE_DIGITS,
      }),
    ).toThrow(RangeError);
  });
});

describe('property: a true-up makes the bills since the last actual reading equal the register difference', () => {
  it('for any estimates (average per zone or norm at the single rate) and any register start', () => {
    const estimate = fc.record({
      norm: fc.boolean(),
      zonesKwh: fc.tuple(fc.nat(2_000), fc.nat(2_000)),
      singleKwh: fc.nat(2_000),
    });
    fc.assert(
      fc.property(
        fc.array(estimate, { maxLength: 12 }),
        fc.tuple(fc.nat(99_999), fc.nat(99_999)),
        fc.tuple(fc.nat(10_000), fc.nat(10_000)),
        (estimates, start, used) => {
          const history = estimates.map((e, i) =>
            e.norm
              ? billed(addPeriods('2026-01', i), 'norm', [], e.singleKwh)
              : billed(addPeriods('2026-01', i), 'average', e.zonesKwh),
          );
          const current = point(
            addPeriods('2026-01', estimates.length),
            'reading',
            (start[0] + used[0]) % 100_000,
            (start[1] + used[1]) % 100_000,
          );
          const t = trueUp({
            current,
            lastActual: point('2025-12', 'reading', ...start),
            billed: history,
            modulusWh: FIVE_DIGITS,
          });
          const total =
            history.reduce((s, h) => s + h.singleRateWh + h.zonesWh.reduce((a, b) => a + b, 0), 0) +
            t.totalWh;
          expect(total).toBe(kWh(used[0] + used[1]));
          // Per zone, the zone lines alone add up to each register's own difference.
          for (const z of [0, 1]) {
            const zoneBilled = history.reduce((s, h) => s + (h.zonesWh[z] ?? 0), 0);
            expect(zoneBilled + (t.volumeWh[z] ?? 0)).toBe(kWh(used[z] ?? 0));
          }
          expect(t.corrects).toEqual(history.map((h) => h.period));
        },
      ),
    );
  });
});
