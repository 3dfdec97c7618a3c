import { describe, expect, it } from 'vitest';
import { edges, expectBlastError, fixturePath, fixtureText, ids, prepare, prepareFixture } from './helpers.js';

const LITELLM = 'workflows/BerriAI-litellm/simple_pypi_publish.yml';

describe('GitHub Actions workflow', () => {
  it('litellm "Simple PyPI Publish": one ci Service, its actions, the PyPI secret and GITHUB_TOKEN', () => {
    const text = fixtureText(LITELLM);
    const uses = [...text.matchAll(/^\s*(?:-\s*)?uses:\s*(\S+)/gm)].map((m) => m[1]!);
    const secrets = new Set([...text.matchAll(/\$\{\{\s*secrets\.(\w+)\s*\}\}/g)].map((m) => m[1]!));
    const { format, batch } = prepareFixture(LITELLM);
    expect(format).toBe('github-workflow');
    expect(uses).toEqual(['actions/checkout@v4', 'actions/setup-python@v4']);
    expect(secrets).toEqual(new Set(['PYPI_PUBLISH_PASSWORD']));

    const svc = 'svc:BerriAI/litellm/simple_pypi_publish';
    expect(batch.nodes.find((n) => n.id === svc)).toMatchObject({ kind: 'Service', name: 'Simple PyPI Publish', props: { serviceKind: 'ci', repo: 'BerriAI/litellm', triggers: ['workflow_dispatch'] } });
    expect(edges(batch, 'DEPENDS_ON').map((e) => [e.from, e.to])).toEqual(uses.map((u) => [svc, `pkg:githubactions/${u}`]));
    expect(edges(batch, 'HOLDS').map((e) => e.to)).toEqual(['cred:BerriAI/litellm/PYPI_PUBLISH_PASSWORD', 'cred:BerriAI/litellm/GITHUB_TOKEN']);
    expect(batch.nodes.find((n) => n.id === 'cred:BerriAI/litellm/PYPI_PUBLISH_PASSWORD')).toMatchObject({ name: 'PYPI_PUBLISH_PASSWORD', props: { type: 'github-actions-secret' } });
    expect(batch.edges.find((e) => e.to === 'cred:BerriAI/litellm/PYPI_PUBLISH_PASSWORD')!.sources[0]!.pointer).toBe('/jobs/publish/steps/6/env/TWINE_PASSWORD');
    expect(batch.warnings!.join('\n')).toMatch(/guessed from the folder name as BerriAI\/litellm/);
  });

  it('--repo names the repository; --service replaces the workflow Service and times its edges', () => {
    const withRepo = prepareFixture(LITELLM, { repo: 'BerriAI/litellm' }).batch;
    expect(withRepo.warnings).toEqual([]);
    expect(ids(withRepo, 'Service')).toEqual(['svc:BerriAI/litellm/simple_pypi_publish']);
    const service = { id: 'svc:berriai/release-ci', since: '2026-03-19T21:14:00Z', until: '2026-03-19T21:20:00Z' };
    const withService = prepareFixture(LITELLM, { repo: 'BerriAI/litellm', service }).batch;
    expect(ids(withService, 'Service')).toEqual(['svc:berriai/release-ci']);
    expect(edges(withService, 'DEPENDS_ON').every((e) => e.since === service.since && e.until === service.until)).toBe(true);
    expect(edges(withService, 'HOLDS').every((e) => e.from === 'svc:berriai/release-ci')).toBe(true);
    expectBlastError(() => prepareFixture(LITELLM, { repo: 'not a repo' }), 'BAD_INPUT', { location: 'option --repo' });
  });

  it('owner and repo from the path: github.com/<owner>/<repo>/.github/workflows, <repo>/.github/workflows, else local', () => {
    const text = fixtureText(LITELLM);
    expect(ids(prepare('/src/github.com/acme/api/.github/workflows/ci.yml', text).batch, 'Service')).toEqual(['svc:acme/api/ci']);
    expect(ids(prepare('/home/me/api/.github/workflows/ci.yaml', text).batch, 'Service')).toEqual(['svc:local/api/ci']);
    const local = prepare('ci.yml', text).batch;
    expect(ids(local, 'Service')).toEqual(['svc:local/ci']);
    expect(ids(local, 'Credential')).toEqual(['cred:local/PYPI_PUBLISH_PASSWORD', 'cred:local/GITHUB_TOKEN']);
    expect(local.warnings!.join('\n')).toMatch(/pass --repo/);
  });

  it('the trivy case: reusable workflows, path actions, secrets in every expression form; local and docker actions skipped', () => {
    const wf = [
      'name: release',
      'on: { push: { tags: ["v*"] } }',
      'permissions: { contents: read, id-token: write }',
      'jobs:',
      '  scan:',
      '    runs-on: ubuntu-latest',
      "    if: secrets.SCAN_ENABLED != ''",
      '    steps:',
      '      - uses: Aquasecurity/Trivy-Action@0.33.1',
      '        with: { token: "${{ github.token }}", password: "${{ secrets[\'registry_pw\'] }}" }',
      '      - uses: github/codeql-action/init@v3',
      '      - uses: ./.github/actions/local',
      '      - uses: docker://alpine:3.20',
      '      - run: echo "${{ secrets.AWS_KEY_ID }} and ${{ format(\'{0}\', secrets.DEPLOY_TOKEN) }}"',
      '  call:',
      '    uses: acme/workflows/.github/workflows/deploy.yml@main',
      '    secrets: inherit',
    ].join('\n');
    const { batch } = prepare('wf.yml', wf, { repo: 'acme/app' });
    expect(edges(batch, 'DEPENDS_ON').map((e) => e.to)).toEqual([
      'pkg:githubactions/aquasecurity/trivy-action@0.33.1',
      'pkg:githubactions/github/codeql-action@v3',
      'pkg:githubactions/acme/workflows@main',
    ]);
    expect(batch.nodes.find((n) => n.id === 'pkg:githubactions/github/codeql-action@v3')!.name).toBe('github/codeql-action@v3');
    expect(ids(batch, 'Credential').sort()).toEqual(['cred:acme/app/AWS_KEY_ID', 'cred:acme/app/DEPLOY_TOKEN', 'cred:acme/app/GITHUB_TOKEN', 'cred:acme/app/REGISTRY_PW', 'cred:acme/app/SCAN_ENABLED']);
    expect(batch.nodes.find((n) => n.id === 'cred:acme/app/GITHUB_TOKEN')!.props).toEqual({ type: 'github-token', scope: 'contents: read, id-token: write' });
    const warnings = batch.warnings!.join('\n');
    expect(warnings).toMatch(/local actions/);
    expect(warnings).toMatch(/docker:\/\//);
    expect(warnings).toMatch(/secrets: inherit/);
  });

  it('job-level permissions widen the token scope; two reusable workflows of one repository at one ref are one version named after neither', () => {
    const wf = [
      'on: push',
      'permissions: read-all',
      'jobs:',
      '  build:',
      '    runs-on: ubuntu-latest',
      '    permissions: { contents: read, packages: write }',
      '    steps: [{ uses: actions/checkout@v4 }]',
      '  release:',
      '    permissions: { contents: write, id-token: write, packages: read }',
      '    uses: acme/wf/.github/workflows/release.yml@v1',
      '  docs:',
      '    uses: acme/wf/.github/workflows/docs.yml@v1',
    ].join('\n');
    const { batch } = prepare('wf.yml', wf, { repo: 'acme/app' });
    expect(batch.nodes.find((n) => n.id === 'cred:acme/app/GITHUB_TOKEN')!.props!.scope).toBe('read-all, contents: write, packages: write, id-token: write');
    const reusable = batch.nodes.find((n) => n.id === 'pkg:githubactions/acme/wf@v1')!;
    expect(reusable.name).toBe('acme/wf@v1');
    const edge = edges(batch, 'DEPENDS_ON').find((e) => e.to === reusable.id)!;
    expect(edge.sources.map((s) => s.pointer)).toEqual(['/jobs/release/uses', '/jobs/docs/uses']);
    const all = prepare('wf.yml', wf.replace('permissions: read-all', 'permissions: write-all'), { repo: 'acme/app' }).batch;
    expect(all.nodes.find((n) => n.id === 'cred:acme/app/GITHUB_TOKEN')!.props!.scope).toBe('write-all');
  });

  it('a commit pin with its tag in a comment depends on both; without a comment, on the commit only', () => {
    const sha = 'a7a829a4b2bb8cd3e24e4f6eaba26f9b8f4bd3ba';
    const wf = `on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: actions/checkout@${sha} # v4.2.2\n      - uses: actions/cache@${sha.replace('a7', 'b8')}\n      - uses: actions/setup-node@${sha.replace('a7', 'c9')}  # tag=v3.1.0 \n`;
    const { batch } = prepare('wf.yml', wf, { repo: 'acme/app' });
    expect(edges(batch, 'DEPENDS_ON').map((e) => [e.to, e.confidence ?? 'confirmed'])).toEqual([
      [`pkg:githubactions/actions/checkout@${sha}`, 'confirmed'],
      ['pkg:githubactions/actions/checkout@v4.2.2', 'likely'],
      [`pkg:githubactions/actions/cache@${sha.replace('a7', 'b8')}`, 'confirmed'],
      [`pkg:githubactions/actions/setup-node@${sha.replace('a7', 'c9')}`, 'confirmed'],
      ['pkg:githubactions/actions/setup-node@v3.1.0', 'likely'],
    ]);
    expect(batch.nodes.find((n) => n.id === `pkg:githubactions/actions/checkout@${sha}`)!.props).toEqual({ commentTag: 'v4.2.2' });
  });

  describe('bad input', () => {
    const ok = 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n';
    it('truncated or invalid YAML: BAD_INPUT with the line', () => {
      expectBlastError(() => prepare('wf.yml', `${ok}      - uses: [actions/setup-node@v4\n`), 'BAD_INPUT', { input: 'wf.yml', location: /^line \d+$/, message: /invalid YAML/ });
      const text = fixtureText(LITELLM);
      expectBlastError(() => prepare('wf.yml', text.slice(0, text.indexOf('python-version:') + 20) + '\n   bad: [\n'), 'BAD_INPUT', { location: /^line \d+$/ });
    });
    it('wrong schema: steps not a list, a step not a mapping, uses without a ref', () => {
      expectBlastError(() => prepare('wf.yml', ok.replace('    steps:\n      - uses: actions/checkout@v4', '    steps: checkout')), 'BAD_INPUT', { location: 'line 5' });
      expectBlastError(() => prepare('wf.yml', ok.replace('- uses: actions/checkout@v4', '- just a string')), 'BAD_INPUT', { location: 'line 6' });
      expectBlastError(() => prepare('wf.yml', ok.replace('actions/checkout@v4', 'actions/checkout')), 'BAD_INPUT', { location: 'line 6', message: /owner\/repo@ref/ });
      expectBlastError(() => prepare('wf.yml', ok.replace('jobs:\n  a:', 'jobs:\n  a: 5\n  b:')), 'BAD_INPUT', { location: 'line 3' });
    });
    it('hostile strings: control characters in a name, a huge ref', () => {
      expectBlastError(() => prepare('wf.yml', `name: "evil\\u001b[31m"\n${ok}`), 'BAD_INPUT', { location: 'line 1', message: /control characters/ });
      expectBlastError(() => prepare('wf.yml', ok.replace('@v4', `@${'v'.repeat(2000)}`)), 'BAD_INPUT', { location: 'line 6' });
    });
    it('a literal secret value: SECRET_REFUSED; a ${{ secrets.X }} reference is fine', () => {
      expectBlastError(() => prepare('wf.yml', `${ok}        with: { password: hunter2 }\n`), 'SECRET_REFUSED', { location: 'line 7' });
      expectBlastError(() => prepare('wf.yml', `${ok}        env: { GH: ghp_0123456789abcdefghijklmnopqrstuvwxyzAB }\n`), 'SECRET_REFUSED', { location: 'line 7' });
      expect(ids(prepare('wf.yml', `${ok}        with: { password: "\${{ secrets.PW }}" }\n`).batch, 'Credential')).toContain('cred:local/PW');
    });
  });

  it('the fixture path resolves from the test file', () => {
    expect(fixturePath(LITELLM)).toMatch(/shared\/fixtures\/real\/workflows\/BerriAI-litellm\/simple_pypi_publish\.yml$/);
  });
});
