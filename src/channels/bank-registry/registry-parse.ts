/**
 * The daily payment registry a bank sends to a utility (docs/formats.md "Bank payment registry"), modelled
 * on the registries Russian banks send: one payment per line, `;`-separated,
 *   DD-MM-YYYY;HH-MM-SS;branch;cashier;operation id;account;payer;address;MMYYYY;amount
 * and a control line `=count;total;transferred;commission;registry number;DD-MM-YYYY`. Banks send
 * windows-1251 or UTF-8. Everything is checked before anything is credited.
 */

export interface RegistryLine {
  lineNo: number;
  /** The payment's moment in Moscow time, ISO; undefined when the date or time is broken. */
  paidAt: string | undefined;
  branch: string;
  cashier: string;
  operationId: string;
  account: string;
  payerName: string;
  address: string;
  /** 'YYYY-MM' or undefined when none was given. */
  period: string | undefined;
  amountKopecks: number | undefined;
  /** Why the line cannot be credited, found by parsing alone. */
  problem?: RegistryLineProblem;
}

export type RegistryLineProblem =
  | 'BAD_LINE'
  | 'BAD_DATE'
  | 'BAD_AMOUNT'
  | 'AMOUNT_NOT_POSITIVE'
  | 'BAD_PERIOD'
  | 'NO_OPERATION_ID'
  | 'DUPLICATE_IN_FILE';

export interface RegistryFile {
  encoding: 'utf-8' | 'windows-1251';
  lines: RegistryLine[];
  control: {
    count: number;
    totalKopecks: number;
    transferredKopecks: number;
    commissionKopecks: number;
    number: string;
    date: string;
  };
}

export type RegistryFileProblem =
  | 'ENCODING_INVALID'
  | 'EMPTY'
  | 'NO_CONTROL_LINE'
  | 'BAD_CONTROL_LINE'
  | 'CONTROL_COUNT_MISMATCH'
  | 'CONTROL_TOTAL_MISMATCH';

export type RegistryParse =
  | { ok: true; file: RegistryFile }
  | { ok: false; problem: RegistryFileProblem; detail: string };

/** UTF-8 (with or without BOM) if the bytes are valid UTF-8, else windows-1251 if they read as plausible text. */
export function decodeRegistry(
  bytes: Uint8Array,
): { ok: true; text: string; encoding: RegistryFile['encoding'] } | { ok: false; detail: string } {
  if (bytes.includes(0)) return { ok: false, detail: 'the file has NUL bytes: not a text registry' };
  let text: string;
  let encoding: RegistryFile['encoding'];
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
    encoding = 'utf-8';
  } catch {
    text = new TextDecoder('windows-1251').decode(bytes);
    encoding = 'windows-1251';
    // UTF-8 Cyrillic read as windows-1251 is "Р" or "С" followed by one of the characters of bytes
    // 0x80–0xBF ("РРІР°РЅРѕРІ"): a file mixing both encodings.
    const mojibake = (text.match(MOJIBAKE) ?? []).length;
    const cyrillic = (text.match(/[\u0400-\u04FF]/g) ?? []).length;
    if (mojibake >= 3 && mojibake * 20 > cyrillic)
      return { ok: false, detail: 'the file mixes UTF-8 and windows-1251 (broken Cyrillic)' };
  }
  if (hasControlCharacters(text))
    return { ok: false, detail: 'the file has control or replacement characters: not a text registry' };
  return { ok: true, text: text.replace(/^\uFEFF/, ''), encoding };
}

/** "Р"/"С" + a character windows-1251 gives to bytes 0x80–0xBF: the trace of UTF-8 Cyrillic read as cp1251. */
const MOJIBAKE =
  /[РС][\u0402\u0403\u201A\u0453\u201E\u2026\u2020\u2021\u20AC\u2030\u0409\u2039\u040A\u040C\u040B\u040F\u0452\u2018\u2019\u201C\u201D\u2022\u2013\u2014\u2122\u0459\u203A\u045A\u045C\u045B\u045F\u00A0\u040E\u045E\u0408\u00A4\u0490\u00A6\u00A7\u0401\u00A9\u0404\u00AB\u00AC\u00AD\u00AE\u0407\u00B0\u00B1\u0406\u0456\u0491\u00B5\u00B6\u00B7\u0451\u2116\u0454\u00BB\u0458\u0405\u0455\u0457]/g;

/** C0 controls other than tab, LF and CR; DEL; U+FFFD (what an undecodable byte becomes). */
function hasControlCharacters(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0x7f || c === 0xfffd) return true;
  }
  return false;
}

