/**
 * Kopeck arithmetic (design.md "Naming and money"; domain.md §6.3): money in integer kopecks, energy in
 * integer watt-hours, prices in integer kopecks per kWh. A bill line is `volume × price` rounded to the
 * kopeck half up (§6.3). All products go through BigInt, so no floating-point error creeps in, however
 * large the numbers. Parsing "7.87" RUB into kopecks is `parseFixedPoint(text, 2)` in fixed-point.ts.
 */

/**
 * `numerator / denominator` rounded to the nearest integer, halves away from zero (denominator > 0).
 * "Half up" of §6.3 for a charge; a credit (negative volume, §6.4) rounds as the mirror image of the
 * charge it cancels, so −100.005 → −100.01 and a charge and its reversal add up to zero.
 */
export function divideRoundHalfUp(numerator: bigint, denominator: bigint): bigint {
  if (denominator <= 0n) throw new RangeError('the denominator must be positive');
  const negative = numerator < 0n;
  const abs = negative ? -numerator : numerator;
  const rounded = (2n * abs + denominator) / (2n * denominator);
  return negative ? -rounded : rounded;
}

/** Converts an exact BigInt result back to a number, refusing anything beyond 2^53. */
export function toSafeNumber(value: bigint): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new RangeError(`${value} is beyond the safe integer range`);
  }
  return Number(value);
}

function requireInteger(name: string, value: number): bigint {
  if (!Number.isSafeInteger(value)) throw new RangeError(`${name} must be a safe integer, got ${value}`);
  return BigInt(value);
}

/**
 * §6.3 the amount of one bill line: `wh × priceKopecksPerKwh / 1000` kopecks, rounded half up.
 * E6: 60,000 Wh × 1124 = 674.40 RUB → 67,440 kopecks.
 */
export function chargeKopecks(wh: number, priceKopecksPerKwh: number): number {
  const product = requireInteger('wh', wh) * requireInteger('priceKopecksPerKwh', priceKopecksPerKwh);
  return toSafeNumber(divideRoundHalfUp(product, 1000n));
}

/** Sums kopeck amounts exactly (throws rather than silently losing precision past 2^53). */
export function sumKopecks(amounts: readonly number[]): number {
  let total = 0n;
  for (const a of amounts) total += requireInteger('amount', a);
  return toSafeNumber(total);
}

export type MoneyLocale = 'ru' | 'en';

export interface FormatMoneyOptions {
  /** Show the currency: "₽" after the number in Russian, "RUB " before it in English. Default true. */
  currency?: boolean;
}

/** No-break space: a Russian amount never wraps between its thousands or before "₽". */
const NBSP = '\u00a0';

/**
 * Renders kopecks for people. Russian: "1 790,70 ₽" (no-break spaces between thousands and before ₽,
 * decimal comma, as on Russian bills); English: "1,790.70" (comma thousands, decimal point), with
 * "RUB 1,790.70" when the currency is asked for. Always two decimals; a minus sign for credits.
 */
export function formatMoney(
  kopecks: number,
  locale: MoneyLocale = 'ru',
  options: FormatMoneyOptions = {},
): string {
  const value = requireInteger('kopecks', kopecks);
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const rubles = (abs / 100n).toString();
  const cents = (abs % 100n).toString().padStart(2, '0');
  const groupSeparator = locale === 'ru' ? NBSP : ',';
  const decimalSeparator = locale === 'ru' ? ',' : '.';
  const grouped = rubles.replace(/\B(?=(\d{3})+(?!\d))/g, groupSeparator);
  const number = `${negative ? '-' : ''}${grouped}${decimalSeparator}${cents}`;
  if (options.currency === false) return number;
  return locale === 'ru' ? `${number}${NBSP}₽` : `RUB ${number}`;
}
