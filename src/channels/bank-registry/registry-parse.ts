/**
 * The daily payment registry a bank sends to a utility (docs/formats.md "Bank payment registry"), modelled
 * on the registries Russian banks send: one payment per line, `;`-separated,
 *   DD-MM-YYYY;HH-MM-SS;branch;cashier;operation id;account;payer;address;MMYYYY;amount
 * and a control line `=count;total;transferred;commission;registry number;DD-MM-YYYY`. Banks send
 * windows-1251 or UTF-8. Pure: everything is checked here before anything is credited.
 */

export interface RegistryLine {
  lineNo: number;
  /** The payment's moment (the bank's Moscow time), ISO; undefined when the date or time is broken. */
  paidAt: string | undefined;
  branch: string;
  cashier: string;
  operationId: string;
  account: string;
  payerName: string;
  address: string;
  /** 'YYYY-MM' or undefined when none was given (or it is broken: see `problem`). */
  period: string | undefined;
  /** The amount in kopecks; undefined when unreadable. */
  amountKopecks: number | undefined;
  /** The line as the bank sent it, when its fields could not be told apart (BAD_LINE). */
  raw?: string;
  /** Why the line cannot be credited, found by parsing alone. */
  problem?: RegistryLineProblem;
  /** DUPLICATE_IN_FILE: the line where the operation id came first. */
  duplicateOf?: number;
}

export type RegistryLineProblem =
  | 'BAD_LINE'
  | 'NO_OPERATION_ID'
  | 'BAD_OPERATION_ID'
  | 'BAD_DATE'
  | 'DATE_AFTER_REGISTRY'
  | 'BAD_AMOUNT'
  | 'AMOUNT_NOT_POSITIVE'
  | 'BAD_PERIOD'
  | 'DUPLICATE_IN_FILE';

export type RegistryEncoding = 'utf-8' | 'windows-1251';

export interface RegistryControl {
  count: number;
  totalKopecks: number;
  transferredKopecks: number;
  commissionKopecks: number;
  number: string;
  /** 'YYYY-MM-DD' */
  date: string;
}

export interface RegistryFile {
  encoding: RegistryEncoding;
  lines: RegistryLine[];
  control: RegistryControl;
  /**
   * The content without its encoding: the non-empty lines, trimmed, joined by LF. The same registry
   * re-encoded (windows-1251 ↔ UTF-8, BOM, CRLF ↔ LF) gives the same text.
   */
  canonical: string;
}

export type RegistryFileProblem =
  | 'ENCODING_INVALID'
  | 'EMPTY'
  | 'NO_CONTROL_LINE'
  | 'BAD_CONTROL_LINE'
  | 'CONTROL_COUNT_MISMATCH'
  | 'CONTROL_TOTAL_MISMATCH';

/** Why the bytes are not a text registry in windows-1251 or UTF-8. */
export type EncodingProblem =
  | 'NUL_BYTES'
  | 'CONTROL_CHARACTERS'
  | 'MIXED_ENCODINGS'
  | 'NOT_TEXT'
  | 'BROKEN_CYRILLIC';

export type RegistryParse =
  | { ok: true; file: RegistryFile }
  | {
      ok: false;
      problem: RegistryFileProblem;
      /** English, for logs and the API's details; the user's text is built from problem + params. */
      detail: string;
      params: Record<string, unknown>;
    };

type Decoded =
  | { ok: true; text: string; encoding: RegistryEncoding }
  | { ok: false; reason: EncodingProblem; line: number; detail: string };

const utf8 = new TextDecoder('utf-8', { fatal: true });
const cp1251 = new TextDecoder('windows-1251');

/**
 * Bytes with a meaning in Russian windows-1251 text besides ASCII: the letters А–я (0xC0–0xFF), Ё ё, the
 * Ukrainian and Belarusian letters, № « » – — quotes … ° § ± · and the no-break space. Anything else
 * (0x80–0x83, 0x98, …) does not occur in a bank's text file.
 */
const CP1251_TEXT_BYTES = new Set([
  0x84, 0x85, 0x91, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0xa0, 0xa1, 0xa2, 0xa5, 0xa7, 0xa8, 0xaa, 0xab, 0xaf,
  0xb0, 0xb1, 0xb2, 0xb3, 0xb4, 0xb7, 0xb8, 0xb9, 0xba, 0xbb, 0xbf,
]);

