/**
 * The DateTime and JSON scalars: plain configs (not GraphQLScalarType objects), so the SDL keeps their
 * descriptions and makeExecutableSchema attaches the functions.
 */
import { Kind, valueFromASTUntyped, type ValueNode } from 'graphql';
import { normalizeTime } from '../../model/time.js';
import { apiError } from '../errors.js';

const DateTime = {
  serialize(value: unknown) {
    const t = normalizeTime(value);
    if (t === null) throw apiError('INTERNAL', `not a time: ${String(value)}`);
    return t;
  },
  parseValue(value: unknown) {
    return parseTime(value);
  },
  parseLiteral(ast: ValueNode) {
    if (ast.kind !== Kind.STRING) throw apiError('BAD_INPUT', 'a DateTime is a string such as "2026-03-24T10:52:00Z"');
    return parseTime(ast.value);
  },
};

function parseTime(value: unknown): string {
  const t = typeof value === 'string' ? normalizeTime(value) : null;
  if (t === null) throw apiError('BAD_INPUT', `"${String(value).slice(0, 64)}" is not an ISO-8601 time with a zone (e.g. 2026-03-24T10:52:00Z)`);
  return t;
}

const JSONScalar = {
  serialize: (value: unknown) => value,
  parseValue: (value: unknown) => value,
  parseLiteral: (ast: ValueNode, variables?: { [key: string]: unknown } | null) => valueFromASTUntyped(ast, variables),
};

export const scalarResolvers = { DateTime, JSON: JSONScalar };
