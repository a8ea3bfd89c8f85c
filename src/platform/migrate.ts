import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';

export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../migrations');

export interface MigrationResult {
  applied: string[];
  current: string | undefined;
}

/**
 * Applies the plain numbered `.sql` migrations forward-only, each in its own transaction, under an
 * advisory lock so that several processes starting at once apply each migration exactly once.
 * A migration that changed after it was applied is an error: write a new one instead.
 */
export async function migrate(pool: pg.Pool, dir = MIGRATIONS_DIR): Promise<MigrationResult> {
  const files = (await readdir(dir)).filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f)).sort();
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', ['abonent:migrate']);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migration (
      version text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const done = new Map<string, string>(
      (await client.query('SELECT version, checksum FROM schema_migration')).rows.map((r) => [
        r.version,
        r.checksum,
      ]),
    );
    const applied: string[] = [];
    for (const file of files) {
      const version = file.replace(/\.sql$/, '');
      const text = await readFile(path.join(dir, file), 'utf8');
      const checksum = createHash('sha256').update(text).digest('hex');
      const known = done.get(version);
      if (known !== undefined) {
        if (known !== checksum) {
          throw new Error(
            `migration ${file} changed after it was applied; migrations are forward-only, add a new one`,
          );
        }
        continue;
      }
      await client.query('BEGIN');
      try {
        await client.query(text);
        await client.query('INSERT INTO schema_migration (version, checksum) VALUES ($1, $2)', [
          version,
          checksum,
        ]);
        await client.query('COMMIT');
      } catch (e) {
        await client.query('ROLLBACK');
        throw new Error(`migration ${file} failed: ${(e as Error).message}`);
      }
      applied.push(version);
    }
    return { applied, current: files.at(-1)?.replace(/\.sql$/, '') };
  } finally {
    await client.query('SELECT pg_advisory_unlock(hashtext($1))', ['abonent:migrate']).catch(() => {});
    client.release();
  }
}
