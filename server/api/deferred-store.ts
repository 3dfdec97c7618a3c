/**
 * A GraphStore that opens its real store on first use and keeps trying until it can. `blast serve`
 * uses it so the server starts (and /readyz explains) while the database is still down, e.g. when
 * both are started together; the first call after the database answers opens it.
 */
import { BlastError } from '../model/errors.js';
import type { GraphStore, StoreBackend } from '../store/graph-store.js';

export interface DeferredStore extends GraphStore {
  /** True once the real store is open. */
  readonly opened: boolean;
}

/**
 * @param open opens and initialises the real store; rejects (STORE_UNAVAILABLE) while it cannot.
 * @param onOpen runs once after the first successful open (e.g. loading a seed graph); a failure is
 *   reported through `onError` and does not close the store.
 */
export function deferredStore(
  backend: StoreBackend,
  open: () => Promise<GraphStore>,
  hooks: { onOpen?: (store: GraphStore) => Promise<void>; onError?: (err: unknown) => void } = {},
): DeferredStore {
  let store: GraphStore | null = null;
  let opening: Promise<GraphStore> | null = null;
  let closed = false;

  const ready = (): Promise<GraphStore> => {
    if (store) return Promise.resolve(store);
    if (closed) return Promise.reject(new BlastError('STORE_UNAVAILABLE', 'the store is closed'));
    opening ??= (async () => {
      try {
        const s = await open();
        if (hooks.onOpen) await hooks.onOpen(s).catch((err) => hooks.onError?.(err));
        store = s;
        return s;
      } finally {
        opening = null;
      }
    })();
    return opening;
  };

  const target = {
    backend,
    get opened() {
      return store !== null;
    },
    async close() {
      closed = true;
      await store?.close();
    },
  };
  return new Proxy(target as unknown as DeferredStore, {
    get(t, prop, receiver) {
      if (prop in t) return Reflect.get(t, prop, receiver);
      // The contract's data members: the open store's, or absent while it is not open.
      if (prop === 'projectionPath' || prop === 'openSettings') return store === null ? undefined : Reflect.get(store, prop);
      // Not a thenable, not iterable: only the GraphStore's own methods are forwarded.
      if (typeof prop === 'symbol' || prop === 'then') return undefined;
      return async (...args: unknown[]) => {
        const s = await ready();
        const method = (s as unknown as Record<PropertyKey, unknown>)[prop];
        if (typeof method !== 'function') throw new BlastError('INTERNAL', `the store has no method ${String(prop)}`);
        return (method as (...a: unknown[]) => Promise<unknown>).apply(s, args);
      };
    },
  });
}
