import { localDateOf } from '../domain/local-time.ts';
import { formatLocalDate } from '../domain/period.ts';
import { checkValues, type MeterFacts } from '../domain/reading-rules.ts';
import { canonicalTimestamp } from './registry-format.ts';
import type { ImportRun, RowState } from './registry-import-run.ts';
import type { HouseRec, MeterRec } from './registry-io.repository.ts';
import { compareText, mapKey, toRow } from './registry-rows.ts';

/**
 * The checks of each section, in dependency order (§3 registry, §4 readings, §13 hand-over). Each row ends
 * 'insert', 'unchanged' or 'rejected' with its reason; a row that refers to a rejected row is rejected too.
 */

export const or = <T>(v: T | null | undefined): T | null => (v === undefined ? null : v);
/** An area as numeric(p, 2) stores it (the schema allows float noise below a hundredth). */
const cents = (m2: number) => Math.round(m2 * 100) / 100;

export function meterFacts(
  m: Pick<MeterRec, 'serial' | 'zones' | 'digits' | 'decimals'> & Partial<MeterRec>,
): MeterFacts {
  return {
    serial: m.serial,
    zones: m.zones,
    digits: m.digits,
    decimals: m.decimals,
    status: m.status ?? 'active',
    commissionedOn: m.commissionedOn ?? null,
    nextVerificationOn: m.nextVerificationOn ?? '9999-12-31',
    initialValuesWh: m.initialValuesWh ?? [],
  };
}

/** Today in the region's time zone, 'YYYY-MM-DD'. */
export function today(run: ImportRun, regionCode: string): string {
  return formatLocalDate(localDateOf(run.now, run.regions.get(regionCode) ?? 'UTC'));
}

export function checkPrincipals(run: ImportRun): void {
  for (const st of run.pending('principals')) {
    const r = st.row;
    run.settle(
      'principals',
      st,
      {
        code: r.code,
        kind: r.kind,
        name: r.name,
        inn: or(r.inn),
        kpp: or(r.kpp),
        bankName: or(r.bankName),
        bic: or(r.bic),
        personalAcc: or(r.personalAcc),
        correspAcc: or(r.correspAcc),
        phone: or(r.phone),
        email: or(r.email),
        address: or(r.address),
      },
      toRow.principals,
    );
  }
}

export function checkManagementCompanies(run: ImportRun): void {
  for (const st of run.pending('managementCompanies')) {
    const r = st.row;
    const rec = { code: r.code, name: r.name, inn: or(r.inn), phone: or(r.phone), email: or(r.email) };
    run.settle('managementCompanies', st, rec, toRow.managementCompanies);
  }
}

export function checkHouses(run: ImportRun): void {
  for (const st of run.pending('houses')) {
    const r = st.row;
    if (!run.regions.has(r.regionCode)) {
      run.reject('houses', st, 'REGION_NOT_FOUND', { code: r.regionCode });
      continue;
    }
    if (r.managementCompanyCode) {
      const mc = run.need(
        'houses',
        st,
        'managementCompanies',
        [r.managementCompanyCode],
        'MANAGEMENT_COMPANY_NOT_FOUND',
        {
          code: r.managementCompanyCode,
        },
      );
      if (!mc) continue;
    }
    const rec: HouseRec = {
      code: r.code,
      regionCode: r.regionCode,
      managementCompanyCode: or(r.managementCompanyCode),
      address: r.address,
      kind: r.kind,
      stoveType: r.stoveType,
      settlementType: r.settlementType,
      totalAreaM2: cents(r.totalAreaM2),
      commonAreaM2: cents(r.commonAreaM2),
      commonNeedsMode: r.commonNeedsMode,
    };
    run.settle('houses', st, rec, toRow.houses);
  }
}

export function checkPremises(run: ImportRun): void {
  for (const st of run.pending('premises')) {
    const r = st.row;
    if (!run.need('premises', st, 'houses', [r.houseCode], 'HOUSE_NOT_FOUND', { code: r.houseCode }))
      continue;
    run.settle('premises', st, { ...r, areaM2: cents(r.areaM2) }, toRow.premises);
  }
}

export function checkAccounts(run: ImportRun): void {
  for (const st of run.pending('accounts')) {
    const r = st.row;
    const premisesParams = { house: r.houseCode, number: r.premisesNumber };
    if (
      !run.need(
        'accounts',
        st,
        'premises',
        [r.houseCode, r.premisesNumber],
        'PREMISES_NOT_FOUND',
        premisesParams,
      )
    )
      continue;
    if (
      !run.need('accounts', st, 'principals', [r.principalCode], 'PRINCIPAL_NOT_FOUND', {
        code: r.principalCode,
      })
    )
      continue;
    const phones = [...r.phones].sort(compareText);
    const twice = phones.find((p, i) => phones[i + 1] === p);
    if (twice) {
      run.reject('accounts', st, 'PHONE_DUPLICATE', { phone: twice });
      continue;
    }
    if (r.endDate && r.endDate < r.startDate) {
      run.reject('accounts', st, 'END_BEFORE_START');
      continue;
    }
    run.settle(
      'accounts',
      st,
      {
        number: r.number,
        houseCode: r.houseCode,
        premisesNumber: r.premisesNumber,
        principalCode: r.principalCode,
        payerName: r.payerName,
        email: or(r.email),
        phones,
        tariffCategory: r.tariffCategory,
        status: r.status,
        startDate: r.startDate,
        endDate: or(r.endDate),
        meterInstallationPossible: r.meterInstallationPossible,
      },
      toRow.accounts,
    );
  }
}

