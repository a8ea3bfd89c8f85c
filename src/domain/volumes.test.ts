import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addPeriods, type Period } from './period.ts';
import { type BilledVolume, consecutiveEstimatedPeriods, type ReadingPoint } from './volume-history.ts';
import { formatCoefficient, normVolume, parseCoefficient } from './volume-norm.ts';
import { determineVolume, type VolumeDecision, type VolumeInput, type VolumeMeter } from './volumes.ts';

const kWh = (n: number) => Math.round(n * 1000);
const PARAMS = {
  averagePeriods: 6,
  averageMinPeriods: 3,
  averageMaxConsecutive: 6,
  failedMeterAveragePeriods: 3,
  raisingCoefficient: '1.5',
  normPricedSingleRate: true,
};
const METER: VolumeMeter = {
  zones: 1,
  digits: 5,
  decimals: 0,
  status: 'active',
  commissionedOn: '2020-01-10',
  nextVerificationOn: '2036-01-01',
  failedOn: null,
};
const actual = (period: Period, ...kwh: number[]): BilledVolume => ({
  period,
  source: 'actual',
  zonesWh: kwh.map(kWh),
  singleRateWh: 0,
});
const point = (period: Period, kind: ReadingPoint['kind'], ...kwh: number[]): ReadingPoint => ({
  period,
  valuesWh: kwh.map(kWh),
  kind,
});
/** E1: actual Jul–Dec 180, 170, 190, 210, 230, 220 → average 200; last reading 15,200 on 26 Dec. */
const E1_HISTORY = [180, 170, 190, 210, 230, 220].map((v, i) => actual(addPeriods('2025-07', i), v));
const E1_LAST = point('2025-12', 'reading', 15_200);

function input(over: Partial<VolumeInput>): VolumeInput {
  return {
    period: '2026-01',
    meter: METER,
    history: E1_HISTORY,
    consecutiveEstimated: 0,
    residents: 2,
    normWhPerPerson: kWh(74),
    params: PARAMS,
    previousActual: E1_LAST,
    ...over,
  };
}

/** Bills `periods` in order as the billing run would, feeding each decision back into the history. */
function billRun(
  base: Partial<VolumeInput>,
  periods: { period: Period; readingWh?: number[] }[],
): VolumeDecision[] {
  let history = [...(base.history ?? E1_HISTORY)];
  let previousActual = base.previousActual ?? E1_LAST;
  return periods.map(({ period, readingWh }) => {
    const d = determineVolume(
      input({
        ...base,
        period,
        history,
        previousActual,
        readingWh: readingWh ?? null,
        consecutiveEstimated: consecutiveEstimatedPeriods(history, period),
      }),
    );
    history = [...history, d.historyEntry];
    if (readingWh) previousActual = { period, valuesWh: readingWh, kind: 'reading' };
    return d;
  });
}

