import { type RawBuilder, sql } from 'kysely';
import type { Executor } from '../platform/database.ts';
import { timestampFromDb } from './registry-format.ts';

/**
 * The only SQL of registry import/export. Rows are "records": database content with natural keys instead
 * of ids, energy in Wh, timestamps as canonical UTC text. Reads are set-based (`= ANY($1)`), writes are
 * `INSERT … SELECT FROM unnest(…)` in chunks, each chunk one statement.
 */

export interface PrincipalRec {
  code: string;
  kind: 'supplier' | 'agent';
  name: string;
  inn: string | null;
  kpp: string | null;
  bankName: string | null;
  bic: string | null;
  personalAcc: string | null;
  correspAcc: string | null;
  phone: string | null;
  email: string | null;
  address: string | null;
}

export interface ManagementCompanyRec {
  code: string;
  name: string;
  inn: string | null;
  phone: string | null;
  email: string | null;
}

export interface HouseRec {
  code: string;
  regionCode: string;
  managementCompanyCode: string | null;
  address: string;
  kind: 'apartment_building' | 'private_house';
  stoveType: 'gas' | 'electric';
  settlementType: 'urban' | 'rural';
  totalAreaM2: number;
  commonAreaM2: number;
  commonNeedsMode: 'none' | 'full' | 'capped';
}

export interface PremisesRec {
  houseCode: string;
  number: string;
  isResidential: boolean;
  areaM2: number;
  rooms: number;
  residents: number;
}

export interface AccountRec {
  number: string;
  houseCode: string;
  premisesNumber: string;
  principalCode: string;
  payerName: string;
  email: string | null;
  /** Sorted. */
  phones: string[];
  tariffCategory: 'gas_stove' | 'electric_stove' | 'rural' | 'equated';
  status: 'active' | 'closed';
  startDate: string;
  endDate: string | null;
  meterInstallationPossible: boolean;
}

export interface MeterRec {
  serial: string;
  model: string;
  kind: 'individual' | 'common';
  houseCode: string;
  accountNumber: string | null;
  zones: number;
  digits: number;
  decimals: number;
  installedOn: string;
  commissionedOn: string | null;
  commissioningAct: string | null;
  initialValuesWh: number[];
  nextVerificationOn: string;
  smart: boolean;
  headEndId: string | null;
  status: 'active' | 'failed' | 'removed';
  failureReason: string | null;
  failedOn: string | null;
  removedOn: string | null;
}

export interface MeterReplacementRec {
  oldSerial: string;
  newSerial: string;
  replacedAt: string;
  finalValuesWh: number[];
  actNumber: string | null;
}

export interface ReadingRec {
  meterSerial: string;
  accountNumber: string | null;
  kind: 'regular' | 'control' | 'final';
  valuesWh: number[];
  rollover: boolean;
  takenAt: string;
  receivedAt: string;
  channel: string;
  externalId: string | null;
  submittedBy: string | null;
  period: string;
  billedInPeriod: string | null;
  status: 'accepted' | 'held' | 'rejected';
  reasonCode: string | null;
}

/** A stored reading: the record plus its id (the order of submissions, which decides supersession). */
export interface StoredReadingRec extends ReadingRec {
  id: number;
}

export interface TariffRec {
  regionCode: string;
  category: 'gas_stove' | 'electric_stove' | 'rural' | 'equated';
  meterType: 'single' | 'two_zone' | 'three_zone';
  zone: 'single' | 'day' | 'night' | 'peak' | 'half_peak';
  rangeFromKwh: number;
  rangeToKwh: number | null;
  priceKopecks: number;
  effectiveFrom: string;
  illustrative: boolean;
  note: string | null;
}

export interface NormRec {
  regionCode: string;
  stoveType: 'gas' | 'electric';
  rooms: number;
  residents: number;
  whPerPerson: number;
  effectiveFrom: string;
  illustrative: boolean;
}

export interface CommonNormRec {
  regionCode: string;
  whPerM2: number;
  effectiveFrom: string;
  illustrative: boolean;
}

