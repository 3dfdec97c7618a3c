/**
 * Kubernetes manifests: one object, a multi-document YAML (`---`), or a `kubectl get -o yaml` list
 * (`kind: List` or `…List` with `items`). Who holds which secret, the part of the inventory people
 * otherwise write by hand.
 *
 * - Every workload (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, Pod) is a Service
 *   `svc:k8s/<namespace>/<name>` (props: workloadKind, namespace, serviceKind `app`, or `job` for Jobs
 *   and CronJobs). A missing `metadata.namespace` is `default`, with a warning.
 * - It HOLDS `cred:k8s/<namespace>/<secret>` for every Secret its pod template mounts (`volumes[].secret`,
 *   projected volumes), reads through `env[].valueFrom.secretKeyRef` or `envFrom[].secretRef`, or pulls
 *   images with (`imagePullSecrets`); props: type `kubernetes-secret`, namespace, and the `keys`
 *   referenced. The service account's token is held too (`cred:k8s/<namespace>/serviceaccount/<name>`)
 *   unless `automountServiceAccountToken: false`.
 * - It DEPENDS_ON each container image (containers, initContainers, ephemeralContainers) as
 *   `pkg:docker/<registry and path>/<name>@<tag or digest>`: Docker Hub names take `library/` and lose
 *   `docker.io/`; no tag means `latest` (warned); `name:tag@sha256:…` depends on the digest (what runs)
 *   and on the tag (`likely`: the tag may have moved since).
 * - A `Secret` object becomes its Credential with its type and the names of its keys. The values under
 *   `data` and `stringData` (and the copy kubectl keeps in the `last-applied-configuration` annotation)
 *   are never read, checked or stored; the file is ingested without them and a warning says so.
 *
 * Other kinds (Service, ConfigMap, Ingress, …) are counted in one warning. Images built from template
 * expressions (`{{ .Values.image }}`) are skipped with a warning: render the chart first.
 */
import { LineCounter, isNode, parseAllDocuments, type Document } from 'yaml';
import { badInput } from '../model/errors.js';
import { parseIdOfKind, printable } from '../model/ids.js';
import type { GraphBatch, Props } from '../model/types.js';
import type { IngestContext, InputFormat } from './format.js';
import { GraphBuilder, isObject, refuseSecrets } from './package-graph.js';
import type { ParsedInput } from './parsed-input.js';

const WORKLOADS = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'Pod'];
const NAME = /^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$/;
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

const isManifest = (d: unknown): d is Record<string, unknown> => isObject(d) && typeof d.apiVersion === 'string' && typeof d.kind === 'string';

export const kubernetesFormat: InputFormat = {
  name: 'kubernetes',
  detect: (input) => isManifest(input.data) && (input.data.kind === 'List' || String(input.data.kind).endsWith('List') ? Array.isArray(input.data.items) : true),
  parse: parseKubernetes,
};

/**
 * A multi-document YAML whose documents are all Kubernetes objects, as one `List` (each document an
 * item, its lines kept for errors); null for anything else, which the usual parser then reads.
 */
export function parseKubernetesDocuments(input: string, text: string): ParsedInput | null {
  if (!/^---/m.test(text) || !/^\s*apiVersion\s*:/m.test(text)) return null;
  const lines = new LineCounter();
  let docs: Document[];
  try {
    docs = parseAllDocuments(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false }) as Document[];
  } catch {
    return null;
  }
  if (!Array.isArray(docs)) return null;
  const kept: Array<{ doc: Document; data: unknown }> = [];
  for (const doc of docs) {
    if (doc.errors.length > 0) {
      const e = doc.errors[0]!;
      throw badInput(`invalid YAML: ${e.message.split('\n')[0]}`, input, `line ${e.linePos?.[0]?.line ?? lines.linePos(e.pos[0]).line}`);
    }
    const data = doc.toJS({ maxAliasCount: 100 });
    if (data === null || data === undefined) continue; // an empty document (a trailing `---`)
    if (!isManifest(data)) return null;
    kept.push({ doc, data });
  }
  if (kept.length < 2) return null;
  const locate = (pointer: string): string => {
    const m = /^\/items\/(\d+)(\/.*)?$/.exec(pointer);
    const item = m ? kept[Number(m[1])] : undefined;
    if (!item) return pointer || '/';
    const path = (m![2] ?? '').split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~')).map((p) => (/^\d+$/.test(p) ? Number(p) : p));
    for (let n = path.length; n >= 0; n--) {
      const node = n === 0 ? item.doc.contents : item.doc.getIn(path.slice(0, n), true);
      if (isNode(node) && node.range) return `line ${lines.linePos(node.range[0]).line}`;
    }
    return pointer;
  };
  return { input, text, syntax: 'yaml', data: { apiVersion: 'v1', kind: 'List', items: kept.map((k) => k.data) }, locate };
}

