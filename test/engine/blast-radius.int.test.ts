/**
 * The blast-radius semantics (ARCHITECTURE.md, "Blast-radius semantics"), one hand-made graph per rule,
 * run against every store. Each case works out its expected answer in a comment. Times are on
 * 2026-03-24 unless said otherwise; `10:00` below means 2026-03-24T10:00:00Z.
 */
import { describe, expect, it } from 'vitest';
import { computeBlastRadius, defaultSeeds, type BlastOptions, type BlastRadius, type PathHop, type SeedInput } from '../../server/engine/blast-radius.js';
import { BlastError } from '../../server/model/errors.js';
import type { EdgeInput, NodeInput } from '../../server/model/types.js';
import type { GraphStore } from '../../server/store/graph-store.js';
import { batch, edge, node, source } from '../support/batches.js';
import { STORES, useStore } from '../support/stores.js';

const at = (hm: string, day = '2026-03-24') => `${day}T${hm}:00Z`;

/** [id, firstExposedAt, hops] in result order. */
function rows(r: BlastRadius): Array<[string, string | null, number]> {
  return r.affected.map((a) => [a.id, a.firstExposedAt, a.hops]);
}

function ids(r: BlastRadius): string[] {
  return r.affected.map((a) => a.id);
}

/** A path as readable lines: `from -EDGE-> to @arrival`. */
function lines(path: PathHop[]): string[] {
  return path.map((h) => `${h.from} -${h.edge}-> ${h.to} @${h.arrival}`);
}

function get(r: BlastRadius, id: string) {
  const a = r.affected.find((x) => x.id === id);
  if (!a) throw new Error(`${id} not reached; reached: ${ids(r).join(', ')}`);
  return a;
}

