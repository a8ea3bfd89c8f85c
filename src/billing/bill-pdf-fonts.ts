/**
 * The bill's fonts (DejaVu Sans, regular and bold: full Cyrillic, ₽, №, ✂), loaded once per process.
 *
 * pdfkit, given a font as bytes, parses it anew for every document (~25 ms for DejaVu Sans), shapes
 * every word anew (fontkit's OpenType layout) and builds each document's font subset by decoding and
 * re-encoding every glyph — together several times the cost of placing the text. pdfkit also accepts
 * an already parsed font (any object with `layout`), so each TTF is read from disk once, parsed once
 * through pdfkit itself (so with pdfkit's own fontkit), and handed to every document behind a proxy
 * that remembers the shaping of each word across documents and writes the per-document subset (only the
 * glyphs used are embedded) from raw bytes (bill-pdf-ttf-subset.ts).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import type { FontName } from './bill-pdf-painter.ts';
import { type GlyphSubset, readTrueType, type TrueTypeSource, writeSubset } from './bill-pdf-ttf-subset.ts';

type FontSource = PDFKit.Mixins.PDFFontSource;

const FONT_FILES: Record<FontName, string> = {
  regular: 'dejavu-fonts-ttf/ttf/DejaVuSans.ttf',
  bold: 'dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf',
};

/** What pdfkit reads of a fontkit glyph run (EmbeddedFont.layoutRun, layout, encode). */
interface GlyphRun {
  glyphs: unknown[];
  positions: Record<string, number>[];
  readonly advanceWidth: number;
}

/** The fontkit font as far as this module touches it. */
interface ParsedFont {
  layout(text: string, features?: unknown): GlyphRun;
  createSubset(): unknown;
}

interface ShapedWord {
  glyphs: unknown[];
  /** xAdvance, yAdvance, xOffset, yOffset per glyph, in font units. */
  positions: Float64Array;
}

/** Words remembered per font; cleared when full, so that names and addresses cannot grow it forever. */
const SHAPED_LIMIT = 50_000;

/** `font.layout` answered from a cache of shaped words; each call returns fresh position objects. */
function rememberingLayout(font: ParsedFont): ParsedFont['layout'] {
  const shaped = new Map<string, ShapedWord>();
  return (text, features) => {
    if (features !== undefined) return font.layout(text, features);
    let word = shaped.get(text);
    if (!word) {
      const run = font.layout(text);
      const packed = new Float64Array(run.positions.length * 4);
      run.positions.forEach((p, i) => {
        packed.set([p.xAdvance ?? 0, p.yAdvance ?? 0, p.xOffset ?? 0, p.yOffset ?? 0], i * 4);
      });
      word = { glyphs: run.glyphs, positions: packed };
      if (shaped.size >= SHAPED_LIMIT) shaped.clear();
      shaped.set(text, word);
    }
    const p = word.positions;
    const positions: Record<string, number>[] = [];
    for (let i = 0; i < p.length; i += 4) {
      positions.push({ xAdvance: p[i]!, yAdvance: p[i + 1]!, xOffset: p[i + 2]!, yOffset: p[i + 3]! });
    }
    return {
      glyphs: word.glyphs,
      positions,
      // pdfkit scales `positions` in place before it reads the width: sum them when asked.
      get advanceWidth() {
        let w = 0;
        for (const q of positions) w += q.xAdvance ?? 0;
        return w;
      },
    };
  };
}

/**
 * The parsed font behind a proxy: `layout` remembers shaped words; `createSubset` gives fontkit's
 * subset (its glyph list and mapping, as pdfkit uses them) whose font file our writer produces.
 */
function billFont(font: ParsedFont, ttf: TrueTypeSource | null): FontSource {
  const layout = rememberingLayout(font);
  const proxy: object = new Proxy(font as object, {
    get(target, key) {
      if (key === 'layout') return layout;
      if (key === 'createSubset' && ttf) {
        return () => {
          const subset = font.createSubset.call(proxy) as GlyphSubset & { encode(): Buffer };
          subset.encode = () => writeSubset(ttf, subset);
          return subset;
        };
      }
      return Reflect.get(target, key, target);
    },
  });
  return proxy as FontSource;
}

/**
 * Parses `bytes` once in a probe document and returns pdfkit's parsed font behind the proxy. Should
 * pdfkit's internals ever differ, the bytes are returned as they are (correct, only slower).
 */
function parseOnce(bytes: Buffer): FontSource {
  const probe = new PDFDocument({ autoFirstPage: false });
  probe.font(bytes);
  const parsed = (probe as unknown as { _font?: { font?: Partial<ParsedFont> } })._font?.font;
  if (typeof parsed?.layout !== 'function' || typeof parsed.createSubset !== 'function') return bytes;
  return billFont(parsed as ParsedFont, readTrueType(bytes));
}

/** Module-level cache: the fonts of this process, read and parsed on first use. */
let fonts: Record<FontName, FontSource> | undefined;

/** The parsed fonts (for a document's registerFont); `useBillFonts` also shares the layout caches. */
export function billFonts(): Record<FontName, FontSource> {
  if (!fonts) {
    const require = createRequire(import.meta.url);
    const read = (file: string) => parseOnce(readFileSync(require.resolve(file)));
    fonts = { regular: read(FONT_FILES.regular), bold: read(FONT_FILES.bold) };
  }
  return fonts;
}

/**
 * pdfkit keeps the laid-out words of each font per document (EmbeddedFont.layoutCache, scaled runs
 * that it only reads afterwards); a bill repeats most words of the one before. Each new document's
 * fonts get the process-wide caches instead, renewed every CACHE_DOCUMENTS documents so that they stay
 * bounded. Without that pdfkit field (another pdfkit version) the document keeps its own cache.
 */
const CACHE_DOCUMENTS = 500;
let sharedLayouts: Record<FontName, object> = { regular: Object.create(null), bold: Object.create(null) };
let documentsOnCache = 0;

export function useBillFonts(pdf: PDFKit.PDFDocument): void {
  const f = billFonts();
  if (++documentsOnCache > CACHE_DOCUMENTS) {
    sharedLayouts = { regular: Object.create(null), bold: Object.create(null) };
    documentsOnCache = 1;
  }
  for (const name of ['regular', 'bold'] as const) {
    pdf.registerFont(name, f[name]);
    pdf.font(name);
    const embedded = (pdf as unknown as { _font?: { layoutCache?: unknown } })._font;
    if (embedded && typeof embedded.layoutCache === 'object' && embedded.layoutCache !== null) {
      embedded.layoutCache = sharedLayouts[name];
    }
  }
}
