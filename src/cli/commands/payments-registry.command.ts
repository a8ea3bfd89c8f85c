import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import {
  importRegistry,
  listRegistries,
  RegistryRefused,
  reportText,
} from '../../channels/bank-registry/index.ts';
import { type CliContext, CliInputError } from '../cli-context.ts';
import { paymentsCommand } from './ledger.command.ts';

/** `abonent payments import-registry FILE --bank CODE`, `abonent payments registries`. */
export function registerPaymentRegistryCommands(program: Command, ctx: CliContext): void {
  const payments = paymentsCommand(program);
  payments
    .command('import-registry <file>')
    .description("Import a bank's daily payment registry and print the reconciliation report")
    .requiredOption(
      '--bank <code>',
      'the bank that sent it (its payments are idempotent by bank + operation id)',
    )
    .option('--json', 'JSON output')
    .action(async (file: string, o: { bank: string; json?: boolean }) => {
      let bytes: Buffer;
      try {
        bytes = readFileSync(file);
      } catch (e) {
        throw new CliInputError('FILE_NOT_READABLE', `файл ${file} не прочитан: ${(e as Error).message}`);
      }
      const app = await ctx.app();
      try {
        const r = await importRegistry(
          { db: app.database.db, clock: app.clock },
          {
            bytes,
            bank: o.bank,
            fileName: path.basename(file),
            onProgress: (done, total) => {
              if (ctx.interactive) ctx.err(`  ${done}/${total}`);
            },
          },
        );
        if (o.json) return ctx.out(JSON.stringify(r, null, 2));
        if (r.alreadyImported)
          ctx.out('Этот реестр уже загружен: ничего не зачислено повторно. Отчёт о сверке:');
        for (const line of reportText(r.report)) ctx.out(line);
      } catch (e) {
        if (e instanceof RegistryRefused) throw new CliInputError(e.code, e.message);
        throw e;
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
      for (const r of list)
        ctx.out(
          `${r.id}\t${r.bank}\t№${r.number}\t${r.registryDate}\t${r.rows} строк\t${(r.totalKopecks / 100).toFixed(2)}\t${r.status}${r.report ? `\tзачислено ${r.report.accepted.count}, не зачислено ${r.report.rejected.count}` : ''}`,
        );
    });
}
