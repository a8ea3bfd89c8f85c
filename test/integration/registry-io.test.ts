import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliContext, CliInputError } from '../../src/cli/cli-context.ts';
import { registerRegistryIoCommands } from '../../src/cli/commands/registry-io.command.ts';
import type { AppContext } from '../../src/platform/app.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { createHttpApp } from '../../src/platform/http.ts';
import { exportCsv, exportRegistry, exportRegistryText } from '../../src/registry/registry-export.service.ts';
import {
  type ImportReport,
  type RegistryDocument,
  serializeRegistry,
} from '../../src/registry/registry-format.ts';
import { importRegistry, importRegistryText } from '../../src/registry/registry-import.service.ts';
import { registryIoRoutes } from '../../src/registry/registry-io.routes.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/registry');
const NOW = new Date('2026-04-01T09:00:00.000Z');
const opts = { partial: false, now: NOW };

const TABLES = [
  'principal',
  'management_company',
  'house',
  'premises',
  'account',
  'account_phone',
  'meter',
  'meter_replacement',
  'reading',
  'tariff',
  'norm',
  'common_norm',
];

async function fixture(name: string): Promise<string> {
  return readFile(path.join(FIXTURES, name), 'utf8');
}

async function fixtureDoc(name = 'registry.json'): Promise<RegistryDocument> {
  return JSON.parse(await fixture(name)) as RegistryDocument;
}

