/** §11 debt, restriction, suspension, reconnection on a real PostgreSQL (domain.md E8, Decree 354 p.117–122). */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  accountDebt,
  completeFieldOrder,
  meterCommandExecuted,
  pendingDebtNotices,
  postCharge,
  recordNoticeDelivered,
  runDebtDay,
  signAgreement,
  submitPayment,
} from '../../src/ledger/index.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { invalidateParameterCache } from '../../src/registry/index.ts';
import { buildServer } from '../../src/server.ts';
import { addNorms, addTariffs } from '../support/billing.ts';
import { runTestCli, testAppContext } from '../support/cli.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { addAccount, countRows, type TestAccount } from '../support/fixtures.ts';

describe('§11 debt workflow', () => {
  let t: TestDatabase;
  const clock = fixedClock('2026-05-02T07:00:00Z');
  const deps = () => ({ db: t.db, clock });
  const run = (date: string) => runDebtDay(deps(), date);

  /** E8: 2 residents, 2 rooms, gas stove, 8.00 RUB/kWh; a charge for April 2026 due 15.05.2026. */
  async function debtor(kopecks = 250_000, o: { smart?: boolean } = {}): Promise<TestAccount> {
    const a = await addAccount(t.db);
    if (o.smart)
      await sql`UPDATE meter SET smart = true, head_end_id = ${`HE-${a.number}`} WHERE id = ${a.meterId}`.execute(
        t.db,
      );
    await postCharge(deps(), {
      account: a.number,
      amountKopecks: kopecks,
      key: `april-${a.number}`,
      memo: 'April 2026',
      by: 'test',
      period: '2026-04',
      dueDate: '2026-05-15',
      item: 'energy',
    });
    return a;
  }

  async function currentCase(accountId: number) {
    const r = await sql<{
      id: number;
      state: string;
      restrict_from: string | null;
      suspend_from: string | null;
      reconnect_by: string | null;
    }>`
      SELECT id, state, restrict_from, suspend_from, reconnect_by FROM debt_case
      WHERE account_id = ${accountId} ORDER BY id DESC LIMIT 1`.execute(t.db);
    return r.rows[0];
  }
  async function orders(caseId: number) {
    const r = await sql<{ id: number; kind: string; status: string; not_before: string; due_by: string }>`
      SELECT id, kind, status, not_before, due_by FROM field_order WHERE case_id = ${caseId} ORDER BY id`.execute(
      t.db,
    );
    return r.rows;
  }
  async function events(caseId: number) {
    const r = await sql<{ event: string; from_state: string | null; to_state: string; on_date: string }>`
      SELECT event, from_state, to_state, on_date FROM debt_case_event WHERE case_id = ${caseId} ORDER BY id`.execute(
      t.db,
    );
    return r.rows;
  }
  const snapshot = async () => ({
    cases: await countRows(t.db, 'debt_case'),
    events: await countRows(t.db, 'debt_case_event'),
    orders: await countRows(t.db, 'field_order'),
    commands: await countRows(t.db, 'meter_command_request'),
  });

  beforeAll(async () => {
    t = await createTestDatabase();
    await addTariffs(t.db);
    await addNorms(t.db);
    // Reconnection costs 7,000 RUB from 2026: charged at most the 5,000 RUB cap (§11).
    await sql`INSERT INTO parameter (region_code, key, value, effective_from)
              VALUES (NULL, 'reconnection_cost_kopecks', '700000', '2026-01-01')`.execute(t.db);
    invalidateParameterCache();
  });
  afterAll(async () => {
    await t?.drop();
  });

  it('E8 end to end: notice 01.06 → restriction order 22.06 → suspension order 02.07 → paid → reconnected', async () => {
    const a = await debtor();
    const below = await debtor(236_800); // exactly 2 × 1,184.00: not above the threshold

    // Before the due date nothing is overdue.
    expect((await run('2026-05-15')).opened).toBe(0);
    const opening = await run('2026-05-20');
    expect(opening.opened).toBe(2 - 1);
    const c = await currentCase(a.accountId);
    expect(c?.state).toBe('notice_pending');
    expect(await currentCase(below.accountId)).toBeUndefined();

    // The notice for the next bill and the personal account (§8, §11).
    const notices = await pendingDebtNotices(t.db, [a.accountId, below.accountId], '2026-05-20');
    expect([...notices.keys()]).toEqual([a.accountId]);
    expect(notices.get(a.accountId)?.ru).toContain(`л/с ${a.number}`);
    expect(notices.get(a.accountId)?.ru).toContain('20 дней');
    const view = await accountDebt(deps(), { account: a.number, date: '2026-05-20' });
    expect(view).toMatchObject({
      overdueKopecks: 250_000,
      normChargeKopecks: 118_400,
      thresholdKopecks: 236_800,
      eligible: true,
    });
    const caseId = c!.id;

    const delivered = await recordNoticeDelivered(deps(), {
      account: a.number,
      date: '2026-06-01',
      channel: 'sms',
      by: 'sms-gateway',
    });
    expect(delivered.restrictFrom).toBe('2026-06-22');
    // The same delivery reported again changes nothing.
    expect(
      (
        await recordNoticeDelivered(deps(), {
          account: a.number,
          date: '2026-06-01',
          channel: 'sms',
          by: 'x',
        })
      ).transition,
    ).toBeNull();

    await run('2026-06-21');
    expect((await currentCase(a.accountId))?.state).toBe('notified');
    const day22 = await run('2026-06-22');
    expect(day22.transitions.map((x) => [x.account, x.to])).toContainEqual([a.number, 'restriction_ordered']);
    expect(await orders(caseId)).toEqual([
      expect.objectContaining({
        kind: 'restrict',
        status: 'open',
        not_before: '2026-06-22',
        due_by: '2026-06-22',
      }),
    ]);

    // The same day again: nothing more.
    const before = await snapshot();
    expect((await run('2026-06-22')).transitions).toEqual([]);
    expect(await snapshot()).toEqual(before);

    const restrictOrder = (await orders(caseId))[0]!;
    await completeFieldOrder(deps(), { orderId: restrictOrder.id, date: '2026-06-22', by: 'crew-7' });
    expect(await currentCase(a.accountId)).toMatchObject({ state: 'restricted', suspend_from: '2026-07-02' });

    await run('2026-07-01');
    expect((await currentCase(a.accountId))?.state).toBe('restricted');
    await run('2026-07-02');
    const suspendOrder = (await orders(caseId)).find((o) => o.kind === 'suspend');
    expect(suspendOrder).toMatchObject({ status: 'open', not_before: '2026-07-02', due_by: '2026-07-02' });
    await completeFieldOrder(deps(), { orderId: suspendOrder!.id, date: '2026-07-02', by: 'crew-7' });
    expect((await currentCase(a.accountId))?.state).toBe('suspended');

    // Paid in full on 05.07 → reconnection ordered within 2 days.
    const paid = await submitPayment(
      { db: t.db, clock: fixedClock('2026-07-05T08:00:00Z') },
      {
        channel: 'cash_desk',
        externalId: `full-${a.number}`,
        account: a.number,
        amountKopecks: 250_000,
        paidAt: '2026-07-05T07:00:00Z',
      },
    );
    expect(paid.outcome).toBe('accepted');
    await run('2026-07-05');
    expect(await currentCase(a.accountId)).toMatchObject({
      state: 'reconnection_ordered',
      reconnect_by: '2026-07-07',
    });
    const reconnect = (await orders(caseId)).find((o) => o.kind === 'reconnect');
    expect(reconnect).toMatchObject({ status: 'open', not_before: '2026-07-05', due_by: '2026-07-07' });
    await completeFieldOrder(deps(), { orderId: reconnect!.id, date: '2026-07-06', by: 'crew-7' });
    expect((await currentCase(a.accountId))?.state).toBe('closed');

    // §11 reconnection costs, capped at 5,000 RUB, posted once as a fee due with the July bill (15.08).
    const fee = await sql<{ amount: number; due: string }>`
      SELECT e.amount_kopecks AS amount, e.due_date AS due FROM ledger_entry e JOIN ledger_txn x ON x.id = e.txn_id
      WHERE x.source = ${`debt-fee:${caseId}`} AND e.book = 'receivable'`.execute(t.db);
    expect(fee.rows).toEqual([{ amount: 500_000, due: '2026-08-17' }]);

    // The audit trail has every transition, in order, chained.
    const trail = await events(caseId);
    expect(trail.map((e) => [e.event, e.from_state, e.to_state, e.on_date])).toEqual([
      ['opened', null, 'notice_pending', '2026-05-20'],
      ['notice_delivered', 'notice_pending', 'notified', '2026-06-01'],
      ['due', 'notified', 'restriction_ordered', '2026-06-22'],
      ['order_executed', 'restriction_ordered', 'restricted', '2026-06-22'],
      ['due', 'restricted', 'suspension_ordered', '2026-07-02'],
      ['order_executed', 'suspension_ordered', 'suspended', '2026-07-02'],
      ['paid_in_full', 'suspended', 'reconnection_ordered', '2026-07-05'],
      ['order_executed', 'reconnection_ordered', 'closed', '2026-07-06'],
    ]);
    // Append-only: the trail cannot be rewritten.
    await expect(
      sql`UPDATE debt_case_event SET actor = 'x' WHERE case_id = ${caseId}`.execute(t.db),
    ).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM debt_case_event WHERE case_id = ${caseId}`.execute(t.db)).rejects.toThrow(
      /append-only/,
    );
  });

  it('a smart meter gets command requests instead of field orders', async () => {
    const a = await debtor(250_000, { smart: true });
    await run('2026-05-20');
    await recordNoticeDelivered(deps(), { account: a.number, date: '2026-06-01', channel: 'lkk', by: 'lkk' });
    await run('2026-06-22');
    const c = await currentCase(a.accountId);
    expect(c?.state).toBe('restriction_ordered');
    expect(await orders(c!.id)).toEqual([]);
    const cmds = await sql<{
      id: number;
      command: string;
      status: string;
      meter_id: number;
      not_before: string;
    }>`
      SELECT id, command, status, meter_id, not_before FROM meter_command_request WHERE case_id = ${c!.id}`.execute(
      t.db,
    );
    expect(cmds.rows).toEqual([
      {
        id: expect.any(Number),
        command: 'limit_power',
        status: 'requested',
        meter_id: a.meterId,
        not_before: '2026-06-22',
      },
    ]);
    // The smart-meter module reports the command executed: the case moves on.
    await meterCommandExecuted(deps(), { requestId: cmds.rows[0]!.id, date: '2026-06-22', by: 'head-end' });
    expect((await currentCase(a.accountId))?.state).toBe('restricted');
    await run('2026-07-02');
    const all = await sql<{ command: string }>`
      SELECT command FROM meter_command_request WHERE case_id = ${c!.id} ORDER BY id`.execute(t.db);
    expect(all.rows.map((r) => r.command)).toEqual(['limit_power', 'disconnect']);
  });

  it('an agreement before restriction cancels the case; the account is not eligible while it is in force', async () => {
    const a = await debtor();
    await run('2026-05-20');
    await recordNoticeDelivered(deps(), {
      account: a.number,
      date: '2026-06-01',
      channel: 'bill',
      by: 'billing',
    });
    const signed = await signAgreement(deps(), {
      account: a.number,
      totalKopecks: 250_000,
      instalments: [
        { dueDate: '2026-07-15', amountKopecks: 125_000 },
        { dueDate: '2026-08-15', amountKopecks: 125_000 },
      ],
      signedOn: '2026-06-10',
      by: 'office-3',
    });
    expect(signed.transition).toMatchObject({ from: 'notified', to: 'cancelled' });
    // Signing the same document again records nothing more.
    const again = await signAgreement(deps(), {
      account: a.number,
      totalKopecks: 250_000,
      instalments: [
        { dueDate: '2026-07-15', amountKopecks: 125_000 },
        { dueDate: '2026-08-15', amountKopecks: 125_000 },
      ],
      signedOn: '2026-06-10',
      by: 'office-3',
    });
    expect(again).toMatchObject({ created: false, transition: null, agreementId: signed.agreementId });

    await run('2026-06-22');
    await run('2026-07-20');
    expect((await currentCase(a.accountId))?.state).toBe('cancelled');
    const none = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM field_order f JOIN debt_case c ON c.id = f.case_id WHERE c.account_id = ${a.accountId}`.execute(
      t.db,
    );
    expect(none.rows[0]!.n).toBe(0);
    const view = await accountDebt(deps(), { account: a.number, date: '2026-07-20' });
    expect(view).toMatchObject({ eligible: false, reason: 'agreement_in_force', state: 'none' });

    // The first instalment (15.07) unpaid more than 10 days: the agreement is broken, a new case opens.
    await run('2026-07-26');
    const reopened = await currentCase(a.accountId);
    expect(reopened?.state).toBe('notice_pending');
  });

  it('an agreement after restriction orders reconnection at once; half-paid instalments keep it in force', async () => {
    const a = await debtor(300_000);
    await run('2026-05-20');
    await recordNoticeDelivered(deps(), {
      account: a.number,
      date: '2026-06-01',
      channel: 'mail',
      by: 'post',
    });
    await run('2026-06-22');
    const c = (await currentCase(a.accountId))!;
    await completeFieldOrder(deps(), {
      orderId: (await orders(c.id))[0]!.id,
      date: '2026-06-23',
      by: 'crew-2',
    });
    const signed = await signAgreement(deps(), {
      account: a.number,
      totalKopecks: 300_000,
      instalments: [{ dueDate: '2026-07-10', amountKopecks: 300_000 }],
      signedOn: '2026-06-25',
      document: 'AGR-77',
      by: 'office-1',
    });
    expect(signed.transition).toMatchObject({ from: 'restricted', to: 'reconnection_ordered' });
    expect(await currentCase(a.accountId)).toMatchObject({
      state: 'reconnection_ordered',
      reconnect_by: '2026-06-27',
    });
    // A second agreement while one is in force is refused.
    await expect(
      signAgreement(deps(), {
        account: a.number,
        totalKopecks: 100,
        instalments: [{ dueDate: '2026-07-10', amountKopecks: 100 }],
        signedOn: '2026-06-26',
        document: 'AGR-78',
        by: 'office-1',
      }),
    ).rejects.toMatchObject({ code: 'AGREEMENT_IN_FORCE' });
    // Instalments must add up to the total.
    await expect(
      signAgreement(deps(), {
        account: a.number,
        totalKopecks: 100,
        instalments: [{ dueDate: '2026-07-10', amountKopecks: 99 }],
        signedOn: '2026-06-26',
        by: 'x',
      }),
    ).rejects.toMatchObject({ code: 'AGREEMENT_INVALID' });
  });

  it('two daily jobs at once move each case once', async () => {
    const accounts = [await debtor(), await debtor(), await debtor()];
    await Promise.all([run('2026-05-20'), run('2026-05-20')]);
    for (const a of accounts)
      await recordNoticeDelivered(deps(), {
        account: a.number,
        date: '2026-06-01',
        channel: 'email',
        by: 'mailer',
      });
    const results = await Promise.all([run('2026-06-22'), run('2026-06-22'), run('2026-06-22')]);
    for (const a of accounts) {
      const c = (await currentCase(a.accountId))!;
      expect(c.state).toBe('restriction_ordered');
      expect((await orders(c.id)).filter((o) => o.kind === 'restrict')).toHaveLength(1);
      expect((await events(c.id)).map((e) => e.to_state)).toEqual([
        'notice_pending',
        'notified',
        'restriction_ordered',
      ]);
      const moved = results
        .flatMap((r) => r.transitions)
        .filter((x) => x.account === a.number && x.to === 'restriction_ordered');
      expect(moved).toHaveLength(1);
    }
  });

  it('refuses illegal operator actions with a reason code and changes nothing', async () => {
    const a = await debtor();
    await run('2026-05-20');
    // Delivery dated before the case opened.
    await expect(
      recordNoticeDelivered(deps(), { account: a.number, date: '2026-05-19', channel: 'sms', by: 'x' }),
    ).rejects.toMatchObject({ code: 'DEBT_NOTICE_BEFORE_OPENING' });
    await expect(
      recordNoticeDelivered(deps(), { account: a.number, date: '2026-06-01', channel: 'fax', by: 'x' }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await recordNoticeDelivered(deps(), { account: a.number, date: '2026-06-01', channel: 'sms', by: 'x' });
    await expect(
      recordNoticeDelivered(deps(), { account: a.number, date: '2026-06-02', channel: 'sms', by: 'x' }),
    ).rejects.toMatchObject({ code: 'DEBT_NOTICE_ALREADY_DELIVERED' });
    await run('2026-06-22');
    const c = (await currentCase(a.accountId))!;
    const order = (await orders(c.id))[0]!;
    const before = await snapshot();
    // Executed before the restriction date: refused, the order stays open.
    await expect(
      completeFieldOrder(deps(), { orderId: order.id, date: '2026-06-21', by: 'crew' }),
    ).rejects.toMatchObject({
      code: 'DEBT_EXECUTED_TOO_EARLY',
    });
    expect(await snapshot()).toEqual(before);
    expect((await orders(c.id))[0]?.status).toBe('open');
    // Restriction impossible → suspension ordered at once.
    await completeFieldOrder(deps(), { orderId: order.id, date: '2026-06-23', by: 'crew', impossible: true });
    expect((await currentCase(a.accountId))?.state).toBe('suspension_ordered');
    expect((await orders(c.id)).map((o) => [o.kind, o.status])).toEqual([
      ['restrict', 'impossible'],
      ['suspend', 'open'],
    ]);
  });

  it('`abonent debt list --json` shows debt, threshold, eligibility, state and the next step', async () => {
    const a = await debtor();
    await run('2026-05-20');
    await recordNoticeDelivered(deps(), { account: a.number, date: '2026-06-01', channel: 'sms', by: 'x' });
    const r = await runTestCli(t, ['debt', 'list', '--json', '--date', '2026-06-05'], '2026-06-05T07:00:00Z');
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.out) as { account: string }[];
    expect(rows.find((x) => x.account === a.number)).toMatchObject({
      address: 'г. Москва, ул. Тестовая, д. 1, кв. 1',
      overdueKopecks: 250_000,
      thresholdKopecks: 236_800,
      eligible: true,
      state: 'notified',
      nextStep: 'restrict',
      nextOn: '2026-06-22',
    });
    const filtered = await runTestCli(t, [
      'debt',
      'list',
      '--json',
      '--state',
      'notified',
      '--date',
      '2026-06-05',
    ]);
    expect((JSON.parse(filtered.out) as { state: string }[]).every((x) => x.state === 'notified')).toBe(true);
    const bad = await runTestCli(t, ['debt', 'list', '--state', 'nonsense']);
    expect(bad.code).toBe(2);
    const text = await runTestCli(t, ['debt', 'list', '--date', '2026-06-05']);
    expect(text.out).toContain(`л/с ${a.number}`);
    expect(text.out).toContain('ограничение с 2026-06-22');
  });

  it("HTTP: an account's debt with its audit trail, and the list of cases (operator API)", async () => {
    const a = await debtor();
    await run('2026-05-20');
    await recordNoticeDelivered(deps(), { account: a.number, date: '2026-06-01', channel: 'sms', by: 'x' });
    const ctx = testAppContext(t, '2026-06-05T07:00:00Z');
    ctx.config = { ...ctx.config, operatorApiKey: 'debt-key' };
    const app = await buildServer(ctx);
    try {
      const get = (url: string, auth = true) =>
        app.inject({ method: 'GET', url, headers: auth ? { authorization: 'Bearer debt-key' } : {} });
      const one = await get(`/api/v1/accounts/${a.number}/debt?date=2026-06-05`);
      expect(one.statusCode).toBe(200);
      const body = one.json();
      expect(body).toMatchObject({
        account: a.number,
        eligible: true,
        thresholdKopecks: 236_800,
        state: 'notified',
        nextOn: '2026-06-22',
      });
      expect(body.cases[0].events.map((e: { toState: string }) => e.toState)).toEqual([
        'notice_pending',
        'notified',
      ]);
      const list = await get('/api/v1/debt/cases?state=notified&limit=1000');
      expect(list.statusCode).toBe(200);
      expect(list.json().cases.map((c: { number: string }) => c.number)).toContain(a.number);
      expect((await get('/api/v1/accounts/9999999999/debt')).statusCode).toBe(404);
      expect((await get('/api/v1/debt/cases?state=nonsense')).statusCode).toBe(400);
      expect((await get('/api/v1/debt/cases', false)).statusCode).toBe(401);
    } finally {
      await app.close();
    }
  });
});
