/**
 * `ingest` (role analyst): the same path as `blast ingest FILE`: prepareInput (size limit, digest,
 * format detection, parsing, validation), resolveAgainstStore, then one atomic store.write, off the
 * event loop (ingest-worker.ts).
 */
import { BlastError } from '../../model/errors.js';
import { refuseSecretIn } from '../../model/secrets.js';
import type { IngestOptions } from '../../ingest/format.js';
import { ingest } from '../ingest-worker.js';
import type { ApiContext } from '../context.js';
import { idOfKind } from './args.js';

interface IngestArgs {
  input: {
    name: string;
    content: string;
    service?: { id: string; since?: string | null; until?: string | null } | null;
    repo?: string | null;
    dryRun?: boolean | null;
  };
}

const MAX_NAME = 256;

export const ingestResolvers = {
  Mutation: {
    ingest: async (_: unknown, { input }: IngestArgs, ctx: ApiContext) => {
      ctx.require('analyst', 'ingest');
      const name = input.name.trim();
      if (name === '' || name.length > MAX_NAME || /[\u0000-\u001f\u007f]/.test(name)) {
        throw new BlastError('BAD_INPUT', `a name of 1 to ${MAX_NAME} printable characters is required`, { input: 'input.name' });
      }
      // The name is stored as provenance and names the input in every error: checked before both.
      refuseSecretIn(name, 'input.name', 'input.name');
      const options: IngestOptions & { repo?: string } = {};
      if (input.service) {
        options.service = {
          id: idOfKind(input.service.id, 'Service', 'input.service.id'),
          ...(input.service.since && { since: input.service.since }),
          ...(input.service.until && { until: input.service.until }),
        };
      }
      if (input.repo) {
        if (!/^[\w.-]+\/[\w.-]+$/.test(input.repo)) throw new BlastError('BAD_INPUT', 'expected owner/repo', { input: 'input.repo' });
        options.repo = input.repo;
      }
      const dryRun = input.dryRun === true;
      // Parsing and writing run in a worker thread (ingest-worker.ts): the server keeps answering.
      const job = { name, content: input.content, options, ingestedAt: ctx.now(), maxBytes: ctx.limits.maxBodyBytes, dryRun };
      return { name, ...(await ingest(job, ctx.store)), dryRun };
    },
  },
};
