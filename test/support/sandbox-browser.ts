import type { Clock } from '../../src/platform/clock.ts';

/** The payer's side of card-payment tests: a shared test clock and a browser played with fetch. */

export const SHOP = { shopId: 'test-shop', secretKey: 'test_secret_key', webhookSecret: 'whsec_test' };
export const CARDS = {
  ok: '4111 1111 1111 1111',
  insufficientFunds: '4000 0000 0000 0002',
  timeout: '4000 0000 0000 0119',
};

export interface TestClock extends Clock {
  advance(ms: number): void;
}

export function testClock(start: string): TestClock {
  let t = new Date(start).getTime();
  return {
    now: () => new Date(t),
    advance: (ms) => {
      t += ms;
    },
  };
}

/** The payer's browser on the provider's page: opens it, submits the card form, gets the redirect. */
export async function payOnPage(confirmationUrl: string, card: string, expiry = '12/30') {
  const page = await fetch(confirmationUrl);
  const html = await page.text();
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1]?.replace(/&#38;/g, '&');
  if (!action) throw new Error(`no card form on the page (${page.status}): ${html.slice(0, 300)}`);
  const res = await fetch(action, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ card_number: card, expiry, cvc: '123', holder: 'IVAN PETROV' }).toString(),
  });
  await res.arrayBuffer();
  return { pageStatus: page.status, html, status: res.status, location: res.headers.get('location') };
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, ms = 5000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
