import type { Database, Executor } from '../platform/database.ts';
import { parseRegistryCsv } from './registry-csv.ts';
import {
  emptyCounts,
  type ImportReport,
  REGISTRY_FORMAT,
  REGISTRY_VERSION,
  type ReportEntry,
  SECTIONS,
  type Section,
  timestampSchema,
} from './registry-format.ts';
import {
  checkAccounts,
  checkHouses,
  checkManagementCompanies,
  checkMeterReplacements,
  checkMeters,
  checkPremises,
  checkPrincipals,
  checkReferenceData,
  warnMissingMeters,
} from './registry-import-checks.ts';
import { importMessage } from './registry-import-messages.ts';
import { checkReadingOrder, checkReadings } from './registry-import-readings.ts';
import { ImportRun } from './registry-import-run.ts';
import * as repo from './registry-io.repository.ts';
import { keyParts, mapKey, type RecOf } from './registry-rows.ts';

/**
 * `abonent import`: a whole registry or part of one (a management company's hand-over, domain.md §13).
 * Everything is validated first — schema, references within the file and to the database, duplicates,
 * zone counts and register values (§4.2), dates, readings against the commissioning act and each other
 * (§4 rule 4) — and every rejected row is reported with its reason. Then, in one transaction, everything is
 * written, or (with `partial`) the valid rows; a file with a rejected row writes nothing without `partial`.
 * Rows identical to stored ones are "unchanged" (a re-import is idempotent); rows whose natural key is
 * stored with other content are refused: an import adds to the registry, it never edits it.
 */

export interface ImportProgress {
  stage: 'read' | 'check' | 'write';
  section?: Section;
  rows: number;
}

export interface ImportOptions {
  partial: boolean;
  now: Date;
  onProgress?: (p: ImportProgress) => void;
}

const ENVELOPE_FIELDS = new Set<string>(['format', 'version', 'exportedAt', ...SECTIONS]);

export async function importRegistry(
  database: Database,
  doc: unknown,
  opts: ImportOptions,
): Promise<ImportReport> {
  const run = new ImportRun(opts.now);
  const progress = opts.onProgress ?? (() => {});
  const sections = readEnvelope(run, doc);
  if (!sections) return reportOf(run, false, opts.partial);
  for (const section of SECTIONS) {
    run.addSection(section, sections[section]);
    progress({ stage: 'read', section, rows: sections[section].length });
  }
  run.rejectDuplicateKeys();
  run.rejectDuplicateField('meters', 'headEndId', (r) => r.headEndId ?? undefined);
  run.rejectDuplicateField('meterReplacements', 'newSerial', (r) => r.newSerial);
  run.rejectDuplicateField('readings', 'externalId', (r) =>
    r.externalId ? mapKey([r.channel, r.externalId]) : undefined,
  );

  return database.db.transaction().execute(async (tx) => {
    await repo.lockRegistryImport(tx);
    await loadStored(tx, run);
    const steps: [Section, (run: ImportRun) => void][] = [
      ['principals', checkPrincipals],
      ['managementCompanies', checkManagementCompanies],
      ['houses', checkHouses],
      ['premises', checkPremises],
      ['accounts', checkAccounts],
      ['meters', checkMeters],
      ['meterReplacements', checkMeterReplacements],
      [
        'readings',
        (r) => {
          checkReadings(r);
          checkReadingOrder(r);
        },
      ],
      ['tariffs', checkReferenceData],
    ];
    for (const [section, step] of steps) {
      step(run);
      progress({ stage: 'check', section, rows: run.rows[section].length });
    }
    warnMissingMeters(run);
    const fileRefused = run.rejected.some((e) => e.section === 'file');
    const write = !fileRefused && (run.rejected.length === 0 || opts.partial);
    if (write) await writeAll(tx, run, progress);
    return reportOf(run, write, opts.partial);
  });
}

/**
 * Imports the text of a file: JSON (the registry document) or CSV (accounts, meters or readings, told by
 * the header). Malformed text gives a report, not an exception; CSV rows are reported with their lines.
 */
