/**
 * Exact decimal text ↔ integer units, without floating point (design.md "Naming and money": money in
 * integer kopecks, energy in integer watt-hours). "7.87" RUB → 787 kopecks (2 decimals); "0.683" kWh →
 * 683 Wh (3 decimals). Accepts what people type: a comma or a dot, surrounding spaces.
 */
export type FixedPointProblem = 'NOT_A_NUMBER' | 'NEGATIVE' | 'TOO_PRECISE' | 'TOO_LARGE';

export type FixedPoint = { ok: true; value: number } | { ok: false; problem: FixedPointProblem };

const NUMBER_RE = /^(-)?(\d+)(?:[.,](\d+))?$/;

/** Parses a non-negative decimal into integer units of 10^-decimals; at most `maxValue` units. */
export function parseFixedPoint(
  input: string | number,
  decimals: number,
  maxValue = Number.MAX_SAFE_INTEGER,
): FixedPoint {
  const text = typeof input === 'number' ? plain(input) : input.trim();
  if (text === undefined) return { ok: false, problem: 'NOT_A_NUMBER' };
  const m = NUMBER_RE.exec(text);
  if (!m) return { ok: false, problem: 'NOT_A_NUMBER' };
  if (m[1] && /[1-9]/.test(`${m[2]}${m[3] ?? ''}`)) return { ok: false, problem: 'NEGATIVE' };
  const fraction = (m[3] ?? '').replace(/0+$/, '');
  if (fraction.length > decimals) return { ok: false, problem: 'TOO_PRECISE' };
  const whole = (m[2] ?? '').replace(/^0+(?=\d)/, '');
  if (whole.length > 15) return { ok: false, problem: 'TOO_LARGE' };
  const value = Number(whole) * 10 ** decimals + Number(fraction.padEnd(decimals, '0') || '0');
  if (!Number.isSafeInteger(value) || value > maxValue) return { ok: false, problem: 'TOO_LARGE' };
  return { ok: true, value };
}

/** Renders integer units with exactly `decimals` places: (787, 2) → "7.87", (74000, 3) → "74.000". */
export function formatFixedPoint(value: number, decimals: number): string {
  const sign = value < 0 ? '-' : '';
  const abs = Math.abs(value);
  if (decimals === 0) return `${sign}${abs}`;
  const scale = 10 ** decimals;
  return `${sign}${Math.floor(abs / scale)}.${String(abs % scale).padStart(decimals, '0')}`;
}

function plain(n: number): string | undefined {
  if (!Number.isFinite(n)) return undefined;
  return Number.isInteger(n) ? String(n) : n.toFixed(9).replace(/0+$/, '');
}
