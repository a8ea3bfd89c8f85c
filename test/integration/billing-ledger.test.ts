/**
 * Bills and the ledger (domain.md §8–§10): issued bills post their charges and penalties; a bill shows the
 * balance brought forward, the payments since the previous bill and the §10 penalty of the month; E7 end
 * to end through five monthly bills.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkLedger, runDebtDay, submitPayment } from '../../src/ledger/index.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { addNorms, addTariffs, bill, billDoc, reading } from '../support/billing.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { addAccount } from '../support/fixtures.ts';

const kwh = (n: number) => n * 1000;

describe('bills and the ledger', () => {
  let t: TestDatabase;
  const e7 = { number: '3000000007' };
  const other = { number: '3000000008' };

  beforeAll(async () => {
    t = await createTestDatabase();
    await addTariffs(t.db);
    await addNorms(t.db);
    for (const acc of [e7, other]) {
      await addAccount(t.db, { number: acc.number, initial: [kwh(1000)], commissionedOn: '2026-02-05' });
    }
    // February: nothing used. March: 375 kWh × 8.00 = 3,000.00 (E7), due 15.04.2026. Then nothing.
    await reading(t.db, e7.number, [1000], '2026-02-20T09:00:00+03:00');
    await reading(t.db, other.number, [1000], '2026-02-20T09:00:00+03:00');
    await bill(t, '2026-02');
    await reading(t.db, e7.number, [1375], '2026-03-20T09:00:00+03:00');
    await reading(t.db, other.number, [1375], '2026-03-20T09:00:00+03:00');
    await bill(t, '2026-03');
    // The other account pays on time, naming the period.
    const paid = await submitPayment(
      { db: t.db, clock: fixedClock('2026-04-10T10:00:00Z') },
      {
        channel: 'cash_desk',
        externalId: 'OTHER-03',
        account: other.number,
        amountKopecks: 300_000,
        paidAt: '2026-04-10T09:00:00Z',
        period: '2026-03',
      },
    );
    expect(paid.outcome).toBe('accepted');
    for (const month of ['2026-04', '2026-05', '2026-06', '2026-07']) {
      for (const acc of [e7, other]) await reading(t.db, acc.number, [1375], `${month}-20T09:00:00+03:00`);
      // §11: 3,000.00 overdue is over 2 × 74 × 2 × 8.00 = 2,368.00 — the debt day opens a case whose
      // notice the next bill carries.
      if (month === '2026-07')
        await runDebtDay({ db: t.db, clock: fixedClock('2026-07-25T09:00:00Z') }, '2026-07-25');
      await bill(t, month);
    }
    // E7: paid 13.08.2026, day 120.
    const late = await submitPayment(
      { db: t.db, clock: fixedClock('2026-08-13T10:00:00Z') },
      {
        channel: 'cash_desk',
        externalId: 'E7-PAY',
        account: e7.number,
        amountKopecks: 300_000,
        paidAt: '2026-08-13T09:00:00Z',
      },
    );
    expect(late.outcome === 'accepted' && late.allocation).toEqual([
      { kind: 'charge', period: '2026-03', amountKopecks: 300_000 },
    ]);
    for (const acc of [e7, other]) await reading(t.db, acc.number, [1375], '2026-08-20T09:00:00+03:00');
    await bill(t, '2026-08');
  }, 120_000);
  afterAll(() => t?.drop());

  it('the March bill charges 3,000.00 due 15.04.2026 and posts it to the ledger when issued', async () => {
    const doc = await billDoc(t.db, e7.number, '2026-03');
    expect(doc.totals.chargedKopecks).toBe(300_000);
    expect(doc.dueDate).toBe('2026-04-15');
    const posted = await sql<{ amount: number; due: string }>`
      SELECT e.amount_kopecks AS amount, e.due_date AS due FROM ledger_entry e JOIN ledger_txn t ON t.id = e.txn_id
      JOIN account a ON a.id = e.account_id
      WHERE a.number = ${e7.number} AND t.kind = 'charge' AND e.period = '2026-03'`.execute(t.db);
    expect(posted.rows).toEqual([{ amount: 300_000, due: '2026-04-15' }]);
  });

  it('E7 through the monthly bills: 0, 15.20, 28.50, 50.57, 28.50 — 122.77 in all, as domain.md computes', async () => {
    const penalties: Record<string, number> = {};
    for (const month of ['2026-04', '2026-05', '2026-06', '2026-07', '2026-08']) {
      penalties[month] = (await billDoc(t.db, e7.number, month)).totals.penaltiesKopecks;
    }
    // Cumulative through each month's last day: May day 46 → 16 days × 1/300; June day 76; July day 107
    // (60 days × 1/300 + 17 × 1/130); August: paid on day 120 → 57.00 + 65.77.
    expect(penalties).toEqual({
      '2026-04': 0,
      '2026-05': 1520,
      '2026-06': 2850,
      '2026-07': 5057,
      '2026-08': 2850,
    });
    expect(Object.values(penalties).reduce((s, v) => s + v, 0)).toBe(12_277);
    const aug = await billDoc(t.db, e7.number, '2026-08');
    expect(aug.money?.penaltyItems).toEqual([
      { period: '2026-03', dueDate: '2026-04-15', cumulativeKopecks: 12_277 },
    ]);
  });

  it('the August bill shows the payment of 13.08, brings forward the rest, and asks for the penalties', async () => {
    const aug = await billDoc(t.db, e7.number, '2026-08');
    expect(aug.totals).toMatchObject({
      balanceForwardKopecks: 300_000 + 1520 + 2850 + 5057,
      paymentsKopecks: 300_000,
      chargedKopecks: 0,
      penaltiesKopecks: 2850,
      amountDueKopecks: 12_277,
    });
    // §12 the QR asks for the whole amount, the penalty part in AddAmount.
    expect(aug.qr).toMatch(/\|Sum=12277(\||$)/);
    expect(aug.qr).toMatch(/\|AddAmount=2850(\||$)/);
    // The July bill did not yet know the payment; the September one will not show it again.
    const jul = await billDoc(t.db, e7.number, '2026-07');
    expect(jul.totals.paymentsKopecks).toBe(0);
    expect(jul.totals.amountDueKopecks).toBe(300_000 + 1520 + 2850 + 5057);
  });

  it('§11 the July bill of the debtor carries the debt notice; the one who paid does not', async () => {
    const jul = await billDoc(t.db, e7.number, '2026-07');
    expect(jul.notices.map((n) => n.code)).toEqual(['debt_notice']);
    expect(jul.notices[0]?.text).toMatch(/3\s000,00/);
    expect((await billDoc(t.db, other.number, '2026-07')).notices).toEqual([]);
    expect((await billDoc(t.db, e7.number, '2026-06')).notices).toEqual([]);
  });

  it('a payment on time: the period is paid, no penalty ever, the next bill shows the payment once', async () => {
    const apr = await billDoc(t.db, other.number, '2026-04');
    expect(apr.totals).toMatchObject({
      balanceForwardKopecks: 300_000,
      paymentsKopecks: 300_000,
      amountDueKopecks: 0,
    });
    for (const month of ['2026-05', '2026-06', '2026-07', '2026-08']) {
      const doc = await billDoc(t.db, other.number, month);
      expect(doc.totals).toMatchObject({ paymentsKopecks: 0, penaltiesKopecks: 0, amountDueKopecks: 0 });
    }
  });

  it('the ledger agrees with the bills: ledger check is clean', async () => {
    const r = await checkLedger(t.db);
    expect(r.problems).toEqual([]);
    expect(r.counts.issuedBills).toBe(14);
  });
});
