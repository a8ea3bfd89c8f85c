import { sql } from 'kysely';
import type { TariffRate } from '../domain/charges.ts';
import type { Executor } from '../platform/database.ts';

/**
 * The SQL that gathers what a batch of houses needs for one period's bills: set-based, a handful of
 * queries per batch whatever its size (design principle 4).
 */

export interface HouseRow {
  id: number;
  code: string;
  address: string;
  kind: 'apartment_building' | 'private_house';
  stoveType: 'gas' | 'electric';
  settlementType: 'urban' | 'rural';
  managementCompanyId: number | null;
  mode: 'none' | 'full' | 'capped';
  totalAreaCentiM2: number;
  commonAreaCentiM2: number;
}

export interface AccountRow {
  id: number;
  number: string;
  payerName: string;
  category: 'gas_stove' | 'electric_stove' | 'rural' | 'equated';
  installationPossible: boolean;
  principalId: number;
  premisesId: number;
  houseId: number;
  premisesNumber: string;
  residential: boolean;
  areaCentiM2: number;
  rooms: number;
  residents: number;
}

export interface MeterRow {
  id: number;
  serial: string;
  kind: 'individual' | 'common';
  houseId: number;
  accountId: number | null;
  zones: number;
  digits: number;
  decimals: number;
  installedOn: string;
  commissionedOn: string | null;
  initialValuesWh: number[];
  nextVerificationOn: string;
  smart: boolean;
  status: 'active' | 'failed' | 'removed';
  failedOn: string | null;
  removedOn: string | null;
}

export interface ReplacementRow {
  oldMeterId: number;
  newMeterId: number;
  replacedOn: string;
  finalValuesWh: number[];
}

export interface ReadingRow {
  id: number;
  meterId: number;
  kind: 'regular' | 'control';
  valuesWh: number[];
  takenOn: string;
  takenAt: Date;
  period: string;
  channel: string;
}

export interface VolumeRow {
  accountId: number;
  period: string;
  source: 'actual' | 'smart' | 'control' | 'average' | 'norm';
  zonesWh: number[];
  singleRateWh: number;
  meteredKnown: boolean;
  meteredFrom: string | null;
  meteredZonesWh: number[] | null;
}

export interface CurrentBillRow {
  id: number;
  accountId: number;
  version: number;
  status: 'draft' | 'issued' | 'superseded';
  contentSha256: string;
}

export interface BatchRows {
  houses: HouseRow[];
  accounts: AccountRow[];
  meters: MeterRow[];
  replacements: ReplacementRow[];
  /** Accepted readings that go into this period's bill (§4.8: billed_in_period), latest per meter and kind. */
  current: ReadingRow[];
  /** The latest accepted reading per meter billed before this period: the last actual values. */
  previous: ReadingRow[];
  history: VolumeRow[];
  /** The latest bill version of each account for the period (any status). */
  bills: CurrentBillRow[];
}

/** How many periods of billed volumes to read back: the average looks 6 actual periods back, true-ups further. */
const HISTORY_PERIODS = 36;

