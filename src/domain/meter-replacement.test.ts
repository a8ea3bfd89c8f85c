import { describe, expect, it } from 'vitest';
import { finalReadingConsumption, readingPeriods } from './meter-replacement.ts';

const MOSCOW = { fromDay: 15, toDay: 26, serves: 'same' } as const;
const YAKUTIA = { fromDay: 1, toDay: 10, serves: 'previous' } as const;

describe('§3 the final reading of a replaced meter', () => {
  it('adds the consumption since the last accepted reading, per zone', () => {
    expect(finalReadingConsumption([15_200_000, 7_100_000], [15_330_000, 7_150_500])).toEqual({
      ok: true,
      consumptionWh: [130_000, 50_500],
    });
  });
  it('equal to the previous reading is zero consumption', () => {
    expect(finalReadingConsumption([500_000], [500_000])).toEqual({ ok: true, consumptionWh: [0] });
  });
  it('lower than the previous reading in any zone is refused, naming the zone', () => {
    expect(finalReadingConsumption([1_000_000, 500_000], [1_200_000, 499_000])).toEqual({
      ok: false,
      reason: 'FINAL_LOWER_THAN_PREVIOUS',
      params: { zone: 2, previousWh: 500_000, valueWh: 499_000 },
    });
  });
  it('zone counts must agree (the caller checks them first)', () => {
    expect(() => finalReadingConsumption([1], [1, 2])).toThrow(RangeError);
  });
});

describe('§4.3/§4.8 periods of a reading taken on a date', () => {
  it('inside the Moscow window counts for the month; after it, for the next one', () => {
    expect(readingPeriods({ year: 2026, month: 11, day: 20 }, MOSCOW, undefined)).toEqual({
      period: '2026-11',
      billedInPeriod: '2026-11',
      recalculation: false,
    });
    expect(readingPeriods({ year: 2026, month: 11, day: 27 }, MOSCOW, '2026-10').period).toBe('2026-12');
  });
  it('Yakutia: days 1–10 serve the month before', () => {
    expect(readingPeriods({ year: 2026, month: 12, day: 5 }, YAKUTIA, undefined).period).toBe('2026-11');
  });
  it('a period already billed goes into the next open bill as a recalculation', () => {
    expect(readingPeriods({ year: 2026, month: 11, day: 3 }, MOSCOW, '2026-11')).toEqual({
      period: '2026-11',
      billedInPeriod: '2026-12',
      recalculation: true,
    });
  });
});
