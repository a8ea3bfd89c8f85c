import type { ReasonCode } from '../domain/reading-rules.ts';

/**
 * The typed answer of the one intake use case. Every channel renders it in its own medium (HTML, SMS
 * text, voice prompt, OSMP XML) and decides nothing by itself.
 *  - invalid: bad input (rules 1–2, identification, the moment taken) — nothing was written;
 *  - rejected: recorded in the history with its reason (rules 3–6) — counts for nothing;
 *  - held: recorded, waits for an operator (rule 5);
 *  - accepted: counts for `period` and goes into the bill for `billedInPeriod`.
 */
export type IntakeOutcome = 'accepted' | 'held' | 'rejected' | 'invalid';

export interface IntakeZoneValue {
  /** Register number 1..3 (T1..T3). */
  register: number;
  /** The zone's name in the region (§6.2): 'single' | 'day' | 'night' | 'peak' | 'half_peak'. */
  zone: string;
  /** Value as the meter shows it, e.g. "12345.6". */
  value: string;
  valueWh: number;
  previousWh: number | undefined;
  consumptionWh: number | undefined;
}

export interface IntakeResult {
  outcome: IntakeOutcome;
  /** Reason code (domain.md §4) for invalid / rejected / held, else undefined. */
  reason: { code: ReasonCode; params: Record<string, unknown> } | undefined;
  /** What the subscriber is told, in Russian and in English. */
  message: string;
  messageEn: string;
  /** True when this answers a repeat of an earlier message (same channel and external id). */
  duplicate: boolean;
  readingId: number | undefined;
  account: { number: string; address: string } | undefined;
  meter: { serial: string; zones: number } | undefined;
  period: string | undefined;
  billedInPeriod: string | undefined;
  recalculation: boolean;
  rollover: boolean;
  replacesReadingId: number | undefined;
  values: IntakeZoneValue[];
  takenAt: string | undefined;
  receivedAt: string | undefined;
  channel: string;
  window: { opens: string; closes: string; inWindow: boolean } | undefined;
  /** The bill for `billedInPeriod` is delivered by this date (§5). */
  billDeliveredBy: string | undefined;
  previous: { period: string; takenAt: string | undefined; source: 'reading' | 'commissioning' } | undefined;
}
