import { toLocal } from '../../domain/local-time.ts';
import { formatMoney } from '../../domain/money.ts';

/** What happened to one line of a registry (a row of payment_registry_row). */
export interface LineOutcome {
  lineNo: number;
  operationId: string | null;
  account: string | null;
  payerName: string | null;
  address: string | null;
  /** ISO instant; null when the line's date was broken. */
  paidAt: string | null;
  period: string | null;
  amountKopecks: number | null;
  outcome: 'accepted' | 'duplicate' | 'rejected';
  /** null for accepted lines; ALREADY_CREDITED for duplicates; the reason code for rejected lines. */
  reasonCode: string | null;
  message: string | null;
  messageEn: string | null;
  /** The line as sent, when its fields could not be told apart. */
  rawLine: string | null;
  /** The payment credited (accepted) or credited earlier (duplicate). */
  paymentId: number | null;
}

/** A line not credited by this registry, as the report lists it. */
export interface ReportLine {
  lineNo: number;
  operationId: string | null;
  account: string | null;
  payerName: string | null;
  address: string | null;
  paidAt: string | null;
  period: string | null;
  amountKopecks: number | null;
  reason: string;
  message: string;
  messageEn: string;
  rawLine: string | null;
  paymentId: number | null;
}

/** The reconciliation report of one registry: what an accountant checks against the bank's statement. */
export interface RegistryReport {
  registry: {
    id: number;
    bank: string;
    number: string;
    date: string;
    encoding: string;
    fileName: string | null;
  };
  /** The bank's control line. */
  control: { count: number; totalKopecks: number; transferredKopecks: number; commissionKopecks: number };
  /** The payment lines of the file. */
  lines: { count: number; totalKopecks: number };
  /** Credited by this registry. */
  accepted: { count: number; totalKopecks: number };
  /** Credited earlier (the same bank operation came in an earlier registry): not credited again. */
  duplicates: { count: number; totalKopecks: number };
  /** Not credited, by reason: unidentified payments and broken lines for an operator to resolve. */
  rejected: { count: number; totalKopecks: number; byReason: Record<string, number> };
  rejectedLines: ReportLine[];
  duplicateLines: ReportLine[];
  checks: {
    /** The control line's count and total equal the lines'. */
    controlMatchesLines: boolean;
    /** Every line has an outcome and the money adds up: lines = credited + credited earlier + not credited. */
    linesAccountedFor: boolean;
    /** The bank transferred the total less its commission. */
    transferMatches: boolean;
  };
  /** Control total = lines = credited + credited earlier + not credited. */
  reconciled: boolean;
}

export function buildReport(
  registry: RegistryReport['registry'],
  control: RegistryReport['control'],
  outcomes: LineOutcome[],
): RegistryReport {
  const sum = (list: LineOutcome[]) => list.reduce((s, o) => s + (o.amountKopecks ?? 0), 0);
  const accepted = outcomes.filter((o) => o.outcome === 'accepted');
  const duplicates = outcomes.filter((o) => o.outcome === 'duplicate');
  const rejected = outcomes.filter((o) => o.outcome === 'rejected');
  const byReason: Record<string, number> = {};
  for (const r of rejected)
    byReason[r.reasonCode ?? 'UNKNOWN'] = (byReason[r.reasonCode ?? 'UNKNOWN'] ?? 0) + 1;
  const linesTotal = sum(outcomes);
  const checks = {
    controlMatchesLines: control.count === outcomes.length && control.totalKopecks === linesTotal,
    linesAccountedFor: linesTotal === sum(accepted) + sum(duplicates) + sum(rejected),
    transferMatches: control.transferredKopecks + control.commissionKopecks === control.totalKopecks,
  };
  return {
    registry,
    control,
    lines: { count: outcomes.length, totalKopecks: linesTotal },
    accepted: { count: accepted.length, totalKopecks: sum(accepted) },
    duplicates: { count: duplicates.length, totalKopecks: sum(duplicates) },
    rejected: { count: rejected.length, totalKopecks: sum(rejected), byReason },
    rejectedLines: rejected.map(reportLine),
    duplicateLines: duplicates.map(reportLine),
    checks,
    reconciled: checks.controlMatchesLines && checks.linesAccountedFor,
  };
}

