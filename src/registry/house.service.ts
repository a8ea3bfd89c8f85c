import {
  categoryFitsHouse,
  defaultTariffCategory,
  type HouseTariffFacts,
  TARIFF_CATEGORIES,
} from '../domain/tariff-structure.ts';
import type { Executor } from '../platform/database.ts';
import { ApiError } from '../platform/http.ts';
import { recategorizeAccountsOfHouse } from './account.repository.ts';
import {
  findHouse,
  findPremises,
  type HouseRow,
  insertHouse,
  insertPremises,
  listHouses,
  listPremises,
  lockHouse,
  type PremisesRow,
  updateHouse,
  updatePremises,
} from './house.repository.ts';
import { findCompany, findRegion } from './party.repository.ts';
import { companyNotFound, regionNotFound } from './party.service.ts';
import type {
  HouseCreate,
  HouseListQuery,
  HousePatch,
  PremisesCreate,
  PremisesPatch,
} from './registry.schemas.ts';
import { inTransaction, type RegistryDeps } from './registry-db.ts';

/** Use cases for houses and premises (domain.md §3). */

export type HouseView = Omit<HouseRow, 'id'>;
export type PremisesView = Omit<PremisesRow, 'id'>;
export interface HouseCard extends HouseView {
  premises: PremisesView[];
}

const withoutId = <T extends { id: number }>({ id: _id, ...rest }: T): Omit<T, 'id'> => rest;

export function houseNotFound(code: string, status = 404): ApiError {
  return new ApiError(status, 'HOUSE_NOT_FOUND', `Дом ${code} не найден.`, `House ${code} not found.`);
}

export function premisesNotFound(house: string, number: string, status = 404): ApiError {
  return new ApiError(
    status,
    'PREMISES_NOT_FOUND',
    `Помещение ${number} в доме ${house} не найдено.`,
    `Premises ${number} not found in house ${house}.`,
  );
}

export async function listHouseViews(deps: RegistryDeps, q: HouseListQuery): Promise<HouseView[]> {
  return (await listHouses(deps.db, q)).map(withoutId);
}

export async function getHouse(deps: RegistryDeps, code: string): Promise<HouseCard> {
  const h = await findHouse(deps.db, code);
  if (!h) throw houseNotFound(code);
  const premises = await listPremises(deps.db, h.id);
  return { ...withoutId(h), premises: premises.map(withoutId) };
}

async function companyId(db: Executor, code: string | null | undefined): Promise<number | null | undefined> {
  if (code === undefined || code === null) return code;
  const c = await findCompany(db, code);
  if (!c) throw companyNotFound(code);
  return c.id;
}

export async function createHouse(deps: RegistryDeps, input: HouseCreate): Promise<HouseCard> {
  checkAreas(input.totalAreaM2, input.commonAreaM2 ?? 0);
  await inTransaction(deps.db, async (tx) => {
    if (!(await findRegion(tx, input.region))) throw regionNotFound(input.region);
    const mc = await companyId(tx, input.managementCompany);
    await insertHouse(tx, {
      code: input.code,
      region: input.region,
      managementCompanyId: mc ?? null,
      address: input.address,
      kind: input.kind,
      stoveType: input.stoveType,
      settlementType: input.settlementType,
      totalAreaM2: input.totalAreaM2,
      commonAreaM2: input.commonAreaM2 ?? 0,
      commonNeedsMode: input.commonNeedsMode ?? 'none',
    });
  });
  return getHouse(deps, input.code);
}

/**
 * Changes a house. When its stove or settlement type changes, accounts whose tariff category no longer
 * fits the house (§6.3) move to the house's new default category in the same transaction.
 */
export async function patchHouse(
  deps: RegistryDeps,
  code: string,
  patch: HousePatch,
): Promise<HouseCard & { accountsRecategorized: number }> {
  const recategorized = await inTransaction(deps.db, async (tx) => {
    const id = await lockHouse(tx, code);
    if (id === undefined) throw houseNotFound(code);
    const mc = await companyId(tx, patch.managementCompany);
    const before = (await findHouse(tx, code))!;
    checkAreas(patch.totalAreaM2 ?? before.totalAreaM2, patch.commonAreaM2 ?? before.commonAreaM2);
    await updateHouse(tx, id, {
      managementCompanyId: mc,
      address: patch.address,
      kind: patch.kind,
      stoveType: patch.stoveType,
      settlementType: patch.settlementType,
      totalAreaM2: patch.totalAreaM2,
      commonAreaM2: patch.commonAreaM2,
      commonNeedsMode: patch.commonNeedsMode,
    });
    const after: HouseTariffFacts = {
      stoveType: patch.stoveType ?? before.stoveType,
      settlementType: patch.settlementType ?? before.settlementType,
    };
    if (after.stoveType === before.stoveType && after.settlementType === before.settlementType) return 0;
    const fitting = TARIFF_CATEGORIES.filter((c) => categoryFitsHouse(c, after));
    return recategorizeAccountsOfHouse(tx, id, fitting, defaultTariffCategory(after));
  });
  return { ...(await getHouse(deps, code)), accountsRecategorized: recategorized };
}

/** §7 shares are S_i / S_total: a house with common property needs a total area above zero. */
function checkAreas(totalAreaM2: number, commonAreaM2: number): void {
  if (totalAreaM2 <= 0 && commonAreaM2 > 0) {
    throw new ApiError(
      422,
      'HOUSE_AREA_INVALID',
      'Общая площадь помещений дома должна быть больше нуля, если задана площадь общего имущества.',
      'The total area of premises must be above zero when a common area is given.',
    );
  }
}

export async function listPremisesViews(deps: RegistryDeps, house: string): Promise<PremisesView[]> {
  const h = await findHouse(deps.db, house);
  if (!h) throw houseNotFound(house);
  return (await listPremises(deps.db, h.id)).map(withoutId);
}

export async function createPremises(
  deps: RegistryDeps,
  house: string,
  input: PremisesCreate,
): Promise<PremisesView> {
  const houseId = await inTransaction(deps.db, async (tx) => {
    const id = await lockHouse(tx, house);
    if (id === undefined) throw houseNotFound(house);
    await insertPremises(tx, id, input);
    return id;
  });
  return withoutId((await findPremises(deps.db, houseId, input.number))!);
}

export async function patchPremises(
  deps: RegistryDeps,
  house: string,
  number: string,
  patch: PremisesPatch,
): Promise<PremisesView> {
  const houseId = await inTransaction(deps.db, async (tx) => {
    const h = await findHouse(tx, house);
    if (!h) throw houseNotFound(house);
    const p = await findPremises(tx, h.id, number, true);
    if (!p) throw premisesNotFound(house, number);
    await updatePremises(tx, p.id, patch);
    return h.id;
  });
  return withoutId((await findPremises(deps.db, houseId, number))!);
}
