import { runCli } from '../../src/cli/program.ts';
import type { AppContext } from '../../src/platform/app.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { loadConfig } from '../../src/platform/config.ts';
import type { TestDatabase } from './db.ts';

/** An application context over a test database with a fixed clock. */
export function testAppContext(t: TestDatabase, clock: string): AppContext {
  return {
    config: loadConfig({}),
    database: t,
    url: t.url,
    clock: fixedClock(clock),
    embedded: false,
    close: async () => {},
  };
}

/** Runs the whole `abonent` command tree in-process; returns the exit code and what it printed. */
export async function runTestCli(t: TestDatabase, args: string[], clock = '2026-11-20T10:00:00Z') {
  const out: string[] = [];
  const err: string[] = [];
  const app = testAppContext(t, clock);
  const code = await runCli(args, {
    app: async () => app,
    out: (s) => out.push(s),
    err: (s) => err.push(s),
    interactive: false,
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}
