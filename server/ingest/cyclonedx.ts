/**
 * CycloneDX JSON SBOMs (spec 1.4 to 1.7, what current syft writes; 1.2 and 1.3 parse too; 1.7 adds
 * fields this reader does not need and changes none it reads). Components, nested at any depth, and
 * `metadata.component` (the root) become PackageVersions by purl; the `dependencies` graph, keyed by
 * `bom-ref`, becomes DEPENDS_ON edges. A component without a purl, or with a purl but no version, is
 * skipped with one aggregated warning (no ecosystem is guessed), and so are the edges that touch it.
 * Two components with the same `bom-ref` are an error (the dependency graph would be ambiguous); two
 * components with the same purl (npm trees repeat packages under different bom-refs) are one node.
 */
import type { GraphBatch } from '../model/types.js';
import type { IngestContext, InputFormat } from './format.js';
import { GraphBuilder, MAX_DEPTH, isObject, refuseSecrets } from './package-graph.js';
import type { ParsedInput } from './parsed-input.js';

export const cyclonedxFormat: InputFormat = {
  name: 'cyclonedx',
  detect: (input) => isObject(input.data) && input.data.bomFormat === 'CycloneDX',
  parse: parseCycloneDx,
};

const TESTED_SPECS = ['1.4', '1.5', '1.6', '1.7'];
const READABLE_SPECS = ['1.2', '1.3', ...TESTED_SPECS];

export function parseCycloneDx(input: ParsedInput, ctx: IngestContext): GraphBatch {
  const b: GraphBuilder = new GraphBuilder(ctx, input.locate);
  const doc = input.data;
  if (!isObject(doc)) return b.fail('a CycloneDX BOM must be a JSON object', '');
  refuseSecrets(doc, ctx, input.locate, { keys: false });

  const spec = doc.specVersion;
  if (typeof spec !== 'string') b.fail('specVersion must be a string such as "1.6"', '/specVersion');
  else if (!READABLE_SPECS.includes(spec)) b.fail(`unsupported CycloneDX specVersion "${spec.slice(0, 20)}" (expected 1.4 to 1.7)`, '/specVersion');
  else if (!TESTED_SPECS.includes(spec)) b.warn(`CycloneDX ${spec} is older than 1.4; read as 1.4`, '/specVersion');

  /** bom-ref -> the PackageVersion id, or null for a component that was skipped. */
  const byRef = new Map<string, string | null>();
  const refAt = new Map<string, string>();

  const component = (c: unknown, pointer: string, depth: number): void => {
    if (depth > MAX_DEPTH) b.fail(`components are nested more than ${MAX_DEPTH} deep`, pointer);
    if (!isObject(c)) b.fail('a component must be an object', pointer);
    const comp = c as Record<string, unknown>;
    const ref = comp['bom-ref'];
    if (ref !== undefined && typeof ref !== 'string') b.fail('bom-ref must be a string', `${pointer}/bom-ref`);
    if (typeof ref === 'string') {
      const first = refAt.get(ref);
      if (first !== undefined) b.fail(`duplicate bom-ref "${ref.slice(0, 80)}" (first at ${input.locate(first)})`, `${pointer}/bom-ref`);
      refAt.set(ref, pointer);
    }
    let id: string | null = null;
    const purl = typeof comp.purl === 'string' ? b.sbomPurl(comp.purl, `${pointer}/purl`) : comp.purl;
    if (purl !== undefined && typeof purl !== 'string') b.fail('purl must be a string', `${pointer}/purl`);
    if (typeof purl === 'string' && purl.trim() !== '') {
      for (const key of ['name', 'group', 'version'] as const) {
        if (comp[key] !== undefined && typeof comp[key] !== 'string') b.fail(`${key} must be a string`, `${pointer}/${key}`);
      }
      const versioned = b.purlKind(purl, `${pointer}/purl`);
      if (versioned) id = b.packageVersion(purl, `${pointer}/purl`, { name: displayName(comp, purl) });
      else b.tally('no-version', 'components whose purl has no version skipped', pointer);
    } else if (pointer === '/metadata/component') {
      b.warn('the BOM\'s own component has no purl, so edges from it are dropped; ingest with --service to record what it runs', pointer);
    } else {
      b.tally('no-purl', 'components without a purl skipped', pointer);
    }
    if (typeof ref === 'string') byRef.set(ref, id);
    const nested = comp.components;
    if (nested === undefined) return;
    if (!Array.isArray(nested)) b.fail('components must be an array', `${pointer}/components`);
    (nested as unknown[]).forEach((n, i) => component(n, `${pointer}/components/${i}`, depth + 1));
  };

  const metadata = doc.metadata;
  if (metadata !== undefined && !isObject(metadata)) b.fail('metadata must be an object', '/metadata');
  const root = isObject(metadata) ? metadata.component : undefined;
  if (root !== undefined) component(root, '/metadata/component', 0);

  const components = doc.components;
  if (components !== undefined) {
    if (!Array.isArray(components)) b.fail('components must be an array', '/components');
    (components as unknown[]).forEach((c, i) => component(c, `/components/${i}`, 0));
  }

  const dependencies = doc.dependencies;
  if (dependencies !== undefined) {
    if (!Array.isArray(dependencies)) b.fail('dependencies must be an array', '/dependencies');
    /** The version a bom-ref names; null for a skipped component; undefined (warned) for an unknown ref. */
    const resolve = (ref: unknown, pointer: string): string | null | undefined => {
      if (typeof ref !== 'string') return b.fail('a dependency ref must be a string', pointer);
      const id = byRef.get(ref);
      if (id === undefined) b.tally('unknown-ref', 'dependency refs that name no component skipped', pointer);
      return id;
    };
    (dependencies as unknown[]).forEach((d, i) => {
      const at = `/dependencies/${i}`;
      if (!isObject(d)) b.fail('a dependency entry must be an object', at);
      const entry = d as Record<string, unknown>;
      const from = resolve(entry.ref, `${at}/ref`);
      const to = entry.dependsOn;
      if (to === undefined) return;
      if (!Array.isArray(to)) b.fail('dependsOn must be an array of bom-refs', `${at}/dependsOn`);
      (to as unknown[]).forEach((ref, j) => {
        const target = resolve(ref, `${at}/dependsOn/${j}`);
        // Counted per edge actually dropped: an entry without dependsOn drops nothing.
        if (from === undefined || target === undefined) return;
        if (from === null || target === null) b.tally('skipped-edge', 'dependency edges to or from a skipped component dropped', `${at}/dependsOn/${j}`);
        else b.edge(from, 'DEPENDS_ON', target, `${at}/dependsOn/${j}`);
      });
    });
  }

  b.attachService();
  return b.build();
}

/** `group/name@version` (`group:name` for Maven), as people write it; the purl when there is no name. */
function displayName(comp: Record<string, unknown>, purl: string): string | undefined {
  const name = typeof comp.name === 'string' ? comp.name : undefined;
  if (!name) return undefined;
  const group = typeof comp.group === 'string' && comp.group !== '' ? comp.group : undefined;
  const sep = purl.startsWith('pkg:maven/') ? ':' : '/';
  const version = typeof comp.version === 'string' && comp.version !== '' ? `@${comp.version}` : '';
  return `${group ? `${group}${sep}` : ''}${name}${version}`;
}