export function parseKubernetes(input: ParsedInput, ctx: IngestContext): GraphBatch {
  const b: GraphBuilder = new GraphBuilder(ctx, input.locate);
  const root = input.data;
  if (!isManifest(root)) return b.fail('a Kubernetes manifest needs apiVersion and kind', '');
  if (ctx.options.service !== undefined) b.warn('--service is ignored for Kubernetes manifests: each workload is its own Service');
  const objects: Array<{ obj: Record<string, unknown>; at: string }> = [];
  if (Array.isArray(root.items) && String(root.kind).endsWith('List')) {
    (root.items as unknown[]).forEach((item, i) => {
      if (!isManifest(item)) b.fail('a list item must be a Kubernetes object with apiVersion and kind', `/items/${i}`);
      objects.push({ obj: item as Record<string, unknown>, at: `/items/${i}` });
    });
  } else {
    objects.push({ obj: root, at: '' });
  }

  // Secret values never reach the secret scan (which would refuse the file) nor the store.
  const scanned = objects.map(({ obj }) => withoutSecretValues(obj));
  refuseSecrets(Array.isArray(root.items) && String(root.kind).endsWith('List') ? { ...root, items: scanned } : scanned[0], ctx, input.locate, { keys: false });

  for (const { obj, at } of objects) {
    const kind = obj.kind as string;
    if (kind === 'Secret') secretObject(obj, at);
    else if (WORKLOADS.includes(kind)) workload(obj, at);
    else b.tally(`kind:${kind}`, `objects of kind ${printable(kind, 40)} not read (they hold no secret and run no image)`, at);
  }
  return b.build();

  function meta(obj: Record<string, unknown>, at: string): { name: string; namespace: string } {
    const m = obj.metadata;
    if (!isObject(m)) return b.fail('metadata must be a mapping with a name', `${at}/metadata`);
    if (typeof m.name !== 'string' || !NAME.test(m.name)) return b.fail(`metadata.name ${printable(String(m.name), 60)} is not a Kubernetes name`, `${at}/metadata/name`);
    let namespace = 'default';
    if (m.namespace !== undefined) {
      if (typeof m.namespace !== 'string' || !NAME.test(m.namespace)) return b.fail(`metadata.namespace ${printable(String(m.namespace), 60)} is not a Kubernetes name`, `${at}/metadata/namespace`);
      namespace = m.namespace;
    } else {
      b.tally('default-namespace', 'objects without metadata.namespace taken to be in namespace default', `${at}/metadata`);
    }
    return { name: m.name, namespace };
  }

  function secretObject(obj: Record<string, unknown>, at: string): void {
    const { name, namespace } = meta(obj, at);
    const keys = new Set<string>();
    let values = 0;
    for (const field of ['data', 'stringData']) {
      const v = obj[field];
      if (v === undefined || v === null) continue;
      if (!isObject(v)) b.fail(`${field} must be a mapping`, `${at}/${field}`);
      for (const k of Object.keys(v as object)) {
        keys.add(k.slice(0, 253));
        values++;
      }
    }
    if (values > 0) b.warn(`Secret ${namespace}/${name}: the values of its data/stringData (${values}) were not read or stored; only the key names`, at || '/');
    const props: Props = { type: 'kubernetes-secret', namespace, ...(typeof obj.type === 'string' && { secretType: obj.type.slice(0, 253) }), ...(keys.size > 0 && { keys: [...keys].sort() }) };
    b.node({ id: credId(namespace, name, at), kind: 'Credential', name: `${namespace}/${name}`, props, sources: b.source(at || '/') });
  }

  function credId(namespace: string, name: string, at: string): string {
    return parseIdOfKind(`cred:k8s/${namespace}/${name}`, 'Credential', ctx.input, input.locate(at));
  }

  function workload(obj: Record<string, unknown>, at: string): void {
    const kind = obj.kind as string;
    const { name, namespace } = meta(obj, at);
    const spec = obj.spec;
    if (!isObject(spec)) return b.fail('spec must be a mapping', `${at}/spec`);
    let podAt: string;
    let pod: unknown;
    if (kind === 'Pod') [pod, podAt] = [spec, `${at}/spec`];
    else if (kind === 'CronJob') [pod, podAt] = [isObject(spec.jobTemplate) && isObject(spec.jobTemplate.spec) && isObject(spec.jobTemplate.spec.template) ? spec.jobTemplate.spec.template.spec : undefined, `${at}/spec/jobTemplate/spec/template/spec`];
    else [pod, podAt] = [isObject(spec.template) ? spec.template.spec : undefined, `${at}/spec/template/spec`];
    if (!isObject(pod)) return b.fail('the pod template needs a spec', podAt);

    const serviceId = parseIdOfKind(`svc:k8s/${namespace}/${name}`, 'Service', ctx.input, input.locate(at));
    const serviceKind = kind === 'Job' || kind === 'CronJob' ? 'job' : 'app';
    b.node({ id: serviceId, kind: 'Service', name: `${namespace}/${name}`, props: { serviceKind, workloadKind: kind, namespace }, sources: b.source(at || '/') });

    const held = new Map<string, { keys: Set<string>; pointer: string }>();
    const hold = (secret: unknown, pointer: string, key?: unknown) => {
      if (typeof secret !== 'string' || !NAME.test(secret)) return b.fail(`secret name ${printable(String(secret), 60)} is not a Kubernetes name`, pointer);
      const h = held.get(secret) ?? { keys: new Set<string>(), pointer };
      if (typeof key === 'string' && key !== '') h.keys.add(key.slice(0, 253));
      held.set(secret, h);
    };
    const list = (v: unknown, pointer: string): unknown[] => {
      if (v === undefined || v === null) return [];
      if (!Array.isArray(v)) return b.fail('must be a list', pointer);
      return v;
    };
    list(pod.volumes, `${podAt}/volumes`).forEach((vol, i) => {
      const vp = `${podAt}/volumes/${i}`;
      if (!isObject(vol)) return;
      if (isObject(vol.secret)) hold(vol.secret.secretName, `${vp}/secret/secretName`);
      if (isObject(vol.projected)) {
        list(vol.projected.sources, `${vp}/projected/sources`).forEach((s, j) => {
          if (isObject(s) && isObject(s.secret)) hold(s.secret.name, `${vp}/projected/sources/${j}/secret/name`);
        });
      }
    });
    list(pod.imagePullSecrets, `${podAt}/imagePullSecrets`).forEach((s, i) => {
      if (isObject(s)) hold(s.name, `${podAt}/imagePullSecrets/${i}/name`);
    });
    for (const field of ['initContainers', 'containers', 'ephemeralContainers']) {
      list(pod[field], `${podAt}/${field}`).forEach((c, i) => {
        const cp = `${podAt}/${field}/${i}`;
        if (!isObject(c)) return b.fail('a container must be a mapping', cp);
        list(c.env, `${cp}/env`).forEach((e, j) => {
          if (isObject(e) && isObject(e.valueFrom) && isObject(e.valueFrom.secretKeyRef)) hold(e.valueFrom.secretKeyRef.name, `${cp}/env/${j}/valueFrom/secretKeyRef/name`, e.valueFrom.secretKeyRef.key);
        });
        list(c.envFrom, `${cp}/envFrom`).forEach((e, j) => {
          if (isObject(e) && isObject(e.secretRef)) hold(e.secretRef.name, `${cp}/envFrom/${j}/secretRef/name`);
        });
        image(c.image, `${cp}/image`, serviceId);
      });
    }
    for (const [secret, { keys, pointer }] of held) {
      const id = credId(namespace, secret, pointer);
      b.node({ id, kind: 'Credential', name: `${namespace}/${secret}`, props: { type: 'kubernetes-secret', namespace, ...(keys.size > 0 && { keys: [...keys].sort() }) }, sources: b.source(pointer) });
      b.edge(serviceId, 'HOLDS', id, pointer);
    }
    if (pod.automountServiceAccountToken !== false) {
      const sa = typeof pod.serviceAccountName === 'string' && NAME.test(pod.serviceAccountName) ? pod.serviceAccountName : 'default';
      const saAt = pod.serviceAccountName !== undefined ? `${podAt}/serviceAccountName` : podAt;
      const id = parseIdOfKind(`cred:k8s/${namespace}/serviceaccount/${sa}`, 'Credential', ctx.input, input.locate(saAt));
      b.node({ id, kind: 'Credential', name: `${namespace}/serviceaccount/${sa}`, props: { type: 'kubernetes-service-account-token', namespace }, sources: b.source(saAt) });
      b.edge(serviceId, 'HOLDS', id, saAt);
    }
  }

  function image(ref: unknown, pointer: string, serviceId: string): void {
    if (typeof ref !== 'string' || ref.trim() === '') return b.fail('a container needs an image', pointer);
    const text = ref.trim();
    if (/\{\{|\$\{|\$\(/.test(text)) return b.tally('template-image', 'images built from template expressions skipped (render the chart or kustomization first)', pointer);
    const parsed = parseImage(text);
    if (!parsed) return b.fail(`"${printable(text, 80)}" is not an image reference (registry/name:tag@digest)`, pointer);
    const { namespace, name, tag, digest } = parsed;
    if (!tag && !digest) b.tally('latest', 'images without a tag or digest read as :latest (whatever latest was when the pod started)', pointer);
    const primary = digest ?? tag ?? 'latest';
    const id = b.purl('docker', namespace, name, primary, pointer);
    b.packageVersion(id, pointer, { name: text.slice(0, 1024) });
    b.edge(serviceId, 'DEPENDS_ON', id, pointer);
    if (digest && tag) {
      const tagged = b.purl('docker', namespace, name, tag, pointer);
      b.packageVersion(tagged, pointer, { name: `${namespace ? `${namespace}/` : ''}${name}:${tag}` });
      b.edge(serviceId, 'DEPENDS_ON', tagged, pointer, { confidence: 'likely' });
    }
  }
}

/**
 * `[registry[:port]/]path/name[:tag][@algo:hex]` -> purl parts: namespace is the registry and path
 * (Docker Hub: `library` for official images, no registry), name the last segment, all lower-cased
 * as registries require. Null when it is not an image reference.
 */
export function parseImage(ref: string): { namespace: string | undefined; name: string; tag?: string; digest?: string } | null {
  const m = /^([^@\s]+?)(?::([\w][\w.-]{0,127}))?(?:@([A-Za-z][A-Za-z0-9]*(?:[+._-][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}))?$/.exec(ref);
  if (!m) return null;
  const [, path, tag, digest] = m;
  const parts = path!.split('/');
  if (parts.some((p) => p === '' || !/^[A-Za-z0-9._:-]+$/.test(p))) return null;
  let registry: string | undefined;
  if (parts.length > 1 && (/[.:]/.test(parts[0]!) || parts[0] === 'localhost')) registry = parts.shift()!.toLowerCase();
  if (registry === 'docker.io' || registry === 'index.docker.io' || registry === 'registry-1.docker.io') registry = undefined;
  if (!registry && parts.length === 1) parts.unshift('library');
  const name = parts.pop()!.toLowerCase();
  if (parts.some((p) => p.includes(':')) || name.includes(':')) return null;
  const namespace = [registry, ...parts.map((p) => p.toLowerCase())].filter(Boolean).join('/') || undefined;
  return { namespace, name, ...(tag && { tag }), ...(digest && { digest: digest.toLowerCase() }) };
}

/** A copy of a Kubernetes object without what must never be read: Secret values and kubectl's copy of the object. */
function withoutSecretValues(obj: Record<string, unknown>): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...obj };
  if (obj.kind === 'Secret') {
    delete copy.data;
    delete copy.stringData;
  }
  if (isObject(obj.metadata) && isObject(obj.metadata.annotations) && LAST_APPLIED in obj.metadata.annotations) {
    const annotations = { ...obj.metadata.annotations };
    delete annotations[LAST_APPLIED];
    copy.metadata = { ...obj.metadata, annotations };
  }
  return copy;
}

