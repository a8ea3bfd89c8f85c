import { sql } from 'kysely';
import type { Executor } from '../platform/database.ts';
import { escapeLike } from './house.repository.ts';
import { setClause } from './registry-db.ts';

/** SQL for accounts and their linked phones (domain.md §3), account search and the account card. */

export interface AccountRow {
  id: number;
  number: string;
  premisesId: number;
  premises: string;
  houseId: number;
  house: string;
  region: string;
  timeZone: string;
  principalId: number;
  principal: string;
  payerName: string;
  email: string | null;
  tariffCategory: 'gas_stove' | 'electric_stove' | 'rural' | 'equated';
  status: 'active' | 'closed';
  startDate: string;
  endDate: string | null;
  meterInstallationPossible: boolean;
}

const ACCOUNT_SELECT = sql`
  SELECT a.id, a.number, a.premises_id AS "premisesId", p.number AS premises, h.id AS "houseId", h.code AS house,
         h.region_code AS region, r.time_zone AS "timeZone", a.principal_id AS "principalId",
         pr.code AS principal, a.payer_name AS "payerName", a.email, a.tariff_category AS "tariffCategory",
         a.status, a.start_date AS "startDate", a.end_date AS "endDate",
         a.meter_installation_possible AS "meterInstallationPossible"
  FROM account a
  JOIN premises p ON p.id = a.premises_id
  JOIN house h ON h.id = p.house_id
  JOIN region r ON r.code = h.region_code
  JOIN principal pr ON pr.id = a.principal_id`;

export async function findAccount(
  db: Executor,
  number: string,
  lock = false,
): Promise<AccountRow | undefined> {
  const r = await sql<AccountRow>`${ACCOUNT_SELECT} WHERE a.number = ${number}
    ${lock ? sql`FOR UPDATE OF a` : sql``}`.execute(db);
  return r.rows[0];
}

/** The number of an active account on the premises other than `exceptId`, if there is one. */
export async function activeAccountOnPremises(
  db: Executor,
  premisesId: number,
  exceptId = 0,
): Promise<string | undefined> {
  const r = await sql<{ number: string }>`
    SELECT number FROM account
    WHERE premises_id = ${premisesId} AND status = 'active' AND id <> ${exceptId}
    LIMIT 1`.execute(db);
  return r.rows[0]?.number;
}

export interface NewAccount {
  number: string;
  premisesId: number;
  principalId: number;
  payerName: string;
  email: string | null;
  tariffCategory: string;
  startDate: string;
  meterInstallationPossible: boolean;
}

export async function insertAccount(db: Executor, a: NewAccount): Promise<number> {
  const r = await sql<{ id: number }>`
    INSERT INTO account (number, premises_id, principal_id, payer_name, email, tariff_category, start_date,
                         meter_installation_possible)
    VALUES (${a.number}, ${a.premisesId}, ${a.principalId}, ${a.payerName}, ${a.email}, ${a.tariffCategory},
            ${a.startDate}, ${a.meterInstallationPossible})
    RETURNING id`.execute(db);
  return r.rows[0]!.id;
}

export interface AccountChanges {
  payerName?: string;
  email?: string | null;
  principalId?: number;
  tariffCategory?: string;
  meterInstallationPossible?: boolean;
  status?: 'active' | 'closed';
  endDate?: string | null;
}

export async function updateAccount(db: Executor, id: number, changes: AccountChanges): Promise<void> {
  const set = setClause(changes as Record<string, unknown>, {
    payerName: 'payer_name',
    email: 'email',
    principalId: 'principal_id',
    tariffCategory: 'tariff_category',
    meterInstallationPossible: 'meter_installation_possible',
    status: 'status',
    endDate: 'end_date',
  });
  if (set) await sql`UPDATE account SET ${set} WHERE id = ${id}`.execute(db);
}

/**
 * Moves the house's accounts whose tariff category is not among `fitting` to `category` (the house's
 * stove or settlement type changed, §6.3); "equated" accounts are always among `fitting`. Returns how many.
 */
export async function recategorizeAccountsOfHouse(
  db: Executor,
  houseId: number,
  fitting: readonly string[],
  category: string,
): Promise<number> {
  const r = await sql`
    UPDATE account SET tariff_category = ${category}
    WHERE premises_id IN (SELECT id FROM premises WHERE house_id = ${houseId})
      AND NOT (tariff_category = ANY(${[...fitting]}::text[]))`.execute(db);
  return Number(r.numAffectedRows ?? 0);
}

export async function phonesOf(db: Executor, accountId: number): Promise<string[]> {
  const r = await sql<{ phone: string }>`
    SELECT phone FROM account_phone WHERE account_id = ${accountId} ORDER BY phone`.execute(db);
  return r.rows.map((x) => x.phone);
}

/** Makes the linked phones exactly `phones` (one statement each way, set-based). */
export async function replacePhones(db: Executor, accountId: number, phones: string[]): Promise<void> {
  await sql`
    DELETE FROM account_phone WHERE account_id = ${accountId} AND NOT (phone = ANY(${phones}::text[]))`.execute(
    db,
  );
  await sql`
    INSERT INTO account_phone (account_id, phone)
    SELECT ${accountId}, unnest(${phones}::text[])
    ON CONFLICT DO NOTHING`.execute(db);
}

export interface AccountHit {
  number: string;
  payerName: string;
  status: string;
  house: string;
  address: string;
  premises: string;
  region: string;
  matchedBy: 'number' | 'phone' | 'meter' | 'name' | 'address';
}

