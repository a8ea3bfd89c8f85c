import type { Command } from 'commander';
import { parseFixedPoint } from '../../domain/fixed-point.ts';
import { formatMoney } from '../../domain/money.ts';
import { isPaymentChannel } from '../../domain/payment-channels.ts';
import {
  accountStatement,
  checkLedger,
  LedgerError,
  postOpeningBalance,
  refundAdvance,
  settlePayments,
  submitPayment,
  transferBetweenPrincipals,
  writeOffDebt,
} from '../../ledger/index.ts';
import { CliCheckFailed, type CliContext, CliInputError } from '../cli-context.ts';

/** `payments` is shared with the channel commands (bank registries): whoever registers first creates it. */
export function paymentsCommand(program: Command): Command {
  return (
    program.commands.find((c) => c.name() === 'payments') ??
    program.command('payments').description('Payments (§9): take, settle, refund, import bank registries')
  );
}

function rubles(value: string, what = '--amount'): number {
  const negative = value.trim().startsWith('-');
  const r = parseFixedPoint(value.trim().replace(/^-/, '').replace(',', '.'), 2);
  if (!r.ok)
    throw new CliInputError('BAD_AMOUNT', `${what}: сумма в рублях, например 1500.00 (указано «${value}»)`);
  return negative ? -Number(r.value) : Number(r.value);
}

function date(value: string, what: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value))
    throw new CliInputError('BAD_DATE', `${what}: дата ГГГГ-ММ-ДД (указано «${value}»)`);
  return value;
}

async function ledgerCall<T>(f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    if (e instanceof LedgerError) throw new CliInputError(e.code, e.message);
    throw e;
  }
}

