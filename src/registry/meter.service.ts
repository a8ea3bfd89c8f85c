import { type Check, checkValues, type MeterFacts } from '../domain/reading-rules.ts';
import { reasonMessage } from '../i18n/reading-messages.ts';
import { ApiError } from '../platform/http.ts';
import { findAccount } from './account.repository.ts';
import { accountNotFound } from './account.service.ts';
import { findHouse } from './house.repository.ts';
import { houseNotFound } from './house.service.ts';
import {
  findMeter,
  insertMeter,
  lastAcceptedReadings,
  type MeterChanges,
  updateMeter,
} from './meter.repository.ts';
import type { MeterCreate, MeterPatch } from './meter.schemas.ts';
import { localToday, type MeterView, meterView, zoneNamesOf } from './meter-view.ts';
import { inTransaction, type RegistryDeps } from './registry-db.ts';

/** Use cases for meters (domain.md §3): register, show, mark failed or repaired, new verification date. */

export function meterNotFound(serial: string): ApiError {
  return new ApiError(404, 'METER_NOT_FOUND', `Счётчик ${serial} не найден.`, `Meter ${serial} not found.`);
}

export function meterRemoved(serial: string): ApiError {
  return new ApiError(
    409,
    'METER_REMOVED',
    `Счётчик ${serial} снят с учёта; изменить его нельзя.`,
    `Meter ${serial} has been removed; it cannot be changed.`,
  );
}

/** The register shape of a meter being registered, for the value rules (§4.2). */
export function shapeFacts(m: {
  serial: string;
  zones: number;
  digits: number;
  decimals: number;
}): MeterFacts {
  return {
    serial: m.serial,
    zones: m.zones,
    digits: m.digits,
    decimals: m.decimals,
    status: 'active',
    commissionedOn: null,
    nextVerificationOn: '9999-12-31',
    initialValuesWh: [],
  };
}

/** A failed check of register values as a 422 with the intake's reason code and message. */
export function valuesError(check: Check<unknown> & { ok: false }, whatRu: string, whatEn: string): ApiError {
  const params = check.params ?? {};
  return new ApiError(
    422,
    check.reason,
    `${whatRu}: ${reasonMessage(check.reason, params, 'ru')}`,
    `${whatEn}: ${reasonMessage(check.reason, params, 'en')}`,
    params,
  );
}

export function verificationDateInvalid(next: string, from: string): ApiError {
  return new ApiError(
    422,
    'VERIFICATION_DATE_INVALID',
    `Дата следующей поверки ${next} должна быть позже ${from}.`,
    `The next verification date ${next} must be after ${from}.`,
  );
}

export async function showMeter(deps: RegistryDeps, serial: string): Promise<MeterView> {
  const m = await findMeter(deps.db, serial);
  if (!m) throw meterNotFound(serial);
  const today = localToday(deps.clock.now(), m.timeZone);
  const names = await zoneNamesOf(deps.db, m.region, today);
  const last = await lastAcceptedReadings(deps.db, [m.id]);
  return meterView(m, names(m.zones), today, last.get(m.id));
}

