/**
 * Inventory format v1 (ARCHITECTURE.md, contract): what people write down about services, the secrets
 * they hold, what those open and whose data sits where. YAML or JSON.
 */
import { BlastError, badInput } from '../model/errors.js';
import { parseId, printable } from '../model/ids.js';
import { ACCESS_LEVELS, CONFIDENCES, SERVICE_KINDS, type Access, type Confidence, type EdgeKind, type NodeKind } from '../model/kinds.js';
import { findSecret } from '../model/secrets.js';
import { normalizeTime } from '../model/time.js';
import type { EdgeInput, GraphBatch, Json, NodeInput, Props, Source } from '../model/types.js';
import type { IngestContext, InputFormat } from './format.js';
import type { ParsedInput } from './parsed-input.js';

const SECTIONS = ['packages', 'services', 'credentials', 'datasets', 'customers'] as const;
const COMMON_FIELDS = ['name', 'description', 'notes', 'containedAt', 'props'];

/** Fields each section takes: plain props (copied), times (normalised), and references (edges). */
const FIELDS: Record<(typeof SECTIONS)[number], { props: string[]; times: string[]; refs: Record<string, { edge: EdgeKind; to: NodeKind[]; reverse?: boolean }> }> = {
  packages: {
    props: ['advisories'],
    times: ['publishedAt', 'compromisedAt'],
    refs: { dependsOn: { edge: 'DEPENDS_ON', to: ['PackageVersion'] } },
  },
  services: {
    props: ['kind', 'environment', 'owner', 'url'],
    times: [],
    refs: {
      dependsOn: { edge: 'DEPENDS_ON', to: ['PackageVersion'] },
      holds: { edge: 'HOLDS', to: ['Credential'] },
      reads: { edge: 'READS', to: ['Dataset'] },
      writes: { edge: 'WRITES', to: ['Dataset'] },
    },
  },
  credentials: {
    props: ['type', 'scope', 'fingerprint', 'owner'],
    times: ['createdAt', 'rotatedAt', 'revokedAt'],
    refs: { grants: { edge: 'GRANTS', to: ['Dataset', 'Service', 'Package'] } },
  },
  datasets: {
    props: ['classification', 'store', 'location', 'sizeBytes', 'records', 'owner'],
    times: [],
    refs: {
      derivedFrom: { edge: 'DERIVED_FROM', to: ['Dataset'] },
      belongsTo: { edge: 'BELONGS_TO', to: ['Customer'] },
    },
  },
  customers: {
    props: ['jurisdiction', 'notifyWithinHours', 'contact', 'tier'],
    times: [],
    refs: { uses: { edge: 'USES', to: ['Service'] } },
  },
};

const SECTION_KIND: Record<(typeof SECTIONS)[number], NodeKind[]> = {
  packages: ['PackageVersion', 'Package'],
  services: ['Service'],
  credentials: ['Credential'],
  datasets: ['Dataset'],
  customers: ['Customer'],
};

export const inventoryFormat: InputFormat = {
  name: 'inventory',
  // Formats with a marker of their own (package-lock's lockfileVersion, CycloneDX's bomFormat) are
  // told apart in formats.ts, which asks them first.
  detect: (input) => isObject(input.data) && 'version' in input.data && SECTIONS.some((s) => s in (input.data as object)),
  parse: parseInventory,
};

