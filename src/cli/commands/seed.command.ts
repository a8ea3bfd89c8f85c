import type { Command } from 'commander';
import { MAX_SEED_ACCOUNTS, seedDemoCity } from '../../registry/seed.service.ts';
import { type CliContext, CliInputError } from '../cli-context.ts';

/** `abonent seed --accounts N [--seed S]`: the deterministic demo city, loaded by COPY. */
export function registerSeedCommand(program: Command, ctx: CliContext): void {
  program
    .command('seed')
    .description('Load a deterministic demo city: houses, accounts, meters and a year of readings (COPY)')
    .requiredOption('--accounts <n>', 'how many accounts to add')
    .option('--seed <s>', 'random seed: the same seed on the same database gives the same data', '1')
    .option('--json', 'print the summary as JSON')
    .action(async (o) => {
      const accounts = Number(o.accounts);
      const seed = Number(o.seed);
      if (!Number.isInteger(accounts) || accounts < 1 || accounts > MAX_SEED_ACCOUNTS) {
        throw new CliInputError(
          'ACCOUNTS_INVALID',
          `--accounts: целое число от 1 до ${MAX_SEED_ACCOUNTS} / an integer 1..${MAX_SEED_ACCOUNTS}`,
        );
      }
      if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
        throw new CliInputError(
          'SEED_INVALID',
          '--seed: целое число от 0 до 4294967295 / an integer 0..4294967295',
        );
      }
      const app = await ctx.app();
      const started = performance.now();
      let nextStep = 0;
      const summary = await seedDemoCity(app.database, {
        accounts,
        seed,
        now: app.clock.now(),
        onProgress: (done, total) => {
          const share = done / total;
          const elapsed = (performance.now() - started) / 1000;
          const rate = done / Math.max(elapsed, 0.001);
          const eta = (total - done) / Math.max(rate, 1);
          const line = `seed: ${(share * 100).toFixed(0)}%  ${done}/${total} счетов  ${Math.round(rate)}/s  осталось ~${eta.toFixed(0)} s`;
          if (ctx.interactive) process.stderr.write(`\r${line}   ${done === total ? '\n' : ''}`);
          else if (share >= nextStep || done === total) {
            ctx.err(line);
            nextStep = Math.floor(share * 10) / 10 + 0.1;
          }
        },
      });
      if (o.json) {
        ctx.out(JSON.stringify(summary, null, 2));
        return;
      }
      ctx.out(
        `Демо-город загружен / demo city loaded: ${summary.accounts} счетов, ${summary.houses} домов, ${summary.meters} счётчиков, ${summary.readings} показаний за ${summary.seconds.toFixed(1)} с`,
      );
      ctx.out(`Лицевые счета / accounts: ${summary.firstAccountNumber} … ${summary.lastAccountNumber}`);
      for (const s of summary.samples.slice(0, 8))
        ctx.out(`  ${s.account}  ${s.meterSerial}  ${s.kind}: ${s.note}`);
    });
}
