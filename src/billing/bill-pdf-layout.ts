/**
 * The page of a bill (domain.md §8, 354 p.69): payee and bank details, the amount due and the due date
 * big at the top, payer and account, meter readings per zone with their source, the charge lines
 * (recalculations naming the periods they correct, §6.4), common needs (§7), the money summary with
 * penalties on their own line (§10), notices (§11), the payment QR code (§12), and a tear-off part with
 * empty boxes for the next readings at the foot of the last page.
 */
import type { BillDocument, BillMeterBlock, BillReadingPoint } from '../domain/bill-document.ts';
import { CUT_GAP, ensure, type Flow, GAP, M, RIGHT, tableRow } from './bill-pdf-flow.ts';
import {
  BILL_LABELS,
  type BillLabels,
  formatCentiM2,
  formatDate,
  formatDecimal,
  formatKwh,
  formatPeriod,
  formatShortDate,
  type Lang,
  lineKindText,
  lineNotes,
  money,
  zoneName,
} from './bill-pdf-labels.ts';
import {
  type Cell,
  CONTENT_WIDTH,
  type Column,
  PAGE,
  type Painter,
  SHADE_COLOR,
} from './bill-pdf-painter.ts';
import { drawTearOff, tearOffHeight } from './bill-pdf-tear-off.ts';
import { notices, totalsAndQr } from './bill-pdf-totals.ts';

/** Payee, bank details and contacts on the left; the amount due and due date framed on the right. */
function header(f: Flow): void {
  const { p, doc, l, lang } = f;
  const payee = doc.payee;
  const boxW = 210;
  const boxH = 66;
  const leftW = CONTENT_WIDTH - boxW - 12;
  let y = M;
  const join = (parts: (string | null | false)[]) => parts.filter(Boolean).join(' · ');
  const ids = join([payee.inn && `${l.inn} ${payee.inn}`, payee.kpp && `${l.kpp} ${payee.kpp}`]);
  // INN and KPP follow a short name on its line, else get their own.
  const nameW = p.width(payee.name, { font: 'bold', size: 12 });
  const idsInline = ids !== '' && nameW + 10 + p.width(ids) <= leftW;
  y += p.wrap(payee.name, M, y, leftW, { font: 'bold', size: 12 });
  if (idsInline) p.text(ids, M + nameW + 10, y - p.lineHeight({ font: 'bold', size: 12 }) + 1.5);
  const lines = [
    idsInline ? '' : ids,
    payee.personalAcc
      ? `${l.bankAccount} ${payee.personalAcc}${payee.bankName ? ` ${l.bankIn} ${payee.bankName}` : ''}`
      : '',
    join([
      payee.bic && `${l.bic} ${payee.bic}`,
      payee.correspAcc && `${l.correspAccount} ${payee.correspAcc}`,
    ]),
    payee.address ?? '',
    join([payee.phone && `${l.phone} ${payee.phone}`, payee.email && `${l.email}: ${payee.email}`]),
  ];
  for (const line of lines) if (line) y += p.wrap(line, M, y, leftW);

  // The amount due and the due date: the two things every payer looks for first.
  const bx = RIGHT - boxW;
  const cx = bx + boxW / 2;
  p.box(bx, M, boxW, boxH, { stroke: '#000000', lineWidth: 1.6 });
  p.center(l.amountDue, cx, M + 5, { font: 'bold', size: 10.5 });
  p.center(money(doc.totals.amountDueKopecks, lang), cx, M + 18, { font: 'bold', size: 22 });
  const payBy = l.payBy(formatDate(doc.dueDate, lang));
  const size = p.width(payBy, { font: 'bold', size: 11 }) <= boxW - 8 ? 11 : 10;
  p.center(payBy, cx, M + 47, { font: 'bold', size });
  f.y = Math.max(y, M + boxH) + GAP;
}

