import cytoscape from 'cytoscape';
import { describe, expect, it } from 'vitest';
import { blastGraph } from '../../web/src/blast-elements.js';
import { customerPaths, evidenceOf, pathElements } from '../../web/src/evidence.js';
import { applyVersionMode, packageDisplayName, packageOf } from '../../web/src/version-groups.js';
import { buildTimeline } from '../../web/src/timeline.js';
import { toElements } from '../../web/src/view-graph.js';
import { fixture } from './fixture.js';

const result = fixture();
const base = blastGraph(result);

function headless(mode: Parameters<typeof applyVersionMode>[1]) {
  const g = applyVersionMode(base, mode);
  return { g, cy: cytoscape({ headless: true, elements: toElements(g) }) };
}

describe('package versions', () => {
  it('names the package of a version', () => {
    expect(packageOf({ id: 'pkg:npm/%40scope/name@1.2.3', kind: 'PackageVersion' })).toBe('pkg:npm/%40scope/name');
    expect(packageOf({ id: 'pkg:pypi/lib', kind: 'Package' })).toBe('pkg:pypi/lib');
    expect(packageOf({ id: 'svc:a', kind: 'Service' })).toBeNull();
    expect(packageDisplayName('pkg:npm/%40scope/name')).toBe('@scope/name');
  });

  it('group: versions and their package sit in one compound parent', () => {
    const { cy } = headless('group');
    const parent = cy.getElementById('group:pkg:pypi/lib');
    expect(parent.isParent()).toBe(true);
    expect(parent.children().map((n) => n.id()).sort()).toEqual(['pkg:pypi/lib', 'pkg:pypi/lib@2.0', 'pkg:pypi/lib@2.1']);
    expect(cy.edges()).toHaveLength(base.edges.length);
    cy.destroy();
  });

  it('collapse: one node per package, edges re-attached, none inside it', () => {
    const { g, cy } = headless('collapse');
    const group = cy.getElementById('group:pkg:pypi/lib');
    expect(group.data('members')).toEqual(['pkg:pypi/lib', 'pkg:pypi/lib@2.0', 'pkg:pypi/lib@2.1']);
    expect(cy.getElementById('pkg:pypi/lib@2.0').empty()).toBe(true);
    expect(cy.getElementById('cred:acme/pypi|GRANTS|group:pkg:pypi/lib').nonempty()).toBe(true);
    expect(cy.getElementById('group:pkg:pypi/lib|DEPENDS_ON|svc:acme/dev').nonempty()).toBe(true);
    expect(cy.edges().filter((e) => e.source().id() === e.target().id())).toHaveLength(0);
    // The group appears when its first member is reached.
    expect(group.data('t')).toBe(Date.parse('2026-03-19T19:02:00Z'));
    // Evidence paths map onto what is drawn.
    const h = pathElements([evidenceOf(result, 'ds:acme/data')], g.alias);
    for (const id of [...h.nodes, ...h.edges]) expect(cy.getElementById(id).nonempty()).toBe(true);
    cy.destroy();
  });

  it('hide: versions leave, the walk is bridged across them', () => {
    const { g, cy } = headless('hide');
    expect(cy.nodes('[kind = "PackageVersion"]').filter((n) => !n.hasClass('seed'))).toHaveLength(0);
    const bridge = cy.getElementById('pkg:pypi/lib|DEPENDS_ON|svc:acme/dev');
    expect(bridge.nonempty()).toBe(true);
    expect(bridge.data('confidenceExact')).toBe(false);
    const h = customerPaths(result.customers[0]!, g.alias);
    for (const id of [...h.nodes, ...h.edges]) expect(cy.getElementById(id).nonempty()).toBe(true);
    // Still a timeline: every drawn element has a step.
    const tl = buildTimeline(g);
    cy.elements().forEach((el) => expect(tl.stepOf.has(el.id())).toBe(true));
    cy.destroy();
  });

  it('show leaves the graph as it is', () => {
    expect(applyVersionMode(base, 'show')).toBe(base);
  });
});
