/**
 * The bill (payment document) of domain.md §8 as data: what the PDF prints, what the API returns as JSON
 * and what the personal account explains line by line. Issued bills never change (§6.4): a document is
 * written once per bill version and only read afterwards.
 */
import type { Period } from './period.ts';
import type { MeterType, TariffCategory, TariffZone } from './tariff-structure.ts';
import type { VolumeSource } from './volume-history.ts';
import type { VolumeRule } from './volume-types.ts';

/** Where a line's volume comes from: the §6.1 rules for the premises, the §7 rules for common needs. */
export type CommonNeedsRule = 'COMMON_METER' | 'COMMON_NORM' | 'COMMON_CAPPED' | 'COMMON_NEGATIVE';
export type BillLineRule = VolumeRule | CommonNeedsRule;

export type BillLineKind =
  /** The period's own volume (§6.1). */
  | 'consumption'
  /** §6.4: a volume that corrects earlier periods (true-up after estimates, control reading, late reading). */
  | 'recalculation'
  /** §7 common-house needs. */
  | 'common_needs';

/** §8 why a recalculation line exists (§6.4). */
export type RecalculationReason =
  /** Actual readings after periods billed by an estimate (average or norm). */
  | 'TRUE_UP'
  /** A control reading by the supplier differs from what was billed (354 p.61). */
  | 'CONTROL_READING'
  /** A reading for a period already billed (§4.8). */
  | 'LATE_READING'
  /** The old meter's final reading after estimates (§3). */
  | 'METER_REPLACEMENT'
  /** Norm volumes billed at the single-rate tariff on a zone meter, reversed at that tariff (§6.2). */
  | 'NORM_REVERSAL';

export interface BillTariffRef {
  id: number | null;
  meterType: MeterType;
  effectiveFrom: string;
  rangeFromKwh: number;
  rangeToKwh: number | null;
}

export interface BillLine {
  kind: BillLineKind;
  /** The tariff zone this line is priced at ('single' for a single-rate price). */
  zone: TariffZone;
  /** The meter register it was measured on, 1-based (T1..Tn); null for a single-rate or common line. */
  register: number | null;
  volumeWh: number;
  priceKopecksPerKwh: number;
  /** Rounded half up per line (§6.3); negative for a credit. */
  amountKopecks: number;
  source: VolumeSource | 'common_meter' | 'common_norm';
  rule: BillLineRule;
  /** The domain.md section the rule comes from. */
  cite: string;
  /** The periods the line charges: its own period, or the periods it corrects followed by this one. */
  periods: Period[];
  /** A recalculation line: why it exists (§8 "recalculation lines with their reason and periods"). */
  reason?: RecalculationReason;
  /** The days of the period the tariff row covers ('YYYY-MM-DD', inclusive), §6.3. */
  from: string;
  to: string;
  days: number;
  tariff: BillTariffRef;
  meterSerial: string | null;
}

/** Register values at a moment as the bill prints them (per zone, Wh). */
export interface BillReadingPoint {
  period: Period;
  valuesWh: number[];
  kind: 'reading' | 'smart' | 'control' | 'commissioning' | 'final';
  /** Local date the values were taken on, 'YYYY-MM-DD', when known. */
  takenOn: string | null;
  readingId: number | null;
}

/** One meter (or the absence of one) and how its volume was determined. */
export interface BillMeterBlock {
  serial: string | null;
  /** Zone names of registers T1..Tn (§6.2: show the zone's name, not only the register number). */
  zoneNames: TariffZone[];
  source: VolumeSource;
  rule: VolumeRule;
  cite: string;
  previous: BillReadingPoint | null;
  current: BillReadingPoint | null;
  /** Volume per register, Wh (empty when the whole volume is single-rate). */
  zonesWh: number[];
  singleRateWh: number;
  totalWh: number;
  /** Human-independent facts of the decision (average periods, norm factors, corrected periods...). */
  explanation: Record<string, unknown>;
}

export interface BillCommonNeeds {
  mode: 'full' | 'capped';
  method: 'meter' | 'norm';
  houseVolumeWh: number;
  houseCapWh: number | null;
  premisesAreaCentiM2: number;
  totalAreaCentiM2: number;
  commonAreaCentiM2: number;
  shareWh: number;
  capWh: number | null;
  negativeWh: number;
}

export interface BillTotals {
  /** Σ consumption lines. */
  consumptionKopecks: number;
  /** Σ recalculation lines (negative is a credit). */
  recalculationKopecks: number;
  /** Σ common-needs lines. */
  commonNeedsKopecks: number;
  /** Charged this period: the three above. */
  chargedKopecks: number;
  /** Debt (+) or credit (−) brought forward from the ledger before this period (the money issue). */
  balanceForwardKopecks: number;
  /** Payments received during the period, as the ledger knows them. */
  paymentsKopecks: number;
  /** Penalties (§10), a separate line. */
  penaltiesKopecks: number;
  /** balanceForward − payments + charged + penalties; never below zero (an overpayment is carried). */
  amountDueKopecks: number;
}

/** §10 one period's debt and the penalty accrued on it through the bill's calculation date. */
export interface BillPenaltyItem {
  period: Period;
  dueDate: string;
  /** The cumulative penalty on this debt through `through`, rounded half up (§10). */
  cumulativeKopecks: number;
}

/** §8 what the ledger contributes to a bill: balance, payments, penalties, and how they were found. */
export interface BillMoney {
  /** The balance before this bill's charges, without the payments shown on it (+ owed, − advance). */
  balanceForwardKopecks: number;
  /** Payments received since the previous bill was formed (§8 "payments received"). */
  paymentsKopecks: number;
  /** §10 penalties charged by this bill: the cumulative penalty through `penaltyThrough` less what earlier bills charged. */
  penaltiesKopecks: number;
  penaltyThrough: string;
  penaltyItems: BillPenaltyItem[];
}

export interface BillPayee {
  name: string;
  inn: string | null;
  kpp: string | null;
  bankName: string | null;
  bic: string | null;
  personalAcc: string | null;
  correspAcc: string | null;
  phone: string | null;
  email: string | null;
  address: string | null;
}

export interface BillDocument {
  schema: 1;
  /** Bill number: period and account, e.g. "202610-1000000001"; with `version` it names one document. */
  number: string;
  version: number;
  period: Period;
  regionCode: string;
  /** Local date the bill was formed, 'YYYY-MM-DD'. */
  formedOn: string;
  /** §5: delivered by, payment due by ('YYYY-MM-DD'). */
  deliverBy: string;
  dueDate: string;
  account: {
    number: string;
    payerName: string;
    /** House address and premises number, as printed. */
    address: string;
    premisesNumber: string;
    areaM2: string;
    rooms: number;
    residents: number;
    tariffCategory: TariffCategory;
  };
  payee: BillPayee;
  meters: BillMeterBlock[];
  commonNeeds: BillCommonNeeds | null;
  lines: BillLine[];
  totals: BillTotals;
  /** How the ledger's balance, payments and penalties were found (§8–§10); absent on bills before it. */
  money?: BillMoney;
  /** Notices printed on the bill (debt notice of §11 when it applies — the money issue), as codes. */
  notices: { code: string; text: string }[];
  /** GOST R 56042-2014 payload (§12); null when the payee's bank details are incomplete. */
  qr: string | null;
}
