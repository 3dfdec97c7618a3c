/**
 * With tokens configured, every request that reaches this step without a valid bearer token is
 * answered HTTP 401 before any GraphQL work (no parsing, no store call). The open routes answered
 * earlier in the pipeline are /healthz and /readyz, the explorer's static files (GET/HEAD) and export
 * downloads (their own bearer check); everything else, whatever its path (`/graphql`, `//graphql`,
 * `/graphql/`, `/x/../graphql`), needs a token. The GraphiQL page itself (dev only) holds no data and
 * renders without one; its requests then need one.
 */
import type { Plugin } from 'graphql-yoga';
import { authenticate, type TokenTable } from './auth.js';
import { errorResponse } from './http-response.js';

export function useRequireToken(tokens: TokenTable | null, opts: { graphiql: boolean }): Plugin {
  return {
    onRequest({ request, endResponse, fetchAPI }) {
      if (!tokens) return;
      if (opts.graphiql && request.method === 'GET' && (request.headers.get('accept') ?? '').includes('text/html')) return;
      const auth = authenticate(request.headers.get('authorization'), tokens);
      if (auth.ok) return;
      endResponse(errorResponse(fetchAPI, 401, 'UNAUTHENTICATED', auth.reason, { 'www-authenticate': 'Bearer realm="blast-radius"' }));
    },
  };
}
