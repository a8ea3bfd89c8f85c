import { z } from 'zod';

/**
 * Edge schemas of the registry (domain.md §3), shared by HTTP and the CLI. Everything is named by its
 * natural key — region code, principal / management company code, house code, premises number within a
 * house, account number, meter serial — and database ids never leave the system. Unknown fields are
 * refused. Meters: meter.schemas.ts; tariffs, norms, parameters: tariff.schemas.ts.
 */

/** A strict object whose unknown fields are refused with a Russian message. */
export function strict<T extends z.core.$ZodLooseShape>(shape: T) {
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `неизвестные поля: ${issue.keys.join(', ')} / unknown fields`
        : 'ожидается объект / an object is expected',
  });
}

export const regionCodeSchema = z
  .string()
  .regex(/^[a-z0-9_-]{2,32}$/, 'код региона: 2–32 строчные латинские буквы, цифры, «_», «-»')
  .describe('Region code, e.g. "moscow"');
export const codeSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'код: латинские буквы, цифры, «_», «.», «-», до 64 символов');
export const premisesNumberSchema = z
  .string()
  .regex(/^[\p{L}\p{N}][\p{L}\p{N} ./-]{0,15}$/u, 'номер помещения: до 16 букв, цифр, «/», «-», «.»')
  .describe('Premises number within the house, e.g. "12" or "12А"');
export const accountNumberSchema = z
  .string()
  .regex(/^\d{6,16}$/, 'номер лицевого счёта — от 6 до 16 цифр')
  .describe('Account number');
export const serialSchema = z
  .string()
  .regex(/^[A-Za-z0-9-]{3,32}$/, 'заводской номер счётчика: 3–32 латинских буквы, цифры, дефис')
  .describe('Meter serial number');
export const phoneSchema = z
  .string()
  .regex(/^\+\d{10,15}$/, 'телефон в формате E.164: +7XXXXXXXXXX')
  .describe('Phone in E.164, e.g. "+79161234567"');
export const dateSchema = z.iso.date('дата в формате ГГГГ-ММ-ДД').describe('Date YYYY-MM-DD');
export const emailSchema = z.email('некорректный адрес электронной почты').max(200);
const text = (max: number, what: string) =>
  z.string().trim().min(1, `${what}: не может быть пустым`).max(max, `${what}: не длиннее ${max} символов`);
const digits = (n: string, what: string) =>
  z.string().regex(new RegExp(`^[0-9]{${n}}$`), `${what}: ${n.replace(',', '–')} цифр`);

const hasTwoDecimals = (v: number) => Math.abs(Math.round(v * 100) - v * 100) < 1e-6;
export const areaSchema = z
  .number('площадь — число, м²')
  .nonnegative('площадь не может быть отрицательной')
  .max(10_000_000, 'площадь слишком большая')
  .refine(hasTwoDecimals, 'площадь: не более двух знаков после запятой')
  .describe('Area in m², up to 2 decimals');
const atLeastOne = (v: object) => Object.values(v).some((x) => x !== undefined);
const NOTHING_TO_CHANGE = 'укажите хотя бы одно изменяемое поле / nothing to change';

// Regions

export const regionCreateSchema = strict({
  code: regionCodeSchema,
  name: text(200, 'название'),
  timeZone: z.string().min(1).max(64).describe('IANA time zone, e.g. "Europe/Moscow"'),
});
export type RegionCreate = z.output<typeof regionCreateSchema>;

// Principals (suppliers, agents) and management companies

