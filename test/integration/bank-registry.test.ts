/**
 * Bank payment registries (domain.md §9; docs/formats.md "Bank payment registry") on a real PostgreSQL:
 * a day's file in UTF-8 and in windows-1251, imported twice, with duplicated rows, unknown accounts, bad
 * amounts, a control total that does not add up and a file in broken encoding.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importRegistry } from '../../src/channels/bank-registry/index.ts';
import { parseRegistry } from '../../src/channels/bank-registry/registry-parse.ts';
import { checkLedger } from '../../src/ledger/index.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { runTestCli } from '../support/cli.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { addAccount, countRows } from '../support/fixtures.ts';

/** windows-1251 bytes of a text (Cyrillic А–я, Ё, ё, №; the rest ASCII) — what Russian banks send. */
function cp1251(text: string): Buffer {
  const out: number[] = [];
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) out.push(c);
    else if (c >= 0x410 && c <= 0x44f) out.push(c - 0x410 + 0xc0);
    else if (c === 0x401) out.push(0xa8);
    else if (c === 0x451) out.push(0xb8);
    else if (c === 0x2116) out.push(0xb9);
    else throw new Error(`no windows-1251 byte for ${ch}`);
  }
  return Buffer.from(out);
}

const ACCOUNTS = ['4000000001', '4000000002', '4000000003', '4000000004', '4000000005'];

/** A registry file: lines of [operation id, account, amount text, period MMYYYY], the control line computed. */
function registry(
  number: string,
  rows: [string, string, string, string][],
  o: { total?: string } = {},
): string {
  const lines = rows.map(
    ([op, account, amount, period], i) =>
      `20-11-2026;${String(9 + (i % 10)).padStart(2, '0')}-15-3${i % 10};9038;00${i};${op};${account};Иванов Иван Иванович;г. Москва, ул. Тестовая, д. 1, кв. ${i + 1};${period};${amount}`,
  );
  const total = rows.reduce((s, r) => s + Math.round(Number(r[2].replace(',', '.')) * 100), 0);
  const t = o.total ?? (total / 100).toFixed(2).replace('.', ',');
  return `${lines.join('\r\n')}\r\n=${rows.length};${t};${t};0,00;${number};20-11-2026\r\n`;
}

