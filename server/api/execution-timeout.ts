/**
 * Bounds how long one GraphQL execution may hold a client: past the limit the client gets a TIMEOUT
 * error, and the request's context is aborted, so the work stops too: list resolvers and walks (the
 * neighbourhood, nested edges) check the context's budget between steps and fail at once. A store
 * call already started finishes (a write still commits atomically or not at all).
 */
import type { Plugin } from 'graphql-yoga';
import { apiError } from './errors.js';

export function useExecutionTimeout(ms: number): Plugin {
  return {
    onExecute({ executeFn, setExecuteFn }) {
      setExecuteFn((args) => {
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<{ errors: ReturnType<typeof apiError>[] }>((resolve) => {
          timer = setTimeout(() => {
            (args.contextValue as { abort?: (reason?: unknown) => void }).abort?.(new Error('execution timeout'));
            resolve({ errors: [apiError('TIMEOUT', `the request took longer than ${ms} ms and was abandoned; narrow it (fewer seeds, maxHops, smaller pages)`)] });
          }, ms);
        });
        return Promise.race([Promise.resolve(executeFn(args)), timeout]).finally(() => clearTimeout(timer));
      });
    },
  };
}
