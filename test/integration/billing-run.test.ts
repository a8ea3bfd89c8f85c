/**
 * The billing run as operators use it: bad input refused or reported per account with a reason, the rest
 * billed; drafts repeated without change; issued bills untouched; several worker processes sharing a run.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BillingError, closePeriod, issueRun, prepareRun, runBilling } from '../../src/billing/index.ts';
import { spawnCli } from '../../src/cli/spawn-cli.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { seedDemoCity } from '../../src/registry/seed.service.ts';
import { addNorms, addTariffs, billDoc, reading } from '../support/billing.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { addAccount } from '../support/fixtures.ts';

const at = fixedClock('2026-11-22T10:00:00Z');

async function bills(t: TestDatabase) {
  const r = await sql<{
    id: number;
    account: string;
    version: number;
    status: string;
    sha: string;
    due: number;
  }>`
    SELECT b.id, a.number AS account, b.version, b.status, b.content_sha256 AS sha, b.amount_due_kopecks AS due
    FROM bill b JOIN account a ON a.id = b.account_id ORDER BY a.number, b.version`.execute(t.db);
  return r.rows;
}

describe('bad input', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
    await addTariffs(t.db);
    await addNorms(t.db);
    await addAccount(t.db, { number: '5000000001' });
    // Three-zone tariffs exist; this account's meter is three-zone but its category has no tariffs at all.
    const odd = await addAccount(t.db, { number: '5000000002', zones: 3 });
    await sql`UPDATE account SET tariff_category = 'equated' WHERE id = ${odd.accountId}`.execute(t.db);
    await reading(t.db, '5000000001', [150], '2026-09-22T09:00:00+03:00');
    await reading(t.db, '5000000002', [10, 20, 30], '2026-09-22T09:00:00+03:00');
    // A house with a common meter in mode "full" but no total area.
    const h = await addAccount(t.db, { number: '5000000003' });
    const house = await sql<{ id: number }>`SELECT house_id AS id FROM meter WHERE id = ${h.meterId}`.execute(
      t.db,
    );
    const houseId = house.rows[0]?.id;
    await sql`UPDATE house SET common_needs_mode = 'full', total_area_m2 = 0 WHERE id = ${houseId}`.execute(
      t.db,
    );
    await sql`INSERT INTO meter (serial, kind, house_id, zones, digits, installed_on, commissioned_on, initial_values_wh,
                                 next_verification_on)
              VALUES ('CM-NOAREA', 'common', ${houseId}, 1, 7, '2024-01-10', '2024-01-10', '{0}', '2036-01-01')`.execute(
      t.db,
    );
  });
  afterAll(() => t?.drop());

  it('a period in the future or not yet closed is refused with a reason, and nothing is written', async () => {
    const refuse = async (period: string, code: string) => {
      const e = await runBilling(t, at, { period, regionCodes: ['moscow'] }).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(BillingError);
      expect((e as BillingError).code).toBe(code);
    };
    await refuse('2026-12', 'PERIOD_IN_FUTURE');
    await refuse('2026-11', 'PERIOD_IN_FUTURE');
    await refuse('2026-09', 'PERIOD_NOT_CLOSED');
    await refuse('2026-13', 'BAD_PERIOD');
    const closeEarly = await closePeriod(t.db, fixedClock('2026-09-20T10:00:00Z'), {
      regionCode: 'moscow',
      period: '2026-09',
    }).catch((x: unknown) => x);
    expect((closeEarly as BillingError).code).toBe('PERIOD_IN_FUTURE');
    const runs = await sql<{ n: number }>`SELECT count(*)::int AS n FROM billing_run`.execute(t.db);
    expect(runs.rows[0]?.n).toBe(0);
    const closed = await sql<{ n: number }>`SELECT count(*)::int AS n FROM billing_period`.execute(t.db);
    expect(closed.rows[0]?.n).toBe(0);
  });

  it('periods close in order', async () => {
    await closePeriod(t.db, at, { regionCode: 'moscow', period: '2026-08' });
    const e = await closePeriod(t.db, at, { regionCode: 'moscow', period: '2026-10' }).catch(
      (x: unknown) => x,
    );
    expect((e as BillingError).code).toBe('CLOSE_OUT_OF_ORDER');
    const again = await closePeriod(t.db, at, { regionCode: 'moscow', period: '2026-08' });
    expect(again.alreadyClosed).toBe(true);
  });

  it('a missing tariff and a house without areas are reported per account; the rest is billed', async () => {
    await closePeriod(t.db, at, { regionCode: 'moscow', period: '2026-09' });
    const [r] = await runBilling(t, at, { period: '2026-09', regionCodes: ['moscow'] });
    expect(r?.counts).toMatchObject({ accounts: 3, accountsDone: 3, billed: 1, problems: 2, drafts: 1 });
    const problems = Object.fromEntries((r?.problems ?? []).map((p) => [p.accountNumber, p.code]));
    expect(problems).toEqual({ '5000000002': 'NO_TARIFF', '5000000003': 'COMMON_NEEDS_NO_AREAS' });
    expect((r?.problems ?? []).find((p) => p.code === 'NO_TARIFF')?.message).toMatch(
      /equated\/three_zone\/peak/,
    );
    const doc = await billDoc(t.db, '5000000001', '2026-09');
    expect(doc.totals.chargedKopecks).toBe(120_000);
    // Nothing half-written: the accounts with problems have no bill at all.
    expect((await bills(t)).map((b) => b.account)).toEqual(['5000000001']);
  });

  it('issuing is refused while problems remain, unless told to skip them; fixed data is billed on repeat', async () => {
    const run = await prepareRun(t.db, at, { regionCode: 'moscow', period: '2026-09' });
    const e = await issueRun(t.db, run.id).catch((x: unknown) => x);
    expect((e as BillingError).code).toBe('RUN_HAS_PROBLEMS');
    expect((await bills(t)).every((b) => b.status === 'draft')).toBe(true);
    await issueRun(t.db, run.id, { skipProblems: true });
    expect((await bills(t)).map((b) => [b.account, b.status])).toEqual([['5000000001', 'issued']]);
    // The operator adds the missing tariff and the area, and repeats: the issued bill stays as it was.
    await addTariffs(t.db, { category: 'equated' });
    await sql`UPDATE house SET total_area_m2 = 50 WHERE total_area_m2 = 0`.execute(t.db);
    const [r] = await runBilling(t, at, {
      period: '2026-09',
      regionCodes: ['moscow'],
      repeat: true,
      issue: true,
    });
    expect(r?.counts).toMatchObject({ problems: 0, drafts: 0, issued: 3 });
    const list = await bills(t);
    expect(list.map((b) => [b.account, b.version, b.status])).toEqual([
      ['5000000001', 1, 'issued'],
      ['5000000002', 1, 'issued'],
      ['5000000003', 1, 'issued'],
    ]);
  });
});

describe('drafts, repeats and several worker processes', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
    await seedDemoCity(t, { accounts: 400, seed: 7, now: at.now() });
    for (const region of ['moscow', 'yakutia'])
      await closePeriod(t.db, at, { regionCode: region, period: '2026-09' });
  }, 60_000);
  afterAll(() => t?.drop());

  it('worker processes share a run: units one holds are skipped by another, every account billed once', async () => {
    const run = await prepareRun(t.db, at, { regionCode: 'moscow', period: '2026-09' });
    const units = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM billing_unit WHERE run_id = ${run.id}`.execute(t.db);
    const total = units.rows[0]?.n ?? 0;
    // Another worker (this test's own connection) holds half of the units in its transaction.
    const holder = await t.pool.connect();
    await holder.query('BEGIN');
    const held = await holder.query(
      'SELECT house_id FROM billing_unit WHERE run_id = $1 ORDER BY house_id LIMIT $2 FOR UPDATE',
      [run.id, Math.floor(total / 2)],
    );
    const worker = () => spawnCli(['bill-worker', '--run', String(run.id), '--batch', '20'], t.url);
    await worker();
    const done = async () =>
      (
        await sql<{
          n: number;
        }>`SELECT count(*)::int AS n FROM billing_unit WHERE run_id = ${run.id} AND status = 'done'`.execute(
          t.db,
        )
      ).rows[0]?.n;
    expect(await done()).toBe(total - held.rowCount!);
    await holder.query('ROLLBACK'); // the holder dies: its units go back to the pool
    holder.release();
    await worker();
    expect(await done()).toBe(total);
    // And `--workers 2` end to end on the other region: this process and one more.
    const results = await runBilling(t, at, {
      period: '2026-09',
      workers: 2,
      spawnWorker: (runId) => spawnCli(['bill-worker', '--run', String(runId)], t.url),
    });
    expect(results.reduce((s, r) => s + (r.counts?.accounts ?? 0), 0)).toBe(400);
    const list = await bills(t);
    expect(list).toHaveLength(400);
    expect(new Set(list.map((b) => b.account)).size).toBe(400);
    const workers = await sql<{
      worker: string;
    }>`SELECT DISTINCT worker FROM billing_unit WHERE run_id = ${run.id}`.execute(t.db);
    expect(workers.rows.length).toBe(2);
  }, 120_000);

  it('running again does nothing; a repeat of the draft run changes nothing when nothing changed', async () => {
    const before = await bills(t);
    await runBilling(t, at, { period: '2026-09' });
    expect(await bills(t)).toEqual(before);
    const later = fixedClock('2026-11-23T10:00:00Z'); // formed on another day: the content is the same
    const [moscow] = await runBilling(t, later, {
      period: '2026-09',
      regionCodes: ['moscow'],
      repeat: true,
    });
    expect(moscow?.counts?.billed).toBe(0);
    expect(await bills(t)).toEqual(before);
  });

  it('a repeat after a tariff change makes new versions; the old drafts step aside', async () => {
    await sql`UPDATE tariff SET price_kopecks = price_kopecks + 1 WHERE region_code = 'yakutia'`.execute(
      t.db,
    );
    const before = await bills(t);
    const [r] = await runBilling(t, at, { period: '2026-09', regionCodes: ['yakutia'], repeat: true });
    expect(r?.counts?.billed).toBeGreaterThan(0);
    const after = await bills(t);
    const current = after.filter((b) => b.status === 'draft');
    expect(current).toHaveLength(400);
    const bumped = after.filter((b) => b.version === 2);
    expect(bumped).toHaveLength(r?.counts?.billed ?? -1);
    expect(after.filter((b) => b.status === 'superseded')).toHaveLength(bumped.length);
    expect(after.length).toBe(before.length + bumped.length);
  });
});
