import { execFileSync } from 'node:child_process';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reconcilePendingCardPayments } from '../../src/channels/card/index.ts';
import { signatureHeader } from '../../src/sandbox-pay/index.ts';
import {
  CARDS,
  type CardWorld,
  cardPaymentOf,
  moneyOf,
  payOnPage,
  SHOP,
  startCardWorld,
  startPayment,
  waitFor,
} from '../support/card-payment.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { addAccount, countRows, type TestAccount } from '../support/fixtures.ts';

let t: TestDatabase;
let w: CardWorld;

beforeAll(async () => {
  t = await createTestDatabase();
  w = await startCardWorld(t);
});
afterAll(async () => {
  await w?.close();
  await t?.drop();
});

async function settled(id: string, status: 'succeeded' | 'canceled') {
  return waitFor(`card payment ${status}`, async () => {
    const r = await cardPaymentOf(w, id);
    return r.body.status === status ? r.body : undefined;
  });
}

/** A provider notification signed as the sandbox signs it (the test knows the shared webhook secret). */
async function sendNotification(body: string, header: string | undefined) {
  const res = await fetch(`${w.abonentUrl}/api/v1/payment-providers/sandbox/webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(header ? { 'x-sandbox-signature': header } : {}) },
    body,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function providerPayment(id: string) {
  const res = await fetch(`${w.sandboxUrl}/v3/payments/${id}`, {
    headers: { authorization: `Basic ${Buffer.from(`${SHOP.shopId}:${SHOP.secretKey}`).toString('base64')}` },
  });
  return (await res.json()) as Record<string, unknown>;
}

const unix = () => Math.floor(w.clock.now().getTime() / 1000);

describe('card payment through the provider page (real HTTP, sandbox provider)', () => {
  let a: TestAccount;
  beforeAll(async () => {
    a = await addAccount(t.db);
  });

  it('pays by card: hosted page, redirect back, signed webhook, credited once', async () => {
    const start = await startPayment(w, a.number, { amountKopecks: 150_000, period: '2026-11' });
    expect(start.status).toBe(201);
    expect(start.body).toMatchObject({ status: 'pending', account: a.number, amountKopecks: 150_000 });
    expect(start.body.confirmationUrl).toMatch(new RegExp(`^${w.sandboxUrl}/checkout/`));
    expect(start.body.returnUrl).toBe(`${w.abonentUrl}/pay/card/${start.body.id}`);

    const paid = await payOnPage(start.body.confirmationUrl, CARDS.ok);
    expect(paid.pageStatus).toBe(200);
    expect(paid.html).toContain('Оплата банковской картой');
    expect(paid.html).toContain('1\u00a0500,00\u00a0₽');
    expect(paid.html).toContain('АО «Тестэнергосбыт»');
    expect(paid.status).toBe(303);
    expect(paid.location).toBe(start.body.returnUrl);

    // The provider notifies abonent; only then does this test follow the redirect (the return page asks the
    // provider itself and would otherwise race the webhook).
    const delivered = await waitFor('the webhook', async () =>
      w.sandbox.deliveries().find((d) => d.paymentId === providerId(start.body.confirmationUrl)),
    );
    expect(delivered).toMatchObject({ event: 'payment.succeeded', attempt: 1, status: 200 });
    const done = await settled(start.body.id, 'succeeded');
    expect(done.paymentId).toEqual(expect.any(Number));
    expect(done.message).toContain('Платёж принят');
    expect(done.history.map((e: { source: string; status: string }) => `${e.source}:${e.status}`)).toEqual([
      'api:created',
      'api:pending',
      'webhook:succeeded',
    ]);
    const money = await moneyOf(t, a.accountId);
    expect(money).toEqual({ payments: 1, credited: 150_000, receivable: -150_000 });
    const pay = await sql<{ external_id: string; period: string; paid_at: Date }>`
      SELECT external_id, period, paid_at FROM payment WHERE id = ${done.paymentId}`.execute(t.db);
    const provider = await providerPayment(pay.rows[0]!.external_id);
    expect(provider).toMatchObject({ status: 'succeeded', metadata: { card_payment_id: start.body.id } });
    expect(pay.rows[0]!.period).toBe('2026-11');
    expect(pay.rows[0]!.paid_at.toISOString()).toBe(provider.captured_at);
    const back = await fetch(paid.location!); // the browser follows the redirect back to abonent
    expect(back.status).toBe(200);
    expect(await back.text()).toContain('Оплата прошла');
  });

  it('a declined card: canceled with the reason, nothing credited', async () => {
    const b = await addAccount(t.db);
    const start = await startPayment(w, b.number, { amountKopecks: 70_000 });
    const paid = await payOnPage(start.body.confirmationUrl, CARDS.insufficientFunds);
    expect(paid.status).toBe(303);
    const done = await settled(start.body.id, 'canceled');
    expect(done).toMatchObject({
      cancelReason: 'insufficient_funds',
      paymentId: null,
      confirmationUrl: null,
    });
    expect(done.message).toContain('недостаточно средств на карте');
    expect(await moneyOf(t, b.accountId)).toEqual({ payments: 0, credited: 0, receivable: 0 });
  });

  it('an issuer timeout stays pending without a webhook; reconciliation after expiry cancels it', async () => {
    const c = await addAccount(t.db);
    const start = await startPayment(w, c.number, { amountKopecks: 30_000 });
    const paid = await payOnPage(start.body.confirmationUrl, CARDS.timeout);
    expect(paid.status).toBe(303);
    await new Promise((r) => setTimeout(r, 300));
    expect((await cardPaymentOf(w, start.body.id)).body.status).toBe('pending');
    expect(
      w.sandbox.deliveries().filter((d) => d.paymentId === providerId(start.body.confirmationUrl)),
    ).toEqual([]);

    const early = await reconcilePendingCardPayments(w.deps);
    expect(early.checked).toBe(0); // younger than 10 minutes: left to the webhook

    w.clock.advance(16 * 60_000); // past the provider's 15-minute expiry
    const late = await reconcilePendingCardPayments(w.deps);
    expect(late).toMatchObject({ canceled: 1, succeeded: 0, unreachable: 0, failed: 0 });
    const done = (await cardPaymentOf(w, start.body.id)).body;
    expect(done).toMatchObject({ status: 'canceled', cancelReason: 'expired_on_confirmation' });
    expect(done.history.at(-1)).toMatchObject({ source: 'reconcile', status: 'canceled' });
    expect(await moneyOf(t, c.accountId)).toEqual({ payments: 0, credited: 0, receivable: 0 });
    w.clock.advance(-16 * 60_000);
  });

  it('a notification delivered again and again credits once', async () => {
    const d = await addAccount(t.db);
    const start = await startPayment(w, d.number, { amountKopecks: 99_999 });
    await payOnPage(start.body.confirmationUrl, CARDS.ok);
    await settled(start.body.id, 'succeeded');
    expect(await w.sandbox.redeliver(providerId(start.body.confirmationUrl))).toBe(true);

    const object = await providerPayment(providerId(start.body.confirmationUrl));
    const body = JSON.stringify({ type: 'notification', event: 'payment.succeeded', object });
    const header = signatureHeader(SHOP.webhookSecret, unix(), body);
    const answers = await Promise.all(Array.from({ length: 8 }, () => sendNotification(body, header)));
    expect(answers.map((r) => r.status)).toEqual(new Array(8).fill(200));
    expect(await moneyOf(t, d.accountId)).toEqual({ payments: 1, credited: 99_999, receivable: -99_999 });
    const history = (await cardPaymentOf(w, start.body.id)).body.history as { status: string }[];
    expect(history.filter((e) => e.status === 'succeeded')).toHaveLength(1);
  });

  it('forged, stale, unsigned or altered notifications get 401 and change nothing', async () => {
    const e = await addAccount(t.db);
    const start = await startPayment(w, e.number, { amountKopecks: 50_000 });
    const id = providerId(start.body.confirmationUrl);
    const object = {
      ...(await providerPayment(id)),
      status: 'succeeded',
      paid: true,
      captured_at: w.clock.now().toISOString(),
    };
    const body = JSON.stringify({ type: 'notification', event: 'payment.succeeded', object });
    expect(body).toContain('"500.00"');
    const eventsBefore = await countRows(t.db, 'card_payment_event');

    const tries = [
      sendNotification(body, signatureHeader('whsec_guessed', unix(), body)),
      sendNotification(body, signatureHeader(SHOP.webhookSecret, unix() - 301, body)),
      sendNotification(body, undefined),
      sendNotification(body.replace('"500.00"', '"5.00"'), signatureHeader(SHOP.webhookSecret, unix(), body)),
      sendNotification(body, `t=${unix()},v1=${'0'.repeat(64)}`),
      sendNotification(body, 'garbage'),
    ];
    for (const r of await Promise.all(tries)) {
      expect(r.status).toBe(401);
      expect((r.body.error as { code: string }).code).toBe('WEBHOOK_SIGNATURE_INVALID');
    }
    expect(await countRows(t.db, 'card_payment_event')).toBe(eventsBefore);
    expect(await moneyOf(t, e.accountId)).toEqual({ payments: 0, credited: 0, receivable: 0 });
    expect((await cardPaymentOf(w, start.body.id)).body.status).toBe('pending');

    // Control: the very same notification, signed with the shop's secret, is taken.
    const signed = await sendNotification(body, signatureHeader(SHOP.webhookSecret, unix(), body));
    expect(signed).toMatchObject({ status: 200, body: { handled: true, status: 'succeeded' } });
    expect(await moneyOf(t, e.accountId)).toMatchObject({ payments: 1, credited: 50_000 });
  });
});

describe('money taken but not creditable', () => {
  it('the account closed while the payer was on the page: succeeded, not credited, flagged', async () => {
    const a = await addAccount(t.db);
    const start = await startPayment(w, a.number, { amountKopecks: 45_000 });
    await sql`UPDATE account SET status = 'closed', end_date = '2026-11-20' WHERE id = ${a.accountId}`.execute(
      t.db,
    );
    await payOnPage(start.body.confirmationUrl, CARDS.ok);
    const done = await settled(start.body.id, 'succeeded');
    expect(done).toMatchObject({ paymentId: null, creditRefusal: 'ACCOUNT_CLOSED' });
    expect(done.message).toContain('не зачислена автоматически');
    expect(done.history.at(-1).detail).toMatchObject({ creditRefusal: 'ACCOUNT_CLOSED' });
    expect(await moneyOf(t, a.accountId)).toEqual({ payments: 0, credited: 0, receivable: 0 });
  });
});

describe('what is refused before the provider is asked', () => {
  it('over 50,000 RUB is refused (parameter card_payment_max_kopecks); 50,000 exactly is taken', async () => {
    const a = await addAccount(t.db);
    const before = w.sandbox.paymentsCreated();
    const rowsBefore = await countRows(t.db, 'card_payment');
    const over = await startPayment(w, a.number, { amountKopecks: 5_000_001 });
    expect(over.status).toBe(422);
    expect(over.body.error).toMatchObject({ code: 'AMOUNT_OVER_LIMIT' });
    expect(over.body.error.message).toContain('50\u00a0000,00');
    for (const amountKopecks of [0, -100]) {
      const r = await startPayment(w, a.number, { amountKopecks });
      expect(r.status).toBe(422);
      expect(r.body.error.code).toBe('AMOUNT_NOT_POSITIVE');
    }
    expect((await startPayment(w, a.number, { amountKopecks: 10.5 })).status).toBe(400);
    expect((await startPayment(w, '99999999', { amountKopecks: 100_00 })).body.error.code).toBe(
      'ACCOUNT_NOT_FOUND',
    );
    expect(
      (await startPayment(w, a.number, { amountKopecks: 100_00, period: '2027-01' })).body.error.code,
    ).toBe('PERIOD_INVALID');
    expect(w.sandbox.paymentsCreated()).toBe(before);
    expect(await countRows(t.db, 'card_payment')).toBe(rowsBefore);

    const max = await startPayment(w, a.number, { amountKopecks: 5_000_000 });
    expect(max.status).toBe(201);
    expect(w.sandbox.paymentsCreated()).toBe(before + 1);

    // The limit is an effective-dated parameter: a region may lower it.
    const v = await addAccount(t.db, { region: 'voronezh' });
    const set = await fetch(`${w.abonentUrl}/api/v1/parameters`, {
      method: 'POST',
      headers: { authorization: `Bearer ${w.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        region: 'voronezh',
        key: 'card_payment_max_kopecks',
        value: 1_000_000,
        effectiveFrom: '2026-11-01',
      }),
    });
    expect(set.status).toBe(201);
    const lowered = await startPayment(w, v.number, { amountKopecks: 1_000_001 });
    expect(lowered.body.error).toMatchObject({
      code: 'AMOUNT_OVER_LIMIT',
      details: { maxKopecks: 1_000_000 },
    });
    expect((await startPayment(w, a.number, { amountKopecks: 1_000_001 })).status).toBe(201); // Moscow: 50,000
  });

  it('Idempotency-Key: required; a retry gets the same payment; other data under it → 409', async () => {
    const a = await addAccount(t.db);
    const missing = await startPayment(w, a.number, { amountKopecks: 10_000 }, null);
    expect(missing.status).toBe(400);
    expect(missing.body.error.code).toBe('IDEMPOTENCY_KEY_REQUIRED');
    const before = w.sandbox.paymentsCreated();
    const first = await startPayment(w, a.number, { amountKopecks: 10_000 }, 'same-key-1');
    const again = await Promise.all(
      [1, 2, 3].map(() => startPayment(w, a.number, { amountKopecks: 10_000 }, 'same-key-1')),
    );
    expect(first.status).toBe(201);
    for (const r of again) {
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ id: first.body.id, confirmationUrl: first.body.confirmationUrl });
    }
    expect(w.sandbox.paymentsCreated()).toBe(before + 1);
    const other = await startPayment(w, a.number, { amountKopecks: 20_000 }, 'same-key-1');
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('IDEMPOTENCY_CONFLICT');
  });
});

describe('card data never reach abonent', () => {
  it('no card number, CVC or holder in the database dump or in any answer', async () => {
    const dump = execFileSync('pg_dump', ['--data-only', '--no-owner', t.url], {
      encoding: 'utf8',
      maxBuffer: 256 << 20,
    });
    expect(dump).toContain('insufficient_funds'); // the dump holds the card payments of this file…
    for (const secret of [
      '4111111111111111',
      '4111 1111 1111 1111',
      '4000000000000002',
      'IVAN PETROV',
      '12/30',
    ])
      expect(dump).not.toContain(secret); // …and none of what the payer typed on the provider's page
    const replies = await sql<{ reply: unknown }>`SELECT reply FROM payment WHERE channel = 'card'`.execute(
      t.db,
    );
    expect(replies.rows.length).toBeGreaterThan(0);
    expect(JSON.stringify(replies.rows)).not.toMatch(/4111|IVAN/);
  });
});

function providerId(confirmationUrl: string): string {
  return confirmationUrl.split('/').at(-1)!;
}
