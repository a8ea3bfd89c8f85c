import { sql } from 'kysely';
import type { HistoryPoint } from '../domain/reading-rules.ts';
import type { Executor } from '../platform/database.ts';
import type {
  AccountRow,
  BatchRows,
  HouseRow,
  MeterRow,
  ReadingRow,
  VolumeRow,
} from './billing-facts.repository.ts';

/**
 * The SQL of "pay by readings" (domain.md §9): what one account's quote reads. Read-only; the same rows
 * as the billing run's batch (billing-facts.repository.ts), narrowed to one account, so the quote
 * composes the period's charge exactly as the bill will.
 */

export interface QuoteAccountRow {
  id: number;
  number: string;
  status: 'active' | 'closed';
  address: string;
  houseId: number;
  regionCode: string;
  timeZone: string;
}

export async function findQuoteAccount(db: Executor, number: string): Promise<QuoteAccountRow | undefined> {
  const r = await sql<QuoteAccountRow>`
    SELECT a.id, a.number, a.status,
           CASE WHEN h.kind = 'apartment_building' THEN h.address || ', кв. ' || p.number ELSE h.address END AS address,
           h.id AS "houseId", h.region_code AS "regionCode", rg.time_zone AS "timeZone"
    FROM account a JOIN premises p ON p.id = a.premises_id JOIN house h ON h.id = p.house_id
    JOIN region rg ON rg.code = h.region_code
    WHERE a.number = ${number}`.execute(db);
  return r.rows[0];
}

const METER_COLUMNS = sql`id, serial, kind, house_id AS "houseId", account_id AS "accountId", zones, digits, decimals,
  installed_on AS "installedOn", commissioned_on AS "commissionedOn", initial_values_wh AS "initialValuesWh",
  next_verification_on AS "nextVerificationOn", smart, status, failed_on AS "failedOn", removed_on AS "removedOn"`;

/** The account's individual meters as the intake identifies them: in service first, the newest first. */
export async function accountMeters(db: Executor, accountId: number): Promise<MeterRow[]> {
  const r = await sql<MeterRow>`
    SELECT ${METER_COLUMNS} FROM meter
    WHERE account_id = ${accountId} AND kind = 'individual'
    ORDER BY (status = 'removed'), installed_on DESC, id DESC`.execute(db);
  return r.rows;
}

/**
 * What the intake's decision reads (§4 rules 4–8), without the intake's lock: the accepted readings of the
 * meter, one per period and kind (as `intake_lock_meter`, migrations 0003/0005), and the region's last
 * closed period.
 */
export async function readingHistory(
  db: Executor,
  meterId: number,
  regionCode: string,
): Promise<{ history: HistoryPoint[]; lastClosedPeriod: string | undefined }> {
  const r = await sql<{
    history: { id: number; period: string; takenAt: string; valuesWh: number[] }[];
    closed: string | null;
  }>`
    SELECT (SELECT max(period)::text FROM billing_period WHERE region_code = ${regionCode}) AS closed,
      coalesce((
        SELECT json_agg(json_build_object('id', h.id, 'period', h.period, 'takenAt', h.taken_at, 'valuesWh', h.values_wh))
        FROM (
          SELECT DISTINCT ON (r.period, r.kind) r.id, r.period, r.taken_at, r.values_wh
          FROM reading r
          WHERE r.meter_id = ${meterId} AND r.status = 'accepted' AND r.kind IN ('regular', 'control')
          ORDER BY r.period, r.kind, r.id DESC
        ) h), '[]'::json) AS history`.execute(db);
  const row = r.rows[0]!;
  return {
    history: row.history.map((h) => ({ ...h, takenAt: new Date(h.takenAt) })),
    lastClosedPeriod: row.closed ?? undefined,
  };
}

/** How many periods of billed volumes to read back (the billing run reads as many). */
const HISTORY_PERIODS = 36;

/**
 * The billing run's rows (BatchRows) of one account and period: its house, itself, its meters in place
 * during the period (an old one replaced in it included), the readings billed in the period and the last
 * ones billed before it, and its issued volumes.
 */
