import { type Clock, clockFromEnv } from './clock.ts';
import { type Config, loadConfig } from './config.ts';
import { type Database, openDatabase } from './database.ts';
import { startEmbeddedPostgres } from './embedded-postgres.ts';
import { migrate } from './migrate.ts';

/** What every entry point (server, CLI, jobs, benchmarks) runs on: configuration, database, clock. */
export interface AppContext {
  config: Config;
  database: Database;
  /** The connection string in use (the embedded server's when DATABASE_URL is unset), for child workers. */
  url: string;
  clock: Clock;
  /** Whether this process started the embedded PostgreSQL. */
  embedded: boolean;
  close(): Promise<void>;
}

export interface OpenOptions {
  config?: Config;
  /** Apply pending migrations (default true). */
  migrate?: boolean;
  poolSize?: number;
  log?: (msg: string) => void;
}

/**
 * Opens the system of record: the PostgreSQL named by DATABASE_URL, or the embedded server in the data
 * folder (started, and stopped again on close). Applies migrations unless told not to.
 */
export async function openApp(options: OpenOptions = {}): Promise<AppContext> {
  const config = options.config ?? loadConfig();
  const log = options.log ?? (() => {});
  let url = config.databaseUrl;
  let stopEmbedded: (() => Promise<void>) | undefined;
  if (!url) {
    const server = await startEmbeddedPostgres(config.dataDir, config.embeddedPgPort, 'abonent', (m) => {
      if (/ERROR|FATAL|PANIC|initialising|orphan/.test(m) && !/due to administrator command/.test(m)) log(m);
    });
    url = server.url;
    stopEmbedded = server.stop;
  }
  const database = openDatabase(url, options.poolSize ?? 10);
  try {
    if (options.migrate !== false) {
      const result = await migrate(database.pool);
      if (result.applied.length > 0) log(`migrations applied: ${result.applied.join(', ')}`);
    }
  } catch (e) {
    await database.close();
    if (stopEmbedded) await stopEmbedded();
    throw e;
  }
  return {
    config,
    database,
    url,
    clock: clockFromEnv(config.clock),
    embedded: stopEmbedded !== undefined,
    async close() {
      await database.close();
      if (stopEmbedded) await stopEmbedded();
    },
  };
}
