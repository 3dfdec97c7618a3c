import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { prepareInput } from '../../server/ingest/ingest-file.js';
import { expectBlastError, fixturePath, prepare } from './helpers.js';

const ROOT = fixturePath('');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : [join(dir, f)]));
}

/** The format each fixture must be detected as, from its folder and name. */
function formatOf(rel: string): string {
  if (rel.startsWith('sbom/cyclonedx/')) return 'cyclonedx';
  if (rel.startsWith('sbom/spdx/')) return 'spdx';
  if (rel.startsWith('osv/')) return 'osv';
  if (rel.startsWith('workflows/')) return 'github-workflow';
  if (rel.endsWith('uv.lock')) return 'uv.lock';
  if (rel.endsWith('poetry.lock')) return 'poetry.lock';
  if (rel.endsWith('requirements.txt')) return 'requirements.txt';
  throw new Error(`no expected format for ${rel}`);
}

describe('format detection', () => {
  const all = files(ROOT)
    .map((f) => relative(ROOT, f))
    .filter((f) => f !== 'SOURCES.md')
    .sort();

  it('covers all 19 fixtures', () => {
    expect(all).toHaveLength(19);
  });

  it.each(all)('%s', (rel) => {
    // Detected from content: the file is ingested under a name that says nothing.
    expect(prepareInput('upload', readFileSync(join(ROOT, rel)), { options: { repo: 'acme/app' } }).format).toBe(formatOf(rel));
  });

  it('the reference inventory stays an inventory; a BOM with services and a package-lock are not inventories', () => {
    const seed = readFileSync(new URL('../../seed/reference/scenario.yaml', import.meta.url));
    expect(prepareInput('scenario.yaml', seed).format).toBe('inventory');
    const bom = { bomFormat: 'CycloneDX', specVersion: '1.6', version: 1, services: [{ name: 'api' }], components: [] };
    expect(prepare('bom.json', JSON.stringify(bom)).format).toBe('cyclonedx');
    const lock = { name: 'x', version: '1.0.0', lockfileVersion: 3, packages: { '': { name: 'x', version: '1.0.0' } } };
    expect(prepare('package-lock.json', JSON.stringify(lock)).format).toBe('package-lock.json');
  });

  it('content no format claims: UNKNOWN_FORMAT naming the input', () => {
    expectBlastError(() => prepare('notes.txt', 'Hello, world.\nNothing to see here.\n'), 'UNKNOWN_FORMAT', { input: 'notes.txt' });
    expectBlastError(() => prepare('x.toml', 'title = "x"\n[tool.poetry]\nname = "x"\n'), 'UNKNOWN_FORMAT');
    expectBlastError(() => prepare('x.json', '{"bomFormat": "SPDX"}'), 'UNKNOWN_FORMAT');
  });
});
