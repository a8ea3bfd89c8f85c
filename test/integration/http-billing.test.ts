/** The billing API: close, start a run and poll its progress, list and read bills as JSON and PDF. */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpApp } from '../../src/platform/http.ts';
import { buildServer } from '../../src/server.ts';
import { addNorms, addTariffs, reading } from '../support/billing.ts';
import { testAppContext } from '../support/cli.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { addAccount } from '../support/fixtures.ts';

describe('billing over HTTP', () => {
  let t: TestDatabase;
  let app: HttpApp;
  const key = 'test-operator-key';
  const call = async (method: 'GET' | 'POST', url: string, payload?: object) => {
    const r = await app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${key}` },
      ...(payload ? { payload } : {}),
    });
    return r;
  };

  beforeAll(async () => {
    t = await createTestDatabase();
    await addTariffs(t.db);
    await addNorms(t.db);
    await addAccount(t.db, { number: '7000000001', zones: 2 });
    await addAccount(t.db, { number: '7000000002' });
    await reading(t.db, '7000000001', [150, 100], '2026-10-22T09:00:00+03:00');
    const ctx = testAppContext(t, '2026-11-22T10:00:00Z');
    ctx.config = { ...ctx.config, operatorApiKey: key };
    app = await buildServer(ctx);
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await t?.drop();
  });

  it('refuses a period that is not closed, with a reason code, and starts nothing', async () => {
    const r = await call('POST', '/api/v1/billing/runs', { period: '2026-10', region: 'moscow' });
    expect(r.statusCode).toBe(422);
    expect(r.json().error.code).toBe('PERIOD_NOT_CLOSED');
    const bad = await call('POST', '/api/v1/billing/runs', { period: '2026-13' });
    expect(bad.statusCode).toBe(400);
  });

  it('closes the period, runs the billing in the background and reports its progress', async () => {
    const closed = await call('POST', '/api/v1/billing/periods/close', {
      period: '2026-10',
      region: 'moscow',
    });
    expect(closed.statusCode).toBe(200);
    const started = await call('POST', '/api/v1/billing/runs', {
      period: '2026-10',
      region: 'moscow',
      issue: true,
    });
    expect(started.statusCode).toBe(202);
    const href = started.json().runs[0].href as string;
    let state = '';
    for (let i = 0; i < 200 && state !== 'issued'; i++) {
      const p = await call('GET', href);
      expect(p.statusCode).toBe(200);
      state = p.json().state;
      if (state === 'issued')
        expect(p.json()).toMatchObject({ percent: 100, counts: { accounts: 2, issued: 2 } });
      else await sleep(50);
    }
    expect(state).toBe('issued');
  });

  it('lists bills and serves one as JSON with explained lines, and as a PDF', async () => {
    const list = await call('GET', '/api/v1/bills?period=2026-10&status=issued');
    expect(list.json().bills.map((b: { accountNumber: string }) => b.accountNumber)).toEqual([
      '7000000001',
      '7000000002',
    ]);
    const one = await call('GET', '/api/v1/accounts/7000000001/bills/2026-10');
    expect(one.statusCode).toBe(200);
    const bill = one.json();
    expect(bill).toMatchObject({ number: '202610-7000000001', version: 1, status: 'issued' });
    expect(
      bill.document.lines.map((l: { zone: string; amountKopecks: number }) => [l.zone, l.amountKopecks]),
    ).toEqual([
      ['day', 141_750],
      ['night', 40_800],
    ]);
    expect(bill.document.lines[0]).toMatchObject({ rule: 'READING', source: 'actual', periods: ['2026-10'] });
    expect(bill.document.qr).toMatch(/^ST00012\|Name=АО «Энергосбыт»\|/);
    const pdf = await call('GET', '/api/v1/accounts/7000000001/bills/2026-10/pdf');
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const missing = await call('GET', '/api/v1/accounts/7000000001/bills/2026-09');
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('BILL_NOT_FOUND');
  });
});
