/** `incidentChanged`: the watcher's revisions as a subscription (served over SSE by graphql-yoga). */
import { BlastError } from '../../model/errors.js';
import type { ApiContext } from '../context.js';
import { watcherOf, type RevisionEvent } from '../incident-watcher.js';
import { idOfKind } from './args.js';

/** Revisions kept for a subscriber that reads slower than they come; older ones are dropped. */
const MAX_BUFFERED = 1000;

export const incidentSubscriptionResolvers = {
  Subscription: {
    incidentChanged: {
      subscribe: (_: unknown, args: { id?: string | null }, ctx: ApiContext): AsyncIterableIterator<RevisionEvent> => {
        const id = args.id ? idOfKind(args.id, 'Incident', 'id') : null;
        const watcher = watcherOf(ctx.store);
        if (!watcher) throw new BlastError('BAD_INPUT', 'this server does not watch incidents (blast serve does)', { input: 'incidentChanged' });
        // Listening starts now, not at the first read, so nothing stored after the request is missed.
        const queue: RevisionEvent[] = [];
        let wake: (() => void) | null = null;
        let done = false;
        const off = watcher.onRevision((event) => {
          if (id !== null && event.incident !== id) return;
          queue.push(event);
          if (queue.length > MAX_BUFFERED) queue.shift();
          wake?.();
        });
        const finish = async (): Promise<IteratorResult<RevisionEvent>> => {
          done = true;
          off();
          wake?.();
          return { done: true, value: undefined };
        };
        return {
          [Symbol.asyncIterator]() {
            return this;
          },
          async next() {
            while (queue.length === 0 && !done) await new Promise<void>((resolve) => (wake = resolve));
            wake = null;
            if (done) return { done: true, value: undefined };
            return { done: false, value: queue.shift()! };
          },
          return: finish,
          throw: finish,
        };
      },
      resolve: (event: RevisionEvent) => event,
    },
  },
};
