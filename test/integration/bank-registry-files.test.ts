/**
 * Bank payment registries as files arrive (docs/formats.md "Bank payment registry") on a real PostgreSQL:
 * the 20-line fixture in windows-1251 then again in UTF-8, the bank's code in another case, over HTTP and
 * the CLI, two imports of one file at once, a bank resending operations, lines that cannot be credited.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importRegistry } from '../../src/channels/bank-registry/index.ts';
import { checkLedger } from '../../src/ledger/index.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import type { HttpApp } from '../../src/platform/http.ts';
import { createOperatorKey } from '../../src/platform/operator-auth.ts';
import { buildServer } from '../../src/server.ts';
import { runTestCli, testAppContext } from '../support/cli.ts';
import { encodeCp1251 } from '../support/cp1251.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { addAccount, countRows } from '../support/fixtures.ts';

const NOW = '2026-11-20T07:00:00Z';
const FIXTURE = readFileSync('test/fixtures/registry/sber_19112026.csv', 'utf8');
const ACCOUNTS = Array.from({ length: 8 }, (_, i) => String(4_100_000_001 + i));

interface Line {
  op: string;
  account: string;
  amount: string;
  payer?: string;
  period?: string;
  date?: string;
  time?: string;
}

/** A registry of these lines dated 19.11.2026 with a control line that adds up. */
function registry(number: string, lines: Line[]): string {
  const kop = (a: string) => Math.round(Number(a.replace(',', '.')) * 100);
  const total = lines.reduce((s, l) => s + kop(l.amount), 0);
  const rub = (k: number) =>
    `${k < 0 ? '-' : ''}${Math.trunc(Math.abs(k) / 100)},${String(Math.abs(k) % 100).padStart(2, '0')}`;
  const body = lines.map(
    (l) =>
      `${l.date ?? '19-11-2026'};${l.time ?? '12-00-00'};9038/1234;00017;${l.op};${l.account};${l.payer ?? 'Иванов Иван Иванович'};г. Москва, ул. Лесная, д. 5;${l.period ?? '112026'};${l.amount}`,
  );
  return `${body.join('\r\n')}\r\n=${lines.length};${rub(total)};${rub(total)};0,00;${number};19-11-2026\r\n`;
}

