import { isPeriod, type Period } from './period.ts';

/**
 * The payment QR code of a bill (domain.md §12, GOST R 56042-2014): the text encoded in the symbol.
 *
 *   ST0001 <flag> <sep> Name=…<sep>PersonalAcc=…<sep>BankName=…<sep>BIC=…<sep>CorrespAcc=…[<sep>Key=Value…]
 *
 * The service block is "ST", the version "0001", the encoding flag (one character: "1" windows-1251,
 * "2" UTF-8; "3" KOI8-R is not supported here) and the separator (one character). The five mandatory
 * requisites come first, in that order; the optional ones follow. This module builds and reads the text;
 * turning it into bytes in the flagged encoding is the caller's business (flag "1" is a label only).
 *
 * Decisions where §12 is silent:
 *  - Separator: "|" (§12, the usual one), unless some value contains it; then the first of SEPARATORS
 *    absent from every value. The service block has one byte for it, and it must not occur in any value;
 *    we take printable ASCII punctuation (one byte in UTF-8 and windows-1251 alike; the order after "|"
 *    follows common GOST R 56042 implementations), never "=" (it splits key from value), a letter, a
 *    digit or a space. None absent → NO_SEPARATOR. The parser accepts any separator but those.
 *  - Optional requisites are written in the fixed order of OPTIONAL_KEYS (the standard leaves the order
 *    free), which reproduces the §12 example; a payload is thus a function of the bill.
 *  - Lengths: Name ≤ 160, BankName ≤ 45, Purpose ≤ 210 characters (the standard's maxima); PayeeINN 10
 *    or 12 digits; KPP 9 characters (NNNN PP NNN, P a digit or a capital Latin letter); TechCode 2 digits
 *    ("02" housing and utilities); Sum and AddAmount non-negative integer kopecks.
 *  - The parser takes the mandatory requisites in order, keeps unknown requisites (the standard has many
 *    more) in `other`, tolerates one trailing separator and refuses anything else malformed.
 */

export type QrEncodingFlag = '1' | '2';

export interface PaymentQrFields {
  /** Name — the payee (principal). */
  name: string;
  /** PersonalAcc — the payee's bank account, 20 digits. */
  personalAcc: string;
  bankName: string;
  /** BIC — 9 digits. */
  bic: string;
  /** CorrespAcc — the bank's correspondent account, 20 digits. */
  correspAcc: string;
  payeeInn?: string;
  kpp?: string;
  purpose?: string;
  lastName?: string;
  payerAddress?: string;
  /** PersAcc — the customer's account number with the supplier. */
  persAcc?: string;
  /** PaymPeriod — the billing period, written MM.YYYY in the payload. */
  paymPeriod?: Period;
  /** Sum — the amount to pay, kopecks. */
  sumKopecks?: number;
  /** AddAmount — the penalty (§10), kopecks. */
  addAmountKopecks?: number;
  /** TechCode — "02" for housing and utilities. */
  techCode?: string;
}

export type PaymentQrProblem =
  | 'EMPTY'
  | 'WRONG_DIGITS'
  | 'BAD_FORMAT'
  | 'TOO_LONG'
  | 'LINE_BREAK'
  | 'NEGATIVE'
  | 'NOT_AN_INTEGER'
  | 'NO_SEPARATOR'
  | 'NOT_GOST'
  | 'UNSUPPORTED_ENCODING'
  | 'MALFORMED_REQUISITE'
  | 'DUPLICATE'
  | 'MISSING'
  | 'OUT_OF_ORDER';

export interface PaymentQrError {
  problem: PaymentQrProblem;
  key?: PaymentQrKey;
  params?: Record<string, string | number>;
}

export type PaymentQrResult<T> = { ok: true; value: T } | { ok: false; errors: PaymentQrError[] };

export interface ParsedPaymentQr {
  encoding: QrEncodingFlag;
  separator: string;
  fields: PaymentQrFields;
  /** Requisites this module does not model, in payload order. */
  other: { key: string; value: string }[];
}

type Prop = keyof PaymentQrFields;
type Kind = 'text' | 'digits' | 'inn' | 'kpp' | 'kopecks' | 'period' | 'techCode';
interface Spec {
  prop: Prop;
  kind: Kind;
  digits?: number;
  max?: number;
}