// ---------------------------------------------------------------------------------------------------------
// Reading

/** Canonical UTC text of a timestamptz column: microseconds, trimmed by the caller (timestampFromDb). */
const utc = (column: RawBuilder<unknown>) =>
  sql<string>`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')`;

/** ANDs the given conditions; none → true. */
function where(conditions: (RawBuilder<unknown> | undefined)[]): RawBuilder<unknown> {
  const list = conditions.filter((c): c is RawBuilder<unknown> => c !== undefined);
  return list.length === 0 ? sql`true` : sql.join(list, sql` AND `);
}

const anyText = (column: RawBuilder<unknown>, values: string[] | undefined) =>
  values === undefined ? undefined : sql`${column} = ANY(${values}::text[])`;

/** Filters shared by the selects: limit to houses (export of part of a registry) or to natural keys. */
export interface HouseFilter {
  houseCodes?: string[];
}

export async function selectRegions(db: Executor): Promise<{ code: string; timeZone: string }[]> {
  const r = await sql<{ code: string; timeZone: string }>`
    SELECT code, time_zone AS "timeZone" FROM region ORDER BY code COLLATE "C"`.execute(db);
  return r.rows;
}

/** Every row of the given parameters (few): resolved by region and date in memory. */
export async function selectParameterRows(
  db: Executor,
  keys: string[],
): Promise<{ regionCode: string | null; key: string; value: unknown; effectiveFrom: string }[]> {
  const r = await sql<{ regionCode: string | null; key: string; value: unknown; effectiveFrom: string }>`
    SELECT region_code AS "regionCode", key, value, effective_from AS "effectiveFrom"
    FROM parameter WHERE key = ANY(${keys}::text[])
    ORDER BY key, region_code NULLS FIRST, effective_from`.execute(db);
  return r.rows;
}

export async function selectPrincipals(
  db: Executor,
  f: HouseFilter & { codes?: string[] },
): Promise<PrincipalRec[]> {
  const r = await sql<PrincipalRec>`
    SELECT code, kind, name, inn, kpp, bank_name AS "bankName", bic, personal_acc AS "personalAcc",
           corresp_acc AS "correspAcc", phone, email, address
    FROM principal pr
    WHERE ${where([
      anyText(sql`pr.code`, f.codes),
      f.houseCodes === undefined
        ? undefined
        : sql`pr.id IN (SELECT a.principal_id FROM account a JOIN premises p ON p.id = a.premises_id
                        JOIN house h ON h.id = p.house_id WHERE h.code = ANY(${f.houseCodes}::text[]))`,
    ])}
    ORDER BY code COLLATE "C"`.execute(db);
  return r.rows;
}

export async function selectManagementCompanies(
  db: Executor,
  f: HouseFilter & { codes?: string[] },
): Promise<ManagementCompanyRec[]> {
  const r = await sql<ManagementCompanyRec>`
    SELECT code, name, inn, phone, email
    FROM management_company mc
    WHERE ${where([
      anyText(sql`mc.code`, f.codes),
      f.houseCodes === undefined
        ? undefined
        : sql`mc.id IN (SELECT management_company_id FROM house WHERE code = ANY(${f.houseCodes}::text[]))`,
    ])}
    ORDER BY code COLLATE "C"`.execute(db);
  return r.rows;
}

export async function selectHouses(db: Executor, f: HouseFilter): Promise<HouseRec[]> {
  const r = await sql<HouseRec>`
    SELECT h.code, h.region_code AS "regionCode", mc.code AS "managementCompanyCode", h.address, h.kind,
           h.stove_type AS "stoveType", h.settlement_type AS "settlementType", h.total_area_m2 AS "totalAreaM2",
           h.common_area_m2 AS "commonAreaM2", h.common_needs_mode AS "commonNeedsMode"
    FROM house h LEFT JOIN management_company mc ON mc.id = h.management_company_id
    WHERE ${where([anyText(sql`h.code`, f.houseCodes)])}
    ORDER BY h.code COLLATE "C"`.execute(db);
  return r.rows;
}

