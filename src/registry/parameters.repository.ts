import { sql } from 'kysely';
import { type RuleParameters, ruleParametersFrom } from '../domain/parameters.ts';
import type { Executor } from '../platform/database.ts';

/**
 * Parameters in force in a region on a date: the region's own row wins over the default (region NULL);
 * among rows of the same scope the latest effective_from not after the date applies.
 */
export async function loadParameterValues(
  db: Executor,
  regionCode: string,
  date: string,
): Promise<Map<string, unknown>> {
  const rows = await sql<{ key: string; value: unknown }>`
    SELECT DISTINCT ON (key) key, value
    FROM parameter
    WHERE (region_code = ${regionCode} OR region_code IS NULL) AND effective_from <= ${date}::date
    ORDER BY key, (region_code IS NULL), effective_from DESC`.execute(db);
  return new Map(rows.rows.map((r) => [r.key, r.value]));
}

const cache = new Map<string, { at: number; value: RuleParameters }>();
/** Parameters change rarely; other processes see a change within this many milliseconds. */
export const PARAMETER_CACHE_MS = 10_000;

export async function loadRuleParameters(
  db: Executor,
  regionCode: string,
  date: string,
): Promise<RuleParameters> {
  const key = `${regionCode}|${date}`;
  const hit = cache.get(key);
  const now = performance.now();
  if (hit && now - hit.at < PARAMETER_CACHE_MS) return hit.value;
  const value = ruleParametersFrom(await loadParameterValues(db, regionCode, date));
  if (cache.size > 10_000) cache.clear();
  cache.set(key, { at: now, value });
  return value;
}

let generation = 0;

/** Forget cached parameters (after this process changed them). */
export function invalidateParameterCache(): void {
  cache.clear();
  generation++;
}

/** Grows each time this process changes parameters: other caches of parameters compare it. */
export function parameterGeneration(): number {
  return generation;
}

/**
 * The effective-dated history of some parameters in a region, oldest first: for each key, the rows that
 * apply there (the region's own rows replace the default rows from their first effective date on).
 */
export async function loadParameterHistory(
  db: Executor,
  regionCode: string,
  keys: string[],
): Promise<Map<string, { effectiveFrom: string; value: unknown }[]>> {
  const rows = await sql<{ key: string; regionCode: string | null; effectiveFrom: string; value: unknown }>`
    SELECT key, region_code AS "regionCode", effective_from AS "effectiveFrom", value
    FROM parameter
    WHERE key = ANY(${keys}::text[]) AND (region_code = ${regionCode} OR region_code IS NULL)
    ORDER BY key, effective_from, (region_code IS NULL)`.execute(db);
  const out = new Map<string, { effectiveFrom: string; value: unknown }[]>();
  for (const key of keys) {
    const own = rows.rows.filter((r) => r.key === key && r.regionCode !== null);
    const firstOwn = own[0]?.effectiveFrom;
    const merged = rows.rows.filter(
      (r) => r.key === key && (r.regionCode !== null || firstOwn === undefined || r.effectiveFrom < firstOwn),
    );
    out.set(
      key,
      merged.map((r) => ({ effectiveFrom: r.effectiveFrom, value: r.value })),
    );
  }
  return out;
}

export interface ParameterRow {
  id: number;
  regionCode: string | null;
  key: string;
  value: unknown;
  effectiveFrom: string;
  note: string | null;
}

export async function listParameters(db: Executor, regionCode?: string): Promise<ParameterRow[]> {
  const rows = await sql<ParameterRow>`
    SELECT id, region_code AS "regionCode", key, value, effective_from AS "effectiveFrom", note
    FROM parameter
    WHERE ${regionCode === undefined ? sql`true` : sql`region_code IS NULL OR region_code = ${regionCode}`}
    ORDER BY key, region_code NULLS FIRST, effective_from`.execute(db);
  return rows.rows;
}

export async function insertParameter(
  db: Executor,
  p: { regionCode: string | null; key: string; value: unknown; effectiveFrom: string; note?: string | null },
): Promise<ParameterRow> {
  const rows = await sql<ParameterRow>`
    INSERT INTO parameter (region_code, key, value, effective_from, note)
    VALUES (${p.regionCode}, ${p.key}, ${JSON.stringify(p.value)}::jsonb, ${p.effectiveFrom}, ${p.note ?? null})
    RETURNING id, region_code AS "regionCode", key, value, effective_from AS "effectiveFrom", note`.execute(
    db,
  );
  invalidateParameterCache();
  return rows.rows[0]!;
}