export function registerLedgerCommands(program: Command, ctx: CliContext): void {
  const ledger = program
    .command('ledger')
    .description('The double-entry ledger (§9): check, statements, corrections');
  ledger
    .command('check')
    .description('Re-derive cached balances and postings from the entries; exit 1 on any mismatch')
    .option('--json', 'JSON output')
    .action(async (o: { json?: boolean }) => {
      const app = await ctx.app();
      const r = await checkLedger(app.database.db);
      if (o.json) ctx.out(JSON.stringify(r, null, 2));
      else {
        ctx.out(
          `Проводок ${r.counts.txns}, записей ${r.counts.entries}, счетов с остатком ${r.counts.accounts}, платежей ${r.counts.payments}, выпущенных счетов ${r.counts.issuedBills}`,
        );
        for (const p of r.problems) ctx.out(`  ${p.code} ${p.ref}: ${p.detail}`);
        ctx.out(r.ok ? 'Расхождений нет.' : `Расхождений: ${r.problems.length}.`);
      }
      if (!r.ok) throw new CliCheckFailed('ledger check found problems');
    });
  ledger
    .command('statement')
    .description("An account's balance, open items per period, payments and movements")
    .requiredOption('--account <number>', 'account number')
    .option('--json', 'JSON output')
    .action(async (o: { account: string; json?: boolean }) => {
      const app = await ctx.app();
      const s = await ledgerCall(() =>
        accountStatement({ db: app.database.db, clock: app.clock }, o.account),
      );
      if (o.json) return ctx.out(JSON.stringify(s, null, 2));
      ctx.out(`Л/с ${s.account.number}, ${s.account.payerName}, ${s.account.address} — на ${s.asOf}`);
      ctx.out(
        `Баланс ${formatMoney(s.balanceKopecks)} (электроэнергия ${formatMoney(s.energyKopecks)}, пени ${formatMoney(s.penaltyKopecks)}); просрочено ${formatMoney(s.overdueKopecks)}; аванс ${formatMoney(s.advanceKopecks)}`,
      );
      for (const i of s.openItems)
        ctx.out(
          `  ${i.period}: начислено ${formatMoney(i.chargedKopecks)}, оплачено ${formatMoney(i.paidKopecks)}, долг ${formatMoney(i.openKopecks)}, срок ${i.dueDate}${i.overdue ? ' — просрочен' : ''}`,
        );
      for (const p of s.payments)
        ctx.out(
          `  платёж ${p.paidOn} ${formatMoney(p.amountKopecks)} (${p.channel} ${p.externalId}): ${p.state === 'credited' ? `зачислен ${p.creditedOn}` : `принят, зачисление до ${p.creditExpectedOn}`}`,
        );
    });
  ledger
    .command('transfer')
    .description('Money collected by one principal (an agent) remitted to another')
    .requiredOption('--from <code>', 'principal paying')
    .requiredOption('--to <code>', 'principal receiving')
    .requiredOption('--amount <rubles>', 'amount, RUB')
    .requiredOption('--on <date>', 'date of the transfer')
    .requiredOption('--key <id>', 'idempotency key, e.g. the payment order number')
    .option('--memo <text>', 'purpose', 'перечисление собранных платежей')
    .action(
      async (o: { from: string; to: string; amount: string; on: string; key: string; memo: string }) => {
        const app = await ctx.app();
        const id = await ledgerCall(() =>
          transferBetweenPrincipals(app.database.db, {
            ...o,
            amountKopecks: rubles(o.amount),
            on: date(o.on, '--on'),
            by: 'cli',
          }),
        );
        ctx.out(id === null ? 'Уже проведено ранее (тот же --key).' : `Проведено: проводка ${id}.`);
      },
    );

  const payments = paymentsCommand(program);
  payments
    .command('add')
    .description('Take a payment at a cash desk, by post or from a bank statement')
    .requiredOption('--account <number>', 'account number')
    .requiredOption('--amount <rubles>', 'amount, RUB')
    .requiredOption('--id <externalId>', 'receipt or document number (idempotency)')
    .option('--channel <channel>', 'cash_desk | post | operator', 'cash_desk')
    .option('--paid-at <iso>', 'when the payer paid (default now)')
    .option('--period <YYYY-MM>', 'the period the payer named')
    .option('--settled-on <date>', 'the money is already on the account')
    .option('--json', 'JSON output')
    .action(
      async (o: {
        account: string;
        amount: string;
        id: string;
        channel: string;
        paidAt?: string;
        period?: string;
        settledOn?: string;
        json?: boolean;
      }) => {
        if (!isPaymentChannel(o.channel)) throw new CliInputError('BAD_CHANNEL', `--channel: ${o.channel}?`);
        const app = await ctx.app();
        const r = await submitPayment(
          { db: app.database.db, clock: app.clock },
          {
            channel: o.channel,
            externalId: o.id,
            account: o.account,
            amountKopecks: rubles(o.amount),
            paidAt: o.paidAt ?? app.clock.now().toISOString(),
            ...(o.period ? { period: o.period } : {}),
            ...(o.settledOn ? { settledOn: date(o.settledOn, '--settled-on') } : {}),
          },
        );
        if (o.json) ctx.out(JSON.stringify(r, null, 2));
        if (r.outcome === 'refused') throw new CliInputError(r.code, r.message, { printed: Boolean(o.json) });
        if (!o.json) ctx.out(`${r.message}${r.duplicate ? ' (повтор: ничего не зачислено повторно)' : ''}`);
      },
    );
  payments
    .command('settle')
    .description(
      'Mark accepted payments credited (§9): due by a date, or all of one channel from its statement',
    )
    .requiredOption('--through <date>', 'settle payments expected by this date')
    .option('--channel <channel>', "all of this channel's payments paid by --through (its statement arrived)")
    .action(async (o: { through: string; channel?: string }) => {
      const app = await ctx.app();
      const r = await settlePayments(app.database.db, {
        through: date(o.through, '--through'),
        ...(o.channel ? { channel: o.channel, source: 'statement' } : {}),
      });
      ctx.out(`Зачислено платежей: ${r.settled} на ${formatMoney(r.kopecks)}.`);
    });
  for (const kind of ['refund', 'write-off', 'opening'] as const) {
    payments
      .command(kind)
      .description(
        kind === 'refund'
          ? 'Refund an overpayment (at most the advance)'
          : kind === 'write-off'
            ? 'Write off an energy debt (at most the debt)'
            : 'Opening balance handed over with a house (§13): + debt, − advance',
      )
      .requiredOption('--account <number>', 'account number')
      .requiredOption('--amount <rubles>', 'amount, RUB')
      .requiredOption('--key <id>', 'idempotency key (application or act number)')
      .option('--memo <text>', 'reason', kind)
      .option('--period <YYYY-MM>', 'period')
      .action(async (o: { account: string; amount: string; key: string; memo: string; period?: string }) => {
        const app = await ctx.app();
        const deps = { db: app.database.db, clock: app.clock };
        const input = {
          account: o.account,
          amountKopecks: rubles(o.amount),
          key: o.key,
          memo: o.memo,
          by: 'cli',
          ...(o.period ? { period: o.period } : {}),
        };
        const f =
          kind === 'refund' ? refundAdvance : kind === 'write-off' ? writeOffDebt : postOpeningBalance;
        const r = await ledgerCall(() => f(deps, input));
        ctx.out(
          `${r.txnId === null ? 'Уже проведено ранее (тот же --key).' : `Проведено: проводка ${r.txnId}.`} Баланс: ${formatMoney(r.balance.receivableKopecks + r.balance.penaltyKopecks)}.`,
        );
      });
  }
}