/**
 * Decides the encoding (docs/formats.md): strict UTF-8 (a BOM is dropped) when the bytes are valid UTF-8,
 * otherwise windows-1251 only when every line is plausible windows-1251 text. Refused: NUL bytes, control
 * characters, replacement characters (U+FFFD: a conversion that already lost bytes), lines valid as UTF-8
 * inside a windows-1251 file (mixed encodings), bytes that windows-1251 text never has, and Cyrillic
 * converted twice ("РРІР°РЅРѕРІ", "Ð˜Ð²Ð°Ð½").
 */
export function decodeRegistry(bytes: Uint8Array): Decoded {
  const nul = bytes.indexOf(0);
  if (nul >= 0) return refuse('NUL_BYTES', lineAt(bytes, nul), 'the file has NUL bytes: not a text registry');
  let text: string | undefined;
  try {
    text = utf8.decode(bytes);
  } catch {
    text = undefined;
  }
  const encoding: RegistryEncoding = text === undefined ? 'windows-1251' : 'utf-8';
  if (text === undefined) {
    if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
      return refuse('MIXED_ENCODINGS', 1, 'a UTF-8 byte-order mark before text that is not UTF-8');
    const lines = splitBytes(bytes);
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!;
      if (!line.some((b) => b >= 0x80)) continue;
      if (isUtf8(line))
        return refuse(
          'MIXED_ENCODINGS',
          i + 1,
          `line ${i + 1} is UTF-8 while the file is not: the file mixes encodings`,
        );
      const bad = line.find((b) => b >= 0x80 && b < 0xc0 && !CP1251_TEXT_BYTES.has(b));
      if (bad !== undefined)
        return refuse(
          'NOT_TEXT',
          i + 1,
          `line ${i + 1} has byte 0x${bad.toString(16)}, which neither UTF-8 nor windows-1251 text has`,
        );
    }
    text = cp1251.decode(bytes);
  }
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (hasControlCharacters(line))
      return refuse(
        'CONTROL_CHARACTERS',
        i + 1,
        `line ${i + 1} has control or replacement characters: not a text registry`,
      );
    if (count(line, TWICE_CP1251) >= 3 || count(line, TWICE_LATIN1) >= 3)
      return refuse(
        'BROKEN_CYRILLIC',
        i + 1,
        `line ${i + 1} has Cyrillic converted twice between encodings ("РЎРёРґРѕСЂРѕРІ")`,
      );
  }
  return { ok: true, text, encoding };
}

function refuse(reason: EncodingProblem, line: number, detail: string): Decoded {
  return { ok: false, reason, line, detail };
}

function splitBytes(bytes: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  let start = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i === bytes.length || bytes[i] === 0x0a) {
      out.push(bytes.subarray(start, i));
      start = i + 1;
    }
  }
  return out;
}

function lineAt(bytes: Uint8Array, index: number): number {
  let n = 1;
  for (let i = 0; i < index; i++) if (bytes[i] === 0x0a) n++;
  return n;
}

function isUtf8(bytes: Uint8Array): boolean {
  try {
    utf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** C0 controls other than tab, LF and CR; DEL; C1 controls; U+FFFD (what an undecodable byte became). */
function hasControlCharacters(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0d) || (c >= 0x7f && c <= 0x9f) || c === 0xfffd) return true;
  }
  return false;
}

function count(text: string, re: RegExp): number {
  return text.match(re)?.length ?? 0;
}

/**
 * UTF-8 Cyrillic shown as windows-1251 and saved again: "Р" or "С" (the lead bytes 0xD0, 0xD1) followed by
 * what windows-1251 makes of a continuation byte — only those that never follow Р or С in Russian text
 * (not « » № – — quotes Ё ё, which do: «ВЕТЕР», СЁМИН).
 */
const TWICE_CP1251 =
  /[РС][\u0402\u0403\u201A\u0453\u20AC\u2020\u2021\u2030\u0409\u2039\u040A\u040C\u040B\u040F\u0452\u2022\u2122\u0459\u203A\u045A\u045C\u045B\u045F\u040E\u045E\u0408\u00A4\u0490\u00A6\u00A7\u00A9\u0404\u00AC\u00AE\u0407\u00B0\u00B1\u0406\u0456\u0491\u00B5\u00B6\u00B7\u0454\u0458\u0405\u0455\u0457]/g;
