import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Bench, withBenchDatabase } from './harness.ts';

/** `npm run bench -- NAME [NAME …]`: runs bench/NAME.bench.ts and prints its JSON result line last. */
const here = path.dirname(fileURLToPath(import.meta.url));
const available = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .map((f) => f.replace(/\.bench\.ts$/, ''));
// Bench names are the words that are neither flags nor a flag's value (`--accounts 1000000`, `--count=5`).
const args = process.argv.slice(2);
const names = args.filter((a, i) => {
  const before = args[i - 1];
  return !a.startsWith('-') && !(before?.startsWith('--') && !before.includes('='));
});
if (names.length === 0 || names.some((n) => !available.includes(n))) {
  process.stderr.write(`usage: npm run bench -- NAME\navailable: ${available.join(', ')}\n`);
  process.exit(2);
}
for (const name of names) {
  const mod = (await import(path.join(here, `${name}.bench.ts`))) as { default: Bench };
  const result = await withBenchDatabase(name, mod.default);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
process.exit(0);
