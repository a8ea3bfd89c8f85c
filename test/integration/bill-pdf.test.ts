import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBillPdfRenderer } from '../../src/billing/bill-pdf.ts';
import type { BillDocument } from '../../src/domain/bill-document.ts';
import { formatMoney } from '../../src/domain/money.ts';
import { formatDate, formatPeriod, ZONE_LABELS } from '../../src/i18n/format.ts';
import { billSamples, manyLinesBill, recalculationBill, threeZoneBill } from '../support/bill-samples.ts';

/**
 * The bill PDF (domain.md §8) read back the way a person and a bank app read it: poppler's pdftotext
 * for the words, pdftoppm + zbarimg for the §12 QR code. These tools are required (poppler-utils,
 * zbar-tools); nothing is skipped without them.
 */
const run = promisify(execFile);
const renderer = createBillPdfRenderer();
let dir = '';
let seq = 0;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'abonent-bill-pdf-'));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function save(pdf: Buffer): Promise<string> {
  const file = path.join(dir, `bill-${++seq}.pdf`);
  await writeFile(file, pdf);
  return file;
}

/** The text of every page, no-break spaces as plain spaces (pdftotext keeps U+00A0). */
async function textOf(pdf: Buffer): Promise<string> {
  const { stdout } = await run('pdftotext', ['-layout', '-enc', 'UTF-8', await save(pdf), '-']);
  return stdout.replace(/\u00a0/g, ' ');
}

async function infoOf(pdf: Buffer): Promise<Record<string, string>> {
  const { stdout } = await run('pdfinfo', ['-enc', 'UTF-8', await save(pdf)]);
  const info: Record<string, string> = {};
  for (const line of stdout.split('\n')) {
    const m = /^([^:]+):\s*(.*)$/.exec(line);
    if (m) info[m[1]!] = m[2]!;
  }
  return info;
}

/**
 * Every QR symbol on the pages, as zbarimg decodes them from a 150 dpi rasterisation. `-Sbinary` makes
 * zbar print the symbol's bytes as they are (no charset guess, no newline): the payload is UTF-8 (the
 * "2" flag of §12), decoded strictly here.
 */
async function qrCodesOf(pdf: Buffer): Promise<string[]> {
  const file = await save(pdf);
  const prefix = file.replace(/\.pdf$/, '');
  await run('pdftoppm', ['-r', '150', '-png', file, prefix]);
  const pngs = (await readdir(dir)).filter((f) => f.startsWith(path.basename(prefix)) && f.endsWith('.png'));
  const codes: string[] = [];
  for (const png of pngs.sort()) {
    try {
      const { stdout } = await run('zbarimg', ['--raw', '-q', '-Sbinary', path.join(dir, png)], {
        encoding: 'buffer',
      });
      codes.push(new TextDecoder('utf-8', { fatal: true }).decode(stdout));
    } catch (error) {
      // zbarimg exits with 4 when a page has no symbol.
      if ((error as { code?: number }).code !== 4) throw error;
    }
  }
  return codes;
}

function zoneNames(doc: BillDocument): string[] {
  const zones = [...doc.meters.flatMap((m) => m.zoneNames), ...doc.lines.map((l) => l.zone)];
  return [...new Set(zones)].map((z) => ZONE_LABELS[z]!.ru);
}

