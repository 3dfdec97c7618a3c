/**
 * Faster paths through pdfkit 0.20 for a report of tens of thousands of table cells, writing exactly
 * the bytes pdfkit itself writes; each fast path falls back to plain pdfkit whenever an internal it
 * relies on looks different.
 *
 * Where pdfkit spends its time on such a report, and what replaces it:
 *
 * - Glyph metrics. For every measurement and every drawn string the standard fonts map each
 *   character to a glyph name, look its width up by name and its kerning by the string
 *   `left + '\0' + right`, allocating arrays and strings per character; a cell is measured four or
 *   five times. Here each font gets tables by character code, filled from the font's own lookups on
 *   first use, and the sums are taken in pdfkit's order, so every width is the same number.
 * - Content streams. pdfkit turns each content operator into its own Uint8Array (a few hundred
 *   thousand small buffers); here a page's operators go into one growing buffer, handed to pdfkit
 *   when the page ends.
 * - Drawing one line of text without wrapping (`text(s, x, y, { lineBreak: false })`): pdfkit's
 *   generic path (options merging, the line splitter, alignment and word counting) is replaced by
 *   the same operators written directly: `q`, the page flip, `BT`, `Tm`, `Tf`, `TJ`, `ET`, `Q`.
 *   The TJ operand and width of a short string are remembered per font and size: a report repeats
 *   kinds, times, edges and seed ids on every row.
 * - Wrapped text: the lines pdfkit's wrapper makes of a text depend only on font, size, width and
 *   text, so they are remembered and drawn as above, unless the wrapper would break to a new page.
 * - Colours set on every table row: the two operators pdfkit writes, worked out once per colour.
 *
 * test/export/pdf-fast.test.ts draws the same content through both and requires identical bytes.
 */

type Pdf = PDFKit.PDFDocument;

/** pdfkit's AFM font (the metrics of one standard font). */
interface AfmFont {
  characterToGlyph(code: number): string;
  widthOfGlyph(glyph: string): number;
  getKernPair(left: string, right: string | undefined): number;
  encodeText(text: string): string[];
}

/** pdfkit's StandardFont, the document's `_font` for the 14 standard fonts. */
interface StandardFont {
  id: string;
  ascender: number;
  font: AfmFont;
  ref(): unknown;
  widthOfString(text: string, size: number): number;
  encode(text: string): [string[], GlyphPosition[]];
}

interface GlyphPosition {
  xAdvance: number;
  yAdvance: number;
  xOffset: number;
  yOffset: number;
  advanceWidth: number;
}

/** The internals of PDFDocument this module reads or writes. */
interface PdfInternals {
  _font: unknown;
  _fontSize: number;
  _textOptions: unknown;
  _lineGap: number;
  x: number;
  y: number;
  page: { height: number; margins: { bottom: number }; fonts: Record<string, unknown>; content: PdfReference };
  addContent(data: string): unknown;
  on(event: 'pageAdded', listener: () => void): unknown;
}

interface PdfReference {
  write(chunk: unknown): void;
  finalize(): void;
}

/** pdfkit's PDFObject.number: how every coordinate is rounded into a content stream. */
function num(n: number): number {
  if (n > -1e21 && n < 1e21) return Math.round(n * 1e6) / 1e6;
  throw new Error(`unsupported number: ${n}`);
}

/** Characters below this code get a row of the dense kerning table; others use a Map. */
const DENSE = 384;
/** Every UTF-16 code unit has a slot in the per-character tables. */
const CODES = 0x10000;

/** A string's TJ operand (without the brackets, ASCII) and its document-level width. */
interface LaidText {
  tj: string;
  width: number;
}

/** Longest string, and most strings per font and size (or wrapped texts per font), whose layout is remembered. */
const LAID_MAX = 200;
const LAID_ENTRIES = 50_000;

/** Glyph metrics of one standard font by character code, filled lazily from the font's own lookups. */
class FontMetrics {
  private readonly glyph: string[] = new Array<string>(CODES).fill('');
  /** NaN until the character is first seen. */
  private readonly width = new Float64Array(CODES).fill(Number.NaN);
  private readonly hex: string[] = new Array<string>(CODES).fill('');
  private readonly kernDense = new Float64Array(DENSE * DENSE).fill(Number.NaN);
  private readonly kernSparse = new Map<number, number>();

  constructor(
    readonly font: StandardFont,
    private readonly afm: AfmFont,
  ) {}

