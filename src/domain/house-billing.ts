/**
 * The bills of one house for one period: every account's volume (§6.1), the house's common needs (§7)
 * from those volumes, then each account's charges and bill (§6.3, §8). Bad input is reported per account
 * with a reason code and the rest of the house is billed; where one account's failure makes the common
 * volume unknown, the whole house is reported — nothing half-written.
 */
import { type BillAccountFacts, type BillMeterFacts, composeBill } from './bill-compose.ts';
import type { BillDocument, BillMoney, CommonNeedsRule } from './bill-document.ts';
import { computeCharge, type TariffChangeRule, type TariffRate, TariffTableError } from './charges.ts';
import { type CommonNeedsMode, type CommonNeedsResult, distributeCommonNeeds } from './common-needs.ts';
import type { Period } from './period.ts';
import type { TariffCategory } from './tariff-structure.ts';
import { determineVolume, type VolumeDecision, type VolumeInput } from './volumes.ts';

export interface HouseBillingAccount {
  facts: BillAccountFacts;
  /** The registry id of the meter in place at the period end (null without one): whose volume was billed. */
  meterId: number | null;
  premisesId: string;
  residential: boolean;
  meter: BillMeterFacts;
  volume: VolumeInput;
  /** The norm table has no row for these premises: a volume by the norm cannot be computed. */
  normMissing?: boolean;
  /** What the ledger contributes to the bill (§8–§10) and the notices to print (§11). */
  money?: BillMoney;
  notices?: { code: string; text: string }[];
}

export type CommonMeterFacts =
  | { kind: 'none' }
  | { kind: 'volume'; wh: number; serial: string }
  /** The common meter has no reading for the period: its volume is unknown. */
  | { kind: 'no_reading'; serial: string };

export interface HouseBillingInput {
  period: Period;
  regionCode: string;
  formedOn: string;
  deliverBy: string;
  dueDate: string;
  house: {
    id: number;
    mode: CommonNeedsMode;
    totalAreaCentiM2: number;
    commonAreaCentiM2: number;
    commonMeter: CommonMeterFacts;
    /** The house's household category: the excess over the cap is priced at its single-rate tariff. */
    tariffCategory: TariffCategory;
  };
  /** normCommon, Wh per m² per month in force; null when the region has none. */
  commonNormWhPerM2: number | null;
  accounts: readonly HouseBillingAccount[];
  tariffs: readonly TariffRate[];
  tariffChange: TariffChangeRule;
  zoneNames: Record<'1' | '2' | '3', string[]>;
}

export type BillingProblemCode =
  | 'VOLUME_ERROR'
  | 'NO_NORM'
  | 'NO_TARIFF'
  | 'RANGES_INCOMPLETE'
  | 'BILL_ERROR'
  | 'COMMON_NEEDS_NO_AREAS'
  | 'COMMON_NEEDS_NO_NORM'
  | 'COMMON_NEEDS_INCOMPLETE';

export interface BillingProblem {
  accountId: number | null;
  code: BillingProblemCode;
  message: string;
}

export interface HouseBill {
  accountId: number;
  document: Omit<BillDocument, 'version'>;
  decision: VolumeDecision;
}

/** §7 `capped`: what the management company is charged for the common volume over the house cap. */
export interface ManagementCompanyCharge {
  wh: number;
  priceKopecksPerKwh: number | null;
  amountKopecks: number;
}

export interface HouseBillingResult {
  bills: HouseBill[];
  problems: BillingProblem[];
  commonNeeds: CommonNeedsResult | null;
  managementCompany: ManagementCompanyCharge | null;
}

const CN_CITE = '§7';

