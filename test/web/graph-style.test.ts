import cytoscape from 'cytoscape';
import { describe, expect, it } from 'vitest';
import { blastGraph } from '../../web/src/blast-elements.js';
import { buildStylesheet } from '../../web/src/graph-style.js';
import { CONFIDENCE_VISUALS, KIND_VISUALS } from '../../web/src/kind-visuals.js';
import { neighborhoodGraph } from '../../web/src/neighborhood-elements.js';
import { NODE_KINDS } from '../../web/src/types.js';
import { edgeVisualData, toElements } from '../../web/src/view-graph.js';
import { fixture, SEED } from './fixture.js';

function hexToRgb(hex: string): string {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return `rgb(${r},${g},${b})`;
}

function cyWith(scheme: 'light' | 'dark' = 'light') {
  return cytoscape({ headless: true, styleEnabled: true, elements: toElements(blastGraph(fixture())), style: buildStylesheet({ scheme, icons: false }) });
}

describe('stylesheet', () => {
  it('gives every kind its own shape and colour, in both schemes', () => {
    const shapes = new Set(NODE_KINDS.map((k) => KIND_VISUALS[k].shape));
    expect(shapes.size).toBe(NODE_KINDS.length);
    for (const scheme of ['light', 'dark'] as const) {
      const colours = new Set(NODE_KINDS.map((k) => KIND_VISUALS[k].color[scheme]));
      expect(colours.size).toBe(NODE_KINDS.length);
      const cy = cyWith(scheme);
      const svc = cy.getElementById('svc:acme/ci');
      expect(svc.style('shape')).toBe('round-rectangle');
      expect(svc.style('background-color')).toBe(hexToRgb(KIND_VISUALS.Service.color[scheme]));
      expect(cy.getElementById('cred:acme/deploy').style('shape')).toBe('diamond');
      cy.destroy();
    }
  });

  it('draws edges solid, dashed or dotted by confidence', () => {
    const cy = cyWith();
    expect(cy.getElementById(`${SEED}|DEPENDS_ON|svc:acme/ci`).style('line-style')).toBe('solid');
    expect(cy.getElementById('pkg:pypi/lib@2.0|DEPENDS_ON|svc:acme/dev').style('line-style')).toBe('dotted');
    cy.add({ group: 'edges', data: { id: 'x', source: SEED, target: 'org:meta', confidence: 'likely', ...edgeVisualData('likely') } });
    expect(cy.getElementById('x').style('line-style')).toBe('dashed');
    expect(CONFIDENCE_VISUALS.possible.width).toBeLessThan(CONFIDENCE_VISUALS.confirmed.width);
    cy.destroy();
  });

  it('hides what the walk has not reached yet and what the filters remove', () => {
    const cy = cyWith();
    const n = cy.getElementById('org:meta');
    expect(n.style('display')).toBe('element');
    n.addClass('future');
    expect(n.style('display')).toBe('none');
    n.removeClass('future').addClass('filtered');
    expect(n.style('display')).toBe('none');
    expect(cy.getElementById(SEED).style('border-width')).not.toBe('0px');
    cy.destroy();
  });

  it('shows neighbourhood edges in their stored direction and own confidence', () => {
    const g = neighborhoodGraph(
      {
        nodes: [
          { id: 'svc:a', kind: 'Service', name: 'A' },
          { id: 'pkg:pypi/x@1', kind: 'PackageVersion', name: 'x@1' },
        ],
        edges: [
          { kind: 'DEPENDS_ON', from: 'svc:a', to: 'pkg:pypi/x@1', confidence: 'likely' },
          { kind: 'DEPENDS_ON', from: 'svc:a', to: 'pkg:pypi/gone@1' },
        ],
      },
      new Map([['pkg:pypi/x@1', { seed: true, t: null, firstExposedAt: null, hops: 0, confidence: 'confirmed' as const }]]),
    );
    expect(g.edges).toEqual([expect.objectContaining({ id: 'svc:a|DEPENDS_ON|pkg:pypi/x@1', confidence: 'likely', compromiseDirection: false })]);
    const cy = cytoscape({ headless: true, styleEnabled: true, elements: toElements(g), style: buildStylesheet({ icons: false, labelSide: 'bottom' }) });
    expect(cy.getElementById('svc:a').hasClass('context')).toBe(true);
    expect(cy.getElementById('pkg:pypi/x@1').hasClass('seed')).toBe(true);
    expect(cy.edges()[0]!.style('line-style')).toBe('dashed');
    cy.destroy();
  });
});
