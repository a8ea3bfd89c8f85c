/**
 * The bill as a PDF (domain.md §8: "PDF in Russian; the same data as JSON through the API"): one A4
 * page per `BillDocument` (a second page only for unusually many lines), English on request. Text is set
 * in DejaVu Sans (full Cyrillic, ₽ and ✂); the payment QR code (§12) is vector.
 *
 * Speed: the fonts are read, parsed and their words shaped once per process (bill-pdf-fonts.ts); the
 * QR code is a few hundred rectangles in module units (bill-pdf-qr.ts).
 * The output is deterministic: CreationDate is the day the bill was formed, so the same document
 * renders to the same bytes.
 */
import PDFDocument from 'pdfkit';
import type { BillDocument } from '../domain/bill-document.ts';
import { useBillFonts } from './bill-pdf-fonts.ts';
import { BILL_LABELS, formatPeriod, type Lang } from './bill-pdf-labels.ts';
import { drawBill } from './bill-pdf-layout.ts';
import { PAGE, Painter } from './bill-pdf-painter.ts';

export interface BillPdfRenderer {
  /** One bill as a PDF (A4). `lang` overrides the renderer's default language. */
  render(doc: BillDocument, lang?: Lang): Promise<Buffer>;
  /** Several bills in one PDF, each starting on a new page (for printing a run). */
  renderMany(docs: readonly BillDocument[], lang?: Lang): Promise<Buffer>;
}

export interface BillPdfOptions {
  /** Default language of the bills: Russian unless told otherwise (§8). */
  lang?: Lang;
  /**
   * Deflate the PDF streams: about 22 KB a bill instead of about 52 KB, but a quarter fewer bills per
   * second (bench/pdf.bench.ts). Off by default; worth it for long-term storage of rendered files.
   */
  compress?: boolean;
}

/** A new A4 document with the bill fonts registered; no standard font is loaded. */
function newDocument(info: PDFKit.DocumentInfo, compress: boolean): PDFKit.PDFDocument {
  const pdf = new PDFDocument({
    size: 'A4',
    margin: PAGE.margin,
    // Null skips loading Helvetica, which the bill never uses (the typings only allow a name).
    font: null as unknown as string,
    info: { Producer: 'abonent', Creator: 'abonent', ...info },
    autoFirstPage: false,
    compress,
  });
  useBillFonts(pdf);
  return pdf;
}

function collect(pdf: PDFKit.PDFDocument): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });
}

/** Local date 'YYYY-MM-DD' as a Date (midday UTC, so that every time zone sees the same day). */
function dateOf(day: string): Date {
  return new Date(`${day}T12:00:00Z`);
}

function write(
  docs: readonly BillDocument[],
  lang: Lang,
  info: PDFKit.DocumentInfo,
  compress: boolean,
): Promise<Buffer> {
  const pdf = newDocument(info, compress);
  const done = collect(pdf);
  const painter = new Painter(pdf);
  for (const doc of docs) {
    pdf.addPage();
    drawBill(painter, doc, lang);
  }
  if (docs.length === 0) pdf.addPage(); // a PDF has at least one page
  pdf.end();
  return done;
}

export function createBillPdfRenderer(options: BillPdfOptions = {}): BillPdfRenderer {
  const defaultLang = options.lang ?? 'ru';
  const compress = options.compress ?? false;
  const render = (doc: BillDocument, lang: Lang = defaultLang): Promise<Buffer> => {
    const title = BILL_LABELS[lang].docTitle(doc.number, formatPeriod(doc.period, lang));
    const info = { Title: title, Author: doc.payee.name, CreationDate: dateOf(doc.formedOn) };
    return write([doc], lang, info, compress);
  };
  const renderMany = (docs: readonly BillDocument[], lang: Lang = defaultLang): Promise<Buffer> => {
    const first = docs[0];
    if (first && docs.length === 1) return render(first, lang);
    const periods = [...new Set(docs.map((d) => formatPeriod(d.period, lang)))].join(', ');
    const info: PDFKit.DocumentInfo = { Title: `${BILL_LABELS[lang].title}: ${periods}` };
    if (first) Object.assign(info, { Author: first.payee.name, CreationDate: dateOf(first.formedOn) });
    return write(docs, lang, info, compress);
  };
  return { render, renderMany };
}
