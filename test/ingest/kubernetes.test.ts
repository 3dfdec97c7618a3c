/**
 * Kubernetes manifests: who holds which Secret and runs which image, from multi-document YAML and
 * `kubectl get -o yaml` lists; Secret values are never read or stored.
 */
import { describe, expect, it } from 'vitest';
import { parseImage } from '../../server/ingest/kubernetes.js';
import { edges, expectBlastError, ids, prepare } from './helpers.js';
import { MANIFESTS, TOKEN } from './kubernetes-data.js';

describe('Kubernetes manifests', () => {
  it('a multi-document YAML: a Service per workload, the Secrets it holds, the images it runs', () => {
    const { format, batch } = prepare('k8s/prod.yaml', MANIFESTS);
    expect(format).toBe('kubernetes');
    expect(ids(batch, 'Service')).toEqual(['svc:k8s/prod/labeling-api', 'svc:k8s/prod/nightly-export']);
    expect(batch.nodes.find((n) => n.id === 'svc:k8s/prod/labeling-api')).toMatchObject({ name: 'prod/labeling-api', props: { serviceKind: 'app', workloadKind: 'Deployment', namespace: 'prod' } });
    expect(batch.nodes.find((n) => n.id === 'svc:k8s/prod/nightly-export')!.props).toEqual({ serviceKind: 'job', workloadKind: 'CronJob', namespace: 'prod' });

    const holds = edges(batch, 'HOLDS').map((e) => `${e.from} ${e.to}`).sort();
    expect(holds).toEqual([
      'svc:k8s/prod/labeling-api cred:k8s/prod/api-tls',
      'svc:k8s/prod/labeling-api cred:k8s/prod/db',
      'svc:k8s/prod/labeling-api cred:k8s/prod/ghcr-pull',
      'svc:k8s/prod/labeling-api cred:k8s/prod/openai',
      'svc:k8s/prod/labeling-api cred:k8s/prod/s3-reader',
      'svc:k8s/prod/labeling-api cred:k8s/prod/serviceaccount/labeling',
      'svc:k8s/prod/nightly-export cred:k8s/prod/s3-reader',
    ]);
    expect(batch.nodes.find((n) => n.id === 'cred:k8s/prod/db')!.props).toEqual({ type: 'kubernetes-secret', namespace: 'prod', keys: ['password', 'username'] });
    // The Secret object: its type and key names, never its values.
    expect(batch.nodes.find((n) => n.id === 'cred:k8s/prod/openai')!.props).toEqual({ type: 'kubernetes-secret', namespace: 'prod', secretType: 'Opaque', keys: ['OPENAI_API_KEY', 'ORG'] });
    expect(JSON.stringify(batch)).not.toContain(TOKEN);
    expect(JSON.stringify(batch)).not.toContain('YWNtZQ==');
    const warnings = batch.warnings!.join('\n');
    expect(warnings).toMatch(/^k8s\/prod\.yaml line \d+: Secret prod\/openai: the values of its data\/stringData \(2\) were not read or stored; only the key names$/m);
    expect(warnings).toMatch(/objects of kind Service not read/);
    expect(warnings).toMatch(/images without a tag or digest read as :latest/);

    const deps = edges(batch, 'DEPENDS_ON').map((e) => `${e.from} ${e.to} ${e.confidence ?? 'confirmed'}`).sort();
    expect(deps).toEqual([
      `svc:k8s/prod/labeling-api pkg:docker/ghcr.io/acme/migrate@2.1.0 likely`,
      `svc:k8s/prod/labeling-api pkg:docker/ghcr.io/acme/migrate@sha256:${'ab'.repeat(32)} confirmed`,
      'svc:k8s/prod/labeling-api pkg:docker/acme/labeling-api@1.4.2 confirmed',
      'svc:k8s/prod/labeling-api pkg:docker/library/nginx@latest confirmed',
      'svc:k8s/prod/nightly-export pkg:docker/registry.acme.internal:5000/tools/exporter@v3 confirmed',
    ].sort());
  });

  it('a kubectl get -o yaml List, and one object alone', () => {
    const list = `apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: Pod
    metadata: { name: debug }
    spec:
      containers: [{ name: c, image: "busybox:1.36", env: [{ name: T, valueFrom: { secretKeyRef: { name: tok, key: t } } }] }]
  - apiVersion: apps/v1
    kind: StatefulSet
    metadata: { name: db, namespace: data }
    spec: { template: { spec: { containers: [{ name: pg, image: "postgres:16" }], volumes: [{ name: s, secret: { secretName: pg-admin } }] } } }
`;
    const { batch } = prepare('kubectl-get.yaml', list);
    expect(ids(batch, 'Service')).toEqual(['svc:k8s/default/debug', 'svc:k8s/data/db']);
    expect(edges(batch, 'HOLDS').map((e) => e.to).sort()).toEqual(['cred:k8s/data/pg-admin', 'cred:k8s/data/serviceaccount/default', 'cred:k8s/default/serviceaccount/default', 'cred:k8s/default/tok']);
    expect(batch.warnings!.join('\n')).toMatch(/taken to be in namespace default/);
    const single = prepare('job.json', JSON.stringify({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'once', namespace: 'ops' }, spec: { template: { spec: { containers: [{ name: 'x', image: 'alpine:3.20' }] } } } })).batch;
    expect(ids(single, 'PackageVersion')).toEqual(['pkg:docker/library/alpine@3.20']);
  });

  it('image references', () => {
    expect(parseImage('nginx')).toEqual({ namespace: 'library', name: 'nginx' });
    expect(parseImage('docker.io/bitnami/redis:7.2')).toEqual({ namespace: 'bitnami', name: 'redis', tag: '7.2' });
    expect(parseImage('localhost:5000/app')).toEqual({ namespace: 'localhost:5000', name: 'app' });
    expect(parseImage('quay.io/a/b/c@sha256:' + 'F'.repeat(64))).toEqual({ namespace: 'quay.io/a/b', name: 'c', digest: 'sha256:' + 'f'.repeat(64) });
    expect(parseImage('bad image')).toBeNull();
    expect(parseImage('a//b')).toBeNull();
  });

  it('bad input names the file and the line; a secret value outside a Secret is still refused', () => {
    const line = MANIFESTS.split('\n').indexOf('  name: nightly-export') + 1;
    expectBlastError(() => prepare('k.yaml', MANIFESTS.replace('name: nightly-export', 'name: Nightly_Export')), 'BAD_INPUT', { input: 'k.yaml', location: `line ${line}`, message: /not a Kubernetes name/ });
    expectBlastError(() => prepare('k.yaml', MANIFESTS.replace('image: acme/labeling-api:1.4.2', 'image: "a b"')), 'BAD_INPUT', { location: /^line \d+$/, message: /not an image reference/ });
    expectBlastError(() => prepare('k.yaml', MANIFESTS.replace('value: "8080"', `value: "${TOKEN}"`)), 'SECRET_REFUSED', { input: 'k.yaml', location: /^line \d+$/ });
    expectBlastError(() => prepare('k.yaml', MANIFESTS.replace('kind: CronJob\n', 'kind: CronJob\nkind: Job\n')), 'BAD_INPUT', { input: 'k.yaml', message: /invalid YAML/ });
  });
});
