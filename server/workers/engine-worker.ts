/**
 * A worker thread of the engine pool (engine-pool.ts). It runs what would block the server's event
 * loop: a blast-radius search on a projection it shares with the main thread (a SharedArrayBuffer,
 * never copied), and a projection build from its own connection to the store (the embedded store's
 * scans are synchronous; a Neo4j build decodes millions of values).
 *
 * Messages in: { id, job: 'search', version, meta, buffer?, query } | { id, job: 'build', settings }.
 * Messages out: { id, ok: true, result } | { id, ok: false, error: { code, message } }.
 */
import { parentPort } from 'node:worker_threads';
import { BlastError } from '../model/errors.js';
import { searchProjection, type SearchQuery } from '../engine/search.js';
import { buildProjection } from '../projection/build.js';
import { writeProjectionFile } from '../projection/persist.js';
import { Projection, type ProjectionMeta } from '../projection/projection.js';
import type { GraphStore } from '../store/graph-store.js';
import { openStore, type StoreSettings } from '../store/open-store.js';

export type WorkerRequest =
  | { id: number; job: 'search'; meta: ProjectionMeta; buffer?: SharedArrayBuffer; query: SearchQuery }
  | { id: number; job: 'build'; settings: StoreSettings; persistTo?: string };

let projection: Projection | null = null;
const stores = new Map<string, Promise<GraphStore>>();

function storeFor(settings: StoreSettings): Promise<GraphStore> {
  const key = JSON.stringify(settings);
  let store = stores.get(key);
  if (!store) {
    store = openStore(settings);
    store.catch(() => stores.delete(key));
    stores.set(key, store);
  }
  return store;
}

parentPort!.on('message', (msg: WorkerRequest) => {
  void handle(msg).then(
    (reply) => parentPort!.postMessage({ id: msg.id, ok: true, result: reply.result }, reply.transfer),
    (err: unknown) => {
      const code = err instanceof BlastError ? err.code : 'INTERNAL';
      parentPort!.postMessage({ id: msg.id, ok: false, error: { code, message: err instanceof Error ? err.message : String(err), input: err instanceof BlastError ? err.input : undefined } });
    },
  );
});

async function handle(msg: WorkerRequest): Promise<{ result: unknown; transfer: ArrayBuffer[] }> {
  if (msg.job === 'search') {
    if (msg.buffer) projection = Projection.fromBuffer(msg.meta, msg.buffer);
    if (!projection || projection.version !== msg.meta.version) throw new BlastError('INTERNAL', 'the worker holds another projection');
    const r = searchProjection(projection, msg.query);
    const transfer = [r.order, r.reached, r.arrival, r.hops, r.prev, r.base, r.step1, r.step2, r.arrival1, r.rank].map((a) => a.buffer as ArrayBuffer);
    return { result: r, transfer };
  }
  const store = await storeFor(msg.settings);
  const built = await buildProjection(store);
  if (msg.persistTo) await writeProjectionFile(msg.persistTo, built).catch(() => undefined);
  return { result: { meta: built.meta, buffer: built.buffer }, transfer: [] };
}
