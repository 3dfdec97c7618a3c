/**
 * Bounds how long one GraphQL execution may hold a client: past the limit the client gets a TIMEOUT
 * error. graphql-js cannot abort a running resolver, so store work already started finishes in the
 * background (a write still commits atomically or not at all); only the waiting is bounded.
 */
import type { Plugin } from 'graphql-yoga';
import { apiError } from './errors.js';

export function useExecutionTimeout(ms: number): Plugin {
  return {
    onExecute({ executeFn, setExecuteFn }) {
      setExecuteFn((args) => {
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<{ errors: ReturnType<typeof apiError>[] }>((resolve) => {
          timer = setTimeout(() => resolve({ errors: [apiError('TIMEOUT', `the request took longer than ${ms} ms and was abandoned; narrow it (fewer seeds, maxHops, smaller pages)`)] }), ms);
        });
        return Promise.race([Promise.resolve(executeFn(args)), timeout]).finally(() => clearTimeout(timer));
      });
    },
  };
}
