import type { Database } from '../platform/database.ts';
import { type CsvKind, registryToCsv } from './registry-csv.ts';
import {
  REGISTRY_FORMAT,
  REGISTRY_VERSION,
  type RegistryDocument,
  SECTIONS,
  type Section,
  serializeRegistry,
} from './registry-format.ts';
import * as repo from './registry-io.repository.ts';
import { toRow } from './registry-rows.ts';

/**
 * `abonent export`: the registry as the documented JSON (docs/formats.md), deterministic so that
 * export → import into an empty database → export gives the same bytes. Rows are ordered by natural keys
 * (byte order, COLLATE "C"); readings by meter serial, then in the order they were submitted (their id),
 * which is what decides the reading that counts for a period — an import appends them in file order.
 *
 * With `houseCodes`, only those houses with their premises, accounts, meters, replacements and readings,
 * plus the principals and management companies they refer to; regional reference data (tariffs, norms)
 * is left out of such a partial export.
 */
export interface ExportOptions {
  houseCodes?: string[];
  /** Written as `exportedAt` when given (the injected clock); absent otherwise. */
  now?: Date;
}

export async function exportRegistry(
  database: Database,
  opts: ExportOptions = {},
): Promise<RegistryDocument> {
  return loadDocument(database, opts, new Set(SECTIONS));
}

async function loadDocument(
  database: Database,
  opts: ExportOptions,
  wanted: Set<Section>,
): Promise<RegistryDocument> {
  const f = opts.houseCodes === undefined ? {} : { houseCodes: opts.houseCodes };
  const whole = opts.houseCodes === undefined;
  const load = async <T>(section: Section, read: () => Promise<T[]>): Promise<T[]> =>
    wanted.has(section) ? read() : [];
  // One snapshot for all sections.
  return database.db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (tx) => {
      const needMeters = wanted.has('meters') || wanted.has('meterReplacements') || wanted.has('readings');
      const meters = needMeters ? await repo.selectMeters(tx, f) : [];
      const decimals = new Map(meters.map((m) => [m.serial, m.decimals]));
      const decimalsOf = (serial: string) => {
        const d = decimals.get(serial);
        if (d === undefined) throw new Error(`meter ${serial} is not in the export`);
        return d;
      };
      // A replacement whose other meter lies outside the exported houses is left out: it could not be imported.
      const replacements = (
        await load('meterReplacements', () => repo.selectMeterReplacements(tx, f))
      ).filter((r) => decimals.has(r.oldSerial) && decimals.has(r.newSerial));
      return {
        format: REGISTRY_FORMAT,
        version: REGISTRY_VERSION,
        ...(opts.now ? { exportedAt: opts.now.toISOString() } : {}),
        principals: (await load('principals', () => repo.selectPrincipals(tx, f))).map(toRow.principals),
        managementCompanies: (
          await load('managementCompanies', () => repo.selectManagementCompanies(tx, f))
        ).map(toRow.managementCompanies),
        houses: (await load('houses', () => repo.selectHouses(tx, f))).map(toRow.houses),
        premises: (await load('premises', () => repo.selectPremises(tx, f))).map(toRow.premises),
        accounts: (await load('accounts', () => repo.selectAccounts(tx, f))).map(toRow.accounts),
        meters: wanted.has('meters') ? meters.map(toRow.meters) : [],
        meterReplacements: replacements.map((r) => toRow.meterReplacements(r, decimalsOf(r.oldSerial))),
        readings: (await load('readings', () => repo.selectReadings(tx, f))).map((r) =>
          toRow.readings(r, decimalsOf(r.meterSerial)),
        ),
        tariffs: whole ? (await load('tariffs', () => repo.selectTariffs(tx, {}))).map(toRow.tariffs) : [],
        norms: whole ? (await load('norms', () => repo.selectNorms(tx, {}))).map(toRow.norms) : [],
        commonNorms: whole
          ? (await load('commonNorms', () => repo.selectCommonNorms(tx, {}))).map(toRow.commonNorms)
          : [],
      };
    });
}

/** The export as the text of a file. */
export async function exportRegistryText(database: Database, opts: ExportOptions = {}): Promise<string> {
  return serializeRegistry(await exportRegistry(database, opts));
}

/** accounts.csv (with the premises columns), meters.csv or readings.csv. */
export async function exportCsv(
  database: Database,
  kind: CsvKind,
  opts: { houseCodes?: string[] } = {},
): Promise<string> {
  const wanted: Record<CsvKind, Section[]> = {
    accounts: ['premises', 'accounts'],
    meters: ['meters'],
    readings: ['readings'],
  };
  return registryToCsv(
    kind,
    await loadDocument(database, { houseCodes: opts.houseCodes }, new Set(wanted[kind])),
  );
}

/** Those of the given house codes that are not in the registry. */
export async function unknownHouseCodes(database: Database, codes: string[]): Promise<string[]> {
  const found = new Set((await repo.selectHouses(database.db, { houseCodes: codes })).map((h) => h.code));
  return [...new Set(codes)].filter((c) => !found.has(c));
}
