import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { REGISTRY_FORMAT, REGISTRY_VERSION, type RegistryDocument, type Section } from './registry-format.ts';
import { mapKey } from './registry-rows.ts';

/**
 * CSV for accounts, meters and readings (docs/formats.md): RFC 4180 quoting, UTF-8 with a byte-order mark
 * (so that Excel shows Cyrillic), CRLF line ends, a header row of snake_case column names, and `;` between
 * fields — the list separator of Russian Excel and of Russian bank registries, where `,` is the decimal
 * comma. The import also accepts `,` (told by the header line), with or without the BOM, CRLF or LF.
 * Empty cell = no value. Register values in kWh as the meter shows them ("12345.6"; a decimal comma is
 * accepted), dates 'YYYY-MM-DD', timestamps RFC 3339, booleans true/false, phones separated by spaces.
 * A CSV is turned into a registry document (the same schema and checks as JSON): accounts.csv carries
 * the premises columns too, so that a flat list of flats and payers is a complete hand-over (§13).
 */

export const CSV_KINDS = ['accounts', 'meters', 'readings'] as const;
export type CsvKind = (typeof CSV_KINDS)[number];
export const CSV_DELIMITER = ';';

type Conv = 'text' | 'int' | 'number' | 'bool' | 'list';
interface Column {
  name: string;
  conv: Conv;
  required?: boolean;
}

const c = (name: string, conv: Conv = 'text', required = false): Column => ({ name, conv, required });

export const CSV_COLUMNS: Record<CsvKind, Column[]> = {
  accounts: [
    c('account_number', 'text', true),
    c('house_code', 'text', true),
    c('premises_number', 'text', true),
    c('premises_residential', 'bool'),
    c('premises_area_m2', 'number'),
    c('premises_rooms', 'int'),
    c('premises_residents', 'int'),
    c('principal_code', 'text', true),
    c('payer_name', 'text', true),
    c('email'),
    c('phones', 'list'),
    c('tariff_category', 'text', true),
    c('status'),
    c('start_date', 'text', true),
    c('end_date'),
    c('meter_installation_possible', 'bool'),
  ],
  meters: [
    c('meter_serial', 'text', true),
    c('model'),
    c('kind'),
    c('house_code', 'text', true),
    c('account_number'),
    c('zones', 'int', true),
    c('digits', 'int', true),
    c('decimals', 'int'),
    c('installed_on', 'text', true),
    c('commissioned_on'),
    c('commissioning_act'),
    c('initial_t1', 'text', true),
    c('initial_t2'),
    c('initial_t3'),
    c('next_verification_on', 'text', true),
    c('smart', 'bool'),
    c('head_end_id'),
    c('status'),
    c('failure_reason'),
    c('failed_on'),
    c('removed_on'),
  ],
  readings: [
    c('meter_serial', 'text', true),
    c('account_number'),
    c('kind'),
    c('t1', 'text', true),
    c('t2'),
    c('t3'),
    c('rollover', 'bool'),
    c('taken_at', 'text', true),
    c('received_at', 'text', true),
    c('channel', 'text', true),
    c('external_id'),
    c('submitted_by'),
    c('period'),
    c('billed_in_period'),
    c('status'),
    c('reason_code'),
  ],
};

// ---------------------------------------------------------------------------------------------------------
// Export

type Cell = string | number | boolean | null | undefined;
const cell = (v: Cell): string => (v === null || v === undefined ? '' : String(v));
const values3 = (values: string[]) => [values[0], values[1], values[2]];