export function checkMeters(run: ImportRun): void {
  const commonInFile = new Map<string, string>();
  const reject = (st: RowState<'meters'>, code: string, params: Record<string, unknown> = {}) =>
    run.reject('meters', st, code, params);
  for (const st of run.pending('meters')) {
    const r = st.row;
    const house = run.need('meters', st, 'houses', [r.houseCode], 'HOUSE_NOT_FOUND', { code: r.houseCode });
    if (!house) continue;
    if (r.kind === 'individual') {
      if (!r.accountNumber) {
        reject(st, 'ACCOUNT_REQUIRED');
        continue;
      }
      const account = run.need('meters', st, 'accounts', [r.accountNumber], 'ACCOUNT_NOT_FOUND', {
        number: r.accountNumber,
      });
      if (!account) continue;
      if (account.houseCode !== r.houseCode) {
        reject(st, 'METER_HOUSE_MISMATCH', {
          account: r.accountNumber,
          accountHouse: account.houseCode,
          house: r.houseCode,
        });
        continue;
      }
    } else if (r.accountNumber) {
      reject(st, 'ACCOUNT_NOT_ALLOWED');
      continue;
    }
    const values = checkValues(r.initialValues, meterFacts(r));
    if (!values.ok) {
      reject(st, values.reason, { ...values.params, field: 'initialValues' });
      continue;
    }
    if (r.smart && !r.headEndId) {
      reject(st, 'HEAD_END_REQUIRED');
      continue;
    }
    if (r.failedOn && r.status === 'active') {
      reject(st, 'FAILED_ON_NOT_FAILED', { date: r.failedOn });
      continue;
    }
    const day = today(run, house.regionCode);
    const future = (
      [
        ['installedOn', r.installedOn],
        ['commissionedOn', r.commissionedOn],
        ['failedOn', r.failedOn],
        ['removedOn', r.removedOn],
      ] as const
    ).find(([, d]) => d && d > day);
    if (future) {
      reject(st, 'DATE_IN_FUTURE', { field: future[0], date: future[1] });
      continue;
    }
    const early = (
      [
        ['commissionedOn', r.commissionedOn],
        ['failedOn', r.failedOn],
        ['removedOn', r.removedOn],
        ['nextVerificationOn', r.nextVerificationOn],
      ] as const
    ).find(([, d]) => d && d < r.installedOn);
    if (early) {
      reject(st, 'DATE_ORDER', {
        field: early[0],
        date: early[1],
        before: 'installedOn',
        beforeDate: r.installedOn,
      });
      continue;
    }
    const headEndOwner = r.headEndId ? run.storedHeadEnds.get(r.headEndId) : undefined;
    if (r.headEndId && headEndOwner && headEndOwner !== r.serial) {
      reject(st, 'HEAD_END_TAKEN', { headEndId: r.headEndId, serial: headEndOwner });
      continue;
    }
    if (r.kind === 'common' && r.status !== 'removed') {
      const other = run.storedCommonMeters.get(r.houseCode) ?? commonInFile.get(r.houseCode);
      if (other && other !== r.serial) {
        reject(st, 'COMMON_METER_EXISTS', { house: r.houseCode, serial: other });
        continue;
      }
    }
    const rec: MeterRec = {
      serial: r.serial,
      model: r.model,
      kind: r.kind,
      houseCode: r.houseCode,
      accountNumber: or(r.accountNumber),
      zones: r.zones,
      digits: r.digits,
      decimals: r.decimals,
      installedOn: r.installedOn,
      commissionedOn: or(r.commissionedOn),
      commissioningAct: or(r.commissioningAct),
      initialValuesWh: values.value,
      nextVerificationOn: r.nextVerificationOn,
      smart: r.smart,
      headEndId: or(r.headEndId),
      status: r.status,
      failureReason: or(r.failureReason),
      failedOn: or(r.failedOn),
      removedOn: or(r.removedOn),
    };
    run.settle('meters', st, rec, toRow.meters);
    if (st.status !== 'rejected' && r.kind === 'common' && r.status !== 'removed')
      commonInFile.set(r.houseCode, r.serial);
  }
}

