import { z } from 'zod';
import { daysInMonth } from '../domain/period.ts';

/**
 * The documented registry exchange format (docs/formats.md): a whole registry, or a part of it (one house,
 * a management company's hand-over of §13), as JSON with natural keys, never database ids. Every row
 * schema is strict: an unknown field rejects the row. Register values are decimal strings in kWh exactly
 * as the meter shows them ("12345.6"); energy inside the system is integer Wh (domain.md §4.2).
 */

export const REGISTRY_FORMAT = 'abonent-registry';
export const REGISTRY_VERSION = 1;

/** Sections in dependency order: a row may reference only rows of earlier sections (or the database). */
export const SECTIONS = [
  'principals',
  'managementCompanies',
  'houses',
  'premises',
  'accounts',
  'meters',
  'meterReplacements',
  'readings',
  'tariffs',
  'norms',
  'commonNorms',
] as const;
export type Section = (typeof SECTIONS)[number];

// ---------------------------------------------------------------------------------------------------------
// Field types. Own checks carry a code as their message, rendered in Russian and English by FIELD_MESSAGES.

export const FIELD_MESSAGES: Record<string, [string, string]> = {
  E_CONTROL: ['недопустимые управляющие символы', 'control characters are not allowed'],
  E_SPACES: ['пробелы в начале или в конце', 'leading or trailing spaces'],
  E_DATE: ['ожидается дата ГГГГ-ММ-ДД', 'expected a date YYYY-MM-DD'],
  E_PERIOD: ['ожидается период ГГГГ-ММ', 'expected a period YYYY-MM'],
  E_TIMESTAMP: [
    'ожидается момент времени RFC 3339 со смещением, например 2026-03-20T10:15:00+03:00',
    'expected an RFC 3339 timestamp with offset, e.g. 2026-03-20T10:15:00+03:00',
  ],
  E_AREA: ['площадь должна быть неотрицательной', 'the area must not be negative'],
  E_AREA_POSITIVE: ['площадь должна быть больше нуля', 'the area must be positive'],
  E_DECIMALS2: ['не более двух знаков после запятой', 'at most two decimals'],
  E_ACCOUNT: ['номер лицевого счёта — от 6 до 16 цифр', 'an account number is 6 to 16 digits'],
  E_SERIAL: [
    'заводской номер — от 3 до 32 латинских букв, цифр или «-»',
    'a serial is 3 to 32 of A–Z, a–z, 0–9, "-"',
  ],
  E_EMAIL: ['ожидается адрес электронной почты', 'expected an e-mail address'],
  E_PHONE: ['телефон в формате +7XXXXXXXXXX (10–15 цифр)', 'a phone in E.164: + and 10 to 15 digits'],
  E_CHANNEL: ['канал — от 1 до 32 символов a–z, 0–9, «_», «-»', 'a channel is 1 to 32 of a–z, 0–9, "_", "-"'],
};

// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to find control characters
const BAD_CHARS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Free text: no control characters (tab and line breaks allowed), valid Unicode (PostgreSQL rejects NUL). */
const text = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .refine((s) => !BAD_CHARS.test(s) && !LONE_SURROGATE.test(s), { message: 'E_CONTROL' });

/** A code (natural key): printable, no surrounding spaces. */
const code = (max = 64) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(/^\S(?:.*\S)?$/, { message: 'E_SPACES' })
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to find control characters
    .refine((s) => !/[\u0000-\u001f\u007f]/.test(s) && !LONE_SURROGATE.test(s), { message: 'E_CONTROL' });

const digits = (n: string) => z.string().regex(new RegExp(`^[0-9]{${n}}$`));

/** 'YYYY-MM-DD', a real calendar date. */
export const dateSchema = z.string().refine(isCalendarDate, { message: 'E_DATE' });
export const periodSchema = z.string().regex(/^[0-9]{4}-(0[1-9]|1[0-2])$/, { message: 'E_PERIOD' });
/** RFC 3339 with an offset (Z or ±hh:mm), at most microseconds. */
export const timestampSchema = z
  .string()
  .refine((s) => canonicalTimestamp(s) !== undefined, { message: 'E_TIMESTAMP' });

/** Register values of a meter, T1..Tn, as the meter shows them. Zone count is checked against the meter. */
const registerValues = z.array(z.string().max(32)).max(16);
const int = (min: number, max: number) => z.number().int().min(min).max(max);
const INT4 = 2_147_483_647;
/** m² with at most two decimals (numeric(p, 2)), below `limit`. */
const area = (min: 'positive' | 'nonnegative', limit: number) =>
  z
    .number()
    .refine((v) => (min === 'positive' ? v > 0 : v >= 0) && v < limit, {
      message: min === 'positive' ? 'E_AREA_POSITIVE' : 'E_AREA',
    })
    .refine((v) => Math.abs(v * 100 - Math.round(v * 100)) < 1e-6, { message: 'E_DECIMALS2' });