/** The same through Latin-1 or windows-1252: "Ð˜Ð²Ð°Ð½". */
const TWICE_LATIN1 =
  /[ÐÑ][\u0080-\u00BF\u0152\u0153\u0160\u0161\u0178\u017D\u017E\u0192\u02C6\u02DC\u2013-\u2122]/g;

const DATE = /^(\d{2})[-.](\d{2})[-.](\d{4})$/;
const TIME = /^(\d{2})[-:](\d{2})[-:](\d{2})$/;
const AMOUNT = /^(-?)(\d{1,12})(?:[.,](\d{1,2}))?$/;
const OPERATION_ID = /^[\p{L}\p{N}_./:-]{1,64}$/u;

function isoDate(text: string): string | undefined {
  const m = DATE.exec(text.trim());
  if (!m) return undefined;
  const iso = `${m[3]}-${m[2]}-${m[1]}`;
  const d = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === iso ? iso : undefined;
}

/** Rubles with `,` or `.` and at most two decimals ("1604,00", "500", "-12.5") → kopecks; else undefined. */
export function kopecksOf(text: string): number | undefined {
  const m = AMOUNT.exec(text.trim().replace(/[\s\u00a0]/g, ''));
  if (!m) return undefined;
  const v = Number(m[2]) * 100 + Number((m[3] ?? '').padEnd(2, '0'));
  return m[1] ? -v : v;
}

/** Splits a line into fields; a trailing `;` (an empty last field) is tolerated. */
function fieldsOf(text: string, expected: number): string[] {
  const f = text.split(';').map((x) => x.trim());
  if (f.length === expected + 1 && f[expected] === '') f.pop();
  return f;
}

function fileProblem(
  problem: RegistryFileProblem,
  detail: string,
  params: Record<string, unknown> = {},
): RegistryParse {
  return { ok: false, problem, detail, params };
}

/** The control line `=count;total;transferred;commission;number;DD-MM-YYYY`, or what is wrong with it. */
function parseControl(text: string): RegistryControl | { field: string } {
  const c = fieldsOf(text.slice(1), 6);
  if (c.length !== 6) return { field: 'fields' };
  const [countText, totalText, transferredText, commissionText, number, dateText] = c as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const amounts = [totalText, transferredText, commissionText].map(kopecksOf);
  const date = isoDate(dateText);
  if (!/^\d{1,9}$/.test(countText)) return { field: 'count' };
  if (amounts.some((a) => a === undefined || a < 0)) return { field: 'amounts' };
  if (!/^[\p{L}\p{N}_./-]{1,32}$/u.test(number)) return { field: 'number' };
  if (!date) return { field: 'date' };
  return {
    count: Number(countText),
    totalKopecks: amounts[0]!,
    transferredKopecks: amounts[1]!,
    commissionKopecks: amounts[2]!,
    number,
    date,
  };
}

/** One payment line; its problem, if any, is set here except DUPLICATE_IN_FILE. */
function parseLine(text: string, lineNo: number, registryDate: string): RegistryLine {
  const f = fieldsOf(text, 10);
  if (f.length !== 10) {
    // Fields cannot be told apart (a `;` inside a name, a field missing). The amount is the last field in
    // every registry, so the line still counts in the control total; an operator resolves it.
    return {
      lineNo,
      paidAt: undefined,
      branch: '',
      cashier: '',
      operationId: '',
      account: '',
      payerName: '',
      address: '',
      period: undefined,
      amountKopecks: kopecksOf(f.at(-1) ?? ''),
      raw: text.slice(0, 1000),
      problem: 'BAD_LINE',
    };
  }
  const [d, t, branch, cashier, operationId, account, payerName, address, periodText, amountText] = f as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const day = isoDate(d);
  const time = TIME.exec(t);
  const paidAt =
    day && time && Number(time[1]) < 24 && Number(time[2]) < 60 && Number(time[3]) < 60
      ? new Date(`${day}T${time[1]}:${time[2]}:${time[3]}+03:00`).toISOString()
      : undefined;
  const pm = /^(\d{2})\.?(\d{4})$/.exec(periodText);
  const period = pm && Number(pm[1]) >= 1 && Number(pm[1]) <= 12 ? `${pm[2]}-${pm[1]}` : undefined;
  const amountKopecks = kopecksOf(amountText);
  const line: RegistryLine = {
    lineNo,
    paidAt,
    branch,
    cashier,
    operationId,
    account,
    payerName,
    address,
    period,
    amountKopecks,
  };
  if (!operationId) line.problem = 'NO_OPERATION_ID';
  else if (!OPERATION_ID.test(operationId)) line.problem = 'BAD_OPERATION_ID';
  else if (!paidAt || !day) line.problem = 'BAD_DATE';
  else if (day > registryDate) line.problem = 'DATE_AFTER_REGISTRY';
  else if (amountKopecks === undefined) line.problem = 'BAD_AMOUNT';
  else if (amountKopecks <= 0) line.problem = 'AMOUNT_NOT_POSITIVE';
  else if (periodText !== '' && !period) line.problem = 'BAD_PERIOD';
  return line;
}

