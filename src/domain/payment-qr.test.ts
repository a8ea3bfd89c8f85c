import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildPaymentQr,
  type PaymentQrError,
  type PaymentQrFields,
  type PaymentQrResult,
  parsePaymentQr,
  SEPARATORS,
} from './payment-qr.ts';

const EXAMPLE =
  'ST00012|Name=АО «Энергосбыт»|PersonalAcc=40702810900000000001|BankName=ПАО Сбербанк|BIC=044525225|' +
  'CorrespAcc=30101810400000000225|PayeeINN=7700000000|PersAcc=1234567890|PaymPeriod=03.2026|Sum=264000|TechCode=02';

const PAYEE: PaymentQrFields = {
  name: 'АО «Энергосбыт»',
  personalAcc: '40702810900000000001',
  bankName: 'ПАО Сбербанк',
  bic: '044525225',
  correspAcc: '30101810400000000225',
};
const BILL: PaymentQrFields = {
  ...PAYEE,
  payeeInn: '7700000000',
  persAcc: '1234567890',
  paymPeriod: '2026-03',
  sumKopecks: 264_000,
  techCode: '02',
};

function value<T>(r: PaymentQrResult<T>): T {
  if (!r.ok) throw new Error(`unexpected errors: ${JSON.stringify(r.errors)}`);
  return r.value;
}
function errors<T>(r: PaymentQrResult<T>): PaymentQrError[] {
  if (r.ok) throw new Error(`expected errors, got ${JSON.stringify(r.value)}`);
  return r.errors;
}

