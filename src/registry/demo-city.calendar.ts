import { localDateOf, startOfLocalDay } from '../domain/local-time.ts';
import { addPeriods, daysInMonth, type LocalDate, type Period, parsePeriod } from '../domain/period.ts';
import { countedPeriod, type ReadingsWindow, windowBounds } from '../domain/readings-window.ts';

/**
 * The demo city's time line in one region: calendar days as epoch-day numbers of the local calendar
 * (days since 1970-01-01), the accrual months that consumption is spread over, and the periods whose
 * readings the generator writes — each with the window days that count for it by domain.md §4.3.
 */
export interface PeriodSlot {
  index: number;
  period: Period;
  /** Local days inside the window serving `period` (checked with countedPeriod). */
  days: number[];
  /** The period `now` falls into: its window may not have opened or closed yet. */
  current: boolean;
}

export interface RegionCalendar {
  timeZone: string;
  /** Epoch day of the 1st of the first accrual month. */
  originDay: number;
  /** Per day from originDay: accrual month index, zero-based day of month, and 00:00 local as epoch ms. */
  monthOfDay: Int16Array;
  dayOfMonth0: Int8Array;
  dayStartMs: Float64Array;
  /** Per accrual month: length in days and calendar month 1..12. */
  monthLength: number[];
  calendarMonth: number[];
  slots: PeriodSlot[];
  /** First day a reading of the history may be taken on; today in the region. */
  historyStartDay: number;
  today: number;
  nowMs: number;
}

/** How many complete periods of history to write before the current one. */
export const HISTORY_PERIODS = 12;

export function epochDay(d: LocalDate): number {
  return Date.UTC(d.year, d.month - 1, d.day) / 86_400_000;
}

export function localDateOfDay(day: number): LocalDate {
  const t = new Date(day * 86_400_000);
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}

const dayTexts = new Map<number, string>();
/** 'YYYY-MM-DD' of an epoch day. */
export function dayText(day: number): string {
  let s = dayTexts.get(day);
  if (s === undefined) {
    s = new Date(day * 86_400_000).toISOString().slice(0, 10);
    if (dayTexts.size > 100_000) dayTexts.clear();
    dayTexts.set(day, s);
  }
  return s;
}

/**
 * Builds the calendar of a region for `now`. `windowIn(year, month)` is the readings window in force in
 * that calendar month (from the `parameter` table).
 */
export function buildRegionCalendar(
  timeZone: string,
  now: Date,
  windowIn: (year: number, month: number) => ReadingsWindow,
): RegionCalendar {
  const todayDate = localDateOf(now, timeZone);
  const today = epochDay(todayDate);
  const current = countedPeriod(todayDate, windowIn(todayDate.year, todayDate.month)).period;
  const first = addPeriods(current, -HISTORY_PERIODS);
  // Accrual starts two months before the first period so that "a month before the first reading" exists.
  const origin = parsePeriod(addPeriods(first, -2));
  const originDay = epochDay({ year: origin.year, month: origin.month, day: 1 });
  const lastDay = today + 40;
  const count = lastDay - originDay + 1;
  const monthOfDay = new Int16Array(count);
  const dayOfMonth0 = new Int8Array(count);
  const dayStartMs = new Float64Array(count);
  const monthLength: number[] = [];
  const calendarMonth: number[] = [];
  for (let i = 0; i < count; i++) {
    const d = localDateOfDay(originDay + i);
    const k = (d.year - origin.year) * 12 + (d.month - origin.month);
    if (monthLength[k] === undefined) {
      monthLength[k] = daysInMonth(d.year, d.month);
      calendarMonth[k] = d.month;
    }
    monthOfDay[i] = k;
    dayOfMonth0[i] = d.day - 1;
    dayStartMs[i] = startOfLocalDay(d, timeZone).getTime();
  }
  // One more month so that the month after the last day has a start.
  const tail = localDateOfDay(lastDay + 1);
  monthLength.push(daysInMonth(tail.year, tail.month));
  calendarMonth.push(tail.month);

  const slots: PeriodSlot[] = [];
  for (let i = 0; i <= HISTORY_PERIODS; i++) {
    const period = addPeriods(first, i);
    const p = parsePeriod(period);
    const { windowOpens, windowCloses } = windowBounds(windowIn(p.year, p.month), period);
    // The window of the month it is held in decides; keep only days that really count for `period`.
    const days: number[] = [];
    for (let day = epochDay(windowOpens); day <= epochDay(windowCloses); day++) {
      const d = localDateOfDay(day);
      const c = countedPeriod(d, windowIn(d.year, d.month));
      if (c.inWindow && c.period === period) days.push(day);
    }
    if (days.length > 0) slots.push({ index: slots.length, period, days, current: period === current });
  }
  return {
    timeZone,
    originDay,
    monthOfDay,
    dayOfMonth0,
    dayStartMs,
    monthLength,
    calendarMonth,
    slots,
    historyStartDay: slots[0]?.days[0] ?? today,
    today,
    nowMs: now.getTime(),
  };
}

/** Accrual month index and fraction of it elapsed at `seconds` after 00:00 local of `day`. */
export function accrualPoint(
  cal: RegionCalendar,
  day: number,
  seconds: number,
): { month: number; frac: number } {
  const i = day - cal.originDay;
  const month = cal.monthOfDay[i]!;
  return { month, frac: (cal.dayOfMonth0[i]! + seconds / 86_400) / cal.monthLength[month]! };
}

/** The instant of `seconds` after 00:00 local of `day`, as epoch ms. */
export function instantMs(cal: RegionCalendar, day: number, seconds: number): number {
  return cal.dayStartMs[day - cal.originDay]! + seconds * 1000;
}
