import { categoryFitsHouse, defaultTariffCategory, type TariffCategory } from '../domain/tariff-structure.ts';
import type { Tx } from '../platform/database.ts';
import { ApiError } from '../platform/http.ts';
import {
  type AccountChanges,
  type AccountHit,
  type AccountRow,
  activeAccountOnPremises,
  type CardRow,
  cardOf,
  findAccount,
  insertAccount,
  phonesOf,
  replacePhones,
  searchAccounts,
  updateAccount,
} from './account.repository.ts';
import { findHouse, findPremises } from './house.repository.ts';
import { houseNotFound, premisesNotFound } from './house.service.ts';
import { lastAcceptedReadings, metersOfAccount } from './meter.repository.ts';
import { localToday, type MeterView, meterView, zoneNamesOf } from './meter-view.ts';
import { findPrincipal } from './party.repository.ts';
import { principalNotFound } from './party.service.ts';
import {
  type AccountCreate,
  type AccountPatch,
  type AccountSearchQuery,
  phoneFromQuery,
} from './registry.schemas.ts';
import { inSnapshot, inTransaction, type RegistryDeps } from './registry-db.ts';

/** Use cases for accounts (domain.md §3): create, change, search, and the account card. */

/** The account card: everything an operator needs to talk to the payer, by natural keys only. */
export interface AccountCard {
  account: CardRow['account'] & { phones: string[] };
  premises: CardRow['premises'];
  house: CardRow['house'];
  region: CardRow['region'];
  principal: CardRow['principal'];
  meters: MeterView[];
  /** The region's local date the validity of meters is judged on. */
  asOf: string;
}

export function accountNotFound(number: string, status = 404): ApiError {
  return new ApiError(
    status,
    'ACCOUNT_NOT_FOUND',
    `Лицевой счёт ${number} не найден.`,
    `Account ${number} not found.`,
  );
}

export async function accountCard(deps: RegistryDeps, number: string): Promise<AccountCard> {
  return inSnapshot(deps.db, async (tx) => {
    const a = await findAccount(tx, number);
    if (!a) throw accountNotFound(number);
    const card = (await cardOf(tx, a.id))!;
    const phones = await phonesOf(tx, a.id);
    const meters = await metersOfAccount(tx, a.id);
    const last = await lastAcceptedReadings(
      tx,
      meters.map((m) => m.id),
    );
    const today = localToday(deps.clock.now(), a.timeZone);
    const names = await zoneNamesOf(tx, a.region, today);
    return {
      ...card,
      account: { ...card.account, phones },
      meters: meters.map((m) => meterView(m, names(m.zones), today, last.get(m.id))),
      asOf: today,
    };
  });
}

export async function searchAccountHits(deps: RegistryDeps, q: AccountSearchQuery): Promise<AccountHit[]> {
  return searchAccounts(deps.db, { q: q.q, phone: phoneFromQuery(q.q), limit: q.limit });
}

function categoryMismatch(category: string, house: { stoveType: string; settlementType: string }): ApiError {
  return new ApiError(
    422,
    'TARIFF_CATEGORY_MISMATCH',
    `Тарифная категория ${category} не подходит дому (плиты: ${house.stoveType}, населённый пункт: ${house.settlementType}).`,
    `Tariff category ${category} does not fit the house (stove ${house.stoveType}, settlement ${house.settlementType}).`,
    { category, stoveType: house.stoveType, settlementType: house.settlementType },
  );
}

function premisesTaken(number: string): ApiError {
  return new ApiError(
    409,
    'PREMISES_HAS_ACTIVE_ACCOUNT',
    `На помещении уже открыт лицевой счёт ${number}. Закройте его, прежде чем открыть новый.`,
    `The premises already have the active account ${number}. Close it before opening another.`,
    { account: number },
  );
}

