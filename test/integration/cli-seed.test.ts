import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.ts';
import type { AppContext } from '../../src/platform/app.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { loadConfig } from '../../src/platform/config.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.drop();
});

async function cli(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const app: AppContext = {
    config: loadConfig({}),
    database: t,
    clock: fixedClock('2026-11-20T10:00:00Z'),
    embedded: false,
    close: async () => {},
  };
  const code = await runCli(args, {
    app: async () => app,
    out: (s) => out.push(s),
    err: (s) => err.push(s),
    interactive: false,
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('abonent seed', () => {
  it('loads the requested number of accounts with progress, and refuses bad input', async () => {
    const r = await cli(['seed', '--accounts', '250', '--seed', '7', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ accounts: 250, seed: 7 });
    expect(r.err).toContain('100%');
    const n = await sql<{ n: number }>`SELECT count(*)::int AS n FROM account`.execute(t.db);
    expect(n.rows[0]!.n).toBe(250);
    expect((await cli(['seed', '--accounts', '0'])).code).toBe(2);
    expect((await cli(['seed', '--accounts', 'many'])).code).toBe(2);
    expect((await cli(['seed'])).code).toBe(2);
  });
});
