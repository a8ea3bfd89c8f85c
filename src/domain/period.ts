/**
 * Billing periods (domain.md §5): a calendar month in the region's time zone, written 'YYYY-MM'.
 */
export type Period = string;

const PERIOD_RE = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function isPeriod(value: string): boolean {
  return PERIOD_RE.test(value);
}

export function parsePeriod(value: string): { year: number; month: number } {
  const m = PERIOD_RE.exec(value);
  if (!m) throw new RangeError(`not a period (YYYY-MM): "${value}"`);
  return { year: Number(m[1]), month: Number(m[2]) };
}

export function makePeriod(year: number, month: number): Period {
  const index = year * 12 + (month - 1);
  const y = Math.floor(index / 12);
  const mo = (index % 12) + 1;
  return `${String(y).padStart(4, '0')}-${String(mo).padStart(2, '0')}`;
}

export function addPeriods(period: Period, n: number): Period {
  const { year, month } = parsePeriod(period);
  return makePeriod(year, month + n);
}

/** Number of periods from `a` to `b` (b − a); 0 when equal, negative when b is earlier. */
export function periodsBetween(a: Period, b: Period): number {
  const pa = parsePeriod(a);
  const pb = parsePeriod(b);
  return pb.year * 12 + pb.month - (pa.year * 12 + pa.month);
}

export function comparePeriods(a: Period, b: Period): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function periodOfDate(date: LocalDate): Period {
  return makePeriod(date.year, date.month);
}

/** A calendar date in some time zone. */
export interface LocalDate {
  year: number;
  month: number;
  day: number;
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The first and the last day of a period, 'YYYY-MM-DD'. */
export function periodDays(period: Period): { firstDay: string; lastDay: string } {
  const { year, month } = parsePeriod(period);
  return {
    firstDay: `${period}-01`,
    lastDay: `${period}-${String(daysInMonth(year, month)).padStart(2, '0')}`,
  };
}

export function formatLocalDate(d: LocalDate): string {
  return `${String(d.year).padStart(4, '0')}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
}

export function parseLocalDate(value: string): LocalDate {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) throw new RangeError(`not a date (YYYY-MM-DD): "${value}"`);
  const d = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
  if (d.month < 1 || d.month > 12 || d.day < 1 || d.day > daysInMonth(d.year, d.month)) {
    throw new RangeError(`not a calendar date: "${value}"`);
  }
  return d;
}

export function addDays(d: LocalDate, n: number): LocalDate {
  const t = new Date(Date.UTC(d.year, d.month - 1, d.day + n));
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}

/** Day of week of a calendar date: 1 = Monday … 7 = Sunday. */
export function isoWeekday(d: LocalDate): number {
  const w = new Date(Date.UTC(d.year, d.month - 1, d.day)).getUTCDay();
  return w === 0 ? 7 : w;
}