function reportLine(o: LineOutcome): ReportLine {
  return {
    lineNo: o.lineNo,
    operationId: o.operationId,
    account: o.account,
    payerName: o.payerName,
    address: o.address,
    paidAt: o.paidAt,
    period: o.period,
    amountKopecks: o.amountKopecks,
    reason: o.reasonCode ?? 'UNKNOWN',
    message: o.message ?? o.reasonCode ?? '',
    messageEn: o.messageEn ?? o.reasonCode ?? '',
    rawLine: o.rawLine,
    paymentId: o.paymentId,
  };
}

/** 'YYYY-MM-DD' → 'DD.MM.YYYY'. */
export function ruDate(iso: string): string {
  const [y, m, d] = iso.slice(0, 10).split('-');
  return `${d}.${m}.${y}`;
}

/** An instant as the bank's (Moscow) wall clock: 'DD.MM.YYYY HH:MM'. */
function ruMoment(iso: string): string {
  const l = toLocal(new Date(iso), 'Europe/Moscow');
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(l.day)}.${p(l.month)}.${l.year} ${p(l.hour)}:${p(l.minute)}`;
}

/** Pads or cuts to a width (0: as is). */
function fitCell(text: string, width: number): string {
  if (width <= 0) return text;
  const chars = [...text];
  return chars.length > width ? `${chars.slice(0, width - 1).join('')}…` : text.padEnd(width);
}

function table(header: string[], widths: number[], rows: string[][], right: Set<number>): string[] {
  const render = (cells: string[]) =>
    cells
      .map((c, i) => (right.has(i) ? c.padStart(widths[i]!) : fitCell(c, widths[i]!)))
      .join('  ')
      .trimEnd();
  return [render(header), widths.map((w) => '─'.repeat(w || 20)).join('  '), ...rows.map(render)];
}

/** The report as the accountant reads it: a Russian table. */
export function reportText(r: RegistryReport): string[] {
  const m = (k: number) => formatMoney(k);
  const g = r.registry;
  const out = [
    `Реестр платежей № ${g.number} от ${ruDate(g.date)} · банк ${g.bank}${g.fileName ? ` · файл ${g.fileName}` : ''} (${g.encoding}) · id ${g.id}`,
    '',
  ];
  const money: [string, string, string][] = [
    ['Контрольная строка реестра', String(r.control.count), m(r.control.totalKopecks)],
    ['Строки реестра', String(r.lines.count), m(r.lines.totalKopecks)],
    ['Зачислено', String(r.accepted.count), m(r.accepted.totalKopecks)],
    ['Уже зачислено ранее (не повторно)', String(r.duplicates.count), m(r.duplicates.totalKopecks)],
    ['Не зачислено (разобрать вручную)', String(r.rejected.count), m(r.rejected.totalKopecks)],
    ['Перечислено банком', '', m(r.control.transferredKopecks)],
    ['Комиссия банка', '', m(r.control.commissionKopecks)],
  ];
  out.push(
    ...table(
      ['', 'Платежей', 'Сумма'],
      [34, 8, 16],
      money.map((x) => [...x]),
      new Set([1, 2]),
    ),
  );
  out.push('');
  out.push(
    r.reconciled
      ? 'Сверка сходится: контрольная сумма = строки = зачислено + зачислено ранее + не зачислено.'
      : 'ВНИМАНИЕ: сверка не сходится — проверьте реестр.',
  );
  if (!r.checks.transferMatches)
    out.push('ВНИМАНИЕ: перечислено + комиссия не равно сумме реестра — сверьте с выпиской банка.');
  const list = (title: string, lines: ReportLine[]) => {
    if (lines.length === 0) return;
    out.push('', title);
    out.push(
      ...table(
        ['Строка', 'Операция', 'Лиц. счёт', 'Плательщик', 'Оплачено', 'Сумма', 'Причина'],
        [6, 12, 12, 22, 16, 14, 0],
        lines.map((l) => [
          String(l.lineNo),
          l.operationId ?? '—',
          l.account ?? '—',
          l.payerName ?? (l.rawLine ? `«${l.rawLine}»` : '—'),
          l.paidAt ? ruMoment(l.paidAt) : '—',
          l.amountKopecks === null ? '—' : m(l.amountKopecks),
          l.message,
        ]),
        new Set([0, 5]),
      ),
    );
  };
  list('Не зачислено — разобрать вручную (невыясненные платежи):', r.rejectedLines);
  list('Уже зачислено ранее — банк прислал операцию повторно:', r.duplicateLines);
  return out;
}
