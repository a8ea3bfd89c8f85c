import { describe, expect, it } from 'vitest';
import type { RuleParameters } from './parameters.ts';
import {
  checkAccountAndMeter,
  checkTakenAt,
  checkValues,
  type DecisionInput,
  decideReading,
  type HistoryPoint,
  type MeterFacts,
  monthlyAverage,
} from './reading-rules.ts';

const PARAMS: RuleParameters = {
  readingsWindow: { fromDay: 15, toDay: 26, serves: 'same' },
  windowOnlyChannels: ['terminal'],
  longGapPeriods: 2,
  longGapChannels: ['portal', 'app'],
  rolloverAverageFactor: 3,
  rolloverCeilingKwhPerMonth: 1000,
  holdAverageFactor: 5,
  holdMinKwhPerMonth: 1000,
  holdNoHistoryKwhPerMonth: 3000,
  averagePeriods: 6,
  averageMinPeriods: 3,
  averageMaxConsecutive: 6,
  failedMeterAveragePeriods: 3,
  raisingCoefficient: '1.5',
  normPricedSingleRate: true,
  tariffChangeRule: 'by_days',
  smartRegisterToleranceHours: 24,
  futureToleranceMinutes: 10,
  maxReadingAgeDays: 1095,
  billDeliveryDay: 5,
  paymentDueDay: 15,
  zoneNames: { '1': ['single'], '2': ['day', 'night'], '3': ['peak', 'night', 'half_peak'] },
};

const METER: MeterFacts = {
  serial: 'M-1',
  zones: 1,
  digits: 5,
  decimals: 0,
  status: 'active',
  commissionedOn: '2025-01-10',
  nextVerificationOn: '2035-01-01',
  initialValuesWh: [0],
};

const kwh = (n: number) => n * 1000;
/** Monthly history with the given cumulative kWh values, periods starting at `from`, read on the 20th. */
function history(from: string, values: number[]): HistoryPoint[] {
  const [y, m] = from.split('-').map(Number) as [number, number];
  return values.map((v, i) => {
    const mm = m - 1 + i;
    const period = `${y + Math.floor(mm / 12)}-${String((mm % 12) + 1).padStart(2, '0')}`;
    return { id: i + 1, period, takenAt: new Date(`${period}-20T09:00:00Z`), valuesWh: [kwh(v)] };
  });
}

function decide(over: Partial<DecisionInput>) {
  return decideReading({
    meter: METER,
    valuesWh: [kwh(0)],
    takenAt: new Date('2026-11-20T09:00:00Z'),
    channel: 'sms',
    timeZone: 'Europe/Moscow',
    params: PARAMS,
    history: [],
    sameperiodReadingId: undefined,
    lastClosedPeriod: undefined,
    ...over,
  });
}

// E1's history: Jul–Dec actual 180,170,190,210,230,220 (average 200), last reading 15,200.
const E1 = history('2025-06', [14000, 14180, 14350, 14540, 14750, 14980, 15200]);

describe('§4.1–2 values and meter validity', () => {
  it('wrong zone count', () => {
    expect(checkValues(['1', '2'], METER)).toMatchObject({ ok: false, reason: 'ZONE_COUNT_MISMATCH' });
  });
  it.each([
    ['-5', 'VALUE_NEGATIVE'],
    ['123456', 'VALUE_TOO_LONG'],
    ['12.5', 'VALUE_PRECISION'],
    ['12a', 'VALUE_INVALID'],
    ['', 'VALUE_INVALID'],
  ])('%s → %s', (v, reason) => {
    expect(checkValues([v], METER)).toMatchObject({ ok: false, reason });
  });
  it('accepts comma decimals within the meter decimals and leading zeros', () => {
    expect(checkValues(['00130'], METER)).toEqual({ ok: true, value: [130_000] });
    expect(checkValues(['12345,6'], { ...METER, decimals: 1 })).toEqual({ ok: true, value: [12_345_600] });
  });
  it('an expired verification, a failed or removed meter, a closed account', () => {
    const day = { year: 2026, month: 11, day: 20 };
    expect(
      checkAccountAndMeter({ status: 'active' }, { ...METER, nextVerificationOn: '2026-11-20' }, day),
    ).toMatchObject({
      reason: 'METER_VERIFICATION_EXPIRED',
    });
    expect(checkAccountAndMeter({ status: 'active' }, { ...METER, status: 'failed' }, day)).toMatchObject({
      reason: 'METER_FAILED',
    });
    expect(checkAccountAndMeter({ status: 'active' }, { ...METER, status: 'removed' }, day)).toMatchObject({
      reason: 'METER_REMOVED',
    });
    expect(checkAccountAndMeter({ status: 'closed' }, METER, day)).toMatchObject({
      reason: 'ACCOUNT_INACTIVE',
    });
    expect(checkAccountAndMeter({ status: 'active' }, METER, day)).toEqual({ ok: true, value: null });
  });
  it('dates in the future beyond the clock tolerance, and before commissioning', () => {
    const now = new Date('2026-11-20T09:00:00Z');
    expect(checkTakenAt(new Date('2026-11-20T09:09:00Z'), now, METER, 'Europe/Moscow', PARAMS).ok).toBe(true);
    expect(checkTakenAt(new Date('2026-11-20T09:11:00Z'), now, METER, 'Europe/Moscow', PARAMS)).toMatchObject(
      { reason: 'TAKEN_IN_FUTURE' },
    );
    expect(checkTakenAt(new Date('2025-01-09T09:00:00Z'), now, METER, 'Europe/Moscow', PARAMS)).toMatchObject(
      {
        reason: 'TAKEN_BEFORE_COMMISSIONING',
      },
    );
  });
});

