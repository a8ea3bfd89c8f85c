import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  agreementState,
  chargeableResidents,
  debtEligibility,
  equalInstalments,
  normMonthlyCharge,
  priceSingleRate,
} from './debt-eligibility.ts';
import type { NormTableRow } from './volume-norm.ts';

/** The gas-stove norm table of E2/E3: 100, 74, 60, 50, 45 kWh per person for 1…5 residents, any rooms. */
const NORMS: NormTableRow[] = [1, 2, 3, 4].flatMap((rooms) =>
  [100, 74, 60, 50, 45].map((kwh, i) => ({
    stoveType: 'gas',
    rooms,
    residents: i + 1,
    whPerPerson: kwh * 1000,
  })),
);
const SINGLE_800 = [{ rangeFromKwh: 0, rangeToKwh: null, priceKopecks: 800 }];

describe('§11 norm-based monthly charge', () => {
  it('E8: 2 residents × 74 kWh × 8.00 = 1,184.00', () => {
    const c = normMonthlyCharge({
      residents: 2,
      rooms: 2,
      stoveType: 'gas',
      norms: NORMS,
      schedule: SINGLE_800,
    });
    expect(c).toEqual({ residents: 2, normWhPerPerson: 74_000, volumeWh: 148_000, kopecks: 118_400 });
  });

  it('an empty flat counts as one person (max(1, residents)): 1 × 100 × 8.00 = 800.00', () => {
    expect(chargeableResidents(0)).toBe(1);
    const c = normMonthlyCharge({
      residents: 0,
      rooms: 1,
      stoveType: 'gas',
      norms: NORMS,
      schedule: SINGLE_800,
    });
    expect(c?.kopecks).toBe(80_000);
  });

  it('large flats take the last row of the table (5+ residents, 4+ rooms)', () => {
    const c = normMonthlyCharge({
      residents: 7,
      rooms: 6,
      stoveType: 'gas',
      norms: NORMS,
      schedule: SINGLE_800,
    });
    expect(c).toMatchObject({ residents: 7, normWhPerPerson: 45_000, volumeWh: 315_000, kopecks: 252_000 });
  });

  it('no norm row for the stove type or no tariff → undefined (reported, not judged)', () => {
    expect(
      normMonthlyCharge({
        residents: 2,
        rooms: 2,
        stoveType: 'electric',
        norms: NORMS,
        schedule: SINGLE_800,
      }),
    ).toBeUndefined();
    expect(
      normMonthlyCharge({ residents: 2, rooms: 2, stoveType: 'gas', norms: NORMS, schedule: [] }),
    ).toBeUndefined();
  });

  it('volume ranges price the norm volume in order, one rounding per range (§6.3)', () => {
    const ranges = [
      { rangeFromKwh: 100, rangeToKwh: null, priceKopecks: 1001 },
      { rangeFromKwh: 0, rangeToKwh: 100, priceKopecks: 787 },
    ];
    // 148 kWh: 100 × 7.87 = 787.00 + 48 × 10.01 = 480.48 → 1,267.48
    expect(priceSingleRate(148_000, ranges)).toBe(126_748);
    // half up: 1 Wh × 5.00 RUB/kWh = 0.5 kopeck → 1 kopeck; 333 Wh × 8.00 = 2.664 RUB → 2.66
    expect(priceSingleRate(1, [{ rangeFromKwh: 0, rangeToKwh: null, priceKopecks: 500 }])).toBe(1);
    expect(priceSingleRate(333, SINGLE_800)).toBe(266);
  });
});

