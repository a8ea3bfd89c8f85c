import type { LocalDate } from './period.ts';

/**
 * Wall-clock time of an instant in a region's time zone (domain.md §4.3: days are judged in the region's
 * time zone, not the server's). Uses the ECMAScript Intl time-zone database: pure, no I/O.
 */
export interface LocalDateTime extends LocalDate {
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

export function toLocal(instant: Date, timeZone: string): LocalDateTime {
  const parts = formatterFor(timeZone).formatToParts(instant);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return {
    year: get('year'),
    month: get('month'),
    day: get('day'),
    hour: get('hour'),
    minute: get('minute'),
    second: get('second'),
  };
}

export function localDateOf(instant: Date, timeZone: string): LocalDate {
  const { year, month, day } = toLocal(instant, timeZone);
  return { year, month, day };
}

/** The instant of 00:00 local time on a calendar date in a time zone. */
export function startOfLocalDay(date: LocalDate, timeZone: string): Date {
  // Start from UTC midnight and correct by the zone's offset (twice, to settle across DST changes).
  let guess = Date.UTC(date.year, date.month - 1, date.day);
  for (let i = 0; i < 2; i++) {
    const l = toLocal(new Date(guess), timeZone);
    const asUtc = Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second);
    const target = Date.UTC(date.year, date.month - 1, date.day);
    guess += target - asUtc;
  }
  return new Date(guess);
}
