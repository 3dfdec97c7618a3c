/**
 * requirements.txt (pip, pip-compile, `uv pip compile`). Every `name==version` pin (extras and
 * environment markers allowed, `--hash` options and `\` continuations too) is a PackageVersion
 * `pkg:pypi/<name>@<version>`, the name normalised by the purl library. The `# via X` comments that
 * pip-compile and uv write become DEPENDS_ON from X's pinned version to the pin (`# via -r file` and
 * `-c file` mean a direct requirement: no edge). Two pins of X (one per marker) both get the edge, as
 * `possible`.
 *
 * Skipped with one warning each kind: requirements that are not pinned (`numpy<2`), URL and path
 * requirements, `-r`/`-c` includes (not followed: ingest those files too) and `-e` editables. A line
 * that is not a requirement at all is an error naming its line. Sources point at `line N`.
 * With `--service`, a pin that carries an environment marker is attached as `likely`.
 */
import { BlastError } from '../model/errors.js';
import { printable } from '../model/ids.js';
import type { GraphBatch } from '../model/types.js';
import type { IngestContext, InputFormat } from './format.js';
import { GraphBuilder, pep503, secretInText } from './package-graph.js';
import type { ParsedInput } from './parsed-input.js';

const NAME = '[A-Za-z0-9][A-Za-z0-9._-]*';
const PIN_SPEC = new RegExp(`^(${NAME})\\s*(\\[[^\\]]*\\])?\\s*===?\\s*([A-Za-z0-9][A-Za-z0-9._+!-]*)$`);
/** Longest logical line considered; longer lines are refused (and never run through the patterns). */
const MAX_LINE = 4096;
const REQUIREMENT = new RegExp(`^${NAME}\\s*(\\[[^\\]]*\\])?\\s*(\\(?\\s*(===|==|!=|~=|>=|<=|<|>)|;|@|$)`);
const URL_OR_PATH = /^(\w[\w+.-]*:\/\/|git\+|file:|\.{0,2}\/)|^\S+\s*@\s*\S/;
const INCLUDE = /^(-r|--requirement|-c|--constraint|-e|--editable)(\s|=|$)/;

export const requirementsFormat: InputFormat = {
  name: 'requirements.txt',
  detect: (input) => {
    if (input.syntax !== 'text') return false;
    let pins = 0;
    let significant = 0;
    let requirementLike = 0;
    for (const { text } of logicalLines(input.text)) {
      const line = stripComment(text).trim();
      if (line === '') continue;
      significant++;
      if (line.length > MAX_LINE) continue;
      if (parsePin(line)) pins++;
      if (line.startsWith('-') || REQUIREMENT.test(line) || URL_OR_PATH.test(line)) requirementLike++;
    }
    return pins > 0 && requirementLike >= 0.9 * significant;
  },
  parse: parseRequirements,
};

interface Pin {
  name: string;
  id: string;
  line: number;
  marker: boolean;
  via: Array<{ name: string; line: number }>;
}