describe('§6.5 E1: three months at the average, then the reading trues them up (§6.4)', () => {
  const run = (aprilKwh: number) =>
    billRun({}, [
      { period: '2026-01' },
      { period: '2026-02' },
      { period: '2026-03' },
      { period: '2026-04', readingWh: [kWh(aprilKwh)] },
    ]);

  it('Jan–Mar: 200 kWh each, the average of Jul–Dec', () => {
    const [jan, feb, mar] = run(16_130);
    for (const d of [jan, feb, mar]) {
      expect(d).toMatchObject({ source: 'average', rule: 'AVERAGE', zonesWh: [kWh(200)], totalWh: kWh(200) });
    }
    expect(jan?.explanation.average).toEqual({
      zonesWh: [kWh(200)],
      periods: ['2025-07', '2025-08', '2025-09', '2025-10', '2025-11', '2025-12'],
      consecutive: 1,
      limit: 6,
    });
    expect(mar?.explanation.average?.consecutive).toBe(3);
  });
  it('reading 16,130 on 20 Apr: consumption 930, billed 600 → April 330 kWh, naming Jan–Mar', () => {
    const april = run(16_130)[3];
    expect(april).toMatchObject({
      source: 'actual',
      rule: 'READING',
      zonesWh: [kWh(330)],
      totalWh: kWh(330),
    });
    expect(april?.explanation.readings).toMatchObject({
      previous: E1_LAST,
      current: { period: '2026-04', valuesWh: [kWh(16_130)] },
      consumptionWh: [kWh(930)],
      rollover: [false],
    });
    expect(april?.explanation.recalculation).toEqual({
      corrects: ['2026-01', '2026-02', '2026-03'],
      billedWh: [kWh(600)],
      billedSingleRateWh: 0,
    });
  });
  it('had it been 15,700: −100 kWh, a credit', () => {
    expect(run(15_700)[3]?.zonesWh).toEqual([kWh(-100)]);
  });
  it('afterwards Jan–Apr are actual months of 232.5 each: May average (220+230+4×232.5)/6 = 230', () => {
    const base = run(16_130);
    const history = [...E1_HISTORY, ...base.map((d) => d.historyEntry)];
    const may = determineVolume(
      input({ period: '2026-05', history, previousActual: point('2026-04', 'reading', 16_130) }),
    );
    expect(may.zonesWh).toEqual([kWh(230)]);
    expect(may.explanation.average?.periods).toEqual([
      '2025-11',
      '2025-12',
      '2026-01',
      '2026-02',
      '2026-03',
      '2026-04',
    ]);
  });
});

describe('§6.5 E2: seven months without readings', () => {
  it('months 1–6 at the average, month 7 at the norm 2 × 74 kWh', () => {
    const run = billRun(
      {},
      [0, 1, 2, 3, 4, 5, 6].map((i) => ({ period: addPeriods('2026-01', i) })),
    );
    expect(run.slice(0, 6).map((d) => [d.rule, d.totalWh])).toEqual(Array(6).fill(['AVERAGE', kWh(200)]));
    expect(run[6]).toMatchObject({ source: 'norm', rule: 'NORM_AFTER_AVERAGE', zonesWh: [kWh(148)] });
    expect(run[6]?.explanation.norm).toEqual({
      residents: 2,
      normWhPerPerson: kWh(74),
      coefficient: '1',
      wh: kWh(148),
    });
  });
  it('the older wording: at most 3 consecutive periods', () => {
    const params = { ...PARAMS, averageMaxConsecutive: 3 };
    const run = billRun(
      { params },
      [0, 1, 2, 3].map((i) => ({ period: addPeriods('2026-01', i) })),
    );
    expect(run.map((d) => d.source)).toEqual(['average', 'average', 'average', 'norm']);
  });
});

describe('§6.5 E3: no meter', () => {
  const noMeter = { meter: null, residents: 3, normWhPerPerson: kWh(60), history: [], previousActual: null };
  it('installation possible: 3 × 60 × 1.5 = 270 kWh at the single rate', () => {
    const d = determineVolume(input(noMeter));
    expect(d).toMatchObject({
      source: 'norm',
      rule: 'NORM_NO_METER',
      singleRate: true,
      zonesWh: [],
      singleRateWh: kWh(270),
      totalWh: kWh(270),
    });
    expect(d.explanation.norm?.coefficient).toBe('1.5');
  });
  it('installation impossible (act): 180 kWh', () => {
    const d = determineVolume(input({ ...noMeter, meterInstallationPossible: false }));
    expect(d).toMatchObject({ rule: 'NORM_NO_METER_IMPOSSIBLE', totalWh: kWh(180) });
  });
});

describe('§6.5 E9: rollover of a 5-digit register', () => {
  it('99,870 → 00,130 = 260 kWh', () => {
    const d = determineVolume(
      input({ readingWh: [kWh(130)], previousActual: point('2025-12', 'reading', 99_870) }),
    );
    expect(d).toMatchObject({ rule: 'READING', zonesWh: [kWh(260)] });
    expect(d.explanation.readings?.rollover).toEqual([true]);
  });
});

