/**
 * The OSMP (QIWI-style) provider protocol as terminals and agents speak it (docs/formats.md "OSMP"):
 * `command=check|pay`, `txn_id`, `account`, `sum`, `txn_date`, and — our extension — the meter readings
 * `t1`, `t2`, `t3` typed at the terminal with the payment (§14). Parsing is strict: anything malformed is
 * result 300 with the reason, nothing is looked up or written.
 */
export interface OsmpRequest {
  command: 'check' | 'pay';
  txnId: string;
  account: string;
  /** Kopecks; undefined only for a `check` without a sum. */
  sumKopecks: number | undefined;
  /** The terminal's local time (Moscow) as an ISO instant; required for `pay`. */
  paidAt: string | undefined;
  readings: string[];
}

export type OsmpParse = { ok: true; request: OsmpRequest } | { ok: false; comment: string };

const SUM = /^(\d{1,9})(?:\.(\d{1,2}))?$/;
const TXN_DATE = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/;
const READING = /^\d{1,9}(?:[.,]\d{1,3})?$/;

function one(params: Record<string, unknown>, name: string): string | undefined {
  const v = params[name];
  if (v === undefined) return undefined;
  if (Array.isArray(v)) return undefined; // a parameter given twice is malformed
  return typeof v === 'string' ? v : undefined;
}

export function parseOsmpRequest(params: Record<string, unknown>): OsmpParse {
  const bad = (comment: string): OsmpParse => ({ ok: false, comment });
  for (const [k, v] of Object.entries(params)) {
    if (Array.isArray(v)) return bad(`parameter ${k} given more than once`);
    if (typeof v === 'string' && v.length > 200) return bad(`parameter ${k} is too long`);
  }
  const command = one(params, 'command');
  if (command !== 'check' && command !== 'pay') return bad('command must be check or pay');
  const txnId = one(params, 'txn_id');
  if (!txnId || !/^\d{1,20}$/.test(txnId)) return bad('txn_id must be 1 to 20 digits');
  const account = one(params, 'account');
  if (account === undefined || account === '') return bad('account is missing');
  const sumText = one(params, 'sum');
  let sumKopecks: number | undefined;
  if (sumText !== undefined) {
    const m = SUM.exec(sumText);
    if (!m) return bad('sum must be rubles with a dot, e.g. 1500.00');
    sumKopecks = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  } else if (command === 'pay') return bad('sum is missing');
  const dateText = one(params, 'txn_date');
  let paidAt: string | undefined;
  if (dateText !== undefined) {
    const d = TXN_DATE.exec(dateText);
    if (!d) return bad('txn_date must be YYYYMMDDHHMMSS');
    const iso = `${d[1]}-${d[2]}-${d[3]}T${d[4]}:${d[5]}:${d[6]}+03:00`;
    const t = new Date(iso);
    if (Number.isNaN(t.getTime())) return bad('txn_date is not a valid date');
    // Reject 2026-02-30 and 25:00: the instant must print back as the same local time.
    const back = new Date(t.getTime() + 3 * 3_600_000).toISOString();
    if (back.slice(0, 19) !== iso.slice(0, 19)) return bad('txn_date is not a valid date');
    paidAt = t.toISOString();
  } else if (command === 'pay') return bad('txn_date is missing');
  const readings: string[] = [];
  for (const name of ['t1', 't2', 't3']) {
    const v = one(params, name);
    if (v === undefined || v === '') break;
    if (!READING.test(v)) return bad(`${name} must be a meter reading, e.g. 12345.6`);
    readings.push(v.replace(',', '.'));
  }
  if (one(params, 't3') && !one(params, 't2')) return bad('t3 given without t2');
  return { ok: true, request: { command, txnId, account, sumKopecks, paidAt, readings } };
}
