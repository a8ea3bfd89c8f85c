import { type MoneyParameters, moneyParametersFrom } from '../domain/money-parameters.ts';
import type { Executor } from '../platform/database.ts';
import { loadParameterValues, PARAMETER_CACHE_MS, parameterGeneration } from '../registry/index.ts';

const cache = new Map<string, { at: number; generation: number; value: MoneyParameters }>();

/** The money parameters in force in a region on a date (cached like the rule parameters). */
export async function loadMoneyParameters(
  db: Executor,
  regionCode: string,
  date: string,
): Promise<MoneyParameters> {
  const key = `${regionCode}|${date}`;
  const hit = cache.get(key);
  const now = performance.now();
  if (hit && now - hit.at < PARAMETER_CACHE_MS && hit.generation === parameterGeneration()) return hit.value;
  const value = moneyParametersFrom(await loadParameterValues(db, regionCode, date));
  if (cache.size > 10_000) cache.clear();
  cache.set(key, { at: now, generation: parameterGeneration(), value });
  return value;
}
