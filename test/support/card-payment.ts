import { sql } from 'kysely';
import { type CardDeps, cardDepsFrom } from '../../src/channels/card/index.ts';
import type { AppContext } from '../../src/platform/app.ts';
import { loadConfig } from '../../src/platform/config.ts';
import { freePort } from '../../src/platform/free-port.ts';
import type { HttpApp } from '../../src/platform/http.ts';
import { createOperatorKey } from '../../src/platform/operator-auth.ts';
import { type SandboxPay, startSandboxPay } from '../../src/sandbox-pay/index.ts';
import { buildServer } from '../../src/server.ts';
import { testAppContext } from './cli.ts';
import type { TestDatabase } from './db.ts';
import { SHOP, type TestClock, testClock } from './sandbox-browser.ts';

export * from './sandbox-browser.ts';

/** Card-payment tests: the sandbox provider and abonent each on a real loopback port, sharing a test clock. */

export interface CardWorld {
  clock: TestClock;
  sandbox: SandboxPay;
  sandboxUrl: string;
  abonentUrl: string;
  app: HttpApp;
  /** The server's context and the card use cases over it (for reconciliation and the CLI). */
  ctx: AppContext;
  deps: CardDeps;
  key: string;
  stopSandbox(): Promise<void>;
  close(): Promise<void>;
}

export async function startCardWorld(
  t: TestDatabase,
  o: {
    clock?: TestClock;
    /** Where the sandbox sends notifications; default abonent's webhook. */
    webhookUrl?: (abonentUrl: string) => string;
    sandboxPort?: number;
    /** Mount the bundled sandbox in abonent's own server instead (the `npm start` configuration). */
    mounted?: boolean;
    retryDelaysMs?: number[];
  } = {},
): Promise<CardWorld> {
  const clock = o.clock ?? testClock('2026-11-20T10:00:00Z');
  const port = await freePort();
  const abonentUrl = `http://127.0.0.1:${port}`;
  const webhookUrl = o.webhookUrl?.(abonentUrl) ?? `${abonentUrl}/api/v1/payment-providers/sandbox/webhook`;
  const sb = o.mounted
    ? undefined
    : await startSandboxPay({
        port: o.sandboxPort ?? 0,
        clock,
        shops: [{ ...SHOP, webhookUrl, name: 'АО «Тестэнергосбыт»' }],
        retryDelaysMs: o.retryDelaysMs ?? [50, 100, 200],
        confirmationTtlSeconds: 900,
      });
  const config = loadConfig({
    PORT: String(port),
    HOST: '127.0.0.1',
    ABONENT_PUBLIC_URL: abonentUrl,
    PAYMENT_PROVIDER_URL: sb?.url,
    PAYMENT_SHOP_ID: SHOP.shopId,
    PAYMENT_SECRET_KEY: SHOP.secretKey,
    PAYMENT_WEBHOOK_SECRET: SHOP.webhookSecret,
    CARD_RECONCILE_SECONDS: '0',
  });
  const ctx: AppContext = { ...testAppContext(t, clock.now().toISOString()), config, clock };
  const app = await buildServer(ctx);
  await app.listen({ host: '127.0.0.1', port });
  const key = await createOperatorKey(t.db, `card test ${port}`);
  let sandboxUp = true;
  return {
    clock,
    sandbox: sb?.sandbox as SandboxPay,
    sandboxUrl: sb?.url ?? `${abonentUrl}/sandbox-pay`,
    abonentUrl,
    app,
    ctx,
    deps: cardDepsFrom(ctx),
    key,
    async stopSandbox() {
      if (sandboxUp) await sb?.close();
      sandboxUp = false;
    },
    async close() {
      await app.close();
      if (sandboxUp) await sb?.close();
    },
  };
}

let keys = 0;

/** POST /api/v1/accounts/:number/card-payments as the operator API client. */
// biome-ignore lint/suspicious/noExplicitAny: JSON answers, checked field by field in the tests
type Json = Record<string, any>;

export async function startPayment(
  w: CardWorld,
  account: string,
  body: Record<string, unknown>,
  idempotencyKey: string | null = `key-${process.pid}-${++keys}`,
) {
  const res = await fetch(`${w.abonentUrl}/api/v1/accounts/${account}/card-payments`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${w.key}`,
      'content-type': 'application/json',
      ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
    },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Json };
}

export async function cardPaymentOf(w: CardWorld, id: string) {
  const res = await fetch(`${w.abonentUrl}/api/v1/card-payments/${id}`, {
    headers: { authorization: `Bearer ${w.key}` },
  });
  return { status: res.status, body: (await res.json()) as Json };
}

/** What abonent's books say about an account: card payments credited and the receivable balance. */
export async function moneyOf(t: TestDatabase, accountId: number) {
  const r = await sql<{ payments: number; credited: number; receivable: number }>`
    SELECT (SELECT count(*)::int FROM payment WHERE account_id = ${accountId} AND channel = 'card') AS payments,
           (SELECT coalesce(sum(amount_kopecks), 0)::bigint FROM payment WHERE account_id = ${accountId} AND channel = 'card') AS credited,
           (SELECT coalesce(sum(amount_kopecks), 0)::bigint FROM ledger_entry WHERE account_id = ${accountId}) AS receivable`.execute(
    t.db,
  );
  return r.rows[0]!;
}
