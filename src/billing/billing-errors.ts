import { formatPeriod } from '../i18n/format.ts';
import type { RunCounts, RunRow } from './billing-run.repository.ts';

/**
 * A billing request refused for a reason the operator can act on: a reason code, the Russian text and
 * the English one, each saying what to do next. Nothing was written.
 */
export class BillingError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly messageEn: string,
    readonly httpStatus = 422,
  ) {
    super(message);
    this.name = 'BillingError';
  }

  static badPeriod(period: string): BillingError {
    return new BillingError(
      'BAD_PERIOD',
      `Период «${period}» указан неверно: нужен формат ГГГГ-ММ, например 2026-10.`,
      `Period "${period}" is malformed: use YYYY-MM, e.g. 2026-10.`,
      400,
    );
  }

  static unknownRegion(code: string): BillingError {
    return new BillingError(
      'UNKNOWN_REGION',
      `Регион «${code}» не найден. Список регионов: abonent registry regions.`,
      `Region "${code}" not found.`,
      404,
    );
  }

  static periodNotEnded(period: string, region: string): BillingError {
    return new BillingError(
      'PERIOD_IN_FUTURE',
      `Период ${formatPeriod(period, 'ru')} в регионе ${region} ещё не закончился: счета формируются после закрытия периода (§5).`,
      `Period ${period} in region ${region} has not ended yet: bills are formed after the period closes (§5).`,
    );
  }

  static periodNotClosed(period: string, region: string): BillingError {
    return new BillingError(
      'PERIOD_NOT_CLOSED',
      `Период ${formatPeriod(period, 'ru')} в регионе ${region} не закрыт. Закройте его: abonent period close --period ${period} --region ${region}.`,
      `Period ${period} in region ${region} is not closed. Close it first: abonent period close --period ${period} --region ${region}.`,
    );
  }

  static earlierNotIssued(period: string, region: string): BillingError {
    return new BillingError(
      'EARLIER_PERIOD_NOT_ISSUED',
      `Счета за ${formatPeriod(period, 'ru')} (регион ${region}) ещё не выпущены: выпустите их (abonent bill --period ${period} --issue) — объёмы того периода нужны для среднего и перерасчёта.`,
      `Bills for ${period} (region ${region}) are still drafts: issue them first (abonent bill --period ${period} --issue); their volumes feed averages and true-ups.`,
      409,
    );
  }

  static periodNotReady(period: string, region: string, closes: string): BillingError {
    return new BillingError(
      'WINDOW_OPEN',
      `Период ${formatPeriod(period, 'ru')} в регионе ${region} можно закрыть после окончания приёма показаний (${closes}).`,
      `Period ${period} in region ${region} can be closed after its readings window ends (${closes}).`,
    );
  }

  static closeOutOfOrder(period: string, region: string, first: string): BillingError {
    return new BillingError(
      'CLOSE_OUT_OF_ORDER',
      `Период ${formatPeriod(period, 'ru')} нельзя закрыть раньше предыдущих. Сначала закройте ${formatPeriod(first, 'ru')} (регион ${region}): периоды закрываются по порядку.`,
      `Close ${first} first (region ${region}): periods close in order.`,
      409,
    );
  }

  static runNotComplete(run: RunRow, c: RunCounts): BillingError {
    return new BillingError(
      'RUN_NOT_COMPLETE',
      `Расчёт за ${formatPeriod(run.period, 'ru')} (регион ${run.regionCode}) не завершён: обработано ${c.unitsDone} из ${c.units} домов. Запустите abonent bill --period ${run.period} ещё раз.`,
      `The run for ${run.period} (region ${run.regionCode}) is not complete: ${c.unitsDone} of ${c.units} houses. Run abonent bill --period ${run.period} again.`,
      409,
    );
  }

  static runHasProblems(run: RunRow, c: RunCounts): BillingError {
    return new BillingError(
      'RUN_HAS_PROBLEMS',
      `В расчёте за ${formatPeriod(run.period, 'ru')} (регион ${run.regionCode}) ${c.problems} лицевых счетов с ошибками. Исправьте данные и повторите расчёт (--repeat) или выпустите остальные счета (--issue --skip-problems).`,
      `The run for ${run.period} (region ${run.regionCode}) has ${c.problems} accounts with problems. Fix the data and repeat (--repeat), or issue the rest (--issue --skip-problems).`,
      409,
    );
  }

  static notFound(what: string): BillingError {
    return new BillingError('NOT_FOUND', `Не найдено: ${what}.`, `Not found: ${what}.`, 404);
  }
}
