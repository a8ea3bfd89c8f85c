import { z } from 'zod';
import { quoteByReadings, type ReadingQuoteResult } from '../../billing/index.ts';
import { statusOf } from '../../intake/index.ts';
import { ApiError, errorBody, type HttpApp, requestLang } from '../../platform/http.ts';
import { CardProviderUnavailableError } from '../card/index.ts';
import {
  type PayByReadingsAnswer,
  type PayByReadingsDeps,
  payByReadings,
} from './pay-by-readings.service.ts';

const params = z.strictObject({ number: z.string().regex(/^\d{6,16}$/) });
const values = z
  .array(z.string().trim().min(1).max(20))
  .min(1)
  .max(3)
  .describe('Register values T1[, T2[, T3]] as the meter shows them, e.g. "12345.6"');

const NOT_FOUND = ['ACCOUNT_NOT_FOUND'];

/** 200 quoted; 404 unknown account; 422 refused (WINDOW_CLOSED, values, QUOTE_UNAVAILABLE). */
function quoteStatus(r: ReadingQuoteResult): number {
  if (r.outcome === 'quoted') return 200;
  return NOT_FOUND.includes(r.refusal.code) ? 404 : 422;
}

/**
 * 201 the card payment was started; 200 a retry of the same key, or nothing to pay; 202 the readings were
 * held for review (no payment); 404 unknown account; 422 refused (window closed, readings not accepted,
 * card limits) — the body is always the answer, with `error` when refused.
 */
function payStatus(a: PayByReadingsAnswer): number {
  if (a.payment) return a.duplicate ? 200 : 201;
  const code = a.refusal?.code ?? '';
  if (code === 'NOTHING_TO_PAY') return 200;
  if (NOT_FOUND.includes(code)) return 404;
  if (a.reading && a.reading.outcome !== 'accepted') {
    const s = statusOf(a.reading);
    return s >= 400 ? s : 202;
  }
  return 422;
}

/** The "pay by readings" API (domain.md §9). Operator API until the personal account brings subscriber logins. */
export async function payByReadingsRoutes(app: HttpApp, deps: PayByReadingsDeps) {
  const quoteDeps = { db: deps.card.db, clock: deps.card.clock };

  app.post(
    '/api/v1/accounts/:number/pay-by-readings/quote',
    {
      schema: {
        tags: ['payments'],
        summary: 'Pay by readings: the amount the readings make, without submitting them (domain.md §9)',
        description:
          'Only inside the readings window of the account’s region (422 WINDOW_CLOSED otherwise, with the window’s dates and the amount due now). Validates the values as the intake would (reason codes of §4), prices the period as its bill will (§6, tariffs in force, true-up of estimated periods), adds an estimate of common needs (the last bill’s) and the ledger balance (debt + penalties − advance). Writes nothing.',
        params,
        body: z.strictObject({ values }),
      },
    },
    async (request, reply) => {
      const r = await quoteByReadings(quoteDeps, {
        account: request.params.number,
        values: request.body.values,
      });
      if (r.outcome === 'quoted') return reply.status(200).send(r.quote);
      const f = r.refusal;
      return reply
        .status(quoteStatus(r))
        .send({ refusal: f, ...errorBody(f.code, f.message, f.messageEn, f.params, requestLang(request)) });
    },
  );

  app.post(
    '/api/v1/accounts/:number/pay-by-readings',
    {
      schema: {
        tags: ['payments'],
        summary:
          'Pay by readings: submit the readings, get the amount and a card payment in one request (§9)',
        description:
          'Inside the readings window only. Submits the readings through the intake (channel portal), recomputes the quote and starts a card payment for `amountToPayKopecks` (or `amountKopecks` if given, within the card limits); answers `{ reading, quote, payment: { id, status, confirmationUrl } }`. Readings not accepted (rejected, held, invalid): no payment, `refusal` says why. The `Idempotency-Key` header is required: a retry with the same key gets the same readings answer, the same quote and the same card payment (its current status); the same key with other data is refused (409). 503 PAYMENT_PROVIDER_UNAVAILABLE: retry with the same key.',
        params,
        headers: z.object({ 'idempotency-key': z.string().min(1).max(200).optional() }).loose(),
        body: z.strictObject({
          values,
          amountKopecks: z.int().positive().optional(),
          returnUrl: z.url({ protocol: /^https?$/ }).max(2048),
        }),
      },
    },
    async (request, reply) => {
      const key = request.headers['idempotency-key'];
      if (typeof key !== 'string' || key === '')
        throw new ApiError(
          400,
          'IDEMPOTENCY_KEY_REQUIRED',
          'Нужен заголовок Idempotency-Key: повтор запроса с тем же ключом не передаст показания и не создаст платёж второй раз.',
          'The Idempotency-Key header is required: a retry with the same key submits no second reading and creates no second payment.',
        );
      let r: Awaited<ReturnType<typeof payByReadings>>;
      try {
        r = await payByReadings(deps, {
          account: request.params.number,
          values: request.body.values,
          amountKopecks: request.body.amountKopecks,
          returnUrl: request.body.returnUrl,
          idempotencyKey: key,
        });
      } catch (e) {
        if (e instanceof CardProviderUnavailableError)
          throw new ApiError(
            503,
            'PAYMENT_PROVIDER_UNAVAILABLE',
            'Платёжный сервис временно недоступен. Показания приняты. Повторите запрос с тем же ключом идемпотентности — второй платёж не появится.',
            'The payment provider is temporarily unavailable. The readings were accepted. Retry with the same idempotency key — no second payment will appear.',
            { id: e.cardPaymentId },
          );
        throw e;
      }
      if (r.outcome === 'conflict') {
        const f = r.refusal;
        throw new ApiError(409, f.code, f.message, f.messageEn, f.params);
      }
      const a = r.answer;
      const status = payStatus(a);
      const error =
        status >= 400 && a.refusal
          ? errorBody(a.refusal.code, a.refusal.message, a.refusal.messageEn, undefined, requestLang(request))
          : {};
      return reply.status(status).send({ ...a, ...error });
    },
  );
}
