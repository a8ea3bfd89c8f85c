import { rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { type Database, openDatabase } from '../src/platform/database.ts';
import { startEmbeddedPostgres } from '../src/platform/embedded-postgres.ts';
import { freePort } from '../src/platform/free-port.ts';
import { migrate } from '../src/platform/migrate.ts';

/** What a benchmark prints last, as one JSON line, so results can be compared over time. */
export interface BenchResult {
  bench: string;
  unit: string;
  value: number;
  baseline: number;
  ratio: number;
  [more: string]: unknown;
}

export interface BenchContext {
  /** A fresh migrated database on the bench's PostgreSQL (DATABASE_URL or embedded). */
  database: Database;
  url: string;
  log(line: string): void;
}

export type Bench = (ctx: BenchContext) => Promise<BenchResult>;

/** Runs `fn` and returns seconds elapsed. */
export async function timed(fn: () => Promise<void>): Promise<number> {
  const t0 = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

export async function withBenchDatabase<T>(name: string, fn: (ctx: BenchContext) => Promise<T>): Promise<T> {
  let adminUrl = process.env.DATABASE_URL;
  let stop: (() => Promise<void>) | undefined;
  if (!adminUrl) {
    // A folder and port of this run's own: two benchmarks at once never share (or stop) a server.
    const dir = path.join(os.tmpdir(), `abonent-bench-pg-${process.pid}`);
    const server = await startEmbeddedPostgres(dir, await freePort(), 'postgres');
    adminUrl = server.url;
    stop = async () => {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    };
  }
  const dbName = `abonent_bench_${name.replace(/\W/g, '_')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${dbName}`);
  const u = new URL(adminUrl);
  u.pathname = `/${dbName}`;
  const url = u.toString();
  const database = openDatabase(url, 20);
  try {
    await migrate(database.pool);
    return await fn({ database, url, log: (l) => process.stdout.write(`${l}\n`) });
  } finally {
    await database.close();
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
    if (stop) await stop();
  }
}