  private load(code: number): number {
    const glyph = this.afm.characterToGlyph(code);
    this.glyph[code] = glyph;
    this.hex[code] = this.afm.encodeText(String.fromCharCode(code))[0]!;
    return (this.width[code] = this.afm.widthOfGlyph(glyph));
  }

  widthOf(code: number): number {
    const w = this.width[code]!;
    return Number.isNaN(w) ? this.load(code) : w;
  }

  /** Valid once widthOf(code) has been asked. */
  hexOf(code: number): string {
    return this.hex[code]!;
  }

  /** getKernPair(glyph(left), glyph(right)); `right` -1 is the end of the string (no right glyph). */
  kern(left: number, right: number): number {
    if (right < 0) return this.afm.getKernPair(this.glyph[left]!, undefined);
    if (left < DENSE && right < DENSE) {
      const k = this.kernDense[left * DENSE + right]!;
      if (!Number.isNaN(k)) return k;
    } else {
      const k = this.kernSparse.get(left * 0x10000 + right);
      if (k !== undefined) return k;
    }
    this.widthOf(right);
    const k = this.afm.getKernPair(this.glyph[left]!, this.glyph[right]!);
    if (left < DENSE && right < DENSE) this.kernDense[left * DENSE + right] = k;
    else this.kernSparse.set(left * 0x10000 + right, k);
    return k;
  }

  /** Kerning after the last glyph of a string (no right glyph), by code: zero in practice, asked once. */
  private readonly endKern: number[] = [];

  /** The kerning after character `i` of `text`, as pdfkit's advancesForGlyphs adds it. */
  private kernAt(text: string, i: number, code: number): number {
    if (i + 1 < text.length) return this.kern(code, text.charCodeAt(i + 1));
    return this.endKern[code] ?? (this.endKern[code] = this.kern(code, -1));
  }

  /** StandardFont.widthOfString: the advances (width + kerning) summed left to right, scaled. */
  fontWidth(text: string, size: number): number {
    let width = 0;
    const n = text.length;
    for (let i = 0; i < n; i++) {
      const code = text.charCodeAt(i);
      width += this.widthOf(code) + this.kernAt(text, i, code);
    }
    return width * (size / 1000);
  }

  /** StandardFont.encode: hex codes and positions, as pdfkit computes them. */
  encode(text: string): [string[], GlyphPosition[]] {
    const encoded: string[] = [];
    const positions: GlyphPosition[] = [];
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      const w = this.widthOf(code);
      const k = this.kernAt(text, i, code);
      encoded.push(this.hexOf(code));
      positions.push({ xAdvance: w + k, yAdvance: 0, xOffset: 0, yOffset: 0, advanceWidth: w });
    }
    return [encoded, positions];
  }

  /**
   * The TJ operand pdfkit's _fragment builds (its positions have no offsets for standard fonts):
   * the hex codes, cut after each glyph whose kerning is not zero, each piece followed by minus
   * that kerning; and the document-level width of the string.
   */
  /** Laid-out short strings by size: a report repeats kinds, times, edges and seed ids on every row. */
  private readonly laidCache = new Map<number, Map<string, LaidText>>();
  private readonly scratch = new ContentSink(1 << 10);

  /** The TJ operand and width of a string (see `line`), remembered for strings up to LAID_MAX characters. */
  laid(text: string, size: number): LaidText {
    let bySize = this.laidCache.get(size);
    if (!bySize) this.laidCache.set(size, (bySize = new Map()));
    let laid = bySize.get(text);
    if (laid === undefined) {
      const width = this.line(this.scratch, text, size);
      laid = { tj: this.scratch.takeText(), width };
      if (text.length <= LAID_MAX) {
        if (bySize.size >= LAID_ENTRIES) bySize.clear();
        bySize.set(text, laid);
      }
    }
    return laid;
  }

  /**
   * Writes the TJ operand pdfkit's _fragment builds (its positions have no offsets for standard
   * fonts): the hex codes, cut after each glyph whose kerning is not zero, each piece followed by
   * minus that kerning. Returns the document-level width of the string.
   */
  line(sink: ContentSink, text: string, size: number): number {
    let width = 0;
    let pieces = 0;
    let open = false;
    const n = text.length;
    for (let i = 0; i < n; i++) {
      const code = text.charCodeAt(i);
      const w = this.widthOf(code);
      const xAdvance = w + this.kernAt(text, i, code);
      width += xAdvance;
      if (!open) {
        if (pieces > 0) sink.byte(0x20);
        sink.byte(0x3c); // <
        open = true;
      }
      sink.ascii(this.hex[code]!);
      const adjust = xAdvance - w;
      if (adjust !== 0 || i === n - 1) {
        sink.byte(0x3e); // >
        sink.byte(0x20);
        sink.ascii(String(num(-adjust)));
        open = false;
        pieces++;
      }
    }
    return docWidth(width * (size / 1000), n);
  }
}