export async function loadBatchRows(
  db: Executor,
  q: { period: string; firstDay: string; lastDay: string; timeZone: string; houseIds: number[] },
): Promise<BatchRows> {
  const houses = await sql<HouseRow>`
    SELECT id, code, address, kind, stove_type AS "stoveType", settlement_type AS "settlementType",
           management_company_id AS "managementCompanyId", common_needs_mode AS mode,
           (total_area_m2 * 100)::int8 AS "totalAreaCentiM2", (common_area_m2 * 100)::int8 AS "commonAreaCentiM2"
    FROM house WHERE id = ANY(${q.houseIds}::int8[]) ORDER BY id`.execute(db);
  const accounts = await sql<AccountRow>`
    SELECT a.id, a.number, a.payer_name AS "payerName", a.tariff_category AS category,
           a.meter_installation_possible AS "installationPossible", a.principal_id AS "principalId",
           p.id AS "premisesId", p.house_id AS "houseId", p.number AS "premisesNumber",
           p.is_residential AS residential, (p.area_m2 * 100)::int8 AS "areaCentiM2", p.rooms, p.residents
    FROM unnest(${q.houseIds}::int8[]) AS h(id)
    CROSS JOIN LATERAL (SELECT * FROM premises WHERE house_id = h.id) p
    JOIN account a ON a.premises_id = p.id
    WHERE a.start_date <= ${q.lastDay}::date AND (a.end_date IS NULL OR a.end_date >= ${q.firstDay}::date)
    ORDER BY p.house_id, p.id, a.id`.execute(db);
  const meters = await sql<MeterRow>`
    SELECT id, serial, kind, house_id AS "houseId", account_id AS "accountId", zones, digits, decimals,
           installed_on AS "installedOn", commissioned_on AS "commissionedOn",
           initial_values_wh AS "initialValuesWh", next_verification_on AS "nextVerificationOn", smart, status,
           failed_on AS "failedOn", removed_on AS "removedOn"
    FROM meter
    WHERE house_id = ANY(${q.houseIds}::int8[]) AND installed_on <= ${q.lastDay}::date
      AND (removed_on IS NULL OR removed_on >= ${q.firstDay}::date)
    ORDER BY id`.execute(db);
  const meterIds = meters.rows.map((m) => m.id);
  const replacements = await sql<ReplacementRow>`
    SELECT old_meter_id AS "oldMeterId", new_meter_id AS "newMeterId",
           (replaced_at AT TIME ZONE ${q.timeZone})::date AS "replacedOn", final_values_wh AS "finalValuesWh"
    FROM meter_replacement WHERE new_meter_id = ANY(${meterIds}::int8[])`.execute(db);
  const readingColumns = sql`id, meter_id AS "meterId", kind, values_wh AS "valuesWh",
    (taken_at AT TIME ZONE ${q.timeZone})::date AS "takenOn", taken_at AS "takenAt", period, channel`;
  // Per meter through the (meter_id, period, id) index: a batch reads its own meters' rows, never the table.
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
  const accountIds = accounts.rows.map((a) => a.id);
  const history = await sql<VolumeRow>`
    SELECT v.account_id AS "accountId", v.period, v.source, v.zones_wh AS "zonesWh",
           v.single_rate_wh AS "singleRateWh", v.metered_known AS "meteredKnown", v.metered_from AS "meteredFrom",
           v.metered_zones_wh AS "meteredZonesWh"
    FROM unnest(${accountIds}::int8[]) AS a(id)
    CROSS JOIN LATERAL (
      SELECT * FROM bill_volume
      WHERE account_id = a.id AND period < ${q.period}
        AND period >= to_char(${q.firstDay}::date - make_interval(months => ${HISTORY_PERIODS}), 'YYYY-MM')) v
    JOIN bill b ON b.id = v.bill_id AND b.status = 'issued'
    ORDER BY v.account_id, v.period`.execute(db);
  const bills = await sql<CurrentBillRow>`
    SELECT b.* FROM unnest(${accountIds}::int8[]) AS a(id)
    CROSS JOIN LATERAL (
      SELECT id, account_id AS "accountId", version, status, content_sha256 AS "contentSha256"
      FROM bill WHERE account_id = a.id AND period = ${q.period}
      ORDER BY version DESC LIMIT 1) b`.execute(db);
  return {
    houses: houses.rows,
    accounts: accounts.rows,
    meters: meters.rows,
    replacements: replacements.rows,
    current: current.rows,
    previous: previous.rows,
    history: history.rows,
    bills: bills.rows,
  };
}

/** A tariff row of the region, with its id (bill lines name it). */
export type TariffRow = TariffRate & { id: number };

/** Every tariff row of the region up to the period's last day: schedules changing inside it included (§6.3). */
export async function loadTariffs(db: Executor, region: string, lastDay: string): Promise<TariffRow[]> {
  const r = await sql<TariffRow>`
    SELECT id, category, meter_type AS "meterType", zone, range_from_kwh AS "rangeFromKwh",
           range_to_kwh AS "rangeToKwh", price_kopecks AS "priceKopecks", effective_from AS "effectiveFrom"
    FROM tariff WHERE region_code = ${region} AND effective_from <= ${lastDay}::date
    ORDER BY category, meter_type, zone, effective_from, range_from_kwh`.execute(db);
  return r.rows;
}

export interface CalendarRow {
  day: string;
  isWorking: boolean;
}

export async function loadCalendar(db: Executor, region: string): Promise<CalendarRow[]> {
  const r = await sql<CalendarRow>`
    SELECT DISTINCT ON (day) day, is_working AS "isWorking" FROM calendar_day
    WHERE region_code = ${region} OR region_code IS NULL
    ORDER BY day, (region_code IS NULL)`.execute(db);
  return r.rows;
}
