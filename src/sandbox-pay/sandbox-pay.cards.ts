/**
 * The sandbox's card processing: the number checks a real form makes (Luhn, expiry, CVC) and the test
 * cards that decide the outcome. Nothing here keeps a card number: the caller keeps only the last 4 digits.
 */

export type CardOutcome =
  | { kind: 'succeeded' }
  | { kind: 'declined'; reason: string }
  /** The issuer never answers: the payment stays pending and is canceled when it expires. */
  | { kind: 'timeout' };

/** Test cards (docs/payments-card.md). Any other valid number is declined with `general_decline`. */
export const TEST_CARDS: ReadonlyArray<{ number: string; outcome: CardOutcome; note: string }> = [
  { number: '4111111111111111', outcome: { kind: 'succeeded' }, note: 'успешная оплата / success (Visa)' },
  {
    number: '5555555555554444',
    outcome: { kind: 'succeeded' },
    note: 'успешная оплата / success (Mastercard)',
  },
  { number: '2200000000000004', outcome: { kind: 'succeeded' }, note: 'успешная оплата / success (Мир)' },
  {
    number: '4000000000000002',
    outcome: { kind: 'declined', reason: 'insufficient_funds' },
    note: 'отказ: недостаточно средств / declined: insufficient funds',
  },
  {
    number: '4000000000000069',
    outcome: { kind: 'declined', reason: 'card_expired' },
    note: 'отказ: истёк срок карты / declined: card expired',
  },
  {
    number: '4000000000000119',
    outcome: { kind: 'timeout' },
    note: 'банк не отвечает: платёж остаётся в обработке и отменяется по истечении срока / issuer timeout',
  },
];

export interface CardForm {
  number: string;
  expiry: string;
  cvc: string;
  holder: string;
}

export interface CardChecked {
  /** Digits only; the caller must not store it. */
  pan: string;
  last4: string;
  cardType: string;
  expiryMonth: number;
  expiryYear: number;
}

export type CardFieldError = 'number' | 'expiry' | 'cvc' | 'holder';

/** Validates the form as the payment page does; returns the fields in error or the checked card. */
export function checkCardForm(
  form: CardForm,
): { ok: true; card: CardChecked } | { ok: false; errors: CardFieldError[] } {
  const errors: CardFieldError[] = [];
  const pan = form.number.replace(/[\s-]/g, '');
  if (!/^\d{12,19}$/.test(pan) || !luhnValid(pan)) errors.push('number');
  const m = /^\s*(\d{2})\s*\/\s*(\d{2})\s*$/.exec(form.expiry);
  const month = m ? Number(m[1]) : 0;
  if (!m || month < 1 || month > 12) errors.push('expiry');
  if (!/^\d{3}$/.test(form.cvc.trim())) errors.push('cvc');
  if (form.holder.trim() !== '' && !/^[A-Za-z][A-Za-z .'-]{1,25}$/.test(form.holder.trim()))
    errors.push('holder');
  if (errors.length > 0 || !m) return { ok: false, errors };
  return {
    ok: true,
    card: {
      pan,
      last4: pan.slice(-4),
      cardType: cardType(pan),
      expiryMonth: month,
      expiryYear: 2000 + Number(m[2]),
    },
  };
}

/** The Luhn checksum every card number carries (ISO/IEC 7812). */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

function cardType(pan: string): string {
  if (/^220[0-4]/.test(pan)) return 'Mir';
  if (pan.startsWith('4')) return 'Visa';
  if (/^(5[1-5]|2[2-7])/.test(pan)) return 'MasterCard';
  return 'Unknown';
}

/** What the "issuer" answers for a checked card at a moment (an expired card is declined whatever its number). */
export function cardOutcome(card: CardChecked, now: Date): CardOutcome {
  const endOfExpiry = Date.UTC(card.expiryYear, card.expiryMonth, 1); // first instant after the month
  if (now.getTime() >= endOfExpiry) return { kind: 'declined', reason: 'card_expired' };
  return (
    TEST_CARDS.find((c) => c.number === card.pan)?.outcome ?? { kind: 'declined', reason: 'general_decline' }
  );
}
