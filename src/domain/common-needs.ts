/**
 * Common-house needs (ОДН), domain.md §7: how much of a house's common electricity each premises pays
 * for, in watt-hours, and what is left to the management company. Pricing the shares is the charge's
 * business (money.ts `chargeKopecks`); this file only decides volumes, exactly.
 *
 * Areas are integer hundredths of a square metre (the registry's `numeric(12, 2)` m²), the common-needs
 * norm is integer Wh per m² (`common_norm.wh_per_m2`), so every share is an exact fraction and the
 * largest-remainder allocation makes the shares add up to the distributed total to the watt-hour.
 */
import { allocateByWeights } from './allocation.ts';
import { toSafeNumber } from './money.ts';

/** §7: `none` — the management company bills it itself; `full` — the supplier distributes it all;
 *  `capped` — each premises pays at most the norm, the excess goes to the management company. */
export type CommonNeedsMode = 'none' | 'full' | 'capped';

export interface CommonNeedsPremises {
  premisesId: string;
  /** S_i, hundredths of m². */
  areaCentiM2: number;
  residential: boolean;
  /** The premises' own volume this period, Wh: actual, average or norm (§6.1), residential or not. */
  individualWh: number;
}

export interface CommonNeedsInput {
  mode: CommonNeedsMode;
  /** All premises billed in the house, in a stable order (by number): ties of the allocation go to the first. */
  premises: readonly CommonNeedsPremises[];
  /** S_total, hundredths of m²: the house's total area of all premises; default Σ S_i of the list. */
  totalAreaCentiM2?: number;
  /** S_common, hundredths of m². */
  commonAreaCentiM2: number;
  /** The common meter's volume for the period, Wh; null when the house has no common meter. */
  commonMeterWh: number | null;
  /** normCommon, Wh per m² of common area per month; needed for `capped` and without a common meter. */
  normWhPerM2: number | null;
}

export interface CommonNeedsShare {
  premisesId: string;
  wh: number;
  /** `capped` mode and the norm method: this premises' part of the house cap (its most), Wh. */
  capWh: number | null;
}

export type CommonNeedsNoteCode =
  | 'MODE_NONE'
  | 'COMMON_VOLUME'
  | 'NO_COMMON_METER'
  | 'NEGATIVE_COMMON_VOLUME'
  | 'CAPPED'
  | 'UNASSIGNED_AREA';

/** One step of the explanation, for the house's log and the operator's screen (texts are i18n's job). */
export interface CommonNeedsNote {
  code: CommonNeedsNoteCode;
  values: Record<string, number>;
  detail: string;
}

export interface CommonNeedsResult {
  mode: CommonNeedsMode;
  method: 'none' | 'meter' | 'norm';
  /** V_common from the meter (may be negative), or the norm volume without a meter; 0 in mode none. */
  commonVolumeWh: number;
  /** normCommon × S_common, rounded down to the Wh (a cap is never exceeded by rounding); null if unused. */
  houseCapWh: number | null;
  /** What the premises' shares add up to (plus `unassignedWh`, if S_total has premises not listed). */
  distributedWh: number;
  /** `capped`: the common volume over the house cap, billed to the management company. */
  managementCompanyWh: number;
  /** A negative V_common (meter below the individual volumes), logged for the house; otherwise 0. */
  negativeWh: number;
  /** The share of area in S_total that no listed premises holds (not billed here). */
  unassignedWh: number;
  shares: CommonNeedsShare[];
  log: CommonNeedsNote[];
}

function requireWh(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0)
    throw new RangeError(`${name} must be whole non-negative Wh`);
}

/** §7 the house cap normCommon × S_common in Wh, rounded down: "at most" the norm. */
export function houseCapWh(normWhPerM2: number, commonAreaCentiM2: number): number {
  requireWh('the norm', normWhPerM2);
  requireWh('the common area', commonAreaCentiM2);
  return toSafeNumber((BigInt(normWhPerM2) * BigInt(commonAreaCentiM2)) / 100n);
}