describe('bill PDF', () => {
  for (const { name, doc } of billSamples()) {
    it(`${name}: A4 (one page; the 12-line stress bill two) with the account, amount, due date, zones, and the exact QR payload`, async () => {
      const pdf = await renderer.render(doc);
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');

      const info = await infoOf(pdf);
      expect(info.Pages).toBe(name === 'many-lines' ? '2' : '1');
      expect(info['Page size']).toMatch(/^595\.2\d* x 841\.8\d* pts \(A4\)/);
      expect(info.Title).toBe(`Счёт № ${doc.number} за ${formatPeriod(doc.period, 'ru')}`);
      expect(info.Author).toBe(doc.payee.name);

      const text = await textOf(pdf);
      expect(text).toContain(doc.account.number);
      expect(text).toContain(formatMoney(doc.totals.amountDueKopecks).replace(/\u00a0/g, ' '));
      expect(text).toContain(formatDate(doc.dueDate, 'ru'));
      for (const zone of zoneNames(doc)) expect(text).toContain(zone);
      expect(text).toContain('линия отреза');

      const codes = await qrCodesOf(pdf);
      if (doc.qr) expect(codes).toEqual([doc.qr]);
      else {
        expect(codes).toEqual([]);
        expect(text).toContain('QR-код для оплаты не сформирован');
      }
    });
  }

  it('names the periods a recalculation corrects (§6.4) and prints penalties on their own line', async () => {
    const doc = recalculationBill();
    const text = await textOf(await renderer.render(doc));
    expect(text).toMatch(/Перерасчёт за январь – март[^\n]*\n\s*2026 г\. по показаниям/);
    expect(text).toMatch(/Пени\s+15,37 ₽/);
    expect(text).toContain(doc.notices[0]!.text.slice(0, 40));
    // The payee's name holds '|': the QR payload took another separator, and it decodes exactly.
    expect(doc.qr?.charAt(7)).not.toBe('|');
    expect(await qrCodesOf(await renderer.render(doc))).toEqual([doc.qr]);
  });

  it('prints the E6 figures: per-zone names, volumes, tariffs and 1,790.70 in all', async () => {
    const text = await textOf(await renderer.render(threeZoneBill()));
    expect(text).toMatch(/пик \(T1\)\s+60\s+11,24\s+674,40/);
    expect(text).toMatch(/ночь \(T2\)\s+100\s+4,08\s+408,00/);
    expect(text).toMatch(/полупик \(T3\)\s+90\s+7,87\s+708,30/);
    expect(text).toMatch(/Итого начислено за период\s+1 790,70/);
    expect(text).toContain('Оплатить до 10 ноября 2025 г.');
    expect(text).toContain('фактические показания');
  });

  it('renders the same document to the same text and the same bytes', async () => {
    const doc = threeZoneBill();
    const [a, b] = [await renderer.render(doc), await renderer.render(doc)];
    expect(await textOf(a)).toBe(await textOf(b));
    expect(a.equals(b)).toBe(true);
  });

  it('speaks English on request', async () => {
    const doc = threeZoneBill();
    const text = await textOf(await renderer.render(doc, 'en'));
    expect(text).toContain('Amount due');
    expect(text).toContain('RUB 1,790.70');
    expect(text).toContain('peak (T1)');
    expect(text).not.toContain('ИТОГО');
    const english = createBillPdfRenderer({ lang: 'en' });
    expect(await textOf(await english.render(doc))).toContain('Pay by 10 November 2025');
  });

  it('continues a long bill on a second page, the tear-off once at the foot of the last', async () => {
    const base = manyLinesBill();
    const doc = { ...base, lines: [...base.lines, ...base.lines, ...base.lines.slice(0, 6)] };
    const pdf = await renderer.render(doc);
    expect((await infoOf(pdf)).Pages).toBe('2');
    const pages = (await textOf(pdf)).split('\f');
    expect(pages[0]).not.toContain('линия отреза');
    expect(pages[1]).toContain('линия отреза');
    expect(pages[1]).toContain('Вид начисления'); // the table header again on the new page
    expect(await qrCodesOf(pdf)).toEqual([doc.qr]);
  });

  it('compresses on request: a smaller file with the same text and QR code', async () => {
    const doc = threeZoneBill();
    const plain = await renderer.render(doc);
    const compressed = await createBillPdfRenderer({ compress: true }).render(doc);
    expect(compressed.length).toBeLessThan(plain.length * 0.6);
    expect(await textOf(compressed)).toBe(await textOf(plain));
    expect(await qrCodesOf(compressed)).toEqual([doc.qr]);
  });

  it('puts several bills into one PDF, one per page', async () => {
    const docs = billSamples().map((s) => s.doc);
    const pdf = await renderer.renderMany(docs.slice(0, 3));
    expect((await infoOf(pdf)).Pages).toBe('3');
    const text = await textOf(pdf);
    for (const d of docs.slice(0, 3)) expect(text).toContain(d.account.number);
  });
});