export async function selectPremises(db: Executor, f: HouseFilter): Promise<PremisesRec[]> {
  const r = await sql<PremisesRec>`
    SELECT h.code AS "houseCode", p.number, p.is_residential AS "isResidential", p.area_m2 AS "areaM2",
           p.rooms, p.residents
    FROM premises p JOIN house h ON h.id = p.house_id
    WHERE ${where([anyText(sql`h.code`, f.houseCodes)])}
    ORDER BY h.code COLLATE "C", p.number COLLATE "C"`.execute(db);
  return r.rows;
}

const ACCOUNT_COLUMNS = sql`
  a.number, h.code AS "houseCode", p.number AS "premisesNumber", pr.code AS "principalCode",
  a.payer_name AS "payerName", a.email,
  coalesce((SELECT array_agg(ph.phone ORDER BY ph.phone COLLATE "C") FROM account_phone ph
            WHERE ph.account_id = a.id), '{}') AS phones,
  a.tariff_category AS "tariffCategory", a.status, a.start_date AS "startDate", a.end_date AS "endDate",
  a.meter_installation_possible AS "meterInstallationPossible"`;
const ACCOUNT_FROM = sql`account a JOIN premises p ON p.id = a.premises_id JOIN house h ON h.id = p.house_id
  JOIN principal pr ON pr.id = a.principal_id`;

export async function selectAccounts(
  db: Executor,
  f: HouseFilter & { numbers?: string[] },
): Promise<AccountRec[]> {
  const r = await sql<AccountRec>`
    SELECT ${ACCOUNT_COLUMNS} FROM ${ACCOUNT_FROM}
    WHERE ${where([anyText(sql`h.code`, f.houseCodes), anyText(sql`a.number`, f.numbers)])}
    ORDER BY a.number COLLATE "C"`.execute(db);
  return r.rows;
}

/** Stored premises with the given keys (house code + number), as records. */
export async function selectPremisesByKeys(
  db: Executor,
  keys: { houseCode: string; number: string }[],
): Promise<PremisesRec[]> {
  if (keys.length === 0) return [];
  const r = await sql<PremisesRec>`
    SELECT h.code AS "houseCode", p.number, p.is_residential AS "isResidential", p.area_m2 AS "areaM2",
           p.rooms, p.residents
    FROM unnest(${keys.map((k) => k.houseCode)}::text[], ${keys.map((k) => k.number)}::text[]) AS k(house_code, number)
    JOIN house h ON h.code = k.house_code
    JOIN premises p ON p.house_id = h.id AND p.number = k.number`.execute(db);
  return r.rows;
}

/** Keys (house|number) of the given premises that have a meter in service through one of their accounts. */
export async function selectPremisesWithMeter(
  db: Executor,
  keys: { houseCode: string; number: string }[],
): Promise<{ houseCode: string; number: string }[]> {
  if (keys.length === 0) return [];
  const r = await sql<{ houseCode: string; number: string }>`
    SELECT DISTINCT h.code AS "houseCode", p.number
    FROM unnest(${keys.map((k) => k.houseCode)}::text[], ${keys.map((k) => k.number)}::text[]) AS k(house_code, number)
    JOIN house h ON h.code = k.house_code
    JOIN premises p ON p.house_id = h.id AND p.number = k.number
    JOIN account a ON a.premises_id = p.id
    JOIN meter m ON m.account_id = a.id AND m.status <> 'removed'`.execute(db);
  return r.rows;
}

const METER_COLUMNS = sql`
  m.serial, m.model, m.kind, h.code AS "houseCode", a.number AS "accountNumber", m.zones, m.digits, m.decimals,
  m.installed_on AS "installedOn", m.commissioned_on AS "commissionedOn", m.commissioning_act AS "commissioningAct",
  m.initial_values_wh AS "initialValuesWh", m.next_verification_on AS "nextVerificationOn", m.smart,
  m.head_end_id AS "headEndId", m.status, m.failure_reason AS "failureReason", m.failed_on AS "failedOn",
  m.removed_on AS "removedOn"`;

