/**
 * One account's bill for one period (domain.md §8) from its volume decision (§6.1), its common-needs
 * share (§7) and the tariff table (§6.3): lines that each name their rule, readings, tariff row and
 * periods; totals; the §5 dates and the §12 QR payload. Pure: the billing run gathers the facts.
 */
import type {
  BillCommonNeeds,
  BillDocument,
  BillLine,
  BillMeterBlock,
  BillMoney,
  BillPayee,
  BillReadingPoint,
  BillTotals,
  CommonNeedsRule,
  RecalculationReason,
} from './bill-document.ts';
import { type Charge, computeCharge, type TariffChangeRule, type TariffRate } from './charges.ts';
import { buildPaymentQr } from './payment-qr.ts';
import type { Period } from './period.ts';
import {
  METER_TYPE_ZONES,
  type MeterType,
  meterTypeOf,
  type TariffCategory,
  type TariffZone,
} from './tariff-structure.ts';
import type { VolumeDecision } from './volume-types.ts';

export interface BillAccountFacts {
  accountId: number;
  number: string;
  payerName: string;
  address: string;
  premisesNumber: string;
  areaCentiM2: number;
  rooms: number;
  residents: number;
  category: TariffCategory;
  payee: BillPayee;
}

export interface BillMeterFacts {
  serial: string | null;
  zones: number;
  /** The replaced meter's zone count when it differs (its part is priced at its own meter type, §3). */
  replacedZones?: number;
  previous: BillReadingPoint | null;
  current: BillReadingPoint | null;
}

export interface BillComposeInput {
  period: Period;
  regionCode: string;
  formedOn: string;
  deliverBy: string;
  dueDate: string;
  account: BillAccountFacts;
  meter: BillMeterFacts;
  decision: VolumeDecision;
  commonNeeds: (BillCommonNeeds & { rule: CommonNeedsRule; cite: string }) | null;
  tariffs: readonly TariffRate[];
  tariffChange: TariffChangeRule;
  /** §6.2 zone names of registers T1..Tn by zone count (the `zone_names` parameter). */
  zoneNames: Record<'1' | '2' | '3', string[]>;
  /** From the ledger (§8–§10): balance brought forward, payments, penalties; zero without a ledger. */
  balanceForwardKopecks?: number;
  paymentsKopecks?: number;
  penaltiesKopecks?: number;
  /** How the ledger's figures were found, kept in the document to explain them. */
  money?: BillMoney;
  /** Notices to print (the §11 debt notice). */
  notices?: { code: string; text: string }[];
}

/** The bill number: the period and the account, the same for every version ("202610-1000000001"). */
export function billNumber(period: Period, accountNumber: string): string {
  return `${period.replace('-', '')}-${accountNumber}`;
}

/** Zone names of a meter's registers; the parameter must name exactly the meter type's zones (§6.2). */
export function registerZones(zones: number, names: Record<'1' | '2' | '3', string[]>): TariffZone[] {
  const type = meterTypeOf(zones);
  const list = names[String(zones) as '1' | '2' | '3'] ?? [];
  const allowed = METER_TYPE_ZONES[type];
  if (list.length !== zones || !list.every((n) => (allowed as readonly string[]).includes(n))) {
    throw new RangeError(`zone_names for ${zones} registers must name ${allowed.join(', ')}`);
  }
  return list as TariffZone[];
}

interface PricedPart {
  meterType: MeterType;
  zones: TariffZone[];
  /** Per zone, Wh, any sign; or one single-rate volume. */
  wh: number[];
  singleRate: boolean;
}

/** §6.3 priced per part; charges and credits of a true-up are priced separately (each sign its own lines). */
function price(input: BillComposeInput, part: PricedPart): Charge['lines'] {
  const out: Charge['lines'] = [];
  for (const sign of [1, -1]) {
    const wh = part.wh.map((v) => (Math.sign(v) === sign ? v : 0));
    if (wh.every((v) => v === 0)) continue;
    const charge = computeCharge({
      period: input.period,
      category: input.account.category,
      meterType: part.meterType,
      volumes: part.zones.map((zone, i) => ({ zone, wh: wh[i] ?? 0 })),
      singleRate: part.singleRate,
      tariffs: input.tariffs,
      tariffChange: input.tariffChange,
    });
    out.push(...charge.lines.filter((l) => l.volumeWh !== 0));
  }
  return out;
}