/** PDFDocument.widthOfString without character spacing or horizontal scaling. */
function docWidth(fontWidth: number, length: number): number {
  return ((fontWidth + 0 * (length - 1)) * 100) / 100;
}

const metricsOf = new WeakMap<object, FontMetrics>();

function isStandardFont(font: unknown): font is StandardFont {
  const f = font as Partial<StandardFont> | null;
  const afm = f?.font as Partial<AfmFont> | undefined;
  return (
    typeof f?.id === 'string' &&
    typeof f.ascender === 'number' &&
    typeof f.ref === 'function' &&
    typeof f.encode === 'function' &&
    typeof f.widthOfString === 'function' &&
    typeof afm?.characterToGlyph === 'function' &&
    typeof afm.widthOfGlyph === 'function' &&
    typeof afm.getKernPair === 'function' &&
    typeof afm.encodeText === 'function'
  );
}

/**
 * Gives the document's current font (a standard font) fast metrics: its widthOfString and encode
 * are replaced on that font object by table lookups returning the same numbers. Returns false,
 * touching nothing, when the font is not a pdfkit standard font as this module knows it.
 */
export function speedUpCurrentFont(pdf: Pdf): boolean {
  const font = (pdf as unknown as PdfInternals)._font;
  if (!isStandardFont(font)) return false;
  if (metricsOf.has(font)) return true;
  const m = new FontMetrics(font, font.font);
  font.widthOfString = (text: string, size: number) => m.fontWidth(`${text}`, size);
  font.encode = (text: string) => m.encode(`${text}`);
  metricsOf.set(font, m);
  return true;
}

/**
 * A page's content stream while the page is open: bytes in one growing buffer. pdfkit writes each
 * operator as its own Uint8Array with `\n` after it; this writes the same bytes in place.
 */
class ContentSink {
  private buf: Buffer;
  private len = 0;

  constructor(capacity = 1 << 15) {
    this.buf = Buffer.allocUnsafe(capacity);
  }

  private reserve(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.len + n, 1 << 12));
    this.buf.copy(bigger, 0, 0, this.len);
    this.buf = bigger;
  }

  byte(b: number): void {
    this.reserve(1);
    this.buf[this.len++] = b;
  }

  /** Text as pdfkit's fromBinaryString writes it: the low byte of each UTF-16 code unit ('latin1'). */
  ascii(text: string): void {
    const n = text.length;
    this.reserve(n);
    if (n > 64) {
      this.len += this.buf.write(text, this.len, 'latin1');
      return;
    }
    // Short pieces (hex codes, numbers) are most of a page: a loop beats Buffer#write's call overhead.
    const buf = this.buf;
    let len = this.len;
    for (let i = 0; i < n; i++) buf[len++] = text.charCodeAt(i) & 0xff;
    this.len = len;
  }

  /** An operator written through pdfkit's addContent: its text and `\n`. */
  operator(text: string): void {
    this.ascii(text);
    this.byte(0x0a);
  }

  get empty(): boolean {
    return this.len === 0;
  }

  /** The bytes so far, handed over; the sink starts again empty. */
  take(): Uint8Array {
    const out = this.buf.subarray(0, this.len);
    this.buf = EMPTY;
    this.len = 0;
    return out;
  }

  /** The bytes so far as text (one byte, one character); the sink starts again empty, keeping its buffer. */
  takeText(): string {
    const out = this.buf.toString('latin1', 0, this.len);
    this.len = 0;
    return out;
  }
}

const EMPTY = Buffer.alloc(0);

/** The open sink of each page content stream this module buffers. */
const sinks = new WeakMap<object, ContentSink>();

/**
 * Keeps each page's content stream in a ContentSink until the page ends, then hands it to pdfkit
 * as one buffer (pdfkit makes one per operator; the bytes are the same). Applies to the current
 * page and every page added later.
 */
