import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/platform/free-port.ts';
import { type SandboxPay, startSandboxPay } from '../../src/sandbox-pay/index.ts';
import { payOnPage, SHOP, testClock, waitFor } from '../support/sandbox-browser.ts';

/** The bundled sandbox provider on its own, as a merchant sees it over HTTP (no abonent involved). */

const clock = testClock('2026-11-20T10:00:00Z');
const received: { body: string; signature: string | undefined }[] = [];
let merchant: ReturnType<typeof createServer>;
let sandbox: SandboxPay;
let url: string;
let close: () => Promise<void>;
const auth = `Basic ${Buffer.from(`${SHOP.shopId}:${SHOP.secretKey}`).toString('base64')}`;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let s = '';
    req.on('data', (c) => (s += c));
    req.on('end', () => resolve(s));
  });
}

beforeAll(async () => {
  const port = await freePort();
  merchant = createServer(async (req, res) => {
    received.push({
      body: await readBody(req),
      signature: req.headers['x-sandbox-signature'] as string | undefined,
    });
    res.writeHead(204).end();
  });
  await new Promise<void>((r) => merchant.listen(port, '127.0.0.1', r));
  const s = await startSandboxPay({
    clock,
    shops: [{ ...SHOP, name: 'ООО «Магазин»', webhookUrl: `http://127.0.0.1:${port}/hook` }],
    retryDelaysMs: [20],
  });
  sandbox = s.sandbox;
  url = s.url;
  close = s.close;
});
afterAll(async () => {
  await close?.();
  await new Promise((r) => merchant?.close(r));
});

async function create(body: unknown, key: string | null = `k-${Math.random()}`, authorization = auth) {
  const res = await fetch(`${url}/v3/payments`, {
    method: 'POST',
    headers: {
      authorization,
      'content-type': 'application/json',
      ...(key ? { 'idempotence-key': key } : {}),
    },
    body: JSON.stringify(body),
  });
  // biome-ignore lint/suspicious/noExplicitAny: JSON answers, checked field by field
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

const payment = (value = '1500.00') => ({
  amount: { value, currency: 'RUB' },
  capture: true,
  confirmation: { type: 'redirect', return_url: 'http://shop.example/back' },
  description: 'Заказ 1',
  metadata: { order: '1' },
});

describe('sandbox provider API (YooKassa-style)', () => {
  it('creates a pending payment with a redirect confirmation, once per Idempotence-Key', async () => {
    const a = await create(payment(), 'key-a');
    expect(a.status).toBe(200);
    expect(a.body).toMatchObject({
      status: 'pending',
      paid: false,
      amount: { value: '1500.00', currency: 'RUB' },
      confirmation: { type: 'redirect', return_url: 'http://shop.example/back' },
      metadata: { order: '1' },
      test: true,
    });
    expect(a.body.confirmation.confirmation_url).toBe(`${url}/checkout/${a.body.id}`);
    expect(Date.parse(a.body.expires_at) - Date.parse(a.body.created_at)).toBe(900_000);
    expect((await create(payment(), 'key-a')).body.id).toBe(a.body.id);
    const conflict = await create(payment('1.00'), 'key-a');
    expect(conflict).toMatchObject({ status: 400, body: { type: 'error', code: 'invalid_request' } });
    const got = await fetch(`${url}/v3/payments/${a.body.id}`, { headers: { authorization: auth } });
    expect((await got.json()).status).toBe('pending');
  });

  it('refuses wrong credentials, a missing key, bad amounts and unknown payments', async () => {
    const wrong = `Basic ${Buffer.from(`${SHOP.shopId}:nope`).toString('base64')}`;
    expect(await create(payment(), 'k', wrong)).toMatchObject({
      status: 401,
      body: { code: 'invalid_credentials' },
    });
    expect((await create(payment(), null)).status).toBe(400);
    for (const value of ['0.00', '-1.00', '15', '1.5'])
      expect((await create(payment(value))).body).toMatchObject({ code: 'invalid_request' });
    const unknown = await fetch(`${url}/v3/payments/00000000-0000-4000-8000-000000000000`, {
      headers: { authorization: auth },
    });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ type: 'error', code: 'not_found' });
  });
});

