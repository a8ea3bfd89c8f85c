/**
 * "Every accepted payment survives a crash": the server (`src/main.ts`, a real process on a real port)
 * takes 1,000 payments from 20 clients at once and is killed with SIGKILL in the middle. After a restart
 * every payment is retried with its id: the ones answered before the kill get their first answer back,
 * the others are taken now, nothing is credited twice, and `ledger check` is clean.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/platform/free-port.ts';
import { runTestCli } from '../support/cli.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { addAccount } from '../support/fixtures.ts';

const KEY = 'kill-test-operator-key';
const N = 1000;

describe('payments survive kill -9 of the server', () => {
  let t: TestDatabase;
  let port: number;
  const children: ChildProcess[] = [];
  const numbers: string[] = [];

  function startServer(): Promise<ChildProcess> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: {
        ...process.env,
        DATABASE_URL: t.url,
        PORT: String(port),
        HOST: '127.0.0.1',
        ABONENT_API_KEY: KEY,
        ABONENT_DEMO_ACCOUNTS: '0',
        CARD_RECONCILE_SECONDS: '0',
        ABONENT_CLOCK: '2026-11-20T10:00:00Z',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    return new Promise((resolve, reject) => {
      let out = '';
      const onData = (b: Buffer) => {
        out += b.toString();
        if (out.includes('Ctrl-C')) resolve(child);
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      child.on('exit', (code, signal) => reject(new Error(`server exited ${code ?? signal}:\n${out}`)));
    });
  }

  const pay = async (i: number) => {
    const r = await fetch(`http://127.0.0.1:${port}/api/v1/payments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
      body: JSON.stringify({
        channel: 'cash_desk',
        externalId: `KILL-${i}`,
        account: numbers[i % numbers.length],
        amountKopecks: 10_000 + i,
        paidAt: '2026-11-20T09:00:00Z',
      }),
    });
    return { status: r.status, body: (await r.json()) as { paymentId?: number; duplicate?: boolean } };
  };

  beforeAll(async () => {
    t = await createTestDatabase();
    port = await freePort();
    for (let i = 0; i < 20; i++) numbers.push((await addAccount(t.db)).number);
  }, 60_000);
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await t?.drop();
  });

  it('kill in the middle, restart, retry all: each payment credited exactly once, the ledger checks clean', async () => {
    const server = await startServer();
    const answered = new Map<number, number>();
    let next = 0;
    let killed = false;
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        while (next < N) {
          const i = next++;
          try {
            const r = await pay(i);
            if (r.status === 201 && r.body.paymentId) answered.set(i, r.body.paymentId);
          } catch {
            // The connection died with the server: the client does not know whether it was taken.
          }
          if (!killed && answered.size >= 300) {
            killed = true;
            server.kill('SIGKILL');
          }
        }
      }),
    );
    expect(killed).toBe(true);
    expect(answered.size).toBeGreaterThanOrEqual(300);
    expect(answered.size).toBeLessThan(N);

    await startServer();
    for (let i = 0; i < N; i += 50) {
      const batch = await Promise.all(Array.from({ length: Math.min(50, N - i) }, (_, k) => pay(i + k)));
      batch.forEach((r, k) => {
        const first = answered.get(i + k);
        expect([200, 201]).toContain(r.status);
        // What was answered before the kill is answered the same now (and not taken again).
        if (first !== undefined) expect(r.body).toMatchObject({ paymentId: first, duplicate: true });
      });
    }
    const counts = await sql<{ n: number; total: number }>`
      SELECT count(*)::int AS n, sum(amount_kopecks)::bigint AS total FROM payment`.execute(t.db);
    expect(counts.rows[0]).toEqual({ n: N, total: N * 10_000 + (N * (N - 1)) / 2 });
    const balances = await sql<{
      total: number;
    }>`SELECT sum(receivable_kopecks)::bigint AS total FROM ledger_balance`.execute(t.db);
    expect(balances.rows[0]!.total).toBe(-(N * 10_000 + (N * (N - 1)) / 2));
    const check = await runTestCli(t, ['ledger', 'check']);
    expect(check.code, check.out).toBe(0);
  }, 180_000);
});
