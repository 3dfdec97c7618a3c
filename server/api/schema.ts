/**
 * The executable schema: SDL first (server/api/schema/*.graphql, read from the package root so the
 * compiled server in dist/ finds the same files), resolvers from server/api/resolvers, merged by
 * makeExecutableSchema with resolver validation on: a resolver for a field the SDL does not have, or a
 * field with arguments and no resolver, fails at startup instead of at the first query.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { makeExecutableSchema } from '@graphql-tools/schema';
import type { GraphQLSchema } from 'graphql';
import { packageRoot } from '../package-root.js';
import { mergeResolvers } from './resolvers/index.js';

/** Where the .graphql files live, relative to the package root. */
export const SCHEMA_DIR = join('server', 'api', 'schema');

/** The SDL files' text, in file-name order (root.graphql declares the root types the others extend). */
export function loadTypeDefs(root: string = packageRoot()): string[] {
  const dir = join(root, SCHEMA_DIR);
  const files = readdirSync(dir).filter((f) => f.endsWith('.graphql')).sort((a, b) => (a === 'root.graphql' ? -1 : b === 'root.graphql' ? 1 : a < b ? -1 : 1));
  if (files.length === 0) throw new Error(`no .graphql files in ${dir}`);
  return files.map((f) => readFileSync(join(dir, f), 'utf8'));
}

let cached: GraphQLSchema | undefined;

export function buildSchema(): GraphQLSchema {
  cached ??= makeExecutableSchema({
    typeDefs: loadTypeDefs(),
    resolvers: mergeResolvers(),
    resolverValidationOptions: {
      requireResolversToMatchSchema: 'error',
      requireResolversForArgs: 'error',
      requireResolversForResolveType: 'error',
    },
  });
  return cached;
}
