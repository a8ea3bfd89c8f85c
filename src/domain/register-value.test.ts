import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatKwh, formatRegisterValue, parseRegisterValue, registerModulusWh } from './register-value.ts';

describe('register values (§4.2) as integer watt-hours', () => {
  it('format → parse is the identity for every value the register can show', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 4, max: 9 }),
        fc.integer({ min: 0, max: 3 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (digits, decimals, x) => {
          const step = 10 ** (3 - decimals);
          const max = registerModulusWh({ digits, decimals }) / step - 1;
          const wh = Math.floor(x * max) * step;
          const text = formatRegisterValue(wh, decimals);
          expect(parseRegisterValue(text, { digits, decimals })).toEqual({ ok: true, wh });
          expect(parseRegisterValue(text.replace('.', ','), { digits, decimals })).toEqual({ ok: true, wh });
        },
      ),
    );
  });

  it('anything with more integer digits than the register is refused', () => {
    fc.assert(
      fc.property(fc.integer({ min: 4, max: 8 }), fc.integer({ min: 1, max: 9 }), (digits, lead) => {
        const text = String(lead) + '0'.repeat(digits);
        expect(parseRegisterValue(text, { digits, decimals: 0 })).toEqual({
          ok: false,
          problem: 'VALUE_TOO_LONG',
        });
      }),
    );
  });

  it('numbers given as JSON numbers parse like their text', () => {
    expect(parseRegisterValue(12345.6, { digits: 5, decimals: 1 })).toEqual({ ok: true, wh: 12_345_600 });
    // Binary floating-point noise below a micro-kWh is not a digit anybody typed.
    expect(parseRegisterValue(0.1 + 0.2, { digits: 5, decimals: 3 })).toEqual({ ok: true, wh: 300 });
    expect(parseRegisterValue(1.2345, { digits: 5, decimals: 3 })).toEqual({
      ok: false,
      problem: 'VALUE_PRECISION',
    });
    expect(parseRegisterValue(Number.NaN, { digits: 5, decimals: 0 })).toEqual({
      ok: false,
      problem: 'VALUE_INVALID',
    });
  });

  it('kWh text', () => {
    expect(formatKwh(62_500)).toBe('62.5');
    expect(formatKwh(-100_000)).toBe('-100');
    expect(formatKwh(6_830)).toBe('6.83');
  });
});