/**
 * Parses and checks a whole registry. The file is refused whole (nothing may be credited) when its
 * encoding is broken, the control line is missing, broken or not last, or the lines do not add up to the
 * control count and total; otherwise every line comes back, with the problem that keeps it from being
 * credited if it has one (the same operation id twice: the later lines are DUPLICATE_IN_FILE).
 */
export function parseRegistry(bytes: Uint8Array): RegistryParse {
  const decoded = decodeRegistry(bytes);
  if (!decoded.ok)
    return fileProblem('ENCODING_INVALID', decoded.detail, { reason: decoded.reason, line: decoded.line });
  const raw = decoded.text
    .split('\n')
    .map((l, i) => ({ text: l.trim(), lineNo: i + 1 }))
    .filter((l) => l.text !== '');
  if (raw.length === 0) return fileProblem('EMPTY', 'the file is empty');
  const last = raw.at(-1)!;
  if (!last.text.startsWith('='))
    return fileProblem('NO_CONTROL_LINE', 'the last line must be the control line "=count;total;…"');
  const early = raw.find((l) => l !== last && l.text.startsWith('='));
  if (early)
    return fileProblem(
      'BAD_CONTROL_LINE',
      `line ${early.lineNo} is a control line, but only the last line may be one`,
      { line: early.lineNo, field: 'position' },
    );
  const control = parseControl(last.text);
  if ('field' in control)
    return fileProblem(
      'BAD_CONTROL_LINE',
      `control line ${last.lineNo}: "=count;total;transferred;commission;number;DD-MM-YYYY" expected (${control.field})`,
      { line: last.lineNo, field: control.field },
    );
  const lines: RegistryLine[] = [];
  const seen = new Map<string, number>();
  for (const l of raw.slice(0, -1)) {
    const line = parseLine(l.text, l.lineNo, control.date);
    if (line.operationId) {
      if (!line.problem && seen.has(line.operationId)) {
        line.problem = 'DUPLICATE_IN_FILE';
        line.duplicateOf = seen.get(line.operationId)!;
      }
      if (!seen.has(line.operationId)) seen.set(line.operationId, l.lineNo);
    }
    lines.push(line);
  }
  if (lines.length !== control.count)
    return fileProblem(
      'CONTROL_COUNT_MISMATCH',
      `the control line says ${control.count} payments, the file has ${lines.length}`,
      { controlCount: control.count, lineCount: lines.length },
    );
  const unreadable = lines.filter((l) => l.amountKopecks === undefined).map((l) => l.lineNo);
  const sum = lines.reduce((s, l) => s + (l.amountKopecks ?? 0), 0);
  if (unreadable.length > 0 || sum !== control.totalKopecks)
    return fileProblem(
      'CONTROL_TOTAL_MISMATCH',
      unreadable.length > 0
        ? `the amounts of lines ${unreadable.slice(0, 10).join(', ')} are unreadable: the control total cannot be checked`
        : `the control line says ${(control.totalKopecks / 100).toFixed(2)}, the lines add up to ${(sum / 100).toFixed(2)}`,
      { controlTotalKopecks: control.totalKopecks, linesTotalKopecks: sum, unreadableLines: unreadable },
    );
  return {
    ok: true,
    file: {
      encoding: decoded.encoding,
      lines,
      control,
      canonical: raw.map((l) => l.text).join('\n'),
    },
  };
}
