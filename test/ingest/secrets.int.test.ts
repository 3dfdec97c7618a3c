/**
 * Secret values are never stored (issue 17, item 1): every kind of secret the attack run got past
 * ingest, put into every ingest format and every API input that is stored, is refused with
 * SECRET_REFUSED naming the input and the place, without echoing the value; afterwards the graph is
 * unchanged and (embedded store) no database file, WAL included, holds the value. References to
 * secrets (`${{ secrets.X }}`), credential metadata and the real fixtures still ingest.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { GraphStore } from '../../server/store/graph-store.js';
import { errorCode, gql, inProcess, loadScenario, makeApp, type Transport } from '../api/helpers.js';
import { STORES, useStore } from '../support/stores.js';
import { fixturePath } from './helpers.js';

/** Deterministic pseudo-random text, so no real-looking token is written into this file. */
function randomText(seed: number, length: number, alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'): string {
  let x = seed;
  let out = '';
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    out += alphabet[x % alphabet.length];
  }
  return out;
}
const b64url = (text: string) => Buffer.from(text).toString('base64url');
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** A PKCS#1 RSA private key body: the DER prefix of the real format, then random base64 in 64-column lines. */
const KEY_BODY = `MIIEpAIBAAKCAQEA${randomText(7, 240, B64)}`;
const KEY_LINES = KEY_BODY.match(/.{1,64}/g)!;
const PEM = ['-----BEGIN RSA PRIVATE KEY-----', ...KEY_LINES, '-----END RSA PRIVATE KEY-----'].join('\n');

interface SecretCase {
  name: string;
  /** The text placed in the input. */
  text: string;
  /** The part that must appear nowhere afterwards (the secret itself). */
  needle: string;
}

const PASSWORD = `Tr0ub4dor&${randomText(3, 6)}`;
const HF = `hf_${randomText(1, 34, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz')}`;
const JWT_SIGNATURE = randomText(2, 43);
const URL_PASSWORD = randomText(4, 14);
const DB_PASSWORD = randomText(5, 16);
const STRIPE = `sk_live_${randomText(6, 24)}`;
const RANDOM_TOKEN = randomText(8, 40);
const GH = `ghp_${randomText(9, 36)}`;
const B64_PEM = Buffer.from(PEM).toString('base64');
const TEXT_SECRETS: SecretCase[] = [
  { name: 'a Hugging Face token', text: HF, needle: HF.slice(3) },
  { name: 'a JWT', text: `session eyJhbGciOiJIUzI1NiJ9.${b64url(JSON.stringify({ sub: 'svc-labeling', iat: 1774000000 }))}.${JWT_SIGNATURE}`, needle: JWT_SIGNATURE },
  { name: '"Password: …" in text', text: `db admin Password: ${PASSWORD}`, needle: PASSWORD },
  { name: 'a URL with a password', text: `https://deploy:${URL_PASSWORD}@git.example.com/acme/app.git`, needle: URL_PASSWORD },
  { name: 'a .env DATABASE_URL line', text: `DATABASE_URL=postgres://app:${DB_PASSWORD}@db.internal:5432/app`, needle: DB_PASSWORD },
  { name: 'a .env Stripe key line', text: `STRIPE_SECRET_KEY=${STRIPE}`, needle: STRIPE.slice(8) },
  { name: 'a PEM key with its header split over two lines', text: PEM.replace('RSA PRIVATE KEY-----\n', 'RSA PRIVATE\nKEY-----\n'), needle: KEY_LINES[1]! },
  { name: 'a PEM key without its header', text: KEY_LINES.join('\n'), needle: KEY_LINES[1]! },
  { name: 'a base64-encoded PEM key', text: B64_PEM, needle: B64_PEM.slice(100, 160) },
  { name: 'a long random token in free text', text: `rotated; the new one is ${RANDOM_TOKEN} until Friday`, needle: RANDOM_TOKEN },
  { name: 'a GitHub token (refused before too)', text: GH, needle: GH.slice(4) },
];

/** Secrets that are a key and a value (inventory props, workflow env): the key rules and key shapes. */
const AWS_SECRET = randomText(10, 40);
const PAT = `ghp_${randomText(11, 36)}`;
const KEY_SECRETS: Array<SecretCase & { props: Record<string, unknown> }> = [
  { name: 'aws_secret_access_key', props: { aws_secret_access_key: AWS_SECRET }, text: '', needle: AWS_SECRET },
  { name: 'secretAccessKey', props: { secretAccessKey: AWS_SECRET }, text: '', needle: AWS_SECRET },
  { name: 'db_password', props: { db_password: 'plainpw' }, text: '', needle: 'plainpw' },
  { name: 'any *_password', props: { smtp_relay_password: 'relaypw' }, text: '', needle: 'relaypw' },
  { name: 'a PEM key as a list of lines', props: { keyMaterial: ['-----BEGIN RSA', 'PRIVATE KEY-----', ...KEY_LINES] }, text: '', needle: KEY_LINES[2]! },
  { name: 'a GitHub token as a key', props: { [PAT]: 'ci' }, text: '', needle: PAT.slice(4, 24) },
];

