import { z } from 'zod';
import type { Clock } from '../platform/clock.ts';
import type { Database } from '../platform/database.ts';
import { ApiError, type HttpApp } from '../platform/http.ts';
import { checkLedger } from './ledger-check.service.ts';
import { LedgerError } from './ledger-errors.ts';
import { refundAdvance, settlePayments, writeOffDebt } from './ledger-ops.service.ts';
import { submitPayment } from './payment.service.ts';
import { accountStatement } from './statement.service.ts';

const accountNumber = z.string().regex(/^\d{6,16}$/);
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'дата в формате ГГГГ-ММ-ДД');
const kopecks = z.number().int().safe();

function asApiError(e: unknown): never {
  if (e instanceof LedgerError) throw new ApiError(e.httpStatus, e.code, e.message, e.messageEn);
  throw e;
}

/** The operator API of money (§9): statements, payments taken by the back office, settlement, corrections. */
export async function ledgerRoutes(app: HttpApp, deps: { database: Database; clock: Clock }) {
  const db = deps.database.db;
  const ledger = { db, clock: deps.clock };

  app.get(
    '/api/v1/accounts/:number/statement',
    {
      schema: {
        tags: ['money'],
        summary: 'Balance, open items per period, payments (accepted / credited) and ledger movements (§9)',
        params: z.object({ number: accountNumber }),
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(200) }),
      },
    },
    async (request) =>
      accountStatement(ledger, request.params.number, { limit: request.query.limit }).catch(asApiError),
  );

  app.post(
    '/api/v1/payments',
    {
      schema: {
        tags: ['money'],
        summary: 'Take a payment at a cash desk, by post or from a bank statement (the one payment use case)',
        description:
          'Idempotent by channel + externalId: a repeat with the same data returns the first answer (200, duplicate: true) and credits nothing more; the same id with other data is refused (409 IDEMPOTENCY_CONFLICT). Refusals are 4xx with a reason code; nothing is written.',
        body: z.strictObject({
          channel: z.enum(['cash_desk', 'post', 'operator']),
          externalId: z.string().min(1).max(100),
          account: z.string().max(64),
          amountKopecks: kopecks,
          paidAt: z.string(),
          period: z.string().optional(),
          payerName: z.string().max(300).optional(),
          settledOn: date.optional(),
        }),
      },
    },
    async (request, reply) => {
      const result = await submitPayment(ledger, request.body);
      if (result.outcome === 'refused') {
        const status =
          result.code === 'IDEMPOTENCY_CONFLICT' ? 409 : result.code === 'ACCOUNT_NOT_FOUND' ? 404 : 422;
        throw new ApiError(status, result.code, result.message, result.messageEn);
      }
      return reply.status(result.duplicate ? 200 : 201).send(result);
    },
  );

  app.post(
    '/api/v1/payments/settle',
    {
      schema: {
        tags: ['money'],
        summary:
          'Mark accepted payments credited (§9): those due by a date, or all of a channel from its statement',
        body: z.strictObject({ through: date, channel: z.string().optional() }),
      },
    },
    async (request) =>
      settlePayments(db, {
        through: request.body.through,
        ...(request.body.channel ? { channel: request.body.channel, source: 'statement' } : {}),
      }),
  );

  const adjustment = z.strictObject({
    amountKopecks: kopecks,
    key: z.string().min(1).max(100),
    memo: z.string().min(1).max(500),
    period: z.string().optional(),
  });

  app.post(
    '/api/v1/accounts/:number/refunds',
    {
      schema: {
        tags: ['money'],
        summary: 'Refund an overpayment (never more than the advance); idempotent by key',
        params: z.object({ number: accountNumber }),
        body: adjustment,
      },
    },
    async (request) =>
      refundAdvance(ledger, { ...request.body, account: request.params.number, by: 'api' }).catch(asApiError),
  );

  app.post(
    '/api/v1/accounts/:number/write-offs',
    {
      schema: {
        tags: ['money'],
        summary: 'Write off an energy debt (never more than the debt); idempotent by key',
        params: z.object({ number: accountNumber }),
        body: adjustment,
      },
    },
    async (request) =>
      writeOffDebt(ledger, { ...request.body, account: request.params.number, by: 'api' }).catch(asApiError),
  );

  app.get(
    '/api/v1/ledger/check',
    {
      schema: {
        tags: ['money'],
        summary: 'Re-derive balances and postings; lists every mismatch (read-only)',
      },
    },
    async () => checkLedger(db),
  );
}