const DATE = /^(\d{2})[-.](\d{2})[-.](\d{4})$/;
const TIME = /^(\d{2})[-:](\d{2})[-:](\d{2})$/;
const AMOUNT = /^(-?)(\d{1,12})(?:[.,](\d{1,2}))?$/;

function isoDate(text: string): string | undefined {
  const m = DATE.exec(text.trim());
  if (!m) return undefined;
  const iso = `${m[3]}-${m[2]}-${m[1]}`;
  const d = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === iso ? iso : undefined;
}

export function kopecksOf(text: string): number | undefined {
  const m = AMOUNT.exec(text.trim().replace(/\s/g, ''));
  if (!m) return undefined;
  const v = Number(m[2]) * 100 + Number((m[3] ?? '').padEnd(2, '0'));
  return m[1] ? -v : v;
}

export function parseRegistry(bytes: Uint8Array): RegistryParse {
  const decoded = decodeRegistry(bytes);
  if (!decoded.ok) return { ok: false, problem: 'ENCODING_INVALID', detail: decoded.detail };
  const raw = decoded.text
    .split(/\r?\n/)
    .map((l, i) => ({ text: l.trim(), lineNo: i + 1 }))
    .filter((l) => l.text !== '');
  if (raw.length === 0) return { ok: false, problem: 'EMPTY', detail: 'the file is empty' };
  const last = raw.at(-1)!;
  if (!last.text.startsWith('='))
    return {
      ok: false,
      problem: 'NO_CONTROL_LINE',
      detail: 'the last line must be the control line "=count;total;…"',
    };
  const c = last.text.slice(1).split(';');
  const count = Number(c[0]);
  const total = kopecksOf(c[1] ?? '');
  const date = isoDate(c[5] ?? '');
  if (!Number.isInteger(count) || total === undefined || !c[4]?.trim() || !date)
    return {
      ok: false,
      problem: 'BAD_CONTROL_LINE',
      detail: `control line ${last.lineNo}: "=count;total;transferred;commission;number;DD-MM-YYYY" expected`,
    };
  const lines: RegistryLine[] = [];
  const seen = new Set<string>();
  for (const l of raw.slice(0, -1)) {
    const f = l.text.split(';').map((x) => x.trim());
    if (f.length < 10) {
      lines.push({
        lineNo: l.lineNo,
        paidAt: undefined,
        branch: '',
        cashier: '',
        operationId: '',
        account: '',
        payerName: '',
        address: '',
        period: undefined,
        amountKopecks: undefined,
        problem: 'BAD_LINE',
      });
      continue;
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
    const pm = /^(\d{2})(\d{4})$/.exec(periodText);
    const period = pm && Number(pm[1]) >= 1 && Number(pm[1]) <= 12 ? `${pm[2]}-${pm[1]}` : undefined;
    const amountKopecks = kopecksOf(amountText);
    const line: RegistryLine = {
      lineNo: l.lineNo,
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
    else if (!paidAt) line.problem = 'BAD_DATE';
    else if (amountKopecks === undefined) line.problem = 'BAD_AMOUNT';
    else if (amountKopecks <= 0) line.problem = 'AMOUNT_NOT_POSITIVE';
    else if (periodText !== '' && !period) line.problem = 'BAD_PERIOD';
    else if (seen.has(operationId)) line.problem = 'DUPLICATE_IN_FILE';
    if (operationId) seen.add(operationId);
    lines.push(line);
  }
  if (lines.length !== count)
    return {
      ok: false,
      problem: 'CONTROL_COUNT_MISMATCH',
      detail: `the control line says ${count} payments, the file has ${lines.length}`,
    };
  const sum = lines.reduce((s, l) => s + (l.amountKopecks ?? Number.NaN), 0);
  if (sum !== total)
    return {
      ok: false,
      problem: 'CONTROL_TOTAL_MISMATCH',
      detail: `the control line says ${(total / 100).toFixed(2)}, the lines add up to ${Number.isNaN(sum) ? 'an unreadable amount' : (sum / 100).toFixed(2)}`,
    };
  return {
    ok: true,
    file: {
      encoding: decoded.encoding,
      lines,
      control: {
        count,
        totalKopecks: total,
        transferredKopecks: kopecksOf(c[2] ?? '') ?? total,
        commissionKopecks: kopecksOf(c[3] ?? '') ?? 0,
        number: c[4]!.trim(),
        date,
      },
    },
  };
}
