import { type RawBuilder, sql } from 'kysely';
import type { Executor } from '../platform/database.ts';

/**
 * SQL for effective-dated tariffs (§6.3), norms (§6.1 item 4) and common-needs norms (§7). "In force on a
 * date" is judged per region on that date, or on each region's own local today when no date is given.
 */

export interface InForce {
  region?: string | undefined;
  on?: string | undefined;
  now: Date;
}

/** Each region asked for with the date to judge on. */
function asked(q: InForce): RawBuilder<unknown> {
  return sql`
    SELECT r.code AS region,
           coalesce(${q.on ?? null}::date, (${q.now}::timestamptz AT TIME ZONE r.time_zone)::date) AS on_date
    FROM region r
    ${q.region !== undefined ? sql`WHERE r.code = ${q.region}` : sql``}`;
}

/** A tariff row in force on the date `on` it was asked for. */
export interface TariffRow extends NewTariff {
  on: string;
}

/**
 * Tariffs in force: for each region × category × meter type × zone the schedule with the latest
 * effective date not after the date asked for — all its volume ranges together, so a new schedule
 * replaces the old one's ranges as a whole.
 */
export async function tariffsInForce(
  db: Executor,
  q: InForce & { category?: string | undefined; meterType?: string | undefined },
): Promise<TariffRow[]> {
  const r = await sql<TariffRow>`
    WITH asked AS (${asked(q)}),
    latest AS (
      SELECT t.region_code, t.category, t.meter_type, t.zone, max(t.effective_from) AS effective_from,
             a.on_date
      FROM tariff t JOIN asked a ON a.region = t.region_code
      WHERE t.effective_from <= a.on_date
        ${q.category !== undefined ? sql`AND t.category = ${q.category}` : sql``}
        ${q.meterType !== undefined ? sql`AND t.meter_type = ${q.meterType}` : sql``}
      GROUP BY t.region_code, t.category, t.meter_type, t.zone, a.on_date
    )
    SELECT t.region_code AS region, l.on_date AS "on", t.category, t.meter_type AS "meterType", t.zone,
           t.range_from_kwh AS "rangeFromKwh", t.range_to_kwh AS "rangeToKwh", t.price_kopecks AS "priceKopecks",
           t.effective_from AS "effectiveFrom", t.illustrative, t.note
    FROM tariff t
    JOIN latest l USING (region_code, category, meter_type, zone, effective_from)
    ORDER BY t.region_code, t.category,
             array_position(ARRAY['single', 'two_zone', 'three_zone'], t.meter_type),
             array_position(ARRAY['single', 'day', 'peak', 'night', 'half_peak'], t.zone),
             t.range_from_kwh`.execute(db);
  return r.rows;
}

/** Volume ranges already set for the same tariff key and date (to refuse overlaps); call in a transaction. */
export async function rangesOnSameDate(
  db: Executor,
  k: { region: string; category: string; meterType: string; zone: string; effectiveFrom: string },
): Promise<{ fromKwh: number; toKwh: number | null }[]> {
  // Serialise writers of one tariff key and date: ranges added concurrently cannot overlap unseen.
  await sql`SELECT pg_advisory_xact_lock(hashtext(${`tariff|${k.region}|${k.category}|${k.meterType}|${k.zone}|${k.effectiveFrom}`}))`.execute(
    db,
  );
  const r = await sql<{ fromKwh: number; toKwh: number | null }>`
    SELECT range_from_kwh AS "fromKwh", range_to_kwh AS "toKwh"
    FROM tariff
    WHERE region_code = ${k.region} AND category = ${k.category} AND meter_type = ${k.meterType}
      AND zone = ${k.zone} AND effective_from = ${k.effectiveFrom}`.execute(db);
  return r.rows;
}

export interface NewTariff {
  region: string;
  category: string;
  meterType: string;
  zone: string;
  rangeFromKwh: number;
  rangeToKwh: number | null;
  priceKopecks: number;
  effectiveFrom: string;
  illustrative: boolean;
  note: string | null;
}

export async function insertTariff(db: Executor, t: NewTariff): Promise<void> {
  await sql`
    INSERT INTO tariff (region_code, category, meter_type, zone, range_from_kwh, range_to_kwh, price_kopecks,
                        effective_from, illustrative, note)
    VALUES (${t.region}, ${t.category}, ${t.meterType}, ${t.zone}, ${t.rangeFromKwh}, ${t.rangeToKwh},
            ${t.priceKopecks}, ${t.effectiveFrom}, ${t.illustrative}, ${t.note})`.execute(db);
}

export interface NormRow {
  region: string;
  on: string;
  stoveType: string;
  rooms: number;
  residents: number;
  whPerPerson: number;
  effectiveFrom: string;
  illustrative: boolean;
}

/** Norms in force: per region × stove type × rooms × residents, the latest row not after the date. */
export async function normsInForce(
  db: Executor,
  q: InForce & { stoveType?: string | undefined },
): Promise<NormRow[]> {
  const r = await sql<NormRow>`
    WITH asked AS (${asked(q)})
    SELECT DISTINCT ON (n.region_code, n.stove_type, n.rooms, n.residents)
           n.region_code AS region, a.on_date AS "on", n.stove_type AS "stoveType", n.rooms, n.residents,
           n.wh_per_person AS "whPerPerson", n.effective_from AS "effectiveFrom", n.illustrative
    FROM norm n JOIN asked a ON a.region = n.region_code
    WHERE n.effective_from <= a.on_date
      ${q.stoveType !== undefined ? sql`AND n.stove_type = ${q.stoveType}` : sql``}
    ORDER BY n.region_code, n.stove_type, n.rooms, n.residents, n.effective_from DESC`.execute(db);
  return r.rows;
}

export async function insertNorm(
  db: Executor,
  n: {
    region: string;
    stoveType: string;
    rooms: number;
    residents: number;
    whPerPerson: number;
    effectiveFrom: string;
    illustrative: boolean;
  },
): Promise<void> {
  await sql`
    INSERT INTO norm (region_code, stove_type, rooms, residents, wh_per_person, effective_from, illustrative)
    VALUES (${n.region}, ${n.stoveType}, ${n.rooms}, ${n.residents}, ${n.whPerPerson}, ${n.effectiveFrom},
            ${n.illustrative})`.execute(db);
}

export interface CommonNormRow {
  region: string;
  on: string;
  whPerM2: number;
  effectiveFrom: string;
  illustrative: boolean;
}

export async function commonNormsInForce(db: Executor, q: InForce): Promise<CommonNormRow[]> {
  const r = await sql<CommonNormRow>`
    WITH asked AS (${asked(q)})
    SELECT DISTINCT ON (c.region_code) c.region_code AS region, a.on_date AS "on", c.wh_per_m2 AS "whPerM2",
           c.effective_from AS "effectiveFrom", c.illustrative
    FROM common_norm c JOIN asked a ON a.region = c.region_code
    WHERE c.effective_from <= a.on_date
    ORDER BY c.region_code, c.effective_from DESC`.execute(db);
  return r.rows;
}

export async function insertCommonNorm(
  db: Executor,
  c: { region: string; whPerM2: number; effectiveFrom: string; illustrative: boolean },
): Promise<void> {
  await sql`
    INSERT INTO common_norm (region_code, wh_per_m2, effective_from, illustrative)
    VALUES (${c.region}, ${c.whPerM2}, ${c.effectiveFrom}, ${c.illustrative})`.execute(db);
}
