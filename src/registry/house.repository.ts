import { sql } from 'kysely';
import type { Executor } from '../platform/database.ts';
import type { HouseListQuery, PremisesCreate, PremisesPatch } from './registry.schemas.ts';
import { setClause } from './registry-db.ts';

/** SQL for houses and premises (domain.md §3). */

export interface HouseRow {
  id: number;
  code: string;
  region: string;
  managementCompany: string | null;
  address: string;
  kind: 'apartment_building' | 'private_house';
  stoveType: 'gas' | 'electric';
  settlementType: 'urban' | 'rural';
  totalAreaM2: number;
  commonAreaM2: number;
  commonNeedsMode: 'none' | 'full' | 'capped';
  premisesCount: number;
  commonMeter: string | null;
}

const HOUSE_SELECT = sql`
  SELECT h.id, h.code, h.region_code AS region, mc.code AS "managementCompany", h.address, h.kind,
         h.stove_type AS "stoveType", h.settlement_type AS "settlementType", h.total_area_m2 AS "totalAreaM2",
         h.common_area_m2 AS "commonAreaM2", h.common_needs_mode AS "commonNeedsMode",
         (SELECT count(*)::int FROM premises p WHERE p.house_id = h.id) AS "premisesCount",
         (SELECT m.serial FROM meter m WHERE m.house_id = h.id AND m.kind = 'common' AND m.status <> 'removed')
           AS "commonMeter"
  FROM house h LEFT JOIN management_company mc ON mc.id = h.management_company_id`;

export async function findHouse(db: Executor, code: string): Promise<HouseRow | undefined> {
  const r = await sql<HouseRow>`${HOUSE_SELECT} WHERE h.code = ${code}`.execute(db);
  return r.rows[0];
}

/** Locks the house row (premises and accounts added under it are serialised). */
export async function lockHouse(db: Executor, code: string): Promise<number | undefined> {
  const r = await sql<{ id: number }>`SELECT id FROM house WHERE code = ${code} FOR UPDATE`.execute(db);
  return r.rows[0]?.id;
}

/** Houses by region / management company / address substring, in code order, keyset-paged. */
export async function listHouses(db: Executor, q: HouseListQuery): Promise<HouseRow[]> {
  const like = q.q === undefined ? undefined : `%${escapeLike(q.q)}%`;
  const r = await sql<HouseRow>`${HOUSE_SELECT}
    WHERE true
      ${q.region !== undefined ? sql`AND h.region_code = ${q.region}` : sql``}
      ${q.managementCompany !== undefined ? sql`AND mc.code = ${q.managementCompany}` : sql``}
      ${like !== undefined ? sql`AND (h.address ILIKE ${like} OR h.code ILIKE ${like})` : sql``}
      ${q.after !== undefined ? sql`AND h.code > ${q.after}` : sql``}
    ORDER BY h.code
    LIMIT ${q.limit}`.execute(db);
  return r.rows;
}

export interface NewHouse {
  code: string;
  region: string;
  managementCompanyId: number | null;
  address: string;
  kind: string;
  stoveType: string;
  settlementType: string;
  totalAreaM2: number;
  commonAreaM2: number;
  commonNeedsMode: string;
}

export async function insertHouse(db: Executor, h: NewHouse): Promise<void> {
  await sql`
    INSERT INTO house (code, region_code, management_company_id, address, kind, stove_type, settlement_type,
                       total_area_m2, common_area_m2, common_needs_mode)
    VALUES (${h.code}, ${h.region}, ${h.managementCompanyId}, ${h.address}, ${h.kind}, ${h.stoveType},
            ${h.settlementType}, ${h.totalAreaM2}, ${h.commonAreaM2}, ${h.commonNeedsMode})`.execute(db);
}

export async function updateHouse(
  db: Executor,
  id: number,
  patch: Partial<Omit<NewHouse, 'code' | 'region'>>,
): Promise<void> {
  const set = setClause(patch, {
    managementCompanyId: 'management_company_id',
    address: 'address',
    kind: 'kind',
    stoveType: 'stove_type',
    settlementType: 'settlement_type',
    totalAreaM2: 'total_area_m2',
    commonAreaM2: 'common_area_m2',
    commonNeedsMode: 'common_needs_mode',
  });
  if (set) await sql`UPDATE house SET ${set} WHERE id = ${id}`.execute(db);
}

export interface PremisesRow {
  id: number;
  number: string;
  isResidential: boolean;
  areaM2: number;
  rooms: number;
  residents: number;
  /** The active account on the premises, if any. */
  account: string | null;
}

const PREMISES_SELECT = sql`
  SELECT p.id, p.number, p.is_residential AS "isResidential", p.area_m2 AS "areaM2", p.rooms, p.residents,
         (SELECT a.number FROM account a WHERE a.premises_id = p.id AND a.status = 'active'
          ORDER BY a.start_date DESC LIMIT 1) AS account
  FROM premises p`;

/** Premises of a house in natural order of their numbers ("2" before "10"). */
export async function listPremises(db: Executor, houseId: number): Promise<PremisesRow[]> {
  const r = await sql<PremisesRow>`${PREMISES_SELECT}
    WHERE p.house_id = ${houseId}
    ORDER BY length(substring(p.number from '^[0-9]*')), p.number`.execute(db);
  return r.rows;
}

export async function findPremises(
  db: Executor,
  houseId: number,
  number: string,
  lock = false,
): Promise<PremisesRow | undefined> {
  const r = lock
    ? await sql<PremisesRow>`
        SELECT p.id, p.number, p.is_residential AS "isResidential", p.area_m2 AS "areaM2", p.rooms, p.residents,
               NULL AS account
        FROM premises p WHERE p.house_id = ${houseId} AND p.number = ${number} FOR UPDATE`.execute(db)
    : await sql<PremisesRow>`${PREMISES_SELECT} WHERE p.house_id = ${houseId} AND p.number = ${number}`.execute(
        db,
      );
  return r.rows[0];
}

export async function insertPremises(db: Executor, houseId: number, p: PremisesCreate): Promise<void> {
  await sql`
    INSERT INTO premises (house_id, number, is_residential, area_m2, rooms, residents)
    VALUES (${houseId}, ${p.number}, ${p.isResidential ?? true}, ${p.areaM2}, ${p.rooms ?? 1},
            ${p.residents ?? 0})`.execute(db);
}

export async function updatePremises(db: Executor, id: number, patch: PremisesPatch): Promise<void> {
  const set = setClause(patch, {
    isResidential: 'is_residential',
    areaM2: 'area_m2',
    rooms: 'rooms',
    residents: 'residents',
  });
  if (set) await sql`UPDATE premises SET ${set} WHERE id = ${id}`.execute(db);
}

/** Escapes LIKE wildcards in user text. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
