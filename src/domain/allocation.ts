/**
 * Exact allocation of an integer total over integer weights by the largest-remainder (Hamilton) method
 * (design.md "allocations by largest remainder so parts add up exactly"; domain.md §7 "allocate in
 * watt-hours with the largest-remainder method", §6.3 zones pro rata within a range and a tariff change
 * by the days of the period).
 *
 * Weights are non-negative safe integers, so every share is an exact rational number: areas go in as
 * integer hundredths of a square metre (the registry keeps `numeric(12, 2)` m²; `parseFixedPoint(text, 2)`
 * turns "50.25" into 5025), days as day counts, volumes as watt-hours. The arithmetic is BigInt, so
 * `total × weight` never loses precision.
 *
 * The rule, for a total T ≥ 0 and weights w_i with sum W > 0:
 *  1. every part gets ⌊T·w_i / W⌋;
 *  2. the units still missing (fewer than the number of parts) go one each to the parts with the largest
 *     remainders T·w_i mod W;
 *  3. ties between equal remainders go to the part that comes first in the list. Callers pass parts in a
 *     stable, explainable order (premises by number, zones in register order, days in calendar order),
 *     so the same input always gives the same answer and an operator can say why a flat got the odd Wh.
 * Properties: parts add up to T exactly; each part differs from its exact share by less than 1; a larger
 * weight never gets a smaller part; a zero weight gets 0. A negative total is allocated as the mirror of
 * its absolute value (a credit splits exactly like the charge it reverses).
 */
import { toSafeNumber } from './money.ts';

function checkWeights(weights: readonly number[]): bigint[] {
  return weights.map((w, i) => {
    if (!Number.isSafeInteger(w) || w < 0) {
      throw new RangeError(`weight ${i} must be a non-negative safe integer, got ${w}`);
    }
    return BigInt(w);
  });
}

/** Splits `total` over `weights` by largest remainder; see the module comment for the exact rule. */
export function allocateByWeights(total: number, weights: readonly number[]): number[] {
  if (!Number.isSafeInteger(total)) throw new RangeError(`total must be a safe integer, got ${total}`);
  const w = checkWeights(weights);
  if (total < 0) return allocateByWeights(-total, weights).map((p) => (p === 0 ? 0 : -p));
  const sum = w.reduce((a, b) => a + b, 0n);
  if (sum === 0n) {
    if (total === 0) return weights.map(() => 0);
    throw new RangeError(`cannot allocate ${total} over weights that are all zero`);
  }
  const t = BigInt(total);
  const parts = w.map((wi) => (t * wi) / sum);
  const remainders = w.map((wi, i) => ({ i, r: (t * wi) % sum }));
  let missing = t - parts.reduce((a, b) => a + b, 0n);
  // Largest remainder first; equal remainders keep list order (Array.prototype.sort is stable).
  remainders.sort((a, b) => (a.r === b.r ? 0 : a.r > b.r ? -1 : 1));
  for (const { i } of remainders) {
    if (missing === 0n) break;
    parts[i] = (parts[i] ?? 0n) + 1n;
    missing -= 1n;
  }
  return parts.map(toSafeNumber);
}

/**
 * §7 capped mode: the total is first limited to `cap`, then allocated by weight; what is over the cap is
 * returned as `excess` (the management company's part). Capping the total — not each part after
 * allocating — is exact when every part's cap is proportional to its weight (cap_i = cap × w_i / W, as in
 * §7), and it avoids the Alabama paradox of largest remainder, where rounding a larger total could give
 * one part a unit less than rounding the smaller one, making "min(part, part's cap)" lose a unit.
 */
export function allocateCapped(
  total: number,
  weights: readonly number[],
  cap: number,
): { parts: number[]; allocated: number; excess: number } {
  if (!Number.isSafeInteger(cap) || cap < 0)
    throw new RangeError(`cap must be a non-negative safe integer, got ${cap}`);
  if (!Number.isSafeInteger(total) || total < 0) {
    throw new RangeError(`total must be a non-negative safe integer, got ${total}`);
  }
  const allocated = Math.min(total, cap);
  return { parts: allocateByWeights(allocated, weights), allocated, excess: total - allocated };
}