export function parseInventory(input: ParsedInput, ctx: IngestContext): GraphBatch {
  const data = input.data;
  const fail = (message: string, pointer: string): never => {
    throw badInput(message, ctx.input, input.locate(pointer));
  };
  if (!isObject(data)) fail('an inventory must be a mapping with `version: 1`', '');
  const doc = data as Record<string, unknown>;
  const secret = findSecret(doc);
  if (secret) {
    throw new BlastError('SECRET_REFUSED', `refused: ${secret.reason}; an inventory holds credential metadata only, never secret values`, {
      input: ctx.input,
      location: input.locate(secret.pointer),
    });
  }
  if (doc.version !== 1) fail(`unsupported inventory version ${printable(JSON.stringify(doc.version) ?? 'undefined')} (expected 1)`, '/version');

  const warnings: string[] = [];
  const nodes: NodeInput[] = [];
  const edges: EdgeInput[] = [];
  const source = (pointer: string): Source[] => [{ source: ctx.input, sha256: ctx.sha256, ingestedAt: ctx.ingestedAt, pointer }];
  const time = (value: unknown, pointer: string): string | undefined => {
    if (value === undefined || value === null) return undefined;
    const t = normalizeTime(value);
    if (t === null) fail(`"${printable(String(value))}" is not an ISO-8601 time with a zone (e.g. 2026-03-24T10:52:00Z)`, pointer);
    return t!;
  };

  for (const key of Object.keys(doc)) {
    if (key !== 'version' && !(SECTIONS as readonly string[]).includes(key)) warnings.push(`${ctx.input} ${input.locate(`/${key}`)}: unknown field "${key}" ignored`);
  }

  for (const section of SECTIONS) {
    const list = doc[section];
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list)) fail(`${section} must be a list`, `/${section}`);
    const spec = FIELDS[section];
    (list as unknown[]).forEach((entry, i) => {
      const at = `/${section}/${i}`;
      if (!isObject(entry)) fail(`each entry of ${section} must be a mapping`, at);
      const e = entry as Record<string, unknown>;
      const idField = section === 'packages' ? (e.purl !== undefined ? 'purl' : 'id') : 'id';
      const raw = e[idField];
      if (raw === undefined) fail(`missing ${section === 'packages' ? 'purl' : 'id'}`, at);
      const parsed = parseId(raw, ctx.input, input.locate(`${at}/${idField}`));
      if (!SECTION_KIND[section].includes(parsed.kind)) {
        fail(`"${parsed.id}" is a ${parsed.kind} id; ${section} holds ${SECTION_KIND[section].join(' or ')} ids`, `${at}/${idField}`);
      }
      const props: Props = {};
      if (isObject(e.props)) Object.assign(props, e.props as Props);
      else if (e.props !== undefined) fail('props must be a mapping', `${at}/props`);
      for (const key of Object.keys(e)) {
        const pointer = `${at}/${key}`;
        if (key === idField || key === 'props' || key === 'name' || key in spec.refs) continue;
        if (key === 'containedAt' || spec.times.includes(key)) props[key] = time(e[key], pointer) ?? null;
        else if (spec.props.includes(key) || COMMON_FIELDS.includes(key)) props[key === 'kind' ? 'serviceKind' : key] = e[key] as Json;
        else warnings.push(`${ctx.input} ${input.locate(pointer)}: unknown field "${key}" ignored`);
      }
      for (const [k, v] of Object.entries(props)) if (v === null) delete props[k];
      if (section === 'services' && props.serviceKind !== undefined && !(SERVICE_KINDS as readonly string[]).includes(String(props.serviceKind))) {
        fail(`kind must be one of ${SERVICE_KINDS.join(', ')}`, `${at}/kind`);
      }
      if (section === 'customers' && props.notifyWithinHours !== undefined && !(typeof props.notifyWithinHours === 'number' && props.notifyWithinHours >= 0)) {
        fail('notifyWithinHours must be a non-negative number', `${at}/notifyWithinHours`);
      }
      if (e.name !== undefined && typeof e.name !== 'string') fail('name must be a string', `${at}/name`);
      if (props.compromisedAt !== undefined) props.compromised = true;
      nodes.push({ id: parsed.id, kind: parsed.kind, ...(typeof e.name === 'string' && { name: e.name }), props, sources: source(at) });

      for (const [field, ref] of Object.entries(spec.refs)) {
        const refs = e[field];
        if (refs === undefined || refs === null) continue;
        if (!Array.isArray(refs)) fail(`${field} must be a list`, `${at}/${field}`);
        (refs as unknown[]).forEach((r, j) => {
          const rp = `${at}/${field}/${j}`;
          const target = readRef(r, rp);
          if (!ref.to.includes(target.kind)) fail(`${field} takes ${ref.to.join(' or ')} ids, not "${target.id}" (${target.kind})`, rp);
          if (parsed.kind === 'Package' && ref.edge === 'DEPENDS_ON') fail('dependsOn needs a versioned purl (pkg:type/name@version)', `${at}/${idField}`);
          edges.push({
            from: parsed.id,
            kind: ref.edge,
            to: target.id,
            ...(target.since && { since: target.since }),
            ...(target.until && { until: target.until }),
            ...(target.confidence && { confidence: target.confidence }),
            ...(target.access && { access: target.access }),
            sources: source(rp),
          });
          if (ref.edge === 'GRANTS' && !target.access) fail(`a grant needs access: ${ACCESS_LEVELS.join(', ')}`, rp);
        });
      }
    });
  }

  interface Ref { id: string; kind: NodeKind; since?: string; until?: string; confidence?: Confidence; access?: Access }
  function readRef(r: unknown, pointer: string): Ref {
    if (typeof r === 'string') return parseId(r, ctx.input, input.locate(pointer));
    if (!isObject(r)) return fail('a reference is an id or a mapping with id (or purl)', pointer);
    const o = r as Record<string, unknown>;
    for (const key of Object.keys(o)) {
      if (!['id', 'purl', 'since', 'until', 'confidence', 'access'].includes(key)) warnings.push(`${ctx.input} ${input.locate(`${pointer}/${key}`)}: unknown field "${key}" ignored`);
    }
    const id = parseId(o.id ?? o.purl, ctx.input, input.locate(pointer));
    if (o.confidence !== undefined && !(CONFIDENCES as readonly unknown[]).includes(o.confidence)) fail(`confidence must be one of ${CONFIDENCES.join(', ')}`, `${pointer}/confidence`);
    if (o.access !== undefined && !(ACCESS_LEVELS as readonly unknown[]).includes(o.access)) fail(`access must be one of ${ACCESS_LEVELS.join(', ')}`, `${pointer}/access`);
    const since = time(o.since, `${pointer}/since`);
    const until = time(o.until, `${pointer}/until`);
    if (since && until && since > until) fail(`since (${since}) is after until (${until})`, pointer);
    return { ...id, since, until, confidence: o.confidence as Confidence | undefined, access: o.access as Access | undefined };
  }

  return { input: ctx.input, nodes, edges, warnings };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

