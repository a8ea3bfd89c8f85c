/**
 * The demo city's billing history on first start: the last few complete periods closed and billed in
 * order in every region, so the personal account and the back office have issued bills to show.
 */
import { localDateOf } from '../domain/local-time.ts';
import { addPeriods, periodOfDate } from '../domain/period.ts';
import { payDemoBills } from '../ledger/index.ts';
import type { Clock } from '../platform/clock.ts';
import type { Database } from '../platform/database.ts';
import { BillingError } from './billing-errors.ts';
import { runBilling } from './billing-job.ts';
import { closePeriod } from './billing-period.service.ts';
import { regionsWithHouses } from './billing-run.repository.ts';

export async function billRecentPeriods(
  database: Database,
  clock: Clock,
  o: {
    periods: number;
    onPeriod?: (
      period: string,
      bills: number,
      payments: { paid: number; late: number; unpaid: number },
    ) => void;
  },
): Promise<number> {
  const db = database.db;
  const regions = await regionsWithHouses(db);
  let total = 0;
  const open = new Set(regions.map((r) => r.code));
  const current = periodOfDate(localDateOf(clock.now(), 'Europe/Moscow'));
  for (let i = o.periods; i >= 1; i--) {
    const period = addPeriods(current, -i);
    const ready: string[] = [];
    for (const r of regions) {
      if (!open.has(r.code)) continue;
      try {
        await closePeriod(db, clock, { regionCode: r.code, period });
        ready.push(r.code);
      } catch (e) {
        if (!(e instanceof BillingError)) throw e;
        open.delete(r.code); // its window is still open: later periods wait too
      }
    }
    if (ready.length === 0) continue;
    const results = await runBilling(database, clock, {
      period,
      regionCodes: ready,
      issue: true,
      skipProblems: true,
    });
    const bills = results.reduce((s, r) => s + (r.counts?.issued ?? 0), 0);
    total += bills;
    // The city pays its bills (most on time, some late, a few not at all), so that balances, penalties
    // and debt cases of the demo are real ledger facts.
    const payments = await payDemoBills(db, clock, period);
    o.onPeriod?.(period, bills, payments);
  }
  return total;
}
