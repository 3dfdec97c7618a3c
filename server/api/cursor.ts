/** Relay cursors: opaque to clients, the node id underneath (stores page by id). */
import { BlastError } from '../model/errors.js';

const PREFIX = 'id:';

export function encodeCursor(id: string): string {
  return Buffer.from(PREFIX + id, 'utf8').toString('base64url');
}

/** The id a cursor points at; BAD_INPUT when it is not one of ours. */
export function decodeCursor(cursor: string, input = 'after'): string {
  const text = /^[A-Za-z0-9_-]{1,2000}$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  if (!text.startsWith(PREFIX) || text.length === PREFIX.length) {
    throw new BlastError('BAD_INPUT', 'not a cursor from this API (use pageInfo.endCursor or an edge cursor)', { input });
  }
  return text.slice(PREFIX.length);
}