describe('bank registry files', () => {
  let t: TestDatabase;
  let app: HttpApp;
  let key: string;
  const deps = () => ({ db: t.db, clock: fixedClock(NOW) });
  const one = async <T>(q: ReturnType<typeof sql<T>>) => (await q.execute(t.db)).rows[0]!;
  const receivable = async (account: string) =>
    (
      await one(sql<{ r: number }>`
        SELECT coalesce((SELECT receivable_kopecks FROM ledger_balance b WHERE b.account_id = a.id), 0) AS r
        FROM account a WHERE a.number = ${account}`)
    ).r;
  const upload = (bytes: Buffer | string, query: string, headers: Record<string, string> = {}) =>
    app.inject({
      method: 'POST',
      url: `/api/v1/payment-registries?${query}`,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'text/csv', ...headers },
      payload: bytes,
    });

  beforeAll(async () => {
    t = await createTestDatabase();
    for (const number of ACCOUNTS) await addAccount(t.db, { number });
    app = await buildServer(testAppContext(t, NOW));
    key = await createOperatorKey(t.db, 'accountant');
  });
  afterAll(async () => {
    await app?.close();
    await t?.drop();
  });

  it('a day of 20 payments sent in windows-1251: each credited and settled on the registry date, reconciled', async () => {
    const r = await importRegistry(deps(), {
      bytes: encodeCp1251(FIXTURE),
      bank: 'sber',
      fileName: 'sber_19112026.csv',
    });
    expect(r.alreadyImported).toBe(false);
    const rep = r.report;
    expect(rep.registry).toMatchObject({
      bank: 'SBER',
      number: '000346',
      date: '2026-11-19',
      encoding: 'windows-1251',
    });
    expect(rep.control).toEqual({
      count: 20,
      totalKopecks: 2_967_900,
      transferredKopecks: 2_938_221,
      commissionKopecks: 29_679,
    });
    expect(rep.accepted).toEqual({ count: 20, totalKopecks: 2_967_900 });
    expect(rep.duplicates.count + rep.rejected.count).toBe(0);
    expect(rep.reconciled).toBe(true);
    expect(rep.checks).toEqual({ controlMatchesLines: true, linesAccountedFor: true, transferMatches: true });
    // Per account: the ledger holds exactly the fixture's lines for it.
    const perAccount = new Map<string, number>();
    for (const line of FIXTURE.trim().split('\r\n').slice(0, -1)) {
      const f = line.split(';');
      perAccount.set(f[5]!, (perAccount.get(f[5]!) ?? 0) + Math.round(Number(f[9]!.replace(',', '.')) * 100));
    }
    for (const [account, kopecks] of perAccount) expect(await receivable(account)).toBe(-kopecks);
    const payments = await one(sql<{ n: number; settled: number; ids: string[]; payer: string }>`
      SELECT count(*)::int AS n,
             count(*) FILTER (WHERE s.credited_on = '2026-11-19')::int AS settled,
             array_agg(p.external_id ORDER BY p.id) AS ids,
             min(p.payer_name) FILTER (WHERE p.external_id = 'SBER:100234589') AS payer
      FROM payment p LEFT JOIN payment_settlement s ON s.payment_id = p.id
      WHERE p.channel = 'bank_registry' AND p.registry_id = ${rep.registry.id}`);
    expect(payments).toMatchObject({ n: 20, settled: 20, payer: 'Сёмина Ольга Петровна' });
    expect(payments.ids[0]).toBe('SBER:100234567');
    // 18.11 12:16:52 Moscow is the payment's moment (the §10 payment day).
    const paid = await one(sql<{ paidAt: Date }>`
      SELECT paid_at AS "paidAt" FROM payment WHERE external_id = 'SBER:100234655'`);
    expect(paid.paidAt.toISOString()).toBe('2026-11-18T09:16:52.000Z');
    expect((await checkLedger(t.db)).problems).toEqual([]);
  });

  it('the same registry again — in UTF-8, LF line ends, the bank named by the file — credits nothing', async () => {
    const before = await countRows(t.db, 'payment');
    const entries = await countRows(t.db, 'ledger_entry');
    for (const [bytes, o] of [
      [encodeCp1251(FIXTURE), { bank: 'SBER' }],
      [Buffer.from(FIXTURE), { bank: 'Sber' }],
      [Buffer.from(`\uFEFF${FIXTURE.replace(/\r\n/g, '\n')}`), { fileName: 'sber_19112026_copy.txt' }],
    ] as const) {
      const again = await importRegistry(deps(), { bytes, ...o });
      expect(again.alreadyImported).toBe(true);
      expect(again.report.accepted.count).toBe(20);
    }
    expect(await countRows(t.db, 'payment')).toBe(before);
    expect(await countRows(t.db, 'ledger_entry')).toBe(entries);
    expect(await countRows(t.db, 'payment_registry')).toBe(1);
  });

  it('two imports of one file at the same moment credit it once', async () => {
    const bytes = encodeCp1251(
      registry(
        '000347',
        ACCOUNTS.map((account, i) => ({ op: `2000${i}`, account, amount: '100,00' })),
      ),
    );
    const before = await receivable(ACCOUNTS[0]!);
    const both = await Promise.all([
      importRegistry(deps(), { bytes, bank: 'SBER' }),
      importRegistry(deps(), { bytes, bank: 'sber' }),
    ]);
    for (const r of both) expect(r.report.accepted).toEqual({ count: 8, totalKopecks: 80_000 });
    expect(await receivable(ACCOUNTS[0]!)).toBe(before - 10_000);
    expect(
      (
        await one(
          sql<{ n: number }>`SELECT count(*)::int AS n FROM payment WHERE external_id LIKE 'SBER:2000%'`,
        )
      ).n,
    ).toBe(8);
  });

  it('the database failing after a batch is credited but before its lines are recorded: a re-run completes it', async () => {
    const bytes = Buffer.from(
      registry(
        '000360',
        ACCOUNTS.map((account, i) => ({ op: `6000${i}`, account, amount: '10,00' })),
      ),
    );
    await sql`CREATE FUNCTION fail_registry_rows() RETURNS trigger LANGUAGE plpgsql AS $$
              BEGIN RAISE EXCEPTION 'disk full'; END $$`.execute(t.db);
    await sql`CREATE TRIGGER fail_registry_rows BEFORE INSERT ON payment_registry_row
              FOR EACH STATEMENT EXECUTE FUNCTION fail_registry_rows()`.execute(t.db);
    await expect(importRegistry(deps(), { bytes, bank: 'SBER' })).rejects.toThrow('disk full');
    await sql`DROP TRIGGER fail_registry_rows ON payment_registry_row`.execute(t.db);
    const cut = await one(sql<{ status: string; rows: number; payments: number }>`
      SELECT r.status, (SELECT count(*)::int FROM payment_registry_row x WHERE x.registry_id = r.id) AS rows,
             (SELECT count(*)::int FROM payment p WHERE p.registry_id = r.id) AS payments
      FROM payment_registry r WHERE r.number = '000360'`);
    expect(cut).toEqual({ status: 'importing', rows: 0, payments: 8 });
    // The payments it credited before failing are its own: credited by this registry, not "earlier".
    const r = await importRegistry(deps(), { bytes, bank: 'SBER' });
    expect(r.alreadyImported).toBe(false);
    expect(r.report.accepted).toEqual({ count: 8, totalKopecks: 8_000 });
    expect(r.report.duplicates.count).toBe(0);
    expect(r.report.reconciled).toBe(true);
    expect(
      (
        await one(
          sql<{ n: number }>`SELECT count(*)::int AS n FROM payment WHERE external_id LIKE 'SBER:6000%'`,
        )
      ).n,
    ).toBe(8);
  });

  it('a bank resending operations it sent before: listed as credited earlier, not credited again', async () => {
    const before = await receivable(ACCOUNTS[1]!);
    const r = await importRegistry(deps(), {
      bytes: Buffer.from(
        registry('000348', [
          // Line 2 of the fixture, as it came yesterday.
          {
            op: '100234578',
            account: ACCOUNTS[1]!,
            amount: '2150,40',
            period: '102026',
            date: '18-11-2026',
            time: '15-17-29',
          },
          { op: '30001', account: ACCOUNTS[1]!, amount: '99,00' },
        ]),
      ),
      bank: 'SBER',
    });
    expect(r.report.accepted).toEqual({ count: 1, totalKopecks: 9_900 });
    expect(r.report.duplicates).toEqual({ count: 1, totalKopecks: 215_040 });
    expect(r.report.duplicateLines[0]).toMatchObject({
      lineNo: 1,
      reason: 'ALREADY_CREDITED',
      message: expect.stringContaining('уже зачислена ранее'),
    });
    expect(r.report.reconciled).toBe(true);
    expect(await receivable(ACCOUNTS[1]!)).toBe(before - 9_900);
  });

  it('lines it cannot credit go to the report for an operator, with payer and address; the rest is credited', async () => {
    const before = await countRows(t.db, 'payment');
    const r = await importRegistry(deps(), {
      bytes: encodeCp1251(
        registry('000349', [
          { op: '40001', account: ACCOUNTS[2]!, amount: '700,00' },
          { op: '40002', account: '9999999999', amount: '1250,00', payer: 'Неизвестный Пётр' },
          { op: '40003', account: ACCOUNTS[3]!, amount: '0,00' },
          { op: '40004', account: ACCOUNTS[3]!, amount: '-50,00' },
          { op: '40001', account: ACCOUNTS[2]!, amount: '700,00' },
          { op: '40005', account: ACCOUNTS[4]!, amount: '300,00', payer: 'Кузнецов; Д. А.' },
          { op: '40006', account: ACCOUNTS[4]!, amount: '0,50' },
          { op: '40007', account: ACCOUNTS[5]!, amount: '10,00', period: '122026' },
          { op: '40008', account: ACCOUNTS[5]!, amount: '420,00' },
        ]),
      ),
      bank: 'VTB',
    });
    const rep = r.report;
    expect(rep.accepted).toEqual({ count: 2, totalKopecks: 112_000 });
    expect(rep.rejected.byReason).toEqual({
      ACCOUNT_NOT_FOUND: 1,
      AMOUNT_NOT_POSITIVE: 2,
      DUPLICATE_IN_FILE: 1,
      BAD_LINE: 1,
      AMOUNT_TOO_SMALL: 1,
      PERIOD_INVALID: 1,
    });
    expect(rep.rejected.totalKopecks).toBe(125_000 + 0 - 5_000 + 70_000 + 30_000 + 50 + 1_000);
    expect(rep.reconciled).toBe(true);
    const unknown = rep.rejectedLines.find((l) => l.reason === 'ACCOUNT_NOT_FOUND');
    expect(unknown).toMatchObject({
      lineNo: 2,
      operationId: '40002',
      account: '9999999999',
      payerName: 'Неизвестный Пётр',
      address: 'г. Москва, ул. Лесная, д. 5',
      amountKopecks: 125_000,
      paidAt: '2026-11-19T09:00:00.000Z',
      message: 'лицевой счёт не найден — невыясненный платёж',
    });
    expect(rep.rejectedLines.find((l) => l.reason === 'BAD_LINE')?.rawLine).toContain('Кузнецов; Д. А.');
    expect(rep.rejectedLines.find((l) => l.reason === 'DUPLICATE_IN_FILE')?.message).toContain('строке 1');
    expect(await countRows(t.db, 'payment')).toBe(before + 2);
    // The same stored report over HTTP and printed for the accountant.
    const got = await app.inject({
      method: 'GET',
      url: `/api/v1/payment-registries/${rep.registry.id}`,
      headers: { authorization: `Bearer ${key}` },
    });
    expect(got.statusCode).toBe(200);
    expect(got.json().report).toEqual(rep);
    const cli = await runTestCli(t, ['payments', 'import-registry', '/dev/null', '--bank', 'VTB'], NOW);
    expect(cli.code).toBe(2);
    const file = `/tmp/${t.name}_000349.csv`;
    writeFileSync(
      file,
      encodeCp1251(registry('000349', [{ op: '40001', account: ACCOUNTS[2]!, amount: '700,00' }])),
    );
    const reused = await runTestCli(t, ['payments', 'import-registry', file, '--bank', 'vtb', '--json'], NOW);
    expect(reused.code).toBe(2);
    expect(JSON.parse(reused.out).refused.code).toBe('REGISTRY_NUMBER_REUSED');
  });

  it('over HTTP: upload, the same again, the list; a refused file gets 422 with its reason and writes nothing', async () => {
    const bytes = encodeCp1251(
      registry('000350', [
        { op: '50001', account: ACCOUNTS[6]!, amount: '1500,00' },
        { op: '50002', account: ACCOUNTS[7]!, amount: '250,25' },
      ]),
    );
    // curl --data-binary sends a form content type: the bytes are the file all the same.
    const first = await upload(bytes, 'bank=gpb&fileName=gpb_19112026.csv', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({
      alreadyImported: false,
      report: {
        registry: { bank: 'GPB', fileName: 'gpb_19112026.csv' },
        accepted: { count: 2, totalKopecks: 175_025 },
      },
    });
    const again = await upload(bytes, 'fileName=gpb_again.csv');
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ alreadyImported: true, report: first.json().report });
    const list = await app.inject({
      method: 'GET',
      url: '/api/v1/payment-registries',
      headers: { authorization: `Bearer ${key}` },
    });
    expect(list.json()[0]).toMatchObject({
      bank: 'GPB',
      number: '000350',
      status: 'done',
      summary: { accepted: { count: 2 }, reconciled: true },
    });

    const payments = await countRows(t.db, 'payment');
    const registries = await countRows(t.db, 'payment_registry');
    // One line in UTF-8 inside a windows-1251 file.
    const nl = bytes.indexOf(0x0a) + 1;
    const broken = Buffer.concat([
      bytes.subarray(0, nl),
      Buffer.from('19-11-2026;12-00-00;1;2;50003;4100000007;Сидоров Пётр;Москва;;1,00\r\n'),
      bytes.subarray(nl),
    ]);
    const refusedEncoding = await upload(broken, 'bank=GPB');
    expect(refusedEncoding.statusCode).toBe(422);
    expect(refusedEncoding.json().error).toMatchObject({
      code: 'ENCODING_INVALID',
      message: expect.stringContaining('смешаны кодировки'),
      details: { reason: 'MIXED_ENCODINGS' },
    });
    const mismatch = await upload(
      Buffer.from(
        registry('000351', [{ op: '1', account: ACCOUNTS[6]!, amount: '1,00' }]).replace(
          '=1;1,00',
          '=1;2,00',
        ),
      ),
      'bank=GPB',
    );
    expect(mismatch.statusCode).toBe(422);
    expect(mismatch.json().error.code).toBe('CONTROL_TOTAL_MISMATCH');
    const noBank = await upload(bytes, '');
    expect(noBank.json().error.code).toBe('BANK_REQUIRED');
    const future = await upload(
      Buffer.from(
        registry('000352', [{ op: '1', account: ACCOUNTS[6]!, amount: '1,00' }]).replace(
          /19-11-2026\r\n$/,
          '21-11-2026\r\n',
        ),
      ),
      'bank=GPB',
    );
    expect(future.json().error.code).toBe('REGISTRY_DATE_IN_FUTURE');
    const anonymous = await app.inject({
      method: 'POST',
      url: '/api/v1/payment-registries?bank=GPB',
      payload: bytes,
    });
    expect(anonymous.statusCode).toBe(401);
    expect(await countRows(t.db, 'payment')).toBe(payments);
    expect(await countRows(t.db, 'payment_registry')).toBe(registries);
  });

  it('the CLI prints the report as a Russian table and lists the registries', async () => {
    const file = `/tmp/${t.name}_sber.csv`;
    writeFileSync(file, encodeCp1251(FIXTURE));
    const again = await runTestCli(t, ['payments', 'import-registry', file, '--bank', 'SBER'], NOW);
    expect(again.code).toBe(0);
    expect(again.out).toContain('уже загружен ранее');
    expect(again.out).toMatch(/Зачислено\s+20\s+29\u00a0679,00\u00a0₽/);
    expect(again.out).toContain('Сверка сходится');
    const vtb = await runTestCli(t, ['payments', 'registries'], NOW);
    expect(vtb.code).toBe(0);
    expect(vtb.out).toMatch(/VTB\s+000349\s+19\.11\.2026/);
    const json = await runTestCli(t, ['payments', 'registries', '--json'], NOW);
    expect(JSON.parse(json.out).map((r: { number: string }) => r.number)).toContain('000346');
    expect((await checkLedger(t.db)).problems).toEqual([]);
  });
});
