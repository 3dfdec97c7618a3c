/**
 * A small pool of worker threads (engine-worker.ts) for the engine's heavy work, so the server's
 * event loop keeps answering (`/healthz`, node lookups) while a blast radius is computed or a
 * projection is built. Projections are shared memory: a worker gets a projection's buffer once per
 * graph version and keeps it. A job past its deadline is cancelled for real: its worker is
 * terminated (a search cannot be interrupted otherwise) and replaced on the next job.
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { BlastError, type ErrorCode } from '../model/errors.js';
import type { SearchQuery, SearchResult } from '../engine/search.js';
import { packageRoot } from '../package-root.js';
import { Projection, type ProjectionMeta } from '../projection/projection.js';
import type { StoreSettings } from '../store/store-settings.js';
import type { WorkerRequest } from './engine-worker.js';

export interface EnginePoolOptions {
  /**
   * Worker threads.
   * @default min(2, available parallelism)
   */
  size?: number;
}

interface Slot {
  worker: Worker;
  busy: boolean;
  /** Projection version whose buffer this worker holds. */
  holds: string | null;
  pending: Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>;
}

interface Job {
  request: (slot: Slot) => WorkerRequest;
  timeoutMs: number;
  /** Stops the job as its deadline would (the request was abandoned or its client left). */
  signal?: AbortSignal;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
  after?: (slot: Slot) => void;
}

/**
 * The compiled worker: beside this module when running compiled, else (vitest runs the TypeScript
 * sources) the build's copy in dist/, which `npm test` builds first.
 */
function workerFile(): string {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.js')) return join(here, '..', 'engine-worker.js');
  return join(packageRoot(), 'dist/server/workers/engine-worker.js');
}

export class EnginePool {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private readonly size: number;
  private nextId = 1;
  private closed = false;

  constructor(options: EnginePoolOptions = {}) {
    this.size = Math.max(1, options.size ?? Math.min(2, availableParallelism()));
  }

  /** The search in a worker; rejects with TIMEOUT (and stops the search) after `timeoutMs`. */
  search(p: Projection, query: SearchQuery, timeoutMs: number, signal?: AbortSignal): Promise<SearchResult> {
    return this.run<SearchResult>({
      timeoutMs,
      signal,
      request: (slot) => ({
        id: 0,
        job: 'search',
        meta: p.meta,
        buffer: slot.holds === p.version ? undefined : (p.buffer as SharedArrayBuffer),
        query,
      }),
      after: (slot) => (slot.holds = p.version),
    });
  }

  /** Builds the projection of the store `settings` open, in a worker; persisted to `persistTo` when given. */
  async build(settings: StoreSettings, persistTo: string | undefined, timeoutMs: number): Promise<Projection> {
    const r = await this.run<{ meta: ProjectionMeta; buffer: SharedArrayBuffer }>({
      timeoutMs,
      request: () => ({ id: 0, job: 'build', settings, persistTo }),
    });
    return Projection.fromBuffer(r.meta, r.buffer);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new BlastError('STORE_UNAVAILABLE', 'the server is stopping'));
    await Promise.all(this.slots.splice(0).map((s) => s.worker.terminate()));
  }

  private run<T>(job: Omit<Job, 'resolve' | 'reject'>): Promise<T> {
    if (this.closed) return Promise.reject(new BlastError('STORE_UNAVAILABLE', 'the server is stopping'));
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ ...job, resolve: resolve as (v: unknown) => void, reject });
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      let slot = this.slots.find((s) => !s.busy);
      if (!slot && this.slots.length < this.size) slot = this.spawn();
      if (!slot) return;
      this.start(slot, this.queue.shift()!);
    }
  }

  private spawn(): Slot {
    const worker = new Worker(workerFile());
    worker.unref();
    const slot: Slot = { worker, busy: false, holds: null, pending: new Map() };
    worker.on('message', (msg: { id: number; ok: boolean; result?: unknown; error?: { code: ErrorCode; message: string; input?: string } }) => {
      const p = slot.pending.get(msg.id);
      if (!p) return;
      slot.pending.delete(msg.id);
      if (msg.ok) p.resolve(msg.result);
      else p.reject(new BlastError(msg.error!.code, msg.error!.message, { input: msg.error!.input }));
    });
    const fail = (err: unknown) => {
      this.drop(slot);
      for (const p of slot.pending.values()) p.reject(err instanceof BlastError ? err : new BlastError('INTERNAL', `an engine worker failed: ${(err as Error)?.message ?? String(err)}`));
      slot.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new BlastError('INTERNAL', `an engine worker exited (code ${code})`)));
    this.slots.push(slot);
    return slot;
  }

  private drop(slot: Slot): void {
    const i = this.slots.indexOf(slot);
    if (i >= 0) this.slots.splice(i, 1);
  }

  private start(slot: Slot, job: Job): void {
    slot.busy = true;
    const id = this.nextId++;
    const request = { ...job.request(slot), id };
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    const finish = () => {
      clearTimeout(timer);
      if (onAbort) job.signal?.removeEventListener('abort', onAbort);
      slot.busy = false;
      this.dispatch();
    };
    slot.pending.set(id, {
      resolve: (v) => {
        job.after?.(slot);
        finish();
        job.resolve(v);
      },
      reject: (e) => {
        finish();
        job.reject(e);
      },
    });
    const stop = (why: string) => {
      // The work cannot be interrupted inside the worker: end the worker, and with it the work.
      if (!slot.pending.delete(id)) return;
      clearTimeout(timer);
      if (onAbort) job.signal?.removeEventListener('abort', onAbort);
      this.drop(slot);
      void slot.worker.terminate();
      slot.busy = false;
      job.reject(new BlastError('TIMEOUT', why));
      this.dispatch();
    };
    timer = setTimeout(() => stop(`the work took longer than ${job.timeoutMs} ms and was stopped; narrow it (fewer seeds, maxHops)`), job.timeoutMs);
    if (job.signal) {
      onAbort = () => stop('the request was abandoned (its time limit passed or its client went away); the work was stopped');
      if (job.signal.aborted) return onAbort();
      job.signal.addEventListener('abort', onAbort, { once: true });
    }
    slot.worker.postMessage(request);
  }
}
