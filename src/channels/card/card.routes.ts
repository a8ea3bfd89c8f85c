import { z } from 'zod';
import { ApiError, type HttpApp } from '../../platform/http.ts';
import { cardPaymentEvents } from './card-payment.repository.ts';
import {
  type CardDeps,
  CardProviderUnavailableError,
  cardPaymentStatus,
  startCardPayment,
} from './card-payment.service.ts';
import { PROVIDER_UNAVAILABLE } from './card-payment-messages.ts';
import { handleProviderNotification } from './card-payment-sync.service.ts';
import { returnPage } from './card-return-page.ts';
import { NotificationRejectedError } from './payment-provider.ts';

const REFUSAL_STATUS: Record<string, number> = {
  BAD_ACCOUNT_FORMAT: 400,
  VALIDATION_FAILED: 400,
  ACCOUNT_NOT_FOUND: 404,
  IDEMPOTENCY_CONFLICT: 409,
};

const idParams = z.strictObject({ id: z.uuid() });

/** Operator API (inside operator authentication until the personal account brings subscriber logins). */
export async function cardPaymentRoutes(app: HttpApp, deps: CardDeps) {
  app.post(
    '/api/v1/accounts/:number/card-payments',
    {
      schema: {
        tags: ['payments'],
        summary: 'Start a card payment: returns the provider page to send the payer to (domain.md §9)',
        description:
          'Checks the account and the card limit (parameter card_payment_max_kopecks, 50,000 RUB), creates the payment at the provider and answers `confirmationUrl`. The `Idempotency-Key` header is required: a retry with the same key gets the same payment (200); the same key with other data is refused (409). 422 AMOUNT_OVER_LIMIT / AMOUNT_NOT_POSITIVE / AMOUNT_TOO_SMALL / ACCOUNT_CLOSED / PERIOD_INVALID, 404 ACCOUNT_NOT_FOUND, 503 PAYMENT_PROVIDER_UNAVAILABLE (retry with the same key).',
        params: z.strictObject({ number: z.string().regex(/^\d{6,16}$/) }),
        headers: z.object({ 'idempotency-key': z.string().min(1).max(200).optional() }).loose(),
        body: z.strictObject({
          amountKopecks: z.int(),
          period: z
            .string()
            .regex(/^\d{4}-(0[1-9]|1[0-2])$/)
            .optional(),
          returnUrl: z
            .url({ protocol: /^https?$/ })
            .max(2048)
            .optional(),
        }),
      },
    },
    async (request, reply) => {
      const key = request.headers['idempotency-key'];
      if (typeof key !== 'string' || key === '')
        throw new ApiError(
          400,
          'IDEMPOTENCY_KEY_REQUIRED',
          'Нужен заголовок Idempotency-Key: повтор запроса с тем же ключом не создаст второй платёж.',
          'The Idempotency-Key header is required: a retry with the same key creates no second payment.',
        );
      try {
        const r = await startCardPayment(deps, {
          account: request.params.number,
          ...request.body,
          idempotencyKey: key,
        });
        if (r.outcome === 'refused')
          throw new ApiError(REFUSAL_STATUS[r.code] ?? 422, r.code, r.message, r.messageEn, r.params);
        return reply.status(r.outcome === 'created' ? 201 : 200).send(r.payment);
      } catch (e) {
        if (e instanceof CardProviderUnavailableError)
          throw new ApiError(
            503,
            'PAYMENT_PROVIDER_UNAVAILABLE',
            PROVIDER_UNAVAILABLE.ru,
            PROVIDER_UNAVAILABLE.en,
            {
              id: e.cardPaymentId,
            },
          );
        throw e;
      }
    },
  );

  app.get(
    '/api/v1/card-payments/:id',
    {
      schema: {
        tags: ['payments'],
        summary: 'A card payment and its history; a pending one is first checked at the provider',
        params: idParams,
      },
    },
    async (request) => {
      const view = await cardPaymentStatus(deps, request.params.id);
      if (!view)
        throw new ApiError(
          404,
          'CARD_PAYMENT_NOT_FOUND',
          'Платёж картой не найден.',
          'Card payment not found.',
        );
      const history = await cardPaymentEvents(deps.db, view.id);
      return { ...view, history: history.map((e) => ({ ...e, at: e.at.toISOString() })) };
    },
  );
}

/** Routes the provider and the payer's browser reach without an operator key. */
export async function cardPublicRoutes(app: HttpApp, deps: CardDeps) {
  await app.register(async (scope: HttpApp) => {
    // The signature covers the exact bytes: keep the body as it came.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string', bodyLimit: 256 * 1024 }, (_req, body, done) =>
      done(null, body),
    );
    scope.post(
      `/api/v1/payment-providers/${deps.provider.name}/webhook`,
      {
        schema: {
          tags: ['payments'],
          summary: `Notifications of the card payment provider "${deps.provider.name}" (signed)`,
          description:
            'Verifies `X-Sandbox-Signature` (HMAC-SHA256 of `t.body`, at most 5 minutes old); 401 and nothing changes when it does not match. payment.succeeded credits the payment once, however often it is delivered; payment.canceled records the reason. 503 on database trouble: the provider delivers again.',
          security: [],
        },
      },
      async (request, reply) => {
        const rawBody = typeof request.body === 'string' ? request.body : '';
        try {
          const r = await handleProviderNotification(deps, { rawBody, headers: request.headers });
          return reply.status(200).send({ ok: true, ...r });
        } catch (e) {
          if (e instanceof NotificationRejectedError) {
            if (e.reason === 'malformed')
              throw new ApiError(
                400,
                'NOTIFICATION_MALFORMED',
                'Уведомление не распознано.',
                'Malformed notification.',
              );
            request.log.warn({ reason: e.reason }, 'card payment notification rejected');
            throw new ApiError(
              401,
              'WEBHOOK_SIGNATURE_INVALID',
              'Подпись уведомления неверна или устарела.',
              `The notification signature is invalid or too old (${e.reason}).`,
            );
          }
          throw e;
        }
      },
    );
  });

  app.get(
    '/pay/card/:id',
    {
      schema: {
        tags: ['payments'],
        summary: "The payer's return page after the provider's payment page (HTML, Russian)",
        params: idParams,
        security: [],
      },
    },
    async (request, reply) => {
      const view = await cardPaymentStatus(deps, request.params.id);
      return reply
        .status(view ? 200 : 404)
        .headers({
          'content-type': 'text/html; charset=utf-8',
          'cache-control': 'no-store',
          'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
          'referrer-policy': 'no-referrer',
        })
        .send(returnPage(view));
    },
  );
}
