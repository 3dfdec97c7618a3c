/**
 * Incidents that watch: after every committed change to the graph, each open incident's blast radius
 * is re-evaluated off the request path, and a revision is stored when its answer changed
 * (engine/incident-revisions.ts). Changes are noticed two ways: the server's own mutations (the
 * plugin below, once a mutation has finished) and a periodic poll, for writes by other processes
 * (`blast ingest`, another server).
 *
 * One evaluation runs at a time; changes noticed meanwhile run one more pass after it, never a queue
 * of them. A failed pass (the store gone, say) is logged and retried at the next change or poll.
 *
 * Staying out of the requests' way: the searches run where the server's other blast radii run (the
 * engine pool's worker threads, passed in as `run`), revisions are stored by a worker thread of their
 * own (revision-writer.ts) where the store can be opened from one, the rest gives the event loop
 * back every few milliseconds (TimeSlicer), and an incident whose answer did not change costs its
 * search and a digest. Revisions are written after a group of evaluations, not after each: every
 * write moves the graph version, and the next search would first rebuild the projection.
 */
import { getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { RunOptions } from '../engine/blast-radius.js';
import { eachOpenIncident, evaluate, storeRevision, TimeSlicer, type Evaluation, type IncidentRevision, type RevisionDiff } from '../engine/incident-revisions.js';
import type { GraphStore } from '../store/graph-store.js';
import type { ErrorLog } from './errors.js';
import { RevisionWriter } from './revision-writer.js';

/**
 * What "the graph changed" is measured by: the store's graph version, which every committed write
 * that changed something moves, by any process (one tiny read; GraphStore.graphVersion).
 */
export function graphChangeToken(store: GraphStore): Promise<string> {
  return store.graphVersion();
}

/** The watcher serving each store (the app's guarded store), for the subscription resolver. */
const watchers = new WeakMap<GraphStore, IncidentWatcher>();

export function watcherOf(store: GraphStore): IncidentWatcher | undefined {
  return watchers.get(store);
}

export interface IncidentWatchOptions {
  /**
   * How often to look for writes by other processes, in ms; 0 turns the poll off.
   * @default 5000
   */
  pollMs?: number;
}

export interface RevisionEvent {
  incident: string;
  revision: IncidentRevision;
}

/** Diff entries held before the revisions found so far are written (bounds the memory they take). */
const HOLD = 250_000;

function diffSize(d: RevisionDiff): number {
  let n = 0;
  for (const p of [d.nodes, d.customers]) n += p.added.length + p.removed.length + p.moved.length;
  return n;
}

export class IncidentWatcher {
  private token: string | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private timer: ReturnType<typeof setInterval> | null = null;
  private readonly listeners = new Set<(event: RevisionEvent) => void>();
  /** Answers found unchanged, by incident (evaluate's `known`). */
  private readonly known = new Map<string, string>();
  /** Made at the first write: a store `blast serve` opens later has no settings before it is open. */
  private writer: RevisionWriter | null = null;

  constructor(
    private readonly store: GraphStore,
    private readonly now: () => string,
    private readonly log: ErrorLog,
    private readonly options: IncidentWatchOptions = {},
    /** How searches run: the server passes its engine pool's (EngineRuns.runner). @default in this thread */
    private readonly run: RunOptions = {},
  ) {
    watchers.set(store, this);
  }

  /** Starts the poll, and a first pass (incidents never evaluated get their first revision). */
  start(): void {
    const pollMs = this.options.pollMs ?? 5000;
    if (pollMs > 0 && this.timer === null) {
      this.timer = setInterval(() => this.changed(), pollMs);
      this.timer.unref();
    }
    this.changed();
  }

  /** Called for each stored revision. Returns a function that stops the calls. */
  onRevision(listener: (event: RevisionEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The graph may have changed: re-evaluate soon. Returns at once; never throws. */
  changed(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = (async () => {
      // Off the caller's path: the pass starts once the current request has been answered.
      await new Promise((resolve) => setImmediate(resolve));
      do {
        this.again = false;
        await this.pass().catch((err) => this.log.error('re-evaluating open incidents failed', err));
      } while (this.again);
    })().finally(() => {
      this.running = null;
    });
  }

  /** Resolves once no pass is running or due (for tests and shutdown). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.idle();
    await this.writer?.close();
  }

  private emit(event: RevisionEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (err) {
        this.log.error('a revision listener failed', err);
      }
    }
  }

  private async pass(): Promise<void> {
    const token = await graphChangeToken(this.store);
    if (token === this.token) return;
    let wrote = false;
    const slicer = new TimeSlicer();
    const pending: Evaluation[] = [];
    let held = 0;
    const flush = async () => {
      for (const evaluation of pending.splice(0)) {
        await new Promise((resolve) => setImmediate(resolve));
        const now = this.now();
        const writer = (this.writer ??= RevisionWriter.for(this.store));
        const stored = writer ? writer.store(evaluation, now) : storeRevision(this.store, evaluation, now);
        const revision = await stored.catch((err: unknown) => {
          this.log.error(`storing a revision of ${evaluation.incident} failed`, err);
          return null;
        });
        if (!revision) continue;
        wrote = true;
        this.emit({ incident: evaluation.incident, revision });
      }
      held = 0;
    };
    for await (const incident of eachOpenIncident(this.store, 1)) {
      // Let waiting requests in between incidents.
      await new Promise((resolve) => setImmediate(resolve));
      const evaluation = await evaluate(this.store, incident, { run: this.run, slicer, known: this.known }).catch((err: unknown) => {
        this.log.error(`re-evaluating ${incident.id} failed`, err);
        return null;
      });
      if (!evaluation?.diff) continue;
      pending.push(evaluation);
      held += diffSize(evaluation.diff);
      if (held >= HOLD) await flush();
    }
    await flush();
    // Our own revision writes change the token too and need no second pass, unless another change
    // was announced meanwhile: then keep the old token, so that the next pass looks again. (A write
    // by another process during a pass that wrote revisions is only seen at its next change; a
    // graph-version counter that our writes advance by known steps would close that gap.)
    this.token = !wrote ? token : this.again ? token : await graphChangeToken(this.store);
  }
}

/** Tells the watcher after every mutation that finished (ingest, mark, incidents, reset). */
export function useIncidentWatch(watcher: IncidentWatcher): Plugin {
  return {
    onExecute({ args }) {
      const operation = getOperationAST(args.document, args.operationName ?? undefined);
      if (operation?.operation !== 'mutation') return undefined;
      return {
        onExecuteDone() {
          watcher.changed();
        },
      };
    },
  };
}