describe.each(STORES)('blast radius: $backend', (adapter) => {
  let store: GraphStore;
  useStore(adapter, (s) => (store = s), { beforeEach: (s) => s.clear() });

  const write = (nodes: NodeInput[], edges: EdgeInput[] = []) => store.write(batch(nodes, edges));
  const radius = (seeds: SeedInput[], options: BlastOptions = {}) => computeBlastRadius(store, seeds, options);

  describe('steps', () => {
    it('1-2. a PackageVersion reaches the versions and services that depend on it, not its own dependencies', async () => {
      await write(
        [node('pkg:npm/a@1.0.0', { compromisedAt: at('10:00') })],
        [
          edge('pkg:npm/b@1.0.0', 'DEPENDS_ON', 'pkg:npm/a@1.0.0'),
          edge('pkg:npm/a@1.0.0', 'DEPENDS_ON', 'pkg:npm/c@1.0.0'),
          edge('svc:app', 'DEPENDS_ON', 'pkg:npm/a@1.0.0', { since: at('11:00') }),
          edge('svc:app2', 'DEPENDS_ON', 'pkg:npm/b@1.0.0'),
        ],
      );
      const r = await radius([{ id: 'pkg:npm/a@1.0.0' }]);
      // b depends on a: 10:00, 1 hop. svc:app2 runs b: 10:00, 2 hops. svc:app ran a from 11:00.
      // c is a's dependency and pkg:npm/a the package: neither is reached. Sorted by time, then id.
      expect(rows(r)).toEqual([
        ['pkg:npm/b@1.0.0', at('10:00'), 1],
        ['svc:app2', at('10:00'), 2],
        ['svc:app', at('11:00'), 1],
      ]);
      // Hops follow the compromise (a -> b), not the stored direction (b DEPENDS_ON a), and cite the edge's sources.
      const path = get(r, 'svc:app2').path;
      expect(lines(path)).toEqual([
        `pkg:npm/a@1.0.0 -DEPENDS_ON-> pkg:npm/b@1.0.0 @${at('10:00')}`,
        `pkg:npm/b@1.0.0 -DEPENDS_ON-> svc:app2 @${at('10:00')}`,
      ]);
      expect(path[0]!.sources).toEqual(source());
      expect(r.seeds).toEqual([{ id: 'pkg:npm/a@1.0.0', at: at('10:00'), found: true }]);
    });

    it('3. a Service reaches what it HOLDS, READS, WRITES and the customers that USE it, not what it runs', async () => {
      await write(
        [],
        [
          edge('svc:s', 'HOLDS', 'cred:k'),
          edge('svc:s', 'READS', 'ds:r'),
          edge('svc:s', 'WRITES', 'ds:w'),
          edge('org:c', 'USES', 'svc:s'),
          edge('svc:s', 'DEPENDS_ON', 'pkg:npm/x@1.0.0'),
        ],
      );
      const r = await radius([{ id: 'svc:s', at: at('10:00') }]);
      // Every step is one hop at the seed's time; pkg:npm/x is what s runs, not reached.
      expect(rows(r)).toEqual([
        ['cred:k', at('10:00'), 1],
        ['ds:r', at('10:00'), 1],
        ['ds:w', at('10:00'), 1],
        ['org:c', at('10:00'), 1],
      ]);
      expect(r.customers).toEqual([
        { id: 'org:c', name: 'c', firstExposedAt: at('10:00'), reasons: [{ via: 'svc:s', path: get(r, 'org:c').path }] },
      ]);
      expect(lines(get(r, 'org:c').path)).toEqual([`svc:s -USES-> org:c @${at('10:00')}`]);
    });

    it('4. a Credential opens Datasets (any access), Services (admin, deploy) and Packages (publish) only', async () => {
      await write(
        [],
        [
          edge('cred:k', 'GRANTS', 'ds:r', { access: 'read' }),
          edge('cred:k', 'GRANTS', 'ds:w', { access: 'write' }),
          edge('cred:k', 'GRANTS', 'ds:a', { access: 'admin' }),
          edge('cred:k', 'GRANTS', 'svc:adm', { access: 'admin' }),
          edge('cred:k', 'GRANTS', 'svc:dep', { access: 'deploy' }),
          edge('cred:k', 'GRANTS', 'svc:rd', { access: 'read' }),
          edge('cred:k', 'GRANTS', 'svc:wr', { access: 'write' }),
          edge('cred:k', 'GRANTS', 'pkg:pypi/p', { access: 'publish' }),
          edge('cred:k', 'GRANTS', 'pkg:pypi/q', { access: 'read' }),
          edge('svc:dep', 'HOLDS', 'cred:k2'),
          edge('svc:rd', 'HOLDS', 'cred:k3'),
        ],
      );
      const r = await radius([{ id: 'cred:k', at: at('10:00') }]);
      // svc:rd / svc:wr (read, write on a Service) and pkg:pypi/q (read on a Package) are not crossed,
      // so cred:k3 (held by svc:rd) is not reached either; the deployable svc:dep leaks cred:k2 (2 hops).
      expect(rows(r)).toEqual([
        ['cred:k2', at('10:00'), 2],
        ['ds:a', at('10:00'), 1],
        ['ds:r', at('10:00'), 1],
        ['ds:w', at('10:00'), 1],
        ['pkg:pypi/p', at('10:00'), 1],
        ['svc:adm', at('10:00'), 1],
        ['svc:dep', at('10:00'), 1],
      ]);
    });

    it('5. a Dataset reaches the datasets it is DERIVED_FROM and the customers it BELONGS_TO, not its copies', async () => {
      await write(
        [],
        [
          edge('ds:copy', 'DERIVED_FROM', 'ds:src'),
          edge('ds:derived', 'DERIVED_FROM', 'ds:copy'),
          edge('ds:copy', 'BELONGS_TO', 'org:o'),
          edge('ds:src', 'BELONGS_TO', 'org:p'),
        ],
      );
      const r = await radius([{ id: 'ds:copy', at: at('10:00') }]);
      // A copy leaks its source (ds:src, 1 hop) and its owner (org:o, 1 hop); the source's owner is
      // 2 hops away. ds:derived, a copy OF the seed, is not reached.
      expect(rows(r)).toEqual([
        ['ds:src', at('10:00'), 1],
        ['org:o', at('10:00'), 1],
        ['org:p', at('10:00'), 2],
      ]);
      expect(r.customers.map((c) => [c.id, c.reasons.map((x) => x.via)])).toEqual([
        ['org:o', ['ds:copy']],
        ['org:p', ['ds:src']],
      ]);
    });

    it('nothing propagates from a Customer, an Advisory, or from a version to its Package', async () => {
      await write(
        [node('osv:MAL-2026-1', {})],
        [edge('org:o', 'USES', 'svc:x'), edge('osv:MAL-2026-1', 'AFFECTS', 'pkg:npm/a@1.0.0'), edge('svc:y', 'HOLDS', 'cred:k')],
      );
      // org:o only USES svc:x (compromise flows service -> customer); AFFECTS carries nothing; a
      // version's VERSION_OF edge points at its package, which the publish rule alone crosses (reverse).
      const r = await radius([{ id: 'org:o' }, { id: 'osv:MAL-2026-1' }, { id: 'pkg:npm/a@1.0.0' }]);
      expect(r.affected).toEqual([]);
      expect(r.customers).toEqual([]);
    });
  });

  describe('time', () => {
    it('edge since raises the arrival; edge until blocks later arrivals (inclusive)', async () => {
      await write(
        [node('pkg:npm/a@1.0.0', { compromisedAt: at('10:00') })],
        [
          edge('svc:late', 'DEPENDS_ON', 'pkg:npm/a@1.0.0', { since: at('12:00') }),
          edge('svc:gone', 'DEPENDS_ON', 'pkg:npm/a@1.0.0', { since: at('08:00'), until: at('09:59') }),
          edge('svc:edge', 'DEPENDS_ON', 'pkg:npm/a@1.0.0', { until: at('10:00') }),
          edge('svc:early', 'DEPENDS_ON', 'pkg:npm/a@1.0.0', { since: at('08:00'), until: at('11:00') }),
        ],
      );
      const r = await radius([{ id: 'pkg:npm/a@1.0.0' }]);
      // late: max(10:00, 12:00) = 12:00. gone: 10:00 > until 09:59, blocked. edge: 10:00 <= until
      // 10:00, allowed. early: max(10:00, 08:00) = 10:00 <= 11:00.
      expect(rows(r)).toEqual([
        ['svc:early', at('10:00'), 1],
        ['svc:edge', at('10:00'), 1],
        ['svc:late', at('12:00'), 1],
      ]);
    });

    it("a reached node's containedAt stops what it passes on from then (inclusive)", async () => {
      await write(
        [node('pkg:npm/a@1.0.0', { compromisedAt: at('10:00') }), node('svc:s', { containedAt: at('11:00') })],
        [
          edge('svc:s', 'DEPENDS_ON', 'pkg:npm/a@1.0.0'),
          edge('svc:s', 'HOLDS', 'cred:before', { since: at('10:30') }),
          edge('svc:s', 'HOLDS', 'cred:at', { since: at('11:00') }),
          edge('svc:s', 'HOLDS', 'cred:after', { since: at('11:30') }),
        ],
      );
      const r = await radius([{ id: 'pkg:npm/a@1.0.0' }]);
      // s reached 10:00, contained 11:00: cred:before 10:30 and cred:at 11:00 (<= 11:00) pass,
      // cred:after (11:30 > 11:00) is blocked.
      expect(rows(r)).toEqual([
        ['svc:s', at('10:00'), 1],
        ['cred:before', at('10:30'), 2],
        ['cred:at', at('11:00'), 2],
      ]);
    });

    it("a seed's containedAt ends its compromise window (the restored tag)", async () => {
      await write(
        [node('pkg:githubactions/acme/scan@1.0.0', { compromisedAt: at('10:00'), containedAt: at('11:00') })],
        [
          edge('svc:in', 'DEPENDS_ON', 'pkg:githubactions/acme/scan@1.0.0', { since: at('10:30'), until: at('10:35') }),
          edge('svc:out', 'DEPENDS_ON', 'pkg:githubactions/acme/scan@1.0.0', { since: at('11:15'), until: at('11:20') }),
          edge('svc:before', 'DEPENDS_ON', 'pkg:githubactions/acme/scan@1.0.0', { since: at('09:00'), until: at('09:30') }),
        ],
      );
      const r = await radius([{ id: 'pkg:githubactions/acme/scan@1.0.0' }]);
      // in: 10:30 within [10:00, 11:00]. out: 11:15 after the restore. before: ran until 09:30, before the hijack.
      expect(rows(r)).toEqual([['svc:in', at('10:30'), 1]]);
    });

    it('a Credential is valid from createdAt: arriving earlier waits for it', async () => {
      await write(
        [node('cred:new', { createdAt: at('13:00') }), node('cred:old', { createdAt: at('00:00', '2025-11-02') })],
        [edge('svc:s', 'HOLDS', 'cred:new'), edge('svc:s', 'HOLDS', 'cred:old'), edge('cred:new', 'GRANTS', 'ds:n', { access: 'read' })],
      );
      const r = await radius([{ id: 'svc:s', at: at('10:00') }]);
      // cred:new: max(10:00, createdAt 13:00) = 13:00, and what it opens follows from 13:00.
      expect(rows(r)).toEqual([
        ['cred:old', at('10:00'), 1],
        ['cred:new', at('13:00'), 1],
        ['ds:n', at('13:00'), 2],
      ]);
    });

    it('a Credential stops working at the earlier of rotatedAt and revokedAt (as target and as source)', async () => {
      await write(
        [
          node('cred:rot-before', { rotatedAt: at('09:00') }),
          node('cred:rot-later', { rotatedAt: at('12:00') }),
          node('cred:revoked', { rotatedAt: at('14:00'), revokedAt: at('09:30') }),
          node('cred:revoked-later', { revokedAt: at('12:00'), rotatedAt: at('11:00') }),
        ],
        [
          edge('svc:s', 'HOLDS', 'cred:rot-before'),
          edge('svc:s', 'HOLDS', 'cred:rot-later'),
          edge('svc:s', 'HOLDS', 'cred:revoked'),
          edge('svc:s', 'HOLDS', 'cred:revoked-later'),
          edge('cred:rot-later', 'GRANTS', 'ds:x', { access: 'read', since: at('13:00') }),
          edge('cred:rot-later', 'GRANTS', 'ds:y', { access: 'read', since: at('11:00') }),
          edge('cred:revoked-later', 'GRANTS', 'ds:z', { access: 'read', since: at('11:30') }),
          edge('cred:revoked-later', 'GRANTS', 'ds:z2', { access: 'read', since: at('10:30') }),
        ],
      );
      const r = await radius([{ id: 'svc:s', at: at('10:00') }]);
      // rot-before: 10:00 > its validUntil 09:00, never reached. revoked: validUntil = min(14:00, 09:30) = 09:30, blocked.
      // rot-later (valid until 12:00): ds:y at 11:00 passes, ds:x at 13:00 is after the rotation.
      // revoked-later: validUntil min(12:00, 11:00) = 11:00: ds:z2 at 10:30 passes, ds:z at 11:30 does not.
      expect(rows(r)).toEqual([
        ['cred:revoked-later', at('10:00'), 1],
        ['cred:rot-later', at('10:00'), 1],
        ['ds:z2', at('10:30'), 2],
        ['ds:y', at('11:00'), 2],
      ]);
    });

    it('an unknown start (null) is as early as possible: passes any until, sorts first', async () => {
      await write(
        [node('pkg:npm/n@1.0.0', {})],
        [
          edge('svc:a', 'DEPENDS_ON', 'pkg:npm/n@1.0.0'),
          edge('svc:b', 'DEPENDS_ON', 'pkg:npm/n@1.0.0', { since: at('10:00') }),
          edge('svc:c', 'DEPENDS_ON', 'pkg:npm/n@1.0.0', { until: at('09:00') }),
        ],
      );
      const r = await radius([{ id: 'pkg:npm/n@1.0.0' }]);
      // No compromisedAt, no publishedAt: start null (-infinity). a: null; c: null <= 09:00; b: max(null, 10:00) = 10:00.
      expect(r.seeds).toEqual([{ id: 'pkg:npm/n@1.0.0', at: null, found: true }]);
      expect(rows(r)).toEqual([
        ['svc:a', null, 1],
        ['svc:c', null, 1],
        ['svc:b', at('10:00'), 1],
      ]);
      expect(get(r, 'svc:a').path[0]!.arrival).toBeNull();
    });

    it('a seed starts at the given time, else its compromisedAt, else its publishedAt, else null', async () => {
      await write([
        node('pkg:npm/p@1.0.0', { publishedAt: at('09:00') }),
        node('pkg:npm/c@1.0.0', { compromisedAt: at('10:00'), publishedAt: at('08:00') }),
        node('pkg:npm/e@1.0.0', { compromisedAt: at('10:00') }),
        node('svc:x', {}),
      ]);
      const r = await radius([{ id: 'svc:x' }, { id: 'pkg:npm/p@1.0.0' }, { id: 'pkg:npm/e@1.0.0', at: '2026-03-24T07:00:00+00:00' }, { id: 'pkg:npm/c@1.0.0', at: null }]);
      // Seeds are echoed sorted by id with the start actually used (times canonical). A null `at` is
      // the same as none (GraphQL sends null for unset fields): c starts at its compromisedAt.
      expect(r.seeds).toEqual([
        { id: 'pkg:npm/c@1.0.0', at: at('10:00'), found: true },
        { id: 'pkg:npm/e@1.0.0', at: at('07:00'), found: true },
        { id: 'pkg:npm/p@1.0.0', at: at('09:00'), found: true },
        { id: 'svc:x', at: null, found: true },
      ]);
    });
  });

  describe('publish rule', () => {
    async function publishGraph() {
      await write(
        [
          node('cred:tok', { createdAt: at('00:00', '2026-01-01'), rotatedAt: at('16:00') }),
          node('pkg:pypi/lib@1', { publishedAt: at('09:00') }),
          node('pkg:pypi/lib@2', { publishedAt: at('10:39') }),
          node('pkg:pypi/lib@3', { publishedAt: at('16:00') }),
          node('pkg:pypi/lib@4', { publishedAt: at('17:00') }),
          node('pkg:pypi/lib@5', {}),
        ],
        [
          edge('svc:ci', 'HOLDS', 'cred:tok'),
          edge('cred:tok', 'GRANTS', 'pkg:pypi/lib', { access: 'publish' }),
          edge('svc:app', 'DEPENDS_ON', 'pkg:pypi/lib@2', { since: at('11:00') }),
        ],
      );
    }

    it('versions published with a stolen token inside its window are compromised at their publishedAt', async () => {
      await publishGraph();
      const r = await radius([{ id: 'svc:ci', at: at('10:00') }]);
      // tok leaks at 10:00 (1 hop) and reaches pkg:pypi/lib at 10:00 (2 hops). Window [10:00, 16:00]
      // (rotation): lib@1 (09:00) is older, lib@4 (17:00) newer, lib@5 has no publishedAt; lib@2 at
      // 10:39 and lib@3 at 16:00 (inclusive) are taken, 3 hops. svc:app runs lib@2 from 11:00: 4 hops.
      expect(rows(r)).toEqual([
        ['cred:tok', at('10:00'), 1],
        ['pkg:pypi/lib', at('10:00'), 2],
        ['pkg:pypi/lib@2', at('10:39'), 3],
        ['svc:app', at('11:00'), 4],
        ['pkg:pypi/lib@3', at('16:00'), 3],
      ]);
      expect(lines(get(r, 'pkg:pypi/lib@2').path)).toEqual([
        `svc:ci -HOLDS-> cred:tok @${at('10:00')}`,
        `cred:tok -GRANTS-> pkg:pypi/lib @${at('10:00')}`,
        `pkg:pypi/lib -VERSION_OF-> pkg:pypi/lib@2 @${at('10:39')}`,
      ]);
    });

    it('needs VERSION_OF among the edge kinds to reach versions', async () => {
      await publishGraph();
      const r = await radius([{ id: 'svc:ci', at: at('10:00') }], { edgeKinds: ['HOLDS', 'GRANTS', 'DEPENDS_ON'] });
      expect(ids(r)).toEqual(['cred:tok', 'pkg:pypi/lib']);
    });

    it('the window is bounded by the grant since/until, the credential containedAt and the package containedAt', async () => {
      await write(
        [
          node('cred:a', { containedAt: at('12:00') }),
          node('pkg:pypi/pc', { containedAt: at('12:00') }),
          node('pkg:pypi/pa@1', { publishedAt: at('11:00') }),
          node('pkg:pypi/pa@2', { publishedAt: at('12:30') }),
          node('pkg:pypi/pb@1', { publishedAt: at('10:30') }),
          node('pkg:pypi/pb@2', { publishedAt: at('12:00') }),
          node('pkg:pypi/pb@3', { publishedAt: at('14:00') }),
          node('pkg:pypi/pc@1', { publishedAt: at('11:30') }),
          node('pkg:pypi/pc@2', { publishedAt: at('12:30') }),
        ],
        [
          edge('svc:ci', 'HOLDS', 'cred:a'),
          edge('svc:ci', 'HOLDS', 'cred:b'),
          edge('cred:a', 'GRANTS', 'pkg:pypi/pa', { access: 'publish' }),
          edge('cred:b', 'GRANTS', 'pkg:pypi/pb', { access: 'publish', since: at('11:00'), until: at('13:00') }),
          edge('cred:b', 'GRANTS', 'pkg:pypi/pc', { access: 'publish' }),
        ],
      );
      const r = await radius([{ id: 'svc:ci', at: at('10:00') }]);
      // pa: cred:a contained 12:00 -> window [10:00, 12:00]: pa@1 (11:00) yes, pa@2 (12:30) no.
      // pb: grant since 11:00 until 13:00 -> pb reached 11:00, window [11:00, 13:00]: pb@1 (10:30)
      //     predates it, pb@2 (12:00) yes, pb@3 (14:00) no.
      // pc: the package itself contained 12:00 -> pc@1 (11:30) yes, pc@2 (12:30) no.
      expect(rows(r)).toEqual([
        ['cred:a', at('10:00'), 1],
        ['cred:b', at('10:00'), 1],
        ['pkg:pypi/pa', at('10:00'), 2],
        ['pkg:pypi/pc', at('10:00'), 2],
        ['pkg:pypi/pa@1', at('11:00'), 3],
        ['pkg:pypi/pb', at('11:00'), 2],
        ['pkg:pypi/pc@1', at('11:30'), 3],
        ['pkg:pypi/pb@2', at('12:00'), 3],
      ]);
    });

    it('each credential brings its own window; a version takes the path through the credential that covers it', async () => {
      await write(
        [
          node('cred:a-main', { rotatedAt: at('12:00') }),
          node('cred:b-main', { rotatedAt: at('12:00') }),
          node('cred:c-late', { createdAt: at('13:00') }),
          node('pkg:pypi/lib@1', { publishedAt: at('11:00') }),
          node('pkg:pypi/lib@2', { publishedAt: at('14:00') }),
        ],
        [
          edge('svc:ci', 'HOLDS', 'cred:b-main'),
          edge('svc:ci', 'HOLDS', 'cred:a-main'),
          edge('svc:ci', 'HOLDS', 'cred:deployer'),
          edge('cred:deployer', 'GRANTS', 'svc:relay', { access: 'deploy' }),
          edge('svc:relay', 'HOLDS', 'cred:c-late'),
          edge('cred:b-main', 'GRANTS', 'pkg:pypi/lib', { access: 'publish' }),
          edge('cred:a-main', 'GRANTS', 'pkg:pypi/lib', { access: 'publish' }),
          edge('cred:c-late', 'GRANTS', 'pkg:pypi/lib', { access: 'publish' }),
        ],
      );
      const r = await radius([{ id: 'svc:ci', at: at('10:00') }]);
      // a-main and b-main: reached 10:00 (1 hop), windows [10:00, 12:00]. c-late: via deployer ->
      // relay -> c-late, created 13:00: reached 13:00 (3 hops), window [13:00, open).
      // pkg:pypi/lib: best label (10:00, 2 hops); a-main and b-main tie, the smaller previous id wins: a-main.
      // lib@1 (11:00): covered by a-main and b-main (tie again, a-main), not c-late (before 13:00): 3 hops.
      // lib@2 (14:00): only c-late's window covers it: 5 hops, through c-late, even though the
      // package's own best label came through a-main; the path is still consistent (5 hops, 5 lines).
      expect(rows(r)).toEqual([
        ['cred:a-main', at('10:00'), 1],
        ['cred:b-main', at('10:00'), 1],
        ['cred:deployer', at('10:00'), 1],
        ['pkg:pypi/lib', at('10:00'), 2],
        ['svc:relay', at('10:00'), 2],
        ['pkg:pypi/lib@1', at('11:00'), 3],
        ['cred:c-late', at('13:00'), 3],
        ['pkg:pypi/lib@2', at('14:00'), 5],
      ]);
      expect(get(r, 'pkg:pypi/lib').path[0]!.to).toBe('cred:a-main');
      expect(get(r, 'pkg:pypi/lib@1').path.map((h) => h.to)).toEqual(['cred:a-main', 'pkg:pypi/lib', 'pkg:pypi/lib@1']);
      expect(lines(get(r, 'pkg:pypi/lib@2').path)).toEqual([
        `svc:ci -HOLDS-> cred:deployer @${at('10:00')}`,
        `cred:deployer -GRANTS-> svc:relay @${at('10:00')}`,
        `svc:relay -HOLDS-> cred:c-late @${at('13:00')}`,
        `cred:c-late -GRANTS-> pkg:pypi/lib @${at('13:00')}`,
        `pkg:pypi/lib -VERSION_OF-> pkg:pypi/lib@2 @${at('14:00')}`,
      ]);
    });

    it('a compromised Package (seed) taints the versions published while it was, until its containedAt', async () => {
      // An interpretation: a Package seed is a hijacked project, so the publish rule applies with the
      // seed's window [start, package containedAt].
      await write([
        node('pkg:pypi/proj', { compromisedAt: at('10:00'), containedAt: at('12:00') }),
        node('pkg:pypi/proj@1', { publishedAt: at('09:00') }),
        node('pkg:pypi/proj@2', { publishedAt: at('11:00') }),
        node('pkg:pypi/proj@3', { publishedAt: at('13:00') }),
      ]);
      const r = await radius([{ id: 'pkg:pypi/proj' }]);
      expect(rows(r)).toEqual([['pkg:pypi/proj@2', at('11:00'), 1]]);
    });
  });

  describe('options', () => {
    async function chain() {
      // svc:s -HOLDS-> cred:k -GRANTS(read)-> ds:d -BELONGS_TO-> org:o, and svc:s READS ds:d from 11:00.
      await write(
        [],
        [
          edge('svc:s', 'HOLDS', 'cred:k'),
          edge('cred:k', 'GRANTS', 'ds:d', { access: 'read' }),
          edge('ds:d', 'BELONGS_TO', 'org:o'),
          edge('svc:s', 'READS', 'ds:d', { since: at('11:00') }),
        ],
      );
    }

    it('maxHops limits the hops of the chosen labels', async () => {
      await chain();
      const seeds = [{ id: 'svc:s', at: at('10:00') }];
      // Unlimited: ds:d at 10:00 via cred:k (2 hops) beats READS at 11:00 (1 hop); org:o 3 hops.
      expect(rows(await radius(seeds))).toEqual([
        ['cred:k', at('10:00'), 1],
        ['ds:d', at('10:00'), 2],
        ['org:o', at('10:00'), 3],
      ]);
      // 2: org:o would be 3 hops from ds:d's chosen label. (The label of ds:d is defined recursively
      // as the earliest; the later 1-hop READS route is not kept beside it, so org:o is not reached.)
      expect(rows(await radius(seeds, { maxHops: 2 }))).toEqual([
        ['cred:k', at('10:00'), 1],
        ['ds:d', at('10:00'), 2],
      ]);
      // 1: ds:d only through READS, at 11:00.
      expect(rows(await radius(seeds, { maxHops: 1 }))).toEqual([
        ['cred:k', at('10:00'), 1],
        ['ds:d', at('11:00'), 1],
      ]);
      expect(rows(await radius(seeds, { maxHops: 0 }))).toEqual([]);
    });

    it('edgeKinds limits the edges followed', async () => {
      await chain();
      const r = await radius([{ id: 'svc:s', at: at('10:00') }], { edgeKinds: ['HOLDS', 'GRANTS'] });
      // No READS, no BELONGS_TO: org:o is not reached.
      expect(rows(r)).toEqual([
        ['cred:k', at('10:00'), 1],
        ['ds:d', at('10:00'), 2],
      ]);
      expect(r.options.edgeKinds).toEqual(['HOLDS', 'GRANTS']);
    });

    it('minConfidence skips weaker edges; confidence is the weakest hop of the chosen path', async () => {
      await write(
        [node('pkg:npm/a@1.0.0', { compromisedAt: at('10:00') })],
        [
          edge('svc:conf', 'DEPENDS_ON', 'pkg:npm/a@1.0.0'),
          edge('svc:likely', 'DEPENDS_ON', 'pkg:npm/a@1.0.0', { confidence: 'likely' }),
          edge('svc:poss', 'DEPENDS_ON', 'pkg:npm/a@1.0.0', { confidence: 'possible' }),
          edge('svc:likely', 'HOLDS', 'cred:x'),
          edge('pkg:npm/b@1.0.0', 'DEPENDS_ON', 'pkg:npm/a@1.0.0', { confidence: 'possible' }),
          edge('svc:t', 'DEPENDS_ON', 'pkg:npm/b@1.0.0'),
          edge('svc:t', 'DEPENDS_ON', 'pkg:npm/a@1.0.0', { since: at('12:00') }),
        ],
      );
      const seeds = [{ id: 'pkg:npm/a@1.0.0' }];
      const conf = (r: BlastRadius) => r.affected.map((a) => [a.id, a.firstExposedAt, a.hops, a.confidence]);
      // Everything: svc:t earliest via b (10:00, 2 hops, possible); cred:x inherits likely from svc:likely.
      expect(conf(await radius(seeds))).toEqual([
        ['cred:x', at('10:00'), 2, 'likely'],
        ['pkg:npm/b@1.0.0', at('10:00'), 1, 'possible'],
        ['svc:conf', at('10:00'), 1, 'confirmed'],
        ['svc:likely', at('10:00'), 1, 'likely'],
        ['svc:poss', at('10:00'), 1, 'possible'],
        ['svc:t', at('10:00'), 2, 'possible'],
      ]);
      // likely: the possible edges are gone; svc:t only through its confirmed 12:00 edge.
      expect(conf(await radius(seeds, { minConfidence: 'likely' }))).toEqual([
        ['cred:x', at('10:00'), 2, 'likely'],
        ['svc:conf', at('10:00'), 1, 'confirmed'],
        ['svc:likely', at('10:00'), 1, 'likely'],
        ['svc:t', at('12:00'), 1, 'confirmed'],
      ]);
      expect(conf(await radius(seeds, { minConfidence: 'confirmed' }))).toEqual([
        ['svc:conf', at('10:00'), 1, 'confirmed'],
        ['svc:t', at('12:00'), 1, 'confirmed'],
      ]);
    });

    it('asOf ignores nodes and edges first ingested after it (and seeds not known then)', async () => {
      const early = source('early', '2026-03-01T00:00:00Z');
      const late = source('late', '2026-03-10T00:00:00Z');
      await write(
        [node('pkg:npm/a@1.0.0', { compromisedAt: at('10:00') }, undefined, early), node('cred:k', {}, undefined, early)],
        [edge('svc:old', 'DEPENDS_ON', 'pkg:npm/a@1.0.0', {}, early)],
      );
      await write(
        [node('svc:old', { owner: 'later note' }, undefined, late), node('pkg:npm/z@1.0.0', { compromisedAt: at('09:00') }, undefined, late)],
        [edge('svc:new', 'DEPENDS_ON', 'pkg:npm/a@1.0.0', {}, late), edge('svc:old', 'HOLDS', 'cred:k', {}, late)],
      );
      const seeds = [{ id: 'pkg:npm/a@1.0.0' }, { id: 'pkg:npm/z@1.0.0' }];
      // Now: svc:old and svc:new (10:00, 1 hop), cred:k through the HOLDS edge learnt on 03-10.
      expect(ids(await radius(seeds))).toEqual(['cred:k', 'svc:new', 'svc:old']);
      // As of 03-05: svc:new (node and edge first ingested 03-10) and the HOLDS edge are unknown; svc:old
      // was known since 03-01 (a later update does not hide it); z was unknown: not found.
      const r = await radius(seeds, { asOf: '2026-03-05T00:00:00Z' });
      expect(rows(r)).toEqual([['svc:old', at('10:00'), 1]]);
      expect(r.seeds).toEqual([
        { id: 'pkg:npm/a@1.0.0', at: at('10:00'), found: true },
        { id: 'pkg:npm/z@1.0.0', at: null, found: false },
      ]);
      expect(r.options.asOf).toBe('2026-03-05T00:00:00Z');
    });

    it('contained acts as containedAt; the earlier of it and the node’s own wins', async () => {
      await write(
        [node('pkg:npm/a@1.0.0', { compromisedAt: at('10:00') }), node('svc:s', { containedAt: at('12:00') })],
        [edge('svc:s', 'DEPENDS_ON', 'pkg:npm/a@1.0.0'), edge('svc:s', 'HOLDS', 'cred:k', { since: at('11:00') })],
      );
      const seeds = [{ id: 'pkg:npm/a@1.0.0' }];
      // Own containedAt 12:00: cred:k at 11:00 passes.
      expect(ids(await radius(seeds))).toEqual(['svc:s', 'cred:k']);
      // Contained 10:30: cred:k (11:00) is blocked.
      expect(ids(await radius(seeds, { contained: [{ id: 'svc:s', at: at('10:30') }] }))).toEqual(['svc:s']);
      // Contained 13:00: its own 12:00 is earlier, so nothing changes. Repeated ids keep the earliest.
      const r = await radius(seeds, { contained: [{ id: 'svc:s', at: at('13:00') }, { id: 'svc:s', at: at('14:00') }] });
      expect(ids(r)).toEqual(['svc:s', 'cred:k']);
      expect(r.options.contained).toEqual([{ id: 'svc:s', at: at('13:00') }]);
      // Containing the seed before its start stops everything.
      expect(ids(await radius(seeds, { contained: [{ id: 'pkg:npm/a@1.0.0', at: at('09:00') }] }))).toEqual([]);
    });

    it('echoes the normalised options and rejects bad ones with BAD_INPUT', async () => {
      const r = await radius([]);
      expect(r.options).toEqual({
        maxHops: null,
        edgeKinds: ['VERSION_OF', 'DEPENDS_ON', 'HOLDS', 'GRANTS', 'READS', 'WRITES', 'DERIVED_FROM', 'BELONGS_TO', 'USES'],
        minConfidence: 'possible',
        asOf: null,
        contained: [],
      });
      expect(r.snapshotId).toBe(await store.snapshotId());
      const bad: BlastOptions[] = [{ maxHops: -1 }, { maxHops: 1.5 }, { edgeKinds: ['AFFECTS'] }, { minConfidence: 'maybe' as never }, { asOf: 'yesterday' }, { contained: [{ id: 'svc:x', at: 'soon' }] }];
      for (const options of bad) {
        await expect(radius([], options)).rejects.toMatchObject({ code: 'BAD_INPUT' });
      }
      await expect(radius([{ id: 'litellm' }])).rejects.toBeInstanceOf(BlastError);
    });
  });

  describe('choice among ways to reach a node', () => {
    async function tieGraph() {
      await write(
        [],
        [
          // earlier arrival: ds:v at 12:00 in 1 hop, or 10:00 in 3 hops (cred:k -> ds:m -> ds:v).
          edge('svc:s', 'READS', 'ds:v', { since: at('12:00') }),
          edge('svc:s', 'HOLDS', 'cred:k'),
          edge('cred:k', 'GRANTS', 'ds:m', { access: 'read' }),
          edge('ds:m', 'DERIVED_FROM', 'ds:v'),
          // equal arrival, fewer hops: ds:w at 10:00 in 1 hop (READS) or 2 (cred:k).
          edge('svc:s', 'READS', 'ds:w'),
          edge('cred:k', 'GRANTS', 'ds:w', { access: 'write' }),
          // equal both: ds:x at 10:00 in 2 hops from cred:b or cred:a -> cred:a (written last).
          edge('svc:s', 'HOLDS', 'cred:b'),
          edge('cred:b', 'GRANTS', 'ds:x', { access: 'read' }),
          edge('svc:s', 'HOLDS', 'cred:a'),
          edge('cred:a', 'GRANTS', 'ds:x', { access: 'read' }),
          // parallel edges from one node: the edge key decides (READS before WRITES).
          edge('svc:s', 'WRITES', 'ds:p'),
          edge('svc:s', 'READS', 'ds:p'),
        ],
      );
    }

    it('the earliest arrival wins, then fewer hops, then the smaller previous id', async () => {
      await tieGraph();
      const r = await radius([{ id: 'svc:s', at: at('10:00') }]);
      expect(lines(get(r, 'ds:v').path)).toEqual([
        `svc:s -HOLDS-> cred:k @${at('10:00')}`,
        `cred:k -GRANTS-> ds:m @${at('10:00')}`,
        `ds:m -DERIVED_FROM-> ds:v @${at('10:00')}`,
      ]);
      expect(lines(get(r, 'ds:w').path)).toEqual([`svc:s -READS-> ds:w @${at('10:00')}`]);
      expect(get(r, 'ds:x').path.map((h) => h.from)).toEqual(['svc:s', 'cred:a']);
      expect(lines(get(r, 'ds:p').path)).toEqual([`svc:s -READS-> ds:p @${at('10:00')}`]);
    });

    it('is deterministic: the same graph and options give byte-identical JSON, whatever the seed order', async () => {
      await tieGraph();
      const a = JSON.stringify(await radius([{ id: 'svc:s', at: at('10:00') }, { id: 'cred:b' }]));
      const b = JSON.stringify(await radius([{ id: 'cred:b' }, { id: 'svc:s', at: at('10:00') }]));
      expect(b).toBe(a);
    });
  });

  describe('seeds', () => {
    it('a seed not in the graph is reported and reaches nothing', async () => {
      await write([node('pkg:npm/a@1.0.0', { compromisedAt: at('10:00') })], [edge('svc:x', 'DEPENDS_ON', 'pkg:npm/a@1.0.0')]);
      const r = await radius([{ id: 'svc:ghost', at: at('08:00') }, { id: 'pkg:npm/a@1.0.0' }]);
      expect(r.seeds).toEqual([
        { id: 'pkg:npm/a@1.0.0', at: at('10:00'), found: true },
        { id: 'svc:ghost', at: at('08:00'), found: false },
      ]);
      expect(rows(r)).toEqual([['svc:x', at('10:00'), 1]]);
      const alone = await radius([{ id: 'svc:ghost' }]);
      expect(alone.seeds).toEqual([{ id: 'svc:ghost', at: null, found: false }]);
      expect(alone.affected).toEqual([]);
    });

    it('several seeds: each node takes its earliest way from any seed; seeds are never affected', async () => {
      await write(
        [node('pkg:npm/a@1.0.0', { compromisedAt: at('10:00') })],
        [
          edge('svc:x', 'DEPENDS_ON', 'pkg:npm/a@1.0.0'),
          edge('svc:x', 'HOLDS', 'cred:k'),
          edge('svc:b', 'HOLDS', 'cred:k'),
          edge('svc:b', 'DEPENDS_ON', 'pkg:npm/a@1.0.0'),
          edge('svc:c', 'DEPENDS_ON', 'pkg:npm/a@1.0.0'),
          edge('svc:c', 'HOLDS', 'cred:c'),
        ],
      );
      const r = await radius([{ id: 'pkg:npm/a@1.0.0' }, { id: 'svc:b', at: at('09:00') }, { id: 'svc:c', at: at('12:00') }]);
      // cred:k: from svc:b at 09:00 (1 hop) before svc:x at 10:00 (2 hops). svc:b is a seed, not affected.
      // svc:c is a seed from 12:00 but a reaches it at 10:00: that earlier way is its label, so cred:c
      // is reached at 10:00 through a -> svc:c. svc:c itself is still not listed.
      expect(rows(r)).toEqual([
        ['cred:k', at('09:00'), 1],
        ['cred:c', at('10:00'), 2],
        ['svc:x', at('10:00'), 1],
      ]);
      expect(get(r, 'cred:k').path.map((h) => h.from)).toEqual(['svc:b']);
      expect(get(r, 'cred:c').path.map((h) => h.from)).toEqual(['pkg:npm/a@1.0.0', 'svc:c']);
    });

    it('a seed given twice keeps its earliest start, its own start counting as one', async () => {
      await write([node('svc:s', { compromisedAt: at('09:30') })], [edge('svc:s', 'HOLDS', 'cred:k')]);
      const r = await radius([{ id: 'svc:s', at: at('11:00') }, { id: 'svc:s', at: at('10:00') }]);
      expect(r.seeds).toEqual([{ id: 'svc:s', at: at('10:00'), found: true }]);
      expect(rows(r)).toEqual([['cred:k', at('10:00'), 1]]);
      // Once without a time: that entry starts at compromisedAt 09:30, the earliest.
      const own = await radius([{ id: 'svc:s', at: at('10:00') }, { id: 'svc:s' }]);
      expect(own.seeds).toEqual([{ id: 'svc:s', at: at('09:30'), found: true }]);
    });

    it('defaultSeeds: every node marked compromised, each at its own start', async () => {
      await write(
        [node('pkg:npm/a@1.0.0', { compromisedAt: at('10:00') }), node('svc:m', { compromised: true }), node('svc:clean', {})],
        [edge('svc:x', 'DEPENDS_ON', 'pkg:npm/a@1.0.0'), edge('svc:m', 'HOLDS', 'cred:m'), edge('svc:clean', 'HOLDS', 'cred:c')],
      );
      const seeds = await defaultSeeds(store);
      expect(seeds).toEqual([{ id: 'pkg:npm/a@1.0.0' }, { id: 'svc:m' }]);
      const r = await radius(seeds);
      // svc:m has no time: null start, so cred:m is reached at null and sorts first.
      expect(rows(r)).toEqual([
        ['cred:m', null, 1],
        ['svc:x', at('10:00'), 1],
      ]);
    });
  });

  describe('cycles', () => {
    it('terminates on DERIVED_FROM and DEPENDS_ON cycles', async () => {
      await write(
        [],
        [
          edge('ds:a', 'DERIVED_FROM', 'ds:b'),
          edge('ds:b', 'DERIVED_FROM', 'ds:c'),
          edge('ds:c', 'DERIVED_FROM', 'ds:a'),
          edge('pkg:npm/x@1.0.0', 'DEPENDS_ON', 'pkg:npm/y@1.0.0'),
          edge('pkg:npm/y@1.0.0', 'DEPENDS_ON', 'pkg:npm/x@1.0.0'),
          edge('svc:z', 'DEPENDS_ON', 'pkg:npm/y@1.0.0'),
        ],
      );
      // a leaks b (1 hop), b leaks c (2 hops); c's edge back to a reaches the seed, not listed.
      expect(rows(await radius([{ id: 'ds:a', at: at('10:00') }]))).toEqual([
        ['ds:b', at('10:00'), 1],
        ['ds:c', at('10:00'), 2],
      ]);
      // y depends on x (1 hop); svc:z runs y (2 hops); x depends on y leads back to the seed.
      expect(rows(await radius([{ id: 'pkg:npm/x@1.0.0', at: at('10:00') }]))).toEqual([
        ['pkg:npm/y@1.0.0', at('10:00'), 1],
        ['svc:z', at('10:00'), 2],
      ]);
    });
  });

  describe('customers', () => {
    it('lists every distinct reason whose last hop can be crossed, earliest first', async () => {
      await write(
        [node('org:c', { notifyWithinHours: 72 }, 'Customer C')],
        [
          edge('org:c', 'USES', 'svc:s'),
          edge('svc:s', 'HOLDS', 'cred:k'),
          edge('cred:k', 'GRANTS', 'ds:d', { access: 'read', since: at('12:00') }),
          edge('ds:d', 'BELONGS_TO', 'org:c'),
          edge('svc:s', 'WRITES', 'ds:e'),
          edge('ds:e', 'BELONGS_TO', 'org:c', { until: at('09:00') }),
        ],
      );
      const r = await radius([{ id: 'svc:s', at: at('10:00') }]);
      // org:c uses svc:s (10:00, 1 hop); its data is in ds:d (reached 12:00, so 12:00, 3 hops). ds:e is
      // reached at 10:00 but held org:c's data only until 09:00: not a reason.
      const c = r.customers;
      expect(c.map((x) => [x.id, x.name, x.firstExposedAt, x.reasons.map((y) => y.via)])).toEqual([['org:c', 'Customer C', at('10:00'), ['svc:s', 'ds:d']]]);
      expect(c[0]!.reasons[0]!.path).toEqual(get(r, 'org:c').path);
      expect(lines(c[0]!.reasons[1]!.path)).toEqual([
        `svc:s -HOLDS-> cred:k @${at('10:00')}`,
        `cred:k -GRANTS-> ds:d @${at('12:00')}`,
        `ds:d -BELONGS_TO-> org:c @${at('12:00')}`,
      ]);
    });
  });
});