describe('§4.3 counted period and window-only channels', () => {
  it('a terminal outside the window is refused with the next window', () => {
    const d = decide({
      channel: 'terminal',
      takenAt: new Date('2026-11-27T09:00:00Z'),
      valuesWh: [kwh(15400)],
      history: E1,
    });
    expect(d.outcome).toBe('rejected');
    expect(d.reason).toBe('OUTSIDE_WINDOW');
    expect(d.reasonParams).toMatchObject({ opens: '2026-12-15', closes: '2026-12-26' });
  });
  it('SMS between windows counts for the next period', () => {
    const d = decide({
      takenAt: new Date('2026-11-27T09:00:00Z'),
      valuesWh: [kwh(15400)],
      history: history('2026-06', [14000, 14200, 14400, 14600, 14800, 15000]),
    });
    expect(d).toMatchObject({ outcome: 'accepted', billedInPeriod: '2026-12' });
    expect(d.counted.period).toBe('2026-12');
  });
});

describe('§4.4 not lower than the previous reading, rollover', () => {
  it('E9: 5 digits, previous 99,870, new 00,130 → 260 kWh with an average of 200', () => {
    const h = history('2026-05', [98870, 99070, 99270, 99470, 99670, 99870]);
    const d = decide({ valuesWh: [kwh(130)], history: h });
    expect(d.outcome).toBe('accepted');
    expect(d.rollover).toBe(true);
    expect(d.consumptionWh).toEqual([kwh(260)]);
  });
  it('a drop that would be an implausible rollover is refused', () => {
    const h = history('2026-05', [15000, 15200, 15400, 15600, 15800, 16000]);
    const d = decide({ valuesWh: [kwh(15900)], history: h });
    expect(d).toMatchObject({ outcome: 'rejected', reason: 'LOWER_THAN_PREVIOUS' });
    expect(d.reasonParams).toMatchObject({ zone: 1, previousWh: kwh(16000), valueWh: kwh(15900) });
  });
  it('without an average, rollover is judged against the ceiling', () => {
    const h = history('2026-10', [99800]);
    expect(decide({ valuesWh: [kwh(100)], history: h })).toMatchObject({
      outcome: 'accepted',
      rollover: true,
    });
    expect(decide({ valuesWh: [kwh(5000)], history: h })).toMatchObject({
      outcome: 'rejected',
      reason: 'LOWER_THAN_PREVIOUS',
    });
  });
  it('not lower than the commissioning act when there are no readings yet', () => {
    const m = { ...METER, commissionedOn: '2026-10-01', initialValuesWh: [kwh(500)] };
    expect(decide({ meter: m, valuesWh: [kwh(400)] })).toMatchObject({
      outcome: 'rejected',
      reason: 'LOWER_THAN_PREVIOUS',
    });
    const ok = decide({ meter: m, valuesWh: [kwh(700)] });
    expect(ok).toMatchObject({ outcome: 'accepted', consumptionWh: [kwh(200)] });
    expect(ok.previous.source).toBe('commissioning');
  });
  it('zones are judged each on its own register', () => {
    const m = { ...METER, zones: 2, initialValuesWh: [0, 0] };
    const h: HistoryPoint[] = [
      {
        id: 1,
        period: '2026-10',
        takenAt: new Date('2026-10-20T09:00:00Z'),
        valuesWh: [kwh(1000), kwh(500)],
      },
    ];
    expect(decide({ meter: m, valuesWh: [kwh(1150), kwh(490)], history: h })).toMatchObject({
      reason: 'LOWER_THAN_PREVIOUS',
      reasonParams: { zone: 2 },
    });
    expect(decide({ meter: m, valuesWh: [kwh(1150), kwh(560)], history: h })).toMatchObject({
      outcome: 'accepted',
      consumptionWh: [kwh(150), kwh(60)],
    });
  });
  it('a back-dated reading may not exceed a reading accepted for a later period', () => {
    const h = history('2026-07', [1000, 1200, 1400, 1600]); // Jul..Oct
    const d = decide({
      takenAt: new Date('2026-08-05T09:00:00Z'),
      valuesWh: [kwh(1500)],
      history: h.filter((x) => x.period !== '2026-08'),
    });
    expect(d).toMatchObject({ outcome: 'rejected', reason: 'HIGHER_THAN_LATER' });
  });
});

