import { randomUUID, timingSafeEqual } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { z } from 'zod';
import { type Clock, systemClock } from '../platform/clock.ts';
import { cardOutcome, checkCardForm } from './sandbox-pay.cards.ts';
import { checkoutPage, indexPage, notFoundPage, statusPage } from './sandbox-pay.checkout.ts';
import { type DeliveryAttempt, Notifier } from './sandbox-pay.notifier.ts';
import { paymentJson, type SandboxPayment, SandboxStore, valueToKopecks } from './sandbox-pay.store.ts';

/**
 * The bundled sandbox payment provider: a separate "company" with a YooKassa-style API (docs/payments-card.md).
 * It imports nothing of abonent but platform helpers, and can run on its own (`tsx src/sandbox-pay/main.ts`)
 * or be mounted in abonent's server under /sandbox-pay.
 */

export interface SandboxShop {
  shopId: string;
  secretKey: string;
  /** Shown to the payer on the payment page. */
  name: string;
  /** The merchant's notification address (a provider's dashboard setting); none = no notifications. */
  webhookUrl?: string;
  webhookSecret: string;
}

export interface SandboxPayOptions {
  shops: SandboxShop[];
  clock?: Clock;
  /** The address browsers reach the sandbox at; default: the host the API request came to. */
  publicUrl?: string;
  /** How long a payment waits for the payer (then canceled `expired_on_confirmation`). Default 15 min. */
  confirmationTtlSeconds?: number;
  /** Delays before the 2nd, 3rd, … notification attempt. Default 1 s, 5 s, 30 s, 2 min, 10 min. */
  retryDelaysMs?: number[];
  deliveryTimeoutMs?: number;
  log?: (line: string) => void;
}

export interface SandboxPay {
  /** Registers the sandbox's routes on a Fastify instance (use `{ prefix }` to mount it). */
  plugin(app: FastifyInstance): Promise<void>;
  /** Sends the notification of a finished payment again (the dashboard's "resend"). */
  redeliver(paymentId: string): Promise<boolean>;
  /** Every notification attempt so far. */
  deliveries(): DeliveryAttempt[];
  /** How many payments were created (whatever their shop). */
  paymentsCreated(): number;
  close(): void;
}

const createSchema = z.object({
  amount: z.object({ value: z.string(), currency: z.literal('RUB') }),
  capture: z.boolean().optional(),
  confirmation: z.object({
    type: z.literal('redirect'),
    return_url: z.url({ protocol: /^https?$/ }).max(2048),
  }),
  description: z.string().max(128).optional(),
  metadata: z.record(z.string().max(32), z.string().max(512)).optional(),
});

const HTML_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

class SandboxApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    description: string,
    readonly parameter?: string,
  ) {
    super(description);
  }
}

