import { formatMoney } from '../../domain/money.ts';
import type { CardPaymentRow } from './card-payment.repository.ts';

/** What the payer is told (ru / en) about a card payment. */

const REASONS: Record<string, { ru: string; en: string }> = {
  insufficient_funds: { ru: 'недостаточно средств на карте', en: 'insufficient funds on the card' },
  card_expired: { ru: 'истёк срок действия карты', en: 'the card has expired' },
  general_decline: { ru: 'банк отклонил операцию', en: 'the bank declined the payment' },
  expired_on_confirmation: { ru: 'время на оплату истекло', en: 'the time to pay ran out' },
  provider_refused: {
    ru: 'платёжный сервис отказал в создании платежа',
    en: 'the payment provider refused the payment',
  },
  not_found_at_provider: {
    ru: 'платёжный сервис не знает этот платёж',
    en: 'the payment provider does not know this payment',
  },
};

export function reasonText(reason: string | null): { ru: string; en: string } {
  if (!reason) return { ru: 'причина не указана', en: 'no reason given' };
  return REASONS[reason] ?? { ru: `отказ (${reason})`, en: `declined (${reason})` };
}

export function statusMessage(row: CardPaymentRow): { ru: string; en: string } {
  const sum = formatMoney(row.amountKopecks);
  const sumEn = formatMoney(row.amountKopecks, 'en');
  switch (row.status) {
    case 'created':
      return {
        ru: `Платёж на ${sum} ещё не создан в платёжном сервисе. Повторите запрос с тем же ключом идемпотентности.`,
        en: `The payment of ${sumEn} is not created at the provider yet. Retry with the same idempotency key.`,
      };
    case 'pending':
      return {
        ru: `Платёж на ${sum} по лицевому счёту ${row.accountNumber} ожидает оплаты на странице платёжного сервиса.`,
        en: `The payment of ${sumEn} to account ${row.accountNumber} awaits payment on the provider's page.`,
      };
    case 'succeeded':
      return row.paymentId !== null
        ? {
            ru: `Оплачено ${sum} по лицевому счёту ${row.accountNumber}. Платёж принят, спасибо!`,
            en: `Paid ${sumEn} to account ${row.accountNumber}. The payment is accepted, thank you!`,
          }
        : {
            ru: `Оплата ${sum} прошла, но не зачислена автоматически (${row.creditRefusal}). Оператор зачислит её или вернёт деньги.`,
            en: `The payment of ${sumEn} went through but was not credited automatically (${row.creditRefusal}). An operator will credit or refund it.`,
          };
    case 'canceled': {
      const r = reasonText(row.cancelReason);
      return {
        ru: `Платёж на ${sum} не прошёл: ${r.ru}. Деньги не списаны.`,
        en: `The payment of ${sumEn} did not go through: ${r.en}. No money was taken.`,
      };
    }
  }
}

export const PERIOD_INVALID = (period: string) => ({
  ru: `Период ${period} указан неверно: нужен месяц не позже текущего в виде ГГГГ-ММ.`,
  en: `Period ${period} is invalid: a month not after the current one, as YYYY-MM.`,
});

export const IDEMPOTENCY_CONFLICT = {
  ru: 'Ключ идемпотентности уже использован для другого платежа. Для нового платежа нужен новый ключ.',
  en: 'The idempotency key was already used for another payment. A new payment needs a new key.',
};

export const PROVIDER_UNAVAILABLE = {
  ru: 'Платёжный сервис временно недоступен. Повторите запрос с тем же ключом идемпотентности — второй платёж не появится.',
  en: 'The payment provider is temporarily unavailable. Retry with the same idempotency key — no second payment will appear.',
};
