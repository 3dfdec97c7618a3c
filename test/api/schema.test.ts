/**
 * The SDL (no database): every type, field, argument, input field and enum value carries a
 * description; the .graphql files are found from server/ and from dist/server/ alike; resolvers and
 * SDL match (makeExecutableSchema's validation would throw otherwise).
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { GraphQLEnumType, GraphQLInputObjectType, GraphQLNamedType, GraphQLObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../server/package-root.js';
import { buildSchema, loadTypeDefs } from '../../server/api/schema.js';

const BUILT_IN = new Set(['String', 'Int', 'Float', 'Boolean', 'ID']);

/** By class name: vitest may load graphql's ESM build beside the CommonJS one the schema was built with. */
const kindOf = (type: GraphQLNamedType) => type.constructor.name;

describe('GraphQL schema', () => {
  const schema = buildSchema();

  it('describes every type, field, argument, input field and enum value', () => {
    const missing: string[] = [];
    const check = (what: string, description: string | null | undefined) => {
      if (!description || description.trim().length < 3) missing.push(what);
    };
    for (const type of Object.values(schema.getTypeMap()) as GraphQLNamedType[]) {
      if (type.name.startsWith('__') || BUILT_IN.has(type.name)) continue;
      check(type.name, type.description);
      const kind = kindOf(type);
      if (kind === 'GraphQLObjectType' || kind === 'GraphQLInterfaceType') {
        for (const field of Object.values((type as GraphQLObjectType).getFields())) {
          check(`${type.name}.${field.name}`, field.description);
          for (const arg of field.args) check(`${type.name}.${field.name}(${arg.name})`, arg.description);
        }
      } else if (kind === 'GraphQLInputObjectType') {
        for (const field of Object.values((type as GraphQLInputObjectType).getFields())) check(`${type.name}.${field.name}`, field.description);
      } else if (kind === 'GraphQLEnumType') {
        for (const value of (type as GraphQLEnumType).getValues()) check(`${type.name}.${value.name}`, value.description);
      } else if (kind !== 'GraphQLScalarType') {
        missing.push(`${type.name} (unexpected kind)`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('has the contract: blastRadius(seeds: [SeedInput!], options: BlastOptions): BlastRadius!', () => {
    const field = schema.getQueryType()!.getFields().blastRadius!;
    expect(String(field.type)).toBe('BlastRadius!');
    expect(field.args.map((a) => `${a.name}: ${String(a.type)}`)).toEqual(['seeds: [SeedInput!]', 'options: BlastOptions']);
    const fieldsOf = (name: string) => Object.keys((schema.getType(name) as { getFields(): object }).getFields());
    expect(fieldsOf('SeedInput')).toEqual(['id', 'at']);
    // The contract's fields, plus the bounded readers added beside them (counts, pages, one node).
    expect(fieldsOf('BlastRadius')).toEqual(expect.arrayContaining(['snapshotId', 'seeds', 'options', 'affected', 'customers', 'counts', 'affectedPage', 'affectedNode']));
    expect(fieldsOf('Affected')).toEqual(expect.arrayContaining(['id', 'kind', 'name', 'firstExposedAt', 'hops', 'confidence', 'path']));
    expect(fieldsOf('Hop')).toEqual(['from', 'edge', 'to', 'arrival', 'sources']);
    expect(fieldsOf('AffectedCustomer')).toEqual(expect.arrayContaining(['id', 'name', 'firstExposedAt', 'reasons']));
    expect(fieldsOf('Reason')).toEqual(['via', 'path']);
  });

  it('finds the .graphql files from the compiled location (dist/server/api) too', () => {
    const root = packageRoot();
    const fromDist = packageRoot(pathToFileURL(join(root, 'dist', 'server', 'api', 'package-root.js')).href);
    expect(fromDist).toBe(root);
    expect(loadTypeDefs(fromDist).join('\n')).toMatch(/blastRadius\(/);
  });
});