export function createSandboxPay(options: SandboxPayOptions): SandboxPay {
  const clock = options.clock ?? systemClock;
  const log = options.log ?? (() => {});
  const store = new SandboxStore((options.confirmationTtlSeconds ?? 900) * 1000);
  const notifier = new Notifier({
    clock,
    retryDelaysMs: options.retryDelaysMs ?? [1_000, 5_000, 30_000, 120_000, 600_000],
    timeoutMs: options.deliveryTimeoutMs ?? 10_000,
    log,
  });
  const shops = new Map(options.shops.map((s) => [s.shopId, s]));
  const checkoutUrls = new Map<string, string>();

  const notify = (p: SandboxPayment): Promise<boolean> => {
    const shop = shops.get(p.shopId);
    if (!shop?.webhookUrl || p.status === 'pending') return Promise.resolve(false);
    const event = `payment.${p.status}`;
    const body = JSON.stringify({
      type: 'notification',
      event,
      object: paymentJson(p, checkoutUrls.get(p.id)!),
    });
    return notifier.deliver(shop.webhookUrl, shop.webhookSecret, p.id, event, body);
  };

  function authenticate(request: FastifyRequest): SandboxShop {
    const h = request.headers.authorization ?? '';
    const decoded = h.startsWith('Basic ') ? Buffer.from(h.slice(6), 'base64').toString('utf8') : '';
    const colon = decoded.indexOf(':');
    const shop = colon > 0 ? shops.get(decoded.slice(0, colon)) : undefined;
    const given = Buffer.from(decoded.slice(colon + 1));
    const expected = Buffer.from(shop?.secretKey ?? '');
    if (!shop || given.length !== expected.length || !timingSafeEqual(given, expected))
      throw new SandboxApiError(
        401,
        'invalid_credentials',
        'Authentication by shop id and secret key failed',
      );
    return shop;
  }

  async function plugin(app: FastifyInstance): Promise<void> {
    const prefix = app.prefix;
    app.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 16_384 },
      (_req, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))),
    );
    app.setErrorHandler((error: Error & { statusCode?: number }, request, reply) => {
      const status = error instanceof SandboxApiError ? error.status : (error.statusCode ?? 500);
      if (status >= 500) request.log.error(error);
      return reply.status(status).send({
        type: 'error',
        id: randomUUID(),
        code:
          error instanceof SandboxApiError
            ? error.code
            : status >= 500
              ? 'internal_server_error'
              : 'invalid_request',
        description: status >= 500 ? 'Internal error, retry later' : error.message,
        ...(error instanceof SandboxApiError && error.parameter ? { parameter: error.parameter } : {}),
      });
    });
    const hidden = { schema: { hide: true } };

    app.get('/', hidden, async (_request, reply) => reply.headers(HTML_HEADERS).send(indexPage()));

    app.post('/v3/payments', hidden, async (request, reply) => {
      const shop = authenticate(request);
      const key = request.headers['idempotence-key'];
      if (typeof key !== 'string' || key.length < 1 || key.length > 64)
        throw new SandboxApiError(
          400,
          'invalid_request',
          'Idempotence-Key header is required (1–64 characters)',
          'Idempotence-Key',
        );
      const parsed = createSchema.safeParse(request.body);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw new SandboxApiError(
          400,
          'invalid_request',
          `${issue.path.join('.')}: ${issue.message}`,
          issue.path.join('.'),
        );
      }
      const body = parsed.data;
      const amountKopecks = valueToKopecks(body.amount.value);
      if (amountKopecks === undefined)
        throw new SandboxApiError(
          400,
          'invalid_request',
          'amount.value must be a positive sum like "1500.00"',
          'amount.value',
        );
      if (body.capture === false)
        throw new SandboxApiError(
          400,
          'invalid_request',
          'Two-stage payments are not supported by the sandbox',
          'capture',
        );
      const now = clock.now();
      const payment = store.create(
        shop.shopId,
        key,
        {
          amountKopecks,
          description: body.description,
          metadata: body.metadata ?? {},
          returnUrl: body.confirmation.return_url,
        },
        now,
      );
      if (payment === 'conflict')
        throw new SandboxApiError(
          400,
          'invalid_request',
          'Idempotence-Key was already used with another request',
          'Idempotence-Key',
        );
      if (!checkoutUrls.has(payment.id)) {
        const base = options.publicUrl ?? `${request.protocol}://${request.host}${prefix}`;
        checkoutUrls.set(payment.id, `${base}/checkout/${payment.id}`);
      }
      return reply.status(200).send(paymentJson(payment, checkoutUrls.get(payment.id)!));
    });

    app.get<{ Params: { id: string } }>('/v3/payments/:id', hidden, async (request, reply) => {
      const shop = authenticate(request);
      const payment = store.get(shop.shopId, request.params.id, clock.now());
      if (!payment) throw new SandboxApiError(404, 'not_found', 'Payment not found', 'payment_id');
      return reply.status(200).send(paymentJson(payment, checkoutUrls.get(payment.id)!));
    });

    app.get<{ Params: { id: string } }>('/checkout/:id', hidden, async (request, reply) => {
      const p = store.get(undefined, request.params.id, clock.now());
      if (!p) return reply.status(404).headers(HTML_HEADERS).send(notFoundPage());
      const merchant = shops.get(p.shopId)!.name;
      const html =
        p.status === 'pending' && !p.processing
          ? checkoutPage(p, merchant, checkoutUrls.get(p.id)!)
          : statusPage(p, merchant);
      return reply.status(200).headers(HTML_HEADERS).send(html);
    });

    app.post<{ Params: { id: string } }>('/checkout/:id', hidden, async (request, reply) => {
      const now = clock.now();
      const p = store.get(undefined, request.params.id, now);
      if (!p) return reply.status(404).headers(HTML_HEADERS).send(notFoundPage());
      const merchant = shops.get(p.shopId)!.name;
      if (p.status !== 'pending' || p.processing)
        return reply.status(409).headers(HTML_HEADERS).send(statusPage(p, merchant));
      const form = (request.body ?? {}) as Record<string, unknown>;
      const field = (name: string) => (typeof form[name] === 'string' ? (form[name] as string) : '');
      const checked = checkCardForm({
        number: field('card_number'),
        expiry: field('expiry'),
        cvc: field('cvc'),
        holder: field('holder'),
      });
      if (!checked.ok) {
        const html = checkoutPage(p, merchant, checkoutUrls.get(p.id)!, checked.errors, {
          expiry: field('expiry'),
          holder: field('holder'),
        });
        return reply.status(422).headers(HTML_HEADERS).send(html);
      }
      // Only the last 4 digits and the scheme are kept; the number, CVC and holder go no further.
      p.card = { last4: checked.card.last4, cardType: checked.card.cardType };
      const outcome = cardOutcome(checked.card, now);
      if (outcome.kind === 'succeeded') {
        p.status = 'succeeded';
        p.capturedAt = now;
      } else if (outcome.kind === 'declined') {
        p.status = 'canceled';
        p.cancellation = { party: 'payment_network', reason: outcome.reason };
      } else {
        p.processing = true; // the issuer never answers: no notification; canceled when it expires
      }
      void notify(p);
      return reply.status(303).header('location', p.returnUrl).header('cache-control', 'no-store').send();
    });
  }

  return {
    plugin,
    redeliver(paymentId) {
      const p = store.get(undefined, paymentId, clock.now());
      return p ? notify(p) : Promise.resolve(false);
    },
    deliveries: () => [...notifier.attempts],
    paymentsCreated: () => store.count(),
    close: () => notifier.close(),
  };
}

/** The sandbox as its own HTTP server (its own "company"): listens, and closes with its timers. */
export async function startSandboxPay(
  options: SandboxPayOptions & { host?: string; port?: number },
): Promise<{ sandbox: SandboxPay; url: string; close(): Promise<void> }> {
  const sandbox = createSandboxPay(options);
  const app = Fastify({ logger: false, bodyLimit: 64 * 1024 });
  await app.register(sandbox.plugin);
  await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 0 });
  const address = app.server.address() as { port: number };
  const url = `http://${options.host ?? '127.0.0.1'}:${address.port}`;
  return {
    sandbox,
    url,
    async close() {
      sandbox.close();
      await app.close();
    },
  };
}
