/**
 * The running position of a bill being drawn (domain.md §8): page breaks above the tear-off, table rows
 * that repeat their header on a new page.
 */
import type { BillDocument } from '../domain/bill-document.ts';
import { type BillLabels, formatPeriod, type Lang } from './bill-pdf-labels.ts';
import { type Cell, type Column, PAGE, type Painter } from './bill-pdf-painter.ts';

export const M = PAGE.margin;
export const RIGHT = PAGE.width - M;
export const GAP = 6;
/** Space kept between the body and the cut line. */
export const CUT_GAP = 12;

export interface Flow {
  p: Painter;
  doc: BillDocument;
  lang: Lang;
  l: BillLabels;
  y: number;
  /** Lowest y the body may reach on this page (the tear-off sits below it on the last page). */
  limit: number;
}

/** Starts a new page when `height` does not fit above the tear-off; true when it did. */
export function ensure(f: Flow, height: number): boolean {
  if (f.y + height <= f.limit) return false;
  f.p.pdf.addPage();
  f.p.reset();
  f.y = M;
  const title = f.l.docTitle(f.doc.number, formatPeriod(f.doc.period, f.lang));
  f.p.text(`${title} · ${f.doc.account.number}`, M, f.y, { color: '#444444' });
  f.y += 18;
  return true;
}

/** A table row, after the header row again when the row starts a new page. */
export function tableRow(
  f: Flow,
  columns: readonly Column[],
  head: readonly Cell[],
  cells: readonly Cell[],
  shade = false,
) {
  if (ensure(f, f.p.rowHeight(columns, cells))) f.y += f.p.row(columns, head, M, f.y, true);
  f.y += f.p.row(columns, cells, M, f.y, shade);
}
