import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocateByWeights, allocateCapped } from './allocation.ts';

const total = fc.integer({ min: 0, max: 10 ** 12 });
const weights = fc
  .array(fc.integer({ min: 0, max: 10 ** 6 }), { minLength: 1, maxLength: 30 })
  .filter((w) => w.some((x) => x > 0));

/** |part − total·w/W| < 1, checked exactly as |part·W − total·w| < W. */
function withinOne(part: number, t: number, w: number, sum: number): boolean {
  const diff = BigInt(part) * BigInt(sum) - BigInt(t) * BigInt(w);
  return (diff < 0n ? -diff : diff) < BigInt(sum);
}

describe('largest-remainder allocation (design.md "parts add up exactly"; §7)', () => {
  it.each([
    ['E4 full: 250 kWh over 50/70/80 m²', 250_000, [5000, 7000, 8000], [62_500, 87_500, 100_000]],
    ['E4 capped: 27.32 kWh over 50/70/80 m²', 27_320, [5000, 7000, 8000], [6_830, 9_562, 10_928]],
    ['one third each: the odd unit goes to the first', 100, [1, 1, 1], [34, 33, 33]],
    ['two odd units: the first two', 101, [1, 1, 1], [34, 34, 33]],
    ['largest remainder wins over position', 10, [1, 2, 4], [1, 3, 6]],
    ['a zero weight gets nothing', 7, [0, 3, 0, 4], [0, 3, 0, 4]],
    ['250 kWh by days 15 + 15', 250_000, [15, 15], [125_000, 125_000]],
    ['100 Wh by days 15 + 16 of a 31-day month', 100, [15, 16], [48, 52]],
    ['nothing to share', 0, [0, 0], [0, 0]],
  ])('%s', (_name, t, w, parts) => {
    expect(allocateByWeights(t, w)).toEqual(parts);
  });

  it('a negative total splits as the mirror of the positive one', () => {
    expect(allocateByWeights(-100, [1, 1, 1])).toEqual([-34, -33, -33]);
    expect(allocateByWeights(-7, [0, 1])).toEqual([0, -7]);
  });

  it('refuses what it cannot share exactly', () => {
    expect(() => allocateByWeights(1, [0, 0])).toThrow(RangeError);
    expect(() => allocateByWeights(1, [1.5, 2])).toThrow(RangeError);
    expect(() => allocateByWeights(1, [-1, 2])).toThrow(RangeError);
    expect(() => allocateByWeights(0.5, [1])).toThrow(RangeError);
  });

  it('parts add up exactly to the total', () => {
    fc.assert(
      fc.property(total, weights, (t, w) => {
        expect(allocateByWeights(t, w).reduce((a, b) => a + b, 0)).toBe(t);
      }),
    );
  });

  it('each part is within 1 of its exact share', () => {
    fc.assert(
      fc.property(total, weights, (t, w) => {
        const sum = w.reduce((a, b) => a + b, 0);
        allocateByWeights(t, w).forEach((p, i) => {
          expect(withinOne(p, t, w[i] ?? 0, sum)).toBe(true);
        });
      }),
    );
  });

  it('a larger weight never gets a smaller part; equal weights differ by at most 1', () => {
    fc.assert(
      fc.property(total, weights, (t, w) => {
        const parts = allocateByWeights(t, w);
        for (let i = 0; i < w.length; i++) {
          for (let j = 0; j < w.length; j++) {
            const [wi, wj, pi, pj] = [w[i] ?? 0, w[j] ?? 0, parts[i] ?? 0, parts[j] ?? 0];
            if (wi > wj) expect(pi).toBeGreaterThanOrEqual(pj);
            if (wi === wj) expect(Math.abs(pi - pj)).toBeLessThanOrEqual(1);
          }
        }
      }),
    );
  });

  it('is deterministic and does not depend on anything but its input', () => {
    fc.assert(
      fc.property(total, weights, (t, w) => {
        expect(allocateByWeights(t, [...w])).toEqual(allocateByWeights(t, w));
      }),
    );
  });

  it('scaling all weights by the same factor changes nothing (m² or hundredths of m²)', () => {
    fc.assert(
      fc.property(total, weights, fc.integer({ min: 2, max: 100 }), (t, w, k) => {
        expect(
          allocateByWeights(
            t,
            w.map((x) => x * k),
          ),
        ).toEqual(allocateByWeights(t, w));
      }),
    );
  });
});

describe('capped allocation (§7 capped mode)', () => {
  it('E4: 250 kWh against a 27.32 kWh house cap', () => {
    expect(allocateCapped(250_000, [5000, 7000, 8000], 27_320)).toEqual({
      parts: [6_830, 9_562, 10_928],
      allocated: 27_320,
      excess: 222_680,
    });
  });

  it('under the cap everything is allocated', () => {
    expect(allocateCapped(20_000, [5000, 7000, 8000], 27_320)).toEqual({
      parts: [5_000, 7_000, 8_000],
      allocated: 20_000,
      excess: 0,
    });
  });

  it('parts and excess add up to the total, parts to at most the cap', () => {
    fc.assert(
      fc.property(total, weights, fc.integer({ min: 0, max: 10 ** 12 }), (t, w, cap) => {
        const r = allocateCapped(t, w, cap);
        expect(r.parts.reduce((a, b) => a + b, 0) + r.excess).toBe(t);
        expect(r.allocated).toBeLessThanOrEqual(cap);
        expect(r.excess).toBeGreaterThanOrEqual(0);
      }),
    );
  });
});
