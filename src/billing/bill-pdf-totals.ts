/**
 * The money part of the bill (domain.md §8): balance brought forward, payments, charges, penalties on
 * their own line (§10), the amount due and due date; the payment QR code beside it (§12), or a note
 * when the payee's bank details are missing; then the notices (§11) in a frame.
 */

import { ensure, type Flow, GAP, M, RIGHT } from './bill-pdf-flow.ts';
import { formatDate, money } from './bill-pdf-labels.ts';
import { CONTENT_WIDTH } from './bill-pdf-painter.ts';
import { drawQr } from './bill-pdf-qr.ts';

/** 43 mm square with the quiet zone: the symbol itself is about 38–40 mm (§12). */
const QR_SIDE = (43 / 25.4) * 72;

/** The money summary (balance, payments, charges, penalties, amount due, due date) and the QR code. */
export function totalsAndQr(f: Flow): void {
  const { p, doc, l, lang } = f;
  const t = doc.totals;
  const rows: [string, number][] = [
    [t.balanceForwardKopecks < 0 ? l.creditForward : l.debtForward, t.balanceForwardKopecks],
    [l.payments, t.paymentsKopecks],
    [l.charged, t.consumptionKopecks],
    [l.recalculationTotal, t.recalculationKopecks],
  ];
  if (doc.commonNeeds || t.commonNeedsKopecks !== 0) rows.push([l.commonNeedsTotal, t.commonNeedsKopecks]);
  rows.push([l.penalties, t.penaltiesKopecks]);
  const rowH = 13.5;
  const w = 296;
  const owed = t.balanceForwardKopecks - t.paymentsKopecks + t.chargedKopecks + t.penaltiesKopecks;
  const overpaid = owed < 0 ? l.overpaid(money(-owed, lang)) : '';
  const leftH = rows.length * rowH + 42 + (overpaid ? p.measure(overpaid, w) : 0);
  ensure(f, Math.max(leftH, QR_SIDE));
  const top = f.y;
  let y = top;
  for (const [label, kopecks] of rows) {
    p.text(label, M, y);
    p.right(money(kopecks, lang), M + w, y, { font: 'bold' });
    p.hline(M, M + w, y + rowH - 2, '#c8c8c8', 0.4);
    y += rowH;
  }
  y += 3;
  p.box(M, y, w, 38, { stroke: '#000000', lineWidth: 1.4 });
  p.text(l.toPay, M + 6, y + 4, { font: 'bold', size: 12.5 });
  p.right(money(t.amountDueKopecks, lang), M + w - 6, y + 3, { font: 'bold', size: 14 });
  p.text(l.payBy(formatDate(doc.dueDate, lang)), M + 6, y + 21, { font: 'bold', size: 11 });
  y += 42;
  if (overpaid) y += p.wrap(overpaid, M, y, w);

  // §12: the QR code at the right, ≈ 40 mm, its caption beside it; or a note when bank details lack.
  const qx = RIGHT - QR_SIDE;
  const captionX = M + w + 10;
  const captionW = qx - captionX - 4;
  if (doc.qr) {
    drawQr(p.pdf, doc.qr, qx, top, QR_SIDE);
    const ch = p.measure(l.qrCaption, captionW);
    p.wrap(l.qrCaption, captionX, top + QR_SIDE - ch - 8, captionW, {}, 'right');
    y = Math.max(y, top + QR_SIDE);
  } else {
    const noteW = RIGHT - captionX;
    const h = p.measure(l.qrMissing, noteW - 12);
    p.box(captionX, top, noteW, h + 10, { stroke: '#000000' });
    p.wrap(l.qrMissing, captionX + 6, top + 5, noteW - 12);
    y = Math.max(y, top + h + 10);
  }
  f.y = y + GAP;
}

/** §11 notices (the debt notice and the like), framed so that they are not missed. */
export function notices(f: Flow): void {
  const { p, doc, l } = f;
  if (doc.notices.length === 0) return;
  const w = CONTENT_WIDTH - 16;
  let h = p.lineHeight({ font: 'bold' });
  for (const n of doc.notices) h += p.measure(n.text, w);
  ensure(f, h + 10);
  p.box(M, f.y, CONTENT_WIDTH, h + 10, { stroke: '#000000', lineWidth: 1.2 });
  let y = f.y + 5;
  y += p.wrap(l.notices, M + 8, y, w, { font: 'bold' });
  for (const n of doc.notices) y += p.wrap(n.text, M + 8, y, w);
  f.y += h + 10 + GAP;
}