describe('§6.1 item 1: the smart register and the reading', () => {
  it('the smart register at the period end wins over a manual reading', () => {
    const d = determineVolume(input({ smartRegisterWh: [kWh(15_410)], readingWh: [kWh(15_400)] }));
    expect(d).toMatchObject({ source: 'smart', rule: 'SMART_REGISTER', zonesWh: [kWh(210)] });
  });
  it('a history entry records what the registers measured', () => {
    const d = determineVolume(input({ readingWh: [kWh(15_410)] }));
    expect(d.historyEntry).toEqual({
      ...actual('2026-01', 210),
      metered: { fromPeriod: '2026-01', zonesWh: [kWh(210)] },
    });
  });
});

describe('§6.1 item 2: a control reading without a subscriber reading', () => {
  it('bills the difference since the last actual reading, less the estimates since (354 p.61)', () => {
    const history = [...E1_HISTORY, { ...actual('2026-01', 200), source: 'average' as const }];
    const d = determineVolume(
      input({ period: '2026-02', history, controlWh: [kWh(15_650)], consecutiveEstimated: 1 }),
    );
    expect(d).toMatchObject({ source: 'control', rule: 'CONTROL_READING', zonesWh: [kWh(250)] });
    expect(d.explanation.recalculation?.corrects).toEqual(['2026-01']);
  });
  it('a subscriber reading of the same period comes first', () => {
    expect(determineVolume(input({ readingWh: [kWh(15_400)], controlWh: [kWh(15_420)] })).source).toBe(
      'actual',
    );
  });
});

describe('§6.1 item 3: the average', () => {
  it('fewer than 3 periods with actual volumes → norm', () => {
    const d = determineVolume(input({ history: E1_HISTORY.slice(-2) }));
    expect(d).toMatchObject({ rule: 'NORM_NO_AVERAGE', zonesWh: [kWh(148)] });
  });
  it('exactly 3 are enough', () => {
    expect(determineVolume(input({ history: E1_HISTORY.slice(-3) })).zonesWh).toEqual([kWh(220)]);
  });
  it('takes the last 6 periods WITH actual volumes, skipping estimated ones', () => {
    const history = [
      actual('2025-01', 900),
      ...E1_HISTORY.slice(0, 3),
      { ...actual('2025-10', 500), source: 'average' as const },
      ...E1_HISTORY.slice(4),
    ];
    const d = determineVolume(input({ history }));
    expect(d.explanation.average?.periods).toEqual([
      '2025-01',
      '2025-07',
      '2025-08',
      '2025-09',
      '2025-11',
      '2025-12',
    ]);
    expect(d.zonesWh).toEqual([kWh((900 + 180 + 170 + 190 + 230 + 220) / 6)]);
  });
  it('per zone register separately, each rounded half up to the Wh', () => {
    const history = [
      actual('2025-10', 100, 40.001),
      actual('2025-11', 120, 50),
      actual('2025-12', 110.5, 60),
    ];
    const d = determineVolume(
      input({
        meter: { ...METER, zones: 2 },
        history,
        previousActual: point('2025-12', 'reading', 1_000, 500),
      }),
    );
    // T1: 330.5 / 3 = 110.1666… → 110,167 Wh; T2: 150.001 / 3 = 50.000333… → 50,000 Wh
    expect(d.zonesWh).toEqual([110_167, 50_000]);
  });
});

