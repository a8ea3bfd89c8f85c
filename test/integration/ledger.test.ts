/** The ledger and the one payment use case on a real PostgreSQL (domain.md §9). */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkLedger,
  postCharge,
  refundAdvance,
  settlePayments,
  submitPayment,
  submitPayments,
  transferBetweenPrincipals,
  writeOffDebt,
} from '../../src/ledger/index.ts';
import type { PaymentSubmission } from '../../src/ledger/payment-types.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { runTestCli } from '../support/cli.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { addAccount, countRows } from '../support/fixtures.ts';

describe('ledger and payments', () => {
  let t: TestDatabase;
  const clock = fixedClock('2026-11-20T10:00:00Z');
  const deps = () => ({ db: t.db, clock });
  const pay = (o: Partial<PaymentSubmission> & { externalId: string; account: string }) =>
    submitPayment(deps(), {
      channel: 'cash_desk',
      amountKopecks: 100_000,
      paidAt: '2026-11-20T09:00:00Z',
      ...o,
    });
  const balance = async (accountId: number) =>
    (
      await sql<{
        r: number;
        p: number;
      }>`SELECT receivable_kopecks AS r, penalty_kopecks AS p FROM ledger_balance
        WHERE account_id = ${accountId}`.execute(t.db)
    ).rows[0];

  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => {
    await t?.drop();
  });

  it('accepts a payment once: a repeat gets the first answer, other data under the same id is refused', async () => {
    const a = await addAccount(t.db);
    const first = await pay({ externalId: 'R-1', account: a.number });
    expect(first.outcome).toBe('accepted');
    if (first.outcome !== 'accepted') return;
    expect(first.duplicate).toBe(false);
    expect(first.creditedOn).toBeNull();
    // §9 accepted now, credited after the channel's working days (cash desk: 1 working day; 20.11.2026 is a Friday).
    expect(first.paidOn).toBe('2026-11-20');
    expect(first.creditExpectedOn).toBe('2026-11-23');
    expect(first.allocation).toEqual([{ kind: 'advance', period: null, amountKopecks: 100_000 }]);
    expect(first.balanceAfterKopecks).toBe(-100_000);
    const again = await pay({ externalId: 'R-1', account: a.number });
    expect(again).toEqual({ ...first, duplicate: true });
    const other = await pay({ externalId: 'R-1', account: a.number, amountKopecks: 200_000 });
    expect(other).toMatchObject({ outcome: 'refused', code: 'IDEMPOTENCY_CONFLICT' });
    expect(await balance(a.accountId)).toEqual({ r: -100_000, p: 0 });
    expect(await countRows(t.db, 'payment')).toBe(1);
  });

  it('refuses bad payments with a reason code and writes nothing', async () => {
    const a = await addAccount(t.db);
    const closed = await addAccount(t.db, { status: 'closed' });
    const before = await countRows(t.db, 'ledger_entry');
    const cases: [Partial<PaymentSubmission>, string][] = [
      [{ amountKopecks: 0 }, 'AMOUNT_NOT_POSITIVE'],
      [{ amountKopecks: -500 }, 'AMOUNT_NOT_POSITIVE'],
      [{ amountKopecks: 50 }, 'AMOUNT_TOO_SMALL'],
      [{ amountKopecks: 100_000_001 }, 'AMOUNT_OVER_LIMIT'],
      [{ amountKopecks: 5_000_001, maxKopecks: 5_000_000 }, 'AMOUNT_OVER_LIMIT'],
      [{ amountKopecks: 1.5 }, 'VALIDATION_FAILED'],
      [{ account: '12ab' }, 'BAD_ACCOUNT_FORMAT'],
      [{ account: '9999999999' }, 'ACCOUNT_NOT_FOUND'],
      [{ account: closed.number }, 'ACCOUNT_CLOSED'],
      [{ period: '2027-01' }, 'PERIOD_INVALID'],
      [{ period: '2026-13' }, 'PERIOD_INVALID'],
      [{ paidAt: 'yesterday' }, 'VALIDATION_FAILED'],
      [{ channel: 'cash' as PaymentSubmission['channel'] }, 'VALIDATION_FAILED'],
    ];
    for (const [o, code] of cases) {
      const r = await pay({ externalId: `BAD-${code}-${Math.random()}`, account: a.number, ...o });
      expect(r.outcome, JSON.stringify(o)).toBe('refused');
      if (r.outcome === 'refused') {
        expect(r.code, JSON.stringify(o)).toBe(code);
        expect(r.message).toMatch(/[а-я]/);
        expect(r.messageEn).toMatch(/[a-z]/);
      }
    }
    expect(await countRows(t.db, 'ledger_entry')).toBe(before);
    expect(await balance(a.accountId)).toEqual({ r: 0, p: 0 });
  });

  it('allocates to the named period, else to the oldest debt, and carries an overpayment forward (§9)', async () => {
    const a = await addAccount(t.db);
    const charge = (period: string, kopecks: number) =>
      postCharge(deps(), {
        account: a.number,
        period,
        dueDate: `${period}-15`,
        amountKopecks: kopecks,
        item: 'energy',
        key: `${a.number}-${period}`,
        memo: 'test charge',
        by: 'test',
      });
    await charge('2026-08', 100_000);
    await charge('2026-09', 120_000);
    await charge('2026-10', 90_000);
    const named = await pay({
      externalId: 'N-1',
      account: a.number,
      period: '2026-10',
      amountKopecks: 50_000,
    });
    expect(named.outcome === 'accepted' && named.allocation).toEqual([
      { kind: 'charge', period: '2026-10', amountKopecks: 50_000 },
    ]);
    const oldest = await pay({ externalId: 'N-2', account: a.number, amountKopecks: 150_000 });
    expect(oldest.outcome === 'accepted' && oldest.allocation).toEqual([
      { kind: 'charge', period: '2026-08', amountKopecks: 100_000 },
      { kind: 'charge', period: '2026-09', amountKopecks: 50_000 },
    ]);
    const over = await pay({ externalId: 'N-3', account: a.number, amountKopecks: 200_000 });
    expect(over.outcome === 'accepted' && over.allocation).toEqual([
      { kind: 'charge', period: '2026-09', amountKopecks: 70_000 },
      { kind: 'charge', period: '2026-10', amountKopecks: 40_000 },
      { kind: 'advance', period: null, amountKopecks: 90_000 },
    ]);
    expect(over.outcome === 'accepted' && over.balanceAfterKopecks).toBe(-90_000);
    // The next charge is paid by the advance at once.
    await charge('2026-11', 60_000);
    const out = await runTestCli(t, ['ledger', 'statement', '--account', a.number, '--json']);
    const s = JSON.parse(out.out);
    expect(s.balanceKopecks).toBe(-30_000);
    expect(s.openItems).toEqual([]);
    expect(s.advanceKopecks).toBe(30_000);
    expect(s.payments).toHaveLength(3);
    expect(s.payments.every((p: { state: string }) => p.state === 'accepted')).toBe(true);
  });

  it('a batch (a registry) gives the same answers as one by one: refusals, in-batch repeats, order per account', async () => {
    const a = await addAccount(t.db);
    const b = await addAccount(t.db);
    await postCharge(deps(), {
      account: a.number,
      period: '2026-09',
      dueDate: '2026-10-15',
      amountKopecks: 50_000,
      item: 'energy',
      key: `B-${a.number}`,
      memo: 'm',
      by: 't',
    });
    const base = {
      channel: 'bank_registry' as const,
      paidAt: '2026-11-19T09:00:00Z',
      settledOn: '2026-11-20',
    };
    const batch: PaymentSubmission[] = [
      { ...base, externalId: 'SB:1', account: a.number, amountKopecks: 30_000 },
      { ...base, externalId: 'SB:2', account: a.number, amountKopecks: 30_000 },
      { ...base, externalId: 'SB:1', account: a.number, amountKopecks: 30_000 }, // the bank sent the row twice
      { ...base, externalId: 'SB:3', account: '9999999998', amountKopecks: 10_000 },
      { ...base, externalId: 'SB:4', account: b.number, amountKopecks: 0 },
      { ...base, externalId: 'SB:1', account: b.number, amountKopecks: 30_000 }, // same id, other data
      { ...base, externalId: 'SB:5', account: b.number, amountKopecks: 12_345 },
    ];
    const r = await submitPayments(deps(), batch);
    expect(r.map((x) => (x.outcome === 'accepted' ? (x.duplicate ? 'dup' : 'ok') : x.code))).toEqual([
      'ok',
      'ok',
      'dup',
      'ACCOUNT_NOT_FOUND',
      'AMOUNT_NOT_POSITIVE',
      'IDEMPOTENCY_CONFLICT',
      'ok',
    ]);
    // Applied in order: the first pays 300 of September's 500, the second the other 200 and 100 in advance.
    expect(r[0]!.outcome === 'accepted' && r[0]!.allocation).toEqual([
      { kind: 'charge', period: '2026-09', amountKopecks: 30_000 },
    ]);
    expect(r[1]!.outcome === 'accepted' && r[1]!.allocation).toEqual([
      { kind: 'charge', period: '2026-09', amountKopecks: 20_000 },
      { kind: 'advance', period: null, amountKopecks: 10_000 },
    ]);
    expect(r[2]).toEqual({ ...r[0], duplicate: true });
    expect(await balance(a.accountId)).toEqual({ r: -10_000, p: 0 });
    // The whole file again: every row is a repeat, nothing more credited.
    const again = await submitPayments(deps(), batch);
    expect(again.filter((x) => x.outcome === 'accepted' && !x.duplicate)).toEqual([]);
    expect(await balance(a.accountId)).toEqual({ r: -10_000, p: 0 });
    expect(await balance(b.accountId)).toEqual({ r: -12_345, p: 0 });
    expect((await checkLedger(t.db)).problems).toEqual([]);
  });

  it('settles accepted payments when their day comes: accepted → credited, money from transit to cash', async () => {
    const a = await addAccount(t.db);
    await pay({ externalId: 'S-1', account: a.number, amountKopecks: 70_000 });
    expect(await settlePayments(t.db, { through: '2026-11-22' })).toEqual(
      expect.objectContaining({ settled: 0 }),
    );
    const r = await settlePayments(t.db, { through: '2026-11-23' });
    expect(r.settled).toBeGreaterThanOrEqual(1);
    expect((await settlePayments(t.db, { through: '2026-11-23' })).settled).toBe(0);
    const s = JSON.parse((await runTestCli(t, ['ledger', 'statement', '--account', a.number, '--json'])).out);
    expect(s.payments[0]).toMatchObject({ state: 'credited', creditedOn: '2026-11-23' });
    // A registry payment arrives already settled: accepted and credited at once.
    const reg = await pay({
      externalId: 'S-2',
      account: a.number,
      channel: 'bank_registry',
      settledOn: '2026-11-20',
    });
    expect(reg.outcome === 'accepted' && reg.creditedOn).toBe('2026-11-20');
    expect((await checkLedger(t.db)).problems).toEqual([]);
  });

  it('refunds at most the advance and writes off at most the debt', async () => {
    const a = await addAccount(t.db);
    await pay({ externalId: 'F-1', account: a.number, amountKopecks: 30_000 });
    const input = { account: a.number, key: `${a.number}-r1`, memo: 'заявление', by: 'test' };
    await expect(refundAdvance(deps(), { ...input, amountKopecks: 30_001 })).rejects.toMatchObject({
      code: 'REFUND_OVER_ADVANCE',
    });
    const r = await refundAdvance(deps(), { ...input, amountKopecks: 30_000 });
    expect(r.balance.receivableKopecks).toBe(0);
    // Same key again: nothing more.
    const again = await refundAdvance(deps(), { ...input, amountKopecks: 0 + 1 }).catch((e) => e);
    expect(again.code).toBe('REFUND_OVER_ADVANCE');
    await postCharge(deps(), {
      ...input,
      key: `${a.number}-c`,
      period: '2026-10',
      dueDate: '2026-11-15',
      amountKopecks: 10_000,
      item: 'energy',
    });
    await expect(writeOffDebt(deps(), { ...input, key: 'w1', amountKopecks: 10_001 })).rejects.toMatchObject({
      code: 'WRITE_OFF_OVER_DEBT',
    });
    const w = await writeOffDebt(deps(), { ...input, key: 'w1', amountKopecks: 10_000 });
    expect(w.balance.receivableKopecks).toBe(0);
    const w2 = await writeOffDebt(deps(), { ...input, key: 'w1', amountKopecks: 1 }).catch((e) => e);
    expect(w2.code).toBe('WRITE_OFF_OVER_DEBT');
    expect((await checkLedger(t.db)).ok).toBe(true);
  });

  it('moves money between principals as one balanced transaction, once per key', async () => {
    await sql`INSERT INTO principal (code, kind, name) VALUES ('EIRC', 'agent', 'ЕИРЦ') ON CONFLICT DO NOTHING`.execute(
      t.db,
    );
    await addAccount(t.db);
    const o = {
      from: 'EIRC',
      to: 'SUP',
      amountKopecks: 1_000_000,
      on: '2026-11-20',
      key: 'PP-77',
      memo: 'п/п 77',
      by: 'test',
    };
    const id = await transferBetweenPrincipals(t.db, o);
    expect(id).toBeGreaterThan(0);
    expect(await transferBetweenPrincipals(t.db, o)).toBeNull();
    await expect(transferBetweenPrincipals(t.db, { ...o, to: 'NOPE', key: 'x' })).rejects.toMatchObject({
      code: 'PRINCIPAL_NOT_FOUND',
    });
  });

  it('keeps entries append-only and every transaction balanced, for the role the application uses', async () => {
    const a = await addAccount(t.db);
    await pay({ externalId: 'A-1', account: a.number });
    await expect(sql`UPDATE ledger_entry SET amount_kopecks = 1`.execute(t.db)).rejects.toThrow(
      /append-only|never changes|not allowed/i,
    );
    await expect(sql`DELETE FROM ledger_entry`.execute(t.db)).rejects.toThrow();
    await expect(sql`TRUNCATE ledger_entry CASCADE`.execute(t.db)).rejects.toThrow(/append-only/);
    await expect(sql`UPDATE payment SET amount_kopecks = 1`.execute(t.db)).rejects.toThrow();
    await expect(
      sql`WITH t AS (INSERT INTO ledger_txn (kind, occurred_on, source) VALUES ('transfer', '2026-11-20', 'bad-1') RETURNING id)
          INSERT INTO ledger_entry (txn_id, book, principal_id, item, amount_kopecks, occurred_on)
          SELECT t.id, 'cash', (SELECT min(id) FROM principal), 'x', 100, '2026-11-20' FROM t`.execute(t.db),
    ).rejects.toThrow(/does not balance/);
    const txn = (await sql<{ id: number }>`SELECT min(id) AS id FROM ledger_txn`.execute(t.db)).rows[0]!.id;
    await expect(
      sql`INSERT INTO ledger_entry (txn_id, book, principal_id, item, amount_kopecks, occurred_on)
          SELECT ${txn}, x.book, (SELECT min(id) FROM principal), 'x', x.a, '2026-11-20'
          FROM (VALUES ('cash', 5), ('clearing', -5)) x(book, a)`.execute(t.db),
    ).rejects.toThrow(/already has entries/);
  });

  it('ledger check exits 1 on a tampered cache and names the account', async () => {
    const a = await addAccount(t.db);
    await pay({ externalId: 'C-1', account: a.number });
    expect((await runTestCli(t, ['ledger', 'check'])).code).toBe(0);
    await sql`UPDATE ledger_balance SET receivable_kopecks = receivable_kopecks + 1 WHERE account_id = ${a.accountId}`.execute(
      t.db,
    );
    const bad = await runTestCli(t, ['ledger', 'check']);
    expect(bad.code).toBe(1);
    expect(bad.out).toContain(`BALANCE_MISMATCH account:${a.number}`);
    await sql`UPDATE ledger_balance SET receivable_kopecks = receivable_kopecks - 1 WHERE account_id = ${a.accountId}`.execute(
      t.db,
    );
    expect((await runTestCli(t, ['ledger', 'check'])).code).toBe(0);
  });
});
