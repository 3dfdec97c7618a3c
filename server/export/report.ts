/**
 * The report (report.md and report.pdf): what happened, how it was computed, who must be told by
 * when, and the evidence for every statement down to the SHA-256 of each source document.
 */
import type { PathHop } from '../engine/blast-radius.js';
import { NODE_KINDS, type NodeKind } from '../model/kinds.js';
import { timeText, type Block, type Doc, type EvidenceHop } from './document.js';
import { containedAt, type CustomerView, type ExportModel } from './export-model.js';

/** The files an export writes, as the report describes them (customer packs are listed apart). */
export const FILE_DESCRIPTIONS: Array<[string, string]> = [
  ['report.md, report.pdf', 'this report'],
  ['blast-radius.json', 'the blast-radius result, exactly as "blast radius --format json" prints it'],
  ['affected.csv', 'one row per affected asset'],
  ['customers.csv', 'one row per affected customer or partner, with the notification deadline'],
  ['paths.csv', 'one row per hop of every affected asset\'s evidence path'],
  ['rotation-queue.csv', 'one row per credential to rotate, most urgent first'],
  ['graph.graphml, graph.cyjs', 'the affected subgraph (seeds, affected assets, the relationships on the paths) for graph tools and Cytoscape'],
  ['customers/<id>.md, customers/<id>.json', 'a notification pack per affected customer'],
  ['vex.cdx.json', 'CycloneDX 1.6 VEX: the compromised package versions and affected services, analysis state exploitable'],
  ['manifest.json', 'the SHA-256 of every other file, the parameters and the graph snapshot; check with "blast verify DIR"'],
];

export function buildReport(model: ExportModel): Doc {
  const { meta, result } = model;
  const blocks: Block[] = [
    { type: 'heading', level: 1, text: meta.title },
    {
      type: 'paragraph',
      text: `Generated ${meta.generatedAt} by ${meta.tool.name} ${meta.tool.version} from graph snapshot ${result.snapshotId}.`,
    },
    { type: 'heading', level: 2, text: 'Incident summary' },
    ...summary(model),
    { type: 'heading', level: 2, text: 'Seeds and window' },
    ...seeds(model),
    { type: 'heading', level: 2, text: 'Method' },
    ...method(model),
    { type: 'heading', level: 2, text: 'Timeline of first exposures' },
    {
      type: 'table',
      columns: [{ title: 'First exposed', time: true }, { title: 'Asset', weight: 2.4 }, { title: 'Kind', weight: 1.2 }, { title: 'Hops', weight: 0.7 }, { title: 'Confidence', weight: 1.1 }, { title: 'Reached from', weight: 2.4 }, { title: 'Edge', weight: 1.2 }],
      rows: result.affected.map((a) => {
        const last = a.path.at(-1);
        return [timeText(a.firstExposedAt), a.id, a.kind, String(a.hops), a.confidence, last?.from ?? '', last?.edge ?? ''];
      }),
    },
    { type: 'heading', level: 2, text: 'Affected customers and notification deadlines' },
    ...customersTable(model),
    { type: 'heading', level: 2, text: 'Evidence per customer' },
  ];
  if (model.customers.length === 0) blocks.push({ type: 'paragraph', text: 'No customer or partner is affected.' });
  for (const c of model.customers) blocks.push(...customerSection(model, c));
  blocks.push({ type: 'heading', level: 2, text: 'Affected assets by kind' }, ...assetsByKind(model));
  blocks.push({ type: 'heading', level: 2, text: 'About the files' }, ...aboutFiles());
  blocks.push(
    { type: 'heading', level: 2, text: 'Appendix: source documents' },
    {
      type: 'paragraph',
      text: 'Every document cited by this report (the records behind each hop and each asset), with the SHA-256 of its bytes as ingested and when it was first ingested.',
    },
    {
      type: 'table',
      columns: [{ title: 'Document', weight: 2.2 }, { title: 'SHA-256', hash: true }, { title: 'First ingested', time: true }],
      rows: model.documents.map((d) => [d.source, d.sha256, d.firstIngestedAt]),
    },
  );
  return { title: meta.title, blocks };
}

function countByKind(ids: Iterable<{ kind: NodeKind }>): string {
  const counts = new Map<NodeKind, number>();
  for (const a of ids) counts.set(a.kind, (counts.get(a.kind) ?? 0) + 1);
  const parts = NODE_KINDS.filter((k) => counts.has(k)).map((k) => `${counts.get(k)} ${k}`);
  return parts.length === 0 ? 'none' : parts.join(', ');
}

