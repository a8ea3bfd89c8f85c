/**
 * A TrueType subset writer for the bill fonts (domain.md §8, PDF). pdfkit embeds in every document a
 * subset of each font with the glyphs it used; fontkit builds it by decoding every glyph's outline and
 * re-encoding the tables field by field, which costs more than laying out the whole bill. This writer
 * copies raw bytes from the font file, read once per process.
 *
 * Tables written: glyf, head, hhea, hmtx, loca (long), maxp — what a PDF reader needs of an embedded
 * TrueType font (ISO 32000-1 §9.9). Hinting is left out (the glyphs' instructions and the cvt, fpgm
 * and prep programs): PDF viewers and printers render embedded TrueType unhinted, and without it the
 * embedded fonts are a third of the size. Compound glyphs pull in their components, renumbered.
 */

interface TableRecord {
  offset: number;
  length: number;
}

export interface TrueTypeSource {
  bytes: Buffer;
  tables: Map<string, TableRecord>;
  /** Glyph data offsets into the glyf table, numGlyphs + 1 entries. */
  loca: Uint32Array;
  numberOfHMetrics: number;
}

/** The part of a fontkit subset the writer uses: the glyph list in subset order and the mapping. */
export interface GlyphSubset {
  glyphs: number[];
  includeGlyph(glyph: number): number;
}

const REQUIRED = ['head', 'hhea', 'hmtx', 'loca', 'maxp', 'glyf'] as const;

/** Reads a TrueType font's table directory and its glyph locations; null when it is not one we handle. */
export function readTrueType(bytes: Buffer): TrueTypeSource | null {
  const version = bytes.readUInt32BE(0);
  if (version !== 0x00010000 && version !== 0x74727565) return null;
  const tables = new Map<string, TableRecord>();
  const numTables = bytes.readUInt16BE(4);
  for (let i = 0; i < numTables; i++) {
    const at = 12 + i * 16;
    tables.set(bytes.toString('latin1', at, at + 4), {
      offset: bytes.readUInt32BE(at + 8),
      length: bytes.readUInt32BE(at + 12),
    });
  }
  if (REQUIRED.some((t) => !tables.has(t))) return null;
  const head = tables.get('head')!;
  const longLoca = bytes.readInt16BE(head.offset + 50) === 1;
  const numGlyphs = bytes.readUInt16BE(tables.get('maxp')!.offset + 4);
  const locaTable = tables.get('loca')!;
  const loca = new Uint32Array(numGlyphs + 1);
  for (let g = 0; g <= numGlyphs; g++) {
    loca[g] = longLoca
      ? bytes.readUInt32BE(locaTable.offset + g * 4)
      : bytes.readUInt16BE(locaTable.offset + g * 2) * 2;
  }
  const numberOfHMetrics = bytes.readUInt16BE(tables.get('hhea')!.offset + 34);
  return { bytes, tables, loca, numberOfHMetrics };
}

function table(src: TrueTypeSource, tag: string): Buffer {
  const t = src.tables.get(tag);
  return t ? src.bytes.subarray(t.offset, t.offset + t.length) : Buffer.alloc(0);
}

/** Component flags of a compound glyph (OpenType glyf). */
const ARG_WORDS = 0x0001;
const HAVE_SCALE = 0x0008;
const MORE_COMPONENTS = 0x0020;
const XY_SCALE = 0x0040;
const TWO_BY_TWO = 0x0080;
const HAVE_INSTRUCTIONS = 0x0100;

/** The glyph's bytes, its compound components renumbered into the subset (which may grow). */
function glyphBytes(src: TrueTypeSource, gid: number, subset: GlyphSubset): Buffer {
  const glyf = src.tables.get('glyf')!;
  const start = glyf.offset + (src.loca[gid] ?? 0);
  const end = glyf.offset + (src.loca[gid + 1] ?? 0);
  if (end <= start) return Buffer.alloc(0);
  const raw = src.bytes.subarray(start, end);
  const contours = raw.readInt16BE(0);
  if (contours >= 0) {
    // Simple glyph: header, end points, then the instructions, dropped, then flags and coordinates.
    const at = 10 + 2 * contours;
    const length = raw.readUInt16BE(at);
    if (length === 0) return raw;
    const out = Buffer.alloc(raw.length - length);
    raw.copy(out, 0, 0, at + 2);
    out.writeUInt16BE(0, at);
    raw.copy(out, at + 2, at + 2 + length);
    return out;
  }
  const out = Buffer.from(raw);
  let pos = 10;
  for (;;) {
    const flags = out.readUInt16BE(pos);
    out.writeUInt16BE(flags & ~HAVE_INSTRUCTIONS, pos);
    out.writeUInt16BE(subset.includeGlyph(out.readUInt16BE(pos + 2)), pos + 2);
    pos += 4 + (flags & ARG_WORDS ? 4 : 2);
    if (flags & HAVE_SCALE) pos += 2;
    else if (flags & XY_SCALE) pos += 4;
    else if (flags & TWO_BY_TWO) pos += 8;
    if (!(flags & MORE_COMPONENTS)) break;
  }
  // The compound's own instructions, if any, follow the last component: dropped with the flag.
  return out.subarray(0, pos);
}

