/**
 * The GraphQL `ingest` off the event loop: parsing, validation, planning and the write of a large
 * file take seconds of CPU (and, on the embedded store, of synchronous SQLite), which on the HTTP
 * thread would stop every other request, /healthz included. Here they run in a worker thread with
 * its own connection to the same store (GraphStore.openSettings); the store's own locking makes that
 * as safe as a second process, and the graph version tells the server's projection about the change.
 *
 * One worker per ingest (an ingest is rare and long; the worker's start-up is ~100 ms). When the
 * compiled worker is not there (running from TypeScript sources, as unit tests do) or the store
 * cannot be reached from another thread, the ingest runs in the calling thread as before.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { BlastError, type ErrorCode } from '../model/errors.js';
import type { IngestOptions } from '../ingest/format.js';
import { prepareInput } from '../ingest/ingest-file.js';
import { resolveAgainstStore } from '../ingest/resolve.js';
import type { WriteSummary } from '../model/types.js';
import type { GraphStore } from '../store/graph-store.js';
import { openStore, type StoreSettings } from '../store/open-store.js';

export interface IngestJob {
  name: string;
  content: string;
  options: IngestOptions;
  ingestedAt: string;
  maxBytes: number;
  dryRun: boolean;
}

export interface IngestResult extends WriteSummary {
  format: string;
  sha256: string;
  warnings: string[];
}

/** The same steps as `blast ingest FILE`, against `store`. */
export async function ingestHere(job: IngestJob, store: Pick<GraphStore, 'getNodes' | 'edgesOf' | 'write'>): Promise<IngestResult> {
  const prepared = prepareInput(job.name, job.content, { options: job.options, ingestedAt: job.ingestedAt, maxBytes: job.maxBytes });
  const batch = await resolveAgainstStore(prepared, store);
  const summary = await store.write(batch, { dryRun: job.dryRun });
  return { format: prepared.format, sha256: prepared.sha256, ...summary, warnings: batch.warnings ?? [] };
}

const WORKER_FILE = new URL(import.meta.url);

/** Whether this module runs compiled (a worker can load it), not from TypeScript sources. */
function workerAvailable(): boolean {
  const path = fileURLToPath(WORKER_FILE);
  return path.endsWith('.js') && existsSync(path);
}

/** Runs the ingest in a worker thread on its own connection to `store`, or here when it cannot. */
export async function ingest(job: IngestJob, store: GraphStore): Promise<IngestResult> {
  const settings = workerAvailable() ? store.openSettings : undefined;
  if (!settings) return ingestHere(job, store);
  return new Promise<IngestResult>((resolve, reject) => {
    const worker = new Worker(WORKER_FILE, { workerData: { job, settings } satisfies WorkerInput });
    let settled = false;
    worker.once('message', (m: WorkerOutput) => {
      settled = true;
      if (m.ok) resolve(m.result);
      else reject(new BlastError(m.error.code, m.error.message, { input: m.error.input, location: m.error.location }));
    });
    worker.once('error', (err) => {
      settled = true;
      reject(err);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new BlastError('INTERNAL', `the ingest worker exited (code ${code}) without an answer`, { input: job.name }));
    });
  });
}

interface WorkerInput {
  job: IngestJob;
  settings: StoreSettings;
}

type WorkerOutput =
  | { ok: true; result: IngestResult }
  | { ok: false; error: { code: ErrorCode; message: string; input?: string; location?: string } };

async function workerMain(input: WorkerInput): Promise<WorkerOutput> {
  let store: GraphStore | undefined;
  try {
    store = await openStore(input.settings);
    return { ok: true, result: await ingestHere(input.job, store) };
  } catch (err) {
    // BlastErrors cross as their parts (the API maps their codes); anything else as INTERNAL.
    const e = err instanceof BlastError ? err : new BlastError('INTERNAL', String((err as Error)?.message ?? err));
    return { ok: false, error: { code: e.code, message: e.message, input: e.input, location: e.location } };
  } finally {
    await store?.close().catch(() => undefined);
  }
}

if (!isMainThread && (workerData as WorkerInput | undefined)?.job && parentPort) {
  const port = parentPort;
  void workerMain(workerData as WorkerInput).then((out) => port.postMessage(out));
}
