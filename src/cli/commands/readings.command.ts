import type { Command } from 'commander';
import { IntakeInputError, type IntakeResult, listReadingsOf, submitReading } from '../../intake/index.ts';
import { type CliContext, CliInputError } from '../cli-context.ts';

/** `abonent readings submit|list`: the same intake use case as every other channel. */
export function registerReadingsCommands(program: Command, ctx: CliContext): void {
  const readings = program.command('readings').description('Submit and list meter readings (domain.md §4)');

  readings
    .command('submit')
    .description('Submit a reading through the one intake; exit 0 accepted/held, 2 refused')
    .option('--account <number>', 'account number')
    .option('--phone <e164>', 'a phone linked to the account')
    .option('--meter <serial>', 'meter serial (required when the account has several meters)')
    .option('--t1 <value>', 'register T1 (single-rate value)')
    .option('--t2 <value>', 'register T2')
    .option('--t3 <value>', 'register T3')
    .option('--channel <channel>', 'channel the reading came through', 'operator')
    .option('--taken-at <iso>', 'when the values were read (ISO 8601 with offset); now by default')
    .option('--external-id <id>', "the channel's message id (a repeat gets the first answer)")
    .option('--submitted-by <who>', 'who entered it')
    .option('--kind <kind>', 'regular or control', 'regular')
    .option('--json', 'print the typed result as JSON')
    .action(async (o) => {
      const values = [o.t1, o.t2, o.t3].filter((v) => v !== undefined) as string[];
      if (o.t1 === undefined || (o.t3 !== undefined && o.t2 === undefined)) {
        throw new CliInputError(
          'VALUES_REQUIRED',
          'Укажите показания: --t1 V [--t2 V [--t3 V]] / give --t1 V [--t2 V [--t3 V]]',
        );
      }
      const app = await ctx.app();
      let result: IntakeResult;
      try {
        result = await submitReading(
          { db: app.database.db, clock: app.clock },
          {
            account: o.account,
            phone: o.phone,
            meter: o.meter,
            values,
            channel: o.channel,
            takenAt: o.takenAt,
            externalId: o.externalId,
            submittedBy: o.submittedBy,
            kind: o.kind,
          },
        );
      } catch (e) {
        if (e instanceof IntakeInputError) throw new CliInputError(e.code, e.message);
        throw e;
      }
      if (o.json) ctx.out(JSON.stringify(result, null, 2));
      else ctx.out(`${labelOf(result)}: ${result.message}`);
      if (result.outcome === 'invalid' || result.outcome === 'rejected') {
        throw new CliInputError(result.reason?.code ?? 'REFUSED', result.message, { printed: true });
      }
    });

  readings
    .command('list')
    .description('Reading history of an account or a meter, newest first')
    .option('--account <number>', 'account number')
    .option('--meter <serial>', 'meter serial')
    .option('--limit <n>', 'how many', '50')
    .option('--json', 'print JSON')
    .action(async (o) => {
      if (!o.account && !o.meter)
        throw new CliInputError(
          'ACCOUNT_REQUIRED',
          'Укажите --account или --meter / give --account or --meter',
        );
      const limit = Number(o.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
        throw new CliInputError('LIMIT_INVALID', '--limit: 1..1000');
      const app = await ctx.app();
      const list = await listReadingsOf(app.database.db, {
        account: o.account,
        meter: o.meter,
        limit,
      } as never);
      if (!list)
        throw new CliInputError(
          o.account ? 'ACCOUNT_NOT_FOUND' : 'METER_NOT_FOUND',
          'Лицевой счёт или счётчик не найден / account or meter not found',
        );
      if (o.json) {
        ctx.out(JSON.stringify({ account: o.account, meter: o.meter, readings: list }, null, 2));
        return;
      }
      for (const r of list) {
        ctx.out(
          `${r.takenAt}  ${r.period}  ${r.meter}  ${r.values.join(' / ').padEnd(20)}  ${r.status.padEnd(10)} ${r.channel}${r.reasonCode ? `  ${r.reasonCode}` : ''}`,
        );
      }
      if (list.length === 0) ctx.out('Показаний нет / no readings');
    });
}

function labelOf(r: IntakeResult): string {
  return { accepted: 'ПРИНЯТО', held: 'НА ПРОВЕРКЕ', rejected: 'ОТКЛОНЕНО', invalid: 'ОШИБКА' }[r.outcome];
}
