import { sql } from 'kysely';
import { closePeriod, findBill, type RegionResult, runBilling } from '../../src/billing/index.ts';
import type { BillDocument } from '../../src/domain/bill-document.ts';
import { addPeriods } from '../../src/domain/period.ts';
import { submitReading } from '../../src/intake/index.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import type { Database, Db } from '../../src/platform/database.ts';

/**
 * Billing through the public use cases: readings through the one intake, periods closed by closePeriod,
 * bills formed and issued by runBilling — the way operators do it, month after month.
 */

/** Moscow gas-stove tariffs of domain.md E1/E6 (8.00 single-rate for E1; H2 2025 zone prices for E6). */
export async function addTariffs(
  db: Db,
  o: { region?: string; single?: number; from?: string; category?: string } = {},
): Promise<void> {
  const region = o.region ?? 'moscow';
  const from = o.from ?? '2020-01-01';
  const category = o.category ?? 'gas_stove';
  const rows: [string, string, number][] = [
    ['single', 'single', o.single ?? 800],
    ['two_zone', 'day', 945],
    ['two_zone', 'night', 408],
    ['three_zone', 'peak', 1124],
    ['three_zone', 'night', 408],
    ['three_zone', 'half_peak', 787],
  ];
  for (const [meterType, zone, price] of rows) {
    await sql`INSERT INTO tariff (region_code, category, meter_type, zone, price_kopecks, effective_from)
              VALUES (${region}, ${category}, ${meterType}, ${zone}, ${price}, ${from})`.execute(db);
  }
}

/** Norms of E2/E3 (gas stove): 74 kWh per person for 2 residents, 60 for 3; common norm 0.683 kWh/m² (E4). */
export async function addNorms(db: Db, region = 'moscow'): Promise<void> {
  for (const rooms of [1, 2, 3, 4]) {
    for (const [residents, kwh] of [
      [1, 100],
      [2, 74],
      [3, 60],
      [4, 50],
      [5, 45],
    ] as const) {
      await sql`INSERT INTO norm (region_code, stove_type, rooms, residents, wh_per_person, effective_from)
                VALUES (${region}, 'gas', ${rooms}, ${residents}, ${kwh * 1000}, '2020-01-01')`.execute(db);
    }
  }
  await sql`INSERT INTO common_norm (region_code, wh_per_m2, effective_from) VALUES (${region}, 683, '2020-01-01')`.execute(
    db,
  );
}

/** Submits a reading through the intake as of `takenAt` (the clock one hour later). */
export async function reading(
  db: Db,
  account: string,
  values: (number | string)[],
  takenAt: string,
  o: {
    channel?: 'paper' | 'inspector' | 'operator' | 'smart';
    kind?: 'regular' | 'control';
    meter?: string;
  } = {},
) {
  const clock = fixedClock(new Date(new Date(takenAt).getTime() + 3_600_000));
  const r = await submitReading(
    { db, clock },
    {
      account,
      values,
      takenAt,
      channel: o.channel ?? 'paper',
      kind: o.kind ?? 'regular',
      ...(o.meter ? { meter: o.meter } : {}),
    },
  );
  if (r.outcome !== 'accepted')
    throw new Error(`reading ${values} on ${takenAt} not accepted: ${JSON.stringify(r)}`);
  return r;
}

/** The moment bills for `period` are formed: the 2nd of the next month, 10:00 Moscow. */
export function billingMoment(period: string): string {
  return `${addPeriods(period, 1)}-02T07:00:00Z`;
}

/** Closes `period` in the region and forms (and by default issues) its bills. */
export async function bill(
  database: Database,
  period: string,
  o: { region?: string; issue?: boolean; repeat?: boolean; at?: string } = {},
): Promise<RegionResult> {
  const region = o.region ?? 'moscow';
  const clock = fixedClock(o.at ?? billingMoment(period));
  await closePeriod(database.db, clock, { regionCode: region, period });
  const [result] = await runBilling(database, clock, {
    period,
    regionCodes: [region],
    issue: o.issue ?? true,
    repeat: o.repeat,
  });
  if (!result) throw new Error('no result');
  return result;
}

export async function billDoc(db: Db, account: string, period: string): Promise<BillDocument> {
  const b = await findBill(db, { accountNumber: account, period });
  if (!b) throw new Error(`no bill for ${account} ${period}`);
  return b.document;
}

/** Σ amount of a bill's lines of a kind, kopecks. */
export function amountOf(doc: BillDocument, kind?: 'consumption' | 'recalculation' | 'common_needs'): number {
  return doc.lines
    .filter((l) => kind === undefined || l.kind === kind)
    .reduce((s, l) => s + l.amountKopecks, 0);
}

export function volumeOf(doc: BillDocument, kind?: 'consumption' | 'recalculation' | 'common_needs'): number {
  return doc.lines.filter((l) => kind === undefined || l.kind === kind).reduce((s, l) => s + l.volumeWh, 0);
}