function checksum(data: Buffer): number {
  let sum = 0;
  const whole = data.length & ~3;
  for (let i = 0; i < whole; i += 4) sum = (sum + data.readUInt32BE(i)) >>> 0;
  if (whole < data.length) {
    const tail = Buffer.alloc(4);
    data.copy(tail, 0, whole);
    sum = (sum + tail.readUInt32BE(0)) >>> 0;
  }
  return sum;
}

/** The subset font file for `subset.glyphs` (in that order; compound components are appended). */
export function writeSubset(src: TrueTypeSource, subset: GlyphSubset): Buffer {
  const glyphs: Buffer[] = [];
  const hmtx: number[] = [];
  const hmtxSrc = src.tables.get('hmtx')!.offset;
  const lastAdvance = src.bytes.readUInt16BE(hmtxSrc + (src.numberOfHMetrics - 1) * 4);
  for (let i = 0; i < subset.glyphs.length; i++) {
    const gid = subset.glyphs[i]!;
    glyphs.push(glyphBytes(src, gid, subset));
    const long = gid < src.numberOfHMetrics;
    const advance = long ? src.bytes.readUInt16BE(hmtxSrc + gid * 4) : lastAdvance;
    const lsbAt = long
      ? hmtxSrc + gid * 4 + 2
      : hmtxSrc + src.numberOfHMetrics * 4 + (gid - src.numberOfHMetrics) * 2;
    hmtx.push(advance, src.bytes.readInt16BE(lsbAt));
  }
  const n = glyphs.length;
  // Glyph data padded to 4 bytes each (long loca offsets need no alignment, but readers like it).
  const loca = Buffer.alloc((n + 1) * 4);
  let offset = 0;
  const padded: Buffer[] = [];
  glyphs.forEach((g, i) => {
    loca.writeUInt32BE(offset, i * 4);
    padded.push(g);
    const pad = (4 - (g.length % 4)) % 4;
    if (pad) padded.push(Buffer.alloc(pad));
    offset += g.length + pad;
  });
  loca.writeUInt32BE(offset, n * 4);
  const hmtxOut = Buffer.alloc(n * 4);
  for (let i = 0; i < n; i++) {
    hmtxOut.writeUInt16BE(hmtx[i * 2]!, i * 4);
    hmtxOut.writeInt16BE(hmtx[i * 2 + 1]!, i * 4 + 2);
  }
  const head = Buffer.from(table(src, 'head'));
  head.writeUInt32BE(0, 8); // checkSumAdjustment, set below
  head.writeInt16BE(1, 50); // indexToLocFormat: long
  const hhea = Buffer.from(table(src, 'hhea'));
  hhea.writeUInt16BE(n, 34);
  const maxp = Buffer.from(table(src, 'maxp'));
  maxp.writeUInt16BE(n, 4);
  const out = new Map<string, Buffer>([
    ['head', head],
    ['hhea', hhea],
    ['hmtx', hmtxOut],
    ['loca', loca],
    ['maxp', maxp],
    ['glyf', Buffer.concat(padded)],
  ]);
  return assemble(out);
}

/** The sfnt file: offset table, table records sorted by tag, 4-byte aligned tables, head checksum. */
function assemble(tables: Map<string, Buffer>): Buffer {
  const tags = [...tables.keys()].sort();
  const numTables = tags.length;
  const entrySelector = Math.floor(Math.log2(numTables));
  const searchRange = 2 ** entrySelector * 16;
  const headerLength = 12 + numTables * 16;
  const header = Buffer.alloc(headerLength);
  header.writeUInt32BE(0x00010000, 0);
  header.writeUInt16BE(numTables, 4);
  header.writeUInt16BE(searchRange, 6);
  header.writeUInt16BE(entrySelector, 8);
  header.writeUInt16BE(numTables * 16 - searchRange, 10);
  const parts: Buffer[] = [header];
  let offset = headerLength;
  tags.forEach((tag, i) => {
    const data = tables.get(tag)!;
    const at = 12 + i * 16;
    header.write(tag, at, 'latin1');
    header.writeUInt32BE(checksum(data), at + 4);
    header.writeUInt32BE(offset, at + 8);
    header.writeUInt32BE(data.length, at + 12);
    parts.push(data);
    const pad = (4 - (data.length % 4)) % 4;
    if (pad) parts.push(Buffer.alloc(pad));
    offset += data.length + pad;
  });
  const file = Buffer.concat(parts);
  const headAt = header.readUInt32BE(12 + tags.indexOf('head') * 16 + 8);
  file.writeUInt32BE((0xb1b0afba - checksum(file)) >>> 0, headAt + 8);
  return file;
}
