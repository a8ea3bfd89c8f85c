/**
 * A model test of the ledger (issue 4, design.md "property tests for ledgers"): 10,000 random sequences
 * of charges, payments (named period or not), recalculation credits, penalties and refunds run against the
 * real ledger on PostgreSQL and against a simple in-memory model written independently of the domain's
 * allocation code. After each sequence the cached balance, the balance derived from the entries and the
 * open items per period must equal the model's — and a refund the model refuses must be refused.
 */
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  accountOpenItems,
  adjustPenalty,
  checkLedger,
  postCharge,
  refundAdvance,
  submitPayment,
} from '../../src/ledger/index.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { addAccount } from '../support/fixtures.ts';

const PERIODS = ['2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10'];
const SEQUENCES = Number(process.env.LEDGER_MODEL_SEQUENCES ?? 10_000);
const PARALLEL = 8;

type Op =
  | { op: 'charge'; period: number; amount: number }
  | { op: 'recalculation'; period: number; amount: number }
  | { op: 'payment'; amount: number; period: number | null }
  | { op: 'penalty'; amount: number }
  | { op: 'refund'; amount: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    op: fc.constant('charge' as const),
    period: fc.nat(5),
    amount: fc.integer({ min: 1, max: 200_000 }),
  }),
  fc.record({
    op: fc.constant('recalculation' as const),
    period: fc.nat(5),
    amount: fc.integer({ min: 1, max: 80_000 }),
  }),
  fc.record({
    op: fc.constant('payment' as const),
    amount: fc.integer({ min: 100, max: 150_000 }),
    period: fc.option(fc.nat(5), { nil: null }),
  }),
  fc.record({ op: fc.constant('penalty' as const), amount: fc.integer({ min: 1, max: 5_000 }) }),
  fc.record({ op: fc.constant('refund' as const), amount: fc.integer({ min: 1, max: 100_000 }) }),
);

/** The model: balances and open items per period, by the rules of §9 as plainly as they can be written. */
class Model {
  receivable = 0;
  penalty = 0;
  open = new Map<string, number>();
  advance = 0;

  private payOldest(amount: number): number {
    let left = amount;
    for (const p of [...this.open.keys()].sort()) {
      const pay = Math.min(left, this.open.get(p)!);
      this.open.set(p, this.open.get(p)! - pay);
      left -= pay;
    }
    return left;
  }

  private credit(amount: number, period: string | null) {
    let left = amount;
    if (period !== null && this.open.has(period)) {
      const pay = Math.min(left, this.open.get(period)!);
      this.open.set(period, this.open.get(period)! - pay);
      left -= pay;
    }
    this.advance += this.payOldest(left);
  }

  charge(period: string, amount: number) {
    this.receivable += amount;
    if (amount > 0) {
      this.open.set(period, (this.open.get(period) ?? 0) + amount);
      const pay = Math.min(this.advance, this.open.get(period)!);
      this.open.set(period, this.open.get(period)! - pay);
      this.advance -= pay;
    } else {
      const cut = Math.min(-amount, this.open.get(period) ?? 0);
      if (this.open.has(period)) this.open.set(period, this.open.get(period)! - cut);
      this.advance += this.payOldest(-amount - cut);
    }
  }

  payment(amount: number, period: string | null) {
    const toEnergy = Math.min(amount, Math.max(this.receivable, 0));
    const toPenalty = Math.min(amount - toEnergy, Math.max(this.penalty, 0));
    const toReceivable = amount - toPenalty;
    this.penalty -= toPenalty;
    this.receivable -= toReceivable;
    if (toReceivable > 0) this.credit(toReceivable, period);
  }

  /** Returns whether the refund is allowed (never more than the advance). */
  refund(amount: number): boolean {
    if (amount > Math.max(0, -this.receivable)) return false;
    this.charge('2026-11', amount);
    return true;
  }

  openItems(): Record<string, number> {
    return Object.fromEntries([...this.open].filter(([, v]) => v !== 0));
  }
}

