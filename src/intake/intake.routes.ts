import { z } from 'zod';
import type { Clock } from '../platform/clock.ts';
import type { Database } from '../platform/database.ts';
import { ApiError, errorBody, type HttpApp, requestLang } from '../platform/http.ts';
import { readingSubmissionSchema } from './intake.schemas.ts';
import { IntakeInputError, submitReading } from './intake.service.ts';
import type { IntakeResult } from './intake-result.ts';
import { listReadingsOf } from './readings-query.service.ts';

/** HTTP status for each outcome: the body is always the typed intake result. */
export function statusOf(r: IntakeResult): number {
  switch (r.outcome) {
    case 'accepted':
      return r.duplicate ? 200 : 201;
    case 'held':
      return 202;
    case 'rejected':
      return 422;
    case 'invalid':
      if (r.reason?.code === 'IDEMPOTENCY_CONFLICT') return 409;
      if (['ACCOUNT_NOT_FOUND', 'METER_NOT_FOUND', 'PHONE_NOT_LINKED'].includes(r.reason?.code ?? ''))
        return 404;
      return 422;
  }
}

const readingsQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(1000).default(100) });

export async function intakeRoutes(app: HttpApp, deps: { database: Database; clock: Clock }) {
  const intake = { db: deps.database.db, clock: deps.clock };

  app.post(
    '/api/v1/readings',
    {
      schema: {
        tags: ['readings'],
        summary: 'Submit a meter reading (the one intake, domain.md §4)',
        description:
          'Identify by account number, linked phone or meter serial. 201 accepted, 202 held for review, 200 repeat of an earlier message, 422 rejected or invalid (reason code in `reason.code` and `error.code`), 404 unknown account/meter, 409 same external id with other data. `Idempotency-Key` header works as `externalId`.',
        body: readingSubmissionSchema,
        headers: z.object({ 'idempotency-key': z.string().min(1).max(200).optional() }).loose(),
      },
    },
    async (request, reply) => {
      const key = request.headers['idempotency-key'];
      const body = { ...request.body };
      if (body.externalId === undefined && typeof key === 'string') body.externalId = key;
      let result: IntakeResult;
      try {
        result = await submitReading(intake, body);
      } catch (e) {
        if (e instanceof IntakeInputError) throw new ApiError(400, e.code, e.message, e.message);
        throw e;
      }
      const status = statusOf(result);
      const error =
        status >= 400 && result.reason
          ? errorBody(result.reason.code, result.message, result.messageEn, undefined, requestLang(request))
          : {};
      return reply.status(status).send({ ...result, ...error });
    },
  );

  app.get(
    '/api/v1/accounts/:number/readings',
    {
      schema: {
        tags: ['readings'],
        summary: 'Reading history of an account, newest first, with channels and statuses',
        params: z.strictObject({ number: z.string().regex(/^\d{6,16}$/) }),
        querystring: readingsQuery,
      },
    },
    async (request) => {
      const list = await listReadingsOf(deps.database.db, {
        account: request.params.number,
        limit: request.query.limit,
      });
      if (!list)
        throw new ApiError(404, 'ACCOUNT_NOT_FOUND', 'Лицевой счёт не найден.', 'Account not found.');
      return { account: request.params.number, readings: list };
    },
  );

  app.get(
    '/api/v1/meters/:serial/readings',
    {
      schema: {
        tags: ['readings'],
        summary: 'Reading history of a meter, newest first',
        params: z.strictObject({ serial: z.string().regex(/^[A-Za-z0-9-]{3,32}$/) }),
        querystring: readingsQuery,
      },
    },
    async (request) => {
      const list = await listReadingsOf(deps.database.db, {
        meter: request.params.serial,
        limit: request.query.limit,
      });
      if (!list) throw new ApiError(404, 'METER_NOT_FOUND', 'Счётчик не найден.', 'Meter not found.');
      return { meter: request.params.serial, readings: list };
    },
  );
}
