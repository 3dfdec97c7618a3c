import cytoscape from 'cytoscape';
import { describe, expect, it } from 'vitest';
import { blastGraph } from '../../web/src/blast-elements.js';
import { buildTimeline, stepAt, stepDuration, visibleAt } from '../../web/src/timeline.js';
import { toElements } from '../../web/src/view-graph.js';
import { fixture, SEED } from './fixture.js';

describe('timeline', () => {
  const result = fixture();
  const g = blastGraph(result);
  const tl = buildTimeline(g);

  it('orders steps by time, then hop, unknown first', () => {
    const keys = tl.steps.map((s) => [s.t ?? -Infinity, s.h]);
    const sorted = [...keys].sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!);
    expect(keys).toEqual(sorted);
    expect(tl.steps[0]).toEqual({ t: null, h: 0 });
    expect(tl.revealed[0]).toEqual([SEED]);
    // 19:02 grows hop by hop: CI, then its credentials, then the API and the package, then Meta.
    const at1902 = tl.steps.filter((s) => s.t === Date.parse('2026-03-19T19:02:00Z')).map((s) => s.h);
    expect(at1902).toEqual([1, 2, 3, 4]);
  });

  it('at any instant shows exactly the seeds and the nodes exposed up to it', () => {
    const instants = ['2026-03-19T17:00:00Z', '2026-03-19T19:02:00Z', '2026-03-21T15:02:00Z', '2026-03-22T12:00:00Z', '2030-01-01T00:00:00Z'];
    for (const iso of instants) {
      const t = Date.parse(iso);
      const index = stepAt(tl, t);
      const shown = [...visibleAt(tl, Math.max(index, 0))].filter((id) => !id.includes('|'));
      const expected = [SEED, ...result.affected.filter((a) => Date.parse(a.firstExposedAt!) <= t).map((a) => a.id)];
      expect(shown.sort()).toEqual(expected.sort());
    }
  });

  it('never shows an edge before both of its ends', () => {
    const cy = cytoscape({ headless: true, elements: toElements(g) });
    for (let i = 0; i < tl.steps.length; i++) {
      const vis = visibleAt(tl, i);
      cy.edges().forEach((e) => {
        if (vis.has(e.id())) {
          expect(vis.has(e.source().id())).toBe(true);
          expect(vis.has(e.target().id())).toBe(true);
        }
      });
    }
    cy.destroy();
  });

  it('plays a walk in about the asked time, within bounds', () => {
    expect(stepDuration(30, { totalMs: 9000 })).toBe(300);
    expect(stepDuration(5000, { totalMs: 9000 })).toBe(40);
    expect(stepDuration(3, { totalMs: 9000 })).toBe(600);
    expect(stepDuration(1)).toBe(40);
  });
});
