/**
 * A thin drawing layer over pdfkit for the bill (domain.md §8): text at explicit positions (the fast
 * path, no line wrapper), wrapped text where a value may be long, and simple ruled tables. It keeps the
 * current font and size so that pdfkit is asked to switch only when they change.
 */

export type FontName = 'regular' | 'bold';

export interface TextStyle {
  font?: FontName;
  size?: number;
  color?: string;
}

export interface Cell {
  /** One or more paragraphs; each wraps within the column when too wide. */
  lines: string[];
  bold?: boolean;
  size?: number;
}

export interface Column {
  width: number;
  align?: 'left' | 'right' | 'center';
}

export const PAGE = { width: 595.28, height: 841.89, margin: 28 } as const;
export const CONTENT_WIDTH = PAGE.width - 2 * PAGE.margin;
export const BODY_SIZE = 10;
const LINE_GAP = 1;
const CELL_PAD_X = 3;
const CELL_PAD_Y = 1.3;
export const RULE_COLOR = '#8a8a8a';
export const SHADE_COLOR = '#e6e6e6';

/**
 * Widths of strings per font and size, shared by every document of the process (a width depends only on
 * the font, the size and the text). Cleared when full: names and addresses must not grow it forever.
 */
const widths = new Map<string, number>();
const WIDTHS_LIMIT = 50_000;

export class Painter {
  private font: FontName | null = null;
  private size = 0;
  private color = '';

  constructor(readonly pdf: PDFKit.PDFDocument) {}

  /** Selects font, size and colour, calling pdfkit only for what changes. */
  use(style: TextStyle = {}): void {
    const font = style.font ?? 'regular';
    const size = style.size ?? BODY_SIZE;
    const color = style.color ?? '#000000';
    if (font !== this.font) {
      this.pdf.font(font);
      this.font = font;
      this.size = 0;
    }
    if (size !== this.size) {
      this.pdf.fontSize(size);
      this.size = size;
    }
    if (color !== this.color) {
      this.pdf.fillColor(color);
      this.color = color;
    }
  }

  /** Forgets the cached state (a new page's content stream starts from the default state). */
  reset(): void {
    this.font = null;
    this.size = 0;
    this.color = '';
  }

  /** Width of `text` in the current font and size. */
  private measured(text: string): number {
    const key = `${this.font}|${this.size}|${text}`;
    let w = widths.get(key);
    if (w === undefined) {
      w = this.pdf.widthOfString(text);
      if (widths.size >= WIDTHS_LIMIT) widths.clear();
      widths.set(key, w);
    }
    return w;
  }

  /**
   * One unwrapped line at (x, y) in the current style. pdfkit is given the width and word count so
   * that it does not measure the string again.
   */
  private put(text: string, x: number, y: number, width: number): void {
    if (text === '') return;
    const words = text.trim() === '' ? 0 : text.trim().split(/\s+/).length;
    const options = { lineBreak: false, textWidth: width, wordCount: words } as PDFKit.Mixins.TextOptions;
    this.pdf.text(text, x, y, options);
  }

  width(text: string, style: TextStyle = {}): number {
    this.use(style);
    return this.measured(text);
  }

  /** Height of one line of text in the style. */
  lineHeight(style: TextStyle = {}): number {
    this.use(style);
    return this.pdf.currentLineHeight(true) + LINE_GAP;
  }

  /** One line at (x, y) with no wrapping; returns its width. */
  text(text: string, x: number, y: number, style: TextStyle = {}): number {
    this.use(style);
    const w = this.measured(text);
    this.put(text, x, y, w);
    return w;
  }

  right(text: string, xRight: number, y: number, style: TextStyle = {}): void {
    this.use(style);
    const w = this.measured(text);
    this.put(text, xRight - w, y, w);
  }

  center(text: string, xCenter: number, y: number, style: TextStyle = {}): void {
    this.use(style);
    const w = this.measured(text);
    this.put(text, xCenter - w / 2, y, w);
  }

  /** Height `text` takes when wrapped to `width`. */
  measure(text: string, width: number, style: TextStyle = {}): number {
    this.use(style);
    if (this.measured(text) <= width) return this.lineHeight(style);
    return this.pdf.heightOfString(text, { width, lineGap: LINE_GAP });
  }

  /** Text wrapped to `width` (one fast line when it fits); returns the height used. */
  wrap(
    text: string,
    x: number,
    y: number,
    width: number,
    style: TextStyle = {},
    align: Column['align'] = 'left',
  ): number {
    this.use(style);
    const w = this.measured(text);
    if (w <= width) {
      const dx = align === 'right' ? width - w : align === 'center' ? (width - w) / 2 : 0;
      this.put(text, x + dx, y, w);
      return this.lineHeight(style);
    }
    this.pdf.text(text, x, y, { width, lineGap: LINE_GAP, align });
    return this.pdf.y - y;
  }

