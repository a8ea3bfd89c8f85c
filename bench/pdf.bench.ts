import PDFDocument from 'pdfkit';
import { createBillPdfRenderer } from '../src/billing/bill-pdf.ts';
import { billFonts } from '../src/billing/bill-pdf-fonts.ts';
import type { BillDocument } from '../src/domain/bill-document.ts';
import { billSamples } from '../test/support/bill-samples.ts';
import type { Bench } from './harness.ts';
import { timed } from './harness.ts';

/**
 * Bills rendered to PDF per second on one core (domain.md §8): N bills (default 2,000; `--count=N` or
 * PDF_BENCH_COUNT) from the test samples with varied account numbers, rendered one after another in this
 * process. Baseline in the same run: bare pdfkit with the renderer's fonts (read and parsed once) and
 * settings, one line of text per document — the floor any pdfkit bill pays. The database is not used.
 * (`npm run bench -- pdf --count 500` would make bench/run.ts read "500" as a bench name: use `=`.)
 */
function count(): number {
  const argv = process.argv;
  const eq = argv.find((a) => a.startsWith('--count='));
  const i = argv.indexOf('--count');
  const text =
    eq?.slice('--count='.length) ?? (i >= 0 ? argv[i + 1] : undefined) ?? process.env.PDF_BENCH_COUNT;
  const n = Number(text ?? 2000);
  return Number.isInteger(n) && n > 0 ? n : 2000;
}

function documents(n: number): BillDocument[] {
  const docs: BillDocument[] = [];
  for (let i = 0; docs.length < n; i++) {
    for (const s of billSamples({ accountNumber: String(3_000_000_000 + i) })) {
      if (docs.length < n) docs.push(s.doc);
    }
  }
  return docs;
}

/** One line of text on an A4 page with the renderer's fonts and settings: what any pdfkit bill costs. */
async function barePdf(fonts: ReturnType<typeof billFonts>, doc: BillDocument): Promise<Buffer> {
  const pdf = new PDFDocument({ size: 'A4', font: null as unknown as string, compress: false });
  pdf.registerFont('regular', fonts.regular);
  pdf.registerFont('bold', fonts.bold);
  const chunks: Buffer[] = [];
  pdf.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => pdf.on('end', () => resolve(Buffer.concat(chunks))));
  pdf.font('regular').fontSize(10).text(`Счёт № ${doc.number}`, 40, 40, { lineBreak: false });
  pdf.end();
  return done;
}

export default (async ({ log }) => {
  const n = count();
  const docs = documents(n);
  const renderer = createBillPdfRenderer();
  const fonts = billFonts();
  log(`pdf: ${n} bills (${billSamples().length} kinds, varied accounts), one core, sequential`);

  // Warm-up: fonts read and parsed, code optimised; not timed.
  for (const d of docs.slice(0, 50)) {
    await renderer.render(d);
    await barePdf(fonts, d);
  }

  let bytes = 0;
  const cpu0 = process.cpuUsage();
  const billSeconds = await timed(async () => {
    for (const d of docs) bytes += (await renderer.render(d)).length;
  });
  const cpu = process.cpuUsage(cpu0);
  // Per CPU second of this process too: less sensitive to other load on the machine than wall time.
  const perCpuSecond = Math.round((n / ((cpu.user + cpu.system) / 1e6)) * 10) / 10;
  const bareSeconds = await timed(async () => {
    for (const d of docs) await barePdf(fonts, d);
  });

  const value = Math.round((n / billSeconds) * 10) / 10;
  const baseline = Math.round((n / bareSeconds) * 10) / 10;
  const ratio = Math.round((value / baseline) * 1000) / 1000;
  log(
    `bills: ${value} bills/s wall, ${perCpuSecond} per CPU second (${((billSeconds / n) * 1000).toFixed(2)} ms each, ${Math.round(bytes / n)} bytes)`,
  );
  log(`bare pdfkit, same fonts, one line: ${baseline} docs/s; ratio ${ratio}`);
  return {
    bench: 'pdf',
    unit: 'bills/s per core',
    value,
    baseline,
    ratio,
    perCpuSecond,
    bills: n,
    avgBytes: Math.round(bytes / n),
  };
}) satisfies Bench;