export async function importRegistryText(
  database: Database,
  text: string,
  opts: ImportOptions & { format?: 'json' | 'csv' },
): Promise<ImportReport> {
  const body = text.replace(/^\uFEFF/, '');
  if (opts.format === 'json' || (opts.format === undefined && /^\s*[{[]/.test(body))) {
    let doc: unknown;
    try {
      doc = JSON.parse(body);
    } catch (e) {
      return fileRefusedReport('MALFORMED_JSON', { detail: (e as Error).message }, opts.partial);
    }
    return importRegistry(database, doc, opts);
  }
  const csv = parseRegistryCsv(body);
  if (!csv.ok) return fileRefusedReport(csv.code, csv.params, opts.partial);
  const report = await importRegistry(database, csv.doc, opts);
  for (const list of [report.rejected, report.warnings]) {
    for (const e of list) {
      const line = e.section !== 'file' && e.row !== null ? csv.lines[e.section]?.[e.row] : undefined;
      if (line !== undefined) e.line = line;
    }
  }
  return report;
}

/** A report for a file refused as a whole before any row was read. */
export function fileRefusedReport(
  code: string,
  params: Record<string, unknown>,
  partial: boolean,
): ImportReport {
  return {
    ok: false,
    written: false,
    partial,
    counts: emptyCounts(),
    rejected: [{ section: 'file', row: null, key: null, code, ...importMessage(code, params) }],
    warnings: [],
  };
}

function rejectFile(run: ImportRun, code: string, params: Record<string, unknown> = {}): void {
  run.rejected.push({ section: 'file', row: null, key: null, code, ...importMessage(code, params) });
}

/** The envelope: format and version, known sections, each an array. undefined when not a registry at all. */
function readEnvelope(run: ImportRun, doc: unknown): Record<Section, unknown[]> | undefined {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    rejectFile(run, 'NOT_A_REGISTRY');
    return undefined;
  }
  const d = doc as Record<string, unknown>;
  if (d.format !== REGISTRY_FORMAT) {
    rejectFile(run, 'NOT_A_REGISTRY');
    return undefined;
  }
  if (d.version !== REGISTRY_VERSION) {
    rejectFile(run, 'UNSUPPORTED_VERSION', { version: JSON.stringify(d.version) });
    return undefined;
  }
  for (const name of Object.keys(d))
    if (!ENVELOPE_FIELDS.has(name)) rejectFile(run, 'UNKNOWN_SECTION', { name });
  if (d.exportedAt !== undefined && !timestampSchema.safeParse(d.exportedAt).success) {
    rejectFile(run, 'INVALID_ENVELOPE', {
      detail: '"exportedAt" is not an RFC 3339 timestamp',
      detailRu: '«exportedAt» — не момент времени RFC 3339',
    });
  }
  const out = {} as Record<Section, unknown[]>;
  for (const section of SECTIONS) {
    const v = d[section];
    if (v !== undefined && !Array.isArray(v)) rejectFile(run, 'SECTION_NOT_ARRAY', { name: section });
    out[section] = Array.isArray(v) ? v : [];
  }
  return out;
}

const uniq = <T>(values: (T | null | undefined)[]): T[] => [
  ...new Set(values.filter((v): v is T => v !== null && v !== undefined)),
];

function store<S extends Section>(run: ImportRun, section: S, recs: RecOf[S][]): void {
  const map = run.existing[section] as Map<string, RecOf[S]>;
  for (const rec of recs)
    map.set(mapKey(keyParts(section, rec as unknown as Record<string, unknown>) as string[]), rec);
}

/** Reads what the file refers to from the database, set-based: one query per kind of record. */
async function loadStored(db: Executor, run: ImportRun): Promise<void> {
  const rows = <S extends Section>(s: S) => run.pending(s).map((st) => st.row);
  const principals = rows('principals');
  const companies = rows('managementCompanies');
  const houses = rows('houses');
  const premises = rows('premises');
  const accounts = rows('accounts');
  const meters = rows('meters');
  const replacements = rows('meterReplacements');
  const readings = rows('readings');

  run.regions = new Map((await repo.selectRegions(db)).map((r) => [r.code, r.timeZone]));
  run.parameters = await repo.selectParameterRows(db, ['readings_window', 'future_tolerance_minutes']);

  store(
    run,
    'principals',
    await repo.selectPrincipals(db, {
      codes: uniq([...principals.map((r) => r.code), ...accounts.map((r) => r.principalCode)]),
    }),
  );
  store(
    run,
    'managementCompanies',
    await repo.selectManagementCompanies(db, {
      codes: uniq([...companies.map((r) => r.code), ...houses.map((r) => r.managementCompanyCode)]),
    }),
  );

  const storedMeters = await repo.selectMeters(db, {
    serials: uniq([
      ...meters.map((r) => r.serial),
      ...replacements.flatMap((r) => [r.oldSerial, r.newSerial]),
      ...readings.map((r) => r.meterSerial),
    ]),
    headEndIds: uniq(meters.map((r) => r.headEndId)),
    commonInHouses: uniq(meters.filter((r) => r.kind === 'common').map((r) => r.houseCode)),
  });
  store(run, 'meters', storedMeters);
  for (const m of storedMeters) {
    if (m.headEndId) run.storedHeadEnds.set(m.headEndId, m.serial);
    if (m.kind === 'common' && m.status !== 'removed') run.storedCommonMeters.set(m.houseCode, m.serial);
  }

  store(
    run,
    'houses',
    await repo.selectHouses(db, {
      houseCodes: uniq([
        ...houses.map((r) => r.code),
        ...premises.map((r) => r.houseCode),
        ...accounts.map((r) => r.houseCode),
        ...meters.map((r) => r.houseCode),
        ...storedMeters.map((m) => m.houseCode),
      ]),
    }),
  );
  const premisesKeys = new Map<string, { houseCode: string; number: string }>();
  for (const p of premises)
    premisesKeys.set(mapKey([p.houseCode, p.number]), { houseCode: p.houseCode, number: p.number });
  for (const a of accounts)
    premisesKeys.set(mapKey([a.houseCode, a.premisesNumber]), {
      houseCode: a.houseCode,
      number: a.premisesNumber,
    });
  store(run, 'premises', await repo.selectPremisesByKeys(db, [...premisesKeys.values()]));
  store(
    run,
    'accounts',
    await repo.selectAccounts(db, {
      numbers: uniq([
        ...accounts.map((r) => r.number),
        ...meters.map((r) => r.accountNumber),
        ...readings.map((r) => r.accountNumber),
      ]),
    }),
  );

  const storedReplacements = await repo.selectMeterReplacements(db, {
    serials: uniq(replacements.flatMap((r) => [r.oldSerial, r.newSerial])),
  });
  store(run, 'meterReplacements', storedReplacements);
  for (const r of storedReplacements) run.storedReplacedBy.set(r.newSerial, r.oldSerial);

  const storedReadings = await repo.selectReadings(db, {
    meterSerials: uniq(readings.map((r) => r.meterSerial)),
  });
  store(run, 'readings', storedReadings);
  for (const r of storedReadings) {
    const list = run.storedReadings.get(r.meterSerial);
    if (list) list.push(r);
    else run.storedReadings.set(r.meterSerial, [r]);
  }
  const external = readings
    .filter((r) => r.externalId)
    .map((r) => ({ channel: r.channel, externalId: r.externalId as string }));
  if (external.length > 0) {
    for (const r of await repo.selectReadings(db, { externalIds: external }))
      run.storedExternalIds.set(mapKey([r.channel, r.externalId as string]), r);
  }

  const regionsOf = (s: 'tariffs' | 'norms' | 'commonNorms') => uniq(rows(s).map((r) => r.regionCode));
  store(run, 'tariffs', await repo.selectTariffs(db, { regionCodes: regionsOf('tariffs') }));
  store(run, 'norms', await repo.selectNorms(db, { regionCodes: regionsOf('norms') }));
  store(run, 'commonNorms', await repo.selectCommonNorms(db, { regionCodes: regionsOf('commonNorms') }));

  for (const p of await repo.selectPremisesWithMeter(
    db,
    premises.map((p) => ({ houseCode: p.houseCode, number: p.number })),
  ))
    run.storedPremisesWithMeter.add(mapKey([p.houseCode, p.number]));
}

const WRITERS: { [S in Section]: (db: Executor, recs: RecOf[S][]) => Promise<void> } = {
  principals: repo.insertPrincipals,
  managementCompanies: repo.insertManagementCompanies,
  houses: repo.insertHouses,
  premises: repo.insertPremises,
  accounts: repo.insertAccounts,
  meters: repo.insertMeters,
  meterReplacements: repo.insertMeterReplacements,
  readings: repo.insertReadings,
  tariffs: repo.insertTariffs,
  norms: repo.insertNorms,
  commonNorms: repo.insertCommonNorms,
};

async function writeAll(db: Executor, run: ImportRun, progress: (p: ImportProgress) => void): Promise<void> {
  for (const section of SECTIONS) {
    const recs = (run.rows[section] as { status: string; rec: unknown }[])
      .filter((s) => s.status === 'insert')
      .map((s) => s.rec);
    if (recs.length === 0) continue;
    await (WRITERS[section] as (db: Executor, recs: unknown[]) => Promise<void>)(db, recs);
    progress({ stage: 'write', section, rows: recs.length });
  }
}

const SECTION_ORDER = new Map<string, number>([
  ['file', -1],
  ...SECTIONS.map((s, i) => [s, i] as [string, number]),
]);
const byPlace = (a: ReportEntry, b: ReportEntry) =>
  (SECTION_ORDER.get(a.section) ?? 0) - (SECTION_ORDER.get(b.section) ?? 0) || (a.row ?? -1) - (b.row ?? -1);

function reportOf(run: ImportRun, write: boolean, partial: boolean): ImportReport {
  const counts = emptyCounts();
  let inserted = 0;
  for (const section of SECTIONS) {
    const c = counts[section];
    for (const s of run.rows[section] as { status: string }[]) {
      c.total++;
      if (s.status === 'insert' && write) c.inserted++;
      else if (s.status === 'unchanged') c.unchanged++;
      else if (s.status === 'rejected') c.rejected++;
    }
    inserted += c.inserted;
  }
  return {
    ok: run.rejected.length === 0,
    written: write && inserted > 0,
    partial,
    counts,
    rejected: [...run.rejected].sort(byPlace),
    warnings: [...run.warnings].sort(byPlace),
  };
}
