/**
 * The affected subgraph as graph files: the seeds, every affected node, every node on a path, and
 * the stored edges the paths cross (in their stored direction). GraphML for graph tools (yEd,
 * Gephi, networkx) and Cytoscape JSON (`.cyjs`, loadable by Cytoscape desktop and cytoscape.js).
 */
import type { StoredEdge } from '../model/record.js';
import type { ExportModel } from './export-model.js';
import { containedAt } from './export-model.js';
import { compareText } from '../engine/blast-options.js';

interface NodeData {
  id: string;
  kind: string;
  name: string;
  seed: boolean;
  firstExposedAt: string | null;
  hops: number | null;
  confidence: string | null;
  containedAt: string | null;
}

interface EdgeData {
  id: string;
  source: string;
  target: string;
  kind: string;
  since: string | null;
  until: string | null;
  confidence: string;
  access: string | null;
}

function nodeData(model: ExportModel): NodeData[] {
  const seeds = new Map(model.result.seeds.map((s) => [s.id, s]));
  const ids = new Set<string>([...model.result.seeds.filter((s) => s.found).map((s) => s.id), ...model.affectedById.keys()]);
  for (const e of model.edges) ids.add(e.from).add(e.to);
  return [...ids].sort(compareText).map((id) => {
    const n = model.nodes.get(id);
    const a = model.affectedById.get(id);
    const seed = seeds.get(id);
    return {
      id,
      kind: n?.kind ?? a?.kind ?? '',
      name: n?.name ?? a?.name ?? id,
      seed: seed !== undefined,
      firstExposedAt: a ? a.firstExposedAt : seed ? seed.at : null,
      hops: a ? a.hops : seed ? 0 : null,
      confidence: a ? a.confidence : seed ? 'confirmed' : null,
      containedAt: containedAt(n),
    };
  });
}

function edgeData(e: StoredEdge): EdgeData {
  return {
    id: e.key,
    source: e.from,
    target: e.to,
    kind: e.kind,
    since: e.since ?? null,
    until: e.until ?? null,
    confidence: e.confidence ?? 'confirmed',
    access: e.access ?? null,
  };
}

/** Cytoscape JSON: `{ elements: { nodes: [{ data }], edges: [{ data }] } }`. */
export function cytoscapeJson(model: ExportModel): string {
  const doc = {
    format_version: '1.0',
    generated_by: `${model.meta.tool.name}-${model.meta.tool.version}`,
    target_cytoscapejs_version: '~3.35',
    data: { name: model.meta.title, snapshotId: model.result.snapshotId, generatedAt: model.meta.generatedAt },
    elements: {
      nodes: nodeData(model).map((data) => ({ data })),
      edges: model.edges.map((e) => ({ data: edgeData(e) })),
    },
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/** Text xmlEscape leaves as it is: printable ASCII without markup characters. */
const XML_PLAIN = /^[\x20-\x21\x23-\x25\x28-\x3b\x3d\x3f-\x7e]*$/;

/** XML 1.0 text: markup characters escaped, characters XML cannot carry dropped. */
export function xmlEscape(text: string): string {
  if (XML_PLAIN.test(text)) return text;
  return text
    .replace(/[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

const NODE_KEYS: Array<[keyof NodeData, string]> = [
  ['kind', 'string'],
  ['name', 'string'],
  ['seed', 'boolean'],
  ['firstExposedAt', 'string'],
  ['hops', 'int'],
  ['confidence', 'string'],
  ['containedAt', 'string'],
];
const EDGE_KEYS: Array<[keyof EdgeData, string]> = [
  ['kind', 'string'],
  ['since', 'string'],
  ['until', 'string'],
  ['confidence', 'string'],
  ['access', 'string'],
];

export function graphml(model: ExportModel): string {
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">',
    ...NODE_KEYS.map(([k, t]) => `  <key id="n_${k}" for="node" attr.name="${k}" attr.type="${t}"/>`),
    ...EDGE_KEYS.map(([k, t]) => `  <key id="e_${k}" for="edge" attr.name="${k}" attr.type="${t}"/>`),
    `  <graph id="blast-radius" edgedefault="directed">`,
    `    <desc>${xmlEscape(`${model.meta.title}; snapshot ${model.result.snapshotId}; generated ${model.meta.generatedAt}`)}</desc>`,
  ];
  for (const n of nodeData(model)) {
    lines.push(`    <node id="${xmlEscape(n.id)}">`);
    for (const [k] of NODE_KEYS) {
      const v = n[k];
      if (v !== null) lines.push(`      <data key="n_${k}">${xmlEscape(String(v))}</data>`);
    }
    lines.push('    </node>');
  }
  for (const e of model.edges.map(edgeData)) {
    lines.push(`    <edge id="${xmlEscape(e.id)}" source="${xmlEscape(e.source)}" target="${xmlEscape(e.target)}">`);
    for (const [k] of EDGE_KEYS) {
      const v = e[k];
      if (v !== null) lines.push(`      <data key="e_${k}">${xmlEscape(String(v))}</data>`);
    }
    lines.push('    </edge>');
  }
  lines.push('  </graph>', '</graphml>');
  return `${lines.join('\n')}\n`;
}