  /** A label in regular type followed by a value in bold on the same line, wrapping the value if long. */
  labelled(label: string, value: string, x: number, y: number, width: number, size = BODY_SIZE): number {
    const lw = this.text(`${label}: `, x, y, { size });
    return this.wrap(value, x + lw, y, width - lw, { font: 'bold', size });
  }

  /** Bold `lead` then regular `rest` on the same line when it fits, else `rest` wrapped below. */
  lead(lead: string, rest: string, x: number, y: number, width: number): number {
    const lw = this.text(lead, x, y, { font: 'bold' });
    if (rest === '') return this.lineHeight({ font: 'bold' });
    if (lw + this.width(rest) <= width) {
      this.text(rest, x + lw, y);
      return this.lineHeight();
    }
    const below = rest.replace(/^ · /, '');
    const text = below.charAt(0).toUpperCase() + below.slice(1);
    return this.lineHeight({ font: 'bold' }) + this.wrap(text, x, y + this.lineHeight(), width);
  }

  /** A paragraph opening with a bold `lead` and running on in regular type, wrapped to `width`. */
  paragraph(lead: string, text: string, x: number, y: number, width: number): number {
    this.use({ font: 'bold' });
    this.pdf.text(lead, x, y, { width, lineGap: LINE_GAP, continued: true });
    this.use({ font: 'regular' });
    this.pdf.text(text, { width, lineGap: LINE_GAP });
    return this.pdf.y - y;
  }

  hline(x1: number, x2: number, y: number, color = RULE_COLOR, lineWidth = 0.6): void {
    this.pdf.save();
    this.pdf.moveTo(x1, y).lineTo(x2, y).lineWidth(lineWidth).strokeColor(color).stroke();
    this.pdf.restore();
  }

  box(
    x: number,
    y: number,
    w: number,
    h: number,
    options: { fill?: string; stroke?: string; lineWidth?: number },
  ): void {
    this.pdf.save();
    this.pdf.rect(x, y, w, h);
    if (options.fill && options.stroke) {
      this.pdf.lineWidth(options.lineWidth ?? 0.6).fillAndStroke(options.fill, options.stroke);
    } else if (options.fill) this.pdf.fill(options.fill);
    else this.pdf.lineWidth(options.lineWidth ?? 0.6).stroke(options.stroke ?? RULE_COLOR);
    this.pdf.restore();
    // fillAndStroke/fill change the fill colour inside save/restore only; our cache stays valid.
  }

  private cellHeight(cell: Cell, width: number): number {
    const style: TextStyle = { font: cell.bold ? 'bold' : 'regular', size: cell.size ?? BODY_SIZE };
    let h = 0;
    for (const line of cell.lines) h += this.measure(line, width - 2 * CELL_PAD_X, style);
    return h;
  }

  /** Height of a table row (the tallest cell plus padding). */
  rowHeight(columns: readonly Column[], cells: readonly Cell[]): number {
    let h = 0;
    cells.forEach((cell, i) => {
      h = Math.max(h, this.cellHeight(cell, columns[i]?.width ?? 0));
    });
    return h + 2 * CELL_PAD_Y;
  }

  /** One ruled table row at y; returns its height. */
  row(columns: readonly Column[], cells: readonly Cell[], x: number, y: number, shade = false): number {
    const h = this.rowHeight(columns, cells);
    const total = columns.reduce((s, c) => s + c.width, 0);
    if (shade) this.box(x, y, total, h, { fill: SHADE_COLOR });
    let cx = x;
    columns.forEach((col, i) => {
      const cell = cells[i];
      if (cell) {
        const style: TextStyle = { font: cell.bold ? 'bold' : 'regular', size: cell.size ?? BODY_SIZE };
        let cy = y + CELL_PAD_Y;
        for (const line of cell.lines) {
          cy += this.wrap(line, cx + CELL_PAD_X, cy, col.width - 2 * CELL_PAD_X, style, col.align);
        }
      }
      cx += col.width;
    });
    this.grid(columns, x, y, h);
    return h;
  }

  private grid(columns: readonly Column[], x: number, y: number, h: number): void {
    const pdf = this.pdf;
    pdf.save();
    let cx = x;
    pdf.moveTo(cx, y).lineTo(cx, y + h);
    for (const col of columns) {
      cx += col.width;
      pdf.moveTo(cx, y).lineTo(cx, y + h);
    }
    pdf.moveTo(x, y).lineTo(cx, y);
    pdf.moveTo(x, y + h).lineTo(cx, y + h);
    pdf.lineWidth(0.5).strokeColor(RULE_COLOR).stroke();
    pdf.restore();
  }
}
