/**
 * What to do next, in the export: the containment plan at the export's generatedAt (a report section)
 * and the rotation queue (a report section and rotation-queue.csv). Both are functions of the graph,
 * the parameters and generatedAt only, like every other file.
 */
import type { ContainmentPlan } from '../engine/containment-plan.js';
import type { RotationQueue } from '../engine/rotation-queue.js';
import { toCsv, type CsvValue } from './csv.js';
import { timeText, type Block } from './document.js';
import { MULTI_VALUE_SEPARATOR } from './tables.js';

export const ROTATION_COLUMNS = ['rank', 'credential', 'name', 'type', 'first_exposed_at', 'notification_deadline', 'deadline_customer', 'customers', 'customer_count', 'held_by', 'opens'] as const;

/** One row per credential to rotate, most urgent first. */
export function rotationQueueCsv(queue: RotationQueue): string {
  return toCsv(
    ROTATION_COLUMNS,
    queue.credentials.map((c, i): CsvValue[] => [
      i + 1,
      c.credential,
      c.name,
      c.type,
      c.firstExposedAt,
      c.deadline,
      c.deadlineCustomer,
      c.customers.join(MULTI_VALUE_SEPARATOR),
      c.customers.length,
      c.heldBy.join(MULTI_VALUE_SEPARATOR),
      c.opens.map((o) => (o.access ? `${o.id} (${o.access})` : o.id)).join(MULTI_VALUE_SEPARATOR),
    ]),
  );
}

/** The report's sections "Containment plan" and "Credentials to rotate". */
export function incidentActionBlocks(plan: ContainmentPlan, queue: RotationQueue): Block[] {
  const blocks: Block[] = [{ type: 'heading', level: 2, text: `Containment plan at ${plan.at}` }];
  blocks.push({
    type: 'paragraph',
    text:
      'The cheapest set of actions that, applied at this time, leaves none of the customers below reachable: an exact minimum cut of what can still spread after it (costs: revoke a grant 1, rotate a credential 2, contain a service 3). ' +
      'Rotating or containing means the node passes nothing on from that time; revoking ends the grant then.',
  });
  if (plan.actions.length === 0) {
    blocks.push({ type: 'paragraph', text: plan.customers.length === 0 ? 'Nothing left to cut at this time.' : 'No action is needed.' });
  } else {
    blocks.push({
      type: 'table',
      columns: [{ title: 'Action', weight: 0.8 }, { title: 'Node', weight: 2.2 }, { title: 'Grant', weight: 2.2 }, { title: 'Cost', weight: 0.6 }, { title: 'Protects', weight: 2.2 }],
      rows: plan.actions.map((a) => [a.action, a.node, a.edge ?? '', String(a.cost), a.protects.join(', ')]),
    });
  }
  blocks.push({
    type: 'fields',
    rows: [
      ['Total cost', String(plan.totalCost)],
      ['Cut off', plan.customers.join(', ') || 'none'],
      ['Already reached by then', plan.alreadyReached.join(', ') || 'none'],
      ['Reached through nothing an action can cut', plan.unprotectable.join(', ') || 'none'],
      ['Spared by acting then', `${plan.spared.customers.length} customers, ${plan.spared.assets.length} assets`],
    ],
  });
  blocks.push({ type: 'heading', level: 2, text: 'Credentials to rotate' });
  blocks.push({
    type: 'paragraph',
    text: 'Every reached credential not rotated or revoked after it was first exposed, most urgent first: by the earliest notification deadline among the customers it leads to, then by how many customers it leads to (also in rotation-queue.csv).',
  });
  if (queue.credentials.length === 0) blocks.push({ type: 'paragraph', text: 'None.' });
  else
    blocks.push({
      type: 'table',
      columns: [{ title: '#', weight: 0.4 }, { title: 'Credential', weight: 2.2 }, { title: 'First exposed', time: true }, { title: 'Notify by', time: true }, { title: 'Customers', weight: 0.8 }, { title: 'Held by', weight: 2 }],
      rows: queue.credentials.map((c, i) => [String(i + 1), c.credential, timeText(c.firstExposedAt), c.deadline ?? '', String(c.customers.length), c.heldBy.join(', ')]),
    });
  return blocks;
}