const SPECS = {
  Name: { prop: 'name', kind: 'text', max: 160 },
  PersonalAcc: { prop: 'personalAcc', kind: 'digits', digits: 20 },
  BankName: { prop: 'bankName', kind: 'text', max: 45 },
  BIC: { prop: 'bic', kind: 'digits', digits: 9 },
  CorrespAcc: { prop: 'correspAcc', kind: 'digits', digits: 20 },
  PayeeINN: { prop: 'payeeInn', kind: 'inn' },
  KPP: { prop: 'kpp', kind: 'kpp' },
  Purpose: { prop: 'purpose', kind: 'text', max: 210 },
  LastName: { prop: 'lastName', kind: 'text' },
  PayerAddress: { prop: 'payerAddress', kind: 'text' },
  PersAcc: { prop: 'persAcc', kind: 'text' },
  PaymPeriod: { prop: 'paymPeriod', kind: 'period' },
  Sum: { prop: 'sumKopecks', kind: 'kopecks' },
  AddAmount: { prop: 'addAmountKopecks', kind: 'kopecks' },
  TechCode: { prop: 'techCode', kind: 'techCode' },
} satisfies Record<string, Spec>;

/** The GOST requisite names this module models (Name, PersonalAcc, …). */
export type PaymentQrKey = keyof typeof SPECS;

export const MANDATORY_KEYS: readonly PaymentQrKey[] = [
  'Name',
  'PersonalAcc',
  'BankName',
  'BIC',
  'CorrespAcc',
];
export const OPTIONAL_KEYS: readonly PaymentQrKey[] = [
  ...(['PayeeINN', 'KPP', 'Purpose', 'LastName', 'PayerAddress'] as const),
  ...(['PersAcc', 'PaymPeriod', 'Sum', 'AddAmount', 'TechCode'] as const),
];
/** Separator candidates, the recommended "|" first. */
export const SEPARATORS: readonly string[] = [...'|#;:^_~{}!$%&()*+,/@?[]<>\\`\'"-.'];

const HEADER = 'ST0001';
const LINE_BREAK = /[\r\n\u2028\u2029\u0085\v\f]/;

/** One value's problem, if any (the value as it is written in the payload). */
function checkText(key: PaymentQrKey, text: string): PaymentQrError | undefined {
  const spec: Spec = SPECS[key];
  if (text.trim() === '') return { problem: 'EMPTY', key };
  if (LINE_BREAK.test(text)) return { problem: 'LINE_BREAK', key };
  if (spec.max !== undefined && [...text].length > spec.max)
    return { problem: 'TOO_LONG', key, params: { max: spec.max } };
  if (spec.kind === 'digits' && !new RegExp(`^\\d{${spec.digits}}$`).test(text))
    return { problem: 'WRONG_DIGITS', key, params: { expected: spec.digits ?? 0 } };
  if (spec.kind === 'inn' && !/^(\d{10}|\d{12})$/.test(text))
    return { problem: 'WRONG_DIGITS', key, params: { expected: '10 or 12' } };
  if (spec.kind === 'kpp' && !/^\d{4}[\dA-Z]{2}\d{3}$/.test(text)) return { problem: 'BAD_FORMAT', key };
  if (spec.kind === 'techCode' && !/^\d{2}$/.test(text)) return { problem: 'BAD_FORMAT', key };
  return undefined;
}

function checkKopecks(key: PaymentQrKey, value: number): PaymentQrError | undefined {
  if (!Number.isSafeInteger(value)) return { problem: 'NOT_AN_INTEGER', key };
  if (value < 0) return { problem: 'NEGATIVE', key };
  return undefined;
}

/** The value of `key` as written in the payload ("MM.YYYY" for a period, decimal kopecks for sums). */
function written(key: PaymentQrKey, fields: PaymentQrFields): PaymentQrResult<string> | undefined {
  const spec: Spec = SPECS[key];
  const value = fields[spec.prop];
  if (value === undefined) return undefined;
  if (spec.kind === 'kopecks') {
    const error =
      typeof value === 'number' ? checkKopecks(key, value) : { problem: 'NOT_AN_INTEGER' as const, key };
    return error ? { ok: false, errors: [error] } : { ok: true, value: String(value) };
  }
  const text = String(value);
  if (spec.kind === 'period') {
    if (!isPeriod(text)) return { ok: false, errors: [{ problem: 'BAD_FORMAT', key }] };
    return { ok: true, value: `${text.slice(5, 7)}.${text.slice(0, 4)}` };
  }
  const error = checkText(key, text);
  return error ? { ok: false, errors: [error] } : { ok: true, value: text };
}