async function rowCounts(db: TestDatabase): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of TABLES) {
    const r = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(t)}`.execute(db.db);
    out[t] = r.rows[0]!.n;
  }
  return out;
}

/** Rejections as (section, row, code) triples, for exact comparisons. */
const triples = (r: ImportReport) => r.rejected.map((e) => [e.section, e.row, e.code]);

const databases: TestDatabase[] = [];
async function freshDatabase(): Promise<TestDatabase> {
  const db = await createTestDatabase(4);
  databases.push(db);
  return db;
}

afterAll(async () => {
  for (const db of databases) await db.drop();
});

describe('registry round trip', () => {
  let first: TestDatabase;
  let exported: string;

  beforeAll(async () => {
    first = await freshDatabase();
    const report = await importRegistry(first, await fixtureDoc(), opts);
    expect(report.rejected).toEqual([]);
    expect(report.ok).toBe(true);
    exported = await exportRegistryText(first);
  });

  it('imports every row of a valid registry and exports exactly what was imported', async () => {
    expect(JSON.parse(exported)).toEqual(await fixtureDoc());
    expect(exported).toBe(await fixture('registry.json'));
  });

  it('export → import into an empty database → export is byte-identical', async () => {
    const second = await freshDatabase();
    const report = await importRegistry(second, JSON.parse(exported), opts);
    expect(report.ok).toBe(true);
    expect(report.written).toBe(true);
    expect(await exportRegistryText(second)).toBe(exported);
  });
});

/**
 * Every kind of bad row at once, on top of the valid fixture. Rows referring to a rejected row are
 * rejected too (DEPENDS_ON_REJECTED).
 */
// biome-ignore lint/suspicious/noExplicitAny: mutating a parsed fixture
function badDocument(doc: RegistryDocument): any {
  // biome-ignore lint/suspicious/noExplicitAny: see above
  const d = structuredClone(doc) as any;
  d.principals[0].fax = '+74950000000'; // unknown field → account 1000000005 (eirc-msk) depends on it
  d.houses[2].regionCode = 'atlantis'; // → its premises, account, meter SMART-8 and readings depend on it
  d.accounts[1].payerName = ''; // → meter M-0002 and its readings depend on it
  d.meters[3].initialValues = ['10.50', '20.00']; // a three-zone meter with two values
  d.meters[4].installedOn = '2026-05-01'; // in the future
  d.readings[1].values = ['-5'];
  d.readings[2].values = ['1234567.0']; // 7 digits on a 5-digit register
  d.readings[13].takenAt = '2026-05-01T00:00:00Z';
  d.readings[16].values = ['45000.0']; // the final reading of M-OLD-7 lower than the previous 45500.0
  d.accounts.push(structuredClone(doc.accounts[6])); // the same account twice
  d.tariffs[0].zone = 'peak'; // a single-rate tariff has no peak zone
  return d;
}

const BAD_EXPECTED = [
  ['principals', 0, 'UNKNOWN_FIELD'],
  ['houses', 2, 'REGION_NOT_FOUND'],
  ['premises', 6, 'DEPENDS_ON_REJECTED'],
  ['accounts', 1, 'INVALID_VALUE'],
  ['accounts', 4, 'DEPENDS_ON_REJECTED'],
  ['accounts', 7, 'DEPENDS_ON_REJECTED'],
  ['accounts', 8, 'DUPLICATE_IN_FILE'],
  ['meters', 2, 'DEPENDS_ON_REJECTED'],
  ['meters', 3, 'ZONE_COUNT_MISMATCH'],
  ['meters', 4, 'DATE_IN_FUTURE'],
  ['meters', 7, 'DEPENDS_ON_REJECTED'],
  ['readings', 1, 'VALUE_NEGATIVE'],
  ['readings', 2, 'VALUE_TOO_LONG'],
  ['readings', 9, 'DEPENDS_ON_REJECTED'],
  ['readings', 10, 'DEPENDS_ON_REJECTED'],
  ['readings', 11, 'DEPENDS_ON_REJECTED'],
  ['readings', 12, 'DEPENDS_ON_REJECTED'],
  ['readings', 13, 'TAKEN_IN_FUTURE'],
  ['readings', 16, 'LOWER_THAN_PREVIOUS'],
  ['readings', 17, 'DEPENDS_ON_REJECTED'],
  ['readings', 18, 'DEPENDS_ON_REJECTED'],
  ['tariffs', 0, 'TARIFF_ZONE_MISMATCH'],
];

describe('a file with bad rows', () => {
  it('reports every bad row with its reason and writes nothing', async () => {
    const db = await freshDatabase();
    const before = await rowCounts(db);
    const report = await importRegistry(db, badDocument(await fixtureDoc()), opts);
    expect(triples(report)).toEqual(BAD_EXPECTED);
    expect(report.ok).toBe(false);
    expect(report.written).toBe(false);
    expect(await rowCounts(db)).toEqual(before);
    expect(report.counts.accounts).toEqual({ total: 9, inserted: 0, unchanged: 0, rejected: 4 });

    const byCode = (code: string) => report.rejected.find((e) => e.code === code)!;
    expect(byCode('UNKNOWN_FIELD')).toMatchObject({ key: 'eirc-msk' });
    expect(byCode('UNKNOWN_FIELD').message).toContain('fax');
    expect(byCode('VALUE_NEGATIVE').message).toContain('отрицательным');
    expect(byCode('VALUE_TOO_LONG').message).toContain('не более 5 цифр');
    expect(byCode('ZONE_COUNT_MISMATCH').message).toContain('Начальные показания по акту ввода');
    expect(byCode('LOWER_THAN_PREVIOUS').message).toContain('45500');
    expect(byCode('TAKEN_IN_FUTURE').messageEn).toContain('future');
    expect(byCode('DUPLICATE_IN_FILE')).toMatchObject({ key: '1000000007' });
    const dependent = report.rejected.find((e) => e.section === 'meters' && e.row === 7)!;
    expect(dependent.message).toContain('ykt-lenina-5');
    for (const e of report.rejected) {
      expect(e.message).toMatch(/[а-яё]/i);
      expect(e.messageEn).toMatch(/[a-z]/);
    }
    // Premises left without a meter in service are reported, not refused.
    expect(report.warnings.map((w) => [w.section, w.row, w.code, w.key])).toEqual([
      ['premises', 2, 'MISSING_METER', 'msk-lenina-1 / 10'],
      ['premises', 3, 'MISSING_METER', 'msk-lenina-1 / 2'],
      // Its only account (no meter can be installed) is rejected: nothing says so any more.
      ['premises', 4, 'MISSING_METER', 'msk-lenina-1 / 3'],
      ['premises', 5, 'MISSING_METER', 'msk-lenina-1 / nr-1'],
    ]);
  });

  it('with partial, writes the valid rows and only them', async () => {
    const db = await freshDatabase();
    const report = await importRegistry(db, badDocument(await fixtureDoc()), { ...opts, partial: true });
    expect(triples(report)).toEqual(BAD_EXPECTED);
    expect(report.ok).toBe(false);
    expect(report.written).toBe(true);
    expect(report.counts.accounts).toEqual({ total: 9, inserted: 5, unchanged: 0, rejected: 4 });
    expect(report.counts.readings).toEqual({ total: 19, inserted: 9, unchanged: 0, rejected: 10 });
    expect(await rowCounts(db)).toEqual({
      principal: 1,
      management_company: 1,
      house: 2,
      premises: 6,
      account: 5,
      account_phone: 4,
      meter: 4,
      meter_replacement: 1,
      reading: 9,
      tariff: 8,
      norm: 3,
      common_norm: 1,
    });
    const doc = await exportRegistry(db);
    expect(doc.accounts.map((a) => a.number)).toEqual([
      '1000000001',
      '1000000003',
      '1000000004',
      '1000000006',
      '1000000007',
    ]);
    expect(doc.meters.map((m) => m.serial)).toEqual(['COMMON-L1', 'M-0001', 'M-NEW-7', 'M-OLD-7']);
    expect(doc.readings.filter((r) => r.meterSerial === 'M-0001').map((r) => r.values[0])).toEqual([
      '130.0',
      '1130.0',
      '131.5',
      '140.0',
      '9130.0',
      '50.0',
    ]);

    // The corrected file completes the import: what is there is unchanged, the rest is added.
    const again = await importRegistry(db, await fixtureDoc(), opts);
    expect(again.rejected).toEqual([]);
    expect(again.counts.accounts).toEqual({ total: 8, inserted: 3, unchanged: 5, rejected: 0 });
  });

  it('refuses a file that is not a registry as a whole', async () => {
    const db = await freshDatabase();
    const malformed = await importRegistryText(
      db,
      '{"format": "abonent-registry", "version": 1, "houses": [',
      opts,
    );
    expect(triples(malformed)).toEqual([['file', null, 'MALFORMED_JSON']]);
    expect(malformed.written).toBe(false);
    expect(triples(await importRegistry(db, [1, 2], opts))).toEqual([['file', null, 'NOT_A_REGISTRY']]);
    expect(triples(await importRegistry(db, { format: 'abonent-registry', version: 2 }, opts))).toEqual([
      ['file', null, 'UNSUPPORTED_VERSION'],
    ]);
    const doc = await fixtureDoc();
    const odd = await importRegistry(
      db,
      {
        ...doc,
        payments: [],
        norms: { regionCode: 'moscow' },
        premises: [...doc.premises, 'flat 5', { houseCode: 'x' }],
      },
      { ...opts, partial: true },
    );
    expect(triples(odd)).toEqual([
      ['file', null, 'UNKNOWN_SECTION'],
      ['file', null, 'SECTION_NOT_ARRAY'],
      ['premises', 7, 'NOT_AN_OBJECT'],
      ['premises', 8, 'MISSING_FIELD'],
    ]);
    // A file-level problem means the file is not what it claims to be: nothing is written, even partially.
    expect(odd.written).toBe(false);
    expect(odd.counts.accounts.total).toBe(8);
    expect(await rowCounts(db)).toEqual(Object.fromEntries(TABLES.map((t) => [t, 0])));
  });
});

describe('re-import', () => {
  it('is idempotent: the same data is unchanged, whatever its spelling, and nothing is written', async () => {
    const db = await freshDatabase();
    await importRegistry(db, await fixtureDoc(), opts);
    const before = await rowCounts(db);
    const exported = await exportRegistryText(db);

    const doc = await fixtureDoc();
    // The same instant with an offset, the same value with a trailing zero, the same defaults written out
    // or left out: the same rows.
    doc.readings[1]!.takenAt = '2026-01-20T12:00:00+03:00';
    doc.readings[1]!.values = ['99700.00'];
    delete doc.readings[0]!.kind;
    delete doc.readings[0]!.rollover;
    doc.accounts[0]!.phones = ['+79161234567', '+79031112233'];
    const report = await importRegistry(db, doc, opts);
    expect(report.rejected).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.written).toBe(false);
    for (const [section, c] of Object.entries(report.counts)) {
      expect(c.inserted, section).toBe(0);
      expect(c.unchanged, section).toBe(c.total);
    }
    expect(await rowCounts(db)).toEqual(before);
    expect(await exportRegistryText(db)).toBe(exported);
  });

  it('refuses rows whose key is stored with other content', async () => {
    const db = await freshDatabase();
    await importRegistry(db, await fixtureDoc(), opts);
    const before = await rowCounts(db);
    const doc = await fixtureDoc();
    doc.accounts[6]!.payerName = 'Васильева Нина';
    doc.readings[14]!.values = ['981.0', '310.5'];
    doc.readings.push({
      ...doc.readings[14]!,
      takenAt: '2026-03-29T12:00:00.000Z',
      receivedAt: '2026-03-29T12:00:00.000Z',
      values: ['990.0', '320.0'],
    });
    const report = await importRegistry(db, doc, opts);
    expect(triples(report)).toEqual([
      ['accounts', 6, 'CONFLICTS_WITH_EXISTING'],
      ['meters', 5, 'DEPENDS_ON_REJECTED'],
      ['meters', 6, 'DEPENDS_ON_REJECTED'],
      ['meterReplacements', 0, 'DEPENDS_ON_REJECTED'],
      ['readings', 13, 'DEPENDS_ON_REJECTED'],
      ['readings', 14, 'DEPENDS_ON_REJECTED'],
      ['readings', 15, 'DEPENDS_ON_REJECTED'],
      ['readings', 16, 'DEPENDS_ON_REJECTED'],
      ['readings', 19, 'DEPENDS_ON_REJECTED'],
    ]);
    expect(report.rejected[0]!.message).toContain('payerName');
    expect(await rowCounts(db)).toEqual(before);

    // Without the account conflict, the changed reading conflicts and the new one is appended (partial).
    const doc2 = await fixtureDoc();
    doc2.readings[14]!.values = ['981.0', '310.5'];
    doc2.readings.push({
      ...doc2.readings[14]!,
      takenAt: '2026-03-29T12:00:00.000Z',
      receivedAt: '2026-03-29T12:00:00.000Z',
      values: ['990.0', '320.0'],
    });
    const partial = await importRegistry(db, doc2, { ...opts, partial: true });
    expect(triples(partial)).toEqual([['readings', 14, 'CONFLICTS_WITH_EXISTING']]);
    expect(partial.rejected[0]!.message).toContain('values');
    expect(partial.counts.readings).toEqual({ total: 20, inserted: 1, unchanged: 18, rejected: 1 });
    expect((await rowCounts(db)).reading).toBe(before.reading! + 1);
  });

  it('checks new readings against the stored history of the meter', async () => {
    const db = await freshDatabase();
    await importRegistry(db, await fixtureDoc(), opts);
    const reading = (takenAt: string, values: string[], extra: object = {}) => ({
      meterSerial: 'M-0002',
      values,
      takenAt,
      receivedAt: takenAt,
      channel: 'import',
      ...extra,
    });
    const report = await importRegistry(
      db,
      {
        format: 'abonent-registry',
        version: 1,
        readings: [
          // April (after the window), superseded by the last one below, and lower than March in T1:
          reading('2026-03-30T10:00:00Z', ['1470', '940']),
          reading('2026-01-20T10:00:00Z', ['1400', '850']), // higher than the stored February reading
          reading('2026-03-30T11:00:00Z', ['1500', '950'], { externalId: 'tg-42-1001', channel: 'telegram' }),
          reading('2026-03-31T10:01:00Z', ['1500', '950'], { accountNumber: '1000000001' }),
          reading('2026-03-31T10:02:00Z', ['1500', '950'], { period: '2025-12' }),
          reading('2026-03-31T10:03:00Z', ['1500', '950'], { status: 'rejected' }),
          reading('2021-05-01T10:00:00Z', ['1300', '900']),
          reading('2026-03-31T10:04:00Z', ['1500', '950'], { receivedAt: '2026-03-30T10:00:00Z' }),
          reading('2026-03-31T12:00:00Z', ['1500', '950']), // fine: period derived, account filled in
        ],
      },
      { ...opts, partial: true },
    );
    expect(triples(report)).toEqual([
      ['readings', 0, 'LOWER_THAN_PREVIOUS'],
      ['readings', 1, 'HIGHER_THAN_LATER'],
      ['readings', 2, 'EXTERNAL_ID_TAKEN'],
      ['readings', 3, 'READING_ACCOUNT_MISMATCH'],
      ['readings', 4, 'PERIOD_INCONSISTENT'],
      ['readings', 5, 'REASON_REQUIRED'],
      ['readings', 6, 'TAKEN_BEFORE_COMMISSIONING'],
      ['readings', 7, 'TAKEN_AFTER_RECEIVED'],
    ]);
    const last = (await exportRegistry(db)).readings.filter((r) => r.meterSerial === 'M-0002').at(-1);
    // 31 March 12:00 UTC is 15:00 in Moscow, after the 15–26 window: it counts for April (§4.3).
    expect(last).toMatchObject({ accountNumber: '1000000002', period: '2026-04', values: ['1500', '950'] });
  });
});

describe('§13 a house moves to direct payments', () => {
  it("checks the management company's file: duplicates, missing meters, readings lower than the act", async () => {
    const db = await freshDatabase();
    // The supplier's own registry is there already (its principal, other houses).
    expect((await importRegistry(db, await fixtureDoc(), opts)).ok).toBe(true);
    const before = await rowCounts(db);
    const handover = JSON.parse(await fixture('uk-handover.json'));

    const report = await importRegistry(db, handover, opts);
    expect(triples(report)).toEqual([
      ['accounts', 1, 'DUPLICATE_KEY_CONFLICT'],
      ['accounts', 2, 'DUPLICATE_KEY_CONFLICT'],
      ['meters', 1, 'DEPENDS_ON_REJECTED'],
      ['meters', 3, 'DUPLICATE_IN_FILE'],
      ['readings', 1, 'LOWER_THAN_ACT'],
      ['readings', 2, 'DEPENDS_ON_REJECTED'],
      ['readings', 3, 'METER_NOT_FOUND'],
    ]);
    expect(report.rejected[0]!.message).toContain('2000000002');
    expect(report.rejected.find((e) => e.code === 'LOWER_THAN_ACT')!.message).toContain('акту ввода');
    expect(report.warnings.map((w) => [w.row, w.code, w.key])).toEqual([
      [1, 'MISSING_METER', 'msk-mira-12 / 2'],
      [3, 'MISSING_METER', 'msk-mira-12 / 4'],
    ]);
    expect(report.written).toBe(false);
    expect(await rowCounts(db)).toEqual(before);

    // The supplier takes what is right now and asks the company for the rest.
    const partial = await importRegistry(db, handover, { ...opts, partial: true });
    expect(partial.written).toBe(true);
    const house = await exportRegistry(db, { houseCodes: ['msk-mira-12'] });
    expect(house.principals.map((p) => p.code)).toEqual(['mes']);
    expect(house.managementCompanies.map((m) => m.code)).toEqual(['uk-rassvet']);
    expect(house.accounts.map((a) => a.number)).toEqual(['2000000001', '2000000003', '2000000004']);
    expect(house.meters.map((m) => m.serial)).toEqual(['MR-1', 'MR-3']);
    expect(house.readings).toEqual([
      {
        meterSerial: 'MR-1',
        accountNumber: '2000000001',
        kind: 'regular',
        values: ['1523.4'],
        rollover: false,
        takenAt: '2026-03-20T07:00:00.000Z',
        receivedAt: '2026-03-31T09:00:00.000Z',
        channel: 'import',
        submittedBy: 'УК Рассвет',
        period: '2026-03',
        status: 'accepted',
      },
    ]);

    // The corrected file: what was taken is unchanged, the rest is added.
    handover.accounts.splice(2, 1);
    handover.meters.splice(3, 1);
    handover.readings[1].values = ['5012.5'];
    handover.readings.splice(3, 1);
    const corrected = await importRegistry(db, handover, opts);
    expect(corrected.rejected).toEqual([]);
    expect(corrected.counts.accounts).toEqual({ total: 4, inserted: 1, unchanged: 3, rejected: 0 });
    expect(corrected.counts.readings).toEqual({ total: 3, inserted: 2, unchanged: 1, rejected: 0 });
    expect(corrected.warnings.map((w) => w.key)).toEqual(['msk-mira-12 / 4']);
  });
});

describe('partial exports', () => {
  it('exports one house with what it refers to, and that export imports and round-trips', async () => {
    const db = await freshDatabase();
    await importRegistry(db, await fixtureDoc(), opts);
    const text = await exportRegistryText(db, { houseCodes: ['msk-dacha-7'] });
    const doc = JSON.parse(text) as RegistryDocument;
    expect(doc.principals.map((p) => p.code)).toEqual(['mes']);
    expect(doc.managementCompanies).toEqual([]);
    expect(doc.houses.map((h) => h.code)).toEqual(['msk-dacha-7']);
    expect(doc.meters.map((m) => m.serial)).toEqual(['M-NEW-7', 'M-OLD-7']);
    expect(doc.meterReplacements).toHaveLength(1);
    expect(doc.readings).toHaveLength(4);
    expect(doc.tariffs).toEqual([]);
    const other = await freshDatabase();
    expect((await importRegistry(other, doc, opts)).ok).toBe(true);
    expect(await exportRegistryText(other)).toBe(text);
  });

  it('keeps which reading of a period counts (the later submission), also across a round trip', async () => {
    const db = await freshDatabase();
    await importRegistry(db, await fixtureDoc(), opts);
    const other = await freshDatabase();
    await importRegistry(other, JSON.parse(await exportRegistryText(db)), opts);
    const statuses = async (d: TestDatabase) =>
      (
        await sql<{ serial: string; channel: string; status: string }>`
          SELECT m.serial, r.channel, r.effective_status AS status
          FROM reading_effective r JOIN meter m ON m.id = r.meter_id
          ORDER BY m.serial, r.taken_at, r.channel`.execute(d.db)
      ).rows;
    const mine = await statuses(db);
    expect(await statuses(other)).toEqual(mine);
    // The paper slip was taken before the Telegram message but delivered after it: it is the one that counts.
    expect(mine.filter((r) => r.serial === 'M-0002').map((r) => [r.channel, r.status])).toEqual([
      ['portal', 'accepted'],
      ['paper', 'accepted'],
      ['telegram', 'superseded'],
    ]);
  });
});

describe('CSV', () => {
  it('accounts, meters and readings round-trip through CSV', async () => {
    const db = await freshDatabase();
    const full = await fixtureDoc();
    await importRegistry(db, full, opts);
    const csv = {
      accounts: await exportCsv(db, 'accounts'),
      meters: await exportCsv(db, 'meters'),
      readings: await exportCsv(db, 'readings'),
    };
    expect(csv.accounts.startsWith('\uFEFFaccount_number;house_code;premises_number;')).toBe(true);
    expect(csv.accounts).toContain(
      '\r\n1000000004;msk-lenina-1;10;true;71.8;3;4;mes;"Кузнецова Мария; ""новый собственник""";',
    );
    expect(csv.readings.split('\r\n')).toContain(
      'M-0001;1000000001;regular;130.0;;;true;2026-03-16T10:00:00.000Z;2026-03-16T10:00:02.000Z;app;;;2026-03;;accepted;',
    );

    const other = await freshDatabase();
    const { principals, managementCompanies, houses, tariffs, norms, commonNorms } = full;
    const reference = {
      format: 'abonent-registry',
      version: 1,
      principals,
      managementCompanies,
      houses,
      tariffs,
      norms,
      commonNorms,
    };
    expect((await importRegistry(other, reference, opts)).ok).toBe(true);
    for (const kind of ['accounts', 'meters', 'readings'] as const) {
      const report = await importRegistryText(other, csv[kind], opts);
      expect(report.rejected, kind).toEqual([]);
      expect(report.counts[kind].inserted).toBe(full[kind].length);
    }
    for (const kind of ['accounts', 'meters', 'readings'] as const)
      expect(await exportCsv(other, kind)).toBe(csv[kind]);
    // Everything but the replacement history (not part of the CSV files) came across.
    expect(await exportRegistry(other)).toEqual({ ...(await exportRegistry(db)), meterReplacements: [] });
  });

  it('reads comma-separated files with LF and decimal commas, and reports rows by line', async () => {
    const db = await freshDatabase();
    await importRegistry(db, await fixtureDoc(), opts);
    const text = [
      'meter_serial,t1,t2,taken_at,received_at,channel,submitted_by',
      'M-0002,"1500,4",951,2026-03-30T10:00:00+03:00,2026-03-30T10:00:00+03:00,paper,"пакет 31, лист 2"',
      'M-0002,1400,-3,2026-03-30T11:00:00+03:00,2026-03-30T11:00:00+03:00,paper,',
      'M-0099,10,,2026-03-30T11:00:00+03:00,2026-03-30T11:00:00+03:00,paper,',
      '',
    ].join('\n');
    const report = await importRegistryText(db, text, { ...opts, partial: true });
    expect(report.rejected.map((e) => [e.row, e.line, e.code])).toEqual([
      [0, 2, 'VALUE_PRECISION'],
      [1, 3, 'VALUE_NEGATIVE'],
      [2, 4, 'METER_NOT_FOUND'],
    ]);
    const good =
      'meter_serial,t1,t2,taken_at,received_at,channel\nM-0002,1500,951,2026-03-30T10:00:00+03:00,2026-03-30T10:00:00+03:00,paper\n';
    expect((await importRegistryText(db, good, opts)).counts.readings.inserted).toBe(1);
  });

  it('refuses malformed CSV and unknown columns as a whole', async () => {
    const db = await freshDatabase();
    const broken = await importRegistryText(
      db,
      'meter_serial;t1;taken_at;received_at;channel\r\nM-1;"5;x;y;z\r\n',
      opts,
    );
    expect(triples(broken)).toEqual([['file', null, 'MALFORMED_CSV']]);
    const unknown = await importRegistryText(
      db,
      'meter_serial;t1;taken_at;received_at;channel;colour\r\n',
      opts,
    );
    expect(triples(unknown)).toEqual([['file', null, 'UNKNOWN_COLUMN']]);
    expect(unknown.rejected[0]!.message).toContain('colour');
    const missing = await importRegistryText(db, 'account_number;payer_name\r\n', opts);
    expect(triples(missing)).toEqual([['file', null, 'MISSING_COLUMN']]);
    const neither = await importRegistryText(db, 'a;b\r\n1;2\r\n', opts);
    expect(triples(neither)).toEqual([['file', null, 'UNKNOWN_CSV']]);
  });
});

describe('abonent import / export', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'abonent-registry-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  function cli(db: TestDatabase) {
    const out: string[] = [];
    const err: string[] = [];
    const ctx: CliContext = {
      app: async () => ({ database: db, clock: fixedClock(NOW) }) as unknown as AppContext,
      out: (t) => out.push(t),
      err: (t) => err.push(t),
      interactive: false,
    };
    const run = async (...args: string[]) => {
      const program = new Command()
        .exitOverride()
        .configureOutput({ writeOut: () => {}, writeErr: () => {} });
      registerRegistryIoCommands(program, ctx);
      await program.parseAsync(['node', 'abonent', ...args]);
    };
    return { out, err, run };
  }

  it('imports a file, reports every rejected row, and exits 2 on rejections', async () => {
    const db = await freshDatabase();
    const bad = path.join(dir, 'bad.json');
    await writeFile(bad, JSON.stringify(badDocument(await fixtureDoc())));
    const c = cli(db);
    const error = await c.run('import', bad).catch((e) => e);
    expect(error).toBeInstanceOf(CliInputError);
    expect(error.code).toBe('IMPORT_REJECTED');
    const text = c.out.join('\n');
    expect(text).toContain('Импорт отклонён, ничего не записано');
    for (const [section, row, code] of BAD_EXPECTED)
      expect(text).toMatch(new RegExp(`${section} #${row} .*: ${code} — `));
    expect(text).toContain('MISSING_METER');
    expect(await rowCounts(db)).toEqual(Object.fromEntries(TABLES.map((t) => [t, 0])));

    const json = cli(db);
    await json.run('import', bad, '--json').catch((e) => e);
    const report = JSON.parse(json.out.join('\n')) as ImportReport;
    expect(triples(report)).toEqual(BAD_EXPECTED);

    const partial = cli(db);
    await partial.run('import', bad, '--partial').catch((e) => e);
    expect(partial.out[0]).toContain('частично');
    expect((await rowCounts(db)).account).toBe(5);

    const ok = cli(db);
    await ok.run('import', path.join(FIXTURES, 'registry.json'));
    expect(ok.out[0]).toContain('Импорт выполнен');
    expect(ok.out.join('\n')).toMatch(/accounts\s+8\s+3\s+5\s+0/);
  });

  it('exports JSON to a file or stdout, CSV, and one house', async () => {
    const db = await freshDatabase();
    await importRegistry(db, await fixtureDoc(), opts);
    const out = path.join(dir, 'export.json');
    await cli(db).run('export', '--out', out);
    expect(await readFile(out, 'utf8')).toBe(await exportRegistryText(db));

    const stdout = cli(db);
    await stdout.run('export', '--csv', 'accounts', '--house', 'msk-dacha-7', 'ykt-lenina-5');
    const lines = stdout.out.join('\n').split('\r\n');
    expect(lines.map((l) => l.split(';')[0])).toEqual(['\uFEFFaccount_number', '1000000007', '1000000008']);

    const unknown = await cli(db)
      .run('export', '--house', 'nowhere')
      .catch((e) => e);
    expect(unknown).toMatchObject({ code: 'HOUSE_NOT_FOUND' });
    const kind = await cli(db)
      .run('export', '--csv', 'bills')
      .catch((e) => e);
    expect(kind).toMatchObject({ code: 'CSV_KIND_INVALID' });
  });

  it('shows progress on stderr for large files', async () => {
    const db = await freshDatabase();
    const doc = await fixtureDoc();
    // Pad the file past the progress threshold with harmless whitespace.
    const big = path.join(dir, 'big.json');
    await writeFile(big, serializeRegistry(doc) + ' '.repeat(1_100_000));
    const c = cli(db);
    await c.run('import', big);
    expect(c.err.join('\n')).toContain('записано / written: readings — 19');
  });
});

