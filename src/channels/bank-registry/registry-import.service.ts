import { createHash } from 'node:crypto';
import { type LedgerDeps, type PaymentSubmission, submitPayments } from '../../ledger/index.ts';
import {
  findRegistry,
  finishRegistry,
  insertLineOutcomes,
  insertRegistry,
  type LineOutcome,
  lineOutcomes,
  paymentsOfRegistry,
} from './registry.repository.ts';
import { parseRegistry, type RegistryFileProblem } from './registry-parse.ts';
import { buildReport, type RegistryReport } from './registry-report.ts';

export class RegistryRefused extends Error {
  constructor(
    readonly code: RegistryFileProblem | 'BAD_BANK' | 'REGISTRY_NUMBER_REUSED',
    message: string,
    readonly messageEn: string,
  ) {
    super(message);
  }
}

const PROBLEM_RU: Record<RegistryFileProblem, string> = {
  ENCODING_INVALID: 'кодировка файла не распознана (нужна windows-1251 или UTF-8)',
  EMPTY: 'файл пуст',
  NO_CONTROL_LINE: 'нет контрольной строки «=количество;сумма;…» в конце файла',
  BAD_CONTROL_LINE: 'контрольная строка не разобрана',
  CONTROL_COUNT_MISMATCH: 'число платежей не совпадает с контрольной строкой',
  CONTROL_TOTAL_MISMATCH: 'сумма платежей не совпадает с контрольной строкой',
};

const BATCH = 500;

/**
 * Imports a bank's daily registry (domain.md §9): checks the whole file first (encoding, control count and
 * total) and refuses it whole if it does not add up; then credits its payments through the one payment use
 * case in batches, each payment idempotent by `<bank>:<operation id>` and already settled on the registry
 * date (the registry is the bank's statement). Importing the same file again credits nothing and returns
 * the stored report; an import cut short is completed by running it again.
 */
export async function importRegistry(
  deps: LedgerDeps,
  o: {
    bytes: Uint8Array;
    bank: string;
    fileName?: string;
    onProgress?: (done: number, total: number) => void;
  },
): Promise<{ report: RegistryReport; alreadyImported: boolean }> {
  if (!/^[A-Za-z0-9_.-]{1,32}$/.test(o.bank))
    throw new RegistryRefused(
      'BAD_BANK',
      'Код банка: латинские буквы, цифры, _ . - (до 32 символов).',
      'Bank code: letters, digits, _ . -',
    );
  const sha256 = createHash('sha256').update(o.bytes).digest('hex');
  const known = await findRegistry(deps.db, { sha256 });
  if (known?.status === 'done' && known.report) return { report: known.report, alreadyImported: true };
  const parsed = parseRegistry(o.bytes);
  if (!parsed.ok)
    throw new RegistryRefused(
      parsed.problem,
      `Реестр не принят: ${PROBLEM_RU[parsed.problem]} (${parsed.detail}). Ничего не зачислено; запросите у банка исправленный файл.`,
      `Registry refused: ${parsed.detail}. Nothing was credited.`,
    );
  const file = parsed.file;
  const registry = await insertRegistry(deps.db, {
    bank: o.bank,
    number: file.control.number,
    date: file.control.date,
    sha256,
    fileName: o.fileName ?? null,
    encoding: file.encoding,
    rows: file.lines.length,
    totalKopecks: file.control.totalKopecks,
  });
  if (registry.fileSha256 !== sha256)
    throw new RegistryRefused(
      'REGISTRY_NUMBER_REUSED',
      `Реестр ${file.control.number} от ${file.control.date} банка ${o.bank} уже загружен из другого файла. Исправленный реестр банк должен прислать под новым номером.`,
      `Registry ${file.control.number} of ${file.control.date} from ${o.bank} was already imported from another file.`,
    );
  if (registry.status === 'done' && registry.report)
    return { report: registry.report, alreadyImported: true };

  const done = new Set((await lineOutcomes(deps.db, registry.id)).map((l) => l.lineNo));
  const todo = file.lines.filter((l) => !done.has(l.lineNo));
  let progress = done.size;
  for (let i = 0; i < todo.length; i += BATCH) {
    const part = todo.slice(i, i + BATCH);
    const outcomes: LineOutcome[] = [];
    const submit: { line: (typeof part)[number]; s: PaymentSubmission }[] = [];
    for (const line of part) {
      const base = {
        lineNo: line.lineNo,
        operationId: line.operationId || null,
        account: line.account || null,
        amountKopecks: line.amountKopecks ?? null,
      };
      if (line.problem)
        outcomes.push({ ...base, outcome: 'rejected', reasonCode: line.problem, paymentId: null });
      else
        submit.push({
          line,
          s: {
            channel: 'bank_registry',
            externalId: `${o.bank}:${line.operationId}`,
            account: line.account,
            amountKopecks: line.amountKopecks!,
            paidAt: line.paidAt!,
            ...(line.period ? { period: line.period } : {}),
            ...(line.payerName ? { payerName: line.payerName.slice(0, 300) } : {}),
            agentCode: o.bank,
            settledOn: file.control.date,
            registryId: registry.id,
          },
        });
    }
    const results = await submitPayments(
      deps,
      submit.map((x) => x.s),
    );
    const ids = results.flatMap((r) => (r.outcome === 'accepted' ? [r.paymentId] : []));
    const ours = await paymentsOfRegistry(deps.db, registry.id, ids);
    results.forEach((r, k) => {
      const line = submit[k]!.line;
      const base = {
        lineNo: line.lineNo,
        operationId: line.operationId,
        account: line.account,
        amountKopecks: line.amountKopecks ?? null,
      };
      if (r.outcome === 'refused')
        outcomes.push({ ...base, outcome: 'rejected', reasonCode: r.code, paymentId: null });
      else
        outcomes.push({
          ...base,
          // A repeat of a payment this registry itself credited (a resumed import) is still "accepted".
          outcome: r.duplicate && !ours.has(r.paymentId) ? 'duplicate' : 'accepted',
          reasonCode: null,
          paymentId: r.paymentId,
        });
    });
    await insertLineOutcomes(deps.db, registry.id, outcomes);
    progress += part.length;
    o.onProgress?.(progress, file.lines.length);
  }
  const report = buildReport(
    {
      id: registry.id,
      bank: o.bank,
      number: file.control.number,
      date: file.control.date,
      encoding: file.encoding,
    },
    {
      count: file.control.count,
      totalKopecks: file.control.totalKopecks,
      transferredKopecks: file.control.transferredKopecks,
      commissionKopecks: file.control.commissionKopecks,
    },
    await lineOutcomes(deps.db, registry.id),
  );
  await finishRegistry(deps.db, registry.id, report);
  return { report, alreadyImported: false };
}
