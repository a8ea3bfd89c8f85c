import { z } from 'zod';
import { DEBT_CASE_STATES } from '../domain/restriction-workflow.ts';
import type { Clock } from '../platform/clock.ts';
import type { Database } from '../platform/database.ts';
import { ApiError, type HttpApp } from '../platform/http.ts';
import { accountDebt, listDebtCases } from './debt-read.service.ts';
import { LedgerError } from './ledger-errors.ts';

const accountNumber = z.string().regex(/^\d{6,16}$/);
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'дата в формате ГГГГ-ММ-ДД');

function asApiError(e: unknown): never {
  if (e instanceof LedgerError) throw new ApiError(e.httpStatus, e.code, e.message, e.messageEn);
  throw e;
}

/** The operator read API of §11: debt cases and one account's debt picture with its audit trail. */
export async function debtRoutes(app: HttpApp, deps: { database: Database; clock: Clock }) {
  const db = deps.database.db;

  app.get(
    '/api/v1/debt/cases',
    {
      schema: {
        tags: ['money'],
        summary: 'Debt cases (§11): current ones by default, or of one state; paged by case id',
        querystring: z.strictObject({
          state: z.enum(DEBT_CASE_STATES).optional(),
          all: z.enum(['true', 'false']).optional(),
          after: z.coerce.number().int().min(0).default(0),
          limit: z.coerce.number().int().min(1).max(1000).default(100),
        }),
      },
    },
    async (request) => {
      const q = request.query;
      const cases = await listDebtCases(db, {
        state: q.state,
        all: q.all === 'true',
        afterId: q.after,
        limit: q.limit,
      });
      const last = cases.at(-1);
      return { cases, next: cases.length === q.limit && last ? `/api/v1/debt/cases?after=${last.id}` : null };
    },
  );

  app.get(
    '/api/v1/accounts/:number/debt',
    {
      schema: {
        tags: ['money'],
        summary:
          "An account's debt (§11): overdue, threshold, eligibility, agreements, cases with their audit trail",
        params: z.object({ number: accountNumber }),
        querystring: z.strictObject({ date: date.optional() }),
      },
    },
    async (request) =>
      accountDebt(
        { db, clock: deps.clock },
        { account: request.params.number, date: request.query.date },
      ).catch(asApiError),
  );
}
