import { describe, expect, it } from 'vitest';
import { formatFixedPoint, parseFixedPoint } from './fixed-point.ts';

describe('exact decimals: rubles → kopecks, kWh → Wh', () => {
  it.each([
    ['7.87', 2, 787],
    ['7,87', 2, 787],
    [' 11.24 ', 2, 1124],
    ['4.080', 2, 408],
    ['8', 2, 800],
    ['0.683', 3, 683],
    ['74', 3, 74_000],
    ['0', 3, 0],
    ['-0', 2, 0],
    [7.87, 2, 787],
    [0.1 + 0.2, 3, 300],
  ])('%s with %i decimals → %i', (text, decimals, value) => {
    expect(parseFixedPoint(text, decimals)).toEqual({ ok: true, value });
  });

  it.each([
    ['7.875', 2, 'TOO_PRECISE'],
    ['-1', 2, 'NEGATIVE'],
    ['1e3', 2, 'NOT_A_NUMBER'],
    ['', 2, 'NOT_A_NUMBER'],
    ['7.', 2, 'NOT_A_NUMBER'],
    ['1 000', 2, 'NOT_A_NUMBER'],
    ['9999999999999999', 0, 'TOO_LARGE'],
  ])('%s with %i decimals → %s', (text, decimals, problem) => {
    expect(parseFixedPoint(text, decimals)).toEqual({ ok: false, problem });
  });

  it('refuses values above the given maximum', () => {
    expect(parseFixedPoint('21474836.48', 2, 2_147_483_647)).toEqual({ ok: false, problem: 'TOO_LARGE' });
    expect(parseFixedPoint('21474836.47', 2, 2_147_483_647)).toEqual({ ok: true, value: 2_147_483_647 });
  });

  it('formats back', () => {
    expect(formatFixedPoint(787, 2)).toBe('7.87');
    expect(formatFixedPoint(5, 2)).toBe('0.05');
    expect(formatFixedPoint(74_000, 3)).toBe('74.000');
    expect(formatFixedPoint(-150, 2)).toBe('-1.50');
    expect(formatFixedPoint(42, 0)).toBe('42');
  });
});