export function distributeCommonNeeds(input: CommonNeedsInput): CommonNeedsResult {
  const areas = input.premises.map((p) => p.areaCentiM2);
  for (const p of input.premises) {
    requireWh(`the area of ${p.premisesId}`, p.areaCentiM2);
    requireWh(`the volume of ${p.premisesId}`, p.individualWh);
  }
  const listed = areas.reduce((a, b) => a + b, 0);
  const total = input.totalAreaCentiM2 ?? listed;
  if (total < listed) throw new RangeError(`S_total ${total} is less than the premises' areas ${listed}`);
  // The area of S_total outside the list takes its share as one more, last, weight and is not billed.
  const weights = total > listed ? [...areas, total - listed] : areas;
  const log: CommonNeedsNote[] = [];
  const note = (code: CommonNeedsNoteCode, values: Record<string, number>, detail: string) =>
    log.push({ code, values, detail });
  const result = (
    method: CommonNeedsResult['method'],
    commonVolumeWh: number,
    cap: number | null,
    parts: number[],
    caps: number[] | null,
    managementCompanyWh = 0,
    negativeWh = 0,
  ): CommonNeedsResult => {
    const unassignedWh = weights.length > areas.length ? (parts[areas.length] ?? 0) : 0;
    if (unassignedWh > 0) {
      note('UNASSIGNED_AREA', { unassignedWh, areaCentiM2: total - listed }, 'part of S_total is not listed');
    }
    return {
      mode: input.mode,
      method,
      commonVolumeWh,
      houseCapWh: cap,
      distributedWh: parts.reduce((a, b) => a + b, 0) - unassignedWh,
      managementCompanyWh,
      negativeWh,
      unassignedWh,
      shares: input.premises.map((p, i) => ({
        premisesId: p.premisesId,
        wh: parts[i] ?? 0,
        capWh: caps?.[i] ?? null,
      })),
      log,
    };
  };

  if (input.mode === 'none') {
    note('MODE_NONE', {}, 'the management company bills common needs itself (§7 mode none)');
    return result(
      'none',
      0,
      null,
      weights.map(() => 0),
      null,
    );
  }
  const needsNorm = input.mode === 'capped' || input.commonMeterWh === null;
  if (needsNorm && input.normWhPerM2 === null) {
    throw new RangeError(
      `the common-needs norm is required (mode ${input.mode}, common meter: ${input.commonMeterWh !== null})`,
    );
  }
  if (total === 0) throw new RangeError('S_total is zero: nothing to distribute by');
  const cap = needsNorm ? houseCapWh(input.normWhPerM2 ?? 0, input.commonAreaCentiM2) : null;
  // Each premises' cap is its area share of the house cap (§7: normCommon × S_common × S_i / S_total).
  const caps = cap === null ? null : allocateByWeights(cap, weights);

  if (input.commonMeterWh === null) {
    // §7 without a common meter: V_i = normCommon × S_common × S_i / S_total, whatever the mode.
    note('NO_COMMON_METER', { houseCapWh: cap ?? 0 }, 'no common meter: the norm volume is distributed');
    return result('norm', cap ?? 0, cap, caps ?? [], caps);
  }
  requireWh('the common meter volume', input.commonMeterWh);
  const individualWh = input.premises.reduce((s, p) => s + p.individualWh, 0);
  const residentialWh = input.premises.filter((p) => p.residential).reduce((s, p) => s + p.individualWh, 0);
  const common = input.commonMeterWh - individualWh;
  note(
    'COMMON_VOLUME',
    {
      commonMeterWh: input.commonMeterWh,
      residentialWh,
      nonResidentialWh: individualWh - residentialWh,
      commonWh: common,
    },
    'V_common = V_commonMeter − Σ V_individual(residential) − Σ V_nonResidential',
  );
  if (common < 0) {
    note('NEGATIVE_COMMON_VOLUME', { commonWh: common }, 'V_common is negative: 0 for every premises (§7)');
    return result(
      'meter',
      common,
      cap,
      weights.map(() => 0),
      caps,
      0,
      common,
    );
  }
  if (cap === null || caps === null)
    return result('meter', common, null, allocateByWeights(common, weights), null);
  if (common >= cap) {
    const excess = common - cap;
    note(
      'CAPPED',
      { commonWh: common, houseCapWh: cap, managementCompanyWh: excess },
      'the excess over the cap goes to the management company',
    );
    return result('meter', common, cap, caps, caps, excess);
  }
  // Under the cap: V_common by area. Allocating it over the premises' caps (themselves by area) keeps every
  // share within its cap even where largest remainder would round the smaller total up past it.
  return result('meter', common, cap, allocateByWeights(common, caps), caps);
}
