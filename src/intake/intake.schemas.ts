import { z } from 'zod';
import { READING_CHANNELS } from '../domain/channels.ts';

/** One reading submission from any channel (domain.md §4): the edge schema shared by HTTP and the CLI. */
export const readingSubmissionSchema = z
  .strictObject({
    account: z
      .string()
      .regex(/^\d{6,16}$/, 'номер лицевого счёта — от 6 до 16 цифр')
      .optional()
      .describe('Account number'),
    phone: z
      .string()
      .regex(/^\+\d{10,15}$/, 'телефон в формате +7XXXXXXXXXX')
      .optional()
      .describe('A phone linked to the account (caller identification)'),
    meter: z
      .string()
      .regex(/^[A-Za-z0-9-]{3,32}$/, 'заводской номер счётчика: буквы, цифры, дефис')
      .optional()
      .describe('Meter serial number; required when the account has several meters'),
    values: z
      .array(z.union([z.string().max(20), z.number()]))
      .min(1)
      .max(3)
      .describe('Register values T1[, T2[, T3]] in kWh as the meter shows them, e.g. "12345.6"'),
    takenAt: z.iso
      .datetime({ offset: true })
      .optional()
      .describe('When the values were read; now by default'),
    channel: z.enum(READING_CHANNELS).default('operator'),
    externalId: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .describe('The channel’s message id: a repeat is answered, not re-recorded'),
    submittedBy: z.string().max(200).optional(),
    kind: z.enum(['regular', 'control']).default('regular'),
  })
  .refine((s) => s.account !== undefined || s.phone !== undefined || s.meter !== undefined, {
    message: 'укажите лицевой счёт, привязанный телефон или номер счётчика',
  });

export type ReadingSubmission = z.input<typeof readingSubmissionSchema>;
