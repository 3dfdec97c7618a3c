/**
 * A request body larger than the limit is refused with HTTP 413 before it is read, when it declares
 * its length (Content-Length). Bodies without one (chunked) are cut off by yoga's own
 * `maxRequestBodySize` while streaming; errors.ts gives that error the same code and message.
 */
import type { Plugin } from 'graphql-yoga';
import { errorResponse, formatBytes } from './http-response.js';

export function tooLargeMessage(limit: number, size?: number): string {
  return `the request body${size !== undefined ? ` is ${size} bytes and` : ''} exceeds the limit of ${formatBytes(limit)} (${limit} bytes)`;
}

export function useBodyLimit(limit: number): Plugin {
  return {
    onRequest({ request, endResponse, fetchAPI }) {
      const declared = request.headers.get('content-length');
      if (declared === null || !/^\d+$/.test(declared)) return;
      const size = Number(declared);
      if (size > limit) endResponse(errorResponse(fetchAPI, 413, 'TOO_LARGE', tooLargeMessage(limit, size), { connection: 'close' }));
    },
  };
}
