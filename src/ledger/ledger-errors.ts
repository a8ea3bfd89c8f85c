import { formatMoney } from '../domain/money.ts';

/**
 * A money operation refused for a reason the operator can act on: a reason code, Russian and English
 * text saying what to do next. Nothing was written.
 */
export class LedgerError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly messageEn: string,
    readonly httpStatus = 422,
  ) {
    super(message);
    this.name = 'LedgerError';
  }

  static accountNotFound(number: string): LedgerError {
    return new LedgerError(
      'ACCOUNT_NOT_FOUND',
      `Лицевой счёт ${number} не найден. Проверьте номер: abonent accounts search.`,
      `Account ${number} not found.`,
      404,
    );
  }

  static principalNotFound(code: string): LedgerError {
    return new LedgerError(
      'PRINCIPAL_NOT_FOUND',
      `Принципал «${code}» не найден. Список: abonent registry principals.`,
      `Principal "${code}" not found.`,
      404,
    );
  }

  static samePrincipal(code: string): LedgerError {
    return new LedgerError(
      'SAME_PRINCIPAL',
      `Перевод самому себе (${code}) не имеет смысла: укажите двух разных принципалов.`,
      `A transfer from ${code} to itself: name two different principals.`,
    );
  }

  static amountNotPositive(amount: number): LedgerError {
    return new LedgerError(
      'AMOUNT_NOT_POSITIVE',
      `Сумма должна быть больше нуля (указано ${formatMoney(amount)}).`,
      `The amount must be above zero (got ${formatMoney(amount, 'en')}).`,
      400,
    );
  }

  static badPeriod(period: string): LedgerError {
    return new LedgerError(
      'BAD_PERIOD',
      `Период «${period}» указан неверно: нужен формат ГГГГ-ММ.`,
      `Period "${period}" is malformed: use YYYY-MM.`,
      400,
    );
  }

  static refundOverAdvance(amount: number, advance: number): LedgerError {
    return new LedgerError(
      'REFUND_OVER_ADVANCE',
      `Возврат ${formatMoney(amount)} больше переплаты на счёте (${formatMoney(advance)}). Вернуть можно только переплату.`,
      `A refund of ${formatMoney(amount, 'en')} exceeds the advance on the account (${formatMoney(advance, 'en')}).`,
    );
  }

  static writeOffOverDebt(amount: number, debt: number): LedgerError {
    return new LedgerError(
      'WRITE_OFF_OVER_DEBT',
      `Списание ${formatMoney(amount)} больше долга по счёту (${formatMoney(Math.max(0, debt))}).`,
      `A write-off of ${formatMoney(amount, 'en')} exceeds the debt (${formatMoney(Math.max(0, debt), 'en')}).`,
    );
  }
}
