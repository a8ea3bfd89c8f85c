/** The bank registry format (docs/formats.md "Bank payment registry"): decoding, lines, control line. */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { encodeCp1251 } from '../../../test/support/cp1251.ts';
import { decodeRegistry, kopecksOf, parseRegistry, type RegistryLine } from './registry-parse.ts';

const FIXTURE = readFileSync('test/fixtures/registry/sber_19112026.csv', 'utf8');
const LINE =
  '19-11-2026;09-15-30;9038/1234;00017;100234567;1000000000;Иванов Иван Иванович;г. Москва;102026;1604,00';

/** A registry of these lines with a control line that adds up (unless told otherwise). */
function registry(lines: string[], o: { count?: number; total?: string; tail?: string } = {}): string {
  const total = lines.reduce((s, l) => s + (kopecksOf(l.replace(/;$/, '').split(';').at(-1) ?? '') ?? 0), 0);
  const t = o.total ?? `${Math.trunc(total / 100)},${String(Math.abs(total) % 100).padStart(2, '0')}`;
  return `${lines.join('\r\n')}\r\n=${o.count ?? lines.length};${t};${t};0,00;000777;19-11-2026${o.tail ?? ''}\r\n`;
}

/** UTF-8 bytes shown as windows-1252 (Node's decoder treats that label as Latin-1): "ÐŸÐµÑ‚Ñ€Ð¾Ð²Ð°". */
function asWindows1252(bytes: Buffer): string {
  const high: Record<number, string> = { 128: '€', 130: '‚', 159: 'Ÿ' };
  return [...bytes].map((b) => high[b] ?? String.fromCharCode(b)).join('');
}

function parsedLines(text: string | Buffer): RegistryLine[] {
  const r = parseRegistry(typeof text === 'string' ? Buffer.from(text) : text);
  if (!r.ok) throw new Error(`${r.problem}: ${r.detail}`);
  return r.file.lines;
}

function refusal(bytes: Buffer | string) {
  const r = parseRegistry(typeof bytes === 'string' ? Buffer.from(bytes) : bytes);
  if (r.ok) throw new Error('expected a refusal');
  return { problem: r.problem, ...r.params };
}

