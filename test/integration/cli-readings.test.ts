import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTestCli } from '../support/cli.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { addAccount } from '../support/fixtures.ts';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.drop();
});

const cli = (args: string[], clock?: string) => runTestCli(t, args, clock);

describe('abonent readings', () => {
  it('submit --json prints the typed result; exit 0', async () => {
    const a = await addAccount(t.db, { zones: 3, commissionedOn: '2026-10-01' });
    const r = await cli([
      'readings',
      'submit',
      '--account',
      a.number,
      '--t1',
      '10',
      '--t2',
      '20',
      '--t3',
      '30',
      '--channel',
      'sms',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out);
    expect(json).toMatchObject({
      outcome: 'accepted',
      period: '2026-11',
      values: [{ zone: 'peak' }, { zone: 'night' }, { zone: 'half_peak' }],
    });
  });

  it('a refusal exits 2 with the reason', async () => {
    const a = await addAccount(t.db);
    const r = await cli(['readings', 'submit', '--account', a.number, '--t1', '10', '--t2', '5']);
    expect(r.code).toBe(2);
    expect(r.out).toContain('ОШИБКА');
    expect(r.out).toContain('нужно 1 показание');
    const missing = await cli(['readings', 'submit', '--account', a.number]);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('VALUES_REQUIRED');
    const unknown = await cli(['readings', 'submit', '--bogus']);
    expect(unknown.code).toBe(2);
  });

  it('list --json shows the history newest first', async () => {
    const a = await addAccount(t.db);
    await cli(['readings', 'submit', '--account', a.number, '--t1', '100'], '2026-10-20T10:00:00Z');
    await cli(
      ['readings', 'submit', '--account', a.number, '--t1', '150', '--channel', 'email'],
      '2026-11-20T10:00:00Z',
    );
    const r = await cli(['readings', 'list', '--account', a.number, '--json']);
    expect(r.code).toBe(0);
    const { readings } = JSON.parse(r.out);
    expect(
      readings.map((x: { values: string[]; period: string; channel: string }) => [
        x.values[0],
        x.period,
        x.channel,
      ]),
    ).toEqual([
      ['150', '2026-11', 'email'],
      ['100', '2026-10', 'operator'],
    ]);
    const none = await cli(['readings', 'list', '--account', '5555555555']);
    expect(none.code).toBe(2);
  });
});

describe('the abonent binary', () => {
  it('runs against DATABASE_URL with ABONENT_CLOCK fixing the clock', async () => {
    const a = await addAccount(t.db, { region: 'yakutia' });
    const run = (args: string[]) =>
      spawnSync(process.execPath, ['bin/abonent.js', ...args], {
        env: { ...process.env, DATABASE_URL: t.url, ABONENT_CLOCK: '2026-12-03T09:00:00+09:00' },
        encoding: 'utf8',
      });
    const ok = run(['readings', 'submit', '--account', a.number, '--t1', '42', '--json']);
    expect(ok.status, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({
      outcome: 'accepted',
      period: '2026-11',
      receivedAt: '2026-12-03T00:00:00.000Z',
    });
    const bad = run(['readings', 'submit', '--account', 'abc', '--t1', '1']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('VALIDATION_FAILED');
  });
});