function summary(model: ExportModel): Block[] {
  const { result, customers } = model;
  const seedList = result.seeds.map((s) => `${s.id} (from ${timeText(s.at)})`).join('; ');
  const out: string[] = [`Seeds: ${result.seeds.length === 0 ? 'none' : seedList}.`];
  if (result.affected.length === 0) {
    out.push('No asset is reachable from the seeds with these parameters.');
  } else {
    out.push(`The compromise could reach ${result.affected.length} assets (${countByKind(result.affected)}).`);
    const first = result.affected[0]!.firstExposedAt;
    const last = result.affected.at(-1)!.firstExposedAt;
    out.push(`The first exposure is ${timeText(first)} and the last first exposure ${timeText(last)}.`);
  }
  if (customers.length > 0) {
    const deadlines = customers.map((c) => c.deadline).filter((d): d is string => d !== null).sort();
    out.push(
      `${customers.length === 1 ? '1 customer or partner is' : `${customers.length} customers or partners are`} affected: ${customers.map((c) => `${c.name} (${c.id})`).join(', ')}.` +
        (deadlines.length > 0 ? ` The earliest notification deadline is ${deadlines[0]}.` : ''),
    );
  } else {
    out.push('No customer or partner is affected.');
  }
  const missing = result.seeds.filter((s) => !s.found);
  if (missing.length > 0) out.push(`Not in the graph (they reach nothing): ${missing.map((s) => s.id).join(', ')}.`);
  return [{ type: 'paragraph', text: out.join(' ') }];
}

function seeds(model: ExportModel): Block[] {
  const { result, nodes } = model;
  const rows = result.seeds.map((s) => {
    const n = nodes.get(s.id);
    return [s.id, n?.kind ?? '', n?.name ?? '', timeText(s.at), containedAt(n) ?? '', s.found ? 'yes' : 'no'];
  });
  const starts = result.seeds.filter((s) => s.found).map((s) => s.at);
  const from = starts.includes(null) ? null : (starts.filter((t): t is string => t !== null).sort()[0] ?? null);
  const lastExposure = result.affected.at(-1)?.firstExposedAt;
  const window =
    starts.length === 0
      ? 'No seed is in the graph, so there is no exposure window.'
      : `The window this report covers runs from the earliest seed start, ${timeText(from)}, to the last first exposure, ` +
        `${lastExposure === undefined ? 'none (nothing reached)' : timeText(lastExposure)}. A seed's "contained at" ends its own compromise window.`;
  return [
    {
      type: 'table',
      columns: [{ title: 'Seed', weight: 2.6 }, { title: 'Kind', weight: 1.1 }, { title: 'Name', weight: 1.8 }, { title: 'Compromise start', time: true }, { title: 'Contained at', time: true }, { title: 'In graph', weight: 0.6 }],
      rows,
    },
    { type: 'paragraph', text: window },
  ];
}

function method(model: ExportModel): Block[] {
  const o = model.result.options;
  return [
    {
      type: 'paragraph',
      text:
        'The blast radius is every asset a compromise could reach from the seeds, when it could first have reached it, and how. ' +
        'It is computed from the graph alone, the same way on every store, and the same graph with the same parameters gives the same answer. A compromise moves along these steps:',
    },
    {
      type: 'list',
      items: [
        'a compromised package version taints every package version that depends on it, and every service that installed or ran it;',
        'a compromised service exposes every credential it holds, every dataset it reads or writes, and every customer that uses it;',
        'a stolen credential opens what it grants: datasets (any access), services (admin or deploy access only), and packages it may publish;',
        'a stolen credential with publish access to a package compromises every version of that package published between the theft and the end of the credential\'s validity (rotation, revocation, containment or the end of the grant);',
        'an exposed dataset exposes the datasets it was derived from (a copy leaks its sources) and the customers whose data it holds.',
      ],
    },
    {
      type: 'paragraph',
      text:
        'Time: each asset gets the earliest instant the compromise could have arrived (first exposed). A relationship is crossed no earlier than the compromise reached its origin, ' +
        'the relationship began and (for a credential) the credential was created, and only if that instant is no later than the relationship ended, the origin was contained, ' +
        'or a credential was rotated or revoked. An unknown time means "as early as possible". A seed starts at the time given, else at its compromisedAt, else at its publishedAt; its containedAt ends its window. ' +
        'Among several ways to reach an asset the earliest arrival wins, then fewer hops, then the alphabetically smaller previous asset. ' +
        'The confidence of a path is its weakest relationship (confirmed > likely > possible).',
    },
    {
      type: 'paragraph',
      text:
        'Notification deadline: the customer\'s first exposure plus its notice period (notifyWithinHours). This is the earliest, most conservative reading; ' +
        'many regimes count from when the breach became known. Customers without a notice period have no computed deadline.',
    },
    {
      type: 'fields',
      rows: [
        ['Seeds', model.result.seeds.length === 0 ? 'none' : model.result.seeds.map((s) => `${s.id} from ${timeText(s.at)}`).join('; ')],
        ['Maximum hops', o.maxHops === null ? 'no limit' : String(o.maxHops)],
        ['Edge kinds followed', o.edgeKinds.join(', ')],
        ['Minimum confidence', o.minConfidence],
        ['As of (knowledge cut-off)', o.asOf === null ? 'everything stored' : o.asOf],
        ['Extra containment', o.contained.length === 0 ? 'none' : o.contained.map((c) => `${c.id} at ${c.at}`).join('; ')],
        ['Graph snapshot', model.result.snapshotId],
        ['Generated at', model.meta.generatedAt],
        ['Tool', `${model.meta.tool.name} ${model.meta.tool.version}`],
      ],
    },
  ];
}

