import { createHash } from 'node:crypto';
import { localDateOf } from '../../domain/local-time.ts';
import { formatLocalDate } from '../../domain/period.ts';
import { type LedgerDeps, type PaymentSubmission, submitPayments } from '../../ledger/index.ts';
import {
  findRegistry,
  finishRegistry,
  insertLineOutcomes,
  insertRegistry,
  lineOutcomes,
  type RegistryRow,
} from './registry.repository.ts';
import { lineReasonText, type RegistryRefusalCode, refusalText } from './registry-messages.ts';
import { parseRegistry, type RegistryLine } from './registry-parse.ts';
import { buildReport, type LineOutcome, type RegistryReport } from './registry-report.ts';

/** A registry file refused whole: nothing was credited, nothing written. */
export class RegistryRefused extends Error {
  constructor(
    readonly code: RegistryRefusalCode,
    message: string,
    readonly messageEn: string,
    readonly params: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

function refused(code: RegistryRefusalCode, params: Record<string, unknown> = {}): RegistryRefused {
  const t = refusalText(code, params);
  return new RegistryRefused(code, t.ru, t.en, params);
}

/** Registries are not small, but a day of a city fits: 100,000 lines are about 15 MB. */
export const REGISTRY_MAX_BYTES = 64 * 1024 * 1024;
const BATCH = 500;
/** Registry times are the bank's: Moscow time (docs/formats.md). */
const BANK_TIME_ZONE = 'Europe/Moscow';

/**
 * The bank's code, upper case (its payments are idempotent by `<BANK>:<operation id>`, so "sber" and
 * "SBER" must be one bank): given, or the file name's part before the first `_` ("sber_20112026.txt").
 */
export function bankCodeOf(bank: string | undefined, fileName: string | undefined): string {
  const code = bank?.trim() || /^([A-Za-z0-9.-]{1,32})_/.exec(fileName ?? '')?.[1];
  if (!code) throw refused('BANK_REQUIRED');
  if (!/^[A-Za-z0-9_.-]{1,32}$/.test(code)) throw refused('BAD_BANK', { bank: code });
  return code.toUpperCase();
}

export interface RegistryImport {
  report: RegistryReport;
  /** The registry was imported before (the same file, or the same registry in another encoding). */
  alreadyImported: boolean;
}

/**
 * Imports a bank's daily registry (domain.md §9): checks the whole file first (encoding, control count and
 * total) and refuses it whole if it does not add up; then credits its payments through the one payment use
 * case in batches, each payment idempotent by `<BANK>:<operation id>` and already settled on the registry
 * date (the registry is the bank's statement). Importing the same registry again — the same file, or the
 * same content re-encoded — credits nothing and returns the stored report; an import cut short is completed
 * by running it again. Refusals throw RegistryRefused; database trouble throws as is.
 */
export async function importRegistry(
  deps: LedgerDeps,
  o: {
    bytes: Uint8Array;
    bank?: string;
    fileName?: string;
    onProgress?: (done: number, total: number) => void;
  },
): Promise<RegistryImport> {
  if (o.bytes.length > REGISTRY_MAX_BYTES) throw refused('FILE_TOO_LARGE', { maxBytes: REGISTRY_MAX_BYTES });
  const bank = bankCodeOf(o.bank, o.fileName);
  const sha256 = createHash('sha256').update(o.bytes).digest('hex');
  const known = await findRegistry(deps.db, { sha256 });
  if (known?.status === 'done' && known.report) return { report: known.report, alreadyImported: true };
  const parsed = parseRegistry(o.bytes);
  if (!parsed.ok) throw refused(parsed.problem, parsed.params);
  const file = parsed.file;
  const today = formatLocalDate(localDateOf(deps.clock.now(), BANK_TIME_ZONE));
  if (file.control.date > today) throw refused('REGISTRY_DATE_IN_FUTURE', { date: file.control.date });
  const contentSha256 = createHash('sha256').update(file.canonical).digest('hex');
  // The file (its bytes) keeps the identity of its first import; a registry is known by bank, number, date.
  const registry: RegistryRow =
    known ??
    (await insertRegistry(deps.db, {
      bank,
      number: file.control.number,
      date: file.control.date,
      sha256,
      contentSha256,
      fileName: o.fileName ?? null,
      encoding: file.encoding,
      rows: file.lines.length,
      totalKopecks: file.control.totalKopecks,
      importedAt: deps.clock.now(),
    }));
  if (registry.fileSha256 !== sha256 && registry.contentSha256 !== contentSha256)
    throw refused('REGISTRY_NUMBER_REUSED', {
      bank,
      number: file.control.number,
      date: file.control.date,
      registryId: registry.id,
    });
  if (registry.status === 'done' && registry.report)
    return { report: registry.report, alreadyImported: true };

  const recorded = new Set((await lineOutcomes(deps.db, registry.id)).map((l) => l.lineNo));
  const todo = file.lines.filter((l) => !recorded.has(l.lineNo));
  let progress = recorded.size;
  for (let i = 0; i < todo.length; i += BATCH) {
    const part = todo.slice(i, i + BATCH);
    await insertLineOutcomes(
      deps.db,
      registry.id,
      await creditLines(deps, registry, file.control.date, part),
    );
    progress += part.length;
    o.onProgress?.(progress, file.lines.length);
  }
  const report = buildReport(
    {
      id: registry.id,
      bank: registry.bank,
      number: registry.number,
      date: registry.registryDate,
      encoding: registry.encoding,
      fileName: registry.fileName,
    },
    {
      count: file.control.count,
      totalKopecks: file.control.totalKopecks,
      transferredKopecks: file.control.transferredKopecks,
      commissionKopecks: file.control.commissionKopecks,
    },
    await lineOutcomes(deps.db, registry.id),
  );
  await finishRegistry(deps.db, registry.id, report, deps.clock.now());
  return { report, alreadyImported: false };
}

/**
 * Credits a batch of lines through the one payment use case (one transaction for the batch) and says what
 * became of each. Lines with a problem of their own are not submitted.
 */
async function creditLines(
  deps: LedgerDeps,
  registry: RegistryRow,
  settledOn: string,
  lines: RegistryLine[],
): Promise<LineOutcome[]> {
  const outcomes: LineOutcome[] = [];
  const submit: { line: RegistryLine; s: PaymentSubmission }[] = [];
  const base = (line: RegistryLine) => ({
    lineNo: line.lineNo,
    operationId: line.operationId || null,
    account: line.account || null,
    payerName: line.payerName || null,
    address: line.address || null,
    paidAt: line.paidAt ?? null,
    period: line.period ?? null,
    amountKopecks: line.amountKopecks ?? null,
    rawLine: line.raw ?? null,
  });
  for (const line of lines) {
    if (line.problem) {
      const t = lineReasonText(line.problem, { firstLine: line.duplicateOf });
      outcomes.push({
        ...base(line),
        outcome: 'rejected',
        reasonCode: line.problem,
        message: t.ru,
        messageEn: t.en,
        paymentId: null,
      });
      continue;
    }
    submit.push({
      line,
      s: {
        channel: 'bank_registry',
        externalId: `${registry.bank}:${line.operationId}`,
        account: line.account,
        amountKopecks: line.amountKopecks!,
        paidAt: line.paidAt!,
        ...(line.period ? { period: line.period } : {}),
        ...(line.payerName ? { payerName: line.payerName.slice(0, 300) } : {}),
        agentCode: registry.bank,
        settledOn,
        registryId: registry.id,
      },
    });
  }
  const results = await submitPayments(
    deps,
    submit.map((x) => x.s),
  );
  results.forEach((r, k) => {
    const line = submit[k]!.line;
    if (r.outcome === 'refused') {
      const t = lineReasonText(r.code, r.params);
      outcomes.push({
        ...base(line),
        outcome: 'rejected',
        reasonCode: r.code,
        message: t.ru,
        messageEn: t.en,
        paymentId: null,
      });
    } else if (r.duplicate && r.registryId !== registry.id) {
      const t = lineReasonText('ALREADY_CREDITED', { registryId: r.registryId });
      outcomes.push({
        ...base(line),
        outcome: 'duplicate',
        reasonCode: 'ALREADY_CREDITED',
        message: t.ru,
        messageEn: t.en,
        paymentId: r.paymentId,
      });
    } else {
      // Credited now — or by this very registry in a run cut short before it recorded the line.
      outcomes.push({
        ...base(line),
        outcome: 'accepted',
        reasonCode: null,
        message: null,
        messageEn: null,
        paymentId: r.paymentId,
      });
    }
  });
  return outcomes.sort((a, b) => a.lineNo - b.lineNo);
}
