import { formatMoney } from '../domain/money.ts';
import type { PaymentAccepted, PaymentRefusalCode } from './payment-types.ts';

/** What the payer is told (ru / en) for each outcome of the payment use case. */

export function refusalMessage(
  code: PaymentRefusalCode,
  params: Record<string, unknown>,
): { ru: string; en: string } {
  const p = params as Record<string, string | number | undefined>;
  switch (code) {
    case 'VALIDATION_FAILED':
      return {
        ru: `Платёж не принят: ${p.detail ?? 'неверные данные'}.`,
        en: `Payment refused: ${p.detail ?? 'invalid data'}.`,
      };
    case 'BAD_ACCOUNT_FORMAT':
      return {
        ru: 'Номер лицевого счёта — от 6 до 16 цифр. Проверьте номер в квитанции.',
        en: 'An account number has 6 to 16 digits. Check the number on the bill.',
      };
    case 'ACCOUNT_NOT_FOUND':
      return {
        ru: `Лицевой счёт ${p.account} не найден. Проверьте номер в квитанции.`,
        en: `Account ${p.account} not found. Check the number on the bill.`,
      };
    case 'ACCOUNT_CLOSED':
      return {
        ru: `Лицевой счёт ${p.account} закрыт, платежи на него не принимаются. Обратитесь в офис обслуживания.`,
        en: `Account ${p.account} is closed and takes no payments. Contact a client office.`,
      };
    case 'AMOUNT_NOT_POSITIVE':
      return { ru: 'Сумма платежа должна быть больше нуля.', en: 'The amount must be above zero.' };
    case 'AMOUNT_TOO_SMALL':
      return {
        ru: `Сумма меньше минимальной (${formatMoney(Number(p.minKopecks))}).`,
        en: `The amount is below the minimum (${formatMoney(Number(p.minKopecks), 'en')}).`,
      };
    case 'AMOUNT_OVER_LIMIT':
      return {
        ru: `Сумма больше допустимой для этого способа оплаты (${formatMoney(Number(p.maxKopecks))}). Разделите платёж.`,
        en: `The amount exceeds the limit of this payment method (${formatMoney(Number(p.maxKopecks), 'en')}). Split the payment.`,
      };
    case 'PERIOD_INVALID':
      return {
        ru: `Период ${p.period} указан неверно: нужен месяц не позже текущего в виде ГГГГ-ММ.`,
        en: `Period ${p.period} is invalid: a month not after the current one, as YYYY-MM.`,
      };
    case 'IDEMPOTENCY_CONFLICT':
      return {
        ru: `Платёж с номером ${p.externalId} уже принят с другими данными. Повторный платёж не зачислен.`,
        en: `Payment ${p.externalId} was already accepted with other data. This one is not credited.`,
      };
  }
}

export function acceptedMessage(r: Omit<PaymentAccepted, 'message' | 'messageEn' | 'paymentId'>): {
  ru: string;
  en: string;
} {
  const credited = r.creditedOn
    ? `зачислен ${ru(r.creditedOn)}`
    : `будет зачислен до ${ru(r.creditExpectedOn)}`;
  const creditedEn = r.creditedOn ? `credited on ${r.creditedOn}` : `to be credited by ${r.creditExpectedOn}`;
  return {
    ru: `Платёж ${formatMoney(r.amountKopecks)} по счёту ${r.account.number} принят, ${credited}.`,
    en: `Payment of ${formatMoney(r.amountKopecks, 'en')} to account ${r.account.number} accepted, ${creditedEn}.`,
  };
}

function ru(date: string): string {
  const [y, m, d] = date.split('-');
  return `${d}.${m}.${y}`;
}
