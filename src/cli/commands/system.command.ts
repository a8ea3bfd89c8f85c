import type { Command } from 'commander';
import { createOperatorKey } from '../../platform/operator-auth.ts';
import { type CliContext, CliInputError } from '../cli-context.ts';

/** `abonent migrate`, `abonent operator-key create NAME`. */
export function registerSystemCommands(program: Command, ctx: CliContext): void {
  program
    .command('migrate')
    .description('Apply pending database migrations (forward-only)')
    .action(async () => {
      await ctx.app(); // opening applies migrations under an advisory lock
      ctx.out('Миграции применены / migrations applied');
    });

  program
    .command('operator-key')
    .description('Operator API keys')
    .command('create')
    .argument('<name>', 'whose key it is')
    .description('Create an operator API key; it is shown once, only its hash is stored')
    .action(async (name: string) => {
      if (!/^.{2,100}$/.test(name))
        throw new CliInputError('NAME_INVALID', 'Имя ключа: 2–100 символов / name: 2–100 chars');
      const app = await ctx.app();
      ctx.out(await createOperatorKey(app.database.db, name));
    });
}
