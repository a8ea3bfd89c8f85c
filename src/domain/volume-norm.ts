/**
 * The norm volume of domain.md §6.1 item 4: residents × norm, times the raising coefficient where the law
 * applies it. Exact arithmetic: one rounding, half up, to the watt-hour.
 */
import { divideRoundHalfUp, toSafeNumber } from './money.ts';

/**
 * A coefficient as an exact fraction. The law and the `parameter` table write coefficients as decimals
 * ("1.5"; earlier wordings had 1.1, 1.2, 1.4, 1.6). A binary float cannot hold 1.1 exactly, so
 * `norm × 1.1` could round the wrong way on a half; a decimal string parsed into numerator/10^k cannot.
 */
export interface Ratio {
  numerator: bigint;
  denominator: bigint;
}

export const ONE: Ratio = { numerator: 1n, denominator: 1n };

/** "1.5" (or 1.5, as the JSON parameter arrives) → 15/10. Refuses negatives and non-numbers. */
export function parseCoefficient(value: string | number): Ratio {
  const text = String(value).trim().replace(',', '.');
  const m = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m) throw new RangeError(`not a non-negative decimal coefficient: "${value}"`);
  const fraction = m[2] ?? '';
  return {
    numerator: BigInt(`${m[1]}${fraction}`),
    denominator: 10n ** BigInt(fraction.length),
  };
}

/** Renders a coefficient for an explanation: 15/10 → "1.5", 1/1 → "1". */
export function formatCoefficient(r: Ratio): string {
  const whole = r.numerator / r.denominator;
  let rest = r.numerator % r.denominator;
  if (rest === 0n) return String(whole);
  let digits = '';
  for (let i = 0; i < 18 && rest !== 0n; i++) {
    rest *= 10n;
    digits += String(rest / r.denominator);
    rest %= r.denominator;
  }
  return `${whole}.${digits}`;
}

export interface NormVolume {
  residents: number;
  normWhPerPerson: number;
  coefficient: string;
  /** residents × norm × coefficient, Wh, rounded half up once. */
  wh: number;
}

/**
 * §6.1 item 4 `residents × norm(...)` Wh, × the coefficient. E3: 3 × 60 kWh × 1.5 = 270 kWh. The norm
 * itself (by region, stove type, rooms, residents) is data the caller looks up; zero residents give zero
 * (domain.md is silent; 354 p.56(2) then bills by the owners — the caller passes that count as residents).
 */
export function normVolume(residents: number, normWhPerPerson: number, coefficient: Ratio = ONE): NormVolume {
  if (!Number.isSafeInteger(residents) || residents < 0) {
    throw new RangeError(`residents must be a non-negative integer, got ${residents}`);
  }
  if (!Number.isSafeInteger(normWhPerPerson) || normWhPerPerson < 0) {
    throw new RangeError(`the norm must be non-negative integer Wh, got ${normWhPerPerson}`);
  }
  const exact = BigInt(residents) * BigInt(normWhPerPerson) * coefficient.numerator;
  return {
    residents,
    normWhPerPerson,
    coefficient: formatCoefficient(coefficient),
    wh: toSafeNumber(divideRoundHalfUp(exact, coefficient.denominator)),
  };
}

/** One row of the norm table in force (§6.1 item 4): Wh per person by stove type × rooms × residents. */
export interface NormTableRow {
  stoveType: string;
  rooms: number;
  residents: number;
  whPerPerson: number;
}

/**
 * norm(region, stove type, rooms, residents) from the region's table in force, Wh per person. The tables
 * end with "4 rooms and more", "5 residents and more": larger flats take the last row. Zero residents need
 * no norm (0). Undefined when the table has no row for the stove type.
 */
export function normFromTable(
  table: readonly NormTableRow[],
  stoveType: string,
  rooms: number,
  residents: number,
): number | undefined {
  if (residents <= 0) return 0;
  const rows = table.filter((n) => n.stoveType === stoveType);
  if (rows.length === 0) return undefined;
  const maxRooms = Math.max(...rows.map((n) => n.rooms));
  const maxResidents = Math.max(...rows.map((n) => n.residents));
  const r = Math.min(Math.max(rooms, 1), maxRooms);
  const p = Math.min(residents, maxResidents);
  return rows.find((n) => n.rooms === r && n.residents === p)?.whPerPerson;
}
