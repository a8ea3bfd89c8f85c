import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, formatLocalDate, type LocalDate, parseLocalDate } from './period.ts';
import {
  type BillCalendarRule,
  billDates,
  billRuleDate,
  type CalendarException,
  isWorkingDay,
  nextWorkingDay,
} from './working-days.ts';

const d = parseLocalDate;
const iso = formatLocalDate;

/** Federal non-working days of 2026 as migrations/0002_parameters.sql loads them. */
const FEDERAL_2026: CalendarException[] = [
  '2026-01-01',
  '2026-01-02',
  '2026-01-05',
  '2026-01-06',
  '2026-01-07',
  '2026-01-08',
  '2026-01-09',
  '2026-02-23',
  '2026-03-09',
  '2026-05-01',
  '2026-05-11',
  '2026-06-12',
  '2026-11-04',
  '2026-12-31',
].map((day) => ({ regionCode: null, day: d(day), isWorking: false, note: 'holiday' }));

const regional = (day: string, isWorking: boolean): CalendarException => ({
  regionCode: 'tver',
  day: d(day),
  isWorking,
});

/** The `parameter` rows of §5 (migration 0002): the row with the latest effective_from not after the date. */
const RULES: { effectiveFrom: string; rule: BillCalendarRule }[] = [
  { effectiveFrom: '2000-01-01', rule: { billDeliveryDay: 1, paymentDueDay: 10 } },
  { effectiveFrom: '2026-03-01', rule: { billDeliveryDay: 5, paymentDueDay: 15 } },
];
function ruleInForce(date: LocalDate): BillCalendarRule {
  const rows = RULES.filter((r) => r.effectiveFrom <= iso(date));
  const row = rows[rows.length - 1];
  if (!row) throw new Error(`no rule in force on ${iso(date)}`);
  return row.rule;
}
function datesOf(period: string, calendar: CalendarException[] = FEDERAL_2026) {
  const b = billDates(period, ruleInForce(billRuleDate(period)), calendar);
  return { deliverBy: iso(b.deliverBy), dueDate: iso(b.dueDate) };
}

describe('§5 working days: Mon–Fri work, Sat–Sun rest, the calendar lists the exceptions', () => {
  it.each([
    ['2026-04-15', true, 'a plain Wednesday'],
    ['2026-08-15', false, 'a plain Saturday'],
    ['2026-08-16', false, 'a plain Sunday'],
    ['2026-05-11', false, 'a Monday made a day off (moved from 03.01)'],
    ['2026-01-01', false, 'New Year'],
    ['2026-01-12', true, 'the first working day of 2026'],
  ])('%s working: %s (%s)', (day, working) => {
    expect(isWorkingDay(d(day), FEDERAL_2026)).toBe(working);
  });

  it("a region's row wins over the federal row of the same day, in either order", () => {
    const override = regional('2026-05-11', true);
    expect(isWorkingDay(d('2026-05-11'), [...FEDERAL_2026, override])).toBe(true);
    expect(isWorkingDay(d('2026-05-11'), [override, ...FEDERAL_2026])).toBe(true);
  });

  it('a regional holiday on a weekday is a day off in that region only', () => {
    expect(isWorkingDay(d('2026-09-01'), [...FEDERAL_2026, regional('2026-09-01', false)])).toBe(false);
    expect(isWorkingDay(d('2026-09-01'), FEDERAL_2026)).toBe(true);
  });

  it('refuses a calendar mixing the rows of two regions', () => {
    const mixed = [regional('2026-09-01', false), { ...regional('2026-09-02', false), regionCode: 'moscow' }];
    expect(() => isWorkingDay(d('2026-09-01'), mixed)).toThrow(RangeError);
    expect(() => nextWorkingDay(d('2026-09-01'), mixed)).toThrow(RangeError);
  });

  it.each([
    ['2026-04-15', '2026-04-15', 'a working day is its own next working day'],
    ['2026-08-15', '2026-08-17', 'Saturday → Monday'],
    ['2026-05-09', '2026-05-12', 'Saturday, Sunday, moved day off → Tuesday'],
    ['2026-01-01', '2026-01-12', 'the New Year holidays and the weekend after them'],
    [
      '2026-12-31',
      '2027-01-01',
      'a holiday on the last day of the year moves into the next (no 2027 rows given)',
    ],
  ])('nextWorkingDay(%s) = %s (%s)', (from, to) => {
    expect(iso(nextWorkingDay(d(from), FEDERAL_2026))).toBe(to);
  });

  it('property: the next working day is working, not earlier, and every day skipped is a day off', () => {
    const dayArb = fc.integer({ min: 0, max: 120 }).map((n) => addDays(d('2026-01-01'), n));
    const rowArb = fc.record({
      regionCode: fc.constantFrom(null, 'tver'),
      day: dayArb,
      isWorking: fc.boolean(),
    });
    fc.assert(
      fc.property(dayArb, fc.array(rowArb, { maxLength: 40 }), (from, calendar) => {
        const next = nextWorkingDay(from, calendar);
        expect(isWorkingDay(next, calendar)).toBe(true);
        expect(iso(next) >= iso(from)).toBe(true);
        for (let x = from; iso(x) < iso(next); x = addDays(x, 1))
          expect(isWorkingDay(x, calendar)).toBe(false);
        expect(nextWorkingDay(next, calendar)).toEqual(next);
      }),
    );
  });
});

