import { formatRegisterValue } from '../domain/register-value.ts';
import { canonicalTimestamp, type RowInputOf, type Section } from './registry-format.ts';
import type {
  AccountRec,
  CommonNormRec,
  HouseRec,
  ManagementCompanyRec,
  MeterRec,
  MeterReplacementRec,
  NormRec,
  PremisesRec,
  PrincipalRec,
  ReadingRec,
  TariffRec,
} from './registry-io.repository.ts';

/**
 * Records (database content, natural keys) → rows of the document in their one canonical form: fixed
 * field order, empty optional fields omitted, register values as the meter shows them. The export writes
 * these; the import builds the same form from a file row to tell "unchanged" from "conflicting".
 */

export interface RecOf {
  principals: PrincipalRec;
  managementCompanies: ManagementCompanyRec;
  houses: HouseRec;
  premises: PremisesRec;
  accounts: AccountRec;
  meters: MeterRec;
  meterReplacements: MeterReplacementRec;
  readings: ReadingRec;
  tariffs: TariffRec;
  norms: NormRec;
  commonNorms: CommonNormRec;
}

type Obj = Record<string, unknown>;

/** Copies fields in the given order, leaving out null and undefined. */
function pick<T extends object>(rec: T, fields: (keyof T)[]): Obj {
  const out: Obj = {};
  for (const f of fields) {
    const v = rec[f];
    if (v !== null && v !== undefined) out[f as string] = v;
  }
  return out;
}

/**
 * A register value as the meter shows it ("12345.6" with one decimal). A stored value finer than the meter's
 * decimals (it cannot come through the intake or the import) is written with all three decimals rather
 * than truncated, so nothing is lost silently; importing it back is refused with VALUE_PRECISION.
 */
export function registerText(wh: number, decimals: number): string {
  const step = 10 ** (3 - decimals);
  return formatRegisterValue(wh, wh % step === 0 ? decimals : 3);
}

export const toRow = {
  principals: (r: PrincipalRec) =>
    pick(r, [
      'code',
      'kind',
      'name',
      'inn',
      'kpp',
      'bankName',
      'bic',
      'personalAcc',
      'correspAcc',
      'phone',
      'email',
      'address',
    ]) as RowInputOf<'principals'>,
  managementCompanies: (r: ManagementCompanyRec) =>
    pick(r, ['code', 'name', 'inn', 'phone', 'email']) as RowInputOf<'managementCompanies'>,
  houses: (r: HouseRec) =>
    pick(r, [
      'code',
      'regionCode',
      'managementCompanyCode',
      'address',
      'kind',
      'stoveType',
      'settlementType',
      'totalAreaM2',
      'commonAreaM2',
      'commonNeedsMode',
    ]) as RowInputOf<'houses'>,
  premises: (r: PremisesRec) =>
    pick(r, [
      'houseCode',
      'number',
      'isResidential',
      'areaM2',
      'rooms',
      'residents',
    ]) as RowInputOf<'premises'>,
  accounts: (r: AccountRec) =>
    pick({ ...r, phones: [...r.phones].sort(compareText) }, [
      'number',
      'houseCode',
      'premisesNumber',
      'principalCode',
      'payerName',
      'email',
      'phones',
      'tariffCategory',
      'status',
      'startDate',
      'endDate',
      'meterInstallationPossible',
    ]) as RowInputOf<'accounts'>,
  meters: (r: MeterRec) =>
    pick({ ...r, initialValues: r.initialValuesWh.map((wh) => registerText(wh, r.decimals)) }, [
      'serial',
      'model',
      'kind',
      'houseCode',
      'accountNumber',
      'zones',
      'digits',
      'decimals',
      'installedOn',
      'commissionedOn',
      'commissioningAct',
      'initialValues',
      'nextVerificationOn',
      'smart',
      'headEndId',
      'status',
      'failureReason',
      'failedOn',
      'removedOn',
    ]) as RowInputOf<'meters'>,
  /** `decimals`: of the old meter, whose final values these are. */
  meterReplacements: (r: MeterReplacementRec, decimals: number) =>
    pick({ ...r, finalValues: r.finalValuesWh.map((wh) => registerText(wh, decimals)) }, [
      'oldSerial',
      'newSerial',
      'replacedAt',
      'finalValues',
      'actNumber',
    ]) as RowInputOf<'meterReplacements'>,
  /** `decimals`: of the reading's meter. */
  readings: (r: ReadingRec, decimals: number) =>
    pick({ ...r, values: r.valuesWh.map((wh) => registerText(wh, decimals)) }, [
      'meterSerial',
      'accountNumber',
      'kind',
      'values',
      'rollover',
      'takenAt',
      'receivedAt',
      'channel',
      'externalId',
      'submittedBy',
      'period',
      'billedInPeriod',
      'status',
      'reasonCode',
    ]) as RowInputOf<'readings'>,
  tariffs: (r: TariffRec) =>
    pick(r, [
      'regionCode',
      'category',
      'meterType',
      'zone',
      'rangeFromKwh',
      'rangeToKwh',
      'priceKopecks',
      'effectiveFrom',
      'illustrative',
      'note',
    ]) as RowInputOf<'tariffs'>,
  norms: (r: NormRec) =>
    pick(r, [
      'regionCode',
      'stoveType',
      'rooms',
      'residents',
      'whPerPerson',
      'effectiveFrom',
      'illustrative',
    ]) as RowInputOf<'norms'>,
  commonNorms: (r: CommonNormRec) =>
    pick(r, ['regionCode', 'whPerM2', 'effectiveFrom', 'illustrative']) as RowInputOf<'commonNorms'>,
};

/** Byte order of UTF-16 code units, the same for every locale (PostgreSQL's COLLATE "C" for ASCII keys). */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------------------
// Natural keys

/** The fields that make up the natural key of a row of each section (the same names in rows and records). */
export const KEY_FIELDS: Record<Section, string[]> = {
  principals: ['code'],
  managementCompanies: ['code'],
  houses: ['code'],
  premises: ['houseCode', 'number'],
  accounts: ['number'],
  meters: ['serial'],
  meterReplacements: ['oldSerial'],
  readings: ['meterSerial', 'kind', 'takenAt', 'receivedAt', 'channel'],
  tariffs: ['regionCode', 'category', 'meterType', 'zone', 'rangeFromKwh', 'effectiveFrom'],
  norms: ['regionCode', 'stoveType', 'rooms', 'residents', 'effectiveFrom'],
  commonNorms: ['regionCode', 'effectiveFrom'],
};

/** Key fields that have a default in the format. */
const KEY_DEFAULTS: Record<string, unknown> = { kind: 'regular', rangeFromKwh: 0 };
const TIMESTAMP_FIELDS = new Set(['takenAt', 'receivedAt']);

/**
 * The natural key of a row, record or raw file row, as text parts; undefined when a key field is missing
 * or not a string or number (a row too broken to name).
 */
export function keyParts(section: Section, r: Record<string, unknown>): string[] | undefined {
  const parts: string[] = [];
  for (const field of KEY_FIELDS[section]) {
    const v = r[field] ?? KEY_DEFAULTS[field];
    if (typeof v !== 'string' && typeof v !== 'number') return undefined;
    const text = String(v);
    parts.push(TIMESTAMP_FIELDS.has(field) ? (canonicalTimestamp(text) ?? text) : text);
  }
  return parts;
}

/** A map key from key parts: control characters cannot occur in codes, so \u0001 separates safely. */
export const mapKey = (parts: string[]) => parts.join('\u0001');
/** A key as people read it in a report. */
export const displayKey = (parts: string[]) => parts.join(' / ');
