import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import {
  importRegistry,
  listRegistries,
  REGISTRY_MAX_BYTES,
  RegistryRefused,
  reportText,
  ruDate,
} from '../../channels/bank-registry/index.ts';
import { formatMoney } from '../../domain/money.ts';
import { type CliContext, CliInputError } from '../cli-context.ts';
import { paymentsCommand } from './ledger.command.ts';

/**
 * `abonent payments import-registry FILE [--bank CODE] [--json]` and `abonent payments registries`: bank
 * payment registries (docs/formats.md). Exit 0 imported (or imported before: nothing credited again),
 * 2 the file refused (nothing credited).
 */
export function registerPaymentRegistryCommands(program: Command, ctx: CliContext): void {
  const payments = paymentsCommand(program);
  payments
    .command('import-registry <file>')
    .description("Import a bank's daily payment registry and print the reconciliation report")
    .option(
      '--bank <code>',
      'the bank that sent it (default: the file name before its first "_"); payments are idempotent by bank + operation id',
    )
    .option('--json', 'JSON output')
    .action(async (file: string, o: { bank?: string; json?: boolean }) => {
      let bytes: Buffer;
      try {
        if (statSync(file).size > REGISTRY_MAX_BYTES)
          throw new CliInputError('FILE_TOO_LARGE', `файл ${file} больше ${REGISTRY_MAX_BYTES} байт`);
        bytes = readFileSync(file);
      } catch (e) {
        if (e instanceof CliInputError) throw e;
        throw new CliInputError('FILE_NOT_READABLE', `файл ${file} не прочитан: ${(e as Error).message}`);
      }
      const app = await ctx.app();
      try {
        const r = await importRegistry(
          { db: app.database.db, clock: app.clock },
          {
            bytes,
            ...(o.bank ? { bank: o.bank } : {}),
            fileName: path.basename(file),
            onProgress: (done, total) => {
              if (ctx.interactive) ctx.err(`  строк обработано: ${done} из ${total}`);
            },
          },
        );
        if (o.json) return ctx.out(JSON.stringify(r, null, 2));
        if (r.alreadyImported)
          ctx.out(
            `Этот реестр уже загружен ранее (id ${r.report.registry.id}): ничего не зачислено повторно. Сохранённый отчёт о сверке:\n`,
          );
        for (const line of reportText(r.report)) ctx.out(line);
      } catch (e) {
        if (!(e instanceof RegistryRefused)) throw e;
        if (o.json)
          ctx.out(
            JSON.stringify(
              { refused: { code: e.code, message: e.message, messageEn: e.messageEn, params: e.params } },
              null,
              2,
            ),
          );
        throw new CliInputError(e.code, e.message, { printed: Boolean(o.json) });
      }
    });
  payments
    .command('registries')
    .description('Imported bank registries, newest first')
    .option('--json', 'JSON output')
    .action(async (o: { json?: boolean }) => {
      const app = await ctx.app();
      const list = await listRegistries(app.database.db);
      if (o.json) return ctx.out(JSON.stringify(list, null, 2));
      if (list.length === 0) return ctx.out('Реестров платежей ещё нет.');
      const rows = list.map((r) => [
        String(r.id),
        r.bank,
        r.number,
        ruDate(r.registryDate),
        String(r.rows),
        formatMoney(r.totalKopecks),
        r.report ? `${r.report.accepted.count} / ${formatMoney(r.report.accepted.totalKopecks)}` : '—',
        r.report ? String(r.report.duplicates.count) : '—',
        r.report ? String(r.report.rejected.count) : '—',
        r.status === 'done' ? (r.report?.reconciled ? 'загружен' : 'не сходится') : 'загружается',
      ]);
      const header = [
        'id',
        'Банк',
        '№',
        'Дата',
        'Строк',
        'Сумма',
        'Зачислено',
        'Ранее',
        'Не зачисл.',
        'Статус',
      ];
      const widths = header.map((h, i) => Math.max([...h].length, ...rows.map((r) => [...r[i]!].length)));
      const line = (cells: string[]) =>
        cells
          .map((c, i) => (i === 0 || (i >= 4 && i <= 8) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
          .join('  ')
          .trimEnd();
      ctx.out(line(header));
      for (const r of rows) ctx.out(line(r));
    });
}
