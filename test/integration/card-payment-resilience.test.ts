import { createServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reconcilePendingCardPayments } from '../../src/channels/card/index.ts';
import { runCli } from '../../src/cli/program.ts';
import { freePort } from '../../src/platform/free-port.ts';
import {
  CARDS,
  type CardWorld,
  cardPaymentOf,
  moneyOf,
  payOnPage,
  startCardWorld,
  startPayment,
  waitFor,
} from '../support/card-payment.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { addAccount } from '../support/fixtures.ts';

/** Card payments when things go wrong between abonent and the provider: down, lost or failed webhooks. */

let t: TestDatabase;
const worlds: CardWorld[] = [];
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  for (const c of closers) await c();
  for (const w of worlds) await w.close();
  await t?.drop();
});

async function world(o: Parameters<typeof startCardWorld>[1] = {}) {
  const w = await startCardWorld(t, o);
  worlds.push(w);
  return w;
}

/** A relay in front of abonent's webhook that answers 500 to the first `failures` requests. */
async function flakyRelay(failures: number, target: () => string) {
  const port = await freePort();
  let seen = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      seen += 1;
      if (seen <= failures) return void res.writeHead(500).end('down');
      const r = await fetch(target(), {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-sandbox-signature': String(req.headers['x-sandbox-signature']),
        },
        body: Buffer.concat(chunks),
      });
      res.writeHead(r.status, { 'content-type': 'application/json' }).end(await r.text());
    });
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  closers.push(() => new Promise((r) => server.close(() => r())));
  return { url: `http://127.0.0.1:${port}/hook`, seen: () => seen };
}

