/** The typed answer of the "pay by readings" quote (domain.md §9), rendered by its channels. */

export interface ReadingQuoteInput {
  /** The account number. */
  account: string;
  /** Register values T1[, T2[, T3]] as the meter shows them, e.g. "12345.6". */
  values: ReadonlyArray<string | number>;
}

export interface ReadingQuoteRegister {
  register: number;
  /** The zone's name in the region (§6.2): 'single' | 'day' | 'night' | 'peak' | 'half_peak'. */
  zone: string;
  previous: string;
  current: string;
  previousTakenOn: string | null;
  previousKind: string;
  /** Measured since the previous actual values, rollover-adjusted. */
  consumptionWh: number | null;
}

export interface ReadingQuoteLine {
  kind: 'consumption' | 'recalculation';
  zone: string;
  register: number | null;
  /** The register values the line's volume was measured between (null for a single-rate reversal). */
  previous: string | null;
  current: string | null;
  volumeWh: number;
  priceKopecksPerKwh: number;
  amountKopecks: number;
  /** The periods the line charges (a true-up names the estimated periods it corrects, §6.4). */
  periods: string[];
  reason: string | null;
  from: string;
  to: string;
}

export interface ReadingQuote {
  account: { number: string; address: string };
  meter: { serial: string; zones: number };
  /** The period the values count for and whose bill they go into. */
  period: string;
  /** The local date of the quote in the account's region. */
  today: string;
  window: { opens: string; closes: string };
  rollover: boolean;
  registers: ReadingQuoteRegister[];
  lines: ReadingQuoteLine[];
  /** Σ lines: the energy of the period by the tariffs in force (§6.3), recalculation included. */
  chargeKopecks: number;
  /** §7 an estimate: the last issued bill's common-needs amount (0 without one). */
  commonNeeds: { estimate: true; amountKopecks: number; fromPeriod: string | null };
  estimatedChargeKopecks: number;
  /** The ledger today (§9): debt + penalties − advance. */
  balance: {
    asOf: string;
    balanceKopecks: number;
    debtKopecks: number;
    penaltyKopecks: number;
    advanceKopecks: number;
    overdueKopecks: number;
  };
  /** balance + estimated charge, never below 0. */
  amountToPayKopecks: number;
  /** The period's bill (§5): delivered by, due by. */
  bill: { period: string; deliverBy: string; dueDate: string };
  message: string;
  messageEn: string;
  explanation: { ru: string[]; en: string[] };
}

export interface ReadingQuoteRefusal {
  /** An intake reason code (§4), WINDOW_CLOSED, or QUOTE_UNAVAILABLE (the tariff table cannot price it). */
  code: string;
  /** 'invalid' / 'rejected' / 'held' as the intake would answer the values; 'refused' otherwise. */
  kind: 'invalid' | 'rejected' | 'held' | 'refused';
  message: string;
  messageEn: string;
  params: Record<string, unknown>;
}

export type ReadingQuoteResult =
  | { outcome: 'quoted'; quote: ReadingQuote }
  | { outcome: 'refused'; refusal: ReadingQuoteRefusal };
