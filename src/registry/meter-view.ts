import { localDateOf } from '../domain/local-time.ts';
import { formatLocalDate, parseLocalDate } from '../domain/period.ts';
import { checkMeterValidity, type MeterFacts } from '../domain/reading-rules.ts';
import { formatRegisterValue } from '../domain/register-value.ts';
import type { Executor } from '../platform/database.ts';
import type { LastReadingRow, MeterRow } from './meter.repository.ts';
import { loadRuleParameters } from './parameters.repository.ts';

/** How a meter is shown (account card, meter card, CLI): natural keys only, values as the display shows them. */
export interface MeterView {
  serial: string;
  model: string;
  kind: 'individual' | 'common';
  account: string | null;
  house: string;
  status: 'active' | 'failed' | 'removed';
  failureReason: string | null;
  failedOn: string | null;
  zones: number;
  /** Names of registers T1..Tn in the region (§6.2), e.g. ["peak", "night", "half_peak"]. */
  zoneNames: string[];
  digits: number;
  decimals: number;
  installedOn: string;
  commissionedOn: string | null;
  commissioningAct: string | null;
  initialValues: string[];
  nextVerificationOn: string;
  smart: boolean;
  headEndId: string | null;
  removedOn: string | null;
  replaces: string | null;
  replacedBy: string | null;
  /** §3 validity on the region's local today: commissioned, before verification, not failed, not removed. */
  validity: { on: string; valid: boolean; reason: string | null };
  lastReading: {
    values: string[];
    valuesWh: number[];
    takenAt: string;
    period: string;
    kind: string;
    channel: string;
  } | null;
}

/** The region's local date of an instant, 'YYYY-MM-DD'. */
export function localToday(now: Date, timeZone: string): string {
  return formatLocalDate(localDateOf(now, timeZone));
}

/** Register names T1..Tn for a zone count in a region on a date (parameter zone_names, §6.2). */
export async function zoneNamesOf(
  db: Executor,
  region: string,
  on: string,
): Promise<(zones: number) => string[]> {
  const names = (await loadRuleParameters(db, region, on)).zoneNames;
  return (zones) =>
    names[String(zones) as '1' | '2' | '3'] ?? Array.from({ length: zones }, (_, i) => `T${i + 1}`);
}

export function meterFacts(m: MeterRow): MeterFacts {
  return {
    serial: m.serial,
    zones: m.zones,
    digits: m.digits,
    decimals: m.decimals,
    status: m.status,
    commissionedOn: m.commissionedOn,
    nextVerificationOn: m.nextVerificationOn,
    initialValuesWh: m.initialValuesWh,
    failedOn: m.failedOn,
  };
}

export function meterView(
  m: MeterRow,
  zoneNames: string[],
  today: string,
  last: LastReadingRow | undefined,
): MeterView {
  // The meter's own validity (§3) is the intake's rule 1 for an active account.
  const check = checkMeterValidity(meterFacts(m), parseLocalDate(today));
  return {
    serial: m.serial,
    model: m.model,
    kind: m.kind,
    account: m.account,
    house: m.house,
    status: m.status,
    failureReason: m.failureReason,
    failedOn: m.failedOn,
    zones: m.zones,
    zoneNames,
    digits: m.digits,
    decimals: m.decimals,
    installedOn: m.installedOn,
    commissionedOn: m.commissionedOn,
    commissioningAct: m.commissioningAct,
    initialValues: m.initialValuesWh.map((wh) => formatRegisterValue(wh, m.decimals)),
    nextVerificationOn: m.nextVerificationOn,
    smart: m.smart,
    headEndId: m.headEndId,
    removedOn: m.removedOn,
    replaces: m.replaces,
    replacedBy: m.replacedBy,
    validity: { on: today, valid: check.ok, reason: check.ok ? null : check.reason },
    lastReading: last
      ? {
          values: last.valuesWh.map((wh) => formatRegisterValue(wh, m.decimals)),
          valuesWh: last.valuesWh,
          takenAt: last.takenAt.toISOString(),
          period: last.period,
          kind: last.kind,
          channel: last.channel,
        }
      : null,
  };
}
