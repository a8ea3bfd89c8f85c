import type { BillPayee } from '../domain/bill-document.ts';
import type { TariffChangeRule, TariffRate } from '../domain/charges.ts';
import { localDateOf } from '../domain/local-time.ts';
import { formatLocalDate, parseLocalDate, periodDays } from '../domain/period.ts';
import type { NormTableRow } from '../domain/volume-norm.ts';
import type { VolumeParameters } from '../domain/volume-types.ts';
import { billDates, billRuleDate, type CalendarException } from '../domain/working-days.ts';
import { loadPenaltyRules, type PenaltyRules } from '../ledger/index.ts';
import type { Executor } from '../platform/database.ts';
import {
  commonNormsInForce,
  findRegion,
  listPrincipals,
  loadRuleParameters,
  normsInForce,
} from '../registry/index.ts';
import { loadCalendar, loadTariffs } from './billing-facts.repository.ts';

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
  /** The norm table in force on the period's first day (§6.1 item 4). */
  norms: NormTableRow[];
  payees: Map<number, BillPayee>;
  /** §10 penalty rules of the region (key rates, caps, moratoria), effective-dated. */
  penaltyRules: PenaltyRules;
}

export async function loadBillingContext(
  db: Executor,
  regionCode: string,
  period: string,
  now: Date,
): Promise<BillingContext> {
  const region = await findRegion(db, regionCode);
  if (!region) throw new Error(`unknown region ${regionCode}`);
  const { firstDay, lastDay } = periodDays(period);
  const params = await loadRuleParameters(db, regionCode, firstDay);
  // §5 the delivery and due days in force when the bill is delivered and paid (see billRuleDate).
  const dateRule = await loadRuleParameters(db, regionCode, formatLocalDate(billRuleDate(period)));
  const calendar: CalendarException[] = (await loadCalendar(db, regionCode)).map((c) => ({
    regionCode,
    day: parseLocalDate(c.day),
    isWorking: c.isWorking,
  }));
  const dates = billDates(period, dateRule, calendar);
  const norms = await normsInForce(db, { region: regionCode, on: firstDay, now });
  const commonNorm = (await commonNormsInForce(db, { region: regionCode, on: firstDay, now }))[0];
  const payees = new Map<number, BillPayee>();
  for (const p of await listPrincipals(db)) {
    const { id, code: _code, kind: _kind, ...payee } = p;
    payees.set(id, payee);
  }
  return {
    regionCode,
    timeZone: region.timeZone,
    period,
    firstDay,
    lastDay,
    formedOn: formatLocalDate(localDateOf(now, region.timeZone)),
    deliverBy: formatLocalDate(dates.deliverBy),
    dueDate: formatLocalDate(dates.dueDate),
    tariffs: await loadTariffs(db, regionCode, lastDay),
    tariffChange: params.tariffChangeRule,
    zoneNames: params.zoneNames,
    volumeParams: params,
    commonNormWhPerM2: commonNorm?.whPerM2 ?? null,
    smartToleranceMs: params.smartRegisterToleranceHours * 3_600_000,
    norms,
    payees,
    penaltyRules: await loadPenaltyRules(db, regionCode, lastDay),
  };
}
