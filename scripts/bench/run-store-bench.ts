/**
 * Runs the store benchmark for the embedded store and prints its table, plus what building the
 * embedded propagation index cost (time, and retained memory when node runs with --expose-gc).
 *
 *   npx tsc -p tsconfig.build.json && node --expose-gc dist/scripts/bench/run-store-bench.js M L
 */
import type { StoreBackend } from '../../server/store/graph-store.js';
import { PropagationIndex } from '../../server/store/embedded/propagation-index.js';
import { SIZES, type SizeName } from '../../seed/synthetic/generate.js';
import { runStoreBench, storeBenchTable } from './store-bench.js';

const sizes = process.argv.slice(2).filter((a): a is SizeName => a in SIZES);
const stores = (process.env.BENCH_STORES?.split(',') ?? ['embedded']) as StoreBackend[];
if (sizes.length === 0) {
  process.stderr.write('usage: run-store-bench.js S|M|L ...\n');
  process.exit(2);
}

const gc = (globalThis as { gc?: () => void }).gc;
const mb = (bytes: number) => Math.round(bytes / 1048576);
const retained = () => {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};
const build = PropagationIndex.build.bind(PropagationIndex);
PropagationIndex.build = (db) => {
  gc?.();
  const before = retained();
  const rssBefore = process.memoryUsage().rss;
  const t0 = performance.now();
  const index = build(db);
  const ms = performance.now() - t0;
  gc?.();
  const detail = index.usable ? `${index.stats.nodes} nodes, ${index.stats.edges} propagation edges` : `unusable: ${index.reason}`;
  process.stderr.write(
    `  propagation index: ${detail}, built in ${(ms / 1000).toFixed(1)} s, ` +
      `${gc ? `retains ${mb(retained() - before)} MB (heap + array buffers)` : 'run with --expose-gc for its size'}, ` +
      `RSS ${mb(rssBefore)} -> ${mb(process.memoryUsage().rss)} MB\n`,
  );
  return index;
};

const rows = await runStoreBench({ sizes, stores });
process.stdout.write(`${storeBenchTable(rows)}\n`);
