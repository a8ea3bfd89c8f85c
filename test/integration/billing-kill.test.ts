/**
 * A billing process killed with SIGKILL at several points loses nothing and bills nothing twice: run again,
 * the result is identical to an uninterrupted run over the same data (the same bills, versions, amounts).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closePeriod } from '../../src/billing/index.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { seedDemoCity } from '../../src/registry/seed.service.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';

const NOW = '2026-11-22T10:00:00Z';
const tsxCli = createRequire(import.meta.url).resolve('tsx/cli');
const mainPath = path.resolve('src/cli/main.ts');

function abonent(url: string, args: string[]): { child: ChildProcess; exit: Promise<number | null> } {
  const child = spawn(process.execPath, [tsxCli, mainPath, ...args], {
    env: { ...process.env, DATABASE_URL: url, ABONENT_CLOCK: NOW },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr?.resume();
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exit };
}

async function doneUnits(t: TestDatabase): Promise<{ done: number; all: number }> {
  const r = await sql<{ done: number; all: number }>`
    SELECT count(*) FILTER (WHERE status = 'done')::int AS done, count(*)::int AS "all" FROM billing_unit`.execute(
    t.db,
  );
  return r.rows[0] ?? { done: 0, all: 0 };
}

async function snapshot(t: TestDatabase) {
  const r = await sql<{
    account: string;
    version: number;
    status: string;
    sha: string;
    due: number;
    doc: unknown;
  }>`
    SELECT a.number AS account, b.version, b.status, b.content_sha256 AS sha, b.amount_due_kopecks AS due,
           b.document::jsonb - 'formedOn' AS doc
    FROM bill b JOIN account a ON a.id = b.account_id ORDER BY a.number, b.version`.execute(t.db);
  const v = await sql<{ account: number; n: number }>`
    SELECT account_id AS account, count(*)::int AS n FROM bill_volume GROUP BY 1 HAVING count(*) > 1`.execute(
    t.db,
  );
  return { bills: r.rows, duplicateVolumes: v.rows };
}

describe('kill -9 during a billing run', () => {
  let reference: TestDatabase;
  let killed: TestDatabase;
  const args = ['bill', '--period', '2026-09', '--batch', '5'];

  beforeAll(async () => {
    reference = await createTestDatabase();
    killed = await createTestDatabase();
    for (const t of [reference, killed]) {
      await seedDemoCity(t, { accounts: 500, seed: 5, now: new Date(NOW) });
      for (const region of ['moscow', 'yakutia']) {
        await closePeriod(t.db, fixedClock(NOW), { regionCode: region, period: '2026-09' });
      }
    }
  }, 120_000);
  afterAll(async () => {
    await reference?.drop();
    await killed?.drop();
  });

  it('kill at start, at about a quarter, at about two thirds, then run to the end: identical bills', async () => {
    const uninterrupted = abonent(reference.url, args);
    expect(await uninterrupted.exit).toBe(0);

    // Each kill lands inside a transaction that has already written a batch of bills: the test takes a
    // lock the worker needs later in that transaction (billing_problem), waits until the worker waits
    // for it, and kills the process there. Then nothing of that batch may survive.
    const kills: { at: number; done: number }[] = [];
    const locker = await killed.pool.connect();
    const blocked = async () =>
      (
        await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_locks
          WHERE NOT granted AND relation = 'billing_problem'::regclass`.execute(killed.db)
      ).rows[0]?.n ?? 0;
    for (const share of [0, 0.25, 0.65]) {
      if (share === 0) await locker.query('BEGIN; LOCK TABLE billing_problem IN EXCLUSIVE MODE');
      const run = abonent(killed.url, args);
      let exited = false;
      void run.exit.then(() => {
        exited = true;
      });
      if (share > 0) {
        for (;;) {
          const u = await doneUnits(killed);
          if (u.done >= Math.ceil(u.all * share)) break;
          expect(exited).toBe(false);
          await sleep(2);
        }
        await locker.query('BEGIN; LOCK TABLE billing_problem IN EXCLUSIVE MODE');
      }
      while ((await blocked()) === 0) {
        expect(exited).toBe(false);
        await sleep(10);
      }
      run.child.kill('SIGKILL');
      await run.exit;
      await locker.query('ROLLBACK');
      kills.push({ at: share, done: (await doneUnits(killed)).done });
    }
    locker.release();
    // Kills happened mid-run: progress kept between them, never complete before the last run.
    const all = (await doneUnits(killed)).all;
    expect(kills[0]?.done).toBe(0);
    expect(kills.at(-1)?.done).toBeLessThan(all);
    expect(kills.map((k) => k.done)).toEqual([...kills.map((k) => k.done)].sort((a, b) => a - b));

    const last = abonent(killed.url, args);
    expect(await last.exit).toBe(0);
    const a = await snapshot(reference);
    const b = await snapshot(killed);
    expect(b.duplicateVolumes).toEqual([]);
    expect(b.bills.length).toBe(500);
    expect(b.bills.map((x) => x.version)).toEqual(b.bills.map(() => 1));
    expect(b.bills).toEqual(a.bills);
  }, 180_000);
});
