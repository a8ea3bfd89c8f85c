import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * `npm start` on an empty data folder: embedded PostgreSQL, migrations, demo city, HTTP with /health.
 * Then a SIGKILL, and a second start that must not be blocked by what the killed run left behind.
 */
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'abonent-start-'));
const port = 36000 + (process.pid % 1000);
const pgPort = 37000 + (process.pid % 1000);
const children: ChildProcess[] = [];

function start(): { child: ChildProcess; output: () => string; ready: Promise<void> } {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ABONENT_DATA_DIR: dataDir,
    PORT: String(port),
    ABONENT_PG_PORT: String(pgPort),
    ABONENT_DEMO_ACCOUNTS: '300',
  };
  delete env.DATABASE_URL;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (b: Buffer) => {
      out += b.toString();
      if (out.includes('Остановить / stop: Ctrl-C')) resolve(); // the last line of the start-up banner
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => reject(new Error(`exited with ${code}:\n${out}`)));
  });
  return { child, output: () => out, ready };
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    else child.on('exit', (code) => resolve(code));
  });
}

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGINT');
  await Promise.all(children.map(exited));
  rmSync(dataDir, { recursive: true, force: true });
});

describe('npm start', () => {
  it('comes up on an empty data folder, answers /health, prints what to open; a killed run does not block the next', async () => {
    const first = start();
    await first.ready;
    expect(first.output()).toContain(`http://localhost:${port}/docs`);
    expect(first.output()).toContain('demo-operator-key');
    const health = await fetch(`http://127.0.0.1:${port}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok' });
    const key = { authorization: 'Bearer demo-operator-key' };
    const accounts = await fetch(`http://127.0.0.1:${port}/docs/json`);
    expect(accounts.status).toBe(200);
    const number = /Демо-счёт \/ demo account: (\d+)/.exec(first.output())?.[1];
    expect(number).toBeDefined();
    const list = await fetch(`http://127.0.0.1:${port}/api/v1/accounts/${number}/readings`, { headers: key });
    expect(list.status).toBe(200);
    expect(((await list.json()) as { readings: unknown[] }).readings.length).toBeGreaterThan(0);

    first.child.kill('SIGKILL'); // the embedded PostgreSQL is left running as an orphan
    await exited(first.child);

    const second = start();
    await second.ready;
    expect(second.output()).not.toContain('загружаю демо-город'); // the data survived; no second demo city
    expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
    second.child.kill('SIGINT');
    expect(await exited(second.child)).toBe(0);
  }, 180_000);
});
