import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BillPayee } from './bill-document.ts';
import type { TariffRate } from './charges.ts';
import { billHouse, type HouseBillingAccount, type HouseBillingInput } from './house-billing.ts';
import { addPeriods } from './period.ts';
import type { BilledVolume, ReadingPoint } from './volume-history.ts';

const PARAMS = {
  averagePeriods: 6,
  averageMinPeriods: 3,
  averageMaxConsecutive: 6,
  failedMeterAveragePeriods: 3,
  raisingCoefficient: '1.5',
  normPricedSingleRate: true,
};
const PAYEE: BillPayee = {
  name: 'АО «Энергосбыт»',
  inn: '7700000000',
  kpp: '770001001',
  bankName: 'ПАО Сбербанк',
  bic: '044525225',
  personalAcc: '40702810900000000001',
  correspAcc: '30101810400000000225',
  phone: null,
  email: null,
  address: null,
};
// Prices in whole roubles per kWh: 1 Wh costs a whole number of kopecks, so sums compare exactly.
const rate = (
  meterType: TariffRate['meterType'],
  zone: TariffRate['zone'],
  priceKopecks: number,
): TariffRate => ({
  category: 'gas_stove',
  meterType,
  zone,
  rangeFromKwh: 0,
  rangeToKwh: null,
  priceKopecks,
  effectiveFrom: '2020-01-01',
});
const TARIFFS = [
  rate('single', 'single', 3000),
  rate('two_zone', 'day', 1000),
  rate('two_zone', 'night', 2000),
];
const ZONE_NAMES = { '1': ['single'], '2': ['day', 'night'], '3': ['peak', 'night', 'half_peak'] };

function house(
  period: string,
  zones: number,
  o: { readingWh: number[] | null; previous: ReadingPoint; history: BilledVolume[]; consecutive: number },
): HouseBillingInput {
  const account: HouseBillingAccount = {
    facts: {
      accountId: 1,
      number: '1000000001',
      payerName: 'Иванов И. И.',
      address: 'г. Москва, ул. Тестовая, д. 1, кв. 1',
      premisesNumber: '1',
      areaCentiM2: 5000,
      rooms: 2,
      residents: 2,
      category: 'gas_stove',
      payee: PAYEE,
    },
    meterId: 1,
    premisesId: '1',
    residential: true,
    meter: { serial: 'SN1', zones, previous: null, current: null },
    volume: {
      period,
      meter: {
        zones,
        digits: 6,
        decimals: 0,
        status: 'active',
        commissionedOn: '2020-01-10',
        nextVerificationOn: '2036-01-01',
        failedOn: null,
      },
      readingWh: o.readingWh,
      previousActual: o.previous,
      history: o.history,
      consecutiveEstimated: o.consecutive,
      residents: 2,
      normWhPerPerson: 74_000,
      params: PARAMS,
    },
  };
  return {
    period,
    regionCode: 'moscow',
    formedOn: '2026-01-02',
    deliverBy: '2026-01-05',
    dueDate: '2026-01-15',
    house: {
      id: 1,
      mode: 'none',
      totalAreaCentiM2: 5000,
      commonAreaCentiM2: 0,
      commonMeter: { kind: 'none' },
      tariffCategory: 'gas_stove',
    },
    commonNormWhPerM2: null,
    accounts: [account],
    tariffs: TARIFFS,
    tariffChange: 'by_days',
    zoneNames: ZONE_NAMES,
  };
}

describe('true-up over any sequence of months (§6.4)', () => {
  it('what the bills charge up to the last reading is the measured consumption × price, to the kopeck', () => {
    const month = fc.record({
      // Wh per zone consumed this month (up to 900 kWh), and whether a reading was submitted.
      wh: fc.array(fc.integer({ min: 0, max: 900_000 }), { minLength: 2, maxLength: 2 }),
      read: fc.boolean(),
    });
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 }),
        fc.array(month, { minLength: 1, maxLength: 20 }),
        (zones, months) => {
          const register = new Array<number>(zones).fill(0);
          let previous: ReadingPoint = { period: '2024-12', valuesWh: [...register], kind: 'commissioning' };
          const history: BilledVolume[] = [];
          let consecutive = 0;
          let charged = 0;
          let chargedAtLastReading = 0;
          let measuredAtLastReading = 0;
          for (const [i, m] of months.entries()) {
            const period = addPeriods('2025-01', i);
            for (let z = 0; z < zones; z++) register[z] = (register[z] ?? 0) + (m.wh[z] ?? 0);
            const r = billHouse(
              house(period, zones, {
                readingWh: m.read ? [...register] : null,
                previous,
                history,
                consecutive,
              }),
            );
            expect(r.problems).toEqual([]);
            const bill = r.bills[0];
            if (!bill) throw new Error('no bill');
            charged += bill.document.totals.chargedKopecks;
            history.push(bill.decision.historyEntry);
            consecutive = bill.decision.source === 'actual' ? 0 : consecutive + 1;
            if (m.read) {
              previous = { period, valuesWh: [...register], kind: 'reading' };
              chargedAtLastReading = charged;
              // Day at 10.00, night at 20.00 (two zones); 30.00 single-rate: kopecks per Wh = price / 1000.
              measuredAtLastReading = register.reduce(
                (s, wh, z) => s + wh * (zones === 1 ? 3 : z === 0 ? 1 : 2),
                0,
              );
            }
          }
          expect(chargedAtLastReading).toBe(measuredAtLastReading);
        },
      ),
      { numRuns: 200 },
    );
  });
});
