/** Puts an app on a TCP socket (node:http) and takes it off again cleanly. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { App } from './create-app.js';

export interface ListenOptions {
  /** @default '127.0.0.1' */
  host?: string;
  /** 0 picks a free port. @default 4000 */
  port?: number;
  /**
   * How long `close()` lets in-flight requests finish before cutting their connections.
   * @default 10000
   */
  shutdownGraceMs?: number;
}

export interface Listening {
  server: Server;
  host: string;
  port: number;
  /** e.g. `http://127.0.0.1:4000` */
  origin: string;
  /** Stops accepting, lets in-flight requests finish (up to the grace period), closes the app. */
  close(): Promise<void>;
}

/**
 * @example
 * const server = await listen(createApp({ store }), { port: 4000 });
 * process.once('SIGTERM', () => server.close());
 */
export async function listen(app: App, opts: ListenOptions = {}): Promise<Listening> {
  const host = opts.host ?? '127.0.0.1';
  const server = createServer(app.requestListener);
  // Slow clients cannot hold a socket forever: a whole request (headers and a 16 MiB body) must arrive
  // within a minute past the execution timeout.
  server.headersTimeout = 30_000;
  server.requestTimeout = app.limits.requestTimeoutMs + 60_000;
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 4000, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  let closing: Promise<void> | undefined;
  return {
    server,
    host,
    port,
    origin,
    close() {
      closing ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        const grace = setTimeout(() => server.closeAllConnections(), opts.shutdownGraceMs ?? 10_000);
        grace.unref();
        await closed;
        clearTimeout(grace);
        await app.close();
      })();
      return closing;
    },
  };
}
