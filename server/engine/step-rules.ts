/**
 * The step rules (ARCHITECTURE.md, blast-radius steps 1-5 and the publish rule), in the compromise's
 * direction: which edge kinds may leave which node kind for which, and the access levels a GRANTS
 * needs. Read once per step as a table, by the codes the projection stores.
 */
import { ACCESS_LEVELS, CONFIDENCES, CONFIDENCE_RANK, EDGE_KINDS, NODE_KINDS, PROPAGATION, type Access, type EdgeKind, type NodeKind } from '../model/kinds.js';
import { edgeKey } from '../model/record.js';

const ACCESS = Object.fromEntries(ACCESS_LEVELS.map((a, i) => [a, i + 1])) as Record<Access, number>;

/** CONFIDENCE_RANK by confidence code (0 = absent = confirmed). */
export const RANK_OF_CODE = Int8Array.from([CONFIDENCE_RANK.confirmed, ...CONFIDENCES.map((c) => CONFIDENCE_RANK[c])]);

export const NODE = Object.fromEntries(NODE_KINDS.map((k, i) => [k, i])) as Record<NodeKind, number>;
export const EDGE = Object.fromEntries(EDGE_KINDS.map((k, i) => [k, i])) as Record<EdgeKind, number>;

/** Undefined = never; an empty list = any access. */
function rule(from: NodeKind, edge: EdgeKind, to: NodeKind): readonly Access[] | undefined {
  const any: readonly Access[] = [];
  switch (edge) {
    case 'DEPENDS_ON':
      return from === 'PackageVersion' && (to === 'PackageVersion' || to === 'Service') ? any : undefined;
    case 'HOLDS':
      return from === 'Service' && to === 'Credential' ? any : undefined;
    case 'READS':
    case 'WRITES':
      return from === 'Service' && to === 'Dataset' ? any : undefined;
    case 'USES':
      return from === 'Service' && to === 'Customer' ? any : undefined;
    case 'GRANTS':
      if (from !== 'Credential') return undefined;
      if (to === 'Dataset') return any;
      if (to === 'Service') return ['admin', 'deploy'];
      if (to === 'Package') return ['publish'];
      return undefined;
    case 'DERIVED_FROM':
      return from === 'Dataset' && to === 'Dataset' ? any : undefined;
    case 'BELONGS_TO':
      return from === 'Dataset' && to === 'Customer' ? any : undefined;
    case 'VERSION_OF':
      return from === 'Package' && to === 'PackageVersion' ? any : undefined;
    case 'AFFECTS':
      return undefined;
  }
}

/** Bit (access code) set when a step of that access may cross, by (from kind, edge kind, to kind). */
const RULES = (() => {
  const table = new Uint8Array(NODE_KINDS.length * EDGE_KINDS.length * NODE_KINDS.length);
  NODE_KINDS.forEach((from, f) =>
    EDGE_KINDS.forEach((edge, e) =>
      NODE_KINDS.forEach((to, t) => {
        const access = rule(from, edge, to);
        if (access === undefined) return;
        const mask = access.length === 0 ? 0xff : access.reduce((m, a) => m | (1 << ACCESS[a]), 0);
        table[(f * EDGE_KINDS.length + e) * NODE_KINDS.length + t] = mask;
      }),
    ),
  );
  return table;
})();

export function crosses(from: number, kind: number, access: number, to: number): boolean {
  return (RULES[(from * EDGE_KINDS.length + kind) * NODE_KINDS.length + to]! & (1 << access)) !== 0;
}

/** The stored key (model/record.ts edgeKey) of a step from u to v of the given kind and access codes. */
export function stepEdgeKey(u: string, kindCode: number, v: string, accessCode: number): string {
  const kind = EDGE_KINDS[kindCode] as EdgeKind;
  const access = accessCode === 0 ? undefined : (ACCESS_LEVELS[accessCode - 1] as Access);
  return PROPAGATION[kind] === 'reverse' ? edgeKey({ from: v, kind, to: u, access }) : edgeKey({ from: u, kind, to: v, access });
}
