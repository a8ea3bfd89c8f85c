/**
 * Meter register values (domain.md §4.2): cumulative kWh shown with `digits` integer digits and `decimals`
 * decimal places, held as integer watt-hours. Parsing accepts what people type: "12345", "12345.6",
 * "12345,6", surrounding spaces.
 */
export interface RegisterShape {
  digits: number;
  decimals: number;
}

export type ValueProblem = 'VALUE_INVALID' | 'VALUE_NEGATIVE' | 'VALUE_TOO_LONG' | 'VALUE_PRECISION';

export type ParsedValue = { ok: true; wh: number } | { ok: false; problem: ValueProblem };

const NUMBER_RE = /^(-)?(\d+)(?:[.,](\d+))?$/;

export function parseRegisterValue(input: string | number, shape: RegisterShape): ParsedValue {
  const text = typeof input === 'number' ? numberToPlain(input) : input.trim().replace(/\s+/g, '');
  if (text === undefined) return { ok: false, problem: 'VALUE_INVALID' };
  const m = NUMBER_RE.exec(text);
  if (!m) return { ok: false, problem: 'VALUE_INVALID' };
  if (m[1]) return { ok: false, problem: 'VALUE_NEGATIVE' };
  const intPart = (m[2] ?? '').replace(/^0+(?=\d)/, '');
  const fracRaw = (m[3] ?? '').replace(/0+$/, '');
  if (intPart.length > shape.digits) return { ok: false, problem: 'VALUE_TOO_LONG' };
  if (fracRaw.length > shape.decimals) return { ok: false, problem: 'VALUE_PRECISION' };
  const frac = fracRaw.padEnd(3, '0');
  return { ok: true, wh: Number(intPart) * 1000 + Number(frac) };
}

function numberToPlain(n: number): string | undefined {
  if (!Number.isFinite(n)) return undefined;
  // Up to 3 decimals are meaningful (Wh); toFixed avoids exponent notation.
  return Number.isInteger(n) ? String(n) : n.toFixed(6).replace(/0+$/, '');
}

/** The register modulus in Wh: a register of n digits rolls over at 10^n kWh. */
export function registerModulusWh(shape: RegisterShape): number {
  return 10 ** shape.digits * 1000;
}

/** Renders Wh as the register shows it: "12345.6" for one decimal. */
export function formatRegisterValue(wh: number, decimals: number): string {
  const kwh = Math.floor(wh / 1000);
  if (decimals === 0) return String(kwh);
  const frac = String(wh % 1000)
    .padStart(3, '0')
    .slice(0, decimals);
  return `${kwh}.${frac}`;
}

/** Renders Wh as kWh with up to 3 decimals, trailing zeros dropped: 62500 → "62.5". */
export function formatKwh(wh: number): string {
  const sign = wh < 0 ? '-' : '';
  const abs = Math.abs(wh);
  const frac = String(abs % 1000)
    .padStart(3, '0')
    .replace(/0+$/, '');
  return `${sign}${Math.floor(abs / 1000)}${frac ? `.${frac}` : ''}`;
}
