import type { Command } from 'commander';
import { equalInstalments } from '../../domain/debt-eligibility.ts';
import { parseFixedPoint } from '../../domain/fixed-point.ts';
import { localDateOf } from '../../domain/local-time.ts';
import { formatMoney } from '../../domain/money.ts';
import { formatLocalDate } from '../../domain/period.ts';
import { isDebtCaseState, isNoticeChannel } from '../../domain/restriction-workflow.ts';
import {
  accountDebt,
  completeFieldOrder,
  debtList,
  LedgerError,
  recordNoticeDelivered,
  runDebtDay,
  signAgreement,
} from '../../ledger/index.ts';
import type { AppContext } from '../../platform/app.ts';
import { type CliContext, CliInputError } from '../cli-context.ts';

/** `abonent debt …`: §11 debt cases, the daily job, notices, agreements, field orders. */

function date(value: string | undefined, what: string, app: AppContext): string {
  // Default: today in Moscow time (the job covers every region with one calendar date).
  if (value === undefined) return formatLocalDate(localDateOf(app.clock.now(), 'Europe/Moscow'));
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value))
    throw new CliInputError('BAD_DATE', `${what}: дата ГГГГ-ММ-ДД (указано «${value}»)`);
  return value;
}

function rubles(value: string): number {
  const r = parseFixedPoint(value.trim().replace(',', '.'), 2);
  if (!r.ok || Number(r.value) <= 0)
    throw new CliInputError(
      'BAD_AMOUNT',
      `--total: сумма в рублях больше нуля, например 2500.00 (указано «${value}»)`,
    );
  return Number(r.value);
}

function positiveInt(value: string, what: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1)
    throw new CliInputError('BAD_NUMBER', `${what}: целое число больше нуля`);
  return n;
}

async function call<T>(f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    if (e instanceof LedgerError) throw new CliInputError(e.code, e.message);
    throw e;
  }
}

