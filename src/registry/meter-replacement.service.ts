import { localDateOf } from '../domain/local-time.ts';
import { finalReadingConsumption, type ReadingPeriods, readingPeriods } from '../domain/meter-replacement.ts';
import { formatLocalDate } from '../domain/period.ts';
import { checkTakenAt, checkValues } from '../domain/reading-rules.ts';
import { formatRegisterValue } from '../domain/register-value.ts';
import { reasonMessage } from '../i18n/reading-messages.ts';
import { ApiError } from '../platform/http.ts';
import { findAccount } from './account.repository.ts';
import {
  findMeter,
  insertFinalReading,
  insertMeter,
  insertReplacement,
  lastAcceptedReadings,
  lastClosedPeriod,
  updateMeter,
} from './meter.repository.ts';
import type { MeterReplacement } from './meter.schemas.ts';
import {
  meterNotFound,
  meterRemoved,
  shapeFacts,
  showMeter,
  valuesError,
  verificationDateInvalid,
} from './meter.service.ts';
import { type MeterView, meterFacts } from './meter-view.ts';
import { loadRuleParameters } from './parameters.repository.ts';
import { inTransaction, type RegistryDeps } from './registry-db.ts';

/**
 * Meter replacement (domain.md §3), one transaction: the old meter's final reading is appended (kind
 * 'final', channel 'operator', accepted, counted for the period of the replacement day by the region's
 * readings window), the old meter is removed that day, the new meter is commissioned that day with the
 * act's initial readings, and the replacement is recorded. Bad input changes nothing.
 */

export interface ReplacementResult {
  replacedAt: string;
  actNumber: string | null;
  finalReading: ReadingPeriods & {
    values: string[];
    valuesWh: number[];
    /** Consumption since the last accepted reading (or the old meter's act). */
    consumptionWh: number[];
    previousValuesWh: number[];
  };
  oldMeter: MeterView;
  newMeter: MeterView;
}

export async function replaceMeter(
  deps: RegistryDeps,
  serial: string,
  input: MeterReplacement,
): Promise<ReplacementResult> {
  const now = deps.clock.now();
  const replacedAt = new Date(input.replacedAt);
  const done = await inTransaction(deps.db, async (tx) => {
    const old = await findMeter(tx, serial, true);
    if (!old) throw meterNotFound(serial);
    if (old.status === 'removed') throw meterRemoved(serial);
    if (old.account !== null && (await findAccount(tx, old.account))?.status !== 'active') {
      throw new ApiError(
        422,
        'ACCOUNT_INACTIVE',
        `Лицевой счёт ${old.account} закрыт; замена счётчика на нём не оформляется.`,
        `Account ${old.account} is closed; no meter replacement can be recorded on it.`,
      );
    }
    const takenOn = localDateOf(replacedAt, old.timeZone);
    const day = formatLocalDate(takenOn);
    const params = await loadRuleParameters(tx, old.region, day);
    const when = checkTakenAt(replacedAt, now, meterFacts(old), old.timeZone, params);
    if (!when.ok) {
      const p = when.params ?? {};
      throw new ApiError(
        422,
        when.reason,
        `Дата замены: ${reasonMessage(when.reason, p, 'ru')}`,
        `Replacement date: ${reasonMessage(when.reason, p, 'en')}`,
        p,
      );
    }
    const final = checkValues(input.finalValues, meterFacts(old));
    if (!final.ok) throw valuesError(final, 'Конечные показания', 'Final values');
    const last = (await lastAcceptedReadings(tx, [old.id])).get(old.id);
    if (last && replacedAt.getTime() < last.takenAt.getTime()) {
      throw new ApiError(
        422,
        'REPLACED_BEFORE_LAST_READING',
        `Время замены раньше последних принятых показаний (${last.takenAt.toISOString()}).`,
        `The replacement time is before the last accepted reading (${last.takenAt.toISOString()}).`,
        { lastReadingAt: last.takenAt.toISOString() },
      );
    }
    const baseline = last?.valuesWh ?? old.initialValuesWh;
    const consumption = finalReadingConsumption(baseline, final.value);
    if (!consumption.ok) {
      const { zone, previousWh, valueWh } = consumption.params;
      const shown = (wh: number) => formatRegisterValue(wh, old.decimals);
      throw new ApiError(
        422,
        consumption.reason,
        `Конечное показание T${zone} (${shown(valueWh)}) меньше последнего принятого (${shown(previousWh)}).`,
        `Final value T${zone} (${shown(valueWh)}) is lower than the last accepted one (${shown(previousWh)}).`,
        consumption.params,
      );
    }
    const n = input.newMeter;
    const initial = checkValues(n.initialValues, shapeFacts(n));
    if (!initial.ok)
      throw valuesError(initial, 'Начальные показания нового счётчика', 'New meter initial values');
    if (n.nextVerificationOn <= day) throw verificationDateInvalid(n.nextVerificationOn, day);

    const periods = readingPeriods(takenOn, params.readingsWindow, await lastClosedPeriod(tx, old.region));
    await insertFinalReading(tx, {
      meterId: old.id,
      accountId: old.accountId,
      valuesWh: final.value,
      consumptionWh: consumption.consumptionWh,
      takenAt: replacedAt,
      receivedAt: now,
      submittedBy: input.submittedBy ?? null,
      period: periods.period,
      billedInPeriod: periods.billedInPeriod,
    });
    // Removed first: a house has at most one common meter in service.
    await updateMeter(tx, old.id, { status: 'removed', removedOn: day });
    const newId = await insertMeter(tx, {
      serial: n.serial,
      model: n.model ?? '',
      kind: old.kind,
      houseId: old.houseId,
      accountId: old.accountId,
      zones: n.zones,
      digits: n.digits,
      decimals: n.decimals,
      installedOn: day,
      commissionedOn: day,
      commissioningAct: input.actNumber ?? null,
      initialValuesWh: initial.value,
      nextVerificationOn: n.nextVerificationOn,
      smart: n.smart,
      headEndId: n.headEndId ?? null,
    });
    await insertReplacement(tx, {
      oldMeterId: old.id,
      newMeterId: newId,
      replacedAt,
      finalValuesWh: final.value,
      actNumber: input.actNumber ?? null,
    });
    return {
      periods,
      values: final.value.map((wh) => formatRegisterValue(wh, old.decimals)),
      valuesWh: final.value,
      consumptionWh: consumption.consumptionWh,
      previousValuesWh: baseline,
    };
  });
  const { periods, ...reading } = done;
  return {
    replacedAt: replacedAt.toISOString(),
    actNumber: input.actNumber ?? null,
    finalReading: { ...periods, ...reading },
    oldMeter: await showMeter(deps, serial),
    newMeter: await showMeter(deps, input.newMeter.serial),
  };
}
