import { readFile, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { CSV_KINDS, type CsvKind } from '../../registry/registry-csv.ts';
import { exportCsv, exportRegistryText, unknownHouseCodes } from '../../registry/registry-export.service.ts';
import { type ImportReport, type ReportEntry, SECTIONS } from '../../registry/registry-format.ts';
import { type ImportProgress, importRegistryText } from '../../registry/registry-import.service.ts';
import { type CliContext, CliInputError } from '../cli-context.ts';

/** Files above this size show progress on stderr. */
const PROGRESS_BYTES = 1024 * 1024;

const STAGE = {
  read: ['прочитано', 'read'],
  check: ['проверено', 'checked'],
  write: ['записано', 'written'],
} as const;

/** `abonent import FILE` and `abonent export`: the registry as documented JSON or CSV (docs/formats.md). */
export function registerRegistryIoCommands(program: Command, ctx: CliContext): void {
  program
    .command('import')
    .description(
      'Import a registry (.json) or accounts/meters/readings (.csv): everything is checked first and every rejected row reported; exit 0 all accepted, 2 rows rejected (nothing written unless --partial)',
    )
    .argument('<file>', 'registry JSON, or CSV of accounts, meters or readings')
    .option('--partial', 'write the valid rows even when some rows are rejected')
    .option('--json', 'print the report as JSON')
    .action(async (file: string, o: { partial?: boolean; json?: boolean }) => {
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (e) {
        const why = (e as Error).message;
        throw new CliInputError(
          'FILE_NOT_READABLE',
          `Не удалось прочитать файл ${file} / cannot read ${file}: ${why}`,
        );
      }
      const big = text.length > PROGRESS_BYTES || ctx.interactive;
      const onProgress = big
        ? (p: ImportProgress) => {
            if (p.rows === 0) return;
            const [ru, en] = STAGE[p.stage];
            ctx.err(`${ru} / ${en}: ${p.section} — ${p.rows}`);
          }
        : undefined;
      if (big) ctx.err(`${file}: ${(text.length / 1024 / 1024).toFixed(1)} МБ / MB`);
      const app = await ctx.app();
      const report = await importRegistryText(app.database, text, {
        partial: o.partial === true,
        now: app.clock.now(),
        format: /\.csv$/i.test(file) ? 'csv' : /\.json$/i.test(file) ? 'json' : undefined,
        onProgress,
      });
      if (o.json) ctx.out(JSON.stringify(report, null, 2));
      else printReport(ctx, report);
      if (!report.ok) {
        throw new CliInputError(
          'IMPORT_REJECTED',
          `Отклонено строк: ${report.rejected.length}; ${report.written ? 'принятые строки записаны' : 'ничего не записано'} / ${report.rejected.length} rejected; ${report.written ? 'valid rows written' : 'nothing written'}`,
          { printed: true },
        );
      }
    });

  program
    .command('export')
    .description('Export the registry as JSON (default) or one CSV; deterministic, re-importable')
    .option('--out <file>', 'write to this file instead of stdout')
    .option('--csv <kind>', `one CSV instead of the JSON document: ${CSV_KINDS.join('|')}`)
    .option('--house <code...>', 'only these houses')
    .action(async (o: { out?: string; csv?: string; house?: string[] }) => {
      if (o.csv !== undefined && !(CSV_KINDS as readonly string[]).includes(o.csv)) {
        throw new CliInputError(
          'CSV_KIND_INVALID',
          `--csv: одно из ${CSV_KINDS.join(', ')} / one of ${CSV_KINDS.join(', ')}`,
        );
      }
      const app = await ctx.app();
      if (o.house) {
        const unknown = await unknownHouseCodes(app.database, o.house);
        if (unknown.length > 0)
          throw new CliInputError(
            'HOUSE_NOT_FOUND',
            `Дома не найдены / houses not found: ${unknown.join(', ')}`,
          );
      }
      const text = o.csv
        ? await exportCsv(app.database, o.csv as CsvKind, { houseCodes: o.house })
        : await exportRegistryText(app.database, { houseCodes: o.house });
      if (o.out) {
        await writeFile(o.out, text);
        ctx.err(`Записано / written: ${o.out} (${Buffer.byteLength(text)} B)`);
      } else {
        ctx.out(text.replace(/\r?\n$/, ''));
      }
    });
}

function printReport(ctx: CliContext, report: ImportReport): void {
  const verdict = report.ok
    ? 'Импорт выполнен, отклонённых строк нет / import done, nothing rejected'
    : report.written
      ? 'Импорт выполнен частично: записаны только принятые строки / partial import: valid rows written'
      : 'Импорт отклонён, ничего не записано / import rejected, nothing written';
  ctx.out(verdict);
  ctx.out(
    `${'раздел / section'.padEnd(22)}${['всего', 'добавлено', 'без изменений', 'отклонено'].map((h) => h.padStart(15)).join('')}`,
  );
  for (const section of SECTIONS) {
    const c = report.counts[section];
    if (c.total === 0) continue;
    ctx.out(
      `${section.padEnd(22)}${[c.total, c.inserted, c.unchanged, c.rejected].map((n) => String(n).padStart(15)).join('')}`,
    );
  }
  if (report.rejected.length > 0) {
    ctx.out(`\nОтклонённые строки / rejected rows (${report.rejected.length}):`);
    for (const e of report.rejected) printEntry(ctx, e);
  }
  if (report.warnings.length > 0) {
    ctx.out(`\nПредупреждения / warnings (${report.warnings.length}):`);
    for (const e of report.warnings) printEntry(ctx, e);
  }
}

function printEntry(ctx: CliContext, e: ReportEntry): void {
  const where = [
    e.section === 'file' ? 'файл / file' : `${e.section} #${e.row}`,
    e.line !== undefined ? `строка / line ${e.line}` : undefined,
    e.key !== null ? `[${e.key}]` : undefined,
  ]
    .filter(Boolean)
    .join(' ');
  ctx.out(`  ${where}: ${e.code} — ${e.message}`);
  ctx.out(`      ${e.messageEn}`);
}