export async function loadAccountRows(
  db: Executor,
  q: {
    accountId: number;
    houseId: number;
    period: string;
    firstDay: string;
    lastDay: string;
    timeZone: string;
  },
): Promise<BatchRows> {
  const houses = await sql<HouseRow>`
    SELECT id, code, address, kind, stove_type AS "stoveType", settlement_type AS "settlementType",
           management_company_id AS "managementCompanyId", common_needs_mode AS mode,
           (total_area_m2 * 100)::int8 AS "totalAreaCentiM2", (common_area_m2 * 100)::int8 AS "commonAreaCentiM2"
    FROM house WHERE id = ${q.houseId}`.execute(db);
  const accounts = await sql<AccountRow>`
    SELECT a.id, a.number, a.payer_name AS "payerName", a.tariff_category AS category,
           a.meter_installation_possible AS "installationPossible", a.principal_id AS "principalId",
           p.id AS "premisesId", p.house_id AS "houseId", p.number AS "premisesNumber",
           p.is_residential AS residential, (p.area_m2 * 100)::int8 AS "areaCentiM2", p.rooms, p.residents
    FROM account a JOIN premises p ON p.id = a.premises_id
    WHERE a.id = ${q.accountId}`.execute(db);
  const meters = await sql<MeterRow>`
    SELECT ${METER_COLUMNS} FROM meter
    WHERE (account_id = ${q.accountId}
           OR id IN (SELECT x.old_meter_id FROM meter_replacement x JOIN meter n ON n.id = x.new_meter_id
                     WHERE n.account_id = ${q.accountId}))
      AND kind = 'individual' AND installed_on <= ${q.lastDay}::date
      AND (removed_on IS NULL OR removed_on >= ${q.firstDay}::date)
    ORDER BY id`.execute(db);
  const meterIds = meters.rows.map((m) => m.id);
  const replacements = await sql<BatchRows['replacements'][number]>`
    SELECT old_meter_id AS "oldMeterId", new_meter_id AS "newMeterId",
           (replaced_at AT TIME ZONE ${q.timeZone})::date AS "replacedOn", final_values_wh AS "finalValuesWh"
    FROM meter_replacement WHERE new_meter_id = ANY(${meterIds}::int8[])`.execute(db);
  const readingColumns = sql`id, meter_id AS "meterId", kind, values_wh AS "valuesWh",
    (taken_at AT TIME ZONE ${q.timeZone})::date AS "takenOn", taken_at AS "takenAt", period, channel`;
  const current = await sql<ReadingRow>`
    SELECT r.* FROM unnest(${meterIds}::int8[]) AS m(id)
    CROSS JOIN LATERAL (
      SELECT DISTINCT ON (kind) ${readingColumns}
      FROM reading
      WHERE meter_id = m.id AND billed_in_period = ${q.period} AND status = 'accepted' AND kind IN ('regular', 'control')
      ORDER BY kind, period DESC, id DESC) r`.execute(db);
  const previous = await sql<ReadingRow>`
    SELECT r.* FROM unnest(${meterIds}::int8[]) AS m(id)
    CROSS JOIN LATERAL (
      SELECT ${readingColumns}
      FROM reading
      WHERE meter_id = m.id AND billed_in_period < ${q.period} AND status = 'accepted' AND kind IN ('regular', 'control')
      ORDER BY billed_in_period DESC, period DESC, id DESC LIMIT 1) r`.execute(db);
  const history = await sql<VolumeRow>`
    SELECT v.account_id AS "accountId", v.period, v.source, v.zones_wh AS "zonesWh",
           v.single_rate_wh AS "singleRateWh", v.metered_known AS "meteredKnown", v.metered_from AS "meteredFrom",
           v.metered_zones_wh AS "meteredZonesWh"
    FROM bill_volume v JOIN bill b ON b.id = v.bill_id AND b.status = 'issued'
    WHERE v.account_id = ${q.accountId} AND v.period < ${q.period}
      AND v.period >= to_char(${q.firstDay}::date - make_interval(months => ${HISTORY_PERIODS}), 'YYYY-MM')
    ORDER BY v.period`.execute(db);
  return {
    houses: houses.rows,
    accounts: accounts.rows,
    meters: meters.rows,
    replacements: replacements.rows,
    current: current.rows,
    previous: previous.rows,
    history: history.rows,
    bills: [],
  };
}

/** The common-needs amount (§7) of the account's latest issued bill before `period`, if any. */
export async function lastIssuedCommonNeeds(
  db: Executor,
  accountId: number,
  period: string,
): Promise<{ period: string; kopecks: number } | undefined> {
  const r = await sql<{ period: string; kopecks: number }>`
    SELECT period, common_needs_kopecks AS kopecks FROM bill
    WHERE account_id = ${accountId} AND status = 'issued' AND period < ${period}
    ORDER BY period DESC, version DESC LIMIT 1`.execute(db);
  return r.rows[0];
}