export function bufferPageContent(pdf: Pdf): void {
  const doc = pdf as unknown as PdfInternals;
  const patch = () => {
    const content = doc.page?.content;
    if (!content || typeof content.write !== 'function' || typeof content.finalize !== 'function') return;
    const write = content.write.bind(content);
    const finalize = content.finalize.bind(content);
    const sink = new ContentSink();
    const flush = () => {
      if (!sink.empty) write(sink.take());
    };
    content.write = (chunk: unknown) => {
      if (chunk instanceof Uint8Array) {
        flush();
        write(chunk);
      } else {
        // pdfkit writes `chunk + '\n'`; the same conversion to text, then the line end.
        sink.operator(typeof chunk === 'string' ? chunk : (chunk as string) + '');
      }
    };
    content.finalize = () => {
      flush();
      finalize();
    };
    sinks.set(content, sink);
  };
  patch();
  doc.on('pageAdded', patch);
}

/** The fast metrics of the current font, or null when it has none or pdfkit state asks for its generic path. */
function fastFont(doc: PdfInternals): FontMetrics | null {
  if (doc._textOptions) return null;
  return metricsOf.get(doc._font as object) ?? null;
}

/** Constant pieces of the operators `fragment` writes, by page height and by font and size. */
const pageHead = new Map<number, string>();
const fontHead = new Map<string, string>();
/** Coordinates as written: table columns repeat the same x on every row. */
const xText = new Map<number, string>();

/** pdfkit's _fragment for left-aligned text without spacing options, decorations or links. */
function fragment(doc: PdfInternals, m: FontMetrics, raw: string, x: number, y: number): number {
  const text = raw.includes('\n') ? raw.replace(/\n/g, '') : raw;
  if (text.length === 0) return 0;
  const size = doc._fontSize;
  const page = doc.page;
  const f = m.font;
  if (page.fonts[f.id] == null) page.fonts[f.id] = f.ref();
  const dy = (f.ascender / 1000) * size;
  let head = pageHead.get(page.height);
  if (head === undefined) pageHead.set(page.height, (head = `q\n1 0 0 -1 0 ${num(page.height)} cm\nBT\n1 0 0 1 `));
  const fontKey = `${f.id} ${size}`;
  let tf = fontHead.get(fontKey);
  if (tf === undefined) fontHead.set(fontKey, (tf = ` Tm\n/${f.id} ${num(size)} Tf\n[`));
  let xs = xText.get(x);
  if (xs === undefined) {
    if (xText.size > 1000) xText.clear();
    xText.set(x, (xs = String(num(x))));
  }
  const sink = sinks.get(page.content);
  if (!sink) {
    // Not a buffered page: the same operators through pdfkit.
    const { tj, width } = m.laid(text, size);
    doc.addContent(`${head}${xs} ${num(page.height - y - dy)}${tf}${tj}] TJ\nET\nQ`);
    return width;
  }
  sink.ascii(head);
  sink.ascii(xs);
  sink.byte(0x20);
  sink.ascii(String(num(page.height - y - dy)));
  sink.ascii(tf);
  const { tj, width } = m.laid(text, size);
  sink.ascii(tj);
  sink.operator('] TJ\nET\nQ');
  return width;
}

/**
 * `pdf.text(text, x, y, { lineBreak: false })` for one line, in the current font and size: the same
 * content bytes and the same x and y afterwards. Falls back to pdfkit itself for a line break, a
 * font without fast metrics, or pending `continued` text options.
 */
export function textLine(pdf: Pdf, text: string, x: number, y: number): void {
  const doc = pdf as unknown as PdfInternals;
  const m = fastFont(doc);
  if (!m || text.includes('\n')) {
    pdf.text(text, x, y, { lineBreak: false });
    return;
  }
  doc.x = x;
  doc.y = y;
  doc.x = x + (text.length === 0 ? docWidth(0, 0) : fragment(doc, m, text, x, y));
}

/** pdfkit's PDFNumber: the largest float32 not above n (the line wrapper compares in float32). */
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
function pdfNumber(n: number): number {
  const rounded = Math.fround(n);
  if (rounded <= n) return rounded;
  f32[0] = n;
  if (n <= 0) u32[0]! += 1;
  else u32[0]! -= 1;
  return f32[0]!;
}

/** Lines pdfkit's line wrapper makes of a text, by font, size, width and text (they depend on nothing else). */
const wrapped = new WeakMap<object, Map<string, string[]>>();

