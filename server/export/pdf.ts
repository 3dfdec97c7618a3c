/**
 * Renders a Doc as a PDF with pdfkit: selectable text in the 14 standard fonts (Helvetica, Courier;
 * no font files), and byte-for-byte deterministic output:
 *
 * - CreationDate and ModDate are the export's generatedAt, Producer and Creator are fixed strings
 *   (pdfkit would stamp `new Date()` and "PDFKit").
 * - The trailer /ID: pdfkit 0.20 derives it from an MD5 of the info dictionary (PDFSecurity
 *   .generateFileID), which is deterministic but identical for every report made the same second.
 *   We replace it with the first 16 bytes of a SHA-256 over the document's content, so equal content
 *   gives an equal ID and different content a different one (ISO 32000 14.4: the ID identifies the
 *   file's content).
 * - Streams are not compressed: zlib's output may change between zlib builds, plain streams cannot.
 * - No images, annotations with timestamps, XMP or font subsets; text is reduced to the WinAnsi
 *   characters the standard fonts can show (others become `?`).
 */
import { createHash } from 'node:crypto';
import PDFDocument from 'pdfkit';
import { citeSource, timeText, type Block, type Doc, type TableColumn } from './document.js';
import { bufferPageContent, heightOfWrapped, setColor, speedUpCurrentFont, textLine, widthOf, wrappedText } from './pdf-fast.js';

export interface PdfMeta {
  title: string;
  subject: string;
  keywords: string;
  /** Canonical ISO-8601 UTC: CreationDate and ModDate. */
  generatedAt: string;
  /** Producer and Creator, e.g. `Blast Radius 0.1.0`. */
  producer: string;
  /** A line printed at the foot of every page with "page i of n". */
  footer: string;
}

const MARGIN = { top: 56, bottom: 56, left: 50, right: 50 };
const SIZE = { h1: 18, h2: 13.5, h3: 11, body: 9.5, table: 7.5, small: 8, hash: 6.5 };
/** Longest cell text drawn (a row must fit on one page). */
const MAX_CELL = 600;

type Pdf = PDFKit.PDFDocument;

export async function renderPdf(doc: Doc, meta: PdfMeta): Promise<Buffer> {
  const date = new Date(meta.generatedAt);
  const pdf = new PDFDocument({
    size: 'A4',
    margins: MARGIN,
    compress: false,
    bufferPages: true,
    displayTitle: true,
    lang: 'en',
    info: {
      Title: winAnsi(meta.title),
      Subject: winAnsi(meta.subject),
      Keywords: winAnsi(meta.keywords),
      Author: winAnsi(meta.producer),
      Creator: winAnsi(meta.producer),
      Producer: winAnsi(meta.producer),
      CreationDate: date,
      ModDate: date,
    },
  });
  (pdf as unknown as { _id: Uint8Array })._id = contentId(doc, meta);
  // Fast metrics and content buffering: the same bytes as plain pdfkit, in a fraction of the time (pdf-fast.ts).
  for (const font of ['Helvetica-Bold', 'Courier', 'Helvetica']) speedUpCurrentFont(pdf.font(font));
  bufferPageContent(pdf);
  const chunks: Buffer[] = [];
  pdf.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise<void>((resolve, reject) => {
    pdf.on('end', resolve);
    pdf.on('error', reject);
  });

  for (const block of doc.blocks) renderBlock(pdf, block);
  footers(pdf, meta.footer);
  pdf.end();
  await ended;
  return Buffer.concat(chunks);
}

/** The file identifier: 16 bytes of SHA-256 over everything the document shows. */
function contentId(doc: Doc, meta: PdfMeta): Uint8Array {
  const digest = createHash('sha256').update(JSON.stringify({ doc, meta })).digest();
  return new Uint8Array(digest.subarray(0, 16));
}

/** pdfkit's WinAnsi extras above U+00FF (what the standard fonts can show besides Latin-1). */
const WIN_ANSI_EXTRA = new Set([402, 8211, 8212, 8216, 8217, 8218, 8220, 8221, 8222, 8224, 8225, 8226, 8230, 8364, 8240, 8249, 8250, 710, 8482, 338, 339, 732, 352, 353, 376, 381, 382]);

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** Text the standard fonts can show: controls become spaces, other unsupported characters `?`. */
export function winAnsi(text: string): string {
  if (PRINTABLE_ASCII.test(text)) return text;
  let out = '';
  for (const ch of text.normalize('NFC')) {
    const c = ch.codePointAt(0)!;
    if (c < 0x20 || c === 0x7f || (c >= 0x80 && c < 0xa0)) out += ' ';
    else if (c < 0x100 || WIN_ANSI_EXTRA.has(c)) out += ch;
    else out += '?';
  }
  return out;
}

