import cytoscape from 'cytoscape';
import { describe, expect, it } from 'vitest';
import { blastGraph } from '../../web/src/blast-elements.js';
import { evidenceOf, pathElements } from '../../web/src/evidence.js';
import { timeLanes } from '../../web/src/layouts.js';
import { groupIdFor, groupKeyOf, overviewGraph, overviewWanted, ownerOf } from '../../web/src/overview.js';
import { buildTimeline, compareKey } from '../../web/src/timeline.js';
import type { Affected, BlastRadius, EdgeKind, NodeKind, PathHop } from '../../web/src/types.js';
import { parseViewState, serializeViewState, DEFAULT_STATE } from '../../web/src/url-state.js';
import { toElements } from '../../web/src/view-graph.js';
import { fixture } from './fixture.js';

const HOSTILE = '<img src=x onerror=alert(1)>';

/**
 * A generated radius: one seed version -> services of several owners (one owner's name hostile) ->
 * credentials -> datasets -> customers, plus versions of three packages depending on the seed. Times
 * and fan-out come from a small deterministic generator, so counts differ per group.
 */
function generated(size = 600): BlastRadius {
  let s = 7;
  const rand = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  const seed = 'pkg:npm/core@1.0.0';
  const affected: Affected[] = [];
  const byId = new Map<string, Affected>();
  const owners = ['acme', 'globex', HOSTILE, 'initech'];
  const t0 = Date.parse('2026-03-19T18:00:00Z');
  const add = (id: string, kind: NodeKind, from: string | null, edge: EdgeKind, minutes: number) => {
    const prev = from ? byId.get(from) : undefined;
    const arrival = new Date(t0 + minutes * 60_000).toISOString().replace('.000Z', 'Z');
    const hop: PathHop = { from: from ?? seed, edge, to: id, arrival, sources: [] };
    const path = [...(prev?.path ?? []), hop];
    const a: Affected = { id, kind, name: kind === 'Service' && id.includes(HOSTILE) ? HOSTILE : id.split('/').pop()!, firstExposedAt: arrival, hops: path.length, confidence: 'confirmed', path };
    affected.push(a);
    byId.set(id, a);
    return a;
  };
  const services: string[] = [];
  const creds: string[] = [];
  const datasets: string[] = [];
  for (let i = 0; i < size * 0.3; i++) services.push(add(`svc:${owners[i % owners.length]}/s${i}`, 'Service', null, 'DEPENDS_ON', Math.floor(rand() * 500)).id);
  for (let i = 0; i < size * 0.2; i++) {
    const pkg = ['pkg:npm/left', 'pkg:pypi/right', 'pkg:npm/%40scope/mid'][i % 3];
    add(`${pkg}@${i}.0.0`, 'PackageVersion', null, 'DEPENDS_ON', Math.floor(rand() * 500));
  }
  for (let i = 0; i < size * 0.25; i++) {
    const from = services[Math.floor(rand() * services.length)]!;
    creds.push(add(`cred:${ownerOf(from)}/c${i}`, 'Credential', from, 'HOLDS', byId.get(from)!.hops + 500 + Math.floor(rand() * 300)).id);
  }
  for (let i = 0; i < size * 0.2; i++) {
    const from = creds[Math.floor(rand() * creds.length)]!;
    datasets.push(add(`ds:${i % 2 ? 'lake' : 'warehouse'}/d${i}`, 'Dataset', from, 'GRANTS', 900 + Math.floor(rand() * 300)).id);
  }
  const customers = [];
  for (let i = 0; i < 12; i++) {
    const from = datasets[Math.floor(rand() * datasets.length)]!;
    const c = add(`org:c${i}`, 'Customer', from, 'BELONGS_TO', 1300 + i);
    customers.push({ id: c.id, name: c.name, firstExposedAt: c.firstExposedAt, reasons: [{ via: from, path: c.path }] });
  }
  affected.sort((a, b) => (a.firstExposedAt! < b.firstExposedAt! ? -1 : a.firstExposedAt! > b.firstExposedAt! ? 1 : a.id < b.id ? -1 : 1));
  return { snapshotId: 'x', seeds: [{ id: seed, at: '2026-03-19T17:00:00Z' }], options: {}, affected, customers };
}

/** The groups expected straight from the API's answer: affected nodes by kind and owner. */
function countsFromAnswer(result: BlastRadius): Map<string, number> {
  const out = new Map<string, number>();
  for (const a of result.affected) {
    if (a.kind === 'Customer') continue;
    const owner = a.kind === 'PackageVersion' ? a.id.slice(0, a.id.lastIndexOf('@')) : a.id.slice(a.id.indexOf(':') + 1).split('/')[0]!;
    const key = groupIdFor(a.kind, owner);
    out.set(key, (out.get(key) ?? 0) + 1);
  }
  return out;
}

const result = generated();
const base = blastGraph(result);