describe('§6.1 item 4: a failed meter or an expired verification', () => {
  const failed: VolumeMeter = { ...METER, status: 'failed', failedOn: '2026-02-10' };
  const months = [0, 1, 2, 3, 4].map((i) => ({ period: addPeriods('2026-02', i) }));
  it('average for the 3 periods from the failure, then norm × 1.5', () => {
    const run = billRun({ meter: failed }, months);
    expect(run.map((d) => [d.rule, d.totalWh])).toEqual([
      ['AVERAGE_INVALID_METER', kWh(200)],
      ['AVERAGE_INVALID_METER', kWh(200)],
      ['AVERAGE_INVALID_METER', kWh(200)],
      ['NORM_INVALID_METER', kWh(222)],
      ['NORM_INVALID_METER', kWh(222)],
    ]);
    expect(run[2]?.explanation.invalidMeter).toEqual({
      reason: 'failed',
      since: '2026-02',
      periodNumber: 3,
      limit: 3,
    });
    expect(run[3]?.explanation.norm?.coefficient).toBe('1.5');
  });
  it('verification expiring on 1 March makes March the first period', () => {
    const run = billRun({ meter: { ...METER, nextVerificationOn: '2026-03-01' } }, months);
    expect(run.map((d) => d.source)).toEqual(['average', 'average', 'average', 'average', 'norm']);
    expect(run[0]?.rule).toBe('AVERAGE');
    expect(run[1]?.explanation.invalidMeter?.reason).toBe('verification_expired');
  });
  it('a reading accepted before the failure still counts for its period', () => {
    expect(
      determineVolume(input({ period: '2026-02', meter: failed, readingWh: [kWh(15_380)] })).zonesWh,
    ).toEqual([kWh(180)]);
  });
  it('without an average: norm, × 1.5 only after the 3 periods', () => {
    const run = billRun({ meter: failed, history: [] }, months);
    expect(run.map((d) => d.totalWh)).toEqual([148, 148, 148, 222, 222].map(kWh));
  });
  it('a failed meter without a failure date is refused', () => {
    expect(() => determineVolume(input({ meter: { ...failed, failedOn: null } }))).toThrow(RangeError);
  });
  it('a meter not commissioned by the period end bills the norm without the coefficient', () => {
    const d = determineVolume(
      input({ meter: { ...METER, commissionedOn: '2026-02-01' }, readingWh: [kWh(15_300)] }),
    );
    expect(d).toMatchObject({ rule: 'NORM_NOT_COMMISSIONED', totalWh: kWh(148) });
  });
});

describe('§6.2: a norm volume on a zone meter', () => {
  const threeZone = { ...METER, zones: 3 };
  it('goes to a single-rate line', () => {
    const d = determineVolume(input({ meter: threeZone, history: [] }));
    expect(d).toMatchObject({ source: 'norm', singleRate: true, zonesWh: [], singleRateWh: kWh(148) });
  });
  it('with the parameter off, splits over the zones by their share of actual consumption', () => {
    const history = [actual('2025-12', 60, 100, 90)];
    const params = { ...PARAMS, normPricedSingleRate: false };
    const d = determineVolume(input({ meter: threeZone, history, params }));
    expect(d).toMatchObject({ singleRate: false, singleRateWh: 0, zonesWh: [35_520, 59_200, 53_280] });
    expect(d.explanation.norm?.splitByAverageOf).toEqual(['2025-12']);
  });
  it('a later reading reverses the norm on its single-rate line and bills the zones in full', () => {
    const norm: BilledVolume = { period: '2026-01', source: 'norm', zonesWh: [], singleRateWh: kWh(148) };
    const d = determineVolume(
      input({
        meter: threeZone,
        period: '2026-02',
        history: [norm],
        previousActual: point('2025-12', 'reading', 100, 200, 300),
        readingWh: [kWh(160), kWh(300), kWh(390)],
      }),
    );
    expect(d).toMatchObject({
      zonesWh: [kWh(60), kWh(100), kWh(90)],
      singleRateWh: kWh(-148),
      totalWh: kWh(102),
    });
  });
});

