/**
 * GitHub Actions workflows (YAML with `on` and `jobs`). The workflow is one Service
 * `svc:<owner>/<repo>/<file stem>` (serviceKind `ci`), or the `--service` id when one is given.
 *
 * - Every `uses: owner/repo@ref` and `owner/repo/path@ref` (steps, and reusable workflows at job level)
 *   -> DEPENDS_ON `pkg:githubactions/owner/repo@ref` (owner and repo lower-cased: GitHub ignores their
 *   case; the ref is kept, tags are case-sensitive). Local `./` actions, `docker://` images and refs
 *   built from expressions are skipped with a warning.
 * - Every `secrets.NAME` (or `secrets['NAME']`) inside a `${{ }}` expression, or in an `if:` condition
 *   -> HOLDS `cred:<owner>/<repo>/<NAME>` (metadata only: type `github-actions-secret`). Secret names
 *   are case-insensitive on GitHub and are upper-cased. An organisation secret shared by many repos
 *   still becomes one node per repo: the file cannot tell the two apart.
 * - Every job runs with the repository's GITHUB_TOKEN, referenced or not (actions read it through
 *   `github.token` defaults), so the workflow always HOLDS `cred:<owner>/<repo>/GITHUB_TOKEN`
 *   (type `github-token`; its scope is the widest `permissions` the workflow or any of its jobs grants).
 * - A step pinned to a commit with the tag in a comment (`uses: o/r@<40 hex> # v0.36.0`) depends on
 *   both: the commit version (props `commentTag`) and the tag version (`likely`), so advisories
 *   with version ranges can judge it.
 *
 * Owner and repo, in order: the `--repo owner/repo` option; the path `…/github.com/<owner>/<repo>/
 * .github/workflows/<file>`; `<repo>/.github/workflows/<file>` gives `local/<repo>`; a file directly in
 * a folder named `<owner>-<repo>` (the fixtures' layout) splits at the first hyphen; else `local`. Every
 * guess is reported as a warning: a wrong guess merges unrelated repositories' secrets, so pass --repo.
 */
import { basename } from 'node:path';
import { badInput } from '../model/errors.js';
import { parseIdOfKind, printable } from '../model/ids.js';
import { escapePointer } from '../model/secrets.js';
import type { GraphBatch, Json, Props } from '../model/types.js';
import type { IngestContext, InputFormat } from './format.js';
import { GraphBuilder, MAX_DEPTH, isObject, refuseSecrets } from './package-graph.js';
import type { ParsedInput } from './parsed-input.js';

export const githubWorkflowFormat: InputFormat = {
  name: 'github-workflow',
  detect: (input) => isObject(input.data) && isObject(input.data.jobs) && ('on' in input.data || 'true' in input.data),
  parse: parseGithubWorkflow,
};

