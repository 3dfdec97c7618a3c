/**
 * The explorer's own graph model, between an API answer and Cytoscape elements. Every view (a blast
 * radius walk, a neighbourhood) is first turned into a ViewGraph by a pure function; grouping,
 * filtering, the timeline and the export all work on it; `toElements` is the one place that makes
 * Cytoscape element definitions.
 */
import type { ElementDefinition } from 'cytoscape';
import { CONFIDENCE_VISUALS, KIND_VISUALS } from './kind-visuals.js';
import type { Confidence, EdgeKind, NodeKind } from './types.js';

/** `Group` is the explorer's own kind: a package's versions gathered under one node. */
export type ViewKind = NodeKind | 'Group';

export interface ViewNode {
  id: string;
  kind: ViewKind;
  /** Display name as ingested (untrusted text: drawn on canvas or set as textContent, never as HTML). */
  name: string;
  /** A seed of the walk. */
  seed: boolean;
  /** Reached by the walk (seeds too). False for nodes shown only as context (a neighbourhood). */
  reached: boolean;
  /** firstExposedAt (a seed: its start) as epoch ms; null: unknown, as early as possible. */
  t: number | null;
  firstExposedAt: string | null;
  /** Hops from the nearest seed on the evidence path (0 for seeds). */
  hops: number;
  /** The weakest hop on the evidence path. */
  confidence: Confidence;
  /** A compound parent (versions grouped under their package). */
  parent?: string;
  /** Ids a collapsed group (a package's versions, or an overview group) stands for. */
  members?: string[];
}

export interface ViewEdge {
  /** `from|KIND|to`, in the direction drawn. */
  id: string;
  from: string;
  to: string;
  kind: EdgeKind;
  /** When the compromise crossed it (epoch ms); null: unknown, as early as possible. */
  t: number | null;
  arrival: string | null;
  /** Its position on the path it came from (1 = first hop): orders edges that share an instant. */
  h: number;
  confidence: Confidence;
  /** False when the confidence is a best guess (the API gave none for this hop; see blast-elements). */
  confidenceExact: boolean;
  /** The edge is drawn in the compromise's direction (a walk) rather than the stored one. */
  compromiseDirection: boolean;
}

export interface ViewGraph {
  nodes: ViewNode[];
  edges: ViewEdge[];
  /**
   * Ids of the source graph drawn as another node (a collapsed package) or not drawn at all (null:
   * hidden versions). Absent ids are drawn as themselves.
   */
  alias?: ReadonlyMap<string, string | null>;
}

export const edgeId = (from: string, kind: string, to: string): string => `${from}|${kind}|${to}`;

/** Label text: the name, cut to `max` characters with an ellipsis. */
export function shortLabel(name: string, max = 28): string {
  const chars = Array.from(name);
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : name;
}

export interface ToElementsOptions {
  /**
   * Longest label before it is cut (the full name is in the tooltip and the side panel).
   * @default 28
   */
  labelMax?: number;
}

/** The drawing data of a node kind, mapped by the stylesheet (`data(shape)`, …). */
export function nodeVisualData(kind: ViewKind): Record<string, string> {
  const v = KIND_VISUALS[kind === 'Group' ? 'Package' : kind];
  return { shape: v.shape, colorLight: v.color.light, colorDark: v.color.dark, icon: v.icon };
}

/** The drawing data of an edge confidence, mapped by the stylesheet. */
export function edgeVisualData(confidence: Confidence): Record<string, string | number> {
  const v = CONFIDENCE_VISUALS[confidence];
  return { lineStyle: v.lineStyle, lineWidth: v.width, lineOpacity: v.opacity };
}

/**
 * Cytoscape element definitions. The look of each element is in its data (`shape`, `colorLight`,
 * `colorDark`, `icon`; `lineStyle`, `lineWidth`, `lineOpacity`) and mapped by the stylesheet:
 * Cytoscape resolves a few data mappers far faster than a selector per kind and confidence, which
 * matters at 5,000 nodes. States are classes: `seed`, `context`, `collapsed`, `group`.
 */
export function toElements(graph: ViewGraph, options: ToElementsOptions = {}): ElementDefinition[] {
  const labelMax = options.labelMax ?? 28;
  const out: ElementDefinition[] = [];
  for (const n of graph.nodes) {
    const label = n.members ? `${shortLabel(n.name, labelMax)} (${n.members.length})` : shortLabel(n.name, labelMax);
    out.push({
      group: 'nodes',
      data: {
        id: n.id,
        kind: n.kind,
        name: n.name,
        label,
        seed: n.seed,
        reached: n.reached,
        t: n.t,
        firstExposedAt: n.firstExposedAt,
        hops: n.hops,
        confidence: n.confidence,
        ...nodeVisualData(n.kind),
        ...(n.parent !== undefined && { parent: n.parent }),
        ...(n.members !== undefined && { members: n.members }),
      },
      // `collapsed`: a package's versions as one node; `group`: an overview group (overview.ts).
      classes: [n.seed ? 'seed' : '', n.reached ? '' : 'context', n.members ? (n.kind === 'Group' ? 'collapsed' : 'group') : ''].filter(Boolean).join(' '),
    });
  }
  for (const e of graph.edges) {
    out.push({
      group: 'edges',
      data: {
        id: e.id,
        source: e.from,
        target: e.to,
        kind: e.kind,
        t: e.t,
        arrival: e.arrival,
        h: e.h,
        confidence: e.confidence,
        confidenceExact: e.confidenceExact,
        ...edgeVisualData(e.confidence),
      },
    });
  }
  return out;
}