export function parseRequirements(input: ParsedInput, ctx: IngestContext): GraphBatch {
  const b: GraphBuilder = new GraphBuilder(ctx, (pointer) => pointer || '/');
  const pins: Pin[] = [];
  let last: Pin | undefined;
  let inVia = false;

  for (const { text, line } of logicalLines(input.text)) {
    const at = `line ${line}`;
    const secret = secretInText(text);
    if (secret) {
      throw new BlastError('SECRET_REFUSED', `refused: ${secret}; a requirements file must not carry credentials (use environment variables)`, { input: ctx.input, location: at });
    }
    const trimmed = text.trim();
    if (trimmed.startsWith('#')) {
      // pip-compile / uv: "# via X", or "# via" followed by "#   X" lines.
      const via = /^#\s*via\b\s*(.*)$/.exec(trimmed);
      if (via && last) {
        inVia = true;
        if (via[1]!.trim() !== '') addVia(last, via[1]!.trim(), line);
      } else if (inVia && last && /^#\s{2,}\S/.test(trimmed)) {
        addVia(last, trimmed.slice(1).trim(), line);
      } else {
        inVia = false;
      }
      continue;
    }
    inVia = false;
    const req = stripComment(text).trim();
    if (req === '') continue;
    if (req.length > MAX_LINE) b.fail(`line is longer than ${MAX_LINE} characters`, at);
    if (INCLUDE.test(req)) {
      b.tally('include', '-r / -c includes and -e editables are not followed (ingest those files too)', at);
      last = undefined;
      continue;
    }
    if (req.startsWith('-')) {
      last = undefined;
      continue; // index, hash-mode and build options: nothing to record
    }
    const pin = parsePin(req);
    if (pin) {
      const id = b.packageVersion(b.purl('pypi', undefined, pin.name, pin.version, at), at);
      last = { name: pep503(pin.name), id, line, marker: pin.marker, via: [] };
      pins.push(last);
      continue;
    }
    last = undefined;
    if (URL_OR_PATH.test(req)) b.tally('url', 'URL and path requirements skipped', at);
    else if (REQUIREMENT.test(req)) b.tally('unpinned', 'requirements not pinned with == skipped', at);
    else b.fail(`not a requirement: "${printable(req, 60)}"`, at);
  }

  const byName = new Map<string, Pin[]>();
  for (const p of pins) byName.set(p.name, [...(byName.get(p.name) ?? []), p]);
  for (const p of pins) {
    for (const v of p.via) {
      const parents = byName.get(pep503(v.name)) ?? [];
      if (parents.length === 0) {
        b.tally('via-unpinned', '"# via" names that are not pinned in this file skipped', `line ${v.line}`);
        continue;
      }
      for (const parent of parents) b.edge(parent.id, 'DEPENDS_ON', p.id, `line ${v.line}`, { confidence: parents.length > 1 ? 'possible' : undefined });
    }
  }

  const marked = new Set(pins.filter((p) => p.marker).map((p) => p.id));
  const unmarked = new Set(pins.filter((p) => !p.marker).map((p) => p.id));
  b.attachService((id) => (marked.has(id) && !unmarked.has(id) ? 'likely' : undefined));
  return b.build();
}

/** `name[extras]==version ; marker --hash=…` -> its parts, or null when the line is not an exact pin. */
function parsePin(line: string): { name: string; version: string; marker: boolean } | null {
  const options = /\s--?[A-Za-z]/.exec(line);
  const head = options ? line.slice(0, options.index) : line;
  const semi = head.indexOf(';');
  const spec = (semi < 0 ? head : head.slice(0, semi)).trim();
  const m = PIN_SPEC.exec(spec);
  if (!m) return null;
  return { name: m[1]!, version: m[3]!, marker: semi >= 0 && head.slice(semi + 1).trim() !== '' };
}

function addVia(pin: Pin, entry: string, line: number): void {
  // "-r requirements.in" and "-c constraints.txt" mean "asked for directly".
  if (entry.startsWith('-')) return;
  for (const name of entry.split(/[\s,]+/)) {
    const m = new RegExp(`^(${NAME})(\\[[^\\]]*\\])?$`).exec(name);
    if (m) pin.via.push({ name: m[1]!, line });
  }
}

/** Joins `\` continuations; each logical line keeps the number of its first physical line. */
export function logicalLines(text: string): Array<{ text: string; line: number }> {
  const out: Array<{ text: string; line: number }> = [];
  const physical = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  let buffer = '';
  let start = 0;
  physical.forEach((raw, i) => {
    if (buffer === '') start = i + 1;
    if (/\\\s*$/.test(raw) && !raw.trim().startsWith('#')) {
      buffer += raw.replace(/\\\s*$/, ' ');
      return;
    }
    out.push({ text: buffer + raw, line: start });
    buffer = '';
  });
  if (buffer !== '') out.push({ text: buffer, line: start });
  return out;
}

/** Removes a trailing ` # comment` (a `#` after whitespace; `#egg=` inside a URL stays). */
function stripComment(line: string): string {
  if (line.trimStart().startsWith('#')) return '';
  const m = /(^|\s)#/.exec(line);
  return m ? line.slice(0, m.index) : line;
}
