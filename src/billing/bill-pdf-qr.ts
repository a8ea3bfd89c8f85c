/**
 * The payment QR code of a bill (domain.md §12) drawn as vector rectangles: sharp at any print
 * resolution, a few kilobytes, and no raster image to encode. The payload is the GOST R 56042-2014 text
 * of `BillDocument.qr`, encoded by `qrcode` in byte mode as UTF-8 (the payload's flag "2").
 */
import QRCode from 'qrcode';

/** Modules of white space the QR standard asks for around the symbol. */
export const QUIET_ZONE_MODULES = 4;

/**
 * Draws the symbol for `payload` with its top-left quiet-zone corner at (x, y); `side` is the whole
 * square including the quiet zone. The payload goes in as one byte segment (UTF-8, as the "2" flag
 * says), which every bank app reads. Horizontal runs of dark modules become one rectangle each, written
 * in module units under one scaling matrix and filled as one path (no seams between modules when
 * rasterised); the whole symbol is one piece of content, inside its own graphics state.
 */
export function drawQr(pdf: PDFKit.PDFDocument, payload: string, x: number, y: number, side: number): void {
  const { modules } = QRCode.create([{ data: Buffer.from(payload, 'utf8'), mode: 'byte' }], {
    errorCorrectionLevel: 'M',
  });
  const n = modules.size;
  const data = modules.data;
  const m = side / (n + 2 * QUIET_ZONE_MODULES);
  const at = (v: number) => v.toFixed(4);
  const ops: string[] = [
    'q',
    `${at(m)} 0 0 ${at(m)} ${at(x + QUIET_ZONE_MODULES * m)} ${at(y + QUIET_ZONE_MODULES * m)} cm`,
    '0 g',
  ];
  for (let row = 0; row < n; row++) {
    const base = row * n;
    let col = 0;
    while (col < n) {
      if (!data[base + col]) {
        col++;
        continue;
      }
      let end = col + 1;
      while (end < n && data[base + end]) end++;
      ops.push(`${col} ${row} ${end - col} 1 re`);
      col = end;
    }
  }
  ops.push('f', 'Q');
  pdf.addContent(ops.join('\n'));
}