export async function selectMeters(
  db: Executor,
  f: HouseFilter & { serials?: string[]; headEndIds?: string[]; commonInHouses?: string[] },
): Promise<MeterRec[]> {
  const or: RawBuilder<unknown>[] = [];
  if (f.serials !== undefined) or.push(sql`m.serial = ANY(${f.serials}::text[])`);
  if (f.headEndIds !== undefined) or.push(sql`m.head_end_id = ANY(${f.headEndIds}::text[])`);
  if (f.commonInHouses !== undefined)
    or.push(sql`(m.kind = 'common' AND m.status <> 'removed' AND h.code = ANY(${f.commonInHouses}::text[]))`);
  const r = await sql<MeterRec>`
    SELECT ${METER_COLUMNS}
    FROM meter m JOIN house h ON h.id = m.house_id LEFT JOIN account a ON a.id = m.account_id
    WHERE ${where([anyText(sql`h.code`, f.houseCodes), or.length > 0 ? sql`(${sql.join(or, sql` OR `)})` : undefined])}
    ORDER BY m.serial COLLATE "C"`.execute(db);
  return r.rows;
}

export async function selectMeterReplacements(
  db: Executor,
  f: HouseFilter & { serials?: string[] },
): Promise<MeterReplacementRec[]> {
  const r = await sql<MeterReplacementRec>`
    SELECT o.serial AS "oldSerial", n.serial AS "newSerial", ${utc(sql`mr.replaced_at`)} AS "replacedAt",
           mr.final_values_wh AS "finalValuesWh", mr.act_number AS "actNumber"
    FROM meter_replacement mr JOIN meter o ON o.id = mr.old_meter_id JOIN meter n ON n.id = mr.new_meter_id
    WHERE ${where([
      f.houseCodes === undefined
        ? undefined
        : sql`o.house_id IN (SELECT id FROM house WHERE code = ANY(${f.houseCodes}::text[]))`,
      f.serials === undefined
        ? undefined
        : sql`(o.serial = ANY(${f.serials}::text[]) OR n.serial = ANY(${f.serials}::text[]))`,
    ])}
    ORDER BY o.serial COLLATE "C"`.execute(db);
  return r.rows.map((row) => ({ ...row, replacedAt: timestampFromDb(row.replacedAt) }));
}

/**
 * Readings by meter serial, then id: the id is the order of submissions, which decides which reading of a
 * period counts (view reading_effective), so the export keeps it and an import reproduces it.
 */
export async function selectReadings(
  db: Executor,
  f: HouseFilter & { meterSerials?: string[]; externalIds?: { channel: string; externalId: string }[] },
): Promise<StoredReadingRec[]> {
  const r = await sql<StoredReadingRec>`
    SELECT r.id, m.serial AS "meterSerial", a.number AS "accountNumber", r.kind, r.values_wh AS "valuesWh",
           r.rollover, ${utc(sql`r.taken_at`)} AS "takenAt", ${utc(sql`r.received_at`)} AS "receivedAt",
           r.channel, r.external_id AS "externalId", r.submitted_by AS "submittedBy", r.period,
           r.billed_in_period AS "billedInPeriod", r.status, r.reason_code AS "reasonCode"
    FROM reading r JOIN meter m ON m.id = r.meter_id LEFT JOIN account a ON a.id = r.account_id
    WHERE ${where([
      f.houseCodes === undefined
        ? undefined
        : sql`m.house_id IN (SELECT id FROM house WHERE code = ANY(${f.houseCodes}::text[]))`,
      anyText(sql`m.serial`, f.meterSerials),
      f.externalIds === undefined
        ? undefined
        : sql`(r.channel, r.external_id) IN (SELECT * FROM unnest(${f.externalIds.map((e) => e.channel)}::text[],
                ${f.externalIds.map((e) => e.externalId)}::text[]))`,
    ])}
    ORDER BY m.serial COLLATE "C", r.id`.execute(db);
  for (const row of r.rows) {
    row.takenAt = timestampFromDb(row.takenAt);
    row.receivedAt = timestampFromDb(row.receivedAt);
  }
  return r.rows;
}

