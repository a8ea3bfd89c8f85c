import { formatMoney } from '../../domain/money.ts';

/** What happened to one line of a registry. */
export interface LineOutcome {
  lineNo: number;
  operationId: string | null;
  account: string | null;
  amountKopecks: number | null;
  outcome: 'accepted' | 'duplicate' | 'rejected';
  reasonCode: string | null;
  paymentId: number | null;
}

/** The reconciliation report of one registry: what an accountant checks against the bank's statement. */
export interface RegistryReport {
  registry: { id: number; bank: string; number: string; date: string; encoding: string };
  control: { count: number; totalKopecks: number; transferredKopecks: number; commissionKopecks: number };
  lines: { count: number; totalKopecks: number };
  accepted: { count: number; totalKopecks: number };
  /** Credited earlier (the same bank operation came before): not credited again. */
  duplicates: { count: number; totalKopecks: number };
  rejected: { count: number; totalKopecks: number; byReason: Record<string, number> };
  /** Rejected lines, for an operator to resolve (unidentified payments: find the payer, credit by hand). */
  rejectedLines: {
    lineNo: number;
    operationId: string | null;
    account: string | null;
    amountKopecks: number | null;
    reason: string;
  }[];
  /** The control total agrees with accepted + duplicates + rejected. */
  reconciled: boolean;
}

const REASON_RU: Record<string, string> = {
  ACCOUNT_NOT_FOUND: 'лицевой счёт не найден (невыясненный платёж)',
  BAD_ACCOUNT_FORMAT: 'номер лицевого счёта указан неверно (невыясненный платёж)',
  ACCOUNT_CLOSED: 'лицевой счёт закрыт',
  AMOUNT_NOT_POSITIVE: 'сумма не больше нуля',
  AMOUNT_TOO_SMALL: 'сумма меньше минимальной',
  AMOUNT_OVER_LIMIT: 'сумма больше допустимой',
  PERIOD_INVALID: 'период оплаты указан неверно',
  BAD_PERIOD: 'период оплаты указан неверно',
  BAD_LINE: 'строка не разобрана (меньше 10 полей)',
  BAD_DATE: 'неверная дата или время платежа',
  BAD_AMOUNT: 'неверная сумма',
  NO_OPERATION_ID: 'нет номера операции банка',
  DUPLICATE_IN_FILE: 'операция повторяется в этом же реестре',
  IDEMPOTENCY_CONFLICT: 'номер операции уже зачислен с другими данными',
  VALIDATION_FAILED: 'неверные данные',
};

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
  return {
    registry,
    control,
    lines: { count: outcomes.length, totalKopecks: linesTotal },
    accepted: { count: accepted.length, totalKopecks: sum(accepted) },
    duplicates: { count: duplicates.length, totalKopecks: sum(duplicates) },
    rejected: { count: rejected.length, totalKopecks: sum(rejected), byReason },
    rejectedLines: rejected.map((r) => ({
      lineNo: r.lineNo,
      operationId: r.operationId,
      account: r.account,
      amountKopecks: r.amountKopecks,
      reason: r.reasonCode ?? 'UNKNOWN',
    })),
    reconciled:
      control.count === outcomes.length &&
      control.totalKopecks === linesTotal &&
      linesTotal === sum(accepted) + sum(duplicates) + sum(rejected),
  };
}

/** The report as the accountant reads it, in Russian. */
export function reportText(r: RegistryReport): string[] {
  const m = (k: number) => formatMoney(k);
  const out = [
    `Реестр ${r.registry.number} от ${r.registry.date}, банк ${r.registry.bank} (${r.registry.encoding})`,
    `  По контрольной строке: ${r.control.count} платежей на ${m(r.control.totalKopecks)} (перечислено ${m(r.control.transferredKopecks)}, комиссия ${m(r.control.commissionKopecks)})`,
    `  Строк в файле:         ${r.lines.count} на ${m(r.lines.totalKopecks)}`,
    `  Зачислено:             ${r.accepted.count} на ${m(r.accepted.totalKopecks)}`,
    `  Уже были зачислены:    ${r.duplicates.count} на ${m(r.duplicates.totalKopecks)}`,
    `  Не зачислено:          ${r.rejected.count} на ${m(r.rejected.totalKopecks)}`,
  ];
  for (const l of r.rejectedLines)
    out.push(
      `    строка ${l.lineNo}: операция ${l.operationId ?? '—'}, л/с ${l.account ?? '—'}, ${l.amountKopecks === null ? '—' : m(l.amountKopecks)} — ${REASON_RU[l.reason] ?? l.reason}`,
    );
  out.push(r.reconciled ? '  Сверка сходится.' : '  ВНИМАНИЕ: сверка не сходится.');
  return out;
}
