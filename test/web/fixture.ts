/**
 * A small blast radius in the API's shape, for the web units: a hijacked CI action leaks a CI job's
 * secrets (19:02), a deploy token reaches the customer-facing API (and Meta through it), a publish
 * token taints two later releases of a library (publish rule: credential -> Package -> version), a dev
 * host `possible`-ly installed one of them and reads a dataset holding Meta's data.
 */
import type { Affected, BlastRadius, EdgeKind, NodeKind, PathHop } from '../../web/src/types.js';

const SRC = [{ source: 'inventory.yaml', sha256: 'a'.repeat(64), ingestedAt: '2026-04-01T00:00:00Z', pointer: '/services/0' }];

export const SEED = 'pkg:githubactions/acme/scan@1.0.0';

type Step = [from: string, edge: EdgeKind, to: string, arrival: string | null];

function path(...steps: Step[]): PathHop[] {
  return steps.map(([from, edge, to, arrival]) => ({ from, edge, to, arrival, sources: SRC }));
}

const S1: Step = [SEED, 'DEPENDS_ON', 'svc:acme/ci', '2026-03-19T19:02:00Z'];
const S2: Step = ['svc:acme/ci', 'HOLDS', 'cred:acme/deploy', '2026-03-19T19:02:00Z'];
const S3: Step = ['cred:acme/deploy', 'GRANTS', 'svc:acme/api', '2026-03-19T19:02:00Z'];
const S4: Step = ['svc:acme/api', 'USES', 'org:meta', '2026-03-19T19:02:00Z'];
const P2: Step = ['svc:acme/ci', 'HOLDS', 'cred:acme/pypi', '2026-03-19T19:02:00Z'];
const P3: Step = ['cred:acme/pypi', 'GRANTS', 'pkg:pypi/lib', '2026-03-19T19:02:00Z'];
const P4: Step = ['pkg:pypi/lib', 'VERSION_OF', 'pkg:pypi/lib@2.0', '2026-03-21T15:02:00Z'];
const P4b: Step = ['pkg:pypi/lib', 'VERSION_OF', 'pkg:pypi/lib@2.1', '2026-03-23T09:00:00Z'];
const P5: Step = ['pkg:pypi/lib@2.0', 'DEPENDS_ON', 'svc:acme/dev', '2026-03-22T08:00:00Z'];
const P6: Step = ['svc:acme/dev', 'READS', 'ds:acme/data', '2026-03-22T08:00:00Z'];
const P7: Step = ['ds:acme/data', 'BELONGS_TO', 'org:meta', '2026-03-22T08:00:00Z'];

function affected(id: string, kind: NodeKind, name: string, confidence: Affected['confidence'], steps: Step[]): Affected {
  const last = steps[steps.length - 1]!;
  return { id, kind, name, firstExposedAt: last[3], hops: steps.length, confidence, path: path(...steps) };
}

export function fixture(): BlastRadius {
  return {
    snapshotId: 'snap-1',
    seeds: [{ id: SEED, at: '2026-03-19T17:43:00Z' }],
    options: {},
    affected: [
      affected('cred:acme/deploy', 'Credential', 'Release bot PAT', 'confirmed', [S1, S2]),
      affected('cred:acme/pypi', 'Credential', 'PyPI token', 'confirmed', [S1, P2]),
      affected('svc:acme/ci', 'Service', 'CI', 'confirmed', [S1]),
      affected('pkg:pypi/lib', 'Package', 'lib', 'confirmed', [S1, P2, P3]),
      affected('svc:acme/api', 'Service', 'Customer API', 'confirmed', [S1, S2, S3]),
      affected('org:meta', 'Customer', 'Meta', 'confirmed', [S1, S2, S3, S4]),
      affected('pkg:pypi/lib@2.0', 'PackageVersion', 'lib@2.0', 'confirmed', [S1, P2, P3, P4]),
      affected('svc:acme/dev', 'Service', 'Dev hosts', 'possible', [S1, P2, P3, P4, P5]),
      affected('ds:acme/data', 'Dataset', '<img src=x onerror=alert(1)>', 'possible', [S1, P2, P3, P4, P5, P6]),
      affected('pkg:pypi/lib@2.1', 'PackageVersion', 'lib@2.1', 'confirmed', [S1, P2, P3, P4b]),
    ],
    customers: [
      {
        id: 'org:meta',
        name: 'Meta',
        firstExposedAt: '2026-03-19T19:02:00Z',
        reasons: [
          { via: 'svc:acme/api', path: path(S1, S2, S3, S4) },
          { via: 'ds:acme/data', path: path(S1, P2, P3, P4, P5, P6, P7) },
        ],
        node: { props: { notifyWithinHours: 48, jurisdiction: 'US' } },
      },
    ],
  };
}
