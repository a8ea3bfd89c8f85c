/**
 * Seeded randomness for the demo city: the same seed gives the same city (never Math.random).
 * mulberry32 is a small, fast 32-bit generator; its quality is ample for demo data.
 */
export type Rng = () => number;

export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A 32-bit seed derived from several non-negative integers (each may exceed 2^32). */
export function mixSeed(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const p of parts) {
    const halves = [p >>> 0, Math.floor(p / 4294967296) >>> 0];
    for (const v of halves) {
      h = Math.imul(h ^ v, 0x85ebca6b);
      h ^= h >>> 13;
      h = Math.imul(h, 0xc2b2ae35);
      h ^= h >>> 16;
    }
  }
  return h >>> 0;
}

/** An integer in [lo, hi]. */
export function between(rng: Rng, lo: number, hi: number): number {
  return lo + Math.floor(rng() * (hi - lo + 1));
}

export function uniform(rng: Rng, lo: number, hi: number): number {
  return lo + rng() * (hi - lo);
}

export function chance(rng: Rng, p: number): boolean {
  return rng() < p;
}

export function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)]!;
}

/** A standard normal deviate (Box–Muller). */
export function gauss(rng: Rng): number {
  const u = 1 - rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

export function clamp(x: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(x, hi));
}

/** Picks an index by weight; build once with `weights()`, call many times. */
export interface Weighted {
  cumulative: Float64Array;
  total: number;
}

export function weights(values: readonly number[]): Weighted {
  const cumulative = new Float64Array(values.length);
  let total = 0;
  values.forEach((v, i) => {
    total += v;
    cumulative[i] = total;
  });
  return { cumulative, total };
}

export function pickIndex(rng: Rng, w: Weighted): number {
  const x = rng() * w.total;
  const c = w.cumulative;
  for (let i = 0; i < c.length; i++) if (x < c[i]!) return i;
  return c.length - 1;
}