/** The document's title, number, version, period and date formed; then the payer. */
function titleAndPayer(f: Flow): void {
  const { p, doc, l, lang } = f;
  const bandH = 29;
  p.box(M, f.y, CONTENT_WIDTH, bandH, { fill: SHADE_COLOR });
  p.text(l.title, M + 6, f.y + 2.5, { font: 'bold', size: 11 });
  const period = l.forPeriod(formatPeriod(doc.period, lang));
  const pw = p.text(period, M + 6, f.y + 15.5, { font: 'bold' });
  let rest = ` · ${l.numberLine(doc.number, doc.version, formatDate(doc.formedOn, lang))}`;
  if (pw + p.width(rest) > CONTENT_WIDTH - 12) {
    rest = ` · ${l.numberLine(doc.number, doc.version, formatShortDate(doc.formedOn))}`;
  }
  p.text(rest, M + 6 + pw, f.y + 15.5);
  f.y += bandH + 6;

  const a = doc.account;
  const leftW = 150;
  p.text(l.account, M, f.y);
  p.text(a.number, M, f.y + 12, { font: 'bold', size: 18 });
  const x = M + leftW + 8;
  const w = RIGHT - x;
  let y = f.y;
  y += p.labelled(l.payer, a.payerName, x, y, w);
  y += p.labelled(l.address, a.address, x, y, w);
  y += p.wrap(l.premises(formatDecimal(a.areaM2, lang), a.rooms, a.residents), x, y, w);
  y += p.labelled(l.tariffCategory, l.categories[a.tariffCategory], x, y, w);
  f.y = Math.max(y, f.y + 36) + GAP;
}

function pointHeader(title: string, point: BillReadingPoint | null, l: BillLabels): string {
  const kind = point ? l.pointKinds[point.kind] : '';
  return [title, point?.takenOn ? formatShortDate(point.takenOn) : '', kind ? `(${kind})` : '']
    .filter(Boolean)
    .join(' ');
}

/** §8 readings used: previous and current per zone (zone names, §6.2), their dates and the source. */
function meterBlock(f: Flow, m: BillMeterBlock): void {
  const { p, l, lang } = f;
  const rule = l.rules[m.rule];
  const what = m.serial
    ? `${l.meter(m.serial)} (${l.zoneCount(Math.max(1, m.zoneNames.length))})`
    : l.noMeter;
  const source = `${l.sources[m.source]}${rule ? ` (${rule})` : ''}`;
  const info = ` · ${l.volumeSource.toLowerCase()}: ${source} · ${l.total.toLowerCase()} ${formatKwh(m.totalWh, lang)} ${l.kwh}`;
  ensure(f, 50);
  f.y += p.lead(what, info, M, f.y, CONTENT_WIDTH) + 2;
  if (m.zoneNames.length === 0) {
    f.y += GAP - 2;
    return;
  }
  const columns: Column[] = [
    { width: CONTENT_WIDTH - 405 },
    { width: 155, align: 'right' },
    { width: 155, align: 'right' },
    { width: 95, align: 'right' },
  ];
  const rows: Cell[][] = m.zoneNames.map((zone, i) => {
    const prev = m.previous?.valuesWh[i];
    const cur = m.current?.valuesWh[i];
    const used = m.zonesWh[i];
    return [
      { lines: [m.zoneNames.length > 1 ? `${zoneName(zone, lang)} (T${i + 1})` : zoneName(zone, lang)] },
      { lines: [prev === undefined ? l.noReading : formatKwh(prev, lang)] },
      { lines: [cur === undefined ? l.noReading : formatKwh(cur, lang)] },
      { lines: [used === undefined ? l.noReading : formatKwh(used, lang)], bold: true },
    ];
  });
  if (m.singleRateWh !== 0) {
    rows.push([
      { lines: [l.singleRateVolume] },
      { lines: [''] },
      { lines: [''] },
      { lines: [formatKwh(m.singleRateWh, lang)], bold: true },
    ]);
  }
  const head: Cell[] = [
    { lines: [l.zone], bold: true },
    { lines: [pointHeader(l.previous, m.previous, l)], bold: true },
    { lines: [pointHeader(l.current, m.current, l)], bold: true },
    { lines: [l.consumption], bold: true },
  ];
  ensure(f, p.rowHeight(columns, head) * 2);
  f.y += p.row(columns, head, M, f.y, true);
  for (const r of rows) tableRow(f, columns, head, r);
  f.y += GAP;
}

