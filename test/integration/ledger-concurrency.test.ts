/**
 * Concurrency of the ledger (docs/ledger.md "Concurrency"): every posting for an account first locks the
 * account's balance row, under READ COMMITTED. The same operations without the lock — the unsafe variant —
 * lose updates and refund an advance twice; this test shows both outcomes on a real PostgreSQL.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkLedger, postCharge, refundAdvance, submitPayment } from '../../src/ledger/index.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { addAccount } from '../support/fixtures.ts';

/** Resolves once `n` callers have arrived (or after `ms`, when a lock keeps the others from arriving). */
function barrier(n: number, ms = 2000) {
  let arrived = 0;
  let open: () => void = () => {};
  const all = new Promise<void>((resolve) => {
    open = resolve;
  });
  return async () => {
    arrived++;
    if (arrived >= n) open();
    await Promise.race([all, new Promise((r) => setTimeout(r, ms))]);
  };
}

describe('ledger concurrency', () => {
  let t: TestDatabase;
  const clock = fixedClock('2026-11-20T10:00:00Z');

  beforeAll(async () => {
    t = await createTestDatabase(20);
  });
  afterAll(async () => {
    await t?.drop();
  });

  const paySome = (number: string, prefix: string, n: number, options = {}) =>
    Promise.all(
      Array.from({ length: n }, (_, i) =>
        submitPayment(
          { db: t.db, clock },
          {
            channel: 'cash_desk',
            externalId: `${prefix}-${i}`,
            account: number,
            amountKopecks: 10_000,
            paidAt: '2026-11-20T09:00:00Z',
          },
          options,
        ),
      ),
    );

  it('with the account lock: 20 concurrent payments all count, the cache equals the entries', async () => {
    const a = await addAccount(t.db);
    const results = await paySome(a.number, 'SAFE', 20, { afterRead: barrier(20, 50) });
    expect(results.every((r) => r.outcome === 'accepted')).toBe(true);
    const b = await sql<{
      r: number;
    }>`SELECT receivable_kopecks AS r FROM ledger_balance WHERE account_id = ${a.accountId}`.execute(t.db);
    expect(b.rows[0]!.r).toBe(-200_000);
    expect((await checkLedger(t.db)).ok).toBe(true);
  });

  it('the optimistic path (no hooks): 30 payments at once to one account with debts all count, allocations add up', async () => {
    const a = await addAccount(t.db);
    await paySome(a.number, 'FIRST', 1); // creates the balance row: later payments may take the one-statement path
    await postCharge(
      { db: t.db, clock },
      {
        account: a.number,
        period: '2026-09',
        dueDate: '2026-10-15',
        amountKopecks: 100_000,
        item: 'energy',
        key: `OPT-${a.number}-09`,
        memo: 'm',
        by: 't',
      },
    );
    await postCharge(
      { db: t.db, clock },
      {
        account: a.number,
        period: '2026-10',
        dueDate: '2026-11-15',
        amountKopecks: 100_000,
        item: 'energy',
        key: `OPT-${a.number}-10`,
        memo: 'm',
        by: 't',
      },
    );
    const results = await paySome(a.number, 'OPT', 30);
    expect(results.every((r) => r.outcome === 'accepted' && !r.duplicate)).toBe(true);
    const allocated = results.flatMap((r) => (r.outcome === 'accepted' ? r.allocation : []));
    expect(allocated.reduce((s, x) => s + x.amountKopecks, 0)).toBe(300_000);
    expect(allocated.filter((x) => x.kind === 'charge').reduce((s, x) => s + x.amountKopecks, 0)).toBe(
      190_000,
    );
    const b = await sql<{
      r: number;
    }>`SELECT receivable_kopecks AS r FROM ledger_balance WHERE account_id = ${a.accountId}`.execute(t.db);
    expect(b.rows[0]!.r).toBe(200_000 - 310_000);
    expect((await checkLedger(t.db)).problems).toEqual([]);
  });

  it('without it (the unsafe variant) concurrent payments lose updates of the balance, and the check finds it', async () => {
    const a = await addAccount(t.db);
    const results = await paySome(a.number, 'UNSAFE', 5, { unsafeNoLock: true, afterRead: barrier(5) });
    expect(results.every((r) => r.outcome === 'accepted')).toBe(true);
    const b = await sql<{
      r: number;
    }>`SELECT receivable_kopecks AS r FROM ledger_balance WHERE account_id = ${a.accountId}`.execute(t.db);
    expect(b.rows[0]!.r).not.toBe(-50_000);
    const check = await checkLedger(t.db);
    expect(check.problems).toContainEqual(
      expect.objectContaining({ code: 'BALANCE_MISMATCH', ref: `account:${a.number}` }),
    );
    // Repair the cache for the tests that follow (the entries were right all along).
    await sql`UPDATE ledger_balance SET receivable_kopecks = -50000 WHERE account_id = ${a.accountId}`.execute(
      t.db,
    );
  });

  it('with the lock, racing refunds of one advance: exactly one is paid out', async () => {
    const a = await addAccount(t.db);
    await paySome(a.number, 'ADV', 1);
    const refunds = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) =>
        refundAdvance(
          { db: t.db, clock },
          { account: a.number, amountKopecks: 10_000, key: `safe-${i}`, memo: 'возврат', by: 'test' },
        ),
      ),
    );
    expect(refunds.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(
      refunds.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason.code),
    ).toEqual(Array(7).fill('REFUND_OVER_ADVANCE'));
    expect((await checkLedger(t.db)).ok).toBe(true);
  });

  it('without it, racing refunds pay the same advance out twice', async () => {
    const a = await addAccount(t.db);
    await paySome(a.number, 'ADV2', 1);
    const gate = barrier(2);
    const refunds = await Promise.allSettled(
      [0, 1].map((i) =>
        refundAdvance(
          { db: t.db, clock },
          { account: a.number, amountKopecks: 10_000, key: `unsafe-${i}`, memo: 'возврат', by: 'test' },
          { unsafeNoLock: true, afterRead: gate },
        ),
      ),
    );
    expect(refunds.filter((r) => r.status === 'fulfilled')).toHaveLength(2);
    const derived = await sql<{ r: number }>`
      SELECT sum(amount_kopecks)::bigint AS r FROM ledger_entry WHERE account_id = ${a.accountId} AND book = 'receivable'`.execute(
      t.db,
    );
    // 100 RUB paid, 200 RUB refunded: the subscriber now "owes" the supplier's mistake.
    expect(derived.rows[0]!.r).toBe(10_000);
  });
});
