/**
 * `exportBlastRadius` (role viewer): the `blast export` folder, rendered in memory by the same code
 * (renderExport), packed into one deterministic ZIP and kept for download (export-downloads.ts).
 *
 * Viewer, not analyst: the export reads the graph exactly as `blastRadius` does and writes nothing
 * to it; what it adds on the server is a short-lived file bound to the caller, bounded in number,
 * concurrency and lifetime. Arguments are checked before a rendering slot is taken, so a bad one
 * costs nothing and is never reported as TOO_BUSY. Work stops at the next phase once the request's
 * time (limits.requestTimeoutMs) is up, and an archive finished too late is not kept.
 */
import { normaliseOptions, normaliseSeeds } from '../../engine/blast-options.js';
import { defaultSeeds, type BlastOptions, type SeedInput } from '../../engine/blast-radius.js';
import { BlastError, badInput } from '../../model/errors.js';
import { MANIFEST, sha256Hex } from '../../export/manifest.js';
import { writeZip, ZIP_CONTENT_TYPE } from '../../export/zip-archive.js';
import { formatTime } from '../../model/time.js';
import type { ApiContext } from '../context.js';
import { apiError } from '../errors.js';
import { listArg } from './args.js';

interface ExportArgs {
  seeds?: SeedInput[] | null;
  options?: BlastOptions | null;
  title?: string | null;
  generatedAt?: string | null;
}

const MAX_TITLE = 200;

export const exportDownloadResolvers = {
  Mutation: {
    exportBlastRadius: async (_: unknown, args: ExportArgs, ctx: ApiContext) => {
      ctx.require('viewer', 'export a blast radius');
      const given = listArg(args.seeds, ctx.limits.maxSeeds, 'seeds');
      listArg(args.options?.contained, ctx.limits.maxSeeds, 'options.contained');
      const options = args.options ?? {};
      normaliseOptions(options);
      const wanted = normaliseSeeds(given ?? []);
      const title = titleArg(args.title);
      // A mistyped seed fails here, before any rendering (one read; `asOf` is checked after the walk).
      if (wanted.length > 0 && !(await ctx.store.getNodes(wanted.map((s) => s.id))).some(Boolean)) throw noSeedFound(wanted.map((s) => s.id), null);
      const generatedAt = args.generatedAt ?? ctx.now();
      const deadline = Date.now() + ctx.limits.requestTimeoutMs;
      const inTime = () => {
        if (Date.now() > deadline) throw apiError('TIMEOUT', `the export took longer than ${ctx.limits.requestTimeoutMs} ms and was abandoned`);
      };

      return ctx.downloads.withSlot(async () => {
        const seeds = given && given.length > 0 ? given : await defaultSeeds(ctx.store);
        if (seeds.length === 0) throw badInput('no seeds: give seeds, or mark nodes compromised first (markCompromised)', 'seeds');
        // Loaded on first use: pdfkit and the CycloneDX library are heavy, and only exports need them.
        const { renderExport } = await import('../../export/export-blast-radius.js');
        const rendered = await renderExport(ctx.store, seeds, options, { generatedAt, ...(title !== undefined && { title }), onPhase: inTime });
        const { result } = rendered;
        if (result.seeds.every((s) => !s.found)) throw noSeedFound(result.seeds.map((s) => s.id), result.options.asOf);
        const archive = writeZip([...rendered.files].map(([path, bytes]) => ({ path, bytes })), rendered.generatedAt);
        inTime();
        const stored = await ctx.downloads.add(ctx.principal, archiveName(result.seeds.map((s) => s.id), rendered.generatedAt), archive);
        return {
          url: stored.url,
          fileName: stored.fileName,
          contentType: ZIP_CONTENT_TYPE,
          bytes: stored.bytes,
          sha256: stored.sha256,
          manifestSha256: sha256Hex(rendered.files.get(MANIFEST)!),
          snapshotId: result.snapshotId,
          generatedAt: rendered.generatedAt,
          seeds: result.seeds,
          fileCount: rendered.files.size,
          affectedCount: result.affected.length,
          customerCount: result.customers.length,
          expiresAt: formatTime(stored.expiresAt),
        };
      });
    },
  },
};

function noSeedFound(ids: readonly string[], asOf: string | null): BlastError {
  return new BlastError('NOT_FOUND', `no seed is in the graph${asOf ? ` as of ${asOf}` : ''}: ${ids.join(', ')}`, { input: 'seeds' });
}

function titleArg(raw: string | null | undefined): string | undefined {
  if (raw === null || raw === undefined) return undefined;
  const title = raw.trim();
  if (title === '' || title.length > MAX_TITLE) throw badInput(`a title of 1 to ${MAX_TITLE} characters, not ${title.length}`, 'title');
  if (/[\u0000-\u001f\u007f]/.test(title)) throw badInput('a title cannot hold control characters (line breaks, tabs)', 'title');
  return title;
}

/**
 * `blast-radius-<first seed>[-and-N-more]-<generatedAt>.zip`, letters, digits, `.`, `_` and `-`
 * only, so it is safe in a header and on every file system.
 * @example archiveName(['pkg:pypi/litellm@1.82.8'], '2026-03-26T09:00:00Z') // blast-radius-pkg_pypi_litellm_1.82.8-20260326T090000Z.zip
 */
export function archiveName(seedIds: readonly string[], generatedAt: string): string {
  const first = (seedIds[0] ?? 'export').replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+|[._]+$/g, '').slice(0, 60) || 'export';
  const more = seedIds.length > 1 ? `-and-${seedIds.length - 1}-more` : '';
  const stamp = generatedAt.replace(/\.\d+Z$/, 'Z').replace(/[-:]/g, '');
  return `blast-radius-${first}${more}-${stamp}.zip`;
}
