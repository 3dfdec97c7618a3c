/**
 * The fast paths of server/export/pdf-fast.ts write exactly what plain pdfkit writes: the same
 * lines and colours drawn both ways (and the same heights and widths measured) give
 * byte-identical PDFs.
 */
import fc from 'fast-check';
import PDFDocument from 'pdfkit';
import { describe, expect, it } from 'vitest';
import { bufferPageContent, heightOfWrapped, setColor, speedUpCurrentFont, textLine, widthOf, wrappedText } from '../../server/export/pdf-fast.js';

const FONTS = ['Helvetica', 'Helvetica-Bold', 'Courier'] as const;
const COLORS = ['black', '#bbbbbb', '#333333', 'red', '#eee'] as const;

type Op =
  | { kind: 'line'; font: number; size: number; text: string; x: number; y: number }
  | { kind: 'wrap'; font: number; size: number; text: string; x: number; y: number; width: number }
  | { kind: 'page' };

interface Drawn {
  pdf: Buffer;
  /** Every width and height measured, in order, and x and y after each op. */
  numbers: number[];
}

async function draw(ops: readonly Op[], fast: boolean): Promise<Drawn> {
  const date = new Date('2026-03-26T09:00:00Z');
  const pdf = new PDFDocument({ size: 'A4', compress: false, bufferPages: true, info: { CreationDate: date, ModDate: date, Producer: 'test', Creator: 'test' } });
  // Both documents meet the fonts in the same order, so the font resources get the same names.
  for (const f of FONTS) {
    pdf.font(f);
    if (fast) expect(speedUpCurrentFont(pdf)).toBe(true);
  }
  if (fast) bufferPageContent(pdf);
  const chunks: Buffer[] = [];
  pdf.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise<void>((resolve) => pdf.on('end', resolve));
  const numbers: number[] = [];
  for (const [i, op] of ops.entries()) {
    // Fill and stroke colours, as table rows set them, and a rule with the fill colour remembered.
    const color = COLORS[i % COLORS.length]!;
    const stroke = i % 2 === 1;
    if (fast) setColor(pdf, color, stroke);
    else if (stroke) pdf.strokeColor(color);
    else pdf.fillColor(color);
    pdf.moveTo(50, 700).lineTo(545, 700).stroke();
    if (op.kind === 'page') {
      pdf.addPage();
      continue;
    }
    pdf.font(FONTS[op.font]!).fontSize(op.size);
    pdf.y = op.y;
    if (op.kind === 'line') {
      numbers.push(fast ? widthOf(pdf, op.text) : pdf.widthOfString(op.text));
      if (fast) textLine(pdf, op.text, op.x, op.y);
      else pdf.text(op.text, op.x, op.y, { lineBreak: false });
    } else {
      numbers.push(fast ? heightOfWrapped(pdf, op.text, op.width) : pdf.heightOfString(op.text, { width: op.width }));
      if (fast) wrappedText(pdf, op.text, op.x, op.y, op.width);
      else pdf.text(op.text, op.x, op.y, { width: op.width });
    }
    numbers.push(pdf.x, pdf.y);
  }
  // Footers on every page, as pdf.ts draws them (through pdfkit, after switching back).
  const range = pdf.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    pdf.switchToPage(i);
    pdf.font('Helvetica').fontSize(7).text(`page ${i + 1} of ${range.count}`, 50, 800, { width: 495, align: 'center', lineBreak: false });
  }
  pdf.end();
  await ended;
  return { pdf: Buffer.concat(chunks), numbers };
}

async function expectSame(ops: readonly Op[]): Promise<void> {
  const [plain, fast] = await Promise.all([draw(ops, false), draw(ops, true)]);
  expect(fast.numbers).toEqual(plain.numbers);
  expect(fast.pdf.equals(plain.pdf)).toBe(true);
}

/** Kerning pairs, Latin-1, WinAnsi extras above U+00FF, characters the fonts lack, spaces, line breaks. */
const SAMPLES = [
  'AVATAR To Wa Yo LT P. F, r. y.',
  'svc:bench/app-000123',
  '2026-03-24T10:52:00Z',
  'pkg:npm/bench-compromised@1.0.0',
  'caf\u00e9 \u00c5ngstr\u00f6m \u00fc\u00df',
  '\u20ac 5 \u2013 \u201cquoted\u201d \u2026 \u0160koda \u0152uvre \u2122',
  'unsupported \u4e2d\u6587 \u0141\u00f3d\u017a',
  '  leading and trailing  ',
  'two\nlines',
  'a'.repeat(300),
  'Supply-chain compromise: package versions compromised by the incident, derived by the blast radius, with no advisory recorded in the graph.',
  '0123456789abcdef'.repeat(4),
];

describe('pdf-fast', () => {
  it('draws one-line text and measures widths exactly as pdfkit', async () => {
    const ops: Op[] = [];
    SAMPLES.forEach((text, i) => {
      for (const [font, size] of [[0, 7.5], [1, 7.5], [2, 6.5], [0, 9.5]] as const) {
        ops.push({ kind: 'line', font, size, text, x: 50 + ((i * 13.7) % 300), y: 60 + ops.length * 9.1 });
        if (ops.length % 60 === 0) ops.push({ kind: 'page' });
      }
    });
    await expectSame(ops.map((o) => (o.kind !== 'page' ? { ...o, y: 60 + (o.y % 700) } : o)));
  });

  it('wraps text exactly as pdfkit, also where pdfkit moves on to a new page', async () => {
    const ops: Op[] = [];
    SAMPLES.forEach((text, i) => {
      for (const width of [40, 112.3, 300]) ops.push({ kind: 'wrap', font: i % 3, size: 7.5, text, x: 52.5, y: 100 + i * 50, width });
    });
    // Near the foot of the page: pdfkit's wrapper breaks to a new page partway (the fast path defers to it).
    ops.push({ kind: 'wrap', font: 0, size: 7.5, text: SAMPLES[10]!, x: 52.5, y: 770, width: 60 });
    ops.push({ kind: 'wrap', font: 0, size: 7.5, text: SAMPLES[1]!, x: 52.5, y: 784.5, width: 30 });
    ops.push({ kind: 'wrap', font: 0, size: 7.5, text: SAMPLES[1]!, x: 52.5, y: 790, width: 300 });
    // The same text again, from the remembered lines.
    ops.push({ kind: 'page' }, { kind: 'wrap', font: 0, size: 7.5, text: SAMPLES[10]!, x: 52.5, y: 60, width: 60 });
    await expectSame(ops);
  });

  it('matches pdfkit on random text', async () => {
    const alphabet = [...'AVTWYLPFrywo.,:-/@ 0123456789abcdefz\u00e9\u00c5\u20ac\u2013\u2026\u4e2d\n'];
    const text = fc.array(fc.constantFrom(...alphabet), { maxLength: 80 }).map((cs) => cs.join(''));
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(text, fc.boolean(), fc.integer({ min: 0, max: 2 }), fc.integer({ min: 20, max: 780 }), fc.integer({ min: 10, max: 400 })), { minLength: 1, maxLength: 40 }),
        async (items) => {
          const ops: Op[] = items.map(([t, wrap, font, y, width]) =>
            wrap ? { kind: 'wrap', font, size: 7.5, text: t, x: 50, y, width } : { kind: 'line', font, size: 7.5, text: t.replace(/\n/g, ' '), x: 50, y },
          );
          await expectSame(ops);
        },
      ),
      { numRuns: 60, seed: 7 },
    );
  });
});