describe('overview: groups by kind and owner', () => {
  it('names owners from ids and keys groups by kind and owner; seeds and customers stand alone', () => {
    expect(ownerOf('svc:acme/labeling-api')).toBe('acme');
    expect(ownerOf('org:meta')).toBe('');
    expect(groupKeyOf({ id: 'pkg:pypi/litellm@1.82.8', kind: 'PackageVersion', seed: false })).toEqual({ kind: 'PackageVersion', owner: 'pkg:pypi/litellm' });
    expect(groupKeyOf({ id: 'org:meta', kind: 'Customer', seed: false })).toBeNull();
    expect(groupKeyOf({ id: 'svc:acme/x', kind: 'Service', seed: true })).toBeNull();
  });

  it('draws one node per group with exactly the answer’s count by kind and owner, each customer and the seed', () => {
    const o = overviewGraph(base);
    const expected = countsFromAnswer(result);
    const drawnGroups = new Map(o.nodes.filter((n) => n.members).map((n) => [n.id, n.members!.length]));
    expect(drawnGroups).toEqual(expected);
    expect([...o.groups.values()].map((g) => [g.id, g.members.length])).toEqual(expect.arrayContaining([...expected]));
    const loose = o.nodes.filter((n) => !n.members).map((n) => n.id).sort();
    expect(loose).toEqual([result.seeds[0]!.id, ...result.customers.map((c) => c.id)].sort());
    expect(o.nodes.length).toBeLessThan(base.nodes.length / 10);
    // Every edge joins drawn nodes: Cytoscape accepts the elements.
    const cy = cytoscape({ headless: true, elements: toElements(o) });
    expect(cy.nodes().length).toBe(o.nodes.length);
    expect(cy.edges().length).toBe(o.edges.length);
  });

  it('a group’s time is its earliest member’s; group edges keep the earliest crossing', () => {
    const o = overviewGraph(base);
    for (const g of o.groups.values()) {
      const times = g.members.map((m) => base.nodes.find((n) => n.id === m)!.t!);
      expect(g.t).toBe(Math.min(...times));
    }
    for (const e of o.edges) {
      const under = base.edges.filter((b) => (o.alias!.get(b.from) ?? b.from) === e.from && (o.alias!.get(b.to) ?? b.to) === e.to && b.kind === e.kind);
      expect(under.length).toBeGreaterThan(0);
      expect(e.t).toBe(Math.min(...under.map((b) => b.t!)));
    }
  });

  it('expanding a group draws exactly its members in its place; collapsing brings it back', () => {
    const closed = overviewGraph(base);
    const id = groupIdFor('Service', 'acme');
    const members = closed.groups.get(id)!.members;
    const open = overviewGraph(base, { expanded: new Set([id]) });
    expect(open.nodes.some((n) => n.id === id)).toBe(false);
    const added = open.nodes.filter((n) => !closed.nodes.some((c) => c.id === n.id)).map((n) => n.id).sort();
    expect(added).toEqual([...members].sort());
    expect(open.groups.get(id)!.expanded).toBe(true);
    cytoscape({ headless: true, elements: toElements(open) });
  });

  it('pins the selected node’s evidence path: each of its nodes drawn as itself, the path highlightable', () => {
    const target = result.customers[3]!.id;
    const path = evidenceOf(result, target);
    const pinned = new Set([target, ...path.flatMap((h) => [h.from, h.to])]);
    const o = overviewGraph(base, { pinned });
    const drawn = new Set(o.nodes.map((n) => n.id));
    for (const p of pinned) expect(drawn.has(p)).toBe(true);
    const hl = pathElements([path], o.alias);
    const edges = new Set(o.edges.map((e) => e.id));
    for (const e of hl.edges) expect(edges.has(e)).toBe(true);
    // Their groups still count them.
    expect(o.groups.get(o.groupOf.get(path[1]!.to)!)!.members).toContain(path[1]!.to);
  });

  it('the timeline lights a group up when its first member is reached', () => {
    const o = overviewGraph(base);
    const tl = buildTimeline(o);
    for (const g of o.nodes.filter((n) => n.members)) {
      const step = tl.steps[tl.stepOf.get(g.id)!]!;
      const first = g.members!.map((m) => base.nodes.find((n) => n.id === m)!).map((n) => ({ t: n.t, h: n.hops })).sort(compareKey)[0]!;
      expect(compareKey(step, first)).toBe(0);
    }
  });

  it('keeps hostile owners and names as plain label text', () => {
    const o = overviewGraph(base);
    const g = o.groups.get(groupIdFor('Service', HOSTILE))!;
    expect(g.name).toBe(`services of ${HOSTILE}`);
    const el = toElements(o).find((e) => e.data.id === g.id)!;
    expect(el.data.label).toContain('<img');
    expect(String(el.data.label)).toMatch(/\(\d+\)$/);
  });

  it('is wanted above the threshold, or when asked for', () => {
    expect(overviewWanted(1501, 'auto', 1500)).toBe(true);
    expect(overviewWanted(1500, 'auto', 1500)).toBe(false);
    expect(overviewWanted(3, 'on', 1500)).toBe(true);
    expect(overviewWanted(90_000, 'off', 1500)).toBe(false);
  });

  it('leaves a small radius’s lone nodes alone (groups need two members)', () => {
    const small = blastGraph(fixture());
    const o = overviewGraph(small);
    for (const g of o.groups.values()) expect(g.members.length).toBeGreaterThanOrEqual(2);
    const alone = o.nodes.filter((n) => !n.members).length + o.nodes.filter((n) => n.members).reduce((k, n) => k + n.members!.length, 0);
    expect(alone).toBe(small.nodes.length);
  });
});