/** The CSV text of one kind from a registry document (as the export builds it). */
export function registryToCsv(kind: CsvKind, doc: RegistryDocument): string {
  const rows: Cell[][] = [];
  if (kind === 'accounts') {
    const premises = new Map(doc.premises.map((p) => [mapKey([p.houseCode, p.number]), p]));
    for (const a of doc.accounts) {
      const p = premises.get(mapKey([a.houseCode, a.premisesNumber]));
      rows.push([
        a.number,
        a.houseCode,
        a.premisesNumber,
        p?.isResidential,
        p?.areaM2,
        p?.rooms,
        p?.residents,
        a.principalCode,
        a.payerName,
        a.email,
        (a.phones ?? []).join(' '),
        a.tariffCategory,
        a.status,
        a.startDate,
        a.endDate,
        a.meterInstallationPossible,
      ]);
    }
  } else if (kind === 'meters') {
    for (const m of doc.meters) {
      rows.push([
        m.serial,
        m.model,
        m.kind,
        m.houseCode,
        m.accountNumber,
        m.zones,
        m.digits,
        m.decimals,
        m.installedOn,
        m.commissionedOn,
        m.commissioningAct,
        ...values3(m.initialValues),
        m.nextVerificationOn,
        m.smart,
        m.headEndId,
        m.status,
        m.failureReason,
        m.failedOn,
        m.removedOn,
      ]);
    }
  } else {
    for (const r of doc.readings) {
      rows.push([
        r.meterSerial,
        r.accountNumber,
        r.kind,
        ...values3(r.values),
        r.rollover,
        r.takenAt,
        r.receivedAt,
        r.channel,
        r.externalId,
        r.submittedBy,
        r.period,
        r.billedInPeriod,
        r.status,
        r.reasonCode,
      ]);
    }
  }
  return stringify([CSV_COLUMNS[kind].map((col) => col.name), ...rows.map((r) => r.map(cell))], {
    delimiter: CSV_DELIMITER,
    record_delimiter: '\r\n',
    bom: true,
    // RFC 4180: a field with a line break is quoted (csv-stringify only quotes the full record delimiter).
    quoted_match: /[\r\n]/,
  });
}

// ---------------------------------------------------------------------------------------------------------
// Import

export type CsvParseResult =
  | {
      ok: true;
      kind: CsvKind;
      doc: Record<string, unknown>;
      /** Line of the file each row of each section came from. */
      lines: Partial<Record<Section, number[]>>;
    }
  | { ok: false; code: string; params: Record<string, unknown> };

/** Which kind of CSV a header is, by its columns. */
export function csvKindOf(header: string[]): CsvKind | undefined {
  const has = (n: string) => header.includes(n);
  if (has('payer_name')) return 'accounts';
  if (has('zones') && has('meter_serial')) return 'meters';
  if (has('taken_at') && has('meter_serial')) return 'readings';
  return undefined;
}

