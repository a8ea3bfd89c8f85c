import type { Command } from 'commander';
import { cardDepsFrom, reconcilePendingCardPayments } from '../../channels/card/index.ts';
import { type CliContext, CliInputError } from '../cli-context.ts';

/** `abonent card-payments reconcile`: ask the provider about unfinished card payments (docs/payments-card.md). */
export function registerCardPaymentCommands(program: Command, ctx: CliContext): void {
  program
    .command('card-payments')
    .description('Card payments through the payment provider')
    .command('reconcile')
    .description(
      'Ask the provider about card payments still unfinished after N minutes; credit the paid, record the canceled',
    )
    .option('--older-than-minutes <n>', 'only payments created at least this long ago', '10')
    .option('--json', 'print the summary as JSON')
    .action(async (o: { olderThanMinutes: string; json?: boolean }) => {
      const minutes = Number(o.olderThanMinutes);
      if (!Number.isInteger(minutes) || minutes < 0 || minutes > 100_000)
        throw new CliInputError(
          'MINUTES_INVALID',
          '--older-than-minutes: целое число 0..100000 / an integer 0..100000',
        );
      const app = await ctx.app();
      const s = await reconcilePendingCardPayments(cardDepsFrom(app), { olderThanMinutes: minutes });
      if (o.json) ctx.out(JSON.stringify(s));
      else
        ctx.out(
          `Проверено ${s.checked}: оплачено ${s.succeeded}, отменено ${s.canceled}, ожидают ${s.pending}, сервис недоступен ${s.unreachable}, ошибок ${s.failed} / checked ${s.checked}: succeeded ${s.succeeded}, canceled ${s.canceled}, pending ${s.pending}, unreachable ${s.unreachable}, failed ${s.failed}`,
        );
      for (const e of s.errors) ctx.err(e);
    });
}