export function composeBill(input: BillComposeInput): Omit<BillDocument, 'version'> {
  const { decision: d, period } = input;
  const recalc = d.explanation.recalculation;
  const kind = recalc ? 'recalculation' : 'consumption';
  const periods = recalc ? [...recalc.corrects.filter((p) => p !== period), period] : [period];
  const meterZones = input.meter.zones > 0 ? registerZones(input.meter.zones, input.zoneNames) : [];
  const lines: BillLine[] = [];
  const push = (
    charged: Charge['lines'],
    registerOf: (zone: TariffZone) => number | null,
    extra: Pick<BillLine, 'kind' | 'source' | 'rule' | 'cite' | 'periods' | 'meterSerial' | 'reason'>,
  ) => {
    for (const l of charged) {
      lines.push({
        ...extra,
        zone: l.zone,
        register: registerOf(l.zone),
        volumeWh: l.volumeWh,
        priceKopecksPerKwh: l.priceKopecksPerKwh,
        amountKopecks: l.amountKopecks,
        from: l.from,
        to: l.to,
        days: l.days,
        tariff: {
          id: l.tariff.id === undefined ? null : Number(l.tariff.id),
          meterType: l.tariff.meterType,
          effectiveFrom: l.tariff.effectiveFrom,
          rangeFromKwh: l.tariff.range.fromKwh,
          rangeToKwh: l.tariff.range.toKwh,
        },
      });
    }
  };
  const reason: RecalculationReason | undefined = !recalc
    ? undefined
    : d.rule === 'CONTROL_READING'
      ? 'CONTROL_READING'
      : d.rule === 'METER_REPLACEMENT'
        ? 'METER_REPLACEMENT'
        : input.meter.current && input.meter.current.period < period
          ? 'LATE_READING'
          : 'TRUE_UP';
  const base = {
    kind,
    source: d.source,
    rule: d.rule,
    cite: d.cite,
    periods,
    meterSerial: input.meter.serial,
    ...(reason ? { reason } : {}),
  } as const;
  const registerOf = (zone: TariffZone) => {
    const i = meterZones.indexOf(zone);
    return i < 0 ? null : i + 1;
  };
  // The meter's registers at its own zones' tariffs.
  if (d.zonesWh.length > 0) {
    const zones = meterZones.length === d.zonesWh.length ? meterZones : (['single'] as TariffZone[]);
    push(
      price(input, { meterType: meterTypeOf(zones.length), zones, wh: d.zonesWh, singleRate: false }),
      registerOf,
      base,
    );
  }
  // A replaced meter of another zone count: its part at its own meter type.
  if (d.replacedMeterZonesWh && input.meter.replacedZones) {
    const zones = registerZones(input.meter.replacedZones, input.zoneNames);
    push(
      price(input, {
        meterType: meterTypeOf(zones.length),
        zones,
        wh: d.replacedMeterZonesWh,
        singleRate: false,
      }),
      () => null,
      base,
    );
  }
  // The single-rate volume: a norm on a zone meter or without a meter (§6.2), or its reversal (§6.4).
  if (d.singleRateWh !== 0) {
    push(
      price(input, { meterType: 'single', zones: ['single'], wh: [d.singleRateWh], singleRate: false }),
      () => null,
      d.singleRateWh < 0 ? { ...base, kind: 'recalculation', reason: 'NORM_REVERSAL' } : base,
    );
  }
  const cn = input.commonNeeds;
  if (cn && cn.shareWh > 0) {
    push(
      price(input, { meterType: 'single', zones: ['single'], wh: [cn.shareWh], singleRate: false }),
      () => null,
      {
        kind: 'common_needs',
        source: cn.method === 'meter' ? 'common_meter' : 'common_norm',
        rule: cn.rule,
        cite: cn.cite,
        periods: [period],
        meterSerial: null,
      },
    );
  }
  const totals = billTotals(lines, input.money ?? input);
  const a = input.account;
  const qr = paymentQr(input, totals);
  const meterBlock: BillMeterBlock = {
    serial: input.meter.serial,
    zoneNames: meterZones,
    source: d.source,
    rule: d.rule,
    cite: d.cite,
    previous: input.meter.previous,
    current: input.meter.current,
    zonesWh: d.zonesWh,
    singleRateWh: d.singleRateWh,
    totalWh: d.totalWh,
    explanation: d.explanation as unknown as Record<string, unknown>,
  };
  const commonNeeds: BillCommonNeeds | null = cn
    ? {
        mode: cn.mode,
        method: cn.method,
        houseVolumeWh: cn.houseVolumeWh,
        houseCapWh: cn.houseCapWh,
        premisesAreaCentiM2: cn.premisesAreaCentiM2,
        totalAreaCentiM2: cn.totalAreaCentiM2,
        commonAreaCentiM2: cn.commonAreaCentiM2,
        shareWh: cn.shareWh,
        capWh: cn.capWh,
        negativeWh: cn.negativeWh,
      }
    : null;
  return {
    schema: 1,
    number: billNumber(period, a.number),
    period,
    regionCode: input.regionCode,
    formedOn: input.formedOn,
    deliverBy: input.deliverBy,
    dueDate: input.dueDate,
    account: {
      number: a.number,
      payerName: a.payerName,
      address: a.address,
      premisesNumber: a.premisesNumber,
      areaM2: (a.areaCentiM2 / 100).toFixed(2),
      rooms: a.rooms,
      residents: a.residents,
      tariffCategory: a.category,
    },
    payee: a.payee,
    meters: [meterBlock],
    commonNeeds,
    lines,
    totals,
    ...(input.money ? { money: input.money } : {}),
    notices: input.notices ?? [],
    qr,
  };
}

