/**
 * Entry point. Starts the explorer and exposes `window.cy` (the Cytoscape instance) and
 * `window.blast`, a small hook for tests and benchmarks.
 */
import { Explorer } from './explorer.js';
import type { ViewState } from './url-state.js';

const params = new URLSearchParams(location.search);
const forced = params.get('renderer');
const explorer = new Explorer({ renderer: forced === 'canvas' || forced === 'webgl' ? forced : null });

export interface BlastHook {
  /** Resolves once the first view (walk, neighbourhood or the empty start) is on screen. */
  ready: Promise<void>;
  state(): ViewState;
  /** The last blastRadius answer, as the API gave it. */
  result(): unknown;
  /** Resolves when the walk stands at its end and is not playing. */
  walkFinished(): Promise<void>;
  /** The scrubber: step index, step count, the step's instant (ISO or null) and hop. */
  step(): { index: number; count: number; t: string | null; hop: number };
  /** Shows the walk at an instant (ISO), or its end (null). */
  scrubTo(iso: string | null): void;
  /** Sets how long a whole walk plays (ms). */
  setWalkDuration(ms: number): void;
  /** Ids of the nodes drawn and visible now (compound parents excluded). */
  visibleNodeIds(): string[];
  visibleEdgeIds(): string[];
  highlighted(): { nodes: string[]; edges: string[] };
  renderer(): 'canvas' | 'webgl';
  /** The browser's WebGL 2: on a GPU, in software, or none. */
  webglSupport(): 'gpu' | 'software' | 'none';
  /** performance.now() when the data arrived and when the graph was first drawn, and its size. */
  metrics(): { dataAt: number | null; drawnAt: number | null; nodes: number; edges: number; phases: Record<string, number> };
  /** Resolves after the next drawn frame. */
  afterRender(): Promise<void>;
  /** The overview (null when every node is drawn): each group, its size and whether it is expanded. */
  overview(): { groups: Array<{ id: string; kind: string; owner: string; name: string; count: number; expanded: boolean; drawn: boolean }> } | null;
  /** Expands (true) or collapses an overview group; resolves once drawn. */
  toggleGroup(id: string, open: boolean): Promise<void>;
  explorer: Explorer;
}

const hook: BlastHook = {
  ready: explorer.start(),
  state: () => structuredClone(explorer.state),
  result: () => explorer.result,
  walkFinished: () => explorer.walkFinished(),
  step: () => {
    const st = explorer.timeline?.steps[explorer.step];
    return {
      index: explorer.step,
      count: explorer.timeline?.steps.length ?? 0,
      t: st && st.t !== null ? new Date(st.t).toISOString().replace('.000Z', 'Z') : null,
      hop: st?.h ?? 0,
    };
  },
  scrubTo: (iso) => explorer.scrubTo(iso),
  setWalkDuration: (ms) => {
    (explorer.options as { walkMs: number }).walkMs = ms;
  },
  visibleNodeIds: () => [...explorer.visibleIds().nodes].sort(),
  visibleEdgeIds: () => [...explorer.visibleIds().edges].sort(),
  highlighted: () => explorer.highlighted(),
  renderer: () => explorer.rendererMode,
  webglSupport: () => explorer.webgl,
  metrics: () => ({ ...explorer.metrics }),
  afterRender: () => explorer.afterRender(),
  overview: () => {
    const o = explorer.overview;
    if (!o) return null;
    const drawn = new Set(o.nodes.map((n) => n.id));
    return {
      groups: [...o.groups.values()].map((g) => ({ id: g.id, kind: g.kind, owner: g.owner, name: g.name, count: g.members.length, expanded: g.expanded, drawn: drawn.has(g.id) })),
    };
  },
  toggleGroup: (id, open) => explorer.toggleGroup(id, open),
  explorer,
};

(window as unknown as { blast: BlastHook }).blast = hook;
