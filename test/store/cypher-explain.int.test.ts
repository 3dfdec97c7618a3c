/**
 * Every statement in cypher/, with every placeholder expansion, goes through EXPLAIN on the real
 * database: a typo, a wrong relationship type or a renamed procedure fails here, not in production.
 * Also checks the loader itself (headers, placeholders, finding cypher/ from dist/).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import neo4j, { type Driver } from 'neo4j-driver';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { EDGE_KINDS, FORWARD_EDGE_KINDS, NODE_KINDS, REVERSE_EDGE_KINDS } from '../../server/model/kinds.js';
import { CypherCatalog, cypherDir, parseCypherFile } from '../../server/store/neo4j/cypher-loader.js';
import { Neo4jStore } from '../../server/store/neo4j/neo4j-store.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const catalog = CypherCatalog.load();

describe('cypher loader', () => {
  it('finds cypher/ from the sources and from the compiled dist/ tree', () => {
    expect(cypherDir()).toBe(join(root, 'cypher'));
    expect(cypherDir(join(root, 'dist', 'server', 'store', 'neo4j'))).toBe(join(root, 'cypher'));
  });

  it('loads named statements from every file, with no placeholder left after expansion', () => {
    const files = readdirSync(join(root, 'cypher')).filter((f) => f.endsWith('.cypher'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect(catalog.fileTemplates(file).length, file).toBeGreaterThan(0);
    for (const name of catalog.names()) {
      for (const s of catalog.expansions(name)) {
        expect(s.text, s.name).not.toMatch(/\{\{|\}\}/);
        expect(s.text.trim(), s.name).not.toBe('');
      }
    }
  });

  it('expands placeholders only from the closed lists', () => {
    expect(catalog.expansions('createNodes').map((s) => s.name)).toEqual(NODE_KINDS.map((k) => `createNodes[${k}]`));
    expect(catalog.expansions('createEdges')).toHaveLength(EDGE_KINDS.length);
    expect(catalog.statement('createEdges', { EdgeKind: 'HOLDS' }).text).toContain('CREATE (a)-[:HOLDS {');
    // The projection streams every edge a compromise can cross, forward and reverse kinds alike.
    expect(catalog.statement('projectionEdges').text).toContain(`[e:${[...FORWARD_EDGE_KINDS, ...REVERSE_EDGE_KINDS].join('|')}]`);
    expect(() => catalog.statement('createEdges', { EdgeKind: 'HOLDS]->() DETACH DELETE a //' as never })).toThrow(/closed list/);
    expect(() => catalog.statement('createNodes')).toThrow(/NodeKind/);
    expect(() => catalog.statement('noSuchStatement')).toThrow(/no Cypher statement/);
  });

  it('rejects malformed files', () => {
    expect(() => parseCypherFile('x.cypher', 'MATCH (n) RETURN n')).toThrow(/before the first/);
    expect(() => parseCypherFile('x.cypher', '// name: a\n// only a comment\n')).toThrow(/empty/);
    expect(() => parseCypherFile('x.cypher', '// name: a\nMATCH (n:{{Label}}) RETURN n')).toThrow(/unknown placeholder/);
    expect(() => parseCypherFile('x.cypher', '// name: a\nRETURN 1; RETURN 2')).toThrow(/more than one/);
    expect(parseCypherFile('x.cypher', '// doc\n\n// name: a\nRETURN 1;\n// name: b\nMATCH (n:{{NodeKind}}) RETURN n\n')).toMatchObject([
      { name: 'a', line: 3, text: 'RETURN 1', vars: [] },
      { name: 'b', line: 5, vars: ['NodeKind'] },
    ]);
  });

  it('has no statement the store never runs', () => {
    const code = readdirSync(join(root, 'server', 'store', 'neo4j'))
      .filter((f) => f.endsWith('.ts'))
      .map((f) => readFileSync(join(root, 'server', 'store', 'neo4j', f), 'utf8'))
      .join('\n');
    // schema.cypher runs file-wide (init); the rest is named in the code.
    const unused = catalog.names().filter((n) => catalog.template(n).file !== 'schema.cypher' && !code.includes(`'${n}'`));
    expect(unused).toEqual([]);
  });
});

describe('EXPLAIN every statement against Neo4j', () => {
  let driver: Driver;
  const settings = inject('neo4j');

  beforeAll(async () => {
    // The schema must exist: listNodesOfKind hints its per-kind index, search names its full-text index.
    const store = new Neo4jStore(settings);
    await store.init();
    await store.close();
    driver = neo4j.driver(settings.uri, neo4j.auth.basic(settings.user, settings.password));
  });
  afterAll(async () => {
    await driver?.close();
  });

  const cases = catalog.names().flatMap((name) => catalog.expansions(name).map((s) => [s.name, s] as const));
  it.each(cases)('%s', async (_name, statement) => {
    const session = driver.session(settings.database ? { database: settings.database } : {});
    try {
      const result = await session.run(`EXPLAIN ${statement.text}`);
      expect(result.summary.plan, statement.name).toBeTruthy();
    } finally {
      await session.close();
    }
  });
});
