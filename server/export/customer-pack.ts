/**
 * A notification pack per affected customer (customers/<name>.md and .json): what of theirs was
 * exposed (datasets holding their data and services they use that the compromise reached), since
 * when, through which path, what has been contained since, and the notification deadline.
 */
import { createHash } from 'node:crypto';
import { timeText, type Block, type Doc } from './document.js';
import type { CustomerView, ExportModel } from './export-model.js';
import { deadlineText, evidenceHops } from './report.js';

/** Longest file-name stem taken from an id before a hash keeps it unique. */
const MAX_STEM = 100;

/**
 * File-system-safe stems for customer ids: `org:meta` -> `org_meta`. Anything but letters, digits,
 * `.`, `-` and `_` becomes `_`; when two ids would share a stem (or a stem is cut short), each of
 * those gets `-` and 8 hex digits of the id's SHA-256 appended, so names stay stable and unique.
 */
export function customerFileStems(ids: readonly string[]): Map<string, string> {
  const plain = new Map(ids.map((id) => [id, id.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_')]));
  const uses = new Map<string, number>();
  for (const stem of plain.values()) uses.set(stem.toLowerCase(), (uses.get(stem.toLowerCase()) ?? 0) + 1);
  const out = new Map<string, string>();
  for (const [id, stem] of plain) {
    const clash = (uses.get(stem.toLowerCase()) ?? 0) > 1 || stem.length > MAX_STEM;
    out.set(id, clash ? `${stem.slice(0, MAX_STEM)}-${createHash('sha256').update(id).digest('hex').slice(0, 8)}` : stem);
  }
  return out;
}

export function customerPackJson(model: ExportModel, c: CustomerView): string {
  const node = model.nodes.get(c.id);
  const pack = {
    customer: {
      id: c.id,
      name: c.name,
      jurisdiction: c.jurisdiction,
      contact: c.contact,
      notifyWithinHours: c.notifyWithinHours,
    },
    incident: { title: model.meta.title, seeds: model.result.seeds },
    firstExposedAt: c.firstExposedAt,
    notificationDeadline: c.deadline,
    exposed: c.exposures.map((e) => ({
      id: e.id,
      kind: e.kind,
      name: e.name,
      relation: e.relation,
      firstExposedAt: e.firstExposedAt,
      customerExposedAt: e.customerExposedAt,
      confidence: e.confidence,
      path: e.path,
    })),
    contained: c.contained,
    sources: node?.sources ?? [],
    snapshotId: model.result.snapshotId,
    generatedAt: model.meta.generatedAt,
    parameters: { seeds: model.result.seeds, options: model.result.options },
  };
  return `${JSON.stringify(pack, null, 2)}\n`;
}

export function customerPackDoc(model: ExportModel, c: CustomerView): Doc {
  const title = `Notification pack: ${c.name} (${c.id})`;
  const blocks: Block[] = [
    { type: 'heading', level: 1, text: title },
    {
      type: 'fields',
      rows: [
        ['Incident', model.meta.title],
        ['Customer', `${c.name} (${c.id})`],
        ['Jurisdiction', c.jurisdiction ?? 'not recorded'],
        ['Contact', c.contact ?? 'not recorded'],
        ['First exposed', timeText(c.firstExposedAt)],
        ['Notice period', c.notifyWithinHours === null ? 'not recorded' : `${c.notifyWithinHours} hours`],
        ['Notification deadline', deadlineText(c)],
        ['Prepared', model.meta.generatedAt],
        ['Graph snapshot', model.result.snapshotId],
      ],
    },
    { type: 'heading', level: 2, text: 'Summary' },
    {
      type: 'paragraph',
      text:
        `From ${timeText(c.firstExposedAt)} the compromise that started at ${model.result.seeds.map((s) => `${s.id} (${timeText(s.at)})`).join(', ') || 'no seed'} ` +
        `could have reached ${c.exposures.length === 1 ? 'one asset' : `${c.exposures.length} assets`} that hold ${c.name}'s data or serve ${c.name}. ` +
        `The sections below list them, the evidence for each step, and what has been contained.`,
    },
    { type: 'heading', level: 2, text: 'What was exposed' },
    {
      type: 'table',
      columns: [{ title: 'Asset', weight: 2.4 }, { title: 'Name', weight: 1.8 }, { title: 'Kind', weight: 0.9 }, { title: 'Relation', weight: 1.5 }, { title: 'Exposed since', time: true }, { title: 'Confidence', weight: 0.9 }],
      rows: c.exposures.map((e) => [e.id, e.name, e.kind, e.relation === 'USES' ? 'a service you use' : 'holds your data', timeText(e.firstExposedAt), e.confidence]),
    },
    { type: 'heading', level: 2, text: 'How: evidence paths' },
  ];
  c.exposures.forEach((e, i) => {
    blocks.push({ type: 'heading', level: 3, text: `Path ${i + 1}: to ${e.name} (${e.id})` });
    blocks.push({ type: 'evidence', hops: evidenceHops(model, e.path) });
  });
  blocks.push({ type: 'heading', level: 2, text: 'What has been contained' });
  if (c.contained.length === 0) {
    blocks.push({ type: 'paragraph', text: 'Nothing on these paths is recorded as contained.' });
  } else {
    blocks.push({
      type: 'table',
      columns: [{ title: 'Asset', weight: 2.4 }, { title: 'Name', weight: 1.8 }, { title: 'Kind', weight: 1 }, { title: 'Contained at', time: true }, { title: 'Basis', weight: 1.2 }],
      rows: c.contained.map((n) => [n.id, n.name, n.kind, n.containedAt, n.basis === 'assumed' ? 'assumed for this export' : 'recorded']),
    });
  }
  blocks.push(
    { type: 'heading', level: 2, text: 'Deadline' },
    {
      type: 'paragraph',
      text:
        c.deadline !== null
          ? `Notify ${c.name} by ${c.deadline}: ${c.notifyWithinHours} hours after the first exposure (${timeText(c.firstExposedAt)}).`
          : c.notifyWithinHours === null
            ? `No notice period is recorded for ${c.name}; check the contract.`
            : `The first exposure time is unknown (as early as possible): notify ${c.name} without delay.`,
    },
    { type: 'heading', level: 2, text: 'Parameters' },
    {
      type: 'fields',
      rows: [
        ['Maximum hops', model.result.options.maxHops === null ? 'no limit' : String(model.result.options.maxHops)],
        ['Minimum confidence', model.result.options.minConfidence],
        ['As of', model.result.options.asOf ?? 'everything stored'],
        ['Edge kinds followed', model.result.options.edgeKinds.join(', ')],
      ],
    },
  );
  return { title, blocks };
}