describe('ledger model test', () => {
  let t: TestDatabase;
  const clock = fixedClock('2026-11-20T10:00:00Z');
  const deps = () => ({ db: t.db, clock });
  const accounts: { id: number; number: string }[] = [];

  beforeAll(async () => {
    t = await createTestDatabase(PARALLEL + 2);
    const first = await addAccount(t.db);
    // One account per sequence, written set-based.
    await sql`
      WITH p AS (
        INSERT INTO premises (house_id, number, area_m2, rooms, residents)
        SELECT (SELECT house_id FROM premises LIMIT 1), 'm' || g, 40, 1, 1 FROM generate_series(1, ${SEQUENCES}) g
        RETURNING id, number)
      INSERT INTO account (number, premises_id, principal_id, payer_name, tariff_category, start_date)
      SELECT (5000000000 + substr(p.number, 2)::int)::text, p.id, (SELECT principal_id FROM account WHERE id = ${first.accountId}),
             'Модель', 'gas_stove', '2024-01-01'
      FROM p`.execute(t.db);
    const r = await sql<{ id: number; number: string }>`
      SELECT id, number FROM account WHERE number LIKE '5%' ORDER BY id`.execute(t.db);
    accounts.push(...r.rows);
  }, 120_000);
  afterAll(async () => {
    await t?.drop();
  });

  async function run(account: { id: number; number: string }, ops: Op[], tag: string): Promise<void> {
    const model = new Model();
    let k = 0;
    for (const o of ops) {
      const key = `${tag}-${k++}`;
      const base = { account: account.number, key, memo: 'model', by: 'model' };
      if (o.op === 'charge' || o.op === 'recalculation') {
        const period = PERIODS[o.period]!;
        const amount = o.op === 'charge' ? o.amount : -o.amount;
        await postCharge(deps(), {
          ...base,
          period,
          dueDate: `${period}-15`,
          amountKopecks: amount,
          item: o.op === 'charge' ? 'energy' : 'recalculation',
        });
        model.charge(period, amount);
      } else if (o.op === 'payment') {
        const r = await submitPayment(deps(), {
          channel: 'cash_desk',
          externalId: key,
          account: account.number,
          amountKopecks: o.amount,
          paidAt: '2026-11-20T09:00:00Z',
          ...(o.period === null ? {} : { period: PERIODS[o.period]! }),
        });
        expect(r.outcome).toBe('accepted');
        model.payment(o.amount, o.period === null ? null : PERIODS[o.period]!);
      } else if (o.op === 'penalty') {
        await adjustPenalty(deps(), { ...base, amountKopecks: o.amount });
        model.penalty += o.amount;
      } else {
        const allowed = model.refund(o.amount);
        const r = await refundAdvance(deps(), { ...base, amountKopecks: o.amount }).then(
          () => true,
          (e) => {
            if (e.code !== 'REFUND_OVER_ADVANCE') throw e;
            return false;
          },
        );
        expect(r, `refund ${o.amount}`).toBe(allowed);
      }
      await compare(account, model, ops.slice(0, k));
    }
    await compare(account, model, ops);
  }

  async function compare(account: { id: number; number: string }, model: Model, ops: Op[]): Promise<void> {
    const cache = await sql<{ r: number; p: number }>`
      SELECT receivable_kopecks AS r, penalty_kopecks AS p FROM ledger_balance WHERE account_id = ${account.id}`.execute(
      t.db,
    );
    expect(cache.rows[0] ?? { r: 0, p: 0 }, JSON.stringify(ops)).toEqual({
      r: model.receivable,
      p: model.penalty,
    });
    const debt = (await accountOpenItems(t.db, [account.id], '2026-11-20')).get(account.id)!;
    expect(debt.balanceKopecks).toBe(model.receivable + model.penalty);
    expect(debt.penaltyKopecks).toBe(model.penalty);
    expect(
      Object.fromEntries(debt.items.filter((i) => i.openKopecks !== 0).map((i) => [i.period, i.openKopecks])),
    ).toEqual(model.openItems());
    expect(debt.advanceKopecks).toBe(model.advance);
  }

  it(`no divergence over ${SEQUENCES} random sequences`, async () => {
    let next = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(opArb, { minLength: 1, maxLength: 8 }), {
          minLength: PARALLEL,
          maxLength: PARALLEL,
        }),
        async (batch) => {
          // Each run of the property takes fresh accounts (a shrunk re-run too), 8 sequences at once.
          const mine = batch.map(() => accounts[next++ % accounts.length]!);
          if (next > accounts.length) throw new Error('more runs than accounts: raise SEQUENCES');
          await Promise.all(batch.map((ops, i) => run(mine[i]!, ops, `s${next}-${i}`)));
        },
      ),
      { numRuns: Math.ceil(SEQUENCES / PARALLEL), seed: 20261122, endOnFailure: true },
    );
    expect((await checkLedger(t.db)).problems).toEqual([]);
  }, 900_000);
});