describe('§5 the dates of a bill', () => {
  it('March 2026 bill: delivered by 05.04.2026, due 15.04.2026 (a Wednesday: stays)', () => {
    expect(datesOf('2026-03')).toEqual({ deliverBy: '2026-04-05', dueDate: '2026-04-15' });
  });

  it('a due date on a Saturday moves to Monday: July 2026 bill due 15.08 → 17.08', () => {
    expect(datesOf('2026-07')).toEqual({ deliverBy: '2026-08-05', dueDate: '2026-08-17' });
  });

  it('a due date on a Sunday moves to Monday: October 2026 bill due 15.11 → 16.11', () => {
    expect(datesOf('2026-10').dueDate).toBe('2026-11-16');
  });

  it('a due date on a moved day off moves past it: day 11 of May 2026 (Monday, day off) → 12.05', () => {
    const rule = { billDeliveryDay: 5, paymentDueDay: 11 };
    expect(iso(billDates('2026-04', rule, FEDERAL_2026).dueDate)).toBe('2026-05-12');
    expect(iso(billDates('2026-04', rule, []).dueDate)).toBe('2026-05-11');
  });

  it('a due date inside the New Year holidays moves past all of them and the weekend after', () => {
    const rule = { billDeliveryDay: 1, paymentDueDay: 3 };
    expect(iso(billDates('2025-12', rule, FEDERAL_2026).dueDate)).toBe('2026-01-12');
  });

  it("a region's working Saturday keeps the due date on it; other regions move to Monday", () => {
    const tver = [...FEDERAL_2026, regional('2026-08-15', true)];
    expect(datesOf('2026-07', tver).dueDate).toBe('2026-08-15');
    expect(datesOf('2026-07').dueDate).toBe('2026-08-17');
  });

  it('the delivery date does not move off a weekend (only the due date does)', () => {
    // Under the old rule the January 2026 bill is delivered by Sunday 01.02.2026.
    expect(datesOf('2026-01').deliverBy).toBe('2026-02-01');
  });

  describe('the change of ЖК art. 155 on 01.03.2026 (rule chosen by the first day of the next month)', () => {
    it.each([
      ['2025-12', '2026-01-01', '2026-01-01', '2026-01-12', 'old rule; due 10.01 (Saturday) → 12.01'],
      ['2026-01', '2026-02-01', '2026-02-01', '2026-02-10', 'old rule; 10.02.2026 is a Tuesday'],
      ['2026-02', '2026-03-01', '2026-03-05', '2026-03-16', 'new rule; due 15.03 (Sunday) → 16.03'],
      ['2026-03', '2026-04-01', '2026-04-05', '2026-04-15', 'new rule'],
    ])('bill for %s: rule of %s, delivered by %s, due %s (%s)', (period, ruleDate, deliverBy, dueDate) => {
      expect(iso(billRuleDate(period))).toBe(ruleDate);
      expect(datesOf(period)).toEqual({ deliverBy, dueDate });
    });
  });

  it('a day past the end of the month means its last day', () => {
    const b = billDates('2026-01', { billDeliveryDay: 30, paymentDueDay: 31 }, []);
    expect(iso(b.deliverBy)).toBe('2026-02-28');
    expect(iso(b.dueDate)).toBe('2026-03-02'); // 28.02.2026 is a Saturday
  });

  it.each([
    [{ billDeliveryDay: 0, paymentDueDay: 15 }],
    [{ billDeliveryDay: 5, paymentDueDay: 32 }],
    [{ billDeliveryDay: 5.5, paymentDueDay: 15 }],
    [{ billDeliveryDay: 16, paymentDueDay: 15 }],
  ])('refuses a bad rule %o', (rule) => {
    expect(() => billDates('2026-03', rule, [])).toThrow(RangeError);
  });

  it('property: the due date is a working day, not before the nominal day, and never before delivery', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2000, max: 2100 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 28 }),
        fc.integer({ min: 0, max: 27 }),
        (year, month, deliver, gap) => {
          const period = `${year}-${String(month).padStart(2, '0')}`;
          const rule = { billDeliveryDay: deliver, paymentDueDay: Math.min(28, deliver + gap) };
          const b = billDates(period, rule, FEDERAL_2026);
          expect(isWorkingDay(b.dueDate, FEDERAL_2026)).toBe(true);
          expect(iso(b.dueDate) >= iso(b.deliverBy)).toBe(true);
          expect(iso(b.dueDate) >= iso({ ...b.deliverBy, day: rule.paymentDueDay })).toBe(true);
          expect(b.deliverBy.day).toBe(deliver);
          expect(iso(b.deliverBy) > `${period}-31`).toBe(true);
        },
      ),
    );
  });
});
