/**
 * In production the schema is not advertised: `__schema` and `__type` are refused at validation.
 * (`__typename` stays: clients need it.) A plain AST rule, so it works whichever graphql build loaded it.
 */
import type { FieldNode, ValidationContext } from 'graphql';
import { createGraphQLError, type Plugin } from 'graphql-yoga';

export function useNoIntrospection(): Plugin {
  const rule = (context: ValidationContext) => ({
    Field(node: FieldNode) {
      if (node.name.value === '__schema' || node.name.value === '__type') {
        context.reportError(createGraphQLError('introspection is disabled on this server', { nodes: [node], extensions: { code: 'FORBIDDEN' } }));
      }
    },
  });
  return { onValidate: ({ addValidationRule }) => addValidationRule(rule) };
}