export function parseRegistryCsv(text: string): CsvParseResult {
  const body = text.replace(/^\uFEFF/, '');
  const firstLine = body.slice(0, body.search(/\r?\n|$/));
  const delimiter = firstLine.includes(';') || !firstLine.includes(',') ? ';' : ',';
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(body, {
      delimiter,
      info: true,
      skip_empty_lines: true,
      record_delimiter: ['\r\n', '\n'],
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (e) {
    const err = e as { message?: string; lines?: number };
    return {
      ok: false,
      code: 'MALFORMED_CSV',
      params: { line: err.lines ?? '?', detail: err.message ?? String(e) },
    };
  }
  const [head, ...data] = records;
  if (!head) return { ok: false, code: 'UNKNOWN_CSV', params: {} };
  const header = head.record.map((h) => h.trim());
  const kind = csvKindOf(header);
  if (!kind) return { ok: false, code: 'UNKNOWN_CSV', params: {} };
  const columns = CSV_COLUMNS[kind];
  const unknown = header.find((h) => !columns.some((col) => col.name === h));
  if (unknown !== undefined) return { ok: false, code: 'UNKNOWN_COLUMN', params: { name: unknown } };
  const missing = columns.find((col) => col.required && !header.includes(col.name));
  if (missing) return { ok: false, code: 'MISSING_COLUMN', params: { name: missing.name } };

  const doc: Record<string, unknown> = { format: REGISTRY_FORMAT, version: REGISTRY_VERSION };
  const lines: Partial<Record<Section, number[]>> = {};
  const premises: Record<string, unknown>[] = [];
  const premisesSeen = new Map<string, string>();
  const out: Record<string, unknown>[] = [];
  const outLines: number[] = [];
  const premisesLines: number[] = [];

  for (const { record, info } of data) {
    // csv-parse counts the line a record ends on; a quoted field may span lines.
    const line = info.lines - record.reduce((n, f) => n + (f.match(/\n/g)?.length ?? 0), 0);
    const get = (name: string): unknown => {
      const i = header.indexOf(name);
      const col = columns.find((x) => x.name === name) as Column;
      return i < 0 ? undefined : convert(record[i] ?? '', col.conv);
    };
    const row = rowOf(kind, get);
    out.push(row);
    outLines.push(line);
    if (kind === 'accounts' && header.includes('premises_area_m2')) {
      const p = dropUndefined({
        houseCode: get('house_code'),
        number: get('premises_number'),
        isResidential: get('premises_residential'),
        areaM2: get('premises_area_m2'),
        rooms: get('premises_rooms'),
        residents: get('premises_residents'),
      });
      const key = JSON.stringify([p.houseCode, p.number]);
      const seen = premisesSeen.get(key);
      // The same flat on several lines (several accounts) is one premises; differing copies are all kept so
      // that the import reports the conflict.
      if (seen === JSON.stringify(p)) continue;
      if (seen === undefined) premisesSeen.set(key, JSON.stringify(p));
      premises.push(p);
      premisesLines.push(line);
    }
  }
  doc[kind] = out;
  lines[kind] = outLines;
  if (kind === 'accounts') {
    doc.premises = premises;
    lines.premises = premisesLines;
  }
  return { ok: true, kind, doc, lines };
}

function rowOf(kind: CsvKind, get: (name: string) => unknown): Record<string, unknown> {
  const values = (names: string[]) => {
    const v = names.map(get);
    while (v.length > 0 && v[v.length - 1] === undefined) v.pop();
    return v.map((x) => x ?? '');
  };
  if (kind === 'accounts') {
    return dropUndefined({
      number: get('account_number'),
      houseCode: get('house_code'),
      premisesNumber: get('premises_number'),
      principalCode: get('principal_code'),
      payerName: get('payer_name'),
      email: get('email'),
      phones: get('phones'),
      tariffCategory: get('tariff_category'),
      status: get('status'),
      startDate: get('start_date'),
      endDate: get('end_date'),
      meterInstallationPossible: get('meter_installation_possible'),
    });
  }
  if (kind === 'meters') {
    return dropUndefined({
      serial: get('meter_serial'),
      model: get('model'),
      kind: get('kind'),
      houseCode: get('house_code'),
      accountNumber: get('account_number'),
      zones: get('zones'),
      digits: get('digits'),
      decimals: get('decimals'),
      installedOn: get('installed_on'),
      commissionedOn: get('commissioned_on'),
      commissioningAct: get('commissioning_act'),
      initialValues: values(['initial_t1', 'initial_t2', 'initial_t3']),
      nextVerificationOn: get('next_verification_on'),
      smart: get('smart'),
      headEndId: get('head_end_id'),
      status: get('status'),
      failureReason: get('failure_reason'),
      failedOn: get('failed_on'),
      removedOn: get('removed_on'),
    });
  }
  return dropUndefined({
    meterSerial: get('meter_serial'),
    accountNumber: get('account_number'),
    kind: get('kind'),
    values: values(['t1', 't2', 't3']),
    rollover: get('rollover'),
    takenAt: get('taken_at'),
    receivedAt: get('received_at'),
    channel: get('channel'),
    externalId: get('external_id'),
    submittedBy: get('submitted_by'),
    period: get('period'),
    billedInPeriod: get('billed_in_period'),
    status: get('status'),
    reasonCode: get('reason_code'),
  });
}

/** A cell to a JSON value; what does not convert stays text, so that the schema reports it. */
function convert(raw: string, conv: Conv): unknown {
  if (raw === '') return undefined;
  switch (conv) {
    case 'text':
      return raw;
    case 'int':
      return /^-?[0-9]+$/.test(raw.trim()) ? Number(raw.trim()) : raw;
    case 'number':
      return /^-?[0-9]+(?:[.,][0-9]+)?$/.test(raw.trim()) ? Number(raw.trim().replace(',', '.')) : raw;
    case 'bool': {
      const v = raw.trim().toLowerCase();
      return v === 'true' ? true : v === 'false' ? false : raw;
    }
    case 'list':
      return raw.split(/[\s,]+/).filter((x) => x !== '');
  }
}

function dropUndefined(o: Record<string, unknown>): Record<string, unknown> {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
}