/** §8 totals of a bill from its lines and what the ledger knows (balance, payments, penalties). */
export function billTotals(
  lines: readonly BillLine[],
  input: Pick<BillComposeInput, 'balanceForwardKopecks' | 'paymentsKopecks' | 'penaltiesKopecks'>,
): BillTotals {
  const sum = (k: BillLine['kind']) =>
    lines.filter((l) => l.kind === k).reduce((s, l) => s + l.amountKopecks, 0);
  const consumptionKopecks = sum('consumption');
  const recalculationKopecks = sum('recalculation');
  const commonNeedsKopecks = sum('common_needs');
  const chargedKopecks = consumptionKopecks + recalculationKopecks + commonNeedsKopecks;
  const balanceForwardKopecks = input.balanceForwardKopecks ?? 0;
  const paymentsKopecks = input.paymentsKopecks ?? 0;
  const penaltiesKopecks = input.penaltiesKopecks ?? 0;
  const owed = balanceForwardKopecks - paymentsKopecks + chargedKopecks + penaltiesKopecks;
  return {
    consumptionKopecks,
    recalculationKopecks,
    commonNeedsKopecks,
    chargedKopecks,
    balanceForwardKopecks,
    paymentsKopecks,
    penaltiesKopecks,
    amountDueKopecks: Math.max(0, owed),
  };
}

/** §12: the payment QR of the bill; null when the payee's bank details are incomplete. */
function paymentQr(input: BillComposeInput, totals: BillTotals): string | null {
  const p = input.account.payee;
  if (!p.personalAcc || !p.bankName || !p.bic || !p.correspAcc) return null;
  const built = buildPaymentQr({
    name: p.name,
    personalAcc: p.personalAcc,
    bankName: p.bankName,
    bic: p.bic,
    correspAcc: p.correspAcc,
    ...(p.inn ? { payeeInn: p.inn } : {}),
    ...(p.kpp ? { kpp: p.kpp } : {}),
    persAcc: input.account.number,
    paymPeriod: input.period,
    sumKopecks: totals.amountDueKopecks,
    ...(totals.penaltiesKopecks > 0 ? { addAmountKopecks: totals.penaltiesKopecks } : {}),
    techCode: '02',
  });
  return built.ok ? built.value : null;
}