function wrapLines(pdf: Pdf, doc: PdfInternals, text: string, width: number): string[] {
  let byFont = wrapped.get(doc._font as object);
  if (!byFont) wrapped.set(doc._font as object, (byFont = new Map()));
  const key = `${doc._fontSize}|${width}|${text}`;
  let lines = byFont.get(key);
  if (!lines) {
    // As heightOfString does: an unbounded height, so the wrapper never breaks to a new page.
    const { x, y } = doc;
    const found: string[] = [];
    (pdf as unknown as { _text(t: string, x: number, y: number, o: object, cb: (line: string) => void): void })._text(text, x, y, { width, height: Infinity }, (line) => {
      found.push(line);
    });
    doc.x = x;
    doc.y = y;
    if (byFont.size >= LAID_ENTRIES) byFont.clear();
    byFont.set(key, (lines = found));
  }
  return lines;
}

function lineAdvance(pdf: Pdf, doc: PdfInternals): number {
  return pdf.currentLineHeight(true) + (doc._lineGap || 0);
}

/**
 * `pdf.heightOfString(text, { width })` in the current font and size, with the wrapped lines
 * remembered: a report repeats the same long cell (a seed's id) thousands of times.
 */
export function heightOfWrapped(pdf: Pdf, text: string, width: number): number {
  const doc = pdf as unknown as PdfInternals;
  if (!fastFont(doc)) return pdf.heightOfString(text, { width });
  const lines = wrapLines(pdf, doc, text, width);
  const step = lineAdvance(pdf, doc);
  let y = doc.y;
  for (let i = 0; i < lines.length; i++) y += step;
  return y - doc.y;
}

/**
 * `pdf.text(text, x, y, { width })`: the wrapped lines drawn one under the other, the same bytes as
 * pdfkit. Falls back to pdfkit whenever its wrapper would move on to a new page partway.
 */
export function wrappedText(pdf: Pdf, text: string, x: number, y: number, width: number): void {
  const doc = pdf as unknown as PdfInternals;
  const m = fastFont(doc);
  const lines = m ? wrapLines(pdf, doc, text, width) : [];
  const lh = pdf.currentLineHeight(true);
  const step = lineAdvance(pdf, doc);
  const maxY = pdfNumber(doc.page.height - doc.page.margins.bottom);
  // The wrapper starts a new section when the first line does not fit, and after a line when the
  // next would not: only when none of that can happen are the lines drawn here.
  let safe = m !== null && y <= maxY && y + lh <= maxY;
  for (let i = 0, yi = y; safe && i < lines.length; i++) {
    yi += step;
    if (pdfNumber(yi + lh) > maxY) safe = false;
  }
  if (!m || !safe) {
    pdf.text(text, x, y, { width });
    return;
  }
  doc.x = x;
  doc.y = y;
  for (const line of lines) {
    fragment(doc, m, line, x, doc.y);
    doc.y += step;
  }
  doc.x = x;
}

/** The operators pdfkit's fillColor / strokeColor write for a colour, by `fill:` or `stroke:` and the colour. */
const colorOps = new Map<string, string | null>();

/**
 * `pdf.fillColor(color)` (or strokeColor) for a colour name or `#rrggbb`: the same two operators
 * (colour space, colour) and, for fill, the same remembered fill colour. Anything else (spot
 * colours, gradients, opacity) goes through pdfkit.
 */
export function setColor(pdf: Pdf, color: string, stroke: boolean): void {
  const doc = pdf as unknown as PdfInternals & { _normalizeColor?: (c: string) => unknown; _fillColor?: unknown };
  const sink = sinks.get(doc.page.content);
  const key = `${stroke ? 'stroke' : 'fill'}:${color}`;
  let ops = colorOps.get(key);
  if (ops === undefined) {
    const rgb = typeof doc._normalizeColor === 'function' ? doc._normalizeColor(color) : null;
    const plain = Array.isArray(rgb) && (rgb.length === 3 || rgb.length === 4) && rgb.every((v) => typeof v === 'number');
    ops = plain ? `/${rgb.length === 4 ? 'DeviceCMYK' : 'DeviceRGB'} ${stroke ? 'CS' : 'cs'}\n${rgb.join(' ')} ${stroke ? 'SCN' : 'scn'}` : null;
    colorOps.set(key, ops);
  }
  if (ops === null || !sink) {
    if (stroke) pdf.strokeColor(color);
    else pdf.fillColor(color);
    return;
  }
  sink.operator(ops);
  if (!stroke) doc._fillColor = [color, undefined];
}

/** PDFDocument.widthOfString(text) in the current font and size (fast when the font has metrics). */
export function widthOf(pdf: Pdf, text: string): number {
  const doc = pdf as unknown as PdfInternals;
  const m = metricsOf.get(doc._font as object);
  return m ? m.laid(text, doc._fontSize).width : pdf.widthOfString(text);
}
