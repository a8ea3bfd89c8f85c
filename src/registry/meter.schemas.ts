import { z } from 'zod';
import { accountNumberSchema, codeSchema, dateSchema, serialSchema, strict } from './registry.schemas.ts';

/**
 * Edge schemas for meters (domain.md §3). Register values are decimal strings as the display shows them,
 * "12345.6" (numbers are accepted too); they are checked against the meter's digits and decimals by the
 * reading rules (§4.2) in the service, so the reason codes are the intake's: VALUE_INVALID, VALUE_NEGATIVE,
 * VALUE_TOO_LONG, VALUE_PRECISION, ZONE_COUNT_MISMATCH.
 */

export const registerValuesSchema = z
  .array(
    z.union([z.string().max(20, 'показание — не длиннее 20 символов'), z.number()]),
    'показания — список',
  )
  .min(1, 'нужно хотя бы одно показание')
  .max(3, 'не больше трёх показаний (T1, T2, T3)')
  .describe('Register values T1[, T2[, T3]] in kWh as the display shows them, e.g. ["12345.6"]');

const zones = z
  .number('число зон — 1, 2 или 3')
  .int('число зон — 1, 2 или 3')
  .min(1, 'число зон — 1, 2 или 3')
  .max(3, 'число зон — 1, 2 или 3')
  .describe('Number of zone registers: 1, 2 or 3');
const digits = z
  .number('разрядность — число')
  .int('разрядность — целое')
  .min(4, 'разрядность — от 4 до 9')
  .max(9, 'разрядность — от 4 до 9')
  .describe('Digits before the decimal point');
const decimals = z
  .number('знаков после запятой — число')
  .int()
  .min(0, 'знаков после запятой — от 0 до 3')
  .max(3, 'знаков после запятой — от 0 до 3')
  .describe('Digits after the decimal point');
const model = z.string().trim().max(100, 'модель — не длиннее 100 символов');
const headEndId = z
  .string()
  .regex(/^[A-Za-z0-9:._-]{1,64}$/, 'идентификатор в системе сбора данных: до 64 латинских букв и цифр')
  .describe('Id of the smart meter in the head-end system');
const smartNeedsHeadEnd = {
  message: 'для интеллектуального счётчика укажите headEndId / a smart meter needs headEndId',
  path: ['headEndId'],
};

export const meterCreateSchema = strict({
  serial: serialSchema,
  model: model.optional(),
  kind: z.enum(['individual', 'common'], 'вид: individual (ИПУ) или common (ОДПУ)').default('individual'),
  account: accountNumberSchema.optional().describe('Account of an individual meter'),
  house: codeSchema.optional().describe('House of a common-house meter'),
  zones,
  digits,
  decimals: decimals.default(0),
  installedOn: dateSchema,
  commissionedOn: dateSchema
    .nullable()
    .optional()
    .describe('Commissioning date; installedOn by default, null if not yet commissioned'),
  commissioningAct: z.string().trim().min(1).max(64).optional().describe('Commissioning act number'),
  initialValues: registerValuesSchema.describe('Initial readings from the commissioning act'),
  nextVerificationOn: dateSchema.describe('Next verification date: readings are valid before it'),
  smart: z.boolean().default(false),
  headEndId: headEndId.optional(),
})
  .refine((m) => !m.smart || m.headEndId !== undefined, smartNeedsHeadEnd)
  .refine((m) => (m.kind === 'individual') === (m.account !== undefined), {
    message: 'счётчику лицевого счёта нужен account, общедомовому — нет / individual meters need an account',
    path: ['account'],
  })
  .refine((m) => m.kind === 'individual' || m.house !== undefined, {
    message: 'общедомовому счётчику нужен house / a common meter needs a house',
    path: ['house'],
  })
  .refine((m) => m.kind === 'common' || m.house === undefined, {
    message: 'дом счётчика лицевого счёта берётся из лицевого счёта; уберите house',
    path: ['house'],
  });
export type MeterCreate = z.output<typeof meterCreateSchema>;

export const meterPatchSchema = strict({
  status: z
    .enum(['active', 'failed'], 'статус: failed (неисправен) или active (исправен)')
    .optional()
    .describe("'failed' needs failureReason; 'removed' only by replacement"),
  failureReason: z.string().trim().min(1).max(500).optional().describe('Broken seal, no display, …'),
  failedOn: dateSchema.optional().describe('The day the meter failed (with status failed); today by default'),
  nextVerificationOn: dateSchema.optional(),
  model: model.optional(),
  commissionedOn: dateSchema.optional(),
  commissioningAct: z.string().trim().min(1).max(64).optional(),
})
  .refine((v) => Object.values(v).some((x) => x !== undefined), 'укажите хотя бы одно изменяемое поле')
  .refine((v) => v.status !== 'failed' || v.failureReason !== undefined, {
    message: 'укажите причину неисправности (failureReason) / failureReason is required',
    path: ['failureReason'],
  })
  .refine((v) => v.failureReason === undefined || v.status === 'failed', {
    message: 'причина неисправности — только вместе со status "failed"',
    path: ['failureReason'],
  })
  .refine((v) => v.failedOn === undefined || v.status === 'failed', {
    message: 'дата неисправности — только вместе со status "failed"',
    path: ['failedOn'],
  });
export type MeterPatch = z.output<typeof meterPatchSchema>;

export const meterReplacementSchema = strict({
  replacedAt: z.iso
    .datetime({ offset: true, message: 'время замены — ISO 8601 с часовым поясом' })
    .describe('When the old meter was removed and the new one installed'),
  finalValues: registerValuesSchema.describe("The old meter's final reading, per zone"),
  actNumber: z
    .string()
    .trim()
    .min(1, 'номер акта не может быть пустым')
    .max(64)
    .optional()
    .describe('Number of the act (replacement / commissioning of the new meter)'),
  submittedBy: z.string().trim().min(1).max(200).optional().describe('Who entered the act'),
  newMeter: strict({
    serial: serialSchema,
    model: model.optional(),
    zones,
    digits,
    decimals: decimals.default(0),
    initialValues: registerValuesSchema.describe('Initial readings from the act'),
    nextVerificationOn: dateSchema,
    smart: z.boolean().default(false),
    headEndId: headEndId.optional(),
  }).refine((m) => !m.smart || m.headEndId !== undefined, smartNeedsHeadEnd),
});
export type MeterReplacement = z.output<typeof meterReplacementSchema>;
