import cytoscape from 'cytoscape';
import { describe, expect, it } from 'vitest';
import { blastGraph, compareTime, hopConfidence } from '../../web/src/blast-elements.js';
import { toElements, shortLabel } from '../../web/src/view-graph.js';
import { fixture, SEED } from './fixture.js';

describe('blastGraph', () => {
  const result = fixture();
  const g = blastGraph(result, new Map([[SEED, { kind: 'PackageVersion', name: 'acme/scan@1.0.0' }]]));

  it('has the seeds and every affected node, once', () => {
    const ids = g.nodes.map((n) => n.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.sort()).toEqual([SEED, ...result.affected.map((a) => a.id)].sort());
    const seed = g.nodes.find((n) => n.id === SEED)!;
    expect(seed).toMatchObject({ seed: true, hops: 0, t: null, firstExposedAt: '2026-03-19T17:43:00Z', name: 'acme/scan@1.0.0' });
  });

  it('draws every hop of every evidence path in the compromise direction, once', () => {
    const ids = g.edges.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    // One edge into each affected node (a tree) plus the customer's second reason.
    expect(ids).toHaveLength(result.affected.length + 1);
    expect(ids).toContain(`${SEED}|DEPENDS_ON|svc:acme/ci`);
    expect(ids).toContain('ds:acme/data|BELONGS_TO|org:meta');
    const reason = g.edges.find((e) => e.id === 'ds:acme/data|BELONGS_TO|org:meta')!;
    expect(reason).toMatchObject({ t: Date.parse('2026-03-22T08:00:00Z'), h: 7, compromiseDirection: true });
  });

  it('derives a hop confidence only where the path confidences determine it', () => {
    const dev = g.edges.find((e) => e.to === 'svc:acme/dev')!;
    expect(dev).toMatchObject({ confidence: 'possible', confidenceExact: true });
    const data = g.edges.find((e) => e.to === 'ds:acme/data')!;
    expect(data).toMatchObject({ confidence: 'confirmed', confidenceExact: false });
    const ci = g.edges.find((e) => e.to === 'svc:acme/ci')!;
    expect(ci).toMatchObject({ confidence: 'confirmed', confidenceExact: true });
    expect(hopConfidence({ from: 'a', edge: 'HOLDS', to: 'b', arrival: null, confidence: 'likely' }, undefined, undefined, false)).toEqual({
      confidence: 'likely',
      exact: true,
    });
  });

  it('makes elements a headless Cytoscape accepts, with no dangling edge', () => {
    const cy = cytoscape({ headless: true, elements: toElements(g) });
    expect(cy.nodes()).toHaveLength(g.nodes.length);
    expect(cy.edges()).toHaveLength(g.edges.length);
    cy.edges().forEach((e) => {
      expect(e.source().nonempty()).toBe(true);
      expect(e.target().nonempty()).toBe(true);
    });
    expect(cy.getElementById(SEED).hasClass('seed')).toBe(true);
    // The seed reaches everything: the drawn walk is connected from it.
    const reached = cy.elements().bfs({ roots: cy.getElementById(SEED), directed: true }).path.nodes();
    expect(reached).toHaveLength(cy.nodes().length);
    cy.destroy();
  });

  it('keeps untrusted names as data (labels are drawn on canvas, never parsed)', () => {
    const els = toElements(g);
    const ds = els.find((e) => e.data.id === 'ds:acme/data')!;
    expect(ds.data.name).toBe('<img src=x onerror=alert(1)>');
    expect(ds.data.label).toBe('<img src=x onerror=alert(1)>');
  });
});

describe('helpers', () => {
  it('orders unknown times first', () => {
    expect([3, null, 1].sort(compareTime)).toEqual([null, 1, 3]);
  });
  it('cuts long labels on characters, not code units', () => {
    expect(shortLabel('abcdef', 4)).toBe('abc…');
    expect(shortLabel('😀😀😀😀😀', 3)).toBe('😀😀…');
    expect(shortLabel('short', 28)).toBe('short');
  });
});
