import { startOfLocalDay } from './local-time.ts';
import {
  addPeriods,
  comparePeriods,
  daysInMonth,
  type LocalDate,
  makePeriod,
  type Period,
  parsePeriod,
} from './period.ts';

/**
 * The readings window (domain.md §4.3): days `fromDay`–`toDay` of a month, in the region's local time,
 * serve either that month (`serves: 'same'`, Moscow 15–26) or the month before (`serves: 'previous'`,
 * Yakutia 1–10 of M+1 serve M). A `toDay` past the month's end means its last day.
 */
export interface ReadingsWindow {
  fromDay: number;
  toDay: number;
  serves: 'same' | 'previous';
}

export interface CountedPeriod {
  /** The period the reading counts for. */
  period: Period;
  /** Whether the moment fell inside a window. */
  inWindow: boolean;
  /** The window that serves `period`, as local dates. */
  windowOpens: LocalDate;
  windowCloses: LocalDate;
}

export function validateWindow(w: ReadingsWindow): string | undefined {
  if (!Number.isInteger(w.fromDay) || !Number.isInteger(w.toDay)) return 'window days must be integers';
  if (w.fromDay < 1 || w.fromDay > 31 || w.toDay < w.fromDay || w.toDay > 31)
    return 'window days must be 1 ≤ from ≤ to ≤ 31';
  if (w.serves !== 'same' && w.serves !== 'previous') return "window must serve 'same' or 'previous' month";
  return undefined;
}

/** The window held in the calendar month `year-month` and the period it serves. */
function windowInMonth(w: ReadingsWindow, year: number, month: number) {
  const last = daysInMonth(year, month);
  const from = Math.min(w.fromDay, last);
  const to = Math.min(w.toDay, last);
  const held = makePeriod(year, month);
  return {
    from,
    to,
    period: w.serves === 'same' ? held : addPeriods(held, -1),
  };
}

/**
 * Which period a reading taken on local date `date` counts for: inside a window, the period that window
 * serves; between windows, the period of the next window ("otherwise it counts in the next billing period").
 */
export function countedPeriod(date: LocalDate, w: ReadingsWindow): CountedPeriod {
  const here = windowInMonth(w, date.year, date.month);
  if (date.day >= here.from && date.day <= here.to) {
    return { period: here.period, inWindow: true, ...windowBounds(w, here.period) };
  }
  if (date.day < here.from) {
    return { period: here.period, inWindow: false, ...windowBounds(w, here.period) };
  }
  const next = addPeriods(here.period, 1);
  return { period: next, inWindow: false, ...windowBounds(w, next) };
}

/** The local dates on which the window serving `period` opens and closes. */
export function windowBounds(
  w: ReadingsWindow,
  period: Period,
): { windowOpens: LocalDate; windowCloses: LocalDate } {
  const heldIn = w.serves === 'same' ? period : addPeriods(period, 1);
  const { year, month } = parsePeriod(heldIn);
  const win = windowInMonth(w, year, month);
  return { windowOpens: { year, month, day: win.from }, windowCloses: { year, month, day: win.to } };
}

/**
 * §4.8: a reading for a period already billed (at or before `lastClosedPeriod`) goes into the next open
 * bill as a recalculation; otherwise into the bill of its own period.
 */
export function billingPeriodFor(
  period: Period,
  lastClosedPeriod: Period | undefined,
): { billedInPeriod: Period; recalculation: boolean } {
  const closed = lastClosedPeriod !== undefined && comparePeriods(period, lastClosedPeriod) <= 0;
  return { billedInPeriod: closed ? addPeriods(lastClosedPeriod, 1) : period, recalculation: closed };
}

/**
 * §6.1 item 1: a smart meter's register "at the period end (00:00 local on the 1st)": values taken within
 * `toleranceMs` of that instant count as the register at the period end; farther off, as a plain reading.
 */
export function isRegisterAtPeriodEnd(
  takenAt: Date,
  period: Period,
  timeZone: string,
  toleranceMs: number,
): boolean {
  const { year, month } = parsePeriod(addPeriods(period, 1));
  const end = startOfLocalDay({ year, month, day: 1 }, timeZone).getTime();
  return Math.abs(takenAt.getTime() - end) <= toleranceMs;
}
