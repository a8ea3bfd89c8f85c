import { sql } from 'kysely';
import type { Executor } from '../platform/database.ts';
import type {
  CompanyCreate,
  CompanyPatch,
  PrincipalCreate,
  PrincipalPatch,
  RegionCreate,
} from './registry.schemas.ts';
import { setClause } from './registry-db.ts';

/** SQL for regions, principals (suppliers, agents) and management companies (domain.md §1, §3). */

export interface RegionRow {
  code: string;
  name: string;
  timeZone: string;
}

export async function listRegions(db: Executor): Promise<RegionRow[]> {
  const r = await sql<RegionRow>`
    SELECT code, name, time_zone AS "timeZone" FROM region ORDER BY code`.execute(db);
  return r.rows;
}

export async function findRegion(db: Executor, code: string): Promise<RegionRow | undefined> {
  const r = await sql<RegionRow>`
    SELECT code, name, time_zone AS "timeZone" FROM region WHERE code = ${code}`.execute(db);
  return r.rows[0];
}

export async function insertRegion(db: Executor, r: RegionCreate): Promise<void> {
  await sql`INSERT INTO region (code, name, time_zone) VALUES (${r.code}, ${r.name}, ${r.timeZone})`.execute(
    db,
  );
}

/** Whether PostgreSQL knows the time zone (queries judge local dates with AT TIME ZONE). */
export async function timeZoneKnownToDatabase(db: Executor, timeZone: string): Promise<boolean> {
  const r = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM pg_timezone_names WHERE name = ${timeZone}`.execute(db);
  return r.rows[0]!.n > 0;
}

export interface PrincipalRow {
  id: number;
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

const PRINCIPAL_SELECT = sql`
  SELECT id, code, kind, name, inn, kpp, bank_name AS "bankName", bic, personal_acc AS "personalAcc",
         corresp_acc AS "correspAcc", phone, email, address
  FROM principal`;

const PRINCIPAL_COLUMNS = {
  kind: 'kind',
  name: 'name',
  inn: 'inn',
  kpp: 'kpp',
  bankName: 'bank_name',
  bic: 'bic',
  personalAcc: 'personal_acc',
  correspAcc: 'corresp_acc',
  phone: 'phone',
  email: 'email',
  address: 'address',
};

export async function listPrincipals(db: Executor): Promise<PrincipalRow[]> {
  const r = await sql<PrincipalRow>`${PRINCIPAL_SELECT} ORDER BY code`.execute(db);
  return r.rows;
}

export async function findPrincipal(db: Executor, code: string): Promise<PrincipalRow | undefined> {
  const r = await sql<PrincipalRow>`${PRINCIPAL_SELECT} WHERE code = ${code}`.execute(db);
  return r.rows[0];
}

export async function insertPrincipal(db: Executor, p: PrincipalCreate): Promise<void> {
  await sql`
    INSERT INTO principal (code, kind, name, inn, kpp, bank_name, bic, personal_acc, corresp_acc, phone, email, address)
    VALUES (${p.code}, ${p.kind}, ${p.name}, ${p.inn ?? null}, ${p.kpp ?? null}, ${p.bankName ?? null},
            ${p.bic ?? null}, ${p.personalAcc ?? null}, ${p.correspAcc ?? null}, ${p.phone ?? null},
            ${p.email ?? null}, ${p.address ?? null})`.execute(db);
}

/** Applies a patch; false when there is no such principal. */
export async function updatePrincipal(db: Executor, code: string, patch: PrincipalPatch): Promise<boolean> {
  const set = setClause(patch, PRINCIPAL_COLUMNS);
  if (!set) return (await findPrincipal(db, code)) !== undefined;
  const r = await sql`UPDATE principal SET ${set} WHERE code = ${code}`.execute(db);
  return Number(r.numAffectedRows ?? 0) > 0;
}

export interface CompanyRow {
  id: number;
  code: string;
  name: string;
  inn: string | null;
  phone: string | null;
  email: string | null;
}

const COMPANY_SELECT = sql`SELECT id, code, name, inn, phone, email FROM management_company`;

export async function listCompanies(db: Executor): Promise<CompanyRow[]> {
  const r = await sql<CompanyRow>`${COMPANY_SELECT} ORDER BY code`.execute(db);
  return r.rows;
}

export async function findCompany(db: Executor, code: string): Promise<CompanyRow | undefined> {
  const r = await sql<CompanyRow>`${COMPANY_SELECT} WHERE code = ${code}`.execute(db);
  return r.rows[0];
}

export async function insertCompany(db: Executor, c: CompanyCreate): Promise<void> {
  await sql`
    INSERT INTO management_company (code, name, inn, phone, email)
    VALUES (${c.code}, ${c.name}, ${c.inn ?? null}, ${c.phone ?? null}, ${c.email ?? null})`.execute(db);
}

export async function updateCompany(db: Executor, code: string, patch: CompanyPatch): Promise<boolean> {
  const set = setClause(patch, { name: 'name', inn: 'inn', phone: 'phone', email: 'email' });
  if (!set) return (await findCompany(db, code)) !== undefined;
  const r = await sql`UPDATE management_company SET ${set} WHERE code = ${code}`.execute(db);
  return Number(r.numAffectedRows ?? 0) > 0;
}
