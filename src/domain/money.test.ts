import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chargeKopecks, divideRoundHalfUp, formatMoney, sumKopecks } from './money.ts';

const NBSP = '\u00a0';

describe('§6.3 a bill line: Wh × kopecks per kWh, rounded to the kopeck half up', () => {
  it.each([
    ['E6 peak 60 × 11.24', 60_000, 1124, 67_440],
    ['E6 half-peak 90 × 7.87', 90_000, 787, 70_830],
    ['E6 night 100 × 4.08', 100_000, 408, 40_800],
    ['E6 single 250 × 7.87', 250_000, 787, 196_750],
    ['E1 200 × 8.00', 200_000, 800, 160_000],
    ['E4 capped 9.562 × 8.00 = 76.496 → 76.50', 9_562, 800, 7_650],
    ['E4 capped 10.928 × 8.00 = 87.424 → 87.42', 10_928, 800, 8_742],
    ['exactly half a kopeck rounds up: 0.5 kWh × 0.01 = 0.005', 500, 1, 1],
    ['just under half rounds down: 0.499 kWh × 0.01', 499, 1, 0],
    ['1.5 kWh × 7.87 = 11.805 → 11.81', 1_500, 787, 1_181],
    ['zero', 0, 787, 0],
  ])('%s', (_name, wh, price, kopecks) => {
    expect(chargeKopecks(wh, price)).toBe(kopecks);
  });

  it('a credit rounds as the mirror of the charge, so the two cancel', () => {
    expect(chargeKopecks(-1_500, 787)).toBe(-1_181);
    expect(chargeKopecks(-100_000, 800)).toBe(-80_000); // E1: −100 kWh = −800.00
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 ** 9 }), fc.integer({ min: 1, max: 10 ** 5 }), (wh, price) => {
        expect(chargeKopecks(wh, price) + chargeKopecks(-wh, price)).toBe(0);
      }),
    );
  });

  it('is exact where floating point is not (large volumes, .5 boundaries)', () => {
    // 4.5 billion kWh and 5 Wh at 1 kopeck; 9 billion kWh at 9.99: the products exceed 2^53.
    expect(chargeKopecks(4_500_000_000_005, 1)).toBe(4_500_000_000);
    expect(chargeKopecks(9_007_199_254_740, 999)).toBe(8_998_192_055_485);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 ** 7 }), fc.integer({ min: 1, max: 10 ** 5 }), (wh, price) => {
        const exact = BigInt(wh) * BigInt(price);
        const k = BigInt(chargeKopecks(wh, price));
        // |1000·k − wh·price| ≤ 500, with the half going up.
        expect(1000n * k - exact <= 500n && exact - 1000n * k < 500n).toBe(true);
      }),
    );
  });

  it('refuses non-integers and results past 2^53', () => {
    expect(() => chargeKopecks(1.5, 787)).toThrow(RangeError);
    expect(() => chargeKopecks(1000, 7.87)).toThrow(RangeError);
    expect(() => chargeKopecks(Number.MAX_SAFE_INTEGER, 2000)).toThrow(RangeError);
  });

  it('divides with halves away from zero', () => {
    expect(divideRoundHalfUp(5n, 2n)).toBe(3n);
    expect(divideRoundHalfUp(-5n, 2n)).toBe(-3n);
    expect(divideRoundHalfUp(7n, 3n)).toBe(2n);
    expect(() => divideRoundHalfUp(1n, 0n)).toThrow(RangeError);
  });

  it('sums kopecks exactly', () => {
    expect(sumKopecks([67_440, 70_830, 40_800])).toBe(179_070);
    expect(sumKopecks([])).toBe(0);
  });
});

describe('formatting amounts for people', () => {
  it.each([
    [179_070, `1${NBSP}790,70${NBSP}₽`, '1,790.70'],
    [0, `0,00${NBSP}₽`, '0.00'],
    [5, `0,05${NBSP}₽`, '0.05'],
    [178_144, `1${NBSP}781,44${NBSP}₽`, '1,781.44'],
    [123_456_789_012, `1${NBSP}234${NBSP}567${NBSP}890,12${NBSP}₽`, '1,234,567,890.12'],
    [-80_000, `-800,00${NBSP}₽`, '-800.00'],
  ])('%i kopecks: "%s" / "%s"', (kopecks, ru, en) => {
    expect(formatMoney(kopecks, 'ru')).toBe(ru);
    expect(formatMoney(kopecks, 'en', { currency: false })).toBe(en);
  });

  it('shows the currency the way each language does, or not at all', () => {
    expect(formatMoney(179_070)).toBe(`1${NBSP}790,70${NBSP}₽`);
    expect(formatMoney(179_070, 'ru', { currency: false })).toBe(`1${NBSP}790,70`);
    expect(formatMoney(179_070, 'en')).toBe('RUB 1,790.70');
  });
});