describe('§11 eligibility', () => {
  it('E8: threshold 2 × 1,184.00 = 2,368.00; a debt of 2,500.00 qualifies', () => {
    const r = debtEligibility({
      overdueKopecks: 250_000,
      normMonthlyChargeKopecks: 118_400,
      thresholdMonths: 2,
      agreementInForce: false,
    });
    expect(r).toEqual({ eligible: true, reason: 'eligible', thresholdKopecks: 236_800 });
  });

  it('the debt must exceed the threshold: exactly 2,368.00 does not qualify, 2,368.01 does', () => {
    const base = { normMonthlyChargeKopecks: 118_400, thresholdMonths: 2, agreementInForce: false };
    expect(debtEligibility({ ...base, overdueKopecks: 236_800 }).eligible).toBe(false);
    expect(debtEligibility({ ...base, overdueKopecks: 236_801 }).eligible).toBe(true);
  });

  it('a repayment agreement in force makes no account eligible', () => {
    const r = debtEligibility({
      overdueKopecks: 1_000_000,
      normMonthlyChargeKopecks: 118_400,
      thresholdMonths: 2,
      agreementInForce: true,
    });
    expect(r).toEqual({ eligible: false, reason: 'agreement_in_force', thresholdKopecks: 236_800 });
  });

  it('a decimal threshold parameter is exact (2.5 × 1,184.00 = 2,960.00) and half up', () => {
    expect(
      debtEligibility({
        overdueKopecks: 0,
        normMonthlyChargeKopecks: 118_400,
        thresholdMonths: '2.5',
        agreementInForce: false,
      }).thresholdKopecks,
    ).toBe(296_000);
    expect(
      debtEligibility({
        overdueKopecks: 0,
        normMonthlyChargeKopecks: 3,
        thresholdMonths: '1.5',
        agreementInForce: false,
      }).thresholdKopecks,
    ).toBe(5); // 4.5 → 5
  });

  it('property: eligible ⇔ overdue > threshold ∧ no agreement', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1_000_000, max: 10_000_000 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: 1, max: 6 }),
        fc.boolean(),
        (overdue, norm, months, agreement) => {
          const r = debtEligibility({
            overdueKopecks: overdue,
            normMonthlyChargeKopecks: norm,
            thresholdMonths: months,
            agreementInForce: agreement,
          });
          expect(r.thresholdKopecks).toBe(norm * months);
          expect(r.eligible).toBe(overdue > norm * months && !agreement);
        },
      ),
    );
  });
});

describe('repayment agreement in force', () => {
  const plan = equalInstalments(300_000, 3, '2026-07-15');

  it('equal instalments add up exactly, monthly on the same day (month end when shorter)', () => {
    expect(plan).toEqual([
      { dueDate: '2026-07-15', amountKopecks: 100_000 },
      { dueDate: '2026-08-15', amountKopecks: 100_000 },
      { dueDate: '2026-09-15', amountKopecks: 100_000 },
    ]);
    const odd = equalInstalments(100_001, 3, '2026-01-31');
    expect(odd.map((i) => i.amountKopecks)).toEqual([33_334, 33_334, 33_333]);
    expect(odd.map((i) => i.dueDate)).toEqual(['2026-01-31', '2026-02-28', '2026-03-31']);
    expect(() => equalInstalments(100, 0, '2026-01-01')).toThrow(RangeError);
  });

  const facts = (paid: number) => ({
    signedOn: '2026-06-25',
    totalKopecks: 300_000,
    instalments: plan,
    paidSinceSigningKopecks: paid,
  });

  it('in force from signing, while instalments are paid', () => {
    expect(agreementState(facts(0), '2026-06-24', 5).status).toBe('not_yet_signed');
    expect(agreementState(facts(0), '2026-06-25', 5).status).toBe('in_force');
    expect(agreementState(facts(100_000), '2026-08-10', 5)).toEqual({
      status: 'in_force',
      arrearsKopecks: 0,
      nextDue: { dueDate: '2026-08-15', amountKopecks: 100_000 },
    });
  });

  it('broken when an instalment is overdue by more than the grace days', () => {
    // 15.07 due, unpaid: in force through 20.07 (5 days late), broken on 21.07.
    expect(agreementState(facts(0), '2026-07-20', 5).status).toBe('in_force');
    expect(agreementState(facts(0), '2026-07-21', 5)).toMatchObject({
      status: 'broken',
      arrearsKopecks: 100_000,
    });
    expect(agreementState(facts(99_999), '2026-07-21', 5)).toMatchObject({
      status: 'broken',
      arrearsKopecks: 1,
    });
  });

  it('completed when the total is paid; terminated by an operator', () => {
    expect(agreementState(facts(300_000), '2026-07-01', 5).status).toBe('completed');
    expect(agreementState({ ...facts(0), terminatedOn: '2026-07-01' }, '2026-07-01', 5).status).toBe(
      'terminated',
    );
  });
});
