/**
 * The incident day's answers as the explorer shows them: the containment plan and the rotation
 * queue (server/api/schema/containment-plan.graphql, rotation-queue.graphql), the fields the panels
 * ask for, and the pure logic behind the panels (cost overrides, labels, list pages, the highlight
 * of an action's first cut path). No DOM here.
 */
import type { AffectedCustomer, BlastRadius, PathHop } from './types.js';

export type PlanActionKind = 'rotate' | 'contain' | 'revoke';

/** One plan action, without `cuts` (asked for only by the CLI and export: see firstCutPath). */
export interface PlanAction {
  action: PlanActionKind;
  node: string;
  /** For revoke, the grant's edge key `from|GRANTS|to|access`; else null. */
  edge: string | null;
  cost: number;
  protects: string[];
}

export interface ContainmentPlan {
  at: string;
  totalCost: number;
  customers: string[];
  actions: PlanAction[];
  alreadyReached: string[];
  unprotectable: string[];
  spared: { customers: string[]; assets: string[] };
  snapshotId: string;
}

/** Cost per action kind; an absent field keeps the server's default. */
export interface ActionCosts {
  rotate?: number;
  contain?: number;
  revoke?: number;
}

export interface RotationEntry {
  credential: string;
  name: string;
  type: string | null;
  firstExposedAt: string | null;
  deadline: string | null;
  deadlineCustomer: string | null;
  customers: string[];
  opens: Array<{ id: string; access: string | null }>;
  heldBy: string[];
}

export interface RotationQueue {
  snapshotId: string;
  credentials: RotationEntry[];
}

/** The selection set of `containmentPlan`: everything the panel shows, no `cuts`. */
export const PLAN_FIELDS = 'at totalCost customers actions { action node edge cost protects } alreadyReached unprotectable spared { customers assets } snapshotId';
/** The selection set of `rotationQueue`: everything the panel shows, no `path`, `rotatedAt`, `revokedAt`. */
export const QUEUE_FIELDS = 'snapshotId credentials { credential name type firstExposedAt deadline deadlineCustomer customers opens { id access } heldBy }';

export const DEFAULT_COSTS: Required<ActionCosts> = { rotate: 2, contain: 3, revoke: 1 };
const MAX_COST = 1_000_000;

/**
 * Reads the cost override fields: empty keeps the default, else a whole number 1 to 1,000,000.
 * Returns the overrides or the first problem, naming the field.
 */
export function parseCosts(fields: Record<PlanActionKind, string>): { costs: ActionCosts } | { error: string } {
  const costs: ActionCosts = {};
  for (const kind of ['rotate', 'contain', 'revoke'] as const) {
    const raw = fields[kind].trim();
    if (raw === '') continue;
    const n = Number(raw);
    if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n) || n < 1 || n > MAX_COST) {
      return { error: `The ${kind} cost must be a whole number from 1 to 1,000,000 (got "${raw}").` };
    }
    costs[kind] = n;
  }
  return { costs };
}

/** A grant's edge key `from|GRANTS|to|access` split; null when it is not one. */
export function grantOf(edge: string | null): { from: string; to: string; access: string | null } | null {
  if (!edge) return null;
  const parts = edge.split('|');
  if (parts.length < 3 || parts[1] !== 'GRANTS') return null;
  return { from: parts[0]!, to: parts[2]!, access: parts[3] ? parts[3] : null };
}

/** What an action does, in words: `Rotate cred:x`, `Contain svc:y`, `Revoke cred:x's admin grant on svc:y`. */
export function actionText(a: Pick<PlanAction, 'action' | 'node' | 'edge'>, name: (id: string) => string = (id) => id): string {
  if (a.action === 'rotate') return `Rotate ${name(a.node)}`;
  if (a.action === 'contain') return `Contain ${name(a.node)}`;
  const g = grantOf(a.edge);
  if (!g) return `Revoke a grant of ${name(a.node)}`;
  return `Revoke ${name(g.from)}'s ${g.access ? `${g.access} ` : ''}grant on ${name(g.to)}`;
}

/** The first `max` items and how many more there are. */
export function preview<T>(items: readonly T[], max: number): { shown: T[]; more: number } {
  return { shown: items.slice(0, max), more: Math.max(0, items.length - max) };
}

/** `a, b and c`; `a, b, c and 4 more` past `max`; '' for none. */
export function listText(items: readonly string[], max = 3): string {
  const { shown, more } = preview(items, max);
  if (shown.length === 0) return '';
  if (more) return `${shown.join(', ')} and ${more} more`;
  if (shown.length === 1) return shown[0]!;
  return `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

/**
 * The "spared" line: what acting at the plan's `at` keeps from being reached. A past `at` reads as
 * "what if we had done it then"; null when it spares nothing.
 */
export function sparedText(plan: Pick<ContainmentPlan, 'at' | 'spared'>, nowMs: number): string | null {
  const c = plan.spared.customers.length;
  const a = plan.spared.assets.length;
  if (c === 0 && a === 0) return null;
  const what = `${plural(c, 'customer')} and ${plural(a, 'other node')}`;
  return Date.parse(plan.at) < nowMs ? `Acting then would have spared ${what}.` : `Acting then spares ${what}.`;
}

/** How many rows of a long list to draw at first and per "Show more". */
export const PAGE = 100;

/** How many rows to draw after one more "Show more" (never past the list's end). */
export function nextShown(shown: number, total: number, page = PAGE): number {
  return Math.min(total, shown + page);
}

/** Does this path run through the action (a revoke: over its grant; else: through its node)? */
function runsThrough(path: readonly PathHop[], a: Pick<PlanAction, 'action' | 'node' | 'edge'>): boolean {
  const g = a.action === 'revoke' ? grantOf(a.edge) : null;
  if (g) return path.some((h) => h.edge === 'GRANTS' && h.from === g.from && h.to === g.to);
  return path.some((h) => h.from === a.node || h.to === a.node);
}

/**
 * An action's first cut path, from the walk the explorer already holds: for its first protected
 * customer by id, the first of that customer's reason paths that runs through the action (the
 * server's `cuts[0]` is "the customer's first path in the radius that runs through it"). When no
 * reason of any protected customer runs through it, the action node's own evidence path. Empty when
 * the walk does not know the action (another walk is drawn).
 *
 * The plan query leaves `cuts` out: up to 20 paths per action for every action of a plan is most of
 * its bytes on a big radius, and GraphQL cannot ask for one action's cuts without recomputing the
 * whole plan.
 */
export function firstCutPath(a: Pick<PlanAction, 'action' | 'node' | 'edge' | 'protects'>, walk: BlastRadius | null): PathHop[] {
  if (!walk) return [];
  const byId = new Map<string, AffectedCustomer>(walk.customers.map((c) => [c.id, c]));
  for (const id of [...a.protects].sort()) {
    const reason = byId.get(id)?.reasons.find((r) => runsThrough(r.path, a));
    if (reason) return reason.path;
  }
  return walk.affected.find((n) => n.id === a.node)?.path ?? [];
}
