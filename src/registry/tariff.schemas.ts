import { z } from 'zod';
import { METER_TYPES, TARIFF_CATEGORIES, TARIFF_ZONES } from '../domain/tariff-structure.ts';
import { dateSchema, regionCodeSchema, strict } from './registry.schemas.ts';

/**
 * Edge schemas for tariffs, norms and parameters (domain.md §6.1, §6.3, §7). Prices are given either as
 * rubles per kWh, `price: "7.87"` (as regulators publish them), or as integer kopecks, `priceKopecks: 787`
 * — exactly one of the two; both are answered. Norms are given in kWh ("74", "0.683") and stored in Wh.
 * Decimals are converted exactly (no floating point) in the service.
 */

const decimalText = z
  .union([z.string().max(20, 'не длиннее 20 символов'), z.number()], 'ожидается десятичное число')
  .describe('Decimal number, "7.87" or 7.87');
const illustrative = z
  .boolean()
  .optional()
  .describe('Marks example data that is not a published tariff/norm');

export const tariffCreateSchema = strict({
  region: regionCodeSchema,
  category: z.enum(TARIFF_CATEGORIES, 'категория: gas_stove, electric_stove, rural или equated'),
  meterType: z.enum(METER_TYPES, 'тип учёта: single, two_zone или three_zone'),
  zone: z.enum(TARIFF_ZONES, 'зона: single, day, night, peak или half_peak'),
  rangeFromKwh: z
    .number()
    .int('границы диапазона — целые кВт·ч')
    .min(0)
    .max(1_000_000)
    .optional()
    .describe('Monthly volume range start, kWh (0 by default)'),
  rangeToKwh: z
    .number()
    .int('границы диапазона — целые кВт·ч')
    .min(1)
    .max(1_000_000)
    .nullable()
    .optional()
    .describe('Monthly volume range end (exclusive), kWh; null/absent = no upper bound'),
  price: decimalText.optional().describe('Price in RUB per kWh, up to 2 decimals: "7.87"'),
  priceKopecks: z
    .number()
    .int('цена в копейках — целое число')
    .positive('цена должна быть больше нуля')
    .max(1_000_000)
    .optional()
    .describe('Price in kopecks per kWh: 787'),
  effectiveFrom: dateSchema,
  illustrative,
  note: z.string().trim().max(500).optional(),
}).refine((t) => (t.price === undefined) !== (t.priceKopecks === undefined), {
  message: 'укажите цену одним способом: price (руб.) или priceKopecks (коп.)',
  path: ['price'],
});
export type TariffCreate = z.output<typeof tariffCreateSchema>;

export const normCreateSchema = strict({
  region: regionCodeSchema,
  stoveType: z.enum(['gas', 'electric'], 'плиты: gas или electric'),
  rooms: z.number().int().min(1, 'комнат — от 1 до 10').max(10, 'комнат — от 1 до 10 (10 = 10 и более)'),
  residents: z
    .number()
    .int()
    .min(1, 'проживающих — от 1 до 10')
    .max(10, 'проживающих — от 1 до 10 (10 = 10 и более)'),
  kwhPerPerson: decimalText.describe('Norm per person per month, kWh, up to 3 decimals: "74"'),
  effectiveFrom: dateSchema,
  illustrative,
});
export type NormCreate = z.output<typeof normCreateSchema>;

export const commonNormCreateSchema = strict({
  region: regionCodeSchema,
  kwhPerM2: decimalText.describe('Common-needs norm per m² of common area per month, kWh: "0.683"'),
  effectiveFrom: dateSchema,
  illustrative,
});
export type CommonNormCreate = z.output<typeof commonNormCreateSchema>;

export const inForceQuerySchema = strict({
  region: regionCodeSchema.optional(),
  on: dateSchema.optional().describe("The date asked for; each region's local today by default"),
});
export type InForceQuery = z.output<typeof inForceQuerySchema>;

export const tariffListQuerySchema = strict({
  region: regionCodeSchema.optional(),
  on: dateSchema.optional().describe("The date asked for; each region's local today by default"),
  category: z.enum(TARIFF_CATEGORIES).optional(),
  meterType: z.enum(METER_TYPES).optional(),
});
export type TariffListQuery = z.output<typeof tariffListQuerySchema>;

const jsonValue = z
  .union(
    [z.string(), z.number(), z.boolean(), z.array(z.unknown()), z.record(z.string(), z.unknown())],
    'значение — JSON: строка, число, логическое, массив или объект',
  )
  .describe('The value in JSON');

export const parameterCreateSchema = strict({
  region: regionCodeSchema.nullable().optional().describe('null/absent: the default for every region'),
  key: z.string().regex(/^[a-z][a-z0-9_]{1,63}$/, 'ключ параметра: строчные латинские буквы, цифры, «_»'),
  value: jsonValue,
  effectiveFrom: dateSchema,
  note: z.string().trim().max(500).optional(),
});
export type ParameterCreate = z.output<typeof parameterCreateSchema>;

export const parameterListQuerySchema = strict({ region: regionCodeSchema.optional() });