/** §8 charge lines: one row per `lines[]` entry, then the period's total. */
function charges(f: Flow): void {
  const { p, doc, l, lang } = f;
  const columns: Column[] = [
    { width: 203 },
    { width: 87 },
    { width: 83, align: 'right' },
    { width: 93, align: 'right' },
    { width: CONTENT_WIDTH - 466, align: 'right' },
  ];
  const head: Cell[] = [
    { lines: [l.service], bold: true },
    { lines: [l.zone], bold: true },
    { lines: [l.volume], bold: true },
    { lines: [l.tariff], bold: true },
    { lines: [l.amount], bold: true },
  ];
  ensure(f, p.rowHeight(columns, head) * 2);
  f.y += p.row(columns, head, M, f.y, true);
  for (const line of doc.lines) {
    const notes = lineNotes(line, doc.period, lang);
    const kind = lineKindText(line, doc.period, lang);
    const zone = zoneName(line.zone, lang);
    const cells: Cell[] = [
      { lines: notes.length > 0 ? [`${kind.join(' ')}, ${notes.join(', ')}`] : kind },
      { lines: [line.register ? `${zone} (T${line.register})` : zone] },
      { lines: [formatKwh(line.volumeWh, lang)] },
      { lines: [money(line.priceKopecksPerKwh, lang, false)] },
      { lines: [money(line.amountKopecks, lang, false)], bold: true },
    ];
    tableRow(f, columns, head, cells);
  }
  const total: Cell[] = [
    { lines: [l.chargedTotal], bold: true },
    { lines: [''] },
    { lines: [''] },
    { lines: [''] },
    { lines: [money(doc.totals.chargedKopecks, lang, false)], bold: true },
  ];
  tableRow(f, columns, head, total, true);
  f.y += GAP;
}

/** §7 how the common-needs share was found. */
function commonNeeds(f: Flow): void {
  const { p, doc, l, lang } = f;
  const cn = doc.commonNeeds;
  if (!cn) return;
  let text = `${l.commonNeeds(
    formatKwh(cn.houseVolumeWh, lang),
    cn.method,
    formatCentiM2(cn.premisesAreaCentiM2, lang),
    formatCentiM2(cn.totalAreaCentiM2, lang),
    formatCentiM2(cn.commonAreaCentiM2, lang),
  )}; ${l.commonShare(formatKwh(cn.shareWh, lang))}`;
  if (cn.mode === 'capped' && cn.capWh !== null) text += ` (${l.commonCapped(formatKwh(cn.capWh, lang))})`;
  if (cn.negativeWh !== 0) text += `; ${l.commonNegative(formatKwh(-Math.abs(cn.negativeWh), lang))}`;
  text += '.';
  const lead = `${l.commonNeedsTitle}: `;
  ensure(f, p.measure(lead + text, CONTENT_WIDTH - 6));
  f.y += p.paragraph(lead, text, M, f.y, CONTENT_WIDTH) + GAP;
}

/** Draws one bill starting on the document's current (fresh) page. */
export function drawBill(p: Painter, doc: BillDocument, lang: Lang): void {
  p.reset();
  const tearTop = PAGE.height - M - tearOffHeight(p, doc, lang);
  const f: Flow = { p, doc, lang, l: BILL_LABELS[lang], y: M, limit: tearTop - CUT_GAP };
  header(f);
  titleAndPayer(f);
  for (const m of doc.meters) meterBlock(f, m);
  charges(f);
  commonNeeds(f);
  totalsAndQr(f);
  notices(f);
  drawTearOff(p, doc, lang, tearTop);
}