export const ACCOUNT_NUMBER_RE = /^[0-9]{6,16}$/;
export const SERIAL_RE = /^[A-Za-z0-9-]{3,32}$/;
const accountNumber = z.string().regex(ACCOUNT_NUMBER_RE, { message: 'E_ACCOUNT' });
const serial = z.string().regex(SERIAL_RE, { message: 'E_SERIAL' });
const regionCode = z.string().regex(/^[a-z0-9_-]{2,32}$/);
const email = z
  .string()
  .max(254)
  .regex(/^[^\s@]+@[^\s@]+$/, { message: 'E_EMAIL' });
const phone = z.string().regex(/^\+[0-9]{10,15}$/, { message: 'E_PHONE' });

// ---------------------------------------------------------------------------------------------------------
// Rows (optional fields may be absent or null; the export omits them when empty)

export const principalRowSchema = z.strictObject({
  code: code(),
  kind: z.enum(['supplier', 'agent']),
  name: text(300),
  inn: digits('10').or(digits('12')).nullish(),
  kpp: digits('9').nullish(),
  bankName: text(300).nullish(),
  bic: digits('9').nullish(),
  personalAcc: digits('20').nullish(),
  correspAcc: digits('20').nullish(),
  phone: text(64).nullish(),
  email: email.nullish(),
  address: text(500).nullish(),
});

export const managementCompanyRowSchema = z.strictObject({
  code: code(),
  name: text(300),
  inn: digits('10').or(digits('12')).nullish(),
  phone: text(64).nullish(),
  email: email.nullish(),
});

export const houseRowSchema = z.strictObject({
  code: code(),
  regionCode,
  managementCompanyCode: code().nullish(),
  address: text(500),
  kind: z.enum(['apartment_building', 'private_house']),
  stoveType: z.enum(['gas', 'electric']),
  settlementType: z.enum(['urban', 'rural']),
  totalAreaM2: area('nonnegative', 1e10),
  commonAreaM2: area('nonnegative', 1e10).default(0),
  commonNeedsMode: z.enum(['none', 'full', 'capped']).default('none'),
});

export const premisesRowSchema = z.strictObject({
  houseCode: code(),
  number: code(32),
  isResidential: z.boolean().default(true),
  areaM2: area('positive', 1e8),
  rooms: int(0, 50).default(1),
  residents: int(0, 200).default(0),
});

export const accountRowSchema = z.strictObject({
  number: accountNumber,
  houseCode: code(),
  premisesNumber: code(32),
  principalCode: code(),
  payerName: text(300),
  email: email.nullish(),
  phones: z.array(phone).max(20).default([]),
  tariffCategory: z.enum(['gas_stove', 'electric_stove', 'rural', 'equated']),
  status: z.enum(['active', 'closed']).default('active'),
  startDate: dateSchema,
  endDate: dateSchema.nullish(),
  meterInstallationPossible: z.boolean().default(true),
});

export const meterRowSchema = z.strictObject({
  serial,
  model: z.string().max(100).default(''),
  kind: z.enum(['individual', 'common']).default('individual'),
  houseCode: code(),
  accountNumber: accountNumber.nullish(),
  zones: int(1, 3),
  digits: int(4, 9),
  decimals: int(0, 3).default(0),
  installedOn: dateSchema,
  commissionedOn: dateSchema.nullish(),
  commissioningAct: text(100).nullish(),
  initialValues: registerValues,
  nextVerificationOn: dateSchema,
  smart: z.boolean().default(false),
  headEndId: code(100).nullish(),
  status: z.enum(['active', 'failed', 'removed']).default('active'),
  failureReason: text(500).nullish(),
  failedOn: dateSchema.nullish(),
  removedOn: dateSchema.nullish(),
});

export const meterReplacementRowSchema = z.strictObject({
  oldSerial: serial,
  newSerial: serial,
  replacedAt: timestampSchema,
  finalValues: registerValues,
  actNumber: text(100).nullish(),
});

