/** The injected clock (design.md principle 1): nothing reads Date.now() except here. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export function fixedClock(at: Date | string): Clock {
  const instant = typeof at === 'string' ? new Date(at) : at;
  if (Number.isNaN(instant.getTime()))
    throw new Error(`ABONENT_CLOCK is not an ISO timestamp: "${String(at)}"`);
  return { now: () => new Date(instant.getTime()) };
}

/** ABONENT_CLOCK=<ISO timestamp> fixes the clock for the whole process; otherwise real time. */
export function clockFromEnv(value: string | undefined): Clock {
  return value ? fixedClock(value) : systemClock;
}
