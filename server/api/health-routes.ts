/**
 * `/healthz`: the process is alive (always 200 while it can answer). `/readyz`: the store answers a
 * ping (200), else 503 with the store's reason. Both are open without a token, for probes.
 */
import type { Plugin } from 'graphql-yoga';
import { jsonResponse } from './http-response.js';
import type { StoreHealth } from './store-health.js';

export const HEALTH_PATH = '/healthz';
export const READY_PATH = '/readyz';

export function useHealthRoutes(health: StoreHealth, startedAt = Date.now()): Plugin {
  return {
    async onRequest({ url, request, endResponse, fetchAPI }) {
      if (url.pathname !== HEALTH_PATH && url.pathname !== READY_PATH) return;
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        endResponse(jsonResponse(fetchAPI, 405, { status: 'error', reason: 'use GET' }, { allow: 'GET, HEAD' }));
        return;
      }
      if (url.pathname === HEALTH_PATH) {
        endResponse(jsonResponse(fetchAPI, 200, { status: 'ok', uptimeSeconds: Math.round((Date.now() - startedAt) / 1000) }));
        return;
      }
      const r = await health.probe();
      endResponse(jsonResponse(fetchAPI, r.ready ? 200 : 503, { status: r.ready ? 'ready' : 'unavailable', ...r }));
    },
  };
}
