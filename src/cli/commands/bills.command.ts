import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import {
  billDocuments,
  billVersions,
  createBillPdfRenderer,
  findBill,
  listBills,
} from '../../billing/index.ts';
import type { BillDocument } from '../../domain/bill-document.ts';
import { formatMoney } from '../../domain/money.ts';
import { formatKwh } from '../../domain/register-value.ts';
import { type CliContext, CliInputError } from '../cli-context.ts';
import { period } from './billing.command.ts';

const KIND: Record<string, string> = {
  consumption: 'начисление',
  recalculation: 'перерасчёт',
  common_needs: 'ОДН',
};

/** A bill as text: the same lines the PDF prints, for the terminal. */
export function billText(doc: BillDocument, status: string): string[] {
  const out = [
    `Счёт ${doc.number} версия ${doc.version} (${status}) за ${doc.period}, сформирован ${doc.formedOn}`,
    `Плательщик: ${doc.account.payerName}, ${doc.account.address}, л/с ${doc.account.number}`,
  ];
  for (const m of doc.meters) {
    const prev = m.previous
      ? `${m.previous.valuesWh.map(formatKwh).join(' / ')} (${m.previous.takenOn ?? m.previous.period})`
      : '—';
    const cur = m.current
      ? `${m.current.valuesWh.map(formatKwh).join(' / ')} (${m.current.takenOn ?? m.current.period})`
      : '—';
    out.push(
      `Счётчик ${m.serial ?? 'нет'} [${m.zoneNames.join(', ')}]: ${m.source} ${m.rule} (${m.cite}); было ${prev}, стало ${cur}`,
    );
  }
  for (const l of doc.lines) {
    const periods = l.kind === 'recalculation' ? ` за ${l.periods.join(', ')}` : '';
    out.push(
      `  ${KIND[l.kind] ?? l.kind}${periods} ${l.zone}: ${formatKwh(l.volumeWh)} кВт·ч × ${formatMoney(l.priceKopecksPerKwh)} = ${formatMoney(l.amountKopecks)} (${l.rule}, тариф с ${l.tariff.effectiveFrom}${l.days ? `, ${l.from}…${l.to}` : ''})`,
    );
  }
  const t = doc.totals;
  out.push(
    `Начислено ${formatMoney(t.chargedKopecks)}; долг на начало ${formatMoney(t.balanceForwardKopecks)}; оплачено ${formatMoney(t.paymentsKopecks)}; пени ${formatMoney(t.penaltiesKopecks)}`,
    `К оплате ${formatMoney(t.amountDueKopecks)} до ${doc.dueDate} (доставка до ${doc.deliverBy})`,
  );
  return out;
}

