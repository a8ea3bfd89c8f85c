import { Kysely, PostgresDialect, type Transaction } from 'kysely';
import pg from 'pg';

// int8 (ids, watt-hours, kopecks) as JS numbers: every value we store is far below 2^53.
pg.types.setTypeParser(20, (v) => toSafeNumber(v));
// numeric (areas in m²) as numbers.
pg.types.setTypeParser(1700, (v) => Number(v));
// date as 'YYYY-MM-DD' text, never shifted by the server's time zone.
pg.types.setTypeParser(1082, (v) => v);
// int8[] as number[]
pg.types.setTypeParser(1016 as Parameters<typeof pg.types.setTypeParser>[0], (v: string) => parseIntArray(v));

function toSafeNumber(v: string): number {
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw new Error(`int8 value ${v} is outside the safe integer range`);
  return n;
}

function parseIntArray(v: string): number[] {
  const inner = v.slice(1, -1);
  return inner === '' ? [] : inner.split(',').map(toSafeNumber);
}

// biome-ignore lint/suspicious/noExplicitAny: tables are reached through the `sql` tag, rows typed per query.
export type Db = Kysely<any>;
// biome-ignore lint/suspicious/noExplicitAny: see Db
export type Tx = Transaction<any>;
export type Executor = Db | Tx;

export interface Database {
  db: Db;
  pool: pg.Pool;
  close(): Promise<void>;
}

export function openDatabase(url: string, max = 10): Database {
  const pool = new pg.Pool({ connectionString: url, max, application_name: 'abonent' });
  pool.on('error', () => {}); // an idle client dropped by the server is replaced on next use
  // A client in use whose server goes away (a restart, the embedded server stopped on Ctrl-C) fails its
  // query — the caller sees that — and must not also crash the process with an unhandled 'error' event.
  pool.on('connect', (client) => {
    client.on('error', () => {});
  });
  const db: Db = new Kysely({ dialect: new PostgresDialect({ pool }) });
  let closed = false;
  return {
    db,
    pool,
    async close() {
      if (closed) return;
      closed = true;
      await db.destroy();
    },
  };
}

/** PostgreSQL error codes we act on. */
export const PgError = {
  uniqueViolation: '23505',
  serializationFailure: '40001',
  deadlockDetected: '40P01',
} as const;

export function pgErrorCode(e: unknown): string | undefined {
  const code = (e as { code?: unknown })?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * A Kysely over one checked-out connection (its queries run on that client, in whatever transaction the
 * caller opened on it), for work that also needs the raw client — COPY — in the same transaction.
 */
export function connectionDb(client: pg.PoolClient): Db {
  const pool = {
    // Kysely's driver only queries and releases; releasing is the caller's business, not Kysely's.
    connect: async () => ({ query: client.query.bind(client), release: () => {} }),
    end: async () => {},
  };
  return new Kysely({ dialect: new PostgresDialect({ pool: pool as unknown as pg.Pool }) });
}