const EXPRESSION = /\$\{\{([\s\S]*?)\}\}/g;
const SECRET_REF = /\bsecrets\s*(?:\.\s*([A-Za-z_][A-Za-z0-9_]*)|\[\s*['"]([A-Za-z_][A-Za-z0-9_]*)['"]\s*\])/g;
const GITHUB_TOKEN_REF = /\bgithub\s*\.\s*token\b/;
const USES = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)((?:\/[^@\s]*)?)@([^\s@]+)$/;
const REPO = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;
/** A full commit SHA (SHA-1 or SHA-256), as security guides tell people to pin actions. */
const COMMIT = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/i;
/** The version a pin's trailing comment names: `# v0.36.0`, `# tag=v4.1.1`, `#v2`. */
const TAG_COMMENT = /#\s*(?:tag\s*[=:]\s*)?(v?\d+(?:\.\d+){0,3}(?:[-+][0-9A-Za-z.-]+)?)\s*$/;

/** The tag named in a comment at the end of the line `where` (`line N`), if any. */
function tagComment(text: string, where: string): string | undefined {
  const m = /^line (\d+)$/.exec(where);
  if (!m) return undefined;
  const line = text.split('\n')[Number(m[1]) - 1];
  return line === undefined ? undefined : TAG_COMMENT.exec(line.replace(/\r$/, ''))?.[1];
}

export function parseGithubWorkflow(input: ParsedInput, ctx: IngestContext): GraphBatch {
  const b: GraphBuilder = new GraphBuilder(ctx, input.locate);
  if (!isObject(input.data) || !isObject(input.data.jobs)) return b.fail('a workflow is a mapping with `on` and `jobs`', '');
  const doc = input.data;
  refuseSecrets(doc, ctx, input.locate, { keys: true, isReference: (v) => /^\s*\$\{\{[\s\S]*\}\}\s*$/.test(v) });

  const scope = repoScope(ctx, b);
  const file = basename(ctx.input.replace(/\\/g, '/'));
  const stem = file.replace(/\.ya?ml$/i, '').replace(/[\s\u0000-\u001f\u007f]+/g, '-') || 'workflow';
  const svcOption = b.serviceOption();
  const serviceId = svcOption?.id ?? parseIdOfKind(`svc:${scope}/${stem}`, 'Service', ctx.input, 'the file name');
  const edgeTimes = { since: svcOption?.since, until: svcOption?.until };

  if (doc.name !== undefined && typeof doc.name !== 'string') b.fail('name must be a string', '/name');
  const name = typeof doc.name === 'string' && doc.name.trim() !== '' ? doc.name.trim() : undefined;
  if (name !== undefined) b.checkName(name, '/name');
  const props: Props = { serviceKind: 'ci', repo: scope, workflow: file.slice(0, 256), triggers: triggers(doc.on ?? doc.true) };
  b.node({ id: serviceId, kind: 'Service', ...(name !== undefined && { name }), props, sources: b.source('') });

  const jobs = doc.jobs as Record<string, unknown>;
  for (const [jobId, job] of Object.entries(jobs)) {
    const jp = `/jobs/${escapePointer(jobId)}`;
    if (!isObject(job)) b.fail('a job must be a mapping', jp);
    if (job.uses !== undefined) action(job.uses, `${jp}/uses`);
    if (job.secrets === 'inherit') b.tally('inherit', '`secrets: inherit` passes every repository secret on; only secrets named in this file are recorded', `${jp}/secrets`);
    const steps = job.steps;
    if (steps === undefined) continue;
    if (!Array.isArray(steps)) b.fail('steps must be a list', `${jp}/steps`);
    (steps as unknown[]).forEach((step, i) => {
      const sp = `${jp}/steps/${i}`;
      if (!isObject(step)) b.fail('a step must be a mapping', sp);
      if (step.uses !== undefined) action(step.uses, `${sp}/uses`);
    });
  }

  function action(uses: unknown, pointer: string): void {
    if (typeof uses !== 'string' || uses.trim() === '') return b.fail('uses must be a string such as actions/checkout@v4', pointer);
    const u = uses.trim();
    if (u.startsWith('./') || u.startsWith('.\\')) return b.tally('local', 'local actions (./…) skipped: they are this repository\'s own code', pointer);
    if (u.startsWith('docker://')) return b.tally('docker', 'docker:// actions skipped (container images are not packages here)', pointer);
    if (u.includes('${{')) return b.tally('expression', 'uses built from expressions skipped (the action is only known at run time)', pointer);
    const m = USES.exec(u);
    if (!m) return b.fail(`"${printable(u)}" is not owner/repo@ref or owner/repo/path@ref`, pointer);
    const [, owner, repo, , ref] = m;
    // One node per repository and ref: two reusable workflows (or path actions) of one repository at
    // one ref run the same code at that ref, and an advisory about the repository applies to both;
    // which paths were used is in each edge's pointer.
    const id = b.purl('githubactions', owner!.toLowerCase(), repo!.toLowerCase(), ref, pointer);
    const tag = COMMIT.test(ref!) ? tagComment(input.text, input.locate(pointer)) : undefined;
    b.packageVersion(id, pointer, { name: `${owner}/${repo}@${ref}`, ...(tag !== undefined && { props: { commentTag: tag } }) });
    b.edge(serviceId, 'DEPENDS_ON', id, pointer, edgeTimes);
    if (tag !== undefined) {
      // `@<sha> # v0.36.0` (Dependabot, Renovate, pinact): judged as that tag too. `likely`: the comment
      // is the author's word that the commit is the tag, which the file cannot prove.
      const tagged = b.purl('githubactions', owner!.toLowerCase(), repo!.toLowerCase(), tag, pointer);
      b.packageVersion(tagged, pointer, { name: `${owner}/${repo}@${tag}` });
      b.edge(serviceId, 'DEPENDS_ON', tagged, pointer, { ...edgeTimes, confidence: 'likely' });
    }
  }

  // Secrets: every expression anywhere in the file (env, with, run, if, …).
  const held = new Map<string, string>(); // NAME -> first pointer
  forEachString(doc, (text, pointer, key) => {
    const expressions = key === 'if' ? [text] : [...text.matchAll(EXPRESSION)].map((m) => m[1]!);
    for (const e of expressions) {
      for (const m of e.matchAll(SECRET_REF)) {
        const secret = (m[1] ?? m[2])!.toUpperCase();
        if (!held.has(secret)) held.set(secret, pointer);
      }
      if (GITHUB_TOKEN_REF.test(e) && !held.has('GITHUB_TOKEN')) held.set('GITHUB_TOKEN', pointer);
    }
  }, b);
  if (!held.has('GITHUB_TOKEN')) held.set('GITHUB_TOKEN', '/jobs');
  const permissions = tokenScope(doc.permissions, Object.values(jobs).map((j) => (isObject(j) ? j.permissions : undefined)));
  for (const [secret, pointer] of held) {
    const credId = parseIdOfKind(`cred:${scope}/${secret}`, 'Credential', ctx.input, input.locate(pointer));
    const token = secret === 'GITHUB_TOKEN';
    b.node({
      id: credId,
      kind: 'Credential',
      name: secret,
      props: { type: token ? 'github-token' : 'github-actions-secret', ...(token && permissions !== undefined && { scope: permissions }) },
      sources: b.source(pointer),
    });
    b.edge(serviceId, 'HOLDS', credId, pointer);
  }
  return b.build();
}

/** `owner/repo` or `local/<repo>` or `local`, by the rule at the top of this file. */
function repoScope(ctx: IngestContext, b: GraphBuilder): string {
  const opt = ctx.options.repo;
  if (opt !== undefined) {
    if (typeof opt !== 'string' || !REPO.test(opt.trim())) throw badInput(`--repo "${printable(String(opt))}" is not owner/repo`, ctx.input, 'option --repo');
    return opt.trim();
  }
  const segs = ctx.input.replace(/\\/g, '/').split('/').filter((s) => s !== '' && s !== '.');
  const gh = segs.lastIndexOf('.github');
  const ok = (s: string | undefined): s is string => s !== undefined && /^[A-Za-z0-9_.-]+$/.test(s) && s !== '..';
  if (gh >= 1 && segs[gh + 1] === 'workflows') {
    const repo = segs[gh - 1];
    const owner = segs[gh - 3] === 'github.com' ? segs[gh - 2] : undefined;
    if (ok(repo) && ok(owner)) {
      b.warn(`repository taken from the path as ${owner}/${repo}; pass --repo owner/repo to be sure`);
      return `${owner}/${repo}`;
    }
    if (ok(repo)) {
      b.warn(`owner unknown; named local/${repo} after the folder; pass --repo owner/repo`);
      return `local/${repo}`;
    }
  }
  const folder = segs.length >= 2 ? segs[segs.length - 2] : undefined;
  const dash = folder?.indexOf('-') ?? -1;
  if (ok(folder) && dash > 0 && dash < folder.length - 1) {
    const guess = `${folder.slice(0, dash)}/${folder.slice(dash + 1)}`;
    b.warn(`repository guessed from the folder name as ${guess}; pass --repo owner/repo to be sure`);
    return guess;
  }
  b.warn('repository unknown; the workflow and its secrets are named under local/; pass --repo owner/repo');
  return 'local';
}

function triggers(on: unknown): Json {
  if (typeof on === 'string') return [on];
  if (Array.isArray(on)) return on.filter((t): t is string => typeof t === 'string').slice(0, 100);
  if (isObject(on)) return Object.keys(on).slice(0, 100);
  return [];
}

const LEVEL: Record<string, number> = { none: 0, read: 1, write: 2 };

/**
 * The GITHUB_TOKEN's scope as one line: the widest the workflow grants anywhere, since every job's
 * token is the repository's and a stolen one from any job is what leaks. Job-level `permissions`
 * (where `contents: write`, `packages: write`, `id-token: write` usually sit) replace the workflow's
 * for that job; each permission keeps its highest level over all jobs (`contents: write, id-token:
 * write`). `read-all` / `write-all` anywhere is reported as such (`write-all` wins).
 */
function tokenScope(top: unknown, jobLevel: unknown[]): string | undefined {
  const given = [top, ...jobLevel].filter((p) => p !== undefined && p !== null);
  if (given.length === 0) return undefined;
  const named = given.filter((p): p is string => typeof p === 'string');
  if (named.includes('write-all')) return 'write-all';
  const levels = new Map<string, string>();
  for (const p of given) {
    if (!isObject(p)) continue;
    for (const [k, v] of Object.entries(p)) {
      if (typeof v !== 'string') continue;
      const prev = levels.get(k);
      if (prev === undefined || (LEVEL[v] ?? 0) > (LEVEL[prev] ?? 0)) levels.set(k, v);
    }
  }
  const listed = [...levels].map(([k, v]) => `${k}: ${v}`);
  if (named.includes('read-all')) listed.unshift('read-all');
  else if (named.length > 0) listed.unshift(...named.map((n) => n.slice(0, 64)));
  return listed.join(', ').slice(0, 1024);
}

/** Calls `fn` on every string value with its pointer and the key holding it; iterative, depth-capped. */
function forEachString(data: unknown, fn: (text: string, pointer: string, key: string) => void, b: GraphBuilder): void {
  const stack: Array<{ value: unknown; pointer: string; key: string; depth: number }> = [{ value: data, pointer: '', key: '', depth: 0 }];
  while (stack.length > 0) {
    const { value, pointer, key, depth } = stack.pop()!;
    if (typeof value === 'string') {
      fn(value, pointer, key);
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth > MAX_DEPTH) b.fail(`nested more than ${MAX_DEPTH} deep`, pointer);
    const entries: Array<[string, unknown]> = Array.isArray(value) ? value.map((v, i) => [String(i), v]) : Object.entries(value);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [k, child] = entries[i]!;
      stack.push({ value: child, pointer: `${pointer}/${escapePointer(k)}`, key: k, depth: depth + 1 });
    }
  }
}
