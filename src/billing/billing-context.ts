import type { BillPayee } from '../domain/bill-document.ts';
import type { TariffChangeRule, TariffRate } from '../domain/charges.ts';
import { localDateOf } from '../domain/local-time.ts';
import { daysInMonth, formatLocalDate, parsePeriod } from '../domain/period.ts';
import type { VolumeParameters } from '../domain/volume-types.ts';
import { billDates, billRuleDate, type CalendarException } from '../domain/working-days.ts';
import type { Executor } from '../platform/database.ts';
import { loadParameterValues } from '../registry/index.ts';
import {
  loadCalendar,
  loadCommonNorm,
  loadNorms,
  loadPrincipals,
  loadRegion,
  loadTariffs,
  type NormRow,
} from './billing-facts.repository.ts';

/** Everything a worker needs about a region and period once, whatever the number of houses it bills. */
export interface BillingContext {
  regionCode: string;
  timeZone: string;
  period: string;
  firstDay: string;
  lastDay: string;
  formedOn: string;
  deliverBy: string;
  dueDate: string;
  tariffs: TariffRate[];
  tariffChange: TariffChangeRule;
  zoneNames: Record<'1' | '2' | '3', string[]>;
  volumeParams: VolumeParameters;
  commonNormWhPerM2: number | null;
  smartToleranceMs: number;
  /** norm Wh per person by `${stove}|${rooms}|${residents}`. */
  norms: Map<string, number>;
  normLimits: Map<string, { rooms: number; residents: number }>;
  payees: Map<number, BillPayee>;
}

function required<T>(values: Map<string, unknown>, key: string): T {
  if (!values.has(key)) throw new Error(`parameter "${key}" has no value in force`);
  return values.get(key) as T;
}

export async function loadBillingContext(
  db: Executor,
  regionCode: string,
  period: string,
  now: Date,
): Promise<BillingContext> {
  const region = await loadRegion(db, regionCode);
  if (!region) throw new Error(`unknown region ${regionCode}`);
  const { year, month } = parsePeriod(period);
  const firstDay = `${period}-01`;
  const lastDay = `${period}-${String(daysInMonth(year, month)).padStart(2, '0')}`;
  const values = await loadParameterValues(db, regionCode, firstDay);
  const ruleDay = formatLocalDate(billRuleDate(period));
  const dateValues = await loadParameterValues(db, regionCode, ruleDay);
  const calendar: CalendarException[] = (await loadCalendar(db, regionCode)).map((c) => {
    const [y, m, d] = c.day.split('-').map(Number);
    return { regionCode, day: { year: y ?? 0, month: m ?? 0, day: d ?? 0 }, isWorking: c.isWorking };
  });
  const dates = billDates(
    period,
    {
      billDeliveryDay: required<number>(dateValues, 'bill_delivery_day'),
      paymentDueDay: required<number>(dateValues, 'payment_due_day'),
    },
    calendar,
  );
  const norms = new Map<string, number>();
  const normLimits = new Map<string, { rooms: number; residents: number }>();
  for (const n of await loadNorms(db, regionCode, firstDay)) addNorm(norms, normLimits, n);
  const payees = new Map<number, BillPayee>();
  for (const p of await loadPrincipals(db)) {
    const { id, ...payee } = p;
    payees.set(id, payee);
  }
  const tariffs: TariffRate[] = (await loadTariffs(db, regionCode, lastDay)).map((t) => ({ ...t }));
  return {
    regionCode,
    timeZone: region.timeZone,
    period,
    firstDay,
    lastDay,
    formedOn: formatLocalDate(localDateOf(now, region.timeZone)),
    deliverBy: formatLocalDate(dates.deliverBy),
    dueDate: formatLocalDate(dates.dueDate),
    tariffs,
    tariffChange: required<TariffChangeRule>(values, 'tariff_change_rule'),
    zoneNames: required(values, 'zone_names'),
    volumeParams: {
      averagePeriods: required(values, 'average_periods'),
      averageMinPeriods: required(values, 'average_min_periods'),
      averageMaxConsecutive: required(values, 'average_max_consecutive_periods'),
      failedMeterAveragePeriods: required(values, 'failed_meter_average_periods'),
      raisingCoefficient: required(values, 'raising_coefficient'),
      normPricedSingleRate: required(values, 'norm_priced_single_rate'),
    },
    commonNormWhPerM2: await loadCommonNorm(db, regionCode, firstDay),
    smartToleranceMs: required<number>(values, 'smart_register_tolerance_hours') * 3_600_000,
    norms,
    normLimits,
    payees,
  };
}

function addNorm(
  norms: Map<string, number>,
  limits: Map<string, { rooms: number; residents: number }>,
  n: NormRow,
): void {
  norms.set(`${n.stoveType}|${n.rooms}|${n.residents}`, n.whPerPerson);
  const l = limits.get(n.stoveType) ?? { rooms: 0, residents: 0 };
  limits.set(n.stoveType, {
    rooms: Math.max(l.rooms, n.rooms),
    residents: Math.max(l.residents, n.residents),
  });
}

/**
 * §6.1 item 4 norm(region, stove type, rooms, residents), Wh per person. The norm tables end with "4 rooms
 * and more", "5 residents and more": larger flats take the last row. Undefined when the table has no row.
 */
export function normFor(
  ctx: BillingContext,
  stoveType: string,
  rooms: number,
  residents: number,
): number | undefined {
  if (residents <= 0) return 0;
  const l = ctx.normLimits.get(stoveType);
  if (!l) return undefined;
  const r = Math.min(Math.max(rooms, 1), l.rooms);
  const p = Math.min(residents, l.residents);
  return ctx.norms.get(`${stoveType}|${r}|${p}`);
}