describe('card payments when the provider or its notifications fail', () => {
  it('the sandbox retries a failed notification with backoff; the payment is credited once', async () => {
    let abonent = '';
    const relay = await flakyRelay(2, () => abonent);
    const w = await world({
      webhookUrl: (a) => {
        abonent = `${a}/api/v1/payment-providers/sandbox/webhook`;
        return relay.url;
      },
      retryDelaysMs: [50, 100, 200],
    });
    const a = await addAccount(t.db);
    const start = await startPayment(w, a.number, { amountKopecks: 12_345 });
    await payOnPage(start.body.confirmationUrl, CARDS.ok);
    // Watch the database, not GET /card-payments/:id: that polls the provider and would settle it itself.
    await waitFor('the third delivery', async () => (w.sandbox.deliveries().length === 3 ? true : undefined));
    const done = (await cardPaymentOf(w, start.body.id)).body;
    expect(done.history.at(-1)).toMatchObject({ source: 'webhook', status: 'succeeded' });
    expect(done.paymentId).toEqual(expect.any(Number));
    expect(w.sandbox.deliveries().map((d) => d.status)).toEqual([500, 500, 200]);
    expect(relay.seen()).toBe(3);
    expect(await moneyOf(t, a.accountId)).toMatchObject({ payments: 1, credited: 12_345 });
  });

  it('a notification that never arrives: reconciliation finds the payment paid and credits it', async () => {
    const dead = await freePort(); // nobody listens there
    const w = await world({ webhookUrl: () => `http://127.0.0.1:${dead}/hook`, retryDelaysMs: [20] });
    const a = await addAccount(t.db);
    const start = await startPayment(w, a.number, { amountKopecks: 40_000 });
    await payOnPage(start.body.confirmationUrl, CARDS.ok);
    await waitFor('delivery given up', async () => (w.sandbox.deliveries().length === 2 ? true : undefined));
    expect(w.sandbox.deliveries().every((d) => d.error !== undefined)).toBe(true);
    expect(await moneyOf(t, a.accountId)).toMatchObject({ payments: 0 });

    const summary = await reconcilePendingCardPayments(w.deps, { olderThanMinutes: 0 });
    expect(summary).toMatchObject({ checked: 1, succeeded: 1, unreachable: 0, failed: 0 });
    expect(await moneyOf(t, a.accountId)).toEqual({ payments: 1, credited: 40_000, receivable: -40_000 });
    const view = (await cardPaymentOf(w, start.body.id)).body;
    expect(view.history.at(-1)).toMatchObject({ source: 'reconcile', status: 'succeeded' });
    expect(await reconcilePendingCardPayments(w.deps, { olderThanMinutes: 0 })).toMatchObject({ checked: 0 });
  });

  it('provider down: 503 and nothing lost; the retry with the same key completes it; polls stay pending', async () => {
    const sandboxPort = await freePort();
    const w = await world({ sandboxPort });
    const a = await addAccount(t.db);
    await w.stopSandbox();
    const down = await startPayment(w, a.number, { amountKopecks: 20_000 }, 'retry-me');
    expect(down.status).toBe(503);
    expect(down.body.error).toMatchObject({
      code: 'PAYMENT_PROVIDER_UNAVAILABLE',
      details: { id: expect.any(String) },
    });
    expect((await cardPaymentOf(w, down.body.error.details.id)).body.status).toBe('created');

    const up = await world({ sandboxPort, clock: w.clock }); // the provider is back on its address
    const again = await startPayment(w, a.number, { amountKopecks: 20_000 }, 'retry-me');
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: down.body.error.details.id, status: 'pending' });
    expect(up.sandbox.paymentsCreated()).toBe(1);

    await up.stopSandbox(); // down again while the payer is on the page: the status stays pending
    const poll = await cardPaymentOf(w, again.body.id);
    expect(poll).toMatchObject({ status: 200, body: { status: 'pending' } });
    expect(await reconcilePendingCardPayments(w.deps, { olderThanMinutes: 0 })).toMatchObject({
      unreachable: 1,
    });

    // It comes back without its memory of the payment (a wiped sandbox): canceled only after the expiry.
    await world({ sandboxPort, clock: w.clock });
    expect(await reconcilePendingCardPayments(w.deps, { olderThanMinutes: 0 })).toMatchObject({ pending: 1 });
    w.clock.advance(16 * 60_000);
    expect(await reconcilePendingCardPayments(w.deps, { olderThanMinutes: 0 })).toMatchObject({
      canceled: 1,
    });
    expect((await cardPaymentOf(w, again.body.id)).body).toMatchObject({
      status: 'canceled',
      cancelReason: 'not_found_at_provider',
    });
    expect(await moneyOf(t, a.accountId)).toMatchObject({ payments: 0 });
  });

  it('`abonent card-payments reconcile` reports what it did', async () => {
    const dead = await freePort();
    const w = await world({ webhookUrl: () => `http://127.0.0.1:${dead}/hook`, retryDelaysMs: [] });
    const a = await addAccount(t.db);
    const start = await startPayment(w, a.number, { amountKopecks: 1_000 });
    await payOnPage(start.body.confirmationUrl, CARDS.ok);
    w.clock.advance(11 * 60_000);
    const out: string[] = [];
    const code = await runCli(['card-payments', 'reconcile', '--json'], {
      app: async () => w.ctx,
      out: (s) => out.push(s),
      err: () => {},
      interactive: false,
    });
    expect(code).toBe(0);
    expect(JSON.parse(out.join(''))).toMatchObject({ checked: 1, succeeded: 1 });
    expect(await moneyOf(t, a.accountId)).toMatchObject({ payments: 1, credited: 1_000 });
    const bad = await runCli(['card-payments', 'reconcile', '--older-than-minutes', 'x'], {
      app: async () => w.ctx,
      out: () => {},
      err: () => {},
      interactive: false,
    });
    expect(bad).toBe(2);
  });
});

describe('npm start configuration: the sandbox mounted in abonent at /sandbox-pay', () => {
  it('takes a card payment end to end on one server', async () => {
    const w = await world({ mounted: true });
    const a = await addAccount(t.db);
    const start = await startPayment(w, a.number, { amountKopecks: 250_000 });
    expect(start.status).toBe(201);
    expect(start.body.confirmationUrl).toMatch(new RegExp(`^${w.abonentUrl}/sandbox-pay/checkout/`));
    const paid = await payOnPage(start.body.confirmationUrl, CARDS.ok);
    expect(paid).toMatchObject({ status: 303, location: `${w.abonentUrl}/pay/card/${start.body.id}` });
    await waitFor('credited', async () =>
      (await cardPaymentOf(w, start.body.id)).body.status === 'succeeded' ? true : undefined,
    );
    expect(await moneyOf(t, a.accountId)).toMatchObject({ payments: 1, credited: 250_000 });
    expect(await (await fetch(`${w.abonentUrl}/sandbox-pay/`)).text()).toContain('4111 1111 1111 1111');
    const doc = (await (await fetch(`${w.abonentUrl}/docs/json`)).json()) as {
      paths: Record<string, unknown>;
    };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/accounts/{number}/card-payments',
        '/api/v1/payment-providers/sandbox/webhook',
      ]),
    );
    expect(Object.keys(doc.paths).some((p) => p.startsWith('/sandbox-pay'))).toBe(false);
  });
});
