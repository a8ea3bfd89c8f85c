/**
 * The OSMP endpoint through Fastify's inject on a real PostgreSQL (domain.md §4, §9, §14; docs/formats.md
 * "OSMP"): readings with the payment inside and outside the window, repeats with readings, agents' own
 * transaction-id spaces, networks by the peer address, agents managed by the CLI, fastify's own refusals as
 * protocol answers, and a server whose database is unreachable (a closed port) answering 1 without losing
 * the payment.
 */

import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/platform/app.ts';
import { openDatabase } from '../../src/platform/database.ts';
import { freePort } from '../../src/platform/free-port.ts';
import type { HttpApp } from '../../src/platform/http.ts';
import { buildServer } from '../../src/server.ts';
import { runTestCli, testAppContext } from '../support/cli.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { addAccount, countRows } from '../support/fixtures.ts';

const NOW = '2026-11-20T07:00:00Z'; // 10:00 in Moscow, inside the readings window (15–26)
const TERM = { login: 'term-net', password: 'terminal-network-password' };
const BANK = { login: 'agent-bank', password: 'agent-bank-password-1' };
const basic = (a: { login: string; password: string }) =>
  `Basic ${Buffer.from(`${a.login}:${a.password}`).toString('base64')}`;
const result = (xml: string) => Number(/<result>(\d+)<\/result>/.exec(xml)?.[1]);