export const readingRowSchema = z.strictObject({
  meterSerial: serial,
  accountNumber: accountNumber.nullish(),
  kind: z.enum(['regular', 'control', 'final']).default('regular'),
  values: registerValues,
  rollover: z.boolean().default(false),
  takenAt: timestampSchema,
  receivedAt: timestampSchema,
  channel: z.string().regex(/^[a-z0-9_-]{1,32}$/, { message: 'E_CHANNEL' }),
  externalId: code(200).nullish(),
  submittedBy: text(200).nullish(),
  period: periodSchema.nullish(),
  billedInPeriod: periodSchema.nullish(),
  status: z.enum(['accepted', 'held', 'rejected']).default('accepted'),
  reasonCode: z
    .string()
    .regex(/^[A-Z][A-Z0-9_]{0,63}$/)
    .nullish(),
});

export const tariffRowSchema = z.strictObject({
  regionCode,
  category: z.enum(['gas_stove', 'electric_stove', 'rural', 'equated']),
  meterType: z.enum(['single', 'two_zone', 'three_zone']),
  zone: z.enum(['single', 'day', 'night', 'peak', 'half_peak']),
  rangeFromKwh: int(0, INT4).default(0),
  rangeToKwh: int(1, INT4).nullish(),
  priceKopecks: int(1, INT4),
  effectiveFrom: dateSchema,
  illustrative: z.boolean().default(false),
  note: text(500).nullish(),
});

export const normRowSchema = z.strictObject({
  regionCode,
  stoveType: z.enum(['gas', 'electric']),
  rooms: int(1, 10),
  residents: int(1, 10),
  whPerPerson: int(0, INT4),
  effectiveFrom: dateSchema,
  illustrative: z.boolean().default(false),
});

export const commonNormRowSchema = z.strictObject({
  regionCode,
  whPerM2: int(0, INT4),
  effectiveFrom: dateSchema,
  illustrative: z.boolean().default(false),
});

export const ROW_SCHEMAS = {
  principals: principalRowSchema,
  managementCompanies: managementCompanyRowSchema,
  houses: houseRowSchema,
  premises: premisesRowSchema,
  accounts: accountRowSchema,
  meters: meterRowSchema,
  meterReplacements: meterReplacementRowSchema,
  readings: readingRowSchema,
  tariffs: tariffRowSchema,
  norms: normRowSchema,
  commonNorms: commonNormRowSchema,
} as const;

export type RowOf<S extends Section> = z.output<(typeof ROW_SCHEMAS)[S]>;
export type RowInputOf<S extends Section> = z.input<(typeof ROW_SCHEMAS)[S]>;

/** The whole document. Sections may be absent (empty); `exportedAt` is informational. */
export const registryDocumentSchema = z.strictObject({
  format: z.literal(REGISTRY_FORMAT),
  version: z.literal(REGISTRY_VERSION),
  exportedAt: timestampSchema.optional(),
  principals: z.array(principalRowSchema).default([]),
  managementCompanies: z.array(managementCompanyRowSchema).default([]),
  houses: z.array(houseRowSchema).default([]),
  premises: z.array(premisesRowSchema).default([]),
  accounts: z.array(accountRowSchema).default([]),
  meters: z.array(meterRowSchema).default([]),
  meterReplacements: z.array(meterReplacementRowSchema).default([]),
  readings: z.array(readingRowSchema).default([]),
  tariffs: z.array(tariffRowSchema).default([]),
  norms: z.array(normRowSchema).default([]),
  commonNorms: z.array(commonNormRowSchema).default([]),
});

/** The document as written by the export: every section present, rows in canonical form. */
export interface RegistryDocument {
  format: typeof REGISTRY_FORMAT;
  version: typeof REGISTRY_VERSION;
  exportedAt?: string;
  principals: RowInputOf<'principals'>[];
  managementCompanies: RowInputOf<'managementCompanies'>[];
  houses: RowInputOf<'houses'>[];
  premises: RowInputOf<'premises'>[];
  accounts: RowInputOf<'accounts'>[];
  meters: RowInputOf<'meters'>[];
  meterReplacements: RowInputOf<'meterReplacements'>[];
  readings: RowInputOf<'readings'>[];
  tariffs: RowInputOf<'tariffs'>[];
  norms: RowInputOf<'norms'>[];
  commonNorms: RowInputOf<'commonNorms'>[];
}

/**
 * Serializes a document deterministically: the envelope pretty-printed, one compact row per line (diffable,
 * greppable, and small enough for registries of millions of rows). Ends with a newline.
 */