describe('§12 payment QR payload (GOST R 56042-2014)', () => {
  it('builds the example of domain.md §12 exactly', () => {
    expect(value(buildPaymentQr(BILL))).toBe(EXAMPLE);
  });

  it('reads the example of domain.md §12 back', () => {
    expect(value(parsePaymentQr(EXAMPLE))).toEqual({
      encoding: '2',
      separator: '|',
      fields: BILL,
      other: [],
    });
  });

  it('writes the mandatory requisites alone, in their order, without a trailing separator', () => {
    expect(value(buildPaymentQr(PAYEE))).toBe(
      'ST00012|Name=АО «Энергосбыт»|PersonalAcc=40702810900000000001|BankName=ПАО Сбербанк|BIC=044525225|' +
        'CorrespAcc=30101810400000000225',
    );
  });

  it('writes all optional requisites in a fixed order, the penalty as AddAmount', () => {
    const full: PaymentQrFields = {
      ...BILL,
      kpp: '7701AB001',
      purpose: 'Электроэнергия за 03.2026',
      lastName: 'Иванов',
      payerAddress: 'г. Тверь, ул. Ленина, д. 1, кв. 2',
      addAmountKopecks: 1_234,
    };
    const payload = value(buildPaymentQr(full));
    const keys = payload
      .slice(8)
      .split('|')
      .map((p) => p.split('=')[0]);
    expect(keys).toEqual([
      ...['Name', 'PersonalAcc', 'BankName', 'BIC', 'CorrespAcc', 'PayeeINN', 'KPP', 'Purpose', 'LastName'],
      ...['PayerAddress', 'PersAcc', 'PaymPeriod', 'Sum', 'AddAmount', 'TechCode'],
    ]);
    expect(payload).toContain('|AddAmount=1234|');
    expect(value(parsePaymentQr(payload)).fields).toEqual(full);
  });

  it('flag 1 (windows-1251) is only a label: the text is the same after the flag', () => {
    const payload = value(buildPaymentQr(BILL, '1'));
    expect(payload).toBe(`ST00011${EXAMPLE.slice(7)}`);
    expect(value(parsePaymentQr(payload)).encoding).toBe('1');
  });

  it('a value containing "|" switches to the next separator absent from every value, named after the flag', () => {
    const fields = { ...BILL, name: 'ООО «Свет|Тепло»' };
    const payload = value(buildPaymentQr(fields));
    expect(payload.startsWith('ST00012#Name=ООО «Свет|Тепло»#PersonalAcc=')).toBe(true);
    expect(payload).not.toMatch(/\|PersonalAcc/);
    const parsed = value(parsePaymentQr(payload));
    expect(parsed.separator).toBe('#');
    expect(parsed.fields).toEqual(fields);
  });

  it('skips every candidate some value contains', () => {
    const fields = { ...BILL, name: 'A|B', purpose: '№ 1 # 2 ; 3' };
    const payload = value(buildPaymentQr(fields));
    expect(payload.charAt(7)).toBe(':');
    expect(value(parsePaymentQr(payload)).fields).toEqual(fields);
  });

  it('fails with NO_SEPARATOR when the values use up every candidate', () => {
    const fields = { ...BILL, payerAddress: SEPARATORS.join(' ') };
    expect(errors(buildPaymentQr(fields))).toEqual([{ problem: 'NO_SEPARATOR' }]);
  });

  it('property: build → parse gives back the same fields, whatever characters the values hold', () => {
    const chars = fc.constantFrom(...'АяЁё «»№"\'=|#;:^_~!$%&()*+,/@?.-0123456789abcXYZ\\[]{}<>`');
    const text = (max: number) =>
      fc.string({ unit: chars, minLength: 1, maxLength: max }).filter((s) => s.trim() !== '');
    const digits = (n: number) =>
      fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: n, maxLength: n });
    const kopecks = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });
    const period = fc
      .tuple(fc.integer({ min: 1, max: 9999 }), fc.integer({ min: 1, max: 12 }))
      .map(([y, m]) => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}`);
    const fieldsArb = fc.record(
      {
        name: text(160),
        personalAcc: digits(20),
        bankName: text(45),
        bic: digits(9),
        correspAcc: digits(20),
        payeeInn: fc.oneof(digits(10), digits(12)),
        kpp: fc.tuple(digits(4), fc.constantFrom('01', 'AB', '9Z'), digits(3)).map((p) => p.join('')),
        purpose: text(210),
        lastName: text(40),
        payerAddress: text(120),
        persAcc: text(20),
        paymPeriod: period,
        sumKopecks: kopecks,
        addAmountKopecks: kopecks,
        techCode: digits(2),
      },
      { requiredKeys: ['name', 'personalAcc', 'bankName', 'bic', 'correspAcc'] },
    );
    fc.assert(
      fc.property(fieldsArb, fc.constantFrom('1' as const, '2' as const), (fields, flag) => {
        const built = buildPaymentQr(fields, flag);
        if (!built.ok) {
          expect(built.errors).toEqual([{ problem: 'NO_SEPARATOR' }]);
          return;
        }
        const parsed = value(parsePaymentQr(built.value));
        expect(parsed.fields).toEqual(fields);
        expect(parsed.encoding).toBe(flag);
        expect(parsed.other).toEqual([]);
      }),
    );
  });
});

describe('§12 validation of the fields: a typed error for each bad one, all of them at once', () => {
  it.each<[string, Partial<PaymentQrFields>, PaymentQrError]>([
    ['empty Name', { name: '' }, { problem: 'EMPTY', key: 'Name' }],
    ['blank BankName', { bankName: '   ' }, { problem: 'EMPTY', key: 'BankName' }],
    ['PersonalAcc of 19 digits', { personalAcc: '4070281090000000000' }, wrongDigits('PersonalAcc', 20)],
    ['PersonalAcc with a letter', { personalAcc: '4070281090000000000A' }, wrongDigits('PersonalAcc', 20)],
    ['BIC of 10 digits', { bic: '0445252250' }, wrongDigits('BIC', 9)],
    ['CorrespAcc of 21 digits', { correspAcc: '301018104000000002250' }, wrongDigits('CorrespAcc', 20)],
    ['PayeeINN of 11 digits', { payeeInn: '77000000001' }, wrongDigits('PayeeINN', '10 or 12')],
    ['KPP of 8 characters', { kpp: '77010100' }, { problem: 'BAD_FORMAT', key: 'KPP' }],
    ['TechCode of one digit', { techCode: '2' }, { problem: 'BAD_FORMAT', key: 'TechCode' }],
    ['PaymPeriod not a period', { paymPeriod: '2026-13' }, { problem: 'BAD_FORMAT', key: 'PaymPeriod' }],
    ['negative Sum', { sumKopecks: -1 }, { problem: 'NEGATIVE', key: 'Sum' }],
    ['fractional Sum', { sumKopecks: 2640.5 }, { problem: 'NOT_AN_INTEGER', key: 'Sum' }],
    ['negative AddAmount', { addAmountKopecks: -100 }, { problem: 'NEGATIVE', key: 'AddAmount' }],
    ['Purpose with a line feed', { purpose: 'за март\nи апрель' }, { problem: 'LINE_BREAK', key: 'Purpose' }],
    ['PayerAddress with a CR', { payerAddress: 'Тверь\r' }, { problem: 'LINE_BREAK', key: 'PayerAddress' }],
    ['Name with U+2028', { name: 'АО\u2028Свет' }, { problem: 'LINE_BREAK', key: 'Name' }],
    ['empty PersAcc', { persAcc: '' }, { problem: 'EMPTY', key: 'PersAcc' }],
    [
      'Name of 161 characters',
      { name: 'Я'.repeat(161) },
      { problem: 'TOO_LONG', key: 'Name', params: { max: 160 } },
    ],
    [
      'BankName of 46',
      { bankName: 'Б'.repeat(46) },
      { problem: 'TOO_LONG', key: 'BankName', params: { max: 45 } },
    ],
    [
      'Purpose of 211',
      { purpose: 'П'.repeat(211) },
      { problem: 'TOO_LONG', key: 'Purpose', params: { max: 210 } },
    ],
  ])('%s', (_, change, error) => {
    expect(errors(buildPaymentQr({ ...BILL, ...change }))).toEqual([error]);
  });

  it('a missing mandatory field (from untyped input) is EMPTY', () => {
    const { bic: _bic, ...rest } = BILL;
    expect(errors(buildPaymentQr(rest as PaymentQrFields))).toEqual([{ problem: 'EMPTY', key: 'BIC' }]);
  });

  it('reports every bad field, in payload order', () => {
    const bad = { ...BILL, name: '', bic: '1', sumKopecks: -5 };
    expect(errors(buildPaymentQr(bad)).map((e) => e.key)).toEqual(['Name', 'BIC', 'Sum']);
  });
});

describe('§12 reading a scanned payload', () => {
  const body = EXAMPLE.slice(8);
  it.each<[string, string, PaymentQrError[]]>([
    ['not GOST', 'QR|Name=x', [{ problem: 'NOT_GOST' }]],
    ['another version', `ST00022|${body}`, [{ problem: 'NOT_GOST' }]],
    ['KOI8-R flag', `ST00013|${body}`, [{ problem: 'UNSUPPORTED_ENCODING', params: { flag: '3' } }]],
    ['a letter as separator', `ST00012N${body}`, [{ problem: 'NOT_GOST', params: { separator: 'N' } }]],
    [
      'a requisite without "="',
      `${EXAMPLE}|Sum`,
      [{ problem: 'MALFORMED_REQUISITE', params: { text: 'Sum' } }],
    ],
    ['a duplicate requisite', `${EXAMPLE}|Sum=1`, [{ problem: 'DUPLICATE', key: 'Sum' }]],
    [
      'Sum not in kopecks',
      EXAMPLE.replace('Sum=264000', 'Sum=2640.00'),
      [{ problem: 'NOT_AN_INTEGER', key: 'Sum' }],
    ],
    [
      'PaymPeriod M.YYYY',
      EXAMPLE.replace('03.2026', '3.2026'),
      [{ problem: 'BAD_FORMAT', key: 'PaymPeriod' }],
    ],
    ['BIC of 8 digits', EXAMPLE.replace('BIC=044525225', 'BIC=04452522'), [wrongDigits('BIC', 9)]],
    [
      'a missing mandatory requisite',
      EXAMPLE.replace('|BankName=ПАО Сбербанк', ''),
      [{ problem: 'MISSING', key: 'BankName' }],
    ],
    [
      'mandatory requisites out of order',
      'ST00012|PersonalAcc=40702810900000000001|Name=АО|BankName=Б|BIC=044525225|CorrespAcc=30101810400000000225',
      [
        { problem: 'OUT_OF_ORDER', key: 'Name' },
        { problem: 'OUT_OF_ORDER', key: 'PersonalAcc' },
      ],
    ],
  ])('%s', (_, payload, expected) => {
    expect(errors(parsePaymentQr(payload))).toEqual(expected);
  });

  it('keeps requisites it does not model in `other` and tolerates one trailing separator', () => {
    const parsed = value(parsePaymentQr(`${EXAMPLE}|Phone=79101234567|CounterId=12345|`));
    expect(parsed.fields).toEqual(BILL);
    expect(parsed.other).toEqual([
      { key: 'Phone', value: '79101234567' },
      { key: 'CounterId', value: '12345' },
    ]);
  });

  it('a value may contain "=": the first "=" splits key from value', () => {
    const parsed = value(parsePaymentQr(`${EXAMPLE}|Purpose=a=b`));
    expect(parsed.fields.purpose).toBe('a=b');
  });
});

function wrongDigits(key: PaymentQrError['key'], expected: number | string): PaymentQrError {
  return key === undefined
    ? { problem: 'WRONG_DIGITS' }
    : { problem: 'WRONG_DIGITS', key, params: { expected } };
}