describe('OSMP through inject', () => {
  let t: TestDatabase;
  let app: HttpApp;
  let account: string;

  const osmp = async (
    params: Record<string, string>,
    o: { who?: { login: string; password: string }; ip?: string; server?: HttpApp } = {},
  ) => {
    const r = await (o.server ?? app).inject({
      method: 'GET',
      url: `/osmp?${new URLSearchParams(params)}`,
      headers: { authorization: basic(o.who ?? TERM) },
      remoteAddress: o.ip ?? '127.0.0.1',
    });
    return { status: r.statusCode, type: String(r.headers['content-type']), body: r.body };
  };
  const pay = (txn: string, sum: string, extra: Record<string, string> = {}, o = {}) =>
    osmp({ command: 'pay', txn_id: txn, account, sum, txn_date: '20261120093000', ...extra }, o);
  const balance = async () =>
    (
      await sql<{ r: number }>`SELECT b.receivable_kopecks AS r FROM ledger_balance b
        JOIN account a ON a.id = b.account_id WHERE a.number = ${account}`.execute(t.db)
    ).rows[0]?.r ?? 0;
  const terminalReadings = async () =>
    (
      await sql<{ status: string; externalId: string }>`SELECT status, external_id AS "externalId"
        FROM reading WHERE channel = 'terminal' ORDER BY id`.execute(t.db)
    ).rows;

  beforeAll(async () => {
    t = await createTestDatabase();
    account = (await addAccount(t.db)).number;
    // The agents are added the way an operator adds them: the CLI, the password from the environment.
    process.env.OSMP_TEST_TERM_PASSWORD = TERM.password;
    process.env.OSMP_TEST_BANK_PASSWORD = BANK.password;
    const term = await runTestCli(t, [
      'payment-agent',
      'add',
      '--code',
      'TERM',
      '--name',
      'Терминалы',
      '--login',
      TERM.login,
      '--password-env',
      'OSMP_TEST_TERM_PASSWORD',
      '--allow',
      '127.0.0.1/32,2001:db8::/32',
    ]);
    expect(term.code, term.err).toBe(0);
    const bank = await runTestCli(t, [
      'payment-agents',
      'add',
      '--code',
      'BANK',
      '--name',
      'Банк-агент',
      '--login',
      BANK.login,
      '--password-env',
      'OSMP_TEST_BANK_PASSWORD',
      '--allow',
      '127.0.0.0/8',
    ]);
    expect(bank.code, bank.err).toBe(0);
    app = await buildServer(testAppContext(t, NOW));
  });
  afterAll(async () => {
    delete process.env.OSMP_TEST_TERM_PASSWORD;
    delete process.env.OSMP_TEST_BANK_PASSWORD;
    await app?.close();
    await t?.drop();
  });

  it('the CLI lists agents without their password hashes and refuses a short password', async () => {
    const list = await runTestCli(t, ['payment-agents', 'list', '--json']);
    expect(list.code).toBe(0);
    const agents = JSON.parse(list.out) as Record<string, unknown>[];
    expect(agents.map((a) => [a.code, a.allowedIps, a.active])).toEqual([
      ['BANK', ['127.0.0.0/8'], true],
      ['TERM', ['127.0.0.1/32', '2001:db8::/32'], true],
    ]);
    expect(list.out).not.toContain('scrypt');
    const stored = await sql<{ h: string }>`SELECT password_hash AS h FROM payment_agent`.execute(t.db);
    for (const r of stored.rows) {
      expect(r.h).toMatch(/^scrypt\$[0-9a-f]{32}\$[0-9a-f]{64}$/);
      expect(r.h).not.toContain(TERM.password);
    }
    process.env.OSMP_TEST_SHORT = 'short';
    const weak = await runTestCli(t, [
      'payment-agents',
      'add',
      '--code',
      'X',
      '--name',
      'x',
      '--login',
      'x',
      '--password-env',
      'OSMP_TEST_SHORT',
      '--allow',
      '127.0.0.1/32',
    ]);
    delete process.env.OSMP_TEST_SHORT;
    expect(weak.code).toBe(2);
    expect(await countRows(t.db, 'payment_agent')).toBe(2);
  });

  it('a reading inside the window reaches the intake; a repeat of that pay answers byte for byte the same', async () => {
    const first = await pay('100', '250.00', { t1: '42' });
    expect(first.status).toBe(200);
    expect(first.type).toBe('text/xml; charset=utf-8');
    expect(result(first.body)).toBe(0);
    expect(first.body).toContain('<sum>250.00</sum>');
    expect(first.body).toMatch(/<comment>Платёж принят\. Показания 42 приняты за ноябрь 2026/);
    for (let i = 0; i < 3; i++) expect((await pay('100', '250.00', { t1: '42' })).body).toBe(first.body);
    expect(await terminalReadings()).toEqual([{ status: 'accepted', externalId: 'osmp:TERM:100' }]);
    const values = await sql<{
      v: number[];
    }>`SELECT values_wh AS v FROM reading WHERE channel = 'terminal'`.execute(t.db);
    expect(values.rows[0]!.v).toEqual([42_000]);
    expect(await countRows(t.db, 'payment')).toBe(1);
  });

  it('10 concurrent deliveries of one pay with a reading: one payment, one reading, one answer', async () => {
    const payments = await countRows(t.db, 'payment');
    const answers = await Promise.all(Array.from({ length: 10 }, () => pay('110', '40.00', { t1: '47' })));
    expect(new Set(answers.map((a) => a.body)).size).toBe(1);
    expect(result(answers[0]!.body)).toBe(0);
    expect(answers[0]!.body).toContain('Показания 47 приняты');
    expect(await countRows(t.db, 'payment')).toBe(payments + 1);
    const rows = (await terminalReadings()).filter((r) => r.externalId === 'osmp:TERM:110');
    expect(rows).toEqual([{ status: 'accepted', externalId: 'osmp:TERM:110' }]);
  });

  it('a reading taken outside the window is refused in the comment and the payment still goes through', async () => {
    const before = await balance();
    // The terminal's time is 5 November, 12:00 in Moscow (the payment arrives late): outside 15–26.
    const late = await osmp({
      command: 'pay',
      txn_id: '102',
      account,
      sum: '300.00',
      txn_date: '20261105120000',
      t1: '55',
    });
    expect(late.status).toBe(200);
    expect(result(late.body)).toBe(0);
    expect(late.body).toMatch(/<prv_txn>\d+<\/prv_txn><sum>300.00<\/sum>/);
    expect(late.body).toContain(
      '<comment>Платёж принят. Показания не приняты. Показания через этот канал принимаются с 15 по 26 число',
    );
    const rows = await terminalReadings();
    expect(rows.find((x) => x.externalId === 'osmp:TERM:102')?.status ?? 'none').not.toBe('accepted');
    expect(await balance()).toBe(before - 30_000);
    const paidOn = await sql<{
      d: string;
    }>`SELECT paid_on::text AS d FROM payment WHERE external_id = 'TERM:102'`.execute(t.db);
    expect(paidOn.rows[0]!.d).toBe('2026-11-05');
  });

  it('each agent has its own txn_id space, and its code goes with the payment', async () => {
    const a = await pay('900', '10.00');
    const b = await pay('900', '20.00', {}, { who: BANK });
    expect([result(a.body), result(b.body)]).toEqual([0, 0]);
    const rows = await sql<{ externalId: string; agentCode: string; amount: number }>`
      SELECT external_id AS "externalId", agent_code AS "agentCode", amount_kopecks AS amount
      FROM payment WHERE external_id LIKE '%:900' ORDER BY external_id`.execute(t.db);
    expect(rows.rows).toEqual([
      { externalId: 'BANK:900', agentCode: 'BANK', amount: 2000 },
      { externalId: 'TERM:900', agentCode: 'TERM', amount: 1000 },
    ]);
  });

  it('judges the network by the peer address: IPv4, IPv4-mapped IPv6 and IPv6 networks', async () => {
    const check = { command: 'check', txn_id: '200', account };
    expect((await osmp(check, { ip: '::ffff:127.0.0.1' })).status).toBe(200);
    expect((await osmp(check, { ip: '2001:db8::17' })).status).toBe(200);
    expect((await osmp(check, { ip: '198.51.100.7' })).status).toBe(403);
    expect((await osmp(check, { ip: '2001:db9::1' })).status).toBe(403);
    // BANK allows all of 127/8, TERM only 127.0.0.1.
    expect((await osmp(check, { ip: '127.0.0.2', who: BANK })).status).toBe(200);
    expect((await osmp(check, { ip: '127.0.0.2' })).status).toBe(403);
    const forbidden = await osmp(check, { ip: '198.51.100.7' });
    expect(forbidden.body).not.toContain('<result>');
  });

  it('a disabled agent is refused with 401; enabled again it pays', async () => {
    expect((await runTestCli(t, ['payment-agents', 'disable', '--code', 'BANK'])).code).toBe(0);
    // A fresh server: credentials verified before are remembered up to a minute by a running one.
    const fresh = await buildServer(testAppContext(t, NOW));
    const payments = await countRows(t.db, 'payment');
    try {
      const r = await pay('300', '10.00', {}, { who: BANK, server: fresh });
      expect(r.status).toBe(401);
      const unknown = await pay('301', '10.00', {}, { who: { login: 'nobody', password: BANK.password } });
      expect(unknown.status).toBe(401);
      expect(unknown.body).not.toContain('<result>');
      expect(await countRows(t.db, 'payment')).toBe(payments);
      expect((await runTestCli(t, ['payment-agents', 'enable', '--code', 'BANK'])).code).toBe(0);
      expect(result((await pay('300', '10.00', {}, { who: BANK, server: fresh })).body)).toBe(0);
      expect((await runTestCli(t, ['payment-agents', 'disable', '--code', 'NOPE'])).code).toBe(2);
    } finally {
      await fresh.close();
    }
  });

  it('fastify’s own refusals are protocol answers: a huge form body, JSON, an unknown content type → 300', async () => {
    const before = await countRows(t.db, 'payment');
    const huge = await app.inject({
      method: 'POST',
      url: '/osmp?txn_id=400',
      headers: { authorization: basic(TERM), 'content-type': 'application/x-www-form-urlencoded' },
      remoteAddress: '127.0.0.1',
      payload: `command=pay&txn_id=400&account=${account}&sum=10.00&txn_date=20261120093000&t1=${'9'.repeat(40_000)}`,
    });
    expect(huge.statusCode).toBe(200);
    expect(huge.headers['content-type']).toBe('text/xml; charset=utf-8');
    expect(result(huge.body)).toBe(300);
    expect(huge.body).toContain('<osmp_txn_id>400</osmp_txn_id>');
    const json = await app.inject({
      method: 'POST',
      url: '/osmp',
      headers: { authorization: basic(TERM), 'content-type': 'application/json' },
      remoteAddress: '127.0.0.1',
      payload: JSON.stringify({ command: 'pay', txn_id: 401, account, sum: 10, txn_date: 20261120093000 }),
    });
    expect(result(json.body)).toBe(300);
    const brokenJson = await app.inject({
      method: 'POST',
      url: '/osmp',
      headers: { authorization: basic(TERM), 'content-type': 'application/json' },
      remoteAddress: '127.0.0.1',
      payload: '{"command":',
    });
    expect(brokenJson.statusCode).toBe(200);
    expect(result(brokenJson.body)).toBe(300);
    const multipart = await app.inject({
      method: 'POST',
      url: '/osmp',
      headers: { authorization: basic(TERM), 'content-type': 'multipart/form-data; boundary=x' },
      remoteAddress: '127.0.0.1',
      payload: '--x\r\nContent-Disposition: form-data; name="command"\r\n\r\npay\r\n--x--\r\n',
    });
    expect(multipart.statusCode).toBe(200);
    expect(result(multipart.body)).toBe(300);
    expect(await countRows(t.db, 'payment')).toBe(before);
  });

  it('check writes nothing: no payment, no reading, even with readings and a sum', async () => {
    const payments = await countRows(t.db, 'payment');
    const readings = await countRows(t.db, 'reading');
    const r = await osmp({ command: 'check', txn_id: '500', account, sum: '100.00', t1: '60' });
    expect(result(r.body)).toBe(0);
    expect(r.body).toMatch(/<field3 name="balance">-?\d+\.\d{2}<\/field3>/);
    expect(await countRows(t.db, 'payment')).toBe(payments);
    expect(await countRows(t.db, 'reading')).toBe(readings);
  });

  it('a server whose database is unreachable answers 1 to check and pay; the retry later credits once', async () => {
    const port = await freePort(); // nobody listens there: every connection is refused
    const down = openDatabase(`postgres://postgres@127.0.0.1:${port}/postgres`, 2);
    const ctx: AppContext = { ...testAppContext(t, NOW), database: down };
    const broken = await buildServer(ctx);
    const before = await balance();
    const payments = await countRows(t.db, 'payment');
    try {
      const c = await osmp({ command: 'check', txn_id: '600', account }, { server: broken });
      expect(c.status).toBe(200);
      expect(result(c.body)).toBe(1);
      expect(c.body).toContain('<osmp_txn_id>600</osmp_txn_id>');
      const p = await pay('601', '700.00', {}, { server: broken });
      expect(p.status).toBe(200);
      expect(p.type).toBe('text/xml; charset=utf-8');
      expect(result(p.body)).toBe(1);
      expect(p.body).toContain('<osmp_txn_id>601</osmp_txn_id>');
      expect(p.body).not.toContain('<prv_txn>');
    } finally {
      await broken.close();
      await down.close();
    }
    expect(await countRows(t.db, 'payment')).toBe(payments);
    // The terminal retries the same txn_id once the database is back (here: a server over the live one).
    const again = await pay('601', '700.00');
    expect(result(again.body)).toBe(0);
    expect((await pay('601', '700.00')).body).toBe(again.body);
    expect(await balance()).toBe(before - 70_000);
    expect(await countRows(t.db, 'payment')).toBe(payments + 1);
  });
});