/** Registers a meter of an account (individual) or of a house (common) with its commissioning act. */
export async function createMeter(deps: RegistryDeps, input: MeterCreate): Promise<MeterView> {
  const values = checkValues(input.initialValues, shapeFacts(input));
  if (!values.ok) throw valuesError(values, 'Начальные показания', 'Initial values');
  const commissionedOn = input.commissionedOn === undefined ? input.installedOn : input.commissionedOn;
  if (commissionedOn !== null && commissionedOn < input.installedOn) {
    throw new ApiError(
      422,
      'COMMISSIONED_BEFORE_INSTALLED',
      `Дата ввода в эксплуатацию ${commissionedOn} раньше даты установки ${input.installedOn}.`,
      `The commissioning date ${commissionedOn} is before the installation date ${input.installedOn}.`,
    );
  }
  const from = commissionedOn ?? input.installedOn;
  if (input.nextVerificationOn <= from) throw verificationDateInvalid(input.nextVerificationOn, from);
  await inTransaction(deps.db, async (tx) => {
    let houseId: number;
    let accountId: number | null = null;
    if (input.kind === 'individual') {
      const a = await findAccount(tx, input.account!, true);
      if (!a) throw accountNotFound(input.account!, 422);
      if (a.status !== 'active') {
        throw new ApiError(
          422,
          'ACCOUNT_INACTIVE',
          `Лицевой счёт ${a.number} закрыт; счётчик на него не регистрируется.`,
          `Account ${a.number} is closed; no meter can be registered on it.`,
        );
      }
      houseId = a.houseId;
      accountId = a.id;
    } else {
      const h = await findHouse(tx, input.house!);
      if (!h) throw houseNotFound(input.house!, 422);
      houseId = h.id;
    }
    await insertMeter(tx, {
      serial: input.serial,
      model: input.model ?? '',
      kind: input.kind,
      houseId,
      accountId,
      zones: input.zones,
      digits: input.digits,
      decimals: input.decimals,
      installedOn: input.installedOn,
      commissionedOn,
      commissioningAct: input.commissioningAct ?? null,
      initialValuesWh: values.value,
      nextVerificationOn: input.nextVerificationOn,
      smart: input.smart,
      headEndId: input.headEndId ?? null,
    });
  });
  return showMeter(deps, input.serial);
}

/**
 * Marks a meter failed (broken seal, no display, damage — it then bills as §6.1 item 4) or repaired,
 * records a new verification date, or commissions a meter that was installed without it.
 */
export async function patchMeter(deps: RegistryDeps, serial: string, patch: MeterPatch): Promise<MeterView> {
  await inTransaction(deps.db, async (tx) => {
    const m = await findMeter(tx, serial, true);
    if (!m) throw meterNotFound(serial);
    if (m.status === 'removed') throw meterRemoved(serial);
    const changes: MeterChanges = { model: patch.model };
    if (patch.status === 'failed') {
      changes.status = 'failed';
      changes.failureReason = patch.failureReason!;
      changes.failedOn = patch.failedOn ?? localToday(deps.clock.now(), m.timeZone);
      if (changes.failedOn < m.installedOn) {
        throw new ApiError(
          422,
          'FAILED_BEFORE_INSTALLED',
          `Дата неисправности ${changes.failedOn} раньше даты установки ${m.installedOn}.`,
          `The failure date ${changes.failedOn} is before the installation date ${m.installedOn}.`,
        );
      }
    } else if (patch.status === 'active') {
      changes.status = 'active';
      changes.failureReason = null;
      changes.failedOn = null;
    }
    if (patch.commissionedOn !== undefined || patch.commissioningAct !== undefined) {
      if (m.commissionedOn !== null) {
        throw new ApiError(
          409,
          'METER_ALREADY_COMMISSIONED',
          `Счётчик ${serial} уже введён в эксплуатацию ${m.commissionedOn}.`,
          `Meter ${serial} was already commissioned on ${m.commissionedOn}.`,
        );
      }
      const on = patch.commissionedOn ?? localToday(deps.clock.now(), m.timeZone);
      if (on < m.installedOn) {
        throw new ApiError(
          422,
          'COMMISSIONED_BEFORE_INSTALLED',
          `Дата ввода в эксплуатацию ${on} раньше даты установки ${m.installedOn}.`,
          `The commissioning date ${on} is before the installation date ${m.installedOn}.`,
        );
      }
      changes.commissionedOn = on;
      changes.commissioningAct = patch.commissioningAct;
    }
    if (patch.nextVerificationOn !== undefined) {
      const from = changes.commissionedOn ?? m.commissionedOn ?? m.installedOn;
      if (patch.nextVerificationOn <= from) throw verificationDateInvalid(patch.nextVerificationOn, from);
      changes.nextVerificationOn = patch.nextVerificationOn;
    }
    await updateMeter(tx, m.id, changes);
  });
  return showMeter(deps, serial);
}
