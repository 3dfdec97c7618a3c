/**
 * Headers on every response that lacks them: no MIME sniffing, no referrer, no framing; and API
 * answers (which may carry graph data) are never stored by a browser or proxy cache.
 */
import type { Plugin } from 'graphql-yoga';

const ALWAYS: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

export function useSecurityHeaders(graphqlEndpoint: string): Plugin {
  return {
    onResponse({ request, response }) {
      for (const [name, value] of Object.entries(ALWAYS)) if (!response.headers.has(name)) response.headers.set(name, value);
      const path = new URL(request.url).pathname;
      if (path === graphqlEndpoint || path.startsWith(`${graphqlEndpoint}/`)) response.headers.set('cache-control', 'no-store');
    },
  };
}
