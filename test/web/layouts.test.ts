import cytoscape from 'cytoscape';
import dagre from 'cytoscape-dagre';
import { describe, expect, it } from 'vitest';
import { blastGraph } from '../../web/src/blast-elements.js';
import { chooseLayered, forceLayout, hopColumns, layeredLayout, longestPathRanks } from '../../web/src/layouts.js';
import { toElements, type ViewGraph } from '../../web/src/view-graph.js';
import { fixture, SEED } from './fixture.js';

cytoscape.use(dagre);

const g = blastGraph(fixture());

describe('layouts', () => {
  it('lays a walk out in layers from left to right (dagre, rankDir LR)', () => {
    const cy = cytoscape({ headless: true, elements: toElements(g) });
    cy.layout(layeredLayout({ fit: false })).run();
    cy.edges().forEach((e) => expect(e.target().position('x')).toBeGreaterThan(e.source().position('x')));
    expect(cy.getElementById(SEED).position('x')).toBe(Math.min(...cy.nodes().map((n) => n.position('x'))));
    cy.destroy();
  });

  it('hopColumns: one column per hop, no two nodes on one spot', () => {
    const pos = hopColumns(g);
    expect(pos.size).toBe(g.nodes.length);
    const cy = cytoscape({ headless: true, elements: toElements(g) });
    cy.nodes().forEach((n) => {
      n.position(pos.get(n.id())!);
    });
    cy.edges().forEach((e) => expect(e.target().position('x')).toBeGreaterThan(e.source().position('x')));
    const spots = new Set([...pos.values()].map((p) => `${p.x},${p.y}`));
    expect(spots.size).toBe(pos.size);
    cy.destroy();
  });

  it('hopColumns spreads a big hop over sub-columns at 5,000 nodes', () => {
    const nodes: ViewGraph['nodes'] = [{ id: 's', kind: 'PackageVersion', name: 's', seed: true, reached: true, t: null, firstExposedAt: null, hops: 0, confidence: 'confirmed' }];
    const edges: ViewGraph['edges'] = [];
    for (let i = 0; i < 5000; i++) {
      const hops = 1 + (i % 5);
      const from = hops === 1 ? 's' : `n${i - 1}`;
      nodes.push({ id: `n${i}`, kind: 'Service', name: `n${i}`, seed: false, reached: true, t: i, firstExposedAt: null, hops, confidence: 'confirmed' });
      edges.push({ id: `${from}|HOLDS|n${i}`, from, to: `n${i}`, kind: 'HOLDS', t: i, arrival: null, h: hops, confidence: 'confirmed', confidenceExact: true, compromiseDirection: true });
    }
    // Its speed is measured by the browser benchmark (scripts/bench/browser-bench.ts), not here.
    const pos = hopColumns({ nodes, edges }, { maxRows: 40 });
    expect(pos.size).toBe(nodes.length);
    // 1,000 nodes per hop, at most 40 rows (46 px apart) per column.
    expect(Math.max(...[...pos.values()].map((p) => Math.abs(p.y)))).toBeLessThanOrEqual(20 * 46);
    expect(chooseLayered(5001)).toBe('columns');
    expect(chooseLayered(80)).toBe('dagre');
  });

  it('longest-path ranks: every edge points to a later column, cycles fall back to hops', () => {
    const r = longestPathRanks(
      [
        { id: 'a', seed: true, hops: 0 },
        { id: 'b', seed: false, hops: 1 },
        { id: 'c', seed: false, hops: 1 },
        { id: 'x', seed: false, hops: 3 },
        { id: 'y', seed: false, hops: 4 },
      ],
      [
        { from: 'a', to: 'b' },
        { from: 'b', to: 'c' },
        { from: 'a', to: 'c' },
        { from: 'x', to: 'y' },
        { from: 'y', to: 'x' },
      ],
    );
    expect(Object.fromEntries(r)).toEqual({ a: 0, b: 1, c: 2, x: 3, y: 4 });
  });

  it('cose (force) runs headless for neighbourhoods', () => {
    const cy = cytoscape({ headless: true, elements: toElements(g) });
    cy.layout({ ...forceLayout(), numIter: 50 } as cytoscape.LayoutOptions).run();
    const xs = new Set(cy.nodes().map((n) => Math.round(n.position('x'))));
    expect(xs.size).toBeGreaterThan(1);
    cy.destroy();
  });
});
