/**
 * Errors are part of the interface: a BlastError reaches the client as a GraphQL error whose
 * extensions.code is its stable code (BAD_INPUT, NOT_FOUND, STORE_UNAVAILABLE, ...), with `input` and
 * `location` when it has them. Anything unexpected (a bug, an INTERNAL error) is masked: the client
 * sees "Unexpected error." with code INTERNAL, and the server log gets the details.
 */
import type { GraphQLError } from 'graphql';
import { createGraphQLError } from 'graphql-yoga';
import { BlastError } from '../model/errors.js';
import { tooLargeMessage } from './body-limit.js';
import type { ApiLimits } from './limits.js';

export const UNEXPECTED_MESSAGE = 'Unexpected error.';

export interface ErrorLog {
  error(message: string, err: unknown): void;
}

/** The yoga `maskedErrors.maskError` hook. */
export function createMaskError(log: ErrorLog, limits: Pick<ApiLimits, 'maxBodyBytes'>) {
  return (error: unknown, message: string): Error => {
    const graphql = isGraphQLError(error) ? error : undefined;
    // yoga's streaming body limit (chunked uploads): same code and message as the Content-Length check.
    if (graphql?.extensions?.code === 'REQUEST_ENTITY_TOO_LARGE') {
      return createGraphQLError(tooLargeMessage(limits.maxBodyBytes), { extensions: { code: 'TOO_LARGE', http: { status: 413 } } });
    }
    const original = graphql ? graphql.originalError : error;
    const at = graphql ? { nodes: graphql.nodes, source: graphql.source, positions: graphql.positions, path: graphql.path } : {};
    if (original instanceof BlastError && original.code !== 'INTERNAL') {
      return createGraphQLError(original.oneLine(), {
        ...at,
        extensions: {
          code: original.code,
          ...(original.input !== undefined && { input: original.input }),
          ...(original.location !== undefined && { location: original.location }),
        },
      });
    }
    // The CSRF plugin's refusal carries no code of its own.
    if (graphql && graphql.extensions?.code === undefined && graphql.message.startsWith('Required CSRF header')) {
      return createGraphQLError(`${graphql.message}: send Content-Type: application/json, or the ${'x-graphql-yoga-csrf'} header`, {
        extensions: { code: 'CSRF_PREVENTED', http: { status: 403 } },
      });
    }
    // A GraphQLError made on purpose (validation, FORBIDDEN, limits) is already meant for the client.
    if (graphql && (original === undefined || (isGraphQLError(original) && original.originalError === undefined))) {
      return graphql;
    }
    log.error(`unexpected error${graphql?.path ? ` at ${graphql.path.join('.')}` : ''}`, original ?? error);
    return createGraphQLError(message || UNEXPECTED_MESSAGE, { ...at, extensions: { code: 'INTERNAL' } });
  };
}

/** A client-facing GraphQL error with a stable code, for errors the API itself raises. */
export function apiError(code: string, message: string, extra: Record<string, unknown> = {}): GraphQLError {
  return createGraphQLError(message, { extensions: { code, ...extra } });
}

/**
 * graphql ships CommonJS and ESM builds; a bundler or test runner can load both, so `instanceof
 * GraphQLError` is not reliable across packages. Duck-type it, as graphql-yoga does.
 */
export function isGraphQLError(value: unknown): value is GraphQLError {
  return value instanceof Error && value.name === 'GraphQLError' && 'extensions' in value;
}
