/**
 * Incidents that watch: after every committed change to the graph, each open incident's blast radius
 * is re-evaluated off the request path, and a revision is stored when its answer changed
 * (engine/incident-revisions.ts). Changes are noticed two ways: the server's own mutations (the
 * plugin below, once a mutation has finished) and a periodic poll, for writes by other processes
 * (`blast ingest`, another server).
 *
 * One evaluation runs at a time; changes noticed meanwhile run one more pass after it, never a queue
 * of them. A failed pass (the store gone, say) is logged and retried at the next change or poll.
 */
import { getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { evaluateIncident, openIncidents, type IncidentRevision } from '../engine/incident-revisions.js';
import type { GraphStore } from '../store/graph-store.js';
import type { ErrorLog } from './errors.js';

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

export class IncidentWatcher {
  private token: string | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private timer: ReturnType<typeof setInterval> | null = null;
  private readonly listeners = new Set<(event: RevisionEvent) => void>();

  constructor(
    private readonly store: GraphStore,
    private readonly now: () => string,
    private readonly log: ErrorLog,
    private readonly options: IncidentWatchOptions = {},
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
  }

  private async pass(): Promise<void> {
    const token = await graphChangeToken(this.store);
    if (token === this.token) return;
    let wrote = false;
    for (const incident of await openIncidents(this.store)) {
      // Let waiting requests in between incidents: a store that answers synchronously (embedded)
      // would otherwise hold the event loop for the whole pass.
      await new Promise((resolve) => setImmediate(resolve));
      const revision = await evaluateIncident(this.store, incident, this.now()).catch((err: unknown) => {
        this.log.error(`re-evaluating ${incident.id} failed`, err);
        return null;
      });
      if (!revision) continue;
      wrote = true;
      for (const listener of this.listeners) {
        try {
          listener({ incident: incident.id, revision });
        } catch (err) {
          this.log.error('a revision listener failed', err);
        }
      }
    }
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