function customersTable(model: ExportModel): Block[] {
  return [
    {
      type: 'table',
      columns: [{ title: 'Customer', weight: 1.6 }, { title: 'Id', weight: 1.8 }, { title: 'First exposed', time: true }, { title: 'Notify within', weight: 0.8 }, { title: 'Deadline', time: true }, { title: 'Jurisdiction', weight: 1 }, { title: 'Contact', weight: 1.8 }],
      rows: model.customers.map((c) => [
        c.name,
        c.id,
        timeText(c.firstExposedAt),
        c.notifyWithinHours === null ? 'not set' : `${c.notifyWithinHours} h`,
        deadlineText(c),
        c.jurisdiction ?? '',
        c.contact ?? '',
      ]),
    },
  ];
}

export function deadlineText(c: CustomerView): string {
  if (c.deadline !== null) return c.deadline;
  return c.notifyWithinHours === null ? 'no notice period recorded' : 'immediately (exposure time unknown)';
}

/** A path with the names of its ends, for people. */
export function evidenceHops(model: ExportModel, path: readonly PathHop[]): EvidenceHop[] {
  const name = (id: string) => model.nodes.get(id)?.name ?? id;
  return path.map((h) => ({ ...h, fromName: name(h.from), toName: name(h.to) }));
}

function customerSection(model: ExportModel, c: CustomerView): Block[] {
  const blocks: Block[] = [
    { type: 'heading', level: 3, text: `${c.name} (${c.id})` },
    {
      type: 'fields',
      rows: [
        ['First exposed', timeText(c.firstExposedAt)],
        ['Notification deadline', deadlineText(c)],
        ['Assets of theirs reached', String(c.exposures.length)],
      ],
    },
  ];
  c.exposures.forEach((e, i) => {
    const relation = e.relation === 'USES' ? 'a service they use' : 'holds their data';
    blocks.push({
      type: 'paragraph',
      text: `Chain ${i + 1}: through ${e.kind} ${e.name} (${e.id}, ${relation}), exposed ${timeText(e.firstExposedAt)}; confidence ${e.confidence}.`,
    });
    blocks.push({ type: 'evidence', hops: evidenceHops(model, e.path) });
  });
  if (c.contained.length > 0) {
    blocks.push({ type: 'paragraph', text: 'Contained on these paths:' });
    blocks.push({
      type: 'list',
      items: c.contained.map((n) => `${n.name} (${n.id}) contained at ${n.containedAt}${n.basis === 'assumed' ? ' (assumed for this export)' : ''}`),
    });
  }
  return blocks;
}

function assetsByKind(model: ExportModel): Block[] {
  const blocks: Block[] = [];
  for (const kind of NODE_KINDS) {
    const list = model.result.affected.filter((a) => a.kind === kind);
    if (list.length === 0) continue;
    blocks.push({ type: 'heading', level: 3, text: `${kind} (${list.length})` });
    blocks.push({
      type: 'table',
      columns: [{ title: 'Asset', weight: 2.6 }, { title: 'Name', weight: 1.9 }, { title: 'First exposed', time: true }, { title: 'Hops', weight: 0.7 }, { title: 'Confidence', weight: 1.1 }, { title: 'Contained at', time: true }],
      rows: list.map((a) => [a.id, a.name, timeText(a.firstExposedAt), String(a.hops), a.confidence, containedAt(model.nodes.get(a.id)) ?? '']),
    });
  }
  if (blocks.length === 0) blocks.push({ type: 'paragraph', text: 'None.' });
  return blocks;
}

function aboutFiles(): Block[] {
  return [
    { type: 'list', items: FILE_DESCRIPTIONS.map(([f, d]) => `${f}: ${d}`) },
    {
      type: 'paragraph',
      text:
        'CSV files follow RFC 4180 (UTF-8, comma-separated, CRLF line ends, fields with commas, quotes or line breaks quoted and inner quotes doubled); times are ISO-8601 UTC and an empty time means unknown (as early as possible). ' +
        'To stop spreadsheets from running untrusted text as a formula, a cell that starts with =, +, -, @, a tab or a carriage return is prefixed with a single quote (\'); remove that one quote to get the value as stored.',
    },
    {
      type: 'paragraph',
      text: 'Every hop of every evidence chain cites the records that assert it: the document\'s name, the place inside it (after #), when it was ingested and the SHA-256 of its bytes, so each statement can be checked against the original.',
    },
  ];
}
