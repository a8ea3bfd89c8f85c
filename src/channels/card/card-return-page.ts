import { formatMoney } from '../../domain/money.ts';
import type { CardPaymentView } from './card-payment.service.ts';

/** The page the payer's browser comes back to from the provider (Russian); it refreshes while pending. */

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function returnPage(view: CardPaymentView | undefined): string {
  const title = !view
    ? 'Платёж не найден'
    : view.status === 'succeeded'
      ? 'Оплата прошла'
      : view.status === 'canceled'
        ? 'Оплата не прошла'
        : 'Платёж обрабатывается';
  const refresh = view && (view.status === 'pending' || view.status === 'created');
  const body = view
    ? `<p class="sum">${formatMoney(view.amountKopecks)}</p><p>Лицевой счёт ${escapeHtml(view.account)}</p><p>${escapeHtml(view.message)}</p>${
        refresh ? '<p class="note">Страница обновится сама.</p>' : ''
      }`
    : '<p>Проверьте ссылку.</p>';
  return `<!doctype html>
<html lang="ru"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
${refresh ? '<meta http-equiv="refresh" content="3">' : ''}<title>${title}</title>
<style>body{font-family:system-ui,sans-serif;margin:0;padding:24px 12px;background:#f2f4f7;color:#1d2330}
main{max-width:420px;margin:0 auto;background:#fff;border-radius:12px;padding:24px}.sum{font-size:28px;font-weight:600}.note{color:#5a6275}</style>
</head><body><main><h1>${title}</h1>${body}</main></body></html>`;
}
