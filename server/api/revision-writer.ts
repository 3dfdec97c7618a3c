/**
 * Incident revisions stored off the event loop. An incident keeps all its revisions in one prop
 * (engine/incident-revisions.ts), and the first names every node it reached: storing the next one
 * validates, hashes and merges that whole prop (the store's write recipe), a few hundred ms of CPU
 * per incident at M, and on the embedded store a synchronous SQLite write. Here that runs in one
 * worker thread with its own connection to the same store (GraphStore.openSettings), as the ingest
 * worker does; the graph version tells everyone else about the change.
 *
 * One worker per watcher, started at the first revision and kept (its connection too) until the
 * watcher closes; writes go one at a time. When the store cannot be reached from another thread,
 * `RevisionWriter.for` gives null and the watcher writes in its own thread.
 *
 * Messages in: { id, evaluation, now } | { close: true }. Out: { id, ok, revision | error }.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { storeRevision, type Evaluation, type IncidentRevision } from '../engine/incident-revisions.js';
import { BlastError, type ErrorCode } from '../model/errors.js';
import { packageRoot } from '../package-root.js';
import type { GraphStore } from '../store/graph-store.js';
import { openStore, type StoreSettings } from '../store/open-store.js';

/**
 * The compiled module (a worker runs it): this file when running compiled, else (vitest runs the
 * TypeScript sources) the build's copy in dist/, which `npm test` builds first.
 */
function workerFile(): string {
  const here = fileURLToPath(import.meta.url);
  return here.endsWith('.js') ? here : join(packageRoot(), 'dist/server/api/revision-writer.js');
}

type Reply = { id: number; ok: true; revision: IncidentRevision | null } | { id: number; ok: false; error: { code: ErrorCode; message: string; input?: string } };

export class RevisionWriter {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (r: IncidentRevision | null) => void; reject: (e: unknown) => void }>();

  private constructor(private readonly settings: StoreSettings) {}

  /** A writer for `store`, or null when it cannot be opened from another thread (or no build is there). */
  static for(store: GraphStore): RevisionWriter | null {
    const settings = store.openSettings;
    return settings && existsSync(workerFile()) ? new RevisionWriter(settings) : null;
  }

  /** storeRevision (engine/incident-revisions.ts), in the worker. */
  store(evaluation: Evaluation, now: string): Promise<IncidentRevision | null> {
    const worker = this.worker ?? this.spawn();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      // Kept alive only while a write is under way: an idle writer never holds the process open.
      worker.ref();
      worker.postMessage({ id, evaluation, now });
    });
  }

  /** Closes the worker's connection and ends it (after the writes under way). */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    if (!worker) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.ref();
    worker.postMessage({ close: true });
    const timer = setTimeout(() => void worker.terminate(), 10_000);
    await exited;
    clearTimeout(timer);
  }

  private spawn(): Worker {
    const worker = new Worker(workerFile(), { workerData: { revisionWriter: this.settings } });
    worker.unref();
    worker.on('message', (m: Reply) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (this.pending.size === 0) worker.unref();
      if (m.ok) p.resolve(m.revision);
      else p.reject(new BlastError(m.error.code, m.error.message, { input: m.error.input }));
    });
    const fail = (err: unknown) => {
      if (this.worker === worker) this.worker = null;
      for (const p of this.pending.values()) p.reject(err instanceof BlastError ? err : new BlastError('INTERNAL', `the revision writer failed: ${(err as Error)?.message ?? String(err)}`));
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new BlastError('INTERNAL', `the revision writer exited (code ${code})`)));
    this.worker = worker;
    return worker;
  }
}

function workerMain(settings: StoreSettings, port: NonNullable<typeof parentPort>): void {
  let store: Promise<GraphStore> | null = null;
  // One write at a time, in the order asked.
  let queue: Promise<unknown> = Promise.resolve();
  port.on('message', (m: { id: number; evaluation: Evaluation; now: string } | { close: true }) => {
    queue = queue.then(async () => {
      if ('close' in m) {
        if (store) await (await store).close().catch(() => undefined);
        port.close();
        return;
      }
      try {
        const s = await (store ??= openStore(settings).catch((err: unknown) => {
          store = null;
          throw err;
        }));
        port.postMessage({ id: m.id, ok: true, revision: await storeRevision(s, m.evaluation, m.now) } satisfies Reply);
      } catch (err) {
        const e = err instanceof BlastError ? err : new BlastError('INTERNAL', String((err as Error)?.message ?? err));
        port.postMessage({ id: m.id, ok: false, error: { code: e.code, message: e.message, input: e.input } } satisfies Reply);
      }
    });
  });
}

const input = workerData as { revisionWriter?: StoreSettings } | undefined;
if (!isMainThread && input?.revisionWriter && parentPort) workerMain(input.revisionWriter, parentPort);