/**
 * Accounts matching an operator's query: account number prefix, a linked phone, a meter serial, or every
 * word of the query found in the payer's name and address ("Иванов Ленина 5").
 */
export async function searchAccounts(
  db: Executor,
  s: { q: string; phone: string | undefined; limit: number },
): Promise<AccountHit[]> {
  const digitsOnly = /^\d+$/.test(s.q);
  const words = s.q.split(/\s+/).filter((w) => w.length > 0);
  const haystack = sql`(h.address || ' кв. ' || p.number || ' ' || a.payer_name)`;
  const allWords = sql.join(
    words.map((w) => sql`${haystack} ILIKE ${`%${escapeLike(w)}%`}`),
    sql` AND `,
  );
  const r = await sql<AccountHit>`
    WITH hits (id, rank) AS (
      ${digitsOnly ? sql`(${numberPrefix(s.q, s.limit)}) UNION ALL` : sql``}
      ${s.phone !== undefined ? sql`(SELECT account_id, 2 FROM account_phone WHERE phone = ${s.phone} LIMIT ${s.limit}) UNION ALL` : sql``}
      (SELECT account_id, 3 FROM meter
       WHERE serial = ANY(ARRAY[${s.q}, upper(${s.q})]) AND account_id IS NOT NULL)
      UNION ALL
      (SELECT a.id, 4 FROM account a JOIN premises p ON p.id = a.premises_id JOIN house h ON h.id = p.house_id
       WHERE ${allWords} ORDER BY a.number LIMIT ${s.limit})
    )
    SELECT number, "payerName", status, house, address, premises, region,
           (ARRAY['number', 'phone', 'meter', CASE WHEN "payerName" ILIKE ${`%${escapeLike(s.q)}%`}
                  THEN 'name' ELSE 'address' END])[rank] AS "matchedBy"
    FROM (
      SELECT DISTINCT ON (a.number) a.number, a.payer_name AS "payerName", a.status, h.code AS house, h.address,
             p.number AS premises, h.region_code AS region, hits.rank
      FROM hits
      JOIN account a ON a.id = hits.id
      JOIN premises p ON p.id = a.premises_id
      JOIN house h ON h.id = p.house_id
      ORDER BY a.number, hits.rank
    ) found
    ORDER BY rank, (status <> 'active'), number
    LIMIT ${s.limit}`.execute(db);
  return r.rows;
}

/**
 * Accounts whose number starts with `prefix` (digits): as a range on the unique index of account.number —
 * for digit strings everything from `prefix` to `prefix` followed by nines starts with `prefix`, in any
 * collation — rather than LIKE, which uses a plain index only under the C collation.
 */
function numberPrefix(prefix: string, limit: number) {
  return sql`
    SELECT id, 1 FROM account
    WHERE number >= ${prefix} AND number <= ${prefix + '9'.repeat(16)} AND number LIKE ${`${prefix}%`}
    ORDER BY number LIMIT ${limit}`;
}

export interface CardRow {
  account: {
    number: string;
    payerName: string;
    email: string | null;
    status: string;
    tariffCategory: string;
    startDate: string;
    endDate: string | null;
    meterInstallationPossible: boolean;
  };
  premises: { number: string; isResidential: boolean; areaM2: number; rooms: number; residents: number };
  house: {
    code: string;
    address: string;
    kind: string;
    stoveType: string;
    settlementType: string;
    totalAreaM2: number;
    commonAreaM2: number;
    commonNeedsMode: string;
    managementCompany: { code: string; name: string; phone: string | null } | null;
  };
  region: { code: string; name: string; timeZone: string };
  principal: { code: string; kind: string; name: string; inn: string | null; phone: string | null };
}

/** Everything the account card shows except meters, as one row of nested JSON objects. */
export async function cardOf(db: Executor, accountId: number): Promise<CardRow | undefined> {
  const r = await sql<CardRow>`
    SELECT json_build_object('number', a.number, 'payerName', a.payer_name, 'email', a.email, 'status', a.status,
             'tariffCategory', a.tariff_category, 'startDate', a.start_date, 'endDate', a.end_date,
             'meterInstallationPossible', a.meter_installation_possible) AS account,
           json_build_object('number', p.number, 'isResidential', p.is_residential, 'areaM2', p.area_m2,
             'rooms', p.rooms, 'residents', p.residents) AS premises,
           json_build_object('code', h.code, 'address', h.address, 'kind', h.kind, 'stoveType', h.stove_type,
             'settlementType', h.settlement_type, 'totalAreaM2', h.total_area_m2,
             'commonAreaM2', h.common_area_m2, 'commonNeedsMode', h.common_needs_mode,
             'managementCompany', CASE WHEN mc.id IS NULL THEN NULL
               ELSE json_build_object('code', mc.code, 'name', mc.name, 'phone', mc.phone) END) AS house,
           json_build_object('code', r.code, 'name', r.name, 'timeZone', r.time_zone) AS region,
           json_build_object('code', pr.code, 'kind', pr.kind, 'name', pr.name, 'inn', pr.inn,
             'phone', pr.phone) AS principal
    FROM account a
    JOIN premises p ON p.id = a.premises_id
    JOIN house h ON h.id = p.house_id
    JOIN region r ON r.code = h.region_code
    JOIN principal pr ON pr.id = a.principal_id
    LEFT JOIN management_company mc ON mc.id = h.management_company_id
    WHERE a.id = ${accountId}`.execute(db);
  return r.rows[0];
}