describe('sandbox payment page', () => {
  it('rejects a number that fails the Luhn check and keeps the payment payable; never echoes the number', async () => {
    const p = (await create(payment('10.00'))).body;
    const res = await fetch(p.confirmation.confirmation_url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        card_number: '4111 1111 1111 1112',
        expiry: '1/3',
        cvc: '12',
        holder: '',
      }).toString(),
      redirect: 'manual',
    });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain('Номер карты введён с ошибкой');
    expect(html).toContain('Срок действия');
    expect(html).toContain('CVC — три цифры');
    expect(html).not.toContain('4111 1111 1111 1112');
    const retry = await payOnPage(p.confirmation.confirmation_url, '4111111111111111');
    expect(retry).toMatchObject({ status: 303, location: 'http://shop.example/back' });
  });

  it('succeeds, sends a signed payment.succeeded notification, keeps only the last 4 digits', async () => {
    const p = (await create(payment('250.00'))).body;
    await payOnPage(p.confirmation.confirmation_url, '4111 1111 1111 1111');
    const note = await waitFor('notification', async () => received.find((r) => r.body.includes(p.id)));
    const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(note.signature ?? '') ?? [];
    expect(Number(t)).toBe(Math.floor(clock.now().getTime() / 1000));
    expect(v1).toBe(createHmac('sha256', SHOP.webhookSecret).update(`${t}.${note.body}`).digest('hex'));
    const body = JSON.parse(note.body);
    expect(body).toMatchObject({
      type: 'notification',
      event: 'payment.succeeded',
      object: {
        id: p.id,
        status: 'succeeded',
        paid: true,
        payment_method: { card: { last4: '1111', card_type: 'Visa' } },
      },
    });
    expect(note.body).not.toContain('4111111111111111');
    expect(body.object.captured_at).toBe(clock.now().toISOString());
    const again = await fetch(p.confirmation.confirmation_url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ card_number: '4111111111111111', expiry: '12/30', cvc: '123' }).toString(),
      redirect: 'manual',
    });
    expect(again.status).toBe(409); // paid once; the page says so
    expect(await again.text()).toContain('Платёж выполнен');
  });

  it('declines an expired card (card_expired) and cancels unpaid payments after their expiry', async () => {
    const p = (await create(payment('5.00'))).body;
    const r = await payOnPage(p.confirmation.confirmation_url, '4111111111111111', '10/26'); // ended 31.10.2026
    expect(r.status).toBe(303);
    const note = await waitFor('notification', async () => received.find((x) => x.body.includes(p.id)));
    expect(JSON.parse(note.body)).toMatchObject({
      event: 'payment.canceled',
      object: {
        status: 'canceled',
        cancellation_details: { party: 'payment_network', reason: 'card_expired' },
      },
    });

    const q = (await create(payment('6.00'))).body;
    clock.advance(15 * 60_000);
    const page = await fetch(q.confirmation.confirmation_url);
    expect(await page.text()).toContain('время на оплату истекло');
    const got = await (
      await fetch(`${url}/v3/payments/${q.id}`, { headers: { authorization: auth } })
    ).json();
    expect(got).toMatchObject({
      status: 'canceled',
      cancellation_details: { reason: 'expired_on_confirmation' },
    });
    expect(received.some((x) => x.body.includes(q.id))).toBe(false); // expiry sends no notification
    clock.advance(-15 * 60_000);
  });

  it('the front page lists the test cards', async () => {
    const html = await (await fetch(`${url}/`)).text();
    expect(html).toContain('4111 1111 1111 1111');
    expect(html).toContain('4000 0000 0000 0119');
    expect(sandbox.paymentsCreated()).toBeGreaterThan(0);
  });
});