function contentWidth(pdf: Pdf): number {
  return pdf.page.width - pdf.page.margins.left - pdf.page.margins.right;
}

function bottom(pdf: Pdf): number {
  return pdf.page.height - pdf.page.margins.bottom;
}

/** Starts a new page unless `height` points still fit on this one. */
function ensureSpace(pdf: Pdf, height: number): void {
  if (pdf.y + height > bottom(pdf)) pdf.addPage();
  pdf.x = pdf.page.margins.left;
}

function renderBlock(pdf: Pdf, b: Block): void {
  const left = pdf.page.margins.left;
  switch (b.type) {
    case 'heading': {
      const size = b.level === 1 ? SIZE.h1 : b.level === 2 ? SIZE.h2 : SIZE.h3;
      if (b.level === 2 && pdf.y > pdf.page.margins.top + 1) ensureSpace(pdf, 120);
      else ensureSpace(pdf, size * 4);
      if (b.level > 1) pdf.moveDown(0.4);
      pdf.font('Helvetica-Bold').fontSize(size).fillColor('black');
      if (b.level <= 2) pdf.outline.addItem(winAnsi(b.text));
      pdf.text(winAnsi(b.text), left, pdf.y, { width: contentWidth(pdf) });
      pdf.moveDown(0.35);
      return;
    }
    case 'paragraph':
      pdf.font('Helvetica').fontSize(SIZE.body).fillColor('black');
      pdf.text(winAnsi(b.text), left, pdf.y, { width: contentWidth(pdf) });
      pdf.moveDown(0.5);
      return;
    case 'list':
      pdf.font('Helvetica').fontSize(SIZE.body).fillColor('black');
      if (b.items.length === 0) pdf.text('None.', left, pdf.y, { width: contentWidth(pdf) });
      for (const item of b.items) pdf.text(`\u2022  ${winAnsi(item)}`, left + 6, pdf.y, { width: contentWidth(pdf) - 6 });
      pdf.moveDown(0.5);
      return;
    case 'fields':
      pdf.fontSize(SIZE.body).fillColor('black');
      for (const [k, v] of b.rows) {
        pdf.font('Helvetica-Bold').text(`${winAnsi(k)}: `, left, pdf.y, { width: contentWidth(pdf), continued: true });
        pdf.font('Helvetica').text(winAnsi(v) || ' ');
      }
      pdf.moveDown(0.5);
      return;
    case 'table':
      table(pdf, b.columns, b.rows);
      return;
    case 'evidence':
      evidence(pdf, b.hops);
      return;
  }
}

function evidence(pdf: Pdf, hops: Extract<Block, { type: 'evidence' }>['hops']): void {
  const left = pdf.page.margins.left;
  const width = contentWidth(pdf) - 14;
  hops.forEach((h, i) => {
    ensureSpace(pdf, 36 + h.sources.length * 22);
    pdf.font('Helvetica-Bold').fontSize(SIZE.small).fillColor('black');
    pdf.text(`${i + 1}.  ${winAnsi(timeText(h.arrival))}  ${h.edge}`, left + 4, pdf.y, { width });
    pdf.font('Helvetica');
    pdf.text(`from: ${winAnsi(h.fromName)} (${winAnsi(h.from)})`, left + 18, pdf.y, { width });
    pdf.text(`to: ${winAnsi(h.toName)} (${winAnsi(h.to)})`, left + 18, pdf.y, { width });
    for (const s of h.sources) {
      pdf.font('Helvetica').fontSize(SIZE.small).fillColor('#333333');
      pdf.text(`source: ${winAnsi(citeSource(s))}, ingested ${winAnsi(s.ingestedAt)}`, left + 18, pdf.y, { width });
      pdf.font('Courier').fontSize(SIZE.small);
      pdf.text(`SHA-256: ${winAnsi(s.sha256)}`, left + 18, pdf.y, { width, lineBreak: false });
    }
    pdf.moveDown(0.25);
  });
  pdf.fillColor('black');
  pdf.moveDown(0.4);
}

function fontFor(col: TableColumn | undefined, header: boolean): [string, number] {
  if (header) return ['Helvetica-Bold', SIZE.table];
  return col?.hash ? ['Courier', SIZE.hash] : ['Helvetica', SIZE.table];
}

interface MeasuredCell {
  text: string;
  font: string;
  size: number;
  /** Fits its column on one line: drawn without the line wrapper. */
  fits: boolean;
}

interface MeasuredRow {
  /** null for an empty cell. */
  cells: Array<MeasuredCell | null>;
  height: number;
  header: boolean;
}

