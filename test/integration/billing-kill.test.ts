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
           b.document - 'formedOn' AS doc
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
  const args = ['bill', '--period', '2026-09', '--batch', '15'];

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

    const kills: { at: number; done: number }[] = [];
    for (const share of [0, 0.25, 0.65]) {
      const run = abonent(killed.url, args);
      for (;;) {
        const u = await doneUnits(killed);
        if (u.all > 0 && u.done >= Math.ceil(u.all * share) && (share > 0 || u.done === 0)) break;
        await sleep(5);
      }
      if (share === 0) await sleep(300); // some work under way, nothing committed yet
      run.child.kill('SIGKILL');
      await run.exit;
      kills.push({ at: share, done: (await doneUnits(killed)).done });
    }
    // Kills happened mid-run: progress kept between them, never complete before the last run.
    const all = (await doneUnits(killed)).all;
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
