/**
 * Turns the rows of a batch of houses into the pure inputs of `billHouse` (domain/house-billing.ts):
 * which meter is in place at the period end, which reading counts (§4.8 billed_in_period), the last actual
 * values before it (a reading or the commissioning act, §3), a replacement in the period, the billed
 * history for averages and true-ups (§6.1, §6.4), the norm (§6.1 item 4).
 */
import type { BillMoney, BillReadingPoint } from '../domain/bill-document.ts';
import type { CommonMeterFacts, HouseBillingAccount, HouseBillingInput } from '../domain/house-billing.ts';
import { parseLocalDate, periodOfDate } from '../domain/period.ts';
import { isRegisterAtPeriodEnd } from '../domain/readings-window.ts';
import { registerConsumption } from '../domain/recalculation.ts';
import { registerModulusWh } from '../domain/register-value.ts';
import { defaultTariffCategory } from '../domain/tariff-structure.ts';
import {
  type BilledVolume,
  consecutiveEstimatedPeriods,
  type ReadingPoint,
} from '../domain/volume-history.ts';
import { normFromTable } from '../domain/volume-norm.ts';
import type { MeterReplacement } from '../domain/volume-types.ts';
import type { BillingContext } from './billing-context.ts';
import type { AccountRow, BatchRows, MeterRow, ReadingRow, VolumeRow } from './billing-facts.repository.ts';

function groupBy<T, K>(rows: readonly T[], key: (r: T) => K): Map<K, T[]> {
  const out = new Map<K, T[]>();
  for (const r of rows) {
    const k = key(r);
    const list = out.get(k);
    if (list) list.push(r);
    else out.set(k, [r]);
  }
  return out;
}

function toBilled(v: VolumeRow): BilledVolume {
  const b: BilledVolume = {
    period: v.period,
    source: v.source,
    zonesWh: v.zonesWh,
    singleRateWh: v.singleRateWh,
  };
  if (!v.meteredKnown) b.metered = null;
  else if (v.meteredFrom && v.meteredZonesWh)
    b.metered = { fromPeriod: v.meteredFrom, zonesWh: v.meteredZonesWh };
  return b;
}

/** The commissioning act as the meter's first actual values (§3). */
function actPoint(m: MeterRow): { point: ReadingPoint; shown: BillReadingPoint } | null {
  if (!m.commissionedOn) return null;
  const period = periodOfDate(parseLocalDate(m.commissionedOn));
  return {
    point: { period, valuesWh: m.initialValuesWh, kind: 'commissioning' },
    shown: {
      period,
      valuesWh: m.initialValuesWh,
      kind: 'commissioning',
      takenOn: m.commissionedOn,
      readingId: null,
    },
  };
}

function readingPoint(
  r: ReadingRow,
  kind: ReadingPoint['kind'],
): { point: ReadingPoint; shown: BillReadingPoint } {
  return {
    point: { period: r.period, valuesWh: r.valuesWh, kind },
    shown: { period: r.period, valuesWh: r.valuesWh, kind, takenOn: r.takenOn, readingId: r.id },
  };
}

export interface BatchIndex {
  meters: Map<number, MeterRow[]>;
  commonMeters: Map<number, MeterRow>;
  replacementOf: Map<number, BatchRows['replacements'][number]>;
  meterById: Map<number, MeterRow>;
  current: Map<number, ReadingRow[]>;
  previous: Map<number, ReadingRow>;
  history: Map<number, BilledVolume[]>;
}

export function indexBatch(rows: BatchRows): BatchIndex {
  const individual = rows.meters.filter((m) => m.kind === 'individual' && m.accountId !== null);
  const commonMeters = new Map<number, MeterRow>();
  for (const m of rows.meters)
    if (m.kind === 'common' && m.status !== 'removed') commonMeters.set(m.houseId, m);
  return {
    meters: groupBy(individual, (m) => m.accountId as number),
    commonMeters,
    replacementOf: new Map(rows.replacements.map((r) => [r.newMeterId, r])),
    meterById: new Map(rows.meters.map((m) => [m.id, m])),
    current: groupBy(rows.current, (r) => r.meterId),
    previous: new Map(rows.previous.map((r) => [r.meterId, r])),
    history: new Map([...groupBy(rows.history, (v) => v.accountId)].map(([k, v]) => [k, v.map(toBilled)])),
  };
}