export async function selectTariffs(db: Executor, f: { regionCodes?: string[] }): Promise<TariffRec[]> {
  const r = await sql<TariffRec>`
    SELECT region_code AS "regionCode", category, meter_type AS "meterType", zone, range_from_kwh AS "rangeFromKwh",
           range_to_kwh AS "rangeToKwh", price_kopecks AS "priceKopecks", effective_from AS "effectiveFrom",
           illustrative, note
    FROM tariff WHERE ${where([anyText(sql`region_code`, f.regionCodes)])}
    ORDER BY region_code COLLATE "C", category COLLATE "C", meter_type COLLATE "C", zone COLLATE "C",
             range_from_kwh, effective_from`.execute(db);
  return r.rows;
}

export async function selectNorms(db: Executor, f: { regionCodes?: string[] }): Promise<NormRec[]> {
  const r = await sql<NormRec>`
    SELECT region_code AS "regionCode", stove_type AS "stoveType", rooms, residents, wh_per_person AS "whPerPerson",
           effective_from AS "effectiveFrom", illustrative
    FROM norm WHERE ${where([anyText(sql`region_code`, f.regionCodes)])}
    ORDER BY region_code COLLATE "C", stove_type COLLATE "C", rooms, residents, effective_from`.execute(db);
  return r.rows;
}

export async function selectCommonNorms(
  db: Executor,
  f: { regionCodes?: string[] },
): Promise<CommonNormRec[]> {
  const r = await sql<CommonNormRec>`
    SELECT region_code AS "regionCode", wh_per_m2 AS "whPerM2", effective_from AS "effectiveFrom", illustrative
    FROM common_norm WHERE ${where([anyText(sql`region_code`, f.regionCodes)])}
    ORDER BY region_code COLLATE "C", effective_from`.execute(db);
  return r.rows;
}