/** Every ingest format, each with the secret text in a field that format stores or reads. */
const json = (path: string) => JSON.parse(readFileSync(fixturePath(path), 'utf8'));
const FORMATS: Array<{ format: string; name: string; content: (text: string) => string }> = [
  { format: 'inventory (YAML)', name: 'inventory.yaml', content: (t) => `version: 1\nservices:\n  - id: svc:acme/api\n    name: ${JSON.stringify(t)}\n` },
  { format: 'inventory (JSON)', name: 'inventory.json', content: (t) => JSON.stringify({ version: 1, customers: [{ id: 'org:acme', props: { contact: t } }] }) },
  {
    format: 'CycloneDX',
    name: 'bom.json',
    content: (t) => {
      const bom = json('sbom/cyclonedx/youtube-to-docs/sbom.cdx.json');
      bom.components[0].name = t;
      return JSON.stringify(bom);
    },
  },
  {
    format: 'SPDX',
    name: 'sbom.spdx.json',
    content: (t) => {
      const doc = json('sbom/spdx/spdx-examples-example8/examplemaven-0.0.1.spdx.json');
      doc.packages[0].name = t;
      return JSON.stringify(doc);
    },
  },
  {
    format: 'OSV',
    name: 'MAL-2026-2144.json',
    content: (t) => {
      const osv = json('osv/MAL-2026-2144.json');
      osv.details = t;
      return JSON.stringify(osv);
    },
  },
  {
    format: 'package-lock.json',
    name: 'package-lock.json',
    content: (t) =>
      JSON.stringify({ name: 'web', version: '1.0.0', lockfileVersion: 3, packages: { '': { name: 'web', version: '1.0.0' }, 'node_modules/ms': { version: '2.1.3', license: t } } }),
  },
  {
    format: 'GitHub workflow',
    name: 'publish.yml',
    content: (t) => {
      const wf = parseYaml(readFileSync(fixturePath('workflows/BerriAI-litellm/simple_pypi_publish.yml'), 'utf8'));
      wf.jobs.publish.steps[0].name = t;
      return stringifyYaml(wf);
    },
  },
  {
    format: 'uv.lock',
    name: 'uv.lock',
    content: (t) => readFileSync(fixturePath('lockfiles/stanfordnlp-dspy/uv.lock'), 'utf8').replace(/^revision = 3$/m, `revision = 3\ncomment = ${JSON.stringify(t)}`),
  },
  {
    format: 'poetry.lock',
    name: 'poetry.lock',
    content: (t) => readFileSync(fixturePath('lockfiles/Skyvern-AI-skyvern/poetry.lock'), 'utf8').replace(/^description = ".*"$/m, `description = ${JSON.stringify(t)}`),
  },
  {
    format: 'requirements.txt',
    name: 'requirements.txt',
    content: (t) => `${readFileSync(fixturePath('lockfiles/Aider-AI-aider/requirements.txt'), 'utf8')}\n${t.split('\n').map((l) => `# ${l}`).join('\n')}\n`,
  },
];

/** Formats with free keys: the key cases go into them. */
const KEYED_FORMATS: Array<{ format: string; name: string; content: (props: Record<string, unknown>) => string }> = [
  { format: 'inventory props (YAML)', name: 'inventory.yaml', content: (p) => stringifyYaml({ version: 1, credentials: [{ id: 'cred:acme/aws', type: 'aws-access-key', props: p }] }) },
  { format: 'inventory props (JSON)', name: 'inventory.json', content: (p) => JSON.stringify({ version: 1, datasets: [{ id: 'ds:acme/logs', props: p }] }) },
  {
    format: 'workflow env',
    name: 'publish.yml',
    content: (p) => {
      const wf = parseYaml(readFileSync(fixturePath('workflows/BerriAI-litellm/simple_pypi_publish.yml'), 'utf8'));
      wf.env = { ...wf.env, ...p };
      return stringifyYaml(wf);
    },
  },
];

