/**
 * The tear-off part of the bill (domain.md §8): below a dashed cut line, the account number, payer,
 * address, period and amount due, and for each meter empty boxes for the next readings per zone (zone
 * names, §6.2), a date field and a signature field. Paper tear-offs are entered in batches (§4).
 */
import type { BillDocument } from '../domain/bill-document.ts';
import { BILL_LABELS, formatPeriod, type Lang, money, zoneName } from './bill-pdf-labels.ts';
import { CONTENT_WIDTH, PAGE, type Painter } from './bill-pdf-painter.ts';

const M = PAGE.margin;
const RIGHT = PAGE.width - M;
const ROW_H = 22;
const LEFT_W = 250;
const TITLE_H = 25;
const BOX_X = 105;

function metered(doc: BillDocument) {
  return doc.meters.filter((m) => m.serial !== null);
}

function leftHeight(p: Painter, doc: BillDocument, lang: Lang): number {
  const l = BILL_LABELS[lang];
  const w = LEFT_W - 10;
  const a = doc.account;
  return (
    20 +
    p.measure(`${l.payer}: ${a.payerName}`, w) +
    p.measure(`${l.address}: ${a.address}`, w) +
    2 * p.lineHeight({ font: 'bold' })
  );
}

/** The column title over the boxes: "Новые показания, кВт·ч", or just the unit next to a long serial. */
function boxCaption(p: Painter, serial: string, l: (typeof BILL_LABELS)[Lang]): string {
  const full = `${l.newReading}, ${l.kwh}`;
  const room = RIGHT - (M + LEFT_W) - p.width(l.meter(serial), { font: 'bold' }) - 8;
  return p.width(full) <= room ? full : l.kwh;
}

function rightHeight(doc: BillDocument): number {
  const meters = metered(doc);
  if (meters.length === 0) return 20;
  return meters.reduce((h, m) => h + 16 + Math.max(1, m.zoneNames.length) * ROW_H, 0);
}

/** Height of the tear-off part from the cut line down to the bottom margin. */
export function tearOffHeight(p: Painter, doc: BillDocument, lang: Lang): number {
  return TITLE_H + Math.max(leftHeight(p, doc, lang), rightHeight(doc)) + 4 + p.lineHeight();
}

export function drawTearOff(p: Painter, doc: BillDocument, lang: Lang, top: number): void {
  const l = BILL_LABELS[lang];
  const pdf = p.pdf;
  // The cut line, its caption on a white gap.
  pdf.save();
  pdf
    .moveTo(M - 12, top)
    .lineTo(RIGHT + 12, top)
    .dash(5, { space: 3 })
    .lineWidth(0.8)
    .strokeColor('#000000')
    .stroke();
  pdf.undash();
  pdf.restore();
  const cw = p.width(l.cut) + 12;
  p.box(PAGE.width / 2 - cw / 2, top - 7, cw, 14, { fill: '#ffffff' });
  p.center(l.cut, PAGE.width / 2, top - 6, { color: '#333333' });

  let y = top + 10;
  p.text(l.tearTitle, M, y, { font: 'bold', size: 11 });
  p.right(l.tearHint, RIGHT, y + 1);
  y = top + TITLE_H;

  // Left: whose readings they are.
  const a = doc.account;
  const w = LEFT_W - 10;
  const lw = p.text(`${l.accountNumber} `, M, y + 4);
  p.text(a.number, M + lw, y, { font: 'bold', size: 15 });
  let ly = y + 20;
  ly += p.labelled(l.payer, a.payerName, M, ly, w);
  ly += p.labelled(l.address, a.address, M, ly, w);
  ly += p.labelled(l.period, formatPeriod(doc.period, lang), M, ly, w);
  ly += p.labelled(l.dueShort, money(doc.totals.amountDueKopecks, lang), M, ly, w);

  // Right: empty boxes for the next readings, per meter and zone.
  const x = M + LEFT_W;
  let ry = y;
  const meters = metered(doc);
  if (meters.length === 0) {
    p.text(l.noMeter, x, ry, { font: 'bold' });
    ry += 20;
  }
  for (const m of meters) {
    const serial = m.serial ?? '';
    p.text(l.meter(serial), x, ry, { font: 'bold' });
    p.right(boxCaption(p, serial, l), RIGHT, ry);
    ry += 16;
    const zones = m.zoneNames.length > 0 ? m.zoneNames : ['single' as const];
    zones.forEach((zone, i) => {
      const label = zones.length > 1 ? `${zoneName(zone, lang)} (T${i + 1})` : zoneName(zone, lang);
      p.text(label, x, ry + 4, { size: 11 });
      p.box(x + BOX_X, ry, RIGHT - x - BOX_X, ROW_H - 4, { stroke: '#000000', lineWidth: 0.9 });
      ry += ROW_H;
    });
  }
  const bottom = Math.max(ly, ry) + 4;
  p.text(l.takenOn, M, bottom);
  p.right(l.signature, M + CONTENT_WIDTH, bottom);
}
