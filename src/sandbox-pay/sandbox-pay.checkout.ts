import type { CardFieldError } from './sandbox-pay.cards.ts';
import { TEST_CARDS } from './sandbox-pay.cards.ts';
import type { SandboxPayment } from './sandbox-pay.store.ts';

/** The hosted payment page (Russian), rendered on the provider's side: card data are typed here only. */

const FIELD_ERRORS: Record<CardFieldError, string> = {
  number: 'Номер карты введён с ошибкой',
  expiry: 'Срок действия — месяц и год, ММ/ГГ',
  cvc: 'CVC — три цифры с обратной стороны карты',
  holder: 'Имя держателя — латинскими буквами, как на карте',
};

const REASONS: Record<string, string> = {
  insufficient_funds: 'недостаточно средств на карте',
  card_expired: 'истёк срок действия карты',
  general_decline: 'банк отклонил операцию',
  expired_on_confirmation: 'время на оплату истекло',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function formatRub(kopecks: number): string {
  const rub = Math.floor(kopecks / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, '\u00a0');
  return `${rub},${String(kopecks % 100).padStart(2, '0')}\u00a0₽`;
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="ru"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body{font-family:system-ui,sans-serif;background:#f2f4f7;margin:0;padding:24px 12px;color:#1d2330}
main{max-width:420px;margin:0 auto;background:#fff;border-radius:12px;padding:24px;box-shadow:0 2px 8px #0002}
h1{font-size:20px;margin:0 0 4px}.merchant{color:#5a6275;margin:0 0 16px}.amount{font-size:28px;font-weight:600;margin:8px 0 16px}
label{display:block;font-size:14px;margin:12px 0 4px}input{width:100%;box-sizing:border-box;font-size:18px;padding:10px;border:1px solid #b8bfcc;border-radius:8px}
.row{display:flex;gap:12px}.row>div{flex:1}button{margin-top:20px;width:100%;font-size:18px;padding:12px;border:0;border-radius:8px;background:#1f6feb;color:#fff}
.error{color:#b42318;font-size:14px;margin:4px 0 0}.note{color:#5a6275;font-size:13px;margin-top:16px}.sandbox{background:#fff4ce;padding:6px 10px;border-radius:6px;font-size:13px}
</style></head><body><main>${body}</main></body></html>`;
}

function header(p: SandboxPayment, merchant: string): string {
  return `<p class="sandbox">Тестовый платёжный сервис (песочница). Настоящие карты не принимаются.</p>
<h1>Оплата банковской картой</h1>
<p class="merchant">Получатель: ${escapeHtml(merchant)}</p>
${p.description ? `<p>${escapeHtml(p.description)}</p>` : ''}
<p class="amount">${formatRub(p.amountKopecks)}</p>`;
}

/** The card form; `errors` lists the fields to fix (the entered number is never echoed back). */
export function checkoutPage(
  p: SandboxPayment,
  merchant: string,
  action: string,
  errors: CardFieldError[] = [],
  kept: { expiry?: string; holder?: string } = {},
): string {
  const err = (f: CardFieldError) => (errors.includes(f) ? `<p class="error">${FIELD_ERRORS[f]}</p>` : '');
  return page(
    'Оплата картой',
    `${header(p, merchant)}
<form method="post" action="${escapeHtml(action)}" autocomplete="on">
<label for="number">Номер карты</label>
<input id="number" name="card_number" inputmode="numeric" autocomplete="cc-number" placeholder="0000 0000 0000 0000" required>${err('number')}
<div class="row"><div><label for="expiry">Срок действия</label>
<input id="expiry" name="expiry" autocomplete="cc-exp" placeholder="ММ/ГГ" value="${escapeHtml(kept.expiry ?? '')}" required>${err('expiry')}</div>
<div><label for="cvc">CVC</label>
<input id="cvc" name="cvc" inputmode="numeric" autocomplete="cc-csc" maxlength="3" placeholder="123" required>${err('cvc')}</div></div>
<label for="holder">Имя держателя (необязательно)</label>
<input id="holder" name="holder" autocomplete="cc-name" placeholder="IVAN IVANOV" value="${escapeHtml(kept.holder ?? '')}">${err('holder')}
<button type="submit">Оплатить ${formatRub(p.amountKopecks)}</button>
</form>
<p class="note"><a href="${escapeHtml(p.returnUrl)}">Вернуться в магазин без оплаты</a></p>
<p class="note">Оплатить до ${p.expiresAt.toISOString().replace('T', ' ').slice(0, 16)} UTC.</p>`,
  );
}

/** The page for a payment that can no longer be paid (done, canceled, or being processed). */
export function statusPage(p: SandboxPayment, merchant: string): string {
  const text =
    p.status === 'succeeded'
      ? 'Платёж выполнен. Спасибо!'
      : p.status === 'canceled'
        ? `Платёж отменён: ${REASONS[p.cancellation?.reason ?? ''] ?? p.cancellation?.reason ?? 'причина неизвестна'}.`
        : 'Платёж обрабатывается банком. Результат придёт позже — повторно оплачивать не нужно.';
  return page(
    'Статус платежа',
    `${header(p, merchant)}<p>${escapeHtml(text)}</p><p><a href="${escapeHtml(p.returnUrl)}">Вернуться в магазин</a></p>`,
  );
}

export function notFoundPage(): string {
  return page(
    'Платёж не найден',
    '<h1>Платёж не найден</h1><p>Проверьте ссылку или начните оплату заново.</p>',
  );
}

/** The sandbox's front page: what it is and the test cards. */
export function indexPage(): string {
  const rows = TEST_CARDS.map(
    (c) =>
      `<tr><td><code>${c.number.replace(/(\d{4})(?=\d)/g, '$1 ')}</code></td><td>${escapeHtml(c.note)}</td></tr>`,
  ).join('');
  return page(
    'Песочница платёжного сервиса',
    `<h1>Песочница платёжного сервиса</h1>
<p>API в стиле ЮKassa: <code>POST /v3/payments</code>, <code>GET /v3/payments/:id</code>, платёжная страница, подписанные уведомления.</p>
<table>${rows}</table>
<p class="note">Любой срок действия в будущем, любой CVC из трёх цифр. Другие номера, прошедшие проверку Луна, — отказ (general_decline); истёкший срок — отказ (card_expired).</p>`,
  );
}