/** §12 the QR payload of a bill, or every problem of its fields. */
export function buildPaymentQr(
  fields: PaymentQrFields,
  encoding: QrEncodingFlag = '2',
): PaymentQrResult<string> {
  const errors: PaymentQrError[] = [];
  const pairs: [PaymentQrKey, string][] = [];
  for (const key of [...MANDATORY_KEYS, ...OPTIONAL_KEYS]) {
    const w = written(key, fields);
    if (w === undefined) {
      if (MANDATORY_KEYS.includes(key)) errors.push({ problem: 'EMPTY', key });
    } else if (w.ok) pairs.push([key, w.value]);
    else errors.push(...w.errors);
  }
  if (errors.length > 0) return { ok: false, errors };
  const separator = SEPARATORS.find((s) => pairs.every(([, v]) => !v.includes(s)));
  if (separator === undefined) return { ok: false, errors: [{ problem: 'NO_SEPARATOR' }] };
  const body = pairs.map(([k, v]) => `${k}=${v}`).join(separator);
  return { ok: true, value: `${HEADER}${encoding}${separator}${body}` };
}

function isKnownKey(key: string): key is PaymentQrKey {
  return Object.hasOwn(SPECS, key);
}

/** Reads one requisite's text back into its field value. */
function readValue(key: PaymentQrKey, text: string): PaymentQrResult<string | number> {
  const spec: Spec = SPECS[key];
  if (spec.kind === 'kopecks') {
    if (!/^\d+$/.test(text)) return { ok: false, errors: [{ problem: 'NOT_AN_INTEGER', key }] };
    const value = Number(text);
    const error = checkKopecks(key, value);
    return error ? { ok: false, errors: [error] } : { ok: true, value };
  }
  if (spec.kind === 'period') {
    const m = /^(0[1-9]|1[0-2])\.(\d{4})$/.exec(text);
    return m
      ? { ok: true, value: `${m[2]}-${m[1]}` }
      : { ok: false, errors: [{ problem: 'BAD_FORMAT', key }] };
  }
  const error = checkText(key, text);
  return error ? { ok: false, errors: [error] } : { ok: true, value: text };
}

/** §12 reads a payment QR payload (as text) back into its fields, or every problem found. */
export function parsePaymentQr(text: string): PaymentQrResult<ParsedPaymentQr> {
  if (!text.startsWith(HEADER) || text.length < HEADER.length + 2) return fail('NOT_GOST');
  const encoding = text.charAt(HEADER.length);
  if (encoding !== '1' && encoding !== '2') return fail('UNSUPPORTED_ENCODING', { flag: encoding });
  const separator = text.charAt(HEADER.length + 1);
  if (/[\p{L}\p{N}\s=]/u.test(separator)) return fail('NOT_GOST', { separator });
  const parts = text.slice(HEADER.length + 2).split(separator);
  if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();

  const errors: PaymentQrError[] = [];
  const found = new Map<PaymentQrKey, string | number>();
  /** Every key in payload order, known or not: the mandatory five must open the list. */
  const order: string[] = [];
  const other: { key: string; value: string }[] = [];
  for (const part of parts) {
    const eq = part.indexOf('=');
    if (eq <= 0) {
      errors.push({ problem: 'MALFORMED_REQUISITE', params: { text: part } });
      continue;
    }
    const key = part.slice(0, eq);
    const value = part.slice(eq + 1);
    if (order.includes(key)) {
      errors.push(
        isKnownKey(key) ? { problem: 'DUPLICATE', key } : { problem: 'DUPLICATE', params: { key } },
      );
      continue;
    }
    order.push(key);
    if (!isKnownKey(key)) {
      other.push({ key, value });
      continue;
    }
    const r = readValue(key, value);
    if (r.ok) found.set(key, r.value);
    else errors.push(...r.errors);
  }
  for (const key of MANDATORY_KEYS) if (!order.includes(key)) errors.push({ problem: 'MISSING', key });
  const present = MANDATORY_KEYS.filter((key) => order.includes(key));
  present.forEach((key, i) => {
    if (order[i] !== key) errors.push({ problem: 'OUT_OF_ORDER', key });
  });
  if (errors.length > 0) return { ok: false, errors };

  const fields: Record<string, string | number> = {};
  for (const [key, value] of found) fields[SPECS[key].prop] = value;
  return { ok: true, value: { encoding, separator, fields: fields as unknown as PaymentQrFields, other } };
}

function fail(problem: PaymentQrProblem, params?: Record<string, string>): PaymentQrResult<never> {
  return { ok: false, errors: [params ? { problem, params } : { problem }] };
}
