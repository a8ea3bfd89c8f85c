import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTestCli } from '../support/cli.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.drop();
});

const cli = (args: string[]) => runTestCli(t, args);

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
