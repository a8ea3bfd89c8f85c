/**
 * Closing a billing period (§5): after the month has ended in the region and its readings window is over.
 * From then on a reading for it goes into the next bill as a recalculation (§4.8), and it can be billed.
 * Periods close in order; closing a closed period again changes nothing.
 */
import { localDateOf } from '../domain/local-time.ts';
import {
  addPeriods,
  comparePeriods,
  formatLocalDate,
  isPeriod,
  type LocalDate,
  periodOfDate,
} from '../domain/period.ts';
import { windowBounds } from '../domain/readings-window.ts';
import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/database.ts';
import { findRegion, loadRuleParameters } from '../registry/index.ts';
import { BillingError } from './billing-errors.ts';
import { insertClosedPeriod, lastClosedPeriod, regionsInScope } from './billing-run.repository.ts';

export interface ClosePeriodResult {
  regionCode: string;
  period: string;
  alreadyClosed: boolean;
}

/**
 * A period that has ended in the region (§5: billing comes after the period), or the refusal: a malformed
 * period, an unknown region, a period not over yet. Returns the region's local today.
 */
export async function endedPeriodToday(
  db: Db,
  clock: Clock,
  o: { regionCode: string; period: string },
): Promise<LocalDate> {
  if (!isPeriod(o.period)) throw BillingError.badPeriod(o.period);
  const region = await findRegion(db, o.regionCode);
  if (!region) throw BillingError.unknownRegion(o.regionCode);
  const today = localDateOf(clock.now(), region.timeZone);
  if (comparePeriods(o.period, periodOfDate(today)) >= 0)
    throw BillingError.periodNotEnded(o.period, o.regionCode);
  return today;
}

export async function closePeriod(
  db: Db,
  clock: Clock,
  o: { regionCode: string; period: string },
): Promise<ClosePeriodResult> {
  const today = await endedPeriodToday(db, clock, o);
  const params = await loadRuleParameters(db, o.regionCode, `${o.period}-01`);
  const closes = windowBounds(params.readingsWindow, o.period).windowCloses;
  if (formatLocalDate(today) <= formatLocalDate(closes)) {
    throw BillingError.periodNotReady(o.period, o.regionCode, formatLocalDate(closes));
  }
  return db.transaction().execute(async (tx) => {
    const last = await lastClosedPeriod(tx, o.regionCode);
    if (last !== null && comparePeriods(o.period, last) <= 0) {
      return { regionCode: o.regionCode, period: o.period, alreadyClosed: true };
    }
    if (last !== null && comparePeriods(o.period, addPeriods(last, 1)) > 0) {
      throw BillingError.closeOutOfOrder(o.period, o.regionCode, addPeriods(last, 1));
    }
    await insertClosedPeriod(tx, o.regionCode, o.period);
    return { regionCode: o.regionCode, period: o.period, alreadyClosed: false };
  });
}

/** Closes the period in the regions named, or in every region with houses; stops at the first refusal. */
export async function closePeriodIn(
  db: Db,
  clock: Clock,
  o: { period: string; regionCodes?: readonly string[] | undefined },
): Promise<ClosePeriodResult[]> {
  const out: ClosePeriodResult[] = [];
  for (const regionCode of await regionsInScope(db, o.regionCodes)) {
    out.push(await closePeriod(db, clock, { regionCode, period: o.period }));
  }
  return out;
}