describe('§3: a meter replaced in the period', () => {
  const replacement = {
    oldMeter: { zones: 2, digits: 6, decimals: 1 },
    oldLastActual: point('2026-02', 'reading', 15_200, 7_100),
    finalWh: [kWh(15_330), kWh(7_150)],
    initialWh: [kWh(0.5), kWh(0.2)],
  };
  const fresh = { ...METER, zones: 2, commissionedOn: '2026-03-12' };
  it('(final − previous) + (current − initial) per zone', () => {
    const d = determineVolume(
      input({ period: '2026-03', meter: fresh, replacement, readingWh: [kWh(80.5), kWh(30.2)] }),
    );
    expect(d).toMatchObject({ source: 'actual', rule: 'METER_REPLACEMENT', zonesWh: [kWh(210), kWh(80)] });
    expect(d.explanation.replacement).toMatchObject({
      oldMeterWh: [kWh(130), kWh(50)],
      newMeterWh: [kWh(80), kWh(30)],
    });
    expect(d.historyEntry.metered).toEqual({ fromPeriod: '2026-03', zonesWh: [kWh(210), kWh(80)] });
  });
  it('without a reading of the new meter yet: the old meter part only; the new one counts from its act', () => {
    const d = determineVolume(input({ period: '2026-03', meter: fresh, replacement }));
    expect(d.zonesWh).toEqual([kWh(130), kWh(50)]);
    expect(d.historyEntry.metered).toBeNull();
  });
  it('a single-rate meter replaced by a two-zone one: the old part stays on its own registers', () => {
    const single = {
      oldMeter: { zones: 1, digits: 5, decimals: 0 },
      oldLastActual: E1_LAST,
      finalWh: [kWh(15_300)],
      initialWh: [0, 0],
    };
    const d = determineVolume(
      input({ period: '2026-01', meter: fresh, replacement: single, readingWh: [kWh(30), kWh(20)] }),
    );
    expect(d).toMatchObject({
      zonesWh: [kWh(30), kWh(20)],
      replacedMeterZonesWh: [kWh(100)],
      totalWh: kWh(150),
    });
  });
  it('estimates billed on the old meter are trued up by its final reading', () => {
    const history = [...E1_HISTORY, { ...actual('2026-01', 200), source: 'average' as const }];
    const single = {
      oldMeter: { zones: 1, digits: 5, decimals: 0 },
      oldLastActual: E1_LAST,
      finalWh: [kWh(15_300)],
      initialWh: [0],
    };
    const d = determineVolume(
      input({
        period: '2026-02',
        history,
        meter: { ...METER, commissionedOn: '2026-02-20' },
        replacement: single,
        readingWh: [kWh(40)],
      }),
    );
    expect(d.zonesWh).toEqual([kWh(100 - 200 + 40)]);
    expect(d.explanation.recalculation?.corrects).toEqual(['2026-01']);
  });
});

describe('§6.1 norm arithmetic', () => {
  it('one rounding, half up, on the exact product', () => {
    expect(normVolume(1, 64_333, parseCoefficient('1.5')).wh).toBe(96_500); // 96,499.5
    expect(normVolume(1, 10_005, parseCoefficient('1.1')).wh).toBe(11_006); // 11,005.5
    expect(formatCoefficient(parseCoefficient(1.5))).toBe('1.5');
    expect(() => parseCoefficient('-1.5')).toThrow(RangeError);
  });
  it('property: within half a Wh of residents × norm × coefficient', () => {
    fc.assert(
      fc.property(fc.nat(20), fc.nat(500_000), fc.nat(40), (r, n, tenths) => {
        const wh = normVolume(r, n, parseCoefficient((tenths / 10).toFixed(1))).wh;
        expect(Math.abs(wh * 10 - r * n * tenths)).toBeLessThanOrEqual(5);
      }),
    );
  });
});

describe('property: whatever is estimated, the bills of a run add up to what the register measured', () => {
  it('Σ billed from the last actual reading to the next one = the register difference (rollover too)', () => {
    const month = fc.record({ kwh: fc.nat(3_000), read: fc.boolean() });
    fc.assert(
      fc.property(fc.array(month, { minLength: 1, maxLength: 24 }), fc.nat(99_999), (months, start) => {
        const modulus = kWh(100_000);
        let register = kWh(start);
        const run: { period: Period; readingWh?: number[] }[] = months.map((m, i) => {
          register = (register + kWh(m.kwh)) % modulus;
          const last = i === months.length - 1;
          return { period: addPeriods('2026-01', i), ...(m.read || last ? { readingWh: [register] } : {}) };
        });
        const bills = billRun({ previousActual: point('2025-12', 'reading', start) }, run);
        const billed = bills.reduce((s, d) => s + d.totalWh, 0);
        expect(billed).toBe(months.reduce((s, m) => s + kWh(m.kwh), 0));
      }),
    );
  });
});