export function registerDebtCommands(program: Command, ctx: CliContext): void {
  const debt = program
    .command('debt')
    .description(
      'Debt, restriction, suspension, reconnection (§11): cases, the daily job, agreements, orders',
    );

  debt
    .command('list')
    .description('Accounts with an overdue debt or a case: overdue, threshold, eligibility, state, next step')
    .option('--state <state>', 'only this case state (or "none": no case)')
    .option('--date <YYYY-MM-DD>', 'judge on this day (default today)')
    .option('--limit <n>', 'at most this many', '1000')
    .option('--json', 'JSON output')
    .action(async (o: { state?: string; date?: string; limit: string; json?: boolean }) => {
      const app = await ctx.app();
      if (o.state !== undefined && o.state !== 'none' && !isDebtCaseState(o.state))
        throw new CliInputError(
          'BAD_STATE',
          `--state: none | notice_pending | notified | restriction_ordered | restricted | suspension_ordered | suspended | reconnection_ordered`,
        );
      const rows = await call(() =>
        debtList(
          { db: app.database.db, clock: app.clock },
          {
            date: date(o.date, '--date', app),
            state: o.state as never,
            limit: positiveInt(o.limit, '--limit'),
          },
        ),
      );
      if (o.json) return ctx.out(JSON.stringify(rows, null, 2));
      for (const r of rows) {
        const threshold = r.thresholdKopecks === null ? r.reason : formatMoney(r.thresholdKopecks);
        ctx.out(
          `л/с ${r.account} ${r.address}: долг ${formatMoney(r.overdueKopecks)}, порог ${threshold}, ${r.eligible ? 'основание есть' : 'основания нет'}; ${r.stateName}; далее: ${r.nextStepName}${r.nextOn ? ` ${r.nextOn}` : ''}`,
        );
      }
      ctx.out(`Всего: ${rows.length}`);
    });

  debt
    .command('show')
    .description("One account's debt: judgement, agreements, cases with orders and the audit trail")
    .requiredOption('--account <number>', 'account number')
    .option('--date <YYYY-MM-DD>', 'judge on this day (default today in the region)')
    .action(async (o: { account: string; date?: string }) => {
      const app = await ctx.app();
      const v = await call(() =>
        accountDebt({ db: app.database.db, clock: app.clock }, { account: o.account, date: o.date }),
      );
      ctx.out(JSON.stringify(v, null, 2));
    });

  debt
    .command('run')
    .description('The daily job: open cases for eligible accounts, move cases whose day came (idempotent)')
    .option('--date <YYYY-MM-DD>', 'the day (default today)')
    .option('--json', 'JSON output')
    .action(async (o: { date?: string; json?: boolean }) => {
      const app = await ctx.app();
      const r = await call(() =>
        runDebtDay({ db: app.database.db, clock: app.clock }, date(o.date, '--date', app), {
          actor: 'cli',
          onProgress: (n) => {
            if (ctx.interactive) ctx.err(`проверено ${n}`);
          },
        }),
      );
      if (o.json) return ctx.out(JSON.stringify(r, null, 2));
      ctx.out(
        `${r.date}: проверено ${r.checked}, основание есть у ${r.eligible}, открыто дел ${r.opened}, переходов ${r.transitions.length}`,
      );
      for (const t of r.transitions)
        ctx.out(`  л/с ${t.account} дело ${t.caseId}: ${t.from} → ${t.to} (${t.event})`);
      for (const p of r.problems)
        ctx.out(`  л/с ${p.account}: ${p.code} — нет норматива или тарифа, проверьте справочники`);
    });

  debt
    .command('notice-delivered')
    .description('Record the day the debt notice reached the subscriber (fixes the restriction date)')
    .requiredOption('--account <number>', 'account number')
    .requiredOption('--date <YYYY-MM-DD>', 'delivery day')
    .requiredOption('--channel <channel>', 'sms | email | bill | mail | lkk')
    .action(async (o: { account: string; date: string; channel: string }) => {
      const app = await ctx.app();
      if (!isNoticeChannel(o.channel))
        throw new CliInputError('BAD_CHANNEL', '--channel: sms | email | bill | mail | lkk');
      const r = await call(() =>
        recordNoticeDelivered(
          { db: app.database.db, clock: app.clock },
          { account: o.account, date: date(o.date, '--date', app), channel: o.channel, by: 'cli' },
        ),
      );
      ctx.out(
        r.transition
          ? `Дело ${r.caseId}: предупреждение вручено ${o.date} (${o.channel}); ограничение возможно с ${r.restrictFrom}.`
          : `Дело ${r.caseId}: вручение уже отмечено; ограничение возможно с ${r.restrictFrom}.`,
      );
    });

  debt
    .command('agreement')
    .description('Record a signed repayment agreement: equal monthly instalments from the first due day')
    .requiredOption('--account <number>', 'account number')
    .requiredOption('--total <RUB>', 'the total, rubles (e.g. 2500.00)')
    .requiredOption('--instalments <k>', 'number of monthly instalments')
    .requiredOption('--first-due <YYYY-MM-DD>', 'the first instalment is due on this day')
    .option('--date <YYYY-MM-DD>', 'signing day (default today in the region)')
    .option('--document <number>', "the agreement's document number")
    .option('--json', 'JSON output')
    .action(
      async (o: {
        account: string;
        total: string;
        instalments: string;
        firstDue: string;
        date?: string;
        document?: string;
        json?: boolean;
      }) => {
        const app = await ctx.app();
        const total = rubles(o.total);
        const count = positiveInt(o.instalments, '--instalments');
        const firstDue = date(o.firstDue, '--first-due', app);
        if (count > 120 || count > total) throw new CliInputError('BAD_NUMBER', '--instalments: от 1 до 120');
        const r = await call(() =>
          signAgreement(
            { db: app.database.db, clock: app.clock },
            {
              account: o.account,
              totalKopecks: total,
              instalments: equalInstalments(total, count, firstDue),
              signedOn: o.date === undefined ? undefined : date(o.date, '--date', app),
              document: o.document,
              by: 'cli',
            },
          ),
        );
        if (o.json) return ctx.out(JSON.stringify(r, null, 2));
        ctx.out(
          `${r.created ? 'Соглашение записано' : 'Соглашение уже было записано'}: ${r.document} на ${formatMoney(total)}, платежей ${count}.` +
            (r.transition ? ` Дело ${r.transition.caseId}: ${r.transition.from} → ${r.transition.to}.` : ''),
        );
      },
    );

  debt
    .command('order-done')
    .description('A crew reports a field order executed (or restriction technically impossible)')
    .requiredOption('--order <id>', 'field order id')
    .requiredOption('--date <YYYY-MM-DD>', 'execution day')
    .option('--impossible', 'restriction is technically impossible: order suspension instead')
    .option('--by <name>', 'who executed it', 'crew')
    .action(async (o: { order: string; date: string; impossible?: boolean; by: string }) => {
      const app = await ctx.app();
      const r = await call(() =>
        completeFieldOrder(
          { db: app.database.db, clock: app.clock },
          {
            orderId: positiveInt(o.order, '--order'),
            date: date(o.date, '--date', app),
            by: o.by,
            impossible: o.impossible ?? false,
          },
        ),
      );
      ctx.out(
        r.transition
          ? `Наряд ${r.orderId}: отмечен; дело ${r.transition.caseId}: ${r.transition.from} → ${r.transition.to}.`
          : `Наряд ${r.orderId}: исполнение уже было отмечено.`,
      );
    });
}