export function serializeRegistry(doc: RegistryDocument): string {
  const lines = ['{', `  "format": ${JSON.stringify(doc.format)},`, `  "version": ${doc.version},`];
  if (doc.exportedAt !== undefined) lines.push(`  "exportedAt": ${JSON.stringify(doc.exportedAt)},`);
  SECTIONS.forEach((section, i) => {
    const rows = doc[section] as unknown[];
    const comma = i === SECTIONS.length - 1 ? '' : ',';
    if (rows.length === 0) {
      lines.push(`  ${JSON.stringify(section)}: []${comma}`);
      return;
    }
    lines.push(`  ${JSON.stringify(section)}: [`);
    for (let j = 0; j < rows.length; j++)
      lines.push(`    ${JSON.stringify(rows[j])}${j === rows.length - 1 ? '' : ','}`);
    lines.push(`  ]${comma}`);
  });
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------------------------
// The import report

export interface ReportEntry {
  /** A section name, or 'file' for a problem with the file as a whole. */
  section: Section | 'file';
  /** Index of the row within its section (0-based), null for the file. */
  row: number | null;
  /** The row's natural key, when it could be read. */
  key: string | null;
  code: string;
  message: string;
  messageEn: string;
  /** Line of a CSV file the row came from. */
  line?: number;
}

export interface SectionCounts {
  total: number;
  inserted: number;
  unchanged: number;
  rejected: number;
}

export interface ImportReport {
  /** No row was rejected. */
  ok: boolean;
  /** Something was written to the database. */
  written: boolean;
  partial: boolean;
  counts: Record<Section, SectionCounts>;
  rejected: ReportEntry[];
  warnings: ReportEntry[];
}

const reportEntrySchema = z.object({
  section: z.string(),
  row: z.number().int().nullable(),
  key: z.string().nullable(),
  code: z.string(),
  message: z.string(),
  messageEn: z.string(),
  line: z.number().int().optional(),
});
const countsSchema = z.object({
  total: z.number().int(),
  inserted: z.number().int(),
  unchanged: z.number().int(),
  rejected: z.number().int(),
});
export const importReportSchema = z.object({
  ok: z.boolean(),
  written: z.boolean(),
  partial: z.boolean(),
  counts: z.object(
    Object.fromEntries(SECTIONS.map((s) => [s, countsSchema])) as Record<Section, typeof countsSchema>,
  ),
  rejected: z.array(reportEntrySchema),
  warnings: z.array(reportEntrySchema),
});

export function emptyCounts(): Record<Section, SectionCounts> {
  return Object.fromEntries(
    SECTIONS.map((s) => [s, { total: 0, inserted: 0, unchanged: 0, rejected: 0 }]),
  ) as Record<Section, SectionCounts>;
}

// ---------------------------------------------------------------------------------------------------------
// Dates and timestamps

export function isCalendarDate(s: string): boolean {
  const m = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(s);
  if (!m) return false;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  return y >= 1000 && mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo);
}

const TS_RE =
  /^([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt ]([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]{1,6}))?(Z|z|[+-][0-9]{2}:[0-9]{2})$/;

/**
 * The one spelling of an instant in the format: UTC, 'YYYY-MM-DDTHH:MM:SS.mmmZ', with microseconds only
 * when they are not zero (PostgreSQL keeps microseconds). undefined when not a valid RFC 3339 timestamp.
 */
export function canonicalTimestamp(s: string): string | undefined {
  const m = TS_RE.exec(s);
  if (!m) return undefined;
  const [y, mo, d, h, mi, se] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (y < 1000 || !isCalendarDate(`${m[1]}-${m[2]}-${m[3]}`) || h > 23 || mi > 59 || se > 59)
    return undefined;
  const off = m[8] as string;
  let offsetMin = 0;
  if (off !== 'Z' && off !== 'z') {
    const oh = Number(off.slice(1, 3));
    const om = Number(off.slice(4, 6));
    if (oh > 23 || om > 59) return undefined;
    offsetMin = (off[0] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const ms = Date.UTC(y, mo - 1, d, h, mi, se) - offsetMin * 60_000;
  const base = new Date(ms).toISOString().slice(0, 19);
  if (!/^[0-9]{4}-/.test(base)) return undefined;
  return `${base}.${trimFraction((m[7] ?? '').padEnd(6, '0'))}Z`;
}

/** 'YYYY-MM-DDTHH:MM:SS.ffffff' (UTC, from PostgreSQL's to_char) → the canonical spelling. */
export function timestampFromDb(utc: string): string {
  const [base, frac = '000000'] = utc.split('.');
  return `${base}.${trimFraction(frac.padEnd(6, '0'))}Z`;
}

function trimFraction(frac6: string): string {
  return frac6.endsWith('000') ? frac6.slice(0, 3) : frac6;
}
