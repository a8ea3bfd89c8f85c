import { rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../../src/platform/embedded-postgres.ts';
import { freePort } from '../../src/platform/free-port.ts';
import { migrate } from '../../src/platform/migrate.ts';

/**
 * One PostgreSQL per test run: the one named by DATABASE_URL, or an embedded server. A template database
 * is migrated once; each test file gets its own database cloned from it (see test/support/db.ts).
 */
export default async function setup(project: TestProject) {
  let stopServer: (() => Promise<void>) | undefined;
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    // A folder and port of this run's own, so that parallel runs never touch each other's server.
    const dir = path.join(os.tmpdir(), `abonent-test-pg-${process.pid}`);
    const server = await startEmbeddedPostgres(dir, await freePort(), 'postgres');
    adminUrl = server.url;
    stopServer = async () => {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    };
  }
  const runTag = `abonent_test_${process.pid}`;
  const template = `${runTag}_tpl`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${template}`);
  await admin.query(`CREATE DATABASE ${template}`);
  const tplPool = new pg.Pool({ connectionString: withDatabase(adminUrl, template), max: 1 });
  await migrate(tplPool);
  await tplPool.end();
  await admin.end();

  project.provide('pgAdminUrl', adminUrl);
  project.provide('pgTemplate', template);
  project.provide('pgRunTag', runTag);

  return async () => {
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    // Only this run's databases: another run may be using its own at the same time.
    const left = await c.query('SELECT datname FROM pg_database WHERE datname LIKE $1', [`${runTag}\\_%`]);
    for (const r of left.rows) await c.query(`DROP DATABASE IF EXISTS ${r.datname} WITH (FORCE)`);
    await c.end();
    if (stopServer) await stopServer();
  };
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
    pgTemplate: string;
    pgRunTag: string;
  }
}
