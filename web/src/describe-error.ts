/** What the explorer tells a person about a failure: a title, the server's message, its stable code. */
import { ApiError } from './api.js';

export interface ErrorView {
  title: string;
  detail: string;
  code: string;
}

const TITLES: Record<string, string> = {
  UNAUTHENTICATED: 'This server needs an access token',
  FORBIDDEN: 'Your token may not do that',
  NOT_FOUND: 'Not found',
  BAD_INPUT: 'The server refused the request',
  NETWORK: 'The server cannot be reached',
  STORE_UNAVAILABLE: 'The graph store is unavailable',
  TOO_LARGE: 'The answer would be too large',
  TIMEOUT: 'The server took too long',
  LIMIT_EXCEEDED: 'The request is over the server’s limits',
  TOO_BUSY: 'The server is busy with other exports',
};

export function describeError(err: unknown): ErrorView {
  if (err instanceof ApiError) return { title: TITLES[err.code] ?? 'Something went wrong', detail: err.message, code: err.code };
  return { title: 'Something went wrong', detail: err instanceof Error ? err.message : String(err), code: 'INTERNAL' };
}