describe('HTTP', () => {
  it('imports, reports, and exports over the API', async () => {
    const db = await freshDatabase();
    const app = await createHttpApp();
    await registryIoRoutes(app, { database: db, clock: fixedClock(NOW) });
    app.post('/echo', async (request) => request.body);
    try {
      const bad = await app.inject({
        method: 'POST',
        url: '/api/v1/registry/import',
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify(badDocument(await fixtureDoc())),
      });
      expect(bad.statusCode).toBe(422);
      expect(triples(bad.json())).toEqual(BAD_EXPECTED);
      expect((await rowCounts(db)).account).toBe(0);

      const malformed = await app.inject({
        method: 'POST',
        url: '/api/v1/registry/import',
        headers: { 'content-type': 'application/json' },
        payload: '{"format":',
      });
      expect(malformed.statusCode).toBe(422);
      expect(triples(malformed.json())).toEqual([['file', null, 'MALFORMED_JSON']]);

      const good = await app.inject({
        method: 'POST',
        url: '/api/v1/registry/import?partial=false',
        headers: { 'content-type': 'application/json' },
        payload: await fixture('registry.json'),
      });
      expect(good.statusCode).toBe(200);
      expect(good.json()).toMatchObject({ ok: true, written: true });

      const exported = await app.inject({ method: 'GET', url: '/api/v1/registry/export' });
      expect(exported.statusCode).toBe(200);
      expect(exported.headers['content-type']).toContain('application/json');
      expect(exported.payload).toBe(await exportRegistryText(db));

      const house = await app.inject({ method: 'GET', url: '/api/v1/registry/export?house=msk-dacha-7' });
      expect(house.json().houses.map((h: { code: string }) => h.code)).toEqual(['msk-dacha-7']);
      const missing = await app.inject({ method: 'GET', url: '/api/v1/registry/export?house=nowhere' });
      expect(missing.statusCode).toBe(404);
      expect(missing.json().error.code).toBe('HOUSE_NOT_FOUND');

      const csv = await app.inject({ method: 'GET', url: '/api/v1/registry/export/readings.csv' });
      expect(csv.headers['content-type']).toContain('text/csv');
      expect(csv.payload).toBe(await exportCsv(db, 'readings'));
      const reimport = await app.inject({
        method: 'POST',
        url: '/api/v1/registry/import',
        headers: { 'content-type': 'text/csv' },
        payload: csv.payload,
      });
      expect(reimport.statusCode).toBe(200);
      expect(reimport.json().counts.readings).toMatchObject({ total: 19, unchanged: 19 });

      // The raw-text body parsing stays inside the registry routes.
      const echo = await app.inject({ method: 'POST', url: '/echo', payload: { a: 1 } });
      expect(echo.json()).toEqual({ a: 1 });
      const docs = await app.inject({ method: 'GET', url: '/docs/json' });
      expect(Object.keys(docs.json().paths)).toEqual(
        expect.arrayContaining([
          '/api/v1/registry/import',
          '/api/v1/registry/export',
          '/api/v1/registry/export/accounts.csv',
        ]),
      );
    } finally {
      await app.close();
    }
  });
});
