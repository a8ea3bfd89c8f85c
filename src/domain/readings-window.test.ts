import { describe, expect, it } from 'vitest';
import { localDateOf, startOfLocalDay } from './local-time.ts';
import { countedPeriod, type ReadingsWindow, windowBounds } from './readings-window.ts';

const MOSCOW: ReadingsWindow = { fromDay: 15, toDay: 26, serves: 'same' };
const YAKUTIA: ReadingsWindow = { fromDay: 1, toDay: 10, serves: 'previous' };

/** The counted period of an instant, judged in a time zone (§4.3). */
function at(iso: string, tz: string, w: ReadingsWindow) {
  return countedPeriod(localDateOf(new Date(iso), tz), w);
}

describe('§4.3 readings window, Moscow 15–26 serves the same month', () => {
  it.each([
    [
      '2026-11-14T20:59:59Z',
      '2026-11',
      false,
      '23:59:59 local on the 14th: before the window, counts for its month',
    ],
    ['2026-11-14T21:00:00Z', '2026-11', true, '00:00 local on the 15th: the window opens'],
    ['2026-11-26T20:59:59Z', '2026-11', true, '23:59:59 local on the 26th: still inside'],
    ['2026-11-26T21:00:00Z', '2026-12', false, '00:00 local on the 27th: counts for the next period'],
    ['2026-12-31T20:59:59Z', '2027-01', false, 'last moment of the year: next window is January'],
    ['2026-11-01T00:00:00Z', '2026-11', false, 'early in the month: the window ahead serves this month'],
  ])('%s → %s (inWindow %s): %s', (iso, period, inWindow) => {
    const c = at(iso, 'Europe/Moscow', MOSCOW);
    expect(c.period).toBe(period);
    expect(c.inWindow).toBe(inWindow);
  });

  it('judges the day in the region, not on the server: 22:30 UTC on the 26th is the 27th in Moscow', () => {
    expect(at('2026-11-26T22:30:00Z', 'Europe/Moscow', MOSCOW).period).toBe('2026-12');
    expect(at('2026-11-26T22:30:00Z', 'UTC', MOSCOW).period).toBe('2026-11');
  });

  it('names the window that serves the counted period', () => {
    const c = at('2026-11-27T12:00:00Z', 'Europe/Moscow', MOSCOW);
    expect(c.windowOpens).toEqual({ year: 2026, month: 12, day: 15 });
    expect(c.windowCloses).toEqual({ year: 2026, month: 12, day: 26 });
  });
});

describe('§4.3 Yakutia (UTC+9): days 1–10 of M+1 serve M', () => {
  it.each([
    [
      '2026-11-30T14:59:59Z',
      '2026-11',
      false,
      '23:59:59 local on 30 Nov: the December window serves November',
    ],
    ['2026-11-30T15:00:00Z', '2026-11', true, '00:00 local on 1 Dec: inside, serves November'],
    ['2026-12-10T14:59:59Z', '2026-11', true, '23:59:59 local on 10 Dec: still November'],
    [
      '2026-12-10T15:00:00Z',
      '2026-12',
      false,
      '00:00 local on 11 Dec: counts for December (window 1–10 Jan)',
    ],
    ['2026-12-31T20:00:00Z', '2026-12', true, '05:00 local on 1 Jan 2027: serves December 2026'],
  ])('%s → %s (inWindow %s): %s', (iso, period, inWindow) => {
    const c = at(iso, 'Asia/Yakutsk', YAKUTIA);
    expect(c.period).toBe(period);
    expect(c.inWindow).toBe(inWindow);
  });

  it('the window serving November 2026 is 1–10 December', () => {
    expect(windowBounds(YAKUTIA, '2026-11')).toEqual({
      windowOpens: { year: 2026, month: 12, day: 1 },
      windowCloses: { year: 2026, month: 12, day: 10 },
    });
  });
});

describe('a window past the end of a short month closes on its last day', () => {
  it('27–31 in February closes on the 28th', () => {
    const w: ReadingsWindow = { fromDay: 27, toDay: 31, serves: 'same' };
    expect(countedPeriod({ year: 2027, month: 2, day: 28 }, w)).toMatchObject({
      period: '2027-02',
      inWindow: true,
    });
    expect(countedPeriod({ year: 2027, month: 3, day: 1 }, w)).toMatchObject({
      period: '2027-03',
      inWindow: false,
    });
  });
});

describe('local midnight', () => {
  it('finds 00:00 local in Moscow and Yakutsk', () => {
    expect(startOfLocalDay({ year: 2026, month: 11, day: 15 }, 'Europe/Moscow').toISOString()).toBe(
      '2026-11-14T21:00:00.000Z',
    );
    expect(startOfLocalDay({ year: 2026, month: 12, day: 1 }, 'Asia/Yakutsk').toISOString()).toBe(
      '2026-11-30T15:00:00.000Z',
    );
  });
});