/** Every file under `dir`, recursively: the SQLite database, its WAL and shm, the projection files. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

describe.each(STORES)('secret values are never stored: $backend', (adapter) => {
  let store: GraphStore;
  let t: Transport;
  useStore(adapter, (s) => (store = s), {
    prepare: async (s) => {
      await loadScenario(s);
      t = await inProcess(makeApp(s));
    },
  });
  const q = (query: string, variables?: Record<string, unknown>) => gql(t.fetch, t.base, query, variables);
  const ingest = (name: string, content: string) =>
    q(`mutation ($name: String!, $content: String!) { ingest(input: { name: $name, content: $content }) { format } }`, { name, content });

  /**
   * Asserts a refusal that names the input and never shows the secret. A file's refusal also names
   * the place in it (a line or a pointer); an argument is its own place.
   */
  function expectRefused(r: Awaited<ReturnType<typeof q>>, needle: string, input?: string): void {
    expect(errorCode(r), JSON.stringify(r.body.errors)).toBe('SECRET_REFUSED');
    const err = r.body.errors![0]!;
    if (input !== undefined) expect(err.extensions?.input).toBe(input);
    else expect(err.extensions?.input).toEqual(expect.any(String));
    if (input !== undefined && input !== 'input.name') expect(err.extensions?.location).toEqual(expect.any(String));
    expect(JSON.stringify(r.body)).not.toContain(needle);
    expect(r.body.data ?? null).toBeNull();
  }

  const needles: string[] = [];
  let before: string;
  let afterIncident: string;

  it('refuses every secret in every ingest format, naming the file and the place', async () => {
    before = (await store.stats()).snapshotId;
    for (const f of FORMATS) {
      for (const s of TEXT_SECRETS) {
        const r = await ingest(f.name, f.content(s.text));
        try {
          expectRefused(r, s.needle, f.name);
        } catch (err) {
          throw new Error(`${f.format} with ${s.name}: ${(err as Error).message}`);
        }
        needles.push(s.needle);
      }
    }
    for (const f of KEYED_FORMATS) {
      for (const s of KEY_SECRETS) {
        const r = await ingest(f.name, f.content(s.props));
        try {
          expectRefused(r, s.needle, f.name);
        } catch (err) {
          throw new Error(`${f.format} with ${s.name}: ${(err as Error).message}`);
        }
        needles.push(s.needle);
      }
    }
  });

  it('refuses every secret in every stored API input: ingest names, incident titles and notes, advisories', async () => {
    const inventory = 'version: 1\ncustomers:\n  - id: org:acme\n';
    const createIncident = `mutation ($input: CreateIncidentInput!) { createIncident(input: $input) { id } }`;
    const seeds = [{ id: 'pkg:pypi/litellm@1.82.8' }];
    expect((await q(createIncident, { input: { id: 'inc:secret-test', name: 'Secret test', seeds } })).body.errors).toBeUndefined();
    afterIncident = (await store.stats()).snapshotId;
    for (const s of TEXT_SECRETS.filter((c) => !c.text.includes('\n') && c.text.length < 200)) {
      expectRefused(await ingest(`upload ${s.text}.yaml`, inventory), s.needle, 'input.name');
      needles.push(s.needle);
    }
    for (const s of TEXT_SECRETS) {
      expectRefused(await q(createIncident, { input: { id: 'inc:notes-test', name: 'Notes', seeds, notes: s.text } }), s.needle);
      expectRefused(await q(createIncident, { input: { id: 'inc:title-test', name: s.text.slice(0, 200), seeds } }), s.needle.slice(0, 12));
      expectRefused(await q(`mutation ($n: String) { updateIncident(id: "inc:secret-test", input: { notes: $n }) { id } }`, { n: s.text }), s.needle);
    }
    const hf = TEXT_SECRETS[0]!;
    expectRefused(await q(`mutation ($a: ID) { markCompromised(id: "pkg:pypi/litellm@1.82.8", advisory: $a) { id } }`, { a: `osv:${hf.text}` }), hf.needle);
  });

  it('leaves the graph unchanged and no database file holding any of the values', async () => {
    // Only the incident made on purpose above was written.
    expect((await store.stats()).snapshotId).toBe(afterIncident);
    expect(afterIncident).not.toBe(before);
    expect(needles.length).toBeGreaterThan(TEXT_SECRETS.length * FORMATS.length);
    if (store.backend === 'embedded') {
      const dir = (store as unknown as { dir: string }).dir;
      const files = filesUnder(dir);
      expect(files.some((f) => f.endsWith('-wal') || f.endsWith('.db') || f.endsWith('.sqlite'))).toBe(true);
      for (const file of files) {
        const bytes = readFileSync(file);
        for (const needle of needles) expect(bytes.includes(Buffer.from(needle)), `${needle} in ${file}`).toBe(false);
      }
    }
    for (const needle of needles) {
      const found = await q(`query ($t: String!) { search(text: $t) { id } }`, { t: needle });
      expect(found.body.data?.search ?? [], needle).toEqual([]);
    }
  });

  it('still ingests references to secrets, credential metadata and the real fixtures', async () => {
    const ok = await ingest(
      'inventory.yaml',
      stringifyYaml({
        version: 1,
        credentials: [
          { id: 'cred:acme/pypi-token', type: 'pypi-token', scope: 'project:acme', fingerprint: 'sha256:4f1c', createdAt: '2026-01-01T00:00:00Z', rotatedAt: '2026-03-25T00:00:00Z', props: { tokenType: 'api', secretName: 'PYPI_TOKEN', passwordRotatedAt: '2026-03-25', vaultPath: 'vault:secret/data/pypi' } },
        ],
      }),
    );
    expect(ok.body.errors).toBeUndefined();
    const wf = await ingest('publish.yml', readFileSync(fixturePath('workflows/BerriAI-litellm/simple_pypi_publish.yml'), 'utf8'));
    expect(wf.body.errors).toBeUndefined();
    expect(readFileSync(fixturePath('workflows/BerriAI-litellm/simple_pypi_publish.yml'), 'utf8')).toContain('secrets.PYPI_PUBLISH_PASSWORD');
  });
});
