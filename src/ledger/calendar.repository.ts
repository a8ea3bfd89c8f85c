import { sql } from 'kysely';
import { parseLocalDate } from '../domain/period.ts';
import type { CalendarException } from '../domain/working-days.ts';
import type { Executor } from '../platform/database.ts';
import { PARAMETER_CACHE_MS } from '../registry/index.ts';

const cache = new Map<string, { at: number; value: CalendarException[] }>();

/** The working-day calendar of a region (federal rows, overridden by the region's own), cached briefly. */
export async function regionCalendar(db: Executor, regionCode: string): Promise<CalendarException[]> {
  const hit = cache.get(regionCode);
  const now = performance.now();
  if (hit && now - hit.at < PARAMETER_CACHE_MS) return hit.value;
  const r = await sql<{ day: string; isWorking: boolean; regionCode: string | null }>`
    SELECT DISTINCT ON (day) day, is_working AS "isWorking", region_code AS "regionCode" FROM calendar_day
    WHERE region_code = ${regionCode} OR region_code IS NULL
    ORDER BY day, (region_code IS NULL)`.execute(db);
  const value = r.rows.map((x) => ({
    day: parseLocalDate(x.day),
    isWorking: x.isWorking,
    regionCode: x.regionCode,
  }));
  cache.set(regionCode, { at: now, value });
  return value;
}