function table(pdf: Pdf, columns: TableColumn[], rows: string[][]): void {
  const left = pdf.page.margins.left;
  const width = contentWidth(pdf);
  const pad = 2.5;
  pdf.font('Helvetica').fontSize(SIZE.table);
  const timeWidth = pdf.widthOfString('0000-00-00T00:00:00Z') + 2 * pad + 2;
  pdf.font('Courier').fontSize(SIZE.hash);
  const hashWidth = pdf.widthOfString('0'.repeat(64)) + 2 * pad + 2;
  const fixedWidth = (c: TableColumn) => (c.time ? timeWidth : c.hash ? hashWidth : 0);
  const fixed = columns.reduce((s, c) => s + fixedWidth(c), 0);
  const total = columns.reduce((s, c) => s + (fixedWidth(c) > 0 ? 0 : (c.weight ?? 1)), 0);
  const widths = columns.map((c) => fixedWidth(c) || ((width - fixed) * (c.weight ?? 1)) / total);
  const cells = (row: string[]) => row.map((c) => winAnsi(c.length > MAX_CELL ? `${c.slice(0, MAX_CELL)}\u2026` : c));
  // Most cells fit on one line: measuring their width is cheap, wrapping them is not (pdfkit's
  // line wrapper dominates a 10,000-row report), so only cells that do not fit are wrapped. A row
  // is measured once, for the page break and for drawing.
  const measure = (row: string[], header: boolean): MeasuredRow => {
    let h = 0;
    const laid = row.map((text, i): MeasuredCell | null => {
      if (text === '') return null;
      const [font, size] = fontFor(columns[i], header);
      pdf.font(font).fontSize(size);
      const fits = !text.includes('\n') && widthOf(pdf, text) <= widths[i]! - 2 * pad;
      h = Math.max(h, fits ? pdf.currentLineHeight(true) : heightOfWrapped(pdf, text, widths[i]! - 2 * pad));
      return { text, font, size, fits };
    });
    return { cells: laid, height: Math.max(h, SIZE.table) + 2 * pad, header };
  };
  const draw = ({ cells: laid, height: h, header }: MeasuredRow) => {
    const y = pdf.y;
    if (header) {
      pdf.rect(left, y, width, h);
      setColor(pdf, '#eeeeee', false);
      pdf.fill();
    }
    setColor(pdf, 'black', false);
    let x = left;
    laid.forEach((cell, i) => {
      if (cell) {
        pdf.font(cell.font).fontSize(cell.size);
        if (cell.fits) textLine(pdf, cell.text, x + pad, y + pad);
        else wrappedText(pdf, cell.text, x + pad, y + pad, widths[i]! - 2 * pad);
      }
      x += widths[i]!;
    });
    pdf.moveTo(left, y + h).lineTo(left + width, y + h).lineWidth(0.4);
    setColor(pdf, '#bbbbbb', true);
    pdf.stroke();
    pdf.x = left;
    pdf.y = y + h;
  };
  const header = cells(columns.map((c) => c.title));
  if (rows.length === 0) {
    pdf.font('Helvetica').fontSize(SIZE.body).text('None.', left, pdf.y, { width });
    pdf.moveDown(0.5);
    return;
  }
  // A wrapped cell's height is measured from the current y (pdfkit adds line heights to it), so a
  // row is measured where it is drawn: again after a page break.
  ensureSpace(pdf, measure(header, true).height + measure(cells(rows[0]!), false).height);
  draw(measure(header, true));
  for (const raw of rows) {
    const row = cells(raw);
    let laid = measure(row, false);
    if (pdf.y + laid.height > bottom(pdf)) {
      pdf.addPage();
      draw(measure(header, true));
      laid = measure(row, false);
    }
    draw(laid);
  }
  pdf.x = left;
  pdf.moveDown(0.6);
}

/** "footer · page i of n" at the foot of every page (drawn inside the bottom margin). */
function footers(pdf: Pdf, footer: string): void {
  const range = pdf.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    pdf.switchToPage(i);
    const margin = pdf.page.margins.bottom;
    pdf.page.margins.bottom = 0; // writing below the margin would otherwise open a new page
    pdf.font('Helvetica').fontSize(7).fillColor('#666666');
    pdf.text(winAnsi(`${footer} \u00b7 page ${i + 1} of ${range.count}`), pdf.page.margins.left, pdf.page.height - 34, {
      width: contentWidth(pdf),
      align: 'center',
      lineBreak: false,
    });
    pdf.page.margins.bottom = margin;
  }
  pdf.fillColor('black');
}
