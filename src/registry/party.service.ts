import { isValidTimeZone } from '../domain/local-time.ts';
import type { ReadingsWindow } from '../domain/readings-window.ts';
import { ApiError } from '../platform/http.ts';
import { localToday } from './meter-view.ts';
import { loadRuleParameters } from './parameters.repository.ts';
import {
  type CompanyRow,
  findCompany,
  findPrincipal,
  findRegion,
  insertCompany,
  insertPrincipal,
  insertRegion,
  listCompanies,
  listPrincipals,
  listRegions,
  type PrincipalRow,
  timeZoneKnownToDatabase,
  updateCompany,
  updatePrincipal,
} from './party.repository.ts';
import type {
  CompanyCreate,
  CompanyPatch,
  PrincipalCreate,
  PrincipalPatch,
  RegionCreate,
} from './registry.schemas.ts';
import { inTransaction, type RegistryDeps } from './registry-db.ts';

/** Use cases for regions, principals and management companies (domain.md §1, §3). */

export interface RegionView {
  code: string;
  name: string;
  timeZone: string;
  /** The region's local date now and the readings window in force on it (§4.3). */
  today: string;
  readingsWindow: ReadingsWindow;
}

async function regionView(deps: RegistryDeps, r: { code: string; name: string; timeZone: string }) {
  const today = localToday(deps.clock.now(), r.timeZone);
  const params = await loadRuleParameters(deps.db, r.code, today);
  return { ...r, today, readingsWindow: params.readingsWindow };
}

export async function listRegionViews(deps: RegistryDeps): Promise<RegionView[]> {
  const regions = await listRegions(deps.db);
  return Promise.all(regions.map((r) => regionView(deps, r)));
}

export async function getRegion(deps: RegistryDeps, code: string): Promise<RegionView> {
  const r = await findRegion(deps.db, code);
  if (!r) throw regionNotFound(code, 404);
  return regionView(deps, r);
}

/** Creates a region; its time zone must be known both to the rules (Intl) and to PostgreSQL. */
export async function createRegion(deps: RegistryDeps, input: RegionCreate): Promise<RegionView> {
  const known = isValidTimeZone(input.timeZone) && (await timeZoneKnownToDatabase(deps.db, input.timeZone));
  if (!known) {
    throw new ApiError(
      422,
      'TIME_ZONE_INVALID',
      `Неизвестный часовой пояс «${input.timeZone}». Укажите пояс IANA, например Europe/Moscow.`,
      `Unknown time zone "${input.timeZone}". Give an IANA zone such as Europe/Moscow.`,
    );
  }
  await inTransaction(deps.db, (tx) => insertRegion(tx, input));
  return getRegion(deps, input.code);
}

export function regionNotFound(code: string, status = 422): ApiError {
  return new ApiError(status, 'REGION_NOT_FOUND', `Регион ${code} не найден.`, `Region ${code} not found.`);
}

export type PrincipalView = Omit<PrincipalRow, 'id'>;
export type CompanyView = Omit<CompanyRow, 'id'>;

const withoutId = <T extends { id: number }>({ id: _id, ...rest }: T): Omit<T, 'id'> => rest;

export async function listPrincipalViews(deps: RegistryDeps): Promise<PrincipalView[]> {
  return (await listPrincipals(deps.db)).map(withoutId);
}

export async function getPrincipal(deps: RegistryDeps, code: string, status = 404): Promise<PrincipalView> {
  const p = await findPrincipal(deps.db, code);
  if (!p) throw principalNotFound(code, status);
  return withoutId(p);
}

export async function createPrincipal(deps: RegistryDeps, input: PrincipalCreate): Promise<PrincipalView> {
  await inTransaction(deps.db, (tx) => insertPrincipal(tx, input));
  return getPrincipal(deps, input.code);
}

export async function patchPrincipal(
  deps: RegistryDeps,
  code: string,
  patch: PrincipalPatch,
): Promise<PrincipalView> {
  const found = await inTransaction(deps.db, (tx) => updatePrincipal(tx, code, patch));
  if (!found) throw principalNotFound(code, 404);
  return getPrincipal(deps, code);
}

export function principalNotFound(code: string, status = 422): ApiError {
  return new ApiError(
    status,
    'PRINCIPAL_NOT_FOUND',
    `Принципал (поставщик или агент) ${code} не найден.`,
    `Principal ${code} not found.`,
  );
}

export async function listCompanyViews(deps: RegistryDeps): Promise<CompanyView[]> {
  return (await listCompanies(deps.db)).map(withoutId);
}

export async function getCompany(deps: RegistryDeps, code: string, status = 404): Promise<CompanyView> {
  const c = await findCompany(deps.db, code);
  if (!c) throw companyNotFound(code, status);
  return withoutId(c);
}

export async function createCompany(deps: RegistryDeps, input: CompanyCreate): Promise<CompanyView> {
  await inTransaction(deps.db, (tx) => insertCompany(tx, input));
  return getCompany(deps, input.code);
}

export async function patchCompany(
  deps: RegistryDeps,
  code: string,
  patch: CompanyPatch,
): Promise<CompanyView> {
  const found = await inTransaction(deps.db, (tx) => updateCompany(tx, code, patch));
  if (!found) throw companyNotFound(code, 404);
  return getCompany(deps, code);
}

export function companyNotFound(code: string, status = 422): ApiError {
  return new ApiError(
    status,
    'MANAGEMENT_COMPANY_NOT_FOUND',
    `Управляющая компания ${code} не найдена.`,
    `Management company ${code} not found.`,
  );
}
