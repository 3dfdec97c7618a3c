/** The hover card over a node or an edge: name, id, kind, exposure time, hop and confidence. */
import type { EdgeSingular, NodeSingular } from 'cytoscape';
import { CONFIDENCE_VISUALS, KIND_VISUALS } from '../kind-visuals.js';
import type { Confidence, NodeKind } from '../types.js';
import { h, replace, showTime } from '../ui/dom.js';

export function showTooltip(tip: HTMLElement, graph: HTMLElement, el: NodeSingular | EdgeSingular, at: { x: number; y: number }): void {
  const d = el.data() as Record<string, unknown>;
  if (el.isNode()) {
    if (el.isParent()) {
      replace(tip, h('strong', {}, String(d.name)), h('div', {}, `${el.children().length} members`));
    } else {
      const kind = d.kind as string;
      const lines: (string | HTMLElement)[] = [
        h('strong', {}, String(d.name)),
        h('div', { class: 'mono' }, String(d.id)),
        h('div', {}, kind === 'Group' ? 'package (collapsed versions)' : KIND_VISUALS[kind as NodeKind]?.label ?? kind),
      ];
      if (Array.isArray(d.members) && kind !== 'Group') {
        lines.splice(1, 1, h('div', {}, `${d.members.length} nodes, grouped (double-click to expand)`));
        lines.push(h('div', {}, `First member exposed ${showTime(d.firstExposedAt as string | null)}`));
      } else if (d.seed) lines.push(h('div', {}, `Seed · compromise starts ${showTime(d.firstExposedAt as string | null)}`));
      else if (d.reached) lines.push(h('div', {}, `First exposed ${showTime(d.firstExposedAt as string | null)}`), h('div', {}, `hop ${d.hops} · ${d.confidence}`));
      else lines.push(h('div', {}, 'Not reached by the walk'));
      replace(tip, ...lines);
    }
  } else {
    const conf = d.confidence as Confidence;
    replace(
      tip,
      h('strong', {}, String(d.kind)),
      h('div', { class: 'mono' }, `${String(d.source)} → ${String(d.target)}`),
      d.arrival !== undefined && (d.t !== null || d.arrival !== null) ? h('div', {}, `Crossed ${showTime(d.arrival as string | null)}`) : null,
      h('div', {}, `${d.confidenceExact === false ? 'at least ' : ''}${CONFIDENCE_VISUALS[conf]?.label ?? conf}`),
    );
  }
  tip.hidden = false;
  const box = graph.getBoundingClientRect();
  const x = Math.min(at.x + 14, box.width - 300);
  const y = Math.min(at.y + 14, box.height - 90);
  tip.style.left = `${Math.max(4, x)}px`;
  tip.style.top = `${Math.max(4, y)}px`;
}

export function hideTooltip(tip: HTMLElement): void {
  tip.hidden = true;
}