describe('time lanes', () => {
  it('puts time on x and kind on y, without two nodes on one spot', () => {
    const o = overviewGraph(base, { expanded: new Set([groupIdFor('Service', 'acme')]) });
    const pos = timeLanes(o);
    expect(pos.size).toBe(o.nodes.length);
    const byT = o.nodes.filter((n) => n.t !== null).sort((a, b) => a.t! - b.t!);
    for (let i = 1; i < byT.length; i++) expect(pos.get(byT[i]!.id)!.x).toBeGreaterThanOrEqual(pos.get(byT[i - 1]!.id)!.x);
    const seed = o.nodes.find((n) => n.seed)!;
    expect(pos.get(seed.id)!.x).toBeLessThan(Math.min(...byT.map((n) => pos.get(n.id)!.x)));
    const laneY = (kind: string) => o.nodes.filter((n) => n.kind === kind).map((n) => pos.get(n.id)!.y);
    expect(Math.max(...laneY('Service'))).toBeLessThan(Math.min(...laneY('Credential')));
    expect(Math.max(...laneY('Dataset'))).toBeLessThan(Math.min(...laneY('Customer')));
    expect(new Set([...pos.values()].map((p) => `${p.x},${p.y}`)).size).toBe(pos.size);
  });
});

describe('URL state of the overview', () => {
  it('round-trips expanded groups, the overview mode and the layout; drops anything else', () => {
    const state = { ...DEFAULT_STATE, seeds: ['pkg:npm/core@1.0.0'], overview: 'on' as const, open: ['grp:Service:acme', `grp:Service:${HOSTILE}`].sort(), layout: 'lanes' as const };
    const text = serializeViewState(state);
    expect(parseViewState(text)).toEqual(state);
    expect(parseViewState('?open=svc:acme/x&ov=maybe&layout=spiral')).toEqual(DEFAULT_STATE);
  });
});

describe('overview: kinds with too many groups', () => {
  it('draws such a kind as one node first; opening it shows its groups; its groups keep their counts', () => {
    const o = overviewGraph(base, { maxGroupsPerKind: 3 });
    const services = o.groups.get('grp:Service')!;
    expect(services.name).toBe('services of 4 owners');
    expect(services.members.length).toBe(result.affected.filter((a) => a.kind === 'Service').length);
    const drawn = new Set(o.nodes.map((n) => n.id));
    expect(drawn.has('grp:Service')).toBe(true);
    expect([...drawn].some((id) => id.startsWith('grp:Service:'))).toBe(false);
    // Three version groups are not more than three: drawn as they are.
    expect(drawn.has('grp:PackageVersion')).toBe(false);
    const expected = countsFromAnswer(result);
    for (const [id, count] of expected) expect(o.groups.get(id)!.members.length).toBe(count);
    cytoscape({ headless: true, elements: toElements(o) });

    const open = overviewGraph(base, { maxGroupsPerKind: 3, expanded: new Set(['grp:Service']) });
    const shown = open.nodes.filter((n) => n.kind === 'Service').map((n) => n.id).sort();
    expect(shown).toEqual([...expected.keys()].filter((id) => id.startsWith('grp:Service:')).sort());
    expect(open.groups.get('grp:Service:acme')!.parent).toBe('grp:Service');

    const deeper = overviewGraph(base, { maxGroupsPerKind: 3, expanded: new Set(['grp:Service', 'grp:Service:acme']) });
    const acme = deeper.nodes.filter((n) => n.kind === 'Service' && !n.members).map((n) => n.id).sort();
    expect(acme).toEqual([...deeper.groups.get('grp:Service:acme')!.members].sort());
    // A group opened without its kind group stays folded in it.
    const shut = overviewGraph(base, { maxGroupsPerKind: 3, expanded: new Set(['grp:Service:acme']) });
    expect(shut.nodes.some((n) => n.id === 'grp:Service')).toBe(true);
    expect(shut.nodes.some((n) => n.id.startsWith('svc:acme/'))).toBe(false);
  });
});
