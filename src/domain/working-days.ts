import {
  addDays,
  addPeriods,
  daysInMonth,
  isoWeekday,
  type LocalDate,
  type Period,
  parsePeriod,
} from './period.ts';

/**
 * Working days and the dates of a bill (domain.md §5). The calendar of working days is data: the table
 * `calendar_day` holds only the exceptions to "Monday–Friday work, Saturday–Sunday rest" — federal rows
 * (`regionCode` null: holidays, days off moved by the Government's decree, working Saturdays) and a
 * region's own rows (a regional holiday, a regional working Saturday). For one day, the region's row
 * wins over the federal one.
 */
export interface CalendarException {
  /** null = the federal calendar; otherwise the region the row belongs to. */
  regionCode: string | null;
  day: LocalDate;
  isWorking: boolean;
  note?: string | null;
}

function sameDay(a: LocalDate, b: LocalDate): boolean {
  return a.year === b.year && a.month === b.month && a.day === b.day;
}

/**
 * The calendar of one region: the federal rows and that region's rows. Rows of two different regions
 * mixed in one list are a caller's mistake (whose row would win?), so they are refused.
 */
function checkOneRegion(calendar: readonly CalendarException[]): void {
  let region: string | null = null;
  for (const row of calendar) {
    if (row.regionCode === null) continue;
    if (region !== null && row.regionCode !== region) {
      throw new RangeError(`calendar mixes the rows of regions "${region}" and "${row.regionCode}"`);
    }
    region = row.regionCode;
  }
}

/** The exception for `date`, the region's row before the federal one; undefined when there is none. */
function exceptionFor(
  date: LocalDate,
  calendar: readonly CalendarException[],
): CalendarException | undefined {
  let federal: CalendarException | undefined;
  for (const row of calendar) {
    if (!sameDay(row.day, date)) continue;
    if (row.regionCode !== null) return row;
    federal ??= row;
  }
  return federal;
}

/**
 * §5 whether `date` is a working day: the exception for that day if the calendar has one (a region's
 * row wins over a federal row for the same day), otherwise Monday–Friday.
 */
export function isWorkingDay(date: LocalDate, calendar: readonly CalendarException[]): boolean {
  checkOneRegion(calendar);
  const exception = exceptionFor(date, calendar);
  if (exception) return exception.isWorking;
  return isoWeekday(date) <= 5;
}

/**
 * §5 the first working day on or after `date` (`date` itself when it is a working day). Terminates for
 * any finite calendar: past its last exception every Monday is a working day.
 */
export function nextWorkingDay(date: LocalDate, calendar: readonly CalendarException[]): LocalDate {
  checkOneRegion(calendar);
  let d = date;
  while (!isWorkingDayUnchecked(d, calendar)) d = addDays(d, 1);
  return d;
}

function isWorkingDayUnchecked(date: LocalDate, calendar: readonly CalendarException[]): boolean {
  const exception = exceptionFor(date, calendar);
  return exception ? exception.isWorking : isoWeekday(date) <= 5;
}

/** The two effective-dated parameters of §5 (`bill_delivery_day`, `payment_due_day`). */
export interface BillCalendarRule {
  /** The bill is delivered by this day of the month after the period. */
  billDeliveryDay: number;
  /** Payment is due by this day of the month after the period. */
  paymentDueDay: number;
}

export interface BillDates {
  /** Deliver the bill by this date (not moved off weekends and holidays, see `billDates`). */
  deliverBy: LocalDate;
  /** Payment is due by this date: day `paymentDueDay` of the next month, moved to a working day. */
  dueDate: LocalDate;
}

/**
 * The date that selects the §5 rule in force for the bill of `period`: the first day of the next month,
 * the month in which that bill is delivered and paid. ЖК art. 155 as amended from 01.03.2026 governs
 * the bills delivered and paid from March 2026 on, i.e. from the bill for February 2026 (delivered by
 * 05.03, due 15.03); the bill for January 2026 is delivered and paid in February under the old rule
 * (by 01.02, due 10.02). The period's last day would leave the February bill — paid in March, after the
 * change — under the old rule. The delivery date itself cannot select the rule, as it depends on it.
 * Callers load `bill_delivery_day` and `payment_due_day` in force on this date.
 */
export function billRuleDate(period: Period): LocalDate {
  const { year, month } = parsePeriod(addPeriods(period, 1));
  return { year, month, day: 1 };
}

function checkDay(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1 || value > 31) {
    throw new RangeError(`${name} must be an integer day of the month 1..31, got ${value}`);
  }
}

/** Day `day` of `year-month`; a day past the month's end (31 in a 30-day month) means its last day. */
function dayOfMonth(year: number, month: number, day: number): LocalDate {
  return { year, month, day: Math.min(day, daysInMonth(year, month)) };
}

/**
 * §5 the dates of the bill for `period` under `rule` (the rule in force on `billRuleDate(period)`):
 *  - `deliverBy`: day `billDeliveryDay` of the next month, as it is. §5 moves only the due date; the
 *    delivery date is the supplier's own deadline, and keeping it on the calendar date never lets a bill
 *    arrive later than the calendar day the parameter names (the mailing is planned before it).
 *  - `dueDate`: day `paymentDueDay` of the next month; on a weekend or holiday it moves to the next
 *    working day of the region's calendar (ГК art. 193), which may be in the month after.
 * A day past the month's end means its last day. The due date must not precede the delivery date.
 */
export function billDates(
  period: Period,
  rule: BillCalendarRule,
  calendar: readonly CalendarException[],
): BillDates {
  checkDay('billDeliveryDay', rule.billDeliveryDay);
  checkDay('paymentDueDay', rule.paymentDueDay);
  if (rule.paymentDueDay < rule.billDeliveryDay) {
    throw new RangeError(
      `paymentDueDay (${rule.paymentDueDay}) precedes billDeliveryDay (${rule.billDeliveryDay})`,
    );
  }
  const { year, month } = parsePeriod(addPeriods(period, 1));
  const deliverBy = dayOfMonth(year, month, rule.billDeliveryDay);
  const dueDate = nextWorkingDay(dayOfMonth(year, month, rule.paymentDueDay), calendar);
  return { deliverBy, dueDate };
}
