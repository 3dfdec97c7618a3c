/**
 * `blast ingest` in one command or in many, in any order, gives the same graph (the same snapshotId) on
 * both stores; `blast unchecked` lists the uses an advisory could not judge.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { main } from '../../server/cli/main.js';
import { openStore } from '../../server/store/open-store.js';
import { fixturePath } from './helpers.js';
import { MANIFESTS } from './kubernetes-data.js';

async function blast(args: string[]) {
  let out = '';
  let err = '';
  const code = await main(args, { out: (t) => void (out += t), err: (t) => void (err += t), interactive: false });
  return { code, out, err };
}

const WORKFLOW = `name: release
on: push
jobs:
  release:
    runs-on: ubuntu-latest
    steps:
      - uses: aquasecurity/trivy-action@0.33.1
      - uses: aquasecurity/trivy-action@master
      - run: twine upload dist/*
        env: { TWINE_PASSWORD: "\${{ secrets.PYPI_TOKEN }}" }
`;

describe.each(['embedded', 'neo4j'] as const)('blast ingest, one command or many, any order: %s', (backend) => {
  let dir: string;
  let files: string[];
  const saved = { ...process.env };
  const reset = async () => {
    if (backend === 'embedded') {
      rmSync(join(dir, 'data'), { recursive: true, force: true });
      return;
    }
    const store = await openStore({ backend, neo4j: inject('neo4j') });
    await store.clear();
    await store.close();
  };
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'blast-order-'));
    Object.assign(process.env, { BLAST_DATA_DIR: join(dir, 'data'), BLAST_STORE: backend, BLAST_NOW: '2026-04-01T00:00:00Z' });
    const neo = inject('neo4j');
    Object.assign(process.env, { NEO4J_URI: neo.uri, NEO4J_USER: neo.user, NEO4J_PASSWORD: neo.password });
    const write = (name: string, text: string) => {
      const path = join(dir, name);
      writeFileSync(path, text);
      return path;
    };
    files = [
      write('GHSA-69fq-xp46-6x23.json', readFileSync(fixturePath('osv/GHSA-69fq-xp46-6x23.json'), 'utf8')),
      write('release.yml', WORKFLOW),
      write('prod.yaml', MANIFESTS),
      write('requirements.txt', readFileSync(fixturePath('lockfiles/Aider-AI-aider/requirements.txt'), 'utf8')),
      write('MAL-2026-2144.json', readFileSync(fixturePath('osv/MAL-2026-2144.json'), 'utf8')),
    ];
  });
  afterAll(async () => {
    await reset();
    process.env = saved;
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives one snapshotId', async () => {
    await reset();
    const one = await blast(['ingest', '--repo', 'acme/app', ...files]);
    expect(one.code, one.err).toBe(0);
    const snapshot = /^snapshot (\S+)$/m.exec(one.out)![1]!;
    expect(one.err).toMatch(/could not be checked against osv:GHSA-69fq-xp46-6x23 .*: pkg:githubactions\/aquasecurity\/trivy-action@master/);

    await reset();
    for (const f of [...files].reverse()) expect((await blast(['ingest', '--repo', 'acme/app', f])).code).toBe(0);
    const stats = JSON.parse((await blast(['stats', '--format', 'json'])).out) as { snapshotId: string };
    expect(stats.snapshotId).toBe(snapshot);

    const unchecked = await blast(['unchecked', 'GHSA-69fq-xp46-6x23']);
    expect(unchecked.out).toBe('pkg:githubactions/aquasecurity/trivy-action@master\tused by svc:acme/app/release\n');
    const radius = JSON.parse((await blast(['radius', '--format', 'json'])).out) as { seeds: Array<{ id: string }>; affected: Array<{ id: string }> };
    expect(radius.seeds.map((s) => s.id)).toContain('pkg:githubactions/aquasecurity/trivy-action@0.33.1');
    expect(radius.affected.map((a) => a.id)).toContain('cred:acme/app/PYPI_TOKEN');
    expect((await blast(['unchecked', 'osv:GHSA-nope'])).code).not.toBe(0);
  }, 120_000);
});
