/**
 * Without tokens the server trusts every caller, which is only safe on loopback. A web page in the
 * user's browser can still reach 127.0.0.1 through DNS rebinding (evil.example resolving to
 * 127.0.0.1): the browser then sends `Host: evil.example`. So, in open mode, only requests whose Host
 * names a loopback address (or one listed in `allowedHosts`) are served.
 */
import type { Plugin } from 'graphql-yoga';
import { errorResponse } from './http-response.js';
import { HEALTH_PATH, READY_PATH } from './health-routes.js';

export const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]'];

export function useAllowedHosts(allowed: readonly string[] | null): Plugin {
  const names = allowed ? new Set(allowed.map((h) => h.toLowerCase())) : null;
  return {
    onRequest({ url, request, endResponse, fetchAPI }) {
      if (!names || url.pathname === HEALTH_PATH || url.pathname === READY_PATH) return;
      // For Node requests the URL is built from the Host header; in process it is the URL given.
      const host = hostName(request.headers.get('host')) ?? url.hostname.toLowerCase();
      if (names.has(host)) return;
      endResponse(
        errorResponse(
          fetchAPI,
          403,
          'FORBIDDEN',
          `host "${host.slice(0, 100)}" is not allowed: without BLAST_TOKENS this server only answers loopback names (set BLAST_TOKENS, or BLAST_ALLOWED_HOSTS)`,
        ),
      );
    },
  };
}

/** The host part of a Host header, lower-cased, without the port. */
function hostName(header: string | null): string | null {
  if (!header) return null;
  const h = header.trim().toLowerCase();
  if (h.startsWith('[')) {
    const end = h.indexOf(']');
    return end > 0 ? h.slice(0, end + 1) : null;
  }
  const colon = h.indexOf(':');
  return colon >= 0 ? h.slice(0, colon) : h;
}
