/**
 * `GET /exports/<id>/<file name>`: serves an archive made by the `exportBlastRadius` mutation, as an
 * attachment (`Content-Type: application/zip`, `Content-Disposition: attachment`), until it expires.
 * HEAD gives the headers only. With tokens configured the request needs the same bearer token that
 * made the export (HTTP 401 without a valid token); an unknown, expired or someone else's archive is
 * HTTP 404 NOT_FOUND, all alike.
 */
import { Readable } from 'node:stream';
import type { Plugin } from 'graphql-yoga';
import { authenticate, type TokenTable } from './auth.js';
import { EXPORTS_PATH, type ExportDownloads } from './export-downloads.js';
import { errorResponse } from './http-response.js';

const ROUTE = new RegExp(`^${EXPORTS_PATH}/([^/]+)/([^/]+)$`);

export function useDownloadRoute(downloads: ExportDownloads, tokens: TokenTable | null): Plugin {
  return {
    async onRequest({ url, request, endResponse, fetchAPI }) {
      if (url.pathname !== EXPORTS_PATH && !url.pathname.startsWith(`${EXPORTS_PATH}/`)) return;
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        endResponse(errorResponse(fetchAPI, 405, 'BAD_INPUT', 'an export download is fetched with GET', { allow: 'GET, HEAD' }));
        return;
      }
      const auth = authenticate(request.headers.get('authorization'), tokens);
      if (!auth.ok) {
        endResponse(errorResponse(fetchAPI, 401, 'UNAUTHENTICATED', auth.reason, { 'www-authenticate': 'Bearer realm="blast-radius"' }));
        return;
      }
      const m = ROUTE.exec(url.pathname);
      const found = m ? await downloads.open(m[1]!, safeDecode(m[2]!), auth.principal) : null;
      if (!found) {
        endResponse(errorResponse(fetchAPI, 404, 'NOT_FOUND', 'no such export download: it has expired, was replaced by newer ones, or was never made; run exportBlastRadius again'));
        return;
      }
      const { info, handle } = found;
      const headers = {
        'content-type': 'application/zip',
        'content-length': String(info.bytes),
        'content-disposition': `attachment; filename="${info.fileName}"`,
        // RFC 9530: lets a client check what it received; the same digest the mutation returned.
        'repr-digest': `sha-256=:${Buffer.from(info.sha256, 'hex').toString('base64')}:`,
        'cache-control': 'no-store',
        // Opened in a tab rather than saved, it still runs nothing.
        'content-security-policy': "default-src 'none'; sandbox",
      };
      if (request.method === 'HEAD') {
        await handle.close();
        endResponse(new fetchAPI.Response(null, { status: 200, headers }));
        return;
      }
      // The stream closes the handle when it ends or fails.
      const body = Readable.toWeb(handle.createReadStream()) as ReadableStream<Uint8Array>;
      endResponse(new fetchAPI.Response(body, { status: 200, headers }));
    },
  };
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return '';
  }
}