const principalFields = {
  kind: z.enum(['supplier', 'agent'], 'вид: supplier (поставщик) или agent (расчётный центр)'),
  name: text(300, 'наименование'),
  inn: digits('10,12', 'ИНН').nullable().optional(),
  kpp: digits('9', 'КПП').nullable().optional(),
  bankName: text(300, 'банк').nullable().optional(),
  bic: digits('9', 'БИК').nullable().optional(),
  personalAcc: digits('20', 'расчётный счёт').nullable().optional(),
  correspAcc: digits('20', 'корреспондентский счёт').nullable().optional(),
  phone: phoneSchema.nullable().optional(),
  email: emailSchema.nullable().optional(),
  address: text(500, 'адрес').nullable().optional(),
};
export const principalCreateSchema = strict({ code: codeSchema, ...principalFields });
export type PrincipalCreate = z.output<typeof principalCreateSchema>;
export const principalPatchSchema = strict({
  ...principalFields,
  kind: principalFields.kind.optional(),
  name: principalFields.name.optional(),
}).refine(atLeastOne, NOTHING_TO_CHANGE);
export type PrincipalPatch = z.output<typeof principalPatchSchema>;

const companyFields = {
  name: text(300, 'наименование'),
  inn: digits('10,12', 'ИНН').nullable().optional(),
  phone: phoneSchema.nullable().optional(),
  email: emailSchema.nullable().optional(),
};
export const companyCreateSchema = strict({ code: codeSchema, ...companyFields });
export type CompanyCreate = z.output<typeof companyCreateSchema>;
export const companyPatchSchema = strict({ ...companyFields, name: companyFields.name.optional() }).refine(
  atLeastOne,
  NOTHING_TO_CHANGE,
);
export type CompanyPatch = z.output<typeof companyPatchSchema>;

// Houses and premises

const houseFields = {
  managementCompany: codeSchema.nullable().optional().describe('Management company code, null for none'),
  address: text(500, 'адрес'),
  kind: z.enum(['apartment_building', 'private_house'], 'тип дома: apartment_building или private_house'),
  stoveType: z.enum(['gas', 'electric'], 'плиты: gas или electric'),
  settlementType: z.enum(['urban', 'rural'], 'населённый пункт: urban или rural'),
  totalAreaM2: areaSchema.describe('S_total: area of all premises, m²'),
  commonAreaM2: areaSchema.optional().describe('S_common: common property area, m²'),
  commonNeedsMode: z
    .enum(['none', 'full', 'capped'], 'режим ОДН: none, full или capped')
    .optional()
    .describe('§7 common-needs mode'),
};
export const houseCreateSchema = strict({ code: codeSchema, region: regionCodeSchema, ...houseFields });
export type HouseCreate = z.output<typeof houseCreateSchema>;
export const housePatchSchema = strict({
  managementCompany: houseFields.managementCompany,
  address: houseFields.address.optional(),
  kind: houseFields.kind.optional(),
  stoveType: houseFields.stoveType.optional(),
  settlementType: houseFields.settlementType.optional(),
  totalAreaM2: houseFields.totalAreaM2.optional(),
  commonAreaM2: houseFields.commonAreaM2,
  commonNeedsMode: houseFields.commonNeedsMode,
}).refine(atLeastOne, NOTHING_TO_CHANGE);
export type HousePatch = z.output<typeof housePatchSchema>;

export const limitSchema = z.coerce
  .number('limit — число')
  .int('limit — целое')
  .min(1, 'limit ≥ 1')
  .max(1000, 'limit ≤ 1000');
export const houseListQuerySchema = strict({
  region: regionCodeSchema.optional(),
  managementCompany: codeSchema.optional(),
  q: z.string().trim().min(2, 'строка поиска — не короче 2 символов').max(100).optional(),
  after: codeSchema.optional().describe('Keyset paging: houses with a code after this one'),
  limit: limitSchema.default(100),
});
export type HouseListQuery = z.output<typeof houseListQuerySchema>;