export function billHouse(input: HouseBillingInput): HouseBillingResult {
  const problems: BillingProblem[] = [];
  const decided: { account: HouseBillingAccount; decision: VolumeDecision }[] = [];
  for (const account of input.accounts) {
    try {
      const decision = determineVolume(account.volume);
      if (account.normMissing && decision.source === 'norm') throw new NormMissing();
      decided.push({ account, decision });
    } catch (e) {
      const code = e instanceof NormMissing || account.normMissing ? 'NO_NORM' : 'VOLUME_ERROR';
      const message =
        code === 'NO_NORM'
          ? `no norm in force for ${account.facts.rooms} room(s), ${account.facts.residents} resident(s) (§6.1 item 4)`
          : messageOf(e);
      problems.push({ accountId: account.facts.accountId, code, message });
    }
  }
  const cn = commonNeeds(input, decided, problems.length > 0);
  if ('problem' in cn) {
    const failed = new Set(problems.map((p) => p.accountId));
    for (const { account } of decided) {
      if (!failed.has(account.facts.accountId)) {
        problems.push({ accountId: account.facts.accountId, code: cn.problem, message: cn.message });
      }
    }
    return { bills: [], problems, commonNeeds: null, managementCompany: null };
  }
  const bills: HouseBill[] = [];
  for (const { account, decision } of decided) {
    const share = cn.result?.shares.find((s) => s.premisesId === account.premisesId);
    try {
      const document = composeBill({
        period: input.period,
        regionCode: input.regionCode,
        formedOn: input.formedOn,
        deliverBy: input.deliverBy,
        dueDate: input.dueDate,
        account: account.facts,
        meter: account.meter,
        decision,
        ...(account.money ? { money: account.money } : {}),
        ...(account.notices ? { notices: account.notices } : {}),
        commonNeeds:
          cn.result && share && input.house.mode !== 'none'
            ? {
                mode: input.house.mode,
                method: cn.result.method === 'norm' ? 'norm' : 'meter',
                houseVolumeWh: cn.result.commonVolumeWh,
                houseCapWh: cn.result.houseCapWh,
                premisesAreaCentiM2: account.facts.areaCentiM2,
                totalAreaCentiM2: input.house.totalAreaCentiM2,
                commonAreaCentiM2: input.house.commonAreaCentiM2,
                shareWh: share.wh,
                capWh: share.capWh,
                negativeWh: cn.result.negativeWh,
                rule: commonRule(input.house.mode, cn.result),
                cite: CN_CITE,
              }
            : null,
        tariffs: input.tariffs,
        tariffChange: input.tariffChange,
        zoneNames: input.zoneNames,
      });
      bills.push({ accountId: account.facts.accountId, document, decision });
    } catch (e) {
      const code = e instanceof TariffTableError ? e.problem : 'BILL_ERROR';
      problems.push({ accountId: account.facts.accountId, code, message: messageOf(e) });
    }
  }
  let managementCompany: ManagementCompanyCharge | null = null;
  const excess = cn.result?.managementCompanyWh ?? 0;
  if (excess > 0) {
    try {
      const charge = computeCharge({
        period: input.period,
        category: input.house.tariffCategory,
        meterType: 'single',
        volumes: [{ zone: 'single', wh: excess }],
        tariffs: input.tariffs,
        tariffChange: input.tariffChange,
      });
      const prices = new Set(charge.lines.map((l) => l.priceKopecksPerKwh));
      managementCompany = {
        wh: excess,
        priceKopecksPerKwh: prices.size === 1 ? ([...prices][0] ?? null) : null,
        amountKopecks: charge.amountKopecks,
      };
    } catch (e) {
      problems.push({
        accountId: null,
        code: e instanceof TariffTableError ? e.problem : 'BILL_ERROR',
        message: `management company: ${messageOf(e)}`,
      });
    }
  }
  return { bills, problems, commonNeeds: cn.result, managementCompany };
}

function commonRule(mode: CommonNeedsMode, r: CommonNeedsResult): CommonNeedsRule {
  if (r.negativeWh < 0) return 'COMMON_NEGATIVE';
  if (r.method === 'norm') return 'COMMON_NORM';
  return mode === 'capped' ? 'COMMON_CAPPED' : 'COMMON_METER';
}

function commonNeeds(
  input: HouseBillingInput,
  decided: readonly { account: HouseBillingAccount; decision: VolumeDecision }[],
  someFailed: boolean,
): { result: CommonNeedsResult | null } | { problem: BillingProblem['code']; message: string } {
  const h = input.house;
  if (h.mode === 'none') return { result: null };
  const meter = h.commonMeter.kind === 'volume' ? h.commonMeter.wh : null;
  const needsNorm = h.mode === 'capped' || meter === null;
  if (h.totalAreaCentiM2 <= 0 || (needsNorm && h.commonAreaCentiM2 <= 0)) {
    return {
      problem: 'COMMON_NEEDS_NO_AREAS',
      message: `house ${h.id}: common needs mode ${h.mode} needs the total${needsNorm ? ' and the common' : ''} area (§7)`,
    };
  }
  if (needsNorm && input.commonNormWhPerM2 === null) {
    return { problem: 'COMMON_NEEDS_NO_NORM', message: `house ${h.id}: no common-needs norm in force (§7)` };
  }
  // V_common = V_commonMeter − Σ V_individual: with an account's volume unknown, it is unknown too.
  if (meter !== null && someFailed) {
    return {
      problem: 'COMMON_NEEDS_INCOMPLETE',
      message: `house ${h.id}: another account's volume failed, so the common volume is unknown (§7)`,
    };
  }
  const listed = decided.reduce((s, d) => s + d.account.facts.areaCentiM2, 0);
  try {
    const result = distributeCommonNeeds({
      mode: h.mode,
      premises: decided.map((d) => ({
        premisesId: d.account.premisesId,
        areaCentiM2: d.account.facts.areaCentiM2,
        residential: d.account.residential,
        // A true-up credit is not negative consumption of the house this month (domain.md is silent).
        individualWh: Math.max(0, d.decision.totalWh),
      })),
      totalAreaCentiM2: Math.max(h.totalAreaCentiM2, listed),
      commonAreaCentiM2: h.commonAreaCentiM2,
      commonMeterWh: meter,
      normWhPerM2: input.commonNormWhPerM2,
    });
    return { result };
  } catch (e) {
    return { problem: 'COMMON_NEEDS_NO_AREAS', message: `house ${h.id}: ${messageOf(e)}` };
  }
}

class NormMissing extends Error {}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
