/**
 * With tokens configured, a request to the GraphQL endpoint without a valid bearer token is answered
 * HTTP 401 before any GraphQL work (no parsing, no store call). The GraphiQL page itself (dev only)
 * holds no data and renders without a token; its requests then need one.
 */
import type { Plugin } from 'graphql-yoga';
import { authenticate, type TokenTable } from './auth.js';
import { errorResponse } from './http-response.js';

export function useRequireToken(tokens: TokenTable | null, graphqlEndpoint: string): Plugin {
  return {
    onRequest({ url, request, endResponse, fetchAPI }) {
      if (!tokens || url.pathname.replace(/\/$/, '') !== graphqlEndpoint) return;
      const auth = authenticate(request.headers.get('authorization'), tokens);
      if (auth.ok) return;
      endResponse(errorResponse(fetchAPI, 401, 'UNAUTHENTICATED', auth.reason, { 'www-authenticate': 'Bearer realm="blast-radius"' }));
    },
  };
}