const premisesFields = {
  isResidential: z.boolean('жилое: true или false').optional(),
  areaM2: areaSchema.refine((v) => v > 0, 'площадь помещения должна быть больше нуля'),
  rooms: z.number().int('комнат — целое число').min(0).max(50, 'комнат не больше 50').optional(),
  residents: z
    .number()
    .int('зарегистрированных — целое число')
    .min(0, 'зарегистрированных не меньше 0')
    .max(200, 'зарегистрированных не больше 200')
    .optional(),
};
export const premisesCreateSchema = strict({ number: premisesNumberSchema, ...premisesFields });
export type PremisesCreate = z.output<typeof premisesCreateSchema>;
export const premisesPatchSchema = strict({
  ...premisesFields,
  areaM2: premisesFields.areaM2.optional(),
}).refine(atLeastOne, NOTHING_TO_CHANGE);
export type PremisesPatch = z.output<typeof premisesPatchSchema>;

// Accounts

const tariffCategory = z.enum(
  ['gas_stove', 'electric_stove', 'rural', 'equated'],
  'тарифная категория: gas_stove, electric_stove, rural или equated',
);
const phones = z
  .array(phoneSchema)
  .max(10, 'не больше 10 телефонов')
  .refine((l) => new Set(l).size === l.length, 'телефоны не должны повторяться');

export const accountCreateSchema = strict({
  number: accountNumberSchema,
  house: codeSchema.describe('House code'),
  premises: premisesNumberSchema,
  principal: codeSchema.describe('Principal code (the supplier or agent whose details go on the bill)'),
  payerName: text(300, 'ФИО плательщика'),
  email: emailSchema.nullable().optional(),
  phones: phones.optional().describe('Phones linked for caller identification'),
  tariffCategory: tariffCategory.optional().describe('By default from the house: rural, else by stove type'),
  startDate: dateSchema,
  meterInstallationPossible: z.boolean().optional(),
});
export type AccountCreate = z.output<typeof accountCreateSchema>;

export const accountPatchSchema = strict({
  payerName: text(300, 'ФИО плательщика').optional(),
  email: emailSchema.nullable().optional(),
  phones: phones.optional().describe('Replaces the set of linked phones'),
  principal: codeSchema.optional(),
  tariffCategory: tariffCategory.optional(),
  meterInstallationPossible: z.boolean().optional(),
  status: z.enum(['active', 'closed'], 'статус: active или closed').optional(),
  endDate: dateSchema.optional().describe('Required when closing the account'),
}).refine(atLeastOne, NOTHING_TO_CHANGE);
export type AccountPatch = z.output<typeof accountPatchSchema>;

export const accountSearchQuerySchema = strict({
  q: z
    .string()
    .trim()
    .min(2, 'строка поиска — не короче 2 символов')
    .max(100, 'строка поиска — не длиннее 100 символов')
    .describe('Account number prefix, phone, meter serial, payer name or address substring'),
  limit: limitSchema.max(50, 'limit ≤ 50').default(50),
});
export type AccountSearchQuery = z.output<typeof accountSearchQuerySchema>;

/**
 * A phone as operators type it ("8 916 123-45-67", "+7 (916) 123 45 67", "9161234567") in E.164, when the
 * search text is one; Russian numbers without the country code get +7.
 */
export function phoneFromQuery(q: string): string | undefined {
  if (!/^\+?[\d\s()-]+$/.test(q)) return undefined;
  const digits = q.replace(/\D/g, '');
  if (q.trim().startsWith('+')) return digits.length >= 10 && digits.length <= 15 ? `+${digits}` : undefined;
  if (digits.length === 11 && (digits[0] === '8' || digits[0] === '7')) return `+7${digits.slice(1)}`;
  if (digits.length === 10 && digits[0] === '9') return `+7${digits}`;
  return undefined;
}

/** Path parameters. */
export const codeParams = strict({ code: codeSchema });
export const housePremisesParams = strict({ code: codeSchema, number: premisesNumberSchema });
export const accountParams = strict({ number: accountNumberSchema });
export const meterParams = strict({ serial: serialSchema });

/** The first problem of a failed parse, as one line (the CLI prints it). */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '/'}: ${i.message}`).join('; ');
}
