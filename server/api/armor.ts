/**
 * graphql-armor's limits, with errors that carry a stable code: every rejection is a GraphQL error
 * with extensions.code LIMIT_EXCEEDED and HTTP status 400, and names the limit and its value.
 */
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import type { GraphQLError, ValidationContext } from 'graphql';
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import type { ApiLimits } from './limits.js';

function limitError(err: GraphQLError): GraphQLError {
  return createGraphQLError(err.message.replace(/^Syntax Error: /, ''), {
    nodes: err.nodes,
    extensions: { code: 'LIMIT_EXCEEDED', http: { status: 400 } },
  });
}

/** Reports the coded error instead of armor's own (validation rules), or throws it (the token limit, at parse time). */
const reject = {
  propagateOnRejection: false,
  onReject: [
    (ctx: ValidationContext | null, err: GraphQLError) => {
      if (ctx) ctx.reportError(limitError(err));
      else throw limitError(err);
    },
  ],
};

export function useArmor(limits: ApiLimits, production: boolean): Plugin {
  return EnvelopArmorPlugin({
    maxDepth: { n: limits.maxDepth, ...reject },
    costLimit: { maxCost: limits.maxCost, ...reject },
    maxAliases: { n: limits.maxAliases, ...reject },
    maxTokens: { n: limits.maxTokens, ...reject },
    maxDirectives: { n: limits.maxDirectives, ...reject },
    // Suggestions ("Did you mean …?") help a developer and map the schema for an attacker.
    blockFieldSuggestion: { enabled: production },
  }) as Plugin;
}