describe('bank payment registries', () => {
  let t: TestDatabase;
  const deps = () => ({ db: t.db, clock: fixedClock('2026-11-21T08:00:00Z') });
  const balance = async (number: string) =>
    (
      await sql<{
        r: number;
      }>`SELECT coalesce((SELECT receivable_kopecks FROM ledger_balance b WHERE b.account_id = a.id), 0) AS r
        FROM account a WHERE a.number = ${number}`.execute(t.db)
    ).rows[0]!.r;

  const rows20: [string, string, string, string][] = Array.from({ length: 20 }, (_, i) => [
    String(700100 + i),
    ACCOUNTS[i % 5]!,
    `${100 + i * 10},${String(i).padStart(2, '0')}`,
    '102026',
  ]);

  beforeAll(async () => {
    t = await createTestDatabase();
    for (const number of ACCOUNTS) await addAccount(t.db, { number });
  });
  afterAll(() => t?.drop());

  it('imports a day of 20 payments (UTF-8): all credited, settled on the registry date, reconciled', async () => {
    const r = await importRegistry(deps(), { bytes: Buffer.from(registry('101', rows20)), bank: 'SBER' });
    expect(r.alreadyImported).toBe(false);
    expect(r.report.reconciled).toBe(true);
    expect(r.report.accepted.count).toBe(20);
    const total = rows20.reduce((s, x) => s + Math.round(Number(x[2].replace(',', '.')) * 100), 0);
    expect(r.report.accepted.totalKopecks).toBe(total);
    const perAccount = (n: string) =>
      rows20
        .filter((x) => x[1] === n)
        .reduce((s, x) => s + Math.round(Number(x[2].replace(',', '.')) * 100), 0);
    expect(await balance(ACCOUNTS[0]!)).toBe(-perAccount(ACCOUNTS[0]!));
    const settled = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM payment_settlement s JOIN payment p ON p.id = s.payment_id
      WHERE p.channel = 'bank_registry' AND s.credited_on = '2026-11-20'`.execute(t.db);
    expect(settled.rows[0]!.n).toBe(20);
  });

  it('the same file again credits nothing and returns the same report', async () => {
    const before = await countRows(t.db, 'payment');
    const again = await importRegistry(deps(), { bytes: Buffer.from(registry('101', rows20)), bank: 'SBER' });
    expect(again.alreadyImported).toBe(true);
    expect(again.report.accepted.count).toBe(20);
    expect(await countRows(t.db, 'payment')).toBe(before);
    // Through the CLI too, from a file.
    const file = `${t.name}.csv`;
    writeFileSync(`/tmp/${file}`, registry('101', rows20));
    const cli = await runTestCli(t, ['payments', 'import-registry', `/tmp/${file}`, '--bank', 'SBER']);
    expect(cli.code).toBe(0);
    expect(cli.out).toContain('уже загружен');
    expect(await countRows(t.db, 'payment')).toBe(before);
  });

  it('the same registry in windows-1251, as banks send it: decoded, and its operations already credited', async () => {
    const bytes = cp1251(registry('102', rows20.slice(0, 5)));
    const parsed = parseRegistry(bytes);
    expect(parsed.ok && parsed.file.encoding).toBe('windows-1251');
    expect(parsed.ok && parsed.file.lines[0]?.payerName).toBe('Иванов Иван Иванович');
    const before = await countRows(t.db, 'payment');
    const r = await importRegistry(deps(), { bytes, bank: 'SBER' });
    expect(r.report.duplicates.count).toBe(5);
    expect(r.report.accepted.count).toBe(0);
    expect(await countRows(t.db, 'payment')).toBe(before);
  });

  it('reports what it cannot credit — unknown accounts, duplicated rows, bad amounts — and credits the rest', async () => {
    const rows: [string, string, string, string][] = [
      ['800001', ACCOUNTS[1]!, '500,00', '102026'],
      ['800002', '9999999999', '250,00', '102026'],
      ['800003', ACCOUNTS[2]!, '0,00', '102026'],
      ['800001', ACCOUNTS[1]!, '500,00', '102026'],
      ['800004', ACCOUNTS[3]!, '300,00', '132026'],
      ['800005', '12-34', '10,00', ''],
      ['800006', ACCOUNTS[4]!, '42,42', ''],
    ];
    const before = await balance(ACCOUNTS[1]!);
    const r = await importRegistry(deps(), { bytes: cp1251(registry('103', rows)), bank: 'VTB' });
    expect(r.report.accepted.count).toBe(2);
    expect(r.report.rejected.byReason).toEqual({
      ACCOUNT_NOT_FOUND: 1,
      AMOUNT_NOT_POSITIVE: 1,
      DUPLICATE_IN_FILE: 1,
      BAD_PERIOD: 1,
      BAD_ACCOUNT_FORMAT: 1,
    });
    expect(r.report.reconciled).toBe(true);
    expect(await balance(ACCOUNTS[1]!)).toBe(before - 50_000);
    const cli = await runTestCli(t, ['payments', 'registries']);
    expect(cli.out).toContain('VTB');
  });

  it('refuses a file whose control total does not add up, or in broken encoding, and credits nothing', async () => {
    const before = await countRows(t.db, 'payment');
    await expect(
      importRegistry(deps(), {
        bytes: Buffer.from(registry('104', rows20.slice(0, 3), { total: '1,00' })),
        bank: 'SBER',
      }),
    ).rejects.toMatchObject({ code: 'CONTROL_TOTAL_MISMATCH' });
    const mixed = Buffer.concat([
      cp1251(registry('105', rows20.slice(0, 2))),
      Buffer.from('Иванов Иван;ещё строка в UTF-8\r\n'),
    ]);
    await expect(importRegistry(deps(), { bytes: mixed, bank: 'SBER' })).rejects.toMatchObject({
      code: 'ENCODING_INVALID',
    });
    await expect(
      importRegistry(deps(), { bytes: Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 1, 2]), bank: 'SBER' }),
    ).rejects.toMatchObject({
      code: 'ENCODING_INVALID',
    });
    await expect(
      importRegistry(deps(), {
        bytes: Buffer.from(registry('106', rows20.slice(0, 2)).replace(/=.*\r\n$/, '')),
        bank: 'SBER',
      }),
    ).rejects.toMatchObject({
      code: 'NO_CONTROL_LINE',
    });
    expect(await countRows(t.db, 'payment')).toBe(before);
    expect(await countRows(t.db, 'payment_registry')).toBe(3);
    const bad = await runTestCli(t, ['payments', 'import-registry', '/nonexistent.csv', '--bank', 'SBER']);
    expect(bad.code).toBe(2);
  });

  it('a registry number reused for another file is refused; the ledger checks clean', async () => {
    await expect(
      importRegistry(deps(), { bytes: Buffer.from(registry('101', rows20.slice(0, 1))), bank: 'SBER' }),
    ).rejects.toMatchObject({
      code: 'REGISTRY_NUMBER_REUSED',
    });
    expect((await checkLedger(t.db)).problems).toEqual([]);
  });

  it('an import cut short (the process dies after the first 500 rows) is completed by running it again', async () => {
    const rows: [string, string, string, string][] = Array.from({ length: 600 }, (_, i) => [
      String(900000 + i),
      ACCOUNTS[i % 5]!,
      '10,00',
      '',
    ]);
    const bytes = Buffer.from(registry('107', rows));
    await expect(
      importRegistry(deps(), {
        bytes,
        bank: 'GPB',
        onProgress: () => {
          throw new Error('killed');
        },
      }),
    ).rejects.toThrow('killed');
    const half = await sql<{ status: string; n: number }>`
      SELECT status, (SELECT count(*)::int FROM payment WHERE agent_code = 'GPB') AS n FROM payment_registry WHERE bank = 'GPB'`.execute(
      t.db,
    );
    expect(half.rows[0]).toEqual({ status: 'importing', n: 500 });
    const r = await importRegistry(deps(), { bytes, bank: 'GPB' });
    expect(r.report.accepted.count).toBe(600);
    expect(r.report.duplicates.count).toBe(0);
    expect(
      await sql<{ n: number }>`SELECT count(*)::int AS n FROM payment WHERE agent_code = 'GPB'`
        .execute(t.db)
        .then((x) => x.rows[0]!.n),
    ).toBe(600);
  });

  it('the documented example parses', () => {
    const example = readFileSync('test/fixtures/registry/sber-example.csv');
    const parsed = parseRegistry(example);
    expect(parsed.ok).toBe(true);
  });
});