describe('§4.5 plausibility: hold for review', () => {
  it('far above the average (>5× and >1,000 kWh) is held', () => {
    const d = decide({
      valuesWh: [kwh(15200 + 1300)],
      history: E1.map((h, i) => ({ ...h, period: `2026-${String(5 + i).padStart(2, '0')}` })),
    });
    expect(d).toMatchObject({ outcome: 'held', reason: 'HIGH_CONSUMPTION' });
  });
  it('high but under 1,000 kWh is accepted', () => {
    const h = history('2026-04', [1000, 1010, 1020, 1030, 1040, 1050, 1060]);
    expect(decide({ valuesWh: [kwh(1060 + 900)], history: h }).outcome).toBe('accepted');
  });
  it('without history, above the no-history ceiling is held', () => {
    expect(decide({ valuesWh: [kwh(3500)], meter: { ...METER, commissionedOn: '2026-10-25' } }).outcome).toBe(
      'held',
    );
  });
});

describe('§4.6 long gap on the personal account channels', () => {
  const h = history('2026-04', [1000, 1200, 1400, 1600, 1800]); // last Aug; Sep, Oct skipped → 2 skipped
  it('more than 2 skipped periods: the portal refuses, SMS accepts', () => {
    const old = history('2026-04', [1000, 1200, 1400, 1600]); // last Jul; Aug–Oct skipped → 3
    expect(decide({ channel: 'portal', valuesWh: [kwh(2400)], history: old })).toMatchObject({
      outcome: 'rejected',
      reason: 'LONG_GAP',
    });
    expect(decide({ channel: 'sms', valuesWh: [kwh(2400)], history: old }).outcome).toBe('accepted');
  });
  it('exactly 2 skipped periods is still accepted on the portal', () => {
    expect(decide({ channel: 'portal', valuesWh: [kwh(2400)], history: h }).outcome).toBe('accepted');
  });
});

describe('§4.7–8 replacement within the period and already billed periods', () => {
  it('names the reading it replaces', () => {
    expect(decide({ valuesWh: [kwh(15400)], history: E1, sameperiodReadingId: 42 }).replacesReadingId).toBe(
      42,
    );
  });
  it('a reading for a billed period goes into the next open bill as a recalculation', () => {
    const d = decide({
      takenAt: new Date('2026-11-20T09:00:00Z'),
      valuesWh: [kwh(15400)],
      history: E1,
      lastClosedPeriod: '2026-11',
    });
    expect(d).toMatchObject({ outcome: 'accepted', recalculation: true, billedInPeriod: '2026-12' });
    expect(d.counted.period).toBe('2026-11');
  });
});

describe('monthly average from readings', () => {
  it('E1: Jul–Dec 180,170,190,210,230,220 → 200', () => {
    expect(monthlyAverage(E1, 6, 3, 1e8)).toEqual([kwh(200)]);
  });
  it('fewer than 3 periods of history → no average', () => {
    expect(monthlyAverage(history('2026-08', [100, 200, 300]), 6, 3, 1e8)).toBeUndefined();
  });
});
