/**
 * Renders a Doc as CommonMark/GFM. Untrusted text is flattened to one line and every character that
 * could start markup (emphasis, links, HTML, code, tables, entities) is backslash-escaped, so a node
 * named `[click](http://x)` or `<script>` reads as itself.
 */
import { citeSource, timeText, type Block, type Doc } from './document.js';

/** Any character mdEscape or oneLine may change; most ids and times have none. */
const MD_SPECIAL = /[\\`*[\]<|~&_\u0000-\u001f\u007f\u2028\u2029]/;

/**
 * Escapes text for inline Markdown (also safe inside a GFM table cell). An underscore between two
 * letters or digits cannot open or close emphasis (CommonMark 6.2), so `DEPENDS_ON` stays readable.
 */
export function mdEscape(text: string): string {
  if (!MD_SPECIAL.test(text)) return text;
  return oneLine(text)
    .replace(/[\\`*[\]<|~&]/g, (c) => `\\${c}`)
    .replace(/(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/gu, '\\_');
}

/** Control characters and line breaks become spaces: one value, one line. */
export function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ');
}

export function renderMarkdown(doc: Doc): string {
  const out: string[] = [];
  for (const block of doc.blocks) out.push(renderBlock(block));
  return `${out.join('\n\n')}\n`;
}

function renderBlock(b: Block): string {
  switch (b.type) {
    case 'heading':
      return `${'#'.repeat(b.level)} ${mdEscape(b.text)}`;
    case 'paragraph':
      return mdEscape(b.text);
    case 'list':
      return b.items.length === 0 ? '_None._' : b.items.map((i) => `- ${mdEscape(i)}`).join('\n');
    case 'fields':
      return b.rows.map(([k, v]) => `- **${mdEscape(k)}:** ${mdEscape(v)}`).join('\n');
    case 'table': {
      if (b.rows.length === 0) return '_None._';
      const head = `| ${b.columns.map((c) => mdEscape(c.title)).join(' | ')} |`;
      const rule = `|${b.columns.map(() => '---').join('|')}|`;
      const rows = b.rows.map((r) => `| ${r.map((cell) => (cell === '' ? ' ' : mdEscape(cell))).join(' | ')} |`);
      return [head, rule, ...rows].join('\n');
    }
    case 'evidence':
      return b.hops
        .map((h, i) => {
          const lines = [
            `${i + 1}. ${mdEscape(timeText(h.arrival))}: ${mdEscape(h.fromName)} (${mdEscape(h.from)}) **${h.edge}** ${mdEscape(h.toName)} (${mdEscape(h.to)})`,
          ];
          for (const s of h.sources) {
            lines.push(`   - source: ${mdEscape(citeSource(s))}, ingested ${mdEscape(s.ingestedAt)}`);
            lines.push(`     SHA-256: ${mdEscape(s.sha256)}`);
          }
          return lines.join('\n');
        })
        .join('\n');
  }
}