describe('bank registry: encodings', () => {
  it('reads the same registry from windows-1251, UTF-8 and UTF-8 with a BOM and LF line ends alike', () => {
    const cp = parseRegistry(encodeCp1251(FIXTURE));
    const u8 = parseRegistry(Buffer.from(FIXTURE));
    const bom = parseRegistry(Buffer.from(`\uFEFF${FIXTURE.replace(/\r\n/g, '\n')}`));
    expect(cp.ok && cp.file.encoding).toBe('windows-1251');
    expect(u8.ok && u8.file.encoding).toBe('utf-8');
    expect(bom.ok && bom.file.encoding).toBe('utf-8');
    if (!cp.ok || !u8.ok || !bom.ok) return;
    expect(cp.file.lines).toEqual(u8.file.lines);
    expect(bom.file.lines).toEqual(u8.file.lines);
    expect(cp.file.canonical).toBe(u8.file.canonical);
    expect(bom.file.canonical).toBe(u8.file.canonical);
    // Real Russian text that looks like broken encoding to a naive check: Рёрих, Сёмина.
    expect(cp.file.lines.map((l) => l.payerName)).toContain('Рёрих Николай Константинович');
    expect(cp.file.lines.map((l) => l.payerName)).toContain('Сёмина Ольга Петровна');
    expect(cp.file.lines.every((l) => !l.problem)).toBe(true);
  });

  it('the test encoder agrees with iconv', () => {
    if (!existsSync('/usr/bin/iconv'))
      return expect(encodeCp1251('Ёё№')).toEqual(Buffer.from([0xa8, 0xb8, 0xb9]));
    const viaIconv = execFileSync('iconv', ['-f', 'UTF-8', '-t', 'CP1251'], { input: FIXTURE });
    expect(encodeCp1251(FIXTURE).equals(viaIconv)).toBe(true);
  });

  it('refuses bytes that are neither windows-1251 nor UTF-8 text, naming the reason and the line', () => {
    const cp = encodeCp1251(FIXTURE);
    const cases: [string, Buffer, string, number][] = [
      ['NUL bytes', Buffer.concat([cp.subarray(0, 300), Buffer.from([0]), cp.subarray(300)]), 'NUL_BYTES', 3],
      ['a zip archive', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0, 0x08, 0]), 'NUL_BYTES', 1],
      [
        'binary without NUL bytes',
        Buffer.from(Array.from({ length: 256 }, (_, i) => 0x80 + ((i * 37) % 128))),
        'NOT_TEXT',
        1,
      ],
      [
        'one UTF-8 line in a windows-1251 file of 2,000 lines',
        Buffer.concat([
          encodeCp1251(`${Array.from({ length: 2000 }, () => LINE).join('\r\n')}\r\n`),
          Buffer.from(`${LINE.replace('Иванов', 'Сидоров')}\r\n`),
        ]),
        'MIXED_ENCODINGS',
        2001,
      ],
      [
        'a windows-1251 file behind a UTF-8 BOM',
        Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), cp]),
        'MIXED_ENCODINGS',
        1,
      ],
      ['a replacement character', Buffer.from(FIXTURE.replace('Сёмина', 'С�мина')), 'CONTROL_CHARACTERS', 3],
      ['a control character', Buffer.from(FIXTURE.replace('Рёрих', 'Р\u0007рих')), 'CONTROL_CHARACTERS', 4],
      [
        'Cyrillic converted twice (UTF-8 shown as windows-1251, saved as UTF-8)',
        Buffer.from(
          FIXTURE.replace(
            'Петрова Анна Сергеевна',
            new TextDecoder('windows-1251').decode(Buffer.from('Петрова Анна Сергеевна')),
          ),
        ),
        'BROKEN_CYRILLIC',
        2,
      ],
      [
        'Cyrillic converted twice through windows-1252',
        Buffer.from(FIXTURE.replace('Петрова', asWindows1252(Buffer.from('Петрова')))),
        'BROKEN_CYRILLIC',
        2,
      ],
    ];
    for (const [what, bytes, reason, line] of cases) {
      const d = decodeRegistry(bytes);
      expect(d.ok ? 'ok' : `${d.reason} line ${d.line}`, what).toBe(`${reason} line ${line}`);
      expect(refusal(bytes), what).toMatchObject({ problem: 'ENCODING_INVALID', reason, line });
    }
  });
});