export function registerBillsCommands(program: Command, ctx: CliContext): void {
  const bills = program.command('bills').description('Bills (payment documents, §8): show, list, PDF');
  bills
    .command('show')
    .description("Show an account's bill for a period")
    .requiredOption('--account <number>', 'account number')
    .requiredOption('--period <YYYY-MM>', 'period')
    .option('--version <n>', 'a given version (default: the current one)')
    .option('--versions', 'list every version instead')
    .option('--json', 'print JSON')
    .action(async (o) => {
      const app = await ctx.app();
      const q = { accountNumber: String(o.account), period: period(o.period) };
      if (o.versions) {
        const list = await billVersions(app.database.db, q);
        if (o.json) ctx.out(JSON.stringify(list, null, 2));
        else
          for (const b of list)
            ctx.out(
              `${b.number} v${b.version} ${b.status} ${formatMoney(b.amountDueKopecks)} ${b.createdAt.toISOString()}`,
            );
        return;
      }
      const version = o.version === undefined ? undefined : Number(o.version);
      const bill = await findBill(app.database.db, { ...q, ...(version !== undefined ? { version } : {}) });
      if (!bill) {
        throw new CliInputError(
          'BILL_NOT_FOUND',
          `Счёта по л/с ${q.accountNumber} за ${q.period} нет. Сформирован ли расчёт? abonent bill --period ${q.period}`,
        );
      }
      if (o.json) {
        const { document, ...meta } = bill;
        ctx.out(JSON.stringify({ ...meta, document }, null, 2));
        return;
      }
      for (const line of billText(bill.document, bill.status)) ctx.out(line);
    });
  bills
    .command('list')
    .description("List a period's current bills")
    .requiredOption('--period <YYYY-MM>', 'period')
    .option('--region <code>', 'region')
    .option('--status <draft|issued>', 'status')
    .option('--limit <n>', 'at most this many', '100')
    .option('--json', 'print JSON')
    .action(async (o) => {
      const app = await ctx.app();
      if (o.status && !['draft', 'issued'].includes(o.status))
        throw new CliInputError('BAD_STATUS', '--status: draft | issued');
      const rows = await listBills(app.database.db, {
        period: period(o.period),
        regionCode: o.region,
        status: o.status,
        limit: Math.min(Math.max(Number(o.limit) || 100, 1), 100_000),
      });
      if (o.json) ctx.out(JSON.stringify(rows, null, 2));
      else
        for (const b of rows)
          ctx.out(
            `${b.number} v${b.version} ${b.status} л/с ${b.accountNumber} ${formatMoney(b.amountDueKopecks)} до ${b.dueDate}`,
          );
    });
  bills
    .command('pdf')
    .description(
      'Render bills to PDF files <number>-v<version>.pdf (resumable: files already written are kept)',
    )
    .requiredOption('--period <YYYY-MM>', 'period')
    .requiredOption('--out <dir>', 'output folder (created if missing)')
    .option('--account <number>', 'one account only')
    .option('--region <code>', 'one region only')
    .option('--status <draft|issued>', 'only drafts or only issued bills')
    .option('--lang <ru|en>', 'language of the documents', 'ru')
    .action(async (o) => {
      const app = await ctx.app();
      if (!['ru', 'en'].includes(o.lang)) throw new CliInputError('BAD_LANG', '--lang: ru | en');
      if (o.status && !['draft', 'issued'].includes(o.status))
        throw new CliInputError('BAD_STATUS', '--status: draft | issued');
      const dir = path.resolve(String(o.out));
      mkdirSync(dir, { recursive: true });
      const renderer = createBillPdfRenderer({ lang: o.lang });
      const q = {
        period: period(o.period),
        regionCode: o.region,
        accountNumber: o.account,
        status: o.status,
      };
      const started = performance.now();
      let written = 0;
      let kept = 0;
      let afterId: number | undefined;
      let nextReport = 0;
      for (;;) {
        const page = await billDocuments(app.database.db, { ...q, afterId, limit: 200 });
        if (page.length === 0) break;
        for (const b of page) {
          const file = path.join(dir, `${b.document.number}-v${b.version}.pdf`);
          if (existsSync(file)) {
            kept++;
            continue;
          }
          // Written under a temporary name and renamed: a killed job never leaves half a PDF behind.
          const tmp = `${file}.${process.pid}.tmp`;
          writeFileSync(tmp, await renderer.render(b.document));
          renameSync(tmp, file);
          written++;
        }
        afterId = page.at(-1)?.id;
        const seconds = (performance.now() - started) / 1000;
        if (seconds >= nextReport) {
          ctx.err(
            `pdf: ${written + kept} счетов (${written} новых, ${kept} уже были), ${Math.round(written / Math.max(seconds, 0.001))}/s`,
          );
          nextReport = seconds + 2;
        }
      }
      if (written + kept === 0) {
        throw new CliInputError(
          'BILL_NOT_FOUND',
          `Счетов за ${q.period}${q.accountNumber ? ` по л/с ${q.accountNumber}` : ''} нет. Сформируйте их: abonent bill --period ${q.period}`,
        );
      }
      ctx.out(
        `PDF: ${written} записано, ${kept} уже были в ${dir} (${((performance.now() - started) / 1000).toFixed(1)} с)`,
      );
    });
}
