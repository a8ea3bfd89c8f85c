import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import {
  type CreatePaymentRequest,
  NotificationRejectedError,
  type PaymentProvider,
  type ProviderPayment,
  ProviderRequestError,
  ProviderUnavailableError,
} from './payment-provider.ts';

/**
 * The client of the bundled sandbox provider (src/sandbox-pay), whose API follows YooKassa's:
 * Basic auth with shop id and secret key, `Idempotence-Key` on creation, amounts as "1500.00" RUB,
 * statuses pending / succeeded / canceled. Its notifications are signed:
 * `X-Sandbox-Signature: t=<unix>,v1=<hex HMAC-SHA256(webhook secret, t + "." + body)>`.
 */

export interface SandboxProviderOptions {
  baseUrl: string;
  shopId: string;
  secretKey: string;
  webhookSecret: string;
  /** Per request; a provider that does not answer in time is "unavailable". Default 10 s. */
  timeoutMs?: number;
  /** How old a notification's signature may be. Default 300 s. */
  maxSignatureAgeSeconds?: number;
}

const paymentSchema = z.object({
  id: z.string().min(1).max(100),
  status: z.enum(['pending', 'succeeded', 'canceled']),
  amount: z.object({ value: z.string().regex(/^\d+\.\d{2}$/), currency: z.literal('RUB') }),
  confirmation: z.object({ confirmation_url: z.string() }).optional(),
  captured_at: z.string().optional(),
  expires_at: z.string().optional(),
  cancellation_details: z.object({ reason: z.string() }).optional(),
  metadata: z.record(z.string(), z.string()).optional(),
});

const notificationSchema = z.object({
  type: z.literal('notification'),
  event: z.string(),
  object: paymentSchema,
});

export function sandboxProvider(o: SandboxProviderOptions): PaymentProvider {
  const base = o.baseUrl.replace(/\/+$/, '');
  const auth = `Basic ${Buffer.from(`${o.shopId}:${o.secretKey}`).toString('base64')}`;
  const timeoutMs = o.timeoutMs ?? 10_000;
  const maxAge = o.maxSignatureAgeSeconds ?? 300;

  async function call(method: 'GET' | 'POST', path: string, headers: Record<string, string>, body?: unknown) {
    let res: Response;
    try {
      res = await fetch(`${base}${path}`, {
        method,
        headers: { authorization: auth, ...headers, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (e) {
      throw new ProviderUnavailableError(`payment provider unreachable: ${(e as Error).message}`);
    }
    const text = await res.text().catch(() => '');
    if (res.status >= 500 || res.status === 429)
      throw new ProviderUnavailableError(`payment provider answered ${res.status}`);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new ProviderUnavailableError(
        `payment provider answered ${res.status} with a body that is not JSON`,
      );
    }
    return { status: res.status, json };
  }

  function toPayment(json: unknown): ProviderPayment {
    const p = paymentSchema.safeParse(json);
    if (!p.success)
      throw new ProviderUnavailableError(
        `payment provider answered an unexpected payment: ${p.error.message}`,
      );
    return fromWire(p.data);
  }

  return {
    name: 'sandbox',
    async createPayment(r: CreatePaymentRequest) {
      const { status, json } = await call(
        'POST',
        '/v3/payments',
        { 'idempotence-key': r.idempotenceKey },
        {
          amount: { value: toValue(r.amountKopecks), currency: 'RUB' },
          capture: true,
          confirmation: { type: 'redirect', return_url: r.returnUrl },
          description: r.description,
          metadata: r.metadata,
        },
      );
      if (status !== 200) throw requestError(status, json);
      return toPayment(json);
    },
    async getPayment(id: string) {
      const { status, json } = await call('GET', `/v3/payments/${encodeURIComponent(id)}`, {});
      if (status === 404) return null;
      if (status !== 200) throw requestError(status, json);
      return toPayment(json);
    },
    verifyNotification({ rawBody, headers, now }) {
      const header = headers['x-sandbox-signature'];
      if (typeof header !== 'string' || header === '')
        throw new NotificationRejectedError('signature_missing');
      const parts = header.split(',').map((p) => p.trim().split('='));
      const t = parts.find(([k]) => k === 't')?.[1];
      const signatures = parts.filter(([k, v]) => k === 'v1' && v).map(([, v]) => v!);
      if (!t || !/^\d{1,12}$/.test(t) || signatures.length === 0)
        throw new NotificationRejectedError('signature_invalid');
      const expected = Buffer.from(
        createHmac('sha256', o.webhookSecret).update(`${t}.${rawBody}`).digest('hex'),
      );
      const matches = signatures.some((s) => {
        const given = Buffer.from(s);
        return given.length === expected.length && timingSafeEqual(given, expected);
      });
      if (!matches) throw new NotificationRejectedError('signature_invalid');
      if (Math.abs(Math.floor(now.getTime() / 1000) - Number(t)) > maxAge)
        throw new NotificationRejectedError('signature_expired');
      let json: unknown;
      try {
        json = JSON.parse(rawBody);
      } catch {
        throw new NotificationRejectedError('malformed');
      }
      const n = notificationSchema.safeParse(json);
      if (!n.success) throw new NotificationRejectedError('malformed');
      return { event: n.data.event, payment: fromWire(n.data.object) };
    },
  };
}

function fromWire(p: z.infer<typeof paymentSchema>): ProviderPayment {
  const [rub, kop] = p.amount.value.split('.');
  return {
    id: p.id,
    status: p.status,
    amountKopecks: Number(rub) * 100 + Number(kop),
    confirmationUrl: p.confirmation?.confirmation_url ?? null,
    capturedAt: p.captured_at ?? null,
    expiresAt: p.expires_at ?? null,
    cancelReason: p.cancellation_details?.reason ?? null,
    metadata: p.metadata ?? {},
  };
}

function toValue(kopecks: number): string {
  return `${Math.floor(kopecks / 100)}.${String(kopecks % 100).padStart(2, '0')}`;
}

function requestError(status: number, json: unknown): ProviderRequestError {
  const e = json as { code?: unknown; description?: unknown };
  return new ProviderRequestError(
    status,
    typeof e?.code === 'string' ? e.code : 'invalid_request',
    typeof e?.description === 'string' ? e.description : `payment provider answered ${status}`,
  );
}