/** Serialises registry imports: one at a time, until the transaction ends. */
export async function lockRegistryImport(db: Executor): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtext('abonent:registry-import'))`.execute(db);
}

// ---------------------------------------------------------------------------------------------------------
// Writes: one statement per chunk, natural keys joined to ids inside SQL.

const CHUNK = 20_000;

async function inChunks<T>(rows: T[], write: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) await write(rows.slice(i, i + CHUNK));
}

const col = <T, V>(rows: T[], f: (r: T) => V): V[] => rows.map(f);
/** A Wh array as a PostgreSQL array literal, so that ragged arrays (1–3 zones) pass through unnest as text. */
const whLiteral = (values: number[]) => `{${values.join(',')}}`;

export async function insertPrincipals(db: Executor, rows: PrincipalRec[]): Promise<void> {
  await inChunks(rows, (c) =>
    sql`INSERT INTO principal (code, kind, name, inn, kpp, bank_name, bic, personal_acc, corresp_acc, phone, email, address)
      SELECT * FROM unnest(${col(c, (r) => r.code)}::text[], ${col(c, (r) => r.kind)}::text[],
        ${col(c, (r) => r.name)}::text[], ${col(c, (r) => r.inn)}::text[], ${col(c, (r) => r.kpp)}::text[],
        ${col(c, (r) => r.bankName)}::text[], ${col(c, (r) => r.bic)}::text[], ${col(c, (r) => r.personalAcc)}::text[],
        ${col(c, (r) => r.correspAcc)}::text[], ${col(c, (r) => r.phone)}::text[], ${col(c, (r) => r.email)}::text[],
        ${col(c, (r) => r.address)}::text[])`.execute(db),
  );
}

export async function insertManagementCompanies(db: Executor, rows: ManagementCompanyRec[]): Promise<void> {
  await inChunks(rows, (c) =>
    sql`INSERT INTO management_company (code, name, inn, phone, email)
      SELECT * FROM unnest(${col(c, (r) => r.code)}::text[], ${col(c, (r) => r.name)}::text[],
        ${col(c, (r) => r.inn)}::text[], ${col(c, (r) => r.phone)}::text[], ${col(c, (r) => r.email)}::text[])`.execute(
      db,
    ),
  );
}

export async function insertHouses(db: Executor, rows: HouseRec[]): Promise<void> {
  await inChunks(rows, (c) =>
    sql`INSERT INTO house (code, region_code, management_company_id, address, kind, stove_type, settlement_type,
        total_area_m2, common_area_m2, common_needs_mode)
      SELECT t.code, t.region_code, mc.id, t.address, t.kind, t.stove_type, t.settlement_type, t.total, t.common, t.mode
      FROM unnest(${col(c, (r) => r.code)}::text[], ${col(c, (r) => r.regionCode)}::text[],
        ${col(c, (r) => r.managementCompanyCode)}::text[], ${col(c, (r) => r.address)}::text[],
        ${col(c, (r) => r.kind)}::text[], ${col(c, (r) => r.stoveType)}::text[], ${col(c, (r) => r.settlementType)}::text[],
        ${col(c, (r) => r.totalAreaM2)}::numeric[], ${col(c, (r) => r.commonAreaM2)}::numeric[],
        ${col(c, (r) => r.commonNeedsMode)}::text[]) WITH ORDINALITY
        AS t(code, region_code, mc_code, address, kind, stove_type, settlement_type, total, common, mode, ord)
      LEFT JOIN management_company mc ON mc.code = t.mc_code
      ORDER BY t.ord`.execute(db),
  );
}

export async function insertPremises(db: Executor, rows: PremisesRec[]): Promise<void> {
  await inChunks(rows, (c) =>
    sql`INSERT INTO premises (house_id, number, is_residential, area_m2, rooms, residents)
      SELECT h.id, t.number, t.is_residential, t.area, t.rooms, t.residents
      FROM unnest(${col(c, (r) => r.houseCode)}::text[], ${col(c, (r) => r.number)}::text[],
        ${col(c, (r) => r.isResidential)}::boolean[], ${col(c, (r) => r.areaM2)}::numeric[],
        ${col(c, (r) => r.rooms)}::smallint[], ${col(c, (r) => r.residents)}::smallint[]) WITH ORDINALITY
        AS t(house_code, number, is_residential, area, rooms, residents, ord)
      JOIN house h ON h.code = t.house_code
      ORDER BY t.ord`.execute(db),
  );
}

export async function insertAccounts(db: Executor, rows: AccountRec[]): Promise<void> {
  await inChunks(rows, async (c) => {
    await sql`INSERT INTO account (number, premises_id, principal_id, payer_name, email, tariff_category, status,
        start_date, end_date, meter_installation_possible)
      SELECT t.number, p.id, pr.id, t.payer_name, t.email, t.category, t.status, t.start_date, t.end_date, t.possible
      FROM unnest(${col(c, (r) => r.number)}::text[], ${col(c, (r) => r.houseCode)}::text[],
        ${col(c, (r) => r.premisesNumber)}::text[], ${col(c, (r) => r.principalCode)}::text[],
        ${col(c, (r) => r.payerName)}::text[], ${col(c, (r) => r.email)}::text[], ${col(c, (r) => r.tariffCategory)}::text[],
        ${col(c, (r) => r.status)}::text[], ${col(c, (r) => r.startDate)}::date[], ${col(c, (r) => r.endDate)}::date[],
        ${col(c, (r) => r.meterInstallationPossible)}::boolean[]) WITH ORDINALITY
        AS t(number, house_code, premises_number, principal_code, payer_name, email, category, status, start_date,
             end_date, possible, ord)
      JOIN house h ON h.code = t.house_code
      JOIN premises p ON p.house_id = h.id AND p.number = t.premises_number
      JOIN principal pr ON pr.code = t.principal_code
      ORDER BY t.ord`.execute(db);
    const phones = c.flatMap((r) => r.phones.map((phone) => ({ number: r.number, phone })));
    if (phones.length === 0) return;
    await sql`INSERT INTO account_phone (account_id, phone)
      SELECT a.id, t.phone
      FROM unnest(${col(phones, (p) => p.number)}::text[], ${col(phones, (p) => p.phone)}::text[]) AS t(number, phone)
      JOIN account a ON a.number = t.number`.execute(db);
  });
}

export async function insertMeters(db: Executor, rows: MeterRec[]): Promise<void> {
  await inChunks(rows, (c) =>
    sql`INSERT INTO meter (serial, model, kind, house_id, account_id, zones, digits, decimals, installed_on,
        commissioned_on, commissioning_act, initial_values_wh, next_verification_on, smart, head_end_id, status,
        failure_reason, failed_on, removed_on)
      SELECT t.serial, t.model, t.kind, h.id, a.id, t.zones, t.digits, t.decimals, t.installed_on, t.commissioned_on,
        t.act, t.initial::bigint[], t.next_verification_on, t.smart, t.head_end_id, t.status, t.failure_reason,
        t.failed_on, t.removed_on
      FROM unnest(${col(c, (r) => r.serial)}::text[], ${col(c, (r) => r.model)}::text[], ${col(c, (r) => r.kind)}::text[],
        ${col(c, (r) => r.houseCode)}::text[], ${col(c, (r) => r.accountNumber)}::text[],
        ${col(c, (r) => r.zones)}::smallint[], ${col(c, (r) => r.digits)}::smallint[],
        ${col(c, (r) => r.decimals)}::smallint[], ${col(c, (r) => r.installedOn)}::date[],
        ${col(c, (r) => r.commissionedOn)}::date[], ${col(c, (r) => r.commissioningAct)}::text[],
        ${col(c, (r) => whLiteral(r.initialValuesWh))}::text[], ${col(c, (r) => r.nextVerificationOn)}::date[],
        ${col(c, (r) => r.smart)}::boolean[], ${col(c, (r) => r.headEndId)}::text[], ${col(c, (r) => r.status)}::text[],
        ${col(c, (r) => r.failureReason)}::text[], ${col(c, (r) => r.failedOn)}::date[],
        ${col(c, (r) => r.removedOn)}::date[]) WITH ORDINALITY
        AS t(serial, model, kind, house_code, account_number, zones, digits, decimals, installed_on, commissioned_on,
             act, initial, next_verification_on, smart, head_end_id, status, failure_reason, failed_on, removed_on, ord)
      JOIN house h ON h.code = t.house_code
      LEFT JOIN account a ON a.number = t.account_number
      ORDER BY t.ord`.execute(db),
  );
}

export async function insertMeterReplacements(db: Executor, rows: MeterReplacementRec[]): Promise<void> {
  await inChunks(rows, (c) =>
    sql`INSERT INTO meter_replacement (old_meter_id, new_meter_id, replaced_at, final_values_wh, act_number)
      SELECT o.id, n.id, t.replaced_at, t.final::bigint[], t.act_number
      FROM unnest(${col(c, (r) => r.oldSerial)}::text[], ${col(c, (r) => r.newSerial)}::text[],
        ${col(c, (r) => r.replacedAt)}::timestamptz[], ${col(c, (r) => whLiteral(r.finalValuesWh))}::text[],
        ${col(c, (r) => r.actNumber)}::text[]) WITH ORDINALITY AS t(old_serial, new_serial, replaced_at, final, act_number, ord)
      JOIN meter o ON o.serial = t.old_serial
      JOIN meter n ON n.serial = t.new_serial
      ORDER BY t.ord`.execute(db),
  );
}

/**
 * Appends readings in the given order, so ids (the order of submissions, rule 7 of §4) follow the file.
 * consumption_wh, request_hash and reply are the intake's caches of a live submission: left NULL.
 */
export async function insertReadings(db: Executor, rows: ReadingRec[]): Promise<void> {
  await inChunks(rows, (c) =>
    sql`INSERT INTO reading (meter_id, account_id, kind, values_wh, rollover, taken_at, received_at, channel,
        external_id, submitted_by, period, billed_in_period, status, reason_code)
      SELECT m.id, a.id, t.kind, t.values_wh::bigint[], t.rollover, t.taken_at, t.received_at, t.channel, t.external_id,
        t.submitted_by, t.period, t.billed_in_period, t.status, t.reason_code
      FROM unnest(${col(c, (r) => r.meterSerial)}::text[], ${col(c, (r) => r.accountNumber)}::text[],
        ${col(c, (r) => r.kind)}::text[], ${col(c, (r) => whLiteral(r.valuesWh))}::text[],
        ${col(c, (r) => r.rollover)}::boolean[], ${col(c, (r) => r.takenAt)}::timestamptz[],
        ${col(c, (r) => r.receivedAt)}::timestamptz[], ${col(c, (r) => r.channel)}::text[],
        ${col(c, (r) => r.externalId)}::text[], ${col(c, (r) => r.submittedBy)}::text[], ${col(c, (r) => r.period)}::text[],
        ${col(c, (r) => r.billedInPeriod)}::text[], ${col(c, (r) => r.status)}::text[],
        ${col(c, (r) => r.reasonCode)}::text[]) WITH ORDINALITY
        AS t(serial, account_number, kind, values_wh, rollover, taken_at, received_at, channel, external_id,
             submitted_by, period, billed_in_period, status, reason_code, ord)
      JOIN meter m ON m.serial = t.serial
      LEFT JOIN account a ON a.number = t.account_number
      ORDER BY t.ord`.execute(db),
  );
}

export async function insertTariffs(db: Executor, rows: TariffRec[]): Promise<void> {
  await inChunks(rows, (c) =>
    sql`INSERT INTO tariff (region_code, category, meter_type, zone, range_from_kwh, range_to_kwh, price_kopecks,
        effective_from, illustrative, note)
      SELECT * FROM unnest(${col(c, (r) => r.regionCode)}::text[], ${col(c, (r) => r.category)}::text[],
        ${col(c, (r) => r.meterType)}::text[], ${col(c, (r) => r.zone)}::text[], ${col(c, (r) => r.rangeFromKwh)}::int[],
        ${col(c, (r) => r.rangeToKwh)}::int[], ${col(c, (r) => r.priceKopecks)}::int[],
        ${col(c, (r) => r.effectiveFrom)}::date[], ${col(c, (r) => r.illustrative)}::boolean[],
        ${col(c, (r) => r.note)}::text[])`.execute(db),
  );
}

export async function insertNorms(db: Executor, rows: NormRec[]): Promise<void> {
  await inChunks(rows, (c) =>
    sql`INSERT INTO norm (region_code, stove_type, rooms, residents, wh_per_person, effective_from, illustrative)
      SELECT * FROM unnest(${col(c, (r) => r.regionCode)}::text[], ${col(c, (r) => r.stoveType)}::text[],
        ${col(c, (r) => r.rooms)}::smallint[], ${col(c, (r) => r.residents)}::smallint[],
        ${col(c, (r) => r.whPerPerson)}::int[], ${col(c, (r) => r.effectiveFrom)}::date[],
        ${col(c, (r) => r.illustrative)}::boolean[])`.execute(db),
  );
}

export async function insertCommonNorms(db: Executor, rows: CommonNormRec[]): Promise<void> {
  await inChunks(rows, (c) =>
    sql`INSERT INTO common_norm (region_code, wh_per_m2, effective_from, illustrative)
      SELECT * FROM unnest(${col(c, (r) => r.regionCode)}::text[], ${col(c, (r) => r.whPerM2)}::int[],
        ${col(c, (r) => r.effectiveFrom)}::date[], ${col(c, (r) => r.illustrative)}::boolean[])`.execute(db),
  );
}
