/**
 * Keeps the API useful while the store is down. The first STORE_UNAVAILABLE a request meets opens the
 * breaker: later requests fail at once with STORE_UNAVAILABLE (instead of each waiting out the
 * driver's connection timeout), and a background probe pings the store until it answers, which closes
 * the breaker again. No restart is needed when the database comes back.
 */
import { BlastError } from '../model/errors.js';
import type { GraphStore } from '../store/graph-store.js';

export interface StoreHealthOptions {
  /**
   * First wait between probes while the store is down; doubles up to `maxProbeIntervalMs`.
   * @default 500
   */
  probeIntervalMs?: number;
  /** @default 5000 */
  maxProbeIntervalMs?: number;
  /**
   * Longest a probe (or /readyz) waits for `store.ping()`.
   * @default 3000
   */
  pingTimeoutMs?: number;
}

export interface Readiness {
  ready: boolean;
  store: string;
  /** Why it is not ready (the store's own message). */
  reason?: string;
  /** When the store was last seen failing (ISO-8601). */
  downSince?: string;
}

export class StoreHealth {
  private down: { error: BlastError; since: number; timedOut: boolean } | null = null;
  private timer: NodeJS.Timeout | null = null;
  private probing = false;
  private closed = false;
  private interval: number;
  private readonly opts: Required<StoreHealthOptions>;

  constructor(
    private readonly store: GraphStore,
    opts: StoreHealthOptions = {},
  ) {
    this.opts = { probeIntervalMs: 500, maxProbeIntervalMs: 5000, pingTimeoutMs: 3000, ...opts };
    this.interval = this.opts.probeIntervalMs;
  }

  get isDown(): boolean {
    return this.down !== null;
  }

  /** Throws the last STORE_UNAVAILABLE at once while the breaker is open. */
  check(): void {
    if (this.down) {
      throw new BlastError('STORE_UNAVAILABLE', `${this.down.error.message} (failing fast; retrying in the background)`, {
        input: this.down.error.input,
      });
    }
  }

  /** Called with every error a store call raised; only STORE_UNAVAILABLE opens the breaker. */
  report(err: unknown, timedOut = false): void {
    if (this.closed || !(err instanceof BlastError) || err.code !== 'STORE_UNAVAILABLE') return;
    if (!this.down) {
      this.down = { error: err, since: Date.now(), timedOut };
      this.interval = this.opts.probeIntervalMs;
      this.schedule();
    } else if (this.down.timedOut && !timedOut) {
      // The store's own reason, once it arrives, says more than "did not answer in time".
      this.down = { ...this.down, error: err, timedOut: false };
    }
  }

  /**
   * Readiness for /readyz. While the breaker is open it answers at once with the last reason (the
   * background probe keeps pinging); otherwise it pings the store, waiting at most `pingTimeoutMs`.
   */
  async probe(): Promise<Readiness> {
    if (!this.down) await this.ping();
    return this.readiness();
  }

  private readiness(): Readiness {
    const store = this.store.backend;
    if (!this.down) return { ready: true, store };
    return { ready: false, store, reason: this.down.error.message, downSince: new Date(this.down.since).toISOString() };
  }

  /** One ping; its outcome (success, failure or no answer in time) updates the breaker. */
  private async ping(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const answered = this.store.ping().then(
      () => this.recover(),
      (err) => this.report(err instanceof BlastError ? err : new BlastError('STORE_UNAVAILABLE', `the ${this.store.backend} store failed a ping: ${String((err as Error)?.message ?? err)}`, { cause: err })),
    );
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), this.opts.pingTimeoutMs);
      timer.unref();
    });
    const outcome = await Promise.race([answered.then(() => 'answered' as const), late]);
    clearTimeout(timer);
    if (outcome === 'late') {
      this.report(new BlastError('STORE_UNAVAILABLE', `the ${this.store.backend} store did not answer a ping within ${this.opts.pingTimeoutMs} ms`), true);
    }
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private recover(): void {
    this.down = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(): void {
    if (this.closed || this.timer || this.probing) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.probing = true;
      void this.ping().finally(() => {
        this.probing = false;
        if (this.down) {
          this.interval = Math.min(this.interval * 2, this.opts.maxProbeIntervalMs);
          this.schedule();
        }
      });
    }, this.interval);
    // The probe must never keep a finished process alive.
    this.timer.unref();
  }
}

/**
 * The store as the API sees it: every method first checks the breaker, and reports what it threw.
 * Resolvers only ever get this wrapper.
 */
export function guardStore(store: GraphStore, health: StoreHealth): GraphStore {
  return new Proxy(store, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function' || prop === 'close') return value;
      return async (...args: unknown[]) => {
        health.check();
        try {
          return await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        } catch (err) {
          health.report(err);
          throw err;
        }
      };
    },
  });
}
