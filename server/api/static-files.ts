/**
 * The web explorer: Vite builds web/ into web/dist, and the server serves it at `/` (GET and HEAD
 * only, no directory listings, nothing outside the folder). Paths without a file extension fall back
 * to index.html, so client-side routes such as `/?seed=ID` or `/node/ID` load the app. When web/dist
 * does not exist, `/` answers a small page saying so. Every page carries a strict CSP: the explorer
 * talks only to this origin and runs no inline script or style.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import type { Plugin } from 'graphql-yoga';

/**
 * The Content-Security-Policy of every page served: scripts, styles, images, fonts and fetches from
 * this origin only; no plugins, no framing, no <base> hijack.
 */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; connect-src 'self'; " +
  "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
};

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

const NOT_BUILT_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Blast Radius</title></head>
<body>
<h1>Blast Radius</h1>
<p>The web explorer is not built. Build it with <code>npx vite build</code> (writes <code>web/dist</code>) and reload.</p>
<p>The GraphQL API is at <a href="/graphql">/graphql</a>; <a href="/healthz">/healthz</a> and <a href="/readyz">/readyz</a> report health.</p>
</body></html>
`;

/**
 * Serves `root` (web/dist) for every GET/HEAD outside `reserved` paths.
 * @param root the built explorer; null or a missing folder serves the "not built" page at `/`.
 * @param production when true, source maps (`*.map`) are never served, even if a build left them.
 */
export function useStaticFiles(root: string | null, reserved: readonly string[], production = false): Plugin {
  const base = root ? resolve(root) : null;
  return {
    onRequest({ url, request, endResponse, fetchAPI }) {
      if (request.method !== 'GET' && request.method !== 'HEAD') return;
      if (reserved.some((p) => url.pathname === p || url.pathname.startsWith(`${p}/`))) return;
      const headOnly = request.method === 'HEAD';
      const respond = (status: number, body: BodyInit | null, headers: Record<string, string>) =>
        endResponse(new fetchAPI.Response(headOnly ? null : body, { status, headers: { ...SECURITY_HEADERS, ...headers } }));

      if (!base || !existsSync(join(base, 'index.html'))) {
        if (url.pathname === '/' || url.pathname === '/index.html') respond(200, NOT_BUILT_HTML, { 'content-type': TYPES['.html']!, 'cache-control': 'no-store' });
        else respond(404, 'not found\n', { 'content-type': TYPES['.txt']! });
        return;
      }
      const file = fileFor(base, url.pathname);
      if (!file || (production && extname(file).toLowerCase() === '.map')) {
        respond(404, 'not found\n', { 'content-type': TYPES['.txt']! });
        return;
      }
      const size = statSync(file).size;
      const immutable = file.startsWith(join(base, 'assets') + sep);
      respond(200, headOnly ? null : (Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>), {
        'content-type': TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
        'content-length': String(size),
        // Vite puts content hashes in asset names: cache them for good; pages must revalidate.
        'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      });
    },
  };
}

/** The file a path names inside base, index.html for extension-less routes, or null. */
function fileFor(base: string, pathname: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const candidate = resolve(base, `.${decoded}`);
  if (candidate !== base && !candidate.startsWith(base + sep)) return null;
  if (isFile(candidate)) return candidate;
  if (isFile(join(candidate, 'index.html')) && (candidate === base || candidate.startsWith(base + sep))) return join(candidate, 'index.html');
  // Client-side routes (no extension) load the app; a missing asset stays a 404.
  return extname(decoded) === '' ? join(base, 'index.html') : null;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