/** Opens an account on premises; one active account per premises (§3); the category fits the house. */
export async function createAccount(deps: RegistryDeps, input: AccountCreate): Promise<AccountCard> {
  await inTransaction(deps.db, async (tx) => {
    const house = await findHouse(tx, input.house);
    if (!house) throw houseNotFound(input.house, 422);
    const premises = await findPremises(tx, house.id, input.premises, true);
    if (!premises) throw premisesNotFound(input.house, input.premises, 422);
    const principal = await findPrincipal(tx, input.principal);
    if (!principal) throw principalNotFound(input.principal);
    const active = await activeAccountOnPremises(tx, premises.id);
    if (active !== undefined) throw premisesTaken(active);
    const category: TariffCategory = input.tariffCategory ?? defaultTariffCategory(house);
    if (!categoryFitsHouse(category, house)) throw categoryMismatch(category, house);
    const id = await insertAccount(tx, {
      number: input.number,
      premisesId: premises.id,
      principalId: principal.id,
      payerName: input.payerName,
      email: input.email ?? null,
      tariffCategory: category,
      startDate: input.startDate,
      meterInstallationPossible: input.meterInstallationPossible ?? true,
    });
    await replacePhones(tx, id, input.phones ?? []);
  });
  return accountCard(deps, input.number);
}

/** Changes an account; closing needs an end date, reopening a premises without another active account. */
export async function patchAccount(
  deps: RegistryDeps,
  number: string,
  patch: AccountPatch,
): Promise<AccountCard> {
  await inTransaction(deps.db, async (tx) => {
    const a = await findAccount(tx, number, true);
    if (!a) throw accountNotFound(number);
    const changes: AccountChanges = {
      payerName: patch.payerName,
      email: patch.email,
      tariffCategory: patch.tariffCategory,
      meterInstallationPossible: patch.meterInstallationPossible,
    };
    if (patch.principal !== undefined) {
      const principal = await findPrincipal(tx, patch.principal);
      if (!principal) throw principalNotFound(patch.principal);
      changes.principalId = principal.id;
    }
    if (patch.tariffCategory !== undefined) {
      const house = (await findHouse(tx, a.house))!;
      if (!categoryFitsHouse(patch.tariffCategory, house))
        throw categoryMismatch(patch.tariffCategory, house);
    }
    Object.assign(changes, await statusChange(tx, a, patch));
    await updateAccount(tx, a.id, changes);
    if (patch.phones !== undefined) await replacePhones(tx, a.id, patch.phones);
  });
  return accountCard(deps, number);
}

async function statusChange(
  tx: Tx,
  a: AccountRow,
  patch: AccountPatch,
): Promise<Pick<AccountChanges, 'status' | 'endDate'>> {
  const status = patch.status ?? a.status;
  if (status === 'closed') {
    const endDate = patch.endDate ?? a.endDate;
    if (endDate === null) {
      throw new ApiError(
        422,
        'END_DATE_REQUIRED',
        'Чтобы закрыть лицевой счёт, укажите дату закрытия (endDate).',
        'Give the end date (endDate) to close the account.',
      );
    }
    if (endDate < a.startDate) {
      throw new ApiError(
        422,
        'END_BEFORE_START',
        `Дата закрытия ${endDate} раньше даты открытия ${a.startDate}.`,
        `The end date ${endDate} is before the start date ${a.startDate}.`,
      );
    }
    return { status, endDate };
  }
  if (patch.endDate !== undefined) {
    throw new ApiError(
      422,
      'END_DATE_NEEDS_CLOSING',
      'Дата закрытия указывается только при закрытии лицевого счёта (status: closed).',
      'An end date is given only when closing the account (status: closed).',
    );
  }
  if (a.status === 'closed') {
    // Reopening: the premises (locked) must not have another active account meanwhile.
    await findPremises(tx, a.houseId, a.premises, true);
    const other = await activeAccountOnPremises(tx, a.premisesId, a.id);
    if (other !== undefined) throw premisesTaken(other);
    return { status: 'active', endDate: null };
  }
  return {};
}