export function checkMeterReplacements(run: ImportRun): void {
  for (const st of run.pending('meterReplacements')) {
    const r = st.row;
    const old = run.need('meterReplacements', st, 'meters', [r.oldSerial], 'METER_NOT_FOUND', {
      serial: r.oldSerial,
    });
    if (!old) continue;
    const neu = run.need('meterReplacements', st, 'meters', [r.newSerial], 'METER_NOT_FOUND', {
      serial: r.newSerial,
    });
    if (!neu) continue;
    if (r.oldSerial === r.newSerial) {
      run.reject('meterReplacements', st, 'REPLACEMENT_SAME_METER');
      continue;
    }
    const values = checkValues(r.finalValues, meterFacts(old));
    if (!values.ok) {
      run.reject('meterReplacements', st, values.reason, { ...values.params, field: 'finalValues' });
      continue;
    }
    const replacedAt = canonicalTimestamp(r.replacedAt) as string;
    if (Date.parse(replacedAt) > run.now.getTime()) {
      run.reject('meterReplacements', st, 'DATE_IN_FUTURE', { field: 'replacedAt', date: r.replacedAt });
      continue;
    }
    const replaced = run.storedReplacedBy.get(r.newSerial);
    if (replaced !== undefined && replaced !== r.oldSerial) {
      run.reject('meterReplacements', st, 'REPLACEMENT_NEW_METER_TAKEN', {
        serial: r.newSerial,
        other: replaced,
      });
      continue;
    }
    const rec = {
      oldSerial: r.oldSerial,
      newSerial: r.newSerial,
      replacedAt,
      finalValuesWh: values.value,
      actNumber: or(r.actNumber),
    };
    run.settle('meterReplacements', st, rec, (x) => toRow.meterReplacements(x, old.decimals));
  }
}

const TARIFF_ZONES: Record<string, string[]> = {
  single: ['single'],
  two_zone: ['day', 'night'],
  three_zone: ['peak', 'night', 'half_peak'],
};

export function checkReferenceData(run: ImportRun): void {
  for (const st of run.pending('tariffs')) {
    const r = st.row;
    if (!run.regions.has(r.regionCode)) run.reject('tariffs', st, 'REGION_NOT_FOUND', { code: r.regionCode });
    else if (!TARIFF_ZONES[r.meterType]?.includes(r.zone))
      run.reject('tariffs', st, 'TARIFF_ZONE_MISMATCH', { zone: r.zone, meterType: r.meterType });
    else if (r.rangeToKwh != null && r.rangeToKwh <= r.rangeFromKwh)
      run.reject('tariffs', st, 'RANGE_INVALID');
    else run.settle('tariffs', st, { ...r, rangeToKwh: or(r.rangeToKwh), note: or(r.note) }, toRow.tariffs);
  }
  for (const st of run.pending('norms')) {
    if (!run.regions.has(st.row.regionCode))
      run.reject('norms', st, 'REGION_NOT_FOUND', { code: st.row.regionCode });
    else run.settle('norms', st, { ...st.row }, toRow.norms);
  }
  for (const st of run.pending('commonNorms')) {
    if (!run.regions.has(st.row.regionCode))
      run.reject('commonNorms', st, 'REGION_NOT_FOUND', { code: st.row.regionCode });
    else run.settle('commonNorms', st, { ...st.row }, toRow.commonNorms);
  }
}

/**
 * §13 "missing meters": premises of the file with no meter in service through any of their accounts are
 * reported as a warning (they bill by the norm), unless their accounts record that no meter can be installed.
 */
export function warnMissingMeters(run: ImportRun): void {
  const taken = <T>(s: { status: string; rec: T | undefined }) =>
    s.status === 'insert' || s.status === 'unchanged';
  const accountsOf = new Map<string, boolean[]>();
  for (const a of run.rows.accounts.filter(taken)) {
    const k = mapKey([a.rec!.houseCode, a.rec!.premisesNumber]);
    accountsOf.set(k, [...(accountsOf.get(k) ?? []), a.rec!.meterInstallationPossible]);
  }
  const withMeter = new Set(run.storedPremisesWithMeter);
  for (const m of run.rows.meters.filter(taken)) {
    if (m.rec!.kind !== 'individual' || m.rec!.status === 'removed' || !m.rec!.accountNumber) continue;
    const a = run.ref('accounts', [m.rec!.accountNumber]);
    if (a.found === 'file' || a.found === 'db')
      withMeter.add(mapKey([a.rec.houseCode, a.rec.premisesNumber]));
  }
  for (const p of run.rows.premises.filter(taken)) {
    const k = mapKey([p.rec!.houseCode, p.rec!.number]);
    if (withMeter.has(k)) continue;
    const possible = accountsOf.get(k);
    if (possible && possible.length > 0 && possible.every((x) => !x)) continue;
    run.warn('premises', p.index, [p.rec!.houseCode, p.rec!.number], 'MISSING_METER', {
      house: p.rec!.houseCode,
      number: p.rec!.number,
    });
  }
}
