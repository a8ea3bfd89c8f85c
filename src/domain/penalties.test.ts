import { describe, expect, it } from 'vitest';
import { type PenaltyRules, penaltyFor, penaltyRateBp } from './penalties.ts';

const rules = (o: Partial<PenaltyRules> = {}): PenaltyRules => ({
  graceDays: 30,
  firstUntilDay: 90,
  divisors: { first: 300, after: 130 },
  keyRateBp: () => 950,
  capBp: () => null,
  moratoria: [],
  ...o,
});

describe('§10 penalties', () => {
  it('E7: 3,000.00 due 15.04.2026 paid 13.08.2026 (day 120) at 9.5 % → 57.00 + 65.77 = 122.77', () => {
    const r = penaltyFor(
      { dueDate: '2026-04-15', payments: [{ on: '2026-08-13', amountKopecks: 300_000 }], openKopecks: 0 },
      '2026-08-31',
      rules(),
    );
    expect(r.kopecks).toBe(12_277);
    expect(r.segments.map((s) => [s.from, s.to, s.days, s.divisor])).toEqual([
      ['2026-05-16', '2026-07-14', 60, 300],
      ['2026-07-15', '2026-08-13', 30, 130],
    ]);
  });

  it('E7: paid by day 30 → 0; day 31 accrues one day', () => {
    const item = (on: string) => ({
      dueDate: '2026-04-15',
      payments: [{ on, amountKopecks: 300_000 }],
      openKopecks: 0,
    });
    expect(penaltyFor(item('2026-05-15'), '2026-08-31', rules()).kopecks).toBe(0);
    // 3,000 × 0.095 / 300 = 0.95
    expect(penaltyFor(item('2026-05-16'), '2026-08-31', rules()).kopecks).toBe(95);
  });

  it('an open debt accrues through the calculation day at that day’s rate; nothing before day 31', () => {
    const open = { dueDate: '2026-04-15', payments: [], openKopecks: 300_000 };
    expect(penaltyFor(open, '2026-05-15', rules()).kopecks).toBe(0);
    expect(penaltyFor(open, '2026-08-13', rules()).kopecks).toBe(12_277);
  });

  it('partial payments: each slice until its own payment day', () => {
    // 1,000 paid on day 40 (10 days × 1/300), 2,000 open until day 120.
    const r = penaltyFor(
      {
        dueDate: '2026-04-15',
        payments: [{ on: '2026-05-25', amountKopecks: 100_000 }],
        openKopecks: 200_000,
      },
      '2026-08-13',
      rules(),
    );
    // 1000×0.095×10/300 = 3.1667; 2000×0.095×(60/300 + 30/130) = 38 + 43.846 = 81.846 → 85.01
    expect(r.kopecks).toBe(8_501);
  });

  it('the rate is the key rate under the cap: 7.5 % is used below a 9.5 % cap, no cap after 2026', () => {
    const keyRateBp = (d: string) => (d < '2027-01-01' ? 750 : 1600);
    const capBp = (d: string) => (d < '2027-01-01' ? 950 : null);
    expect(penaltyRateBp('2026-06-01', { keyRateBp, capBp })).toBe(750);
    expect(penaltyRateBp('2027-02-01', { keyRateBp, capBp })).toBe(1600);
    expect(penaltyRateBp('2026-06-01', { keyRateBp: () => 2100, capBp: () => 950 })).toBe(950);
  });

  it('moratorium days accrue nothing; the 2022 one only for debts due before 01.04.2022', () => {
    const moratoria = [{ from: '2022-04-01', to: '2022-10-01', debtBefore: '2022-04-01' }];
    const old = { dueDate: '2022-02-10', payments: [], openKopecks: 100_000 };
    const fresh = { dueDate: '2022-04-10', payments: [], openKopecks: 100_000 };
    expect(penaltyFor(old, '2022-09-30', rules({ moratoria })).kopecks).toBe(
      penaltyFor(old, '2022-03-31', rules({ moratoria })).kopecks,
    );
    expect(penaltyFor(fresh, '2022-09-30', rules({ moratoria })).kopecks).toBeGreaterThan(0);
  });
});