function accountInput(
  ctx: BillingContext,
  idx: BatchIndex,
  a: AccountRow,
  stoveType: string,
  address: string,
): HouseBillingAccount {
  const payee = ctx.payees.get(a.principalId) ?? {
    name: '',
    inn: null,
    kpp: null,
    bankName: null,
    bic: null,
    personalAcc: null,
    correspAcc: null,
    phone: null,
    email: null,
    address: null,
  };
  const history = idx.history.get(a.id) ?? [];
  const norm = normFromTable(ctx.norms, stoveType, a.rooms, a.residents);
  const inPlace = (idx.meters.get(a.id) ?? [])
    .filter((m) => m.status !== 'removed' || (m.removedOn !== null && m.removedOn > ctx.lastDay))
    .sort((x, y) => (x.installedOn < y.installedOn ? -1 : x.installedOn > y.installedOn ? 1 : x.id - y.id));
  const meter = inPlace.at(-1) ?? null;
  const base: HouseBillingAccount = {
    facts: {
      accountId: a.id,
      number: a.number,
      payerName: a.payerName,
      address,
      premisesNumber: a.premisesNumber,
      areaCentiM2: a.areaCentiM2,
      rooms: a.rooms,
      residents: a.residents,
      category: a.category,
      payee,
    },
    meterId: meter?.id ?? null,
    premisesId: String(a.premisesId),
    residential: a.residential,
    meter: { serial: null, zones: 0, previous: null, current: null },
    volume: {
      period: ctx.period,
      meter: null,
      meterInstallationPossible: a.installationPossible,
      history,
      consecutiveEstimated: consecutiveEstimatedPeriods(history, ctx.period),
      residents: a.residents,
      normWhPerPerson: norm ?? Number.NaN,
      params: ctx.volumeParams,
    },
    normMissing: norm === undefined,
  };
  if (!meter) return base;
  const readings = idx.current.get(meter.id) ?? [];
  const regular = readings.find((r) => r.kind === 'regular');
  const control = readings.find((r) => r.kind === 'control');
  const smart =
    regular?.channel === 'smart' &&
    isRegisterAtPeriodEnd(regular.takenAt, ctx.period, ctx.timeZone, ctx.smartToleranceMs)
      ? regular
      : undefined;
  const prevRow = idx.previous.get(meter.id);
  const previous = prevRow
    ? readingPoint(prevRow, prevRow.kind === 'control' ? 'control' : 'reading')
    : actPoint(meter);
  const measured = smart
    ? readingPoint(smart, 'smart')
    : regular
      ? readingPoint(regular, 'reading')
      : control
        ? readingPoint(control, 'control')
        : null;
  base.volume.meter = {
    zones: meter.zones,
    digits: meter.digits,
    decimals: meter.decimals,
    status: meter.status,
    commissionedOn: meter.commissionedOn,
    nextVerificationOn: meter.nextVerificationOn,
    failedOn: meter.failedOn,
  };
  base.volume.readingWh = smart ? null : (regular?.valuesWh ?? null);
  base.volume.smartRegisterWh = smart?.valuesWh ?? null;
  base.volume.controlWh = control?.valuesWh ?? null;
  base.volume.previousActual = previous?.point ?? null;
  base.meter = {
    serial: meter.serial,
    zones: meter.zones,
    previous: previous?.shown ?? null,
    current: measured?.shown ?? null,
  };
  const rep = idx.replacementOf.get(meter.id);
  const old = rep ? idx.meterById.get(rep.oldMeterId) : undefined;
  if (rep && old && rep.replacedOn >= ctx.firstDay && rep.replacedOn <= ctx.lastDay) {
    const oldPrev = idx.previous.get(old.id);
    const oldLast = oldPrev ? readingPoint(oldPrev, 'reading') : actPoint(old);
    if (oldLast) {
      const replacement: MeterReplacement = {
        oldMeter: { zones: old.zones, digits: old.digits, decimals: old.decimals },
        oldLastActual: oldLast.point,
        finalWh: rep.finalValuesWh,
        initialWh: meter.initialValuesWh,
      };
      base.volume.replacement = replacement;
      base.meter.previous = oldLast.shown;
      if (old.zones !== meter.zones) base.meter.replacedZones = old.zones;
    }
  }
  return base;
}

function commonMeterFacts(idx: BatchIndex, houseId: number): CommonMeterFacts {
  const m = idx.commonMeters.get(houseId);
  if (!m) return { kind: 'none' };
  const cur = (idx.current.get(m.id) ?? []).find((r) => r.kind === 'regular') ?? idx.current.get(m.id)?.[0];
  const prev = idx.previous.get(m.id)?.valuesWh ?? (m.commissionedOn ? m.initialValuesWh : null);
  if (!cur || !prev) return { kind: 'no_reading', serial: m.serial };
  const c = registerConsumption(prev, cur.valuesWh, registerModulusWh(m));
  return { kind: 'volume', wh: c.consumptionWh.reduce((s, v) => s + v, 0), serial: m.serial };
}

export function houseInputs(
  ctx: BillingContext,
  rows: BatchRows,
  money: Map<number, BillMoney> = new Map(),
  debtNotices: Map<number, { ru: string }> = new Map(),
): HouseBillingInput[] {
  const idx = indexBatch(rows);
  const accountsByHouse = groupBy(rows.accounts, (a) => a.houseId);
  return rows.houses.map((h) => {
    const accounts = (accountsByHouse.get(h.id) ?? []).map((a) => {
      const input = accountInput(
        ctx,
        idx,
        a,
        h.stoveType,
        h.kind === 'apartment_building' ? `${h.address}, кв. ${a.premisesNumber}` : h.address,
      );
      const m = money.get(a.id);
      const notice = debtNotices.get(a.id);
      return {
        ...input,
        ...(m ? { money: m } : {}),
        ...(notice ? { notices: [{ code: 'debt_notice', text: notice.ru }] } : {}),
      };
    });
    return {
      period: ctx.period,
      regionCode: ctx.regionCode,
      formedOn: ctx.formedOn,
      deliverBy: ctx.deliverBy,
      dueDate: ctx.dueDate,
      house: {
        id: h.id,
        mode: h.mode,
        totalAreaCentiM2: h.totalAreaCentiM2,
        commonAreaCentiM2: h.commonAreaCentiM2,
        commonMeter: commonMeterFacts(idx, h.id),
        tariffCategory: defaultTariffCategory(h),
      },
      commonNormWhPerM2: ctx.commonNormWhPerM2,
      accounts,
      tariffs: ctx.tariffs,
      tariffChange: ctx.tariffChange,
      zoneNames: ctx.zoneNames,
    };
  });
}
