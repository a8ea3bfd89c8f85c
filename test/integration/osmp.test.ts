/**
 * The OSMP provider protocol for payment terminals and agents (domain.md §9, §14; docs/formats.md "OSMP")
 * over real HTTP on a real PostgreSQL: check, pay, idempotency by txn_id, result codes, readings with the
 * payment, credentials and networks, and the database going away in the middle.
 */

import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { saveAgent } from '../../src/channels/osmp/index.ts';
import { maskName } from '../../src/channels/osmp/osmp.service.ts';
import type { HttpApp } from '../../src/platform/http.ts';
import { buildServer } from '../../src/server.ts';
import { testAppContext } from '../support/cli.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { addAccount, countRows } from '../support/fixtures.ts';

const agent = { login: 'qiwi-terminals', password: 'very-secret-terminal-password' };
const basic = (login: string, password: string) =>
  `Basic ${Buffer.from(`${login}:${password}`).toString('base64')}`;

describe('OSMP check/pay', () => {
  let t: TestDatabase;
  let app: HttpApp;
  let base: string;
  let account: string;
  let closed: string;

  const call = async (params: Record<string, string>, o: { auth?: string; method?: 'GET' | 'POST' } = {}) => {
    const q = new URLSearchParams(params).toString();
    const headers = { authorization: o.auth ?? basic(agent.login, agent.password) };
    const r =
      o.method === 'POST'
        ? await fetch(`${base}/osmp`, {
            method: 'POST',
            headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
            body: q,
          })
        : await fetch(`${base}/osmp?${q}`, { headers });
    return { status: r.status, type: r.headers.get('content-type'), body: await r.text() };
  };
  const result = (xml: string) => Number(/<result>(\d+)<\/result>/.exec(xml)?.[1]);
  const pay = (txn: string, sum: string, extra: Record<string, string> = {}) =>
    call({ command: 'pay', txn_id: txn, account, sum, txn_date: '20261120093000', ...extra });
  const balance = async () =>
    (
      await sql<{
        r: number;
      }>`SELECT b.receivable_kopecks AS r FROM ledger_balance b JOIN account a ON a.id = b.account_id
        WHERE a.number = ${account}`.execute(t.db)
    ).rows[0]?.r ?? 0;

  beforeAll(async () => {
    t = await createTestDatabase();
    account = (await addAccount(t.db)).number;
    closed = (await addAccount(t.db, { status: 'closed' })).number;
    await saveAgent(t.db, {
      code: 'QIWI',
      name: 'QIWI terminals',
      ...agent,
      allowedIps: ['127.0.0.1/32', '::1/128'],
    });
    await saveAgent(t.db, {
      code: 'FAR',
      name: 'Far away agent',
      login: 'far',
      password: 'far-away-agent-password',
      allowedIps: ['203.0.113.0/24'],
    });
    app = await buildServer(testAppContext(t, '2026-11-20T07:00:00Z'));
    await app.listen({ host: '127.0.0.1', port: 0 });
    const a = app.server.address();
    base = `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;
  });
  afterAll(async () => {
    await app?.close();
    await t?.drop();
  });

  it('check: the account exists, with a masked name; unknown and malformed accounts get 5 and 4', async () => {
    const ok = await call({ command: 'check', txn_id: '1001', account, sum: '1500.00' });
    expect(ok.status).toBe(200);
    expect(ok.type).toContain('text/xml');
    expect(result(ok.body)).toBe(0);
    expect(ok.body).toContain('<osmp_txn_id>1001</osmp_txn_id>');
    expect(ok.body).toContain('<field1 name="fio">И***в И. И.</field1>');
    expect(ok.body).not.toContain('Иванов');
    expect(
      result((await call({ command: 'check', txn_id: '1002', account: '9999999999', sum: '10.00' })).body),
    ).toBe(5);
    expect(
      result((await call({ command: 'check', txn_id: '1003', account: '12ab', sum: '10.00' })).body),
    ).toBe(4);
    expect(
      result((await call({ command: 'check', txn_id: '1004', account: closed, sum: '10.00' })).body),
    ).toBe(79);
    expect(result((await call({ command: 'check', txn_id: '1005', account, sum: '0.50' })).body)).toBe(241);
    expect(result((await call({ command: 'check', txn_id: '1006', account, sum: '2000000.00' })).body)).toBe(
      242,
    );
    expect(await countRows(t.db, 'payment')).toBe(0);
  });

  it('pay repeated 3× in sequence and 10× at once with one txn_id: one payment, identical answers', async () => {
    const first = await pay('2001', '1234.56');
    expect(result(first.body)).toBe(0);
    expect(first.body).toMatch(/<prv_txn>\d+<\/prv_txn><sum>1234.56<\/sum>/);
    for (let i = 0; i < 3; i++) expect((await pay('2001', '1234.56')).body).toBe(first.body);
    const burst = await Promise.all(Array.from({ length: 10 }, () => pay('2002', '100.00')));
    expect(new Set(burst.map((b) => b.body)).size).toBe(1);
    expect(result(burst[0]!.body)).toBe(0);
    expect(await countRows(t.db, 'payment')).toBe(2);
    expect(await balance()).toBe(-(123_456 + 10_000));
  });

  it('the same txn_id with another sum is refused with 7 and credits nothing', async () => {
    const before = await balance();
    const r = await pay('2001', '999.00');
    expect(result(r.body)).toBe(7);
    expect(await balance()).toBe(before);
    expect(await countRows(t.db, 'payment')).toBe(2);
  });

  it('refuses bad sums and malformed requests with a code, writing nothing', async () => {
    const before = await countRows(t.db, 'payment');
    const cases: [Record<string, string>, number][] = [
      [{ command: 'pay', txn_id: '3001', account, sum: '0.00', txn_date: '20261120093000' }, 241],
      [{ command: 'pay', txn_id: '3002', account, sum: '-5.00', txn_date: '20261120093000' }, 300],
      [{ command: 'pay', txn_id: '3003', account, sum: '1000001.00', txn_date: '20261120093000' }, 242],
      [{ command: 'pay', txn_id: '3004', account, sum: '1,5.00', txn_date: '20261120093000' }, 300],
      [{ command: 'pay', txn_id: '3005', account, sum: '10.00', txn_date: '20261320093000' }, 300],
      [{ command: 'pay', txn_id: '3006', account, sum: '10.00' }, 300],
      [{ command: 'pay', account, sum: '10.00', txn_date: '20261120093000' }, 300],
      [{ command: 'pay', txn_id: 'abc', account, sum: '10.00', txn_date: '20261120093000' }, 300],
      [{ command: 'refund', txn_id: '3007', account, sum: '10.00' }, 300],
      [
        {
          command: 'pay',
          txn_id: '3008',
          account: 'x'.repeat(5000),
          sum: '10.00',
          txn_date: '20261120093000',
        },
        300,
      ],
      [
        { command: 'pay', txn_id: '3009', account: '9999999999', sum: '10.00', txn_date: '20261120093000' },
        5,
      ],
      [{ command: 'pay', txn_id: '3010', account: closed, sum: '10.00', txn_date: '20261120093000' }, 79],
    ];
    for (const [params, code] of cases) {
      const r = await call(params);
      expect(r.status, JSON.stringify(params)).toBe(200);
      expect(result(r.body), JSON.stringify(params)).toBe(code);
    }
    const dup = await fetch(`${base}/osmp?command=pay&txn_id=3011&txn_id=3012&account=${account}&sum=1.00`, {
      headers: { authorization: basic(agent.login, agent.password) },
    });
    expect(result(await dup.text())).toBe(300);
    expect(await countRows(t.db, 'payment')).toBe(before);
  });

  it('takes POST form bodies as well as GET', async () => {
    const r = await call(
      { command: 'pay', txn_id: '4001', account, sum: '50.00', txn_date: '20261120093000' },
      { method: 'POST' },
    );
    expect(result(r.body)).toBe(0);
  });

  it('hands readings typed with the payment to the intake; a refused reading does not block the payment', async () => {
    // 20.11 is inside the Moscow window (15–26): the reading counts for November.
    const ok = await pay('5001', '200.00', { t1: '15' });
    expect(result(ok.body)).toBe(0);
    expect(ok.body).toMatch(/<comment>Платёж принят\. Показания 15 приняты за ноябрь 2026/);
    const readings = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM reading WHERE channel = 'terminal'`.execute(t.db);
    expect(readings.rows[0]!.n).toBe(1);
    // Longer than the 5-digit register: the intake refuses it, the payment still goes through.
    const bad = await pay('5002', '200.00', { t1: '123456' });
    expect(result(bad.body)).toBe(0);
    expect(bad.body).toMatch(/<comment>Платёж принят\. Показания не приняты\. .*длиннее/);
    expect(await countRows(t.db, 'payment')).toBeGreaterThanOrEqual(5);
    // Bad reading format is a malformed request.
    expect(result((await pay('5003', '200.00', { t1: 'twelve' })).body)).toBe(300);
  });

  it('needs the agent’s credentials (401) from its own networks (403)', async () => {
    const wrong = await call(
      { command: 'check', txn_id: '6001', account },
      { auth: basic(agent.login, 'wrong-password-xx') },
    );
    expect(wrong.status).toBe(401);
    const none = await fetch(`${base}/osmp?command=check&txn_id=6002&account=${account}`);
    expect(none.status).toBe(401);
    const far = await call(
      { command: 'check', txn_id: '6003', account },
      { auth: basic('far', 'far-away-agent-password') },
    );
    expect(far.status).toBe(403);
  });

  it('the database going away during pay answers 1; the retry with the same txn_id credits once', async () => {
    const admin = new pg.Client({ connectionString: inject('pgAdminUrl') });
    await admin.connect();
    const before = await balance();
    try {
      await admin.query(`ALTER DATABASE ${t.name} ALLOW_CONNECTIONS false`);
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [
        t.name,
      ]);
      // Termination is asynchronous: wait until no session of the database is left.
      for (let i = 0; i < 100; i++) {
        const left = await admin.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [
          t.name,
        ]);
        if (left.rows[0].n === 0) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      const r = await pay('7001', '300.00');
      expect(r.status).toBe(200);
      expect(result(r.body)).toBe(1);
    } finally {
      await admin.query(`ALTER DATABASE ${t.name} ALLOW_CONNECTIONS true`);
      await admin.end();
    }
    const again = await pay('7001', '300.00');
    expect(result(again.body)).toBe(0);
    expect(await pay('7001', '300.00').then((x) => x.body)).toBe(again.body);
    expect(await balance()).toBe(before - 30_000);
  });

  it('masks names for the terminal screen', () => {
    expect(maskName('Петрова Анна Сергеевна')).toBe('П***а А. С.');
    expect(maskName('Ли')).toBe('Л*');
  });
});
