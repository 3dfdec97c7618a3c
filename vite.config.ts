/**
 * Vite builds the web explorer (web/) into web/dist, which `blast serve` serves at `/`.
 * `vite` (dev) proxies /graphql to a running `blast serve` on 127.0.0.1:4000.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const webRoot = fileURLToPath(new URL('./web', import.meta.url));

export default defineConfig({
  root: webRoot,
  // Served from the site root; the server maps web/dist/* to /*.
  base: '/',
  publicDir: 'public',
  build: {
    outDir: fileURLToPath(new URL('./web/dist', import.meta.url)),
    emptyOutDir: true,
    // The page runs under `Content-Security-Policy: default-src 'self'`: no inline scripts or styles,
    // no data: URLs. Keep every asset a file (no inlining) and skip the modulepreload polyfill.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    // No source maps in the build: they are served with everything else in web/dist and hand anyone the
    // explorer's full source (2 MB). `vite` (dev) still maps sources.
    sourcemap: false,
    target: 'es2022',
    chunkSizeWarningLimit: 1500,
  },
  server: {
    host: '127.0.0.1',
    port: 5173,
    proxy: {
      '/graphql': { target: 'http://127.0.0.1:4000', changeOrigin: false },
      '/healthz': { target: 'http://127.0.0.1:4000' },
    },
  },
  preview: { host: '127.0.0.1', port: 4173 },
});