describe('bank registry: lines', () => {
  it('reads a line: Moscow time, period MMYYYY, amount in rubles with a comma or a point', () => {
    const [a, b] = parsedLines(
      registry([LINE, '18-11-2026;23-59-59;1;2;A-17/3;1000000001;Петрова А. С.;;;500.5;']),
    );
    expect(a).toEqual({
      lineNo: 1,
      paidAt: '2026-11-19T06:15:30.000Z',
      branch: '9038/1234',
      cashier: '00017',
      operationId: '100234567',
      account: '1000000000',
      payerName: 'Иванов Иван Иванович',
      address: 'г. Москва',
      period: '2026-10',
      amountKopecks: 160_400,
    });
    // A trailing ';' is tolerated; no period: the oldest debt (§9).
    expect(b).toMatchObject({ paidAt: '2026-11-18T20:59:59.000Z', period: undefined, amountKopecks: 50_050 });
    expect(b?.problem).toBeUndefined();
  });

  it('amounts: exact kopecks, never floating point', () => {
    expect(['1604,00', '1604.5', '500', '0,07', '-12,50', ' 1 200,00 '].map(kopecksOf)).toEqual([
      160_400, 160_450, 50_000, 7, -1250, 120_000,
    ]);
    expect(['1.234,56', '12,345', 'abc', '', '1e3', '12,'].map(kopecksOf)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    expect(kopecksOf('999999999999,99')).toBe(99_999_999_999_999);
  });

  it('marks each line that cannot be credited with its reason; the file as a whole is taken', () => {
    const f = (o: Partial<Record<'date' | 'time' | 'op' | 'period' | 'amount', string>>) =>
      `${o.date ?? '19-11-2026'};${o.time ?? '10-00-00'};1;2;${o.op ?? 'OP'};1000000000;Иванов;адрес;${o.period ?? ''};${o.amount ?? '100,00'}`;
    const lines = parsedLines(
      registry([
        f({ op: '1' }),
        f({ op: '2', date: '31-02-2026' }),
        f({ op: '3', time: '25-00-00' }),
        f({ op: '4', date: '20-11-2026' }),
        f({ op: '5', amount: '0,00' }),
        f({ op: '6', amount: '-100,00' }),
        f({ op: '7', period: '132026' }),
        f({ op: '' }),
        f({ op: 'has space' }),
        f({ op: '1' }),
        '19-11-2026;10-00-00;1;2;10;1000000000;Иванов; Иван;адрес;102026;250,00',
        f({ op: '11', period: '10.2026' }),
      ]),
    );
    expect(lines.map((l) => l.problem ?? 'ok')).toEqual([
      'ok',
      'BAD_DATE',
      'BAD_DATE',
      'DATE_AFTER_REGISTRY',
      'AMOUNT_NOT_POSITIVE',
      'AMOUNT_NOT_POSITIVE',
      'BAD_PERIOD',
      'NO_OPERATION_ID',
      'BAD_OPERATION_ID',
      'DUPLICATE_IN_FILE',
      'BAD_LINE',
      'ok',
    ]);
    expect(lines[9]?.duplicateOf).toBe(1);
    // A ';' inside the payer: the fields cannot be told apart, but the amount is the last field — the line
    // counts in the control total and its text goes to the report.
    expect(lines[10]).toMatchObject({
      amountKopecks: 25_000,
      operationId: '',
      raw: expect.stringContaining('Иван;'),
    });
    expect(lines[11]?.period).toBe('2026-10');
  });
});

describe('bank registry: the control line', () => {
  it('takes count, total, transferred, commission, number and date', () => {
    const r = parseRegistry(Buffer.from(FIXTURE));
    expect(r.ok && r.file.control).toEqual({
      count: 20,
      totalKopecks: 2_967_900,
      transferredKopecks: 2_938_221,
      commissionKopecks: 29_679,
      number: '000346',
      date: '2026-11-19',
    });
  });

  it('refuses the whole file when the control line is missing, broken, not last, or does not add up', () => {
    expect(refusal('')).toMatchObject({ problem: 'EMPTY' });
    expect(refusal('\r\n  \r\n')).toMatchObject({ problem: 'EMPTY' });
    expect(refusal(`${LINE}\r\n`)).toMatchObject({ problem: 'NO_CONTROL_LINE' });
    expect(refusal(registry([LINE], { tail: '' }).replace(/\r\n$/, `\r\n${LINE}\r\n`))).toMatchObject({
      problem: 'NO_CONTROL_LINE',
    });
    expect(refusal(`=1;1604,00;1604,00;0;1;19-11-2026\r\n${registry([LINE])}`)).toMatchObject({
      problem: 'BAD_CONTROL_LINE',
      field: 'position',
    });
    const control = (c: string) => refusal(`${LINE}\r\n=${c}\r\n`);
    expect(control('1;1604,00;1604,00;0;000777')).toMatchObject({
      problem: 'BAD_CONTROL_LINE',
      field: 'fields',
    });
    expect(control('x;1604,00;1604,00;0;000777;19-11-2026')).toMatchObject({ field: 'count' });
    expect(control('1;1604,00;;0;000777;19-11-2026')).toMatchObject({ field: 'amounts' });
    expect(control('1;1604,00;1604,00;-1;000777;19-11-2026')).toMatchObject({ field: 'amounts' });
    expect(control('1;1604,00;1604,00;0;;19-11-2026')).toMatchObject({ field: 'number' });
    expect(control('1;1604,00;1604,00;0;000777;32-11-2026')).toMatchObject({ field: 'date' });
    expect(refusal(registry([LINE, LINE.replace('100234567', '2')], { count: 3 }))).toMatchObject({
      problem: 'CONTROL_COUNT_MISMATCH',
      controlCount: 3,
      lineCount: 2,
    });
    expect(refusal(registry([LINE], { total: '1604,01' }))).toMatchObject({
      problem: 'CONTROL_TOTAL_MISMATCH',
      controlTotalKopecks: 160_401,
      linesTotalKopecks: 160_400,
    });
    expect(refusal(registry([LINE, LINE.replace('1604,00', '16О4,00')], { total: '1604,00' }))).toMatchObject(
      { problem: 'CONTROL_TOTAL_MISMATCH', unreadableLines: [2] },
    );
  });
});
