/** `blast ingest FILE...`: every file parsed and validated first, then each written atomically. */
import type { Command } from 'commander';
import { parseId } from '../../model/ids.js';
import { normalizeTime } from '../../model/time.js';
import { BlastError } from '../../model/errors.js';
import type { WriteSummary } from '../../model/types.js';
import type { IngestOptions } from '../../ingest/format.js';
import { prepareFile, type PreparedInput } from '../../ingest/ingest-file.js';
import { resolveAgainstStore } from '../../ingest/resolve.js';
import type { WriteProgress } from '../../store/write-recipe.js';
import type { CliContext } from '../context.js';
import { startProgress, summaryLine } from '../progress.js';

interface IngestFlags {
  service?: string;
  since?: string;
  until?: string;
  repo?: string;
  dryRun?: boolean;
  format?: string;
}

export function registerIngest(program: Command, ctx: CliContext): void {
  program
    .command('ingest')
    .description('ingest files in any supported format (detected from content): inventory, CycloneDX, SPDX, OSV, lockfiles, GitHub workflows')
    .argument('<files...>', 'files to ingest')
    .option('--service <id>', 'attach an SBOM or lockfile to this service as what it runs')
    .option('--since <time>', 'with --service: when it started running these versions')
    .option('--until <time>', 'with --service: when it stopped')
    .option('--repo <owner/repo>', 'for a GitHub workflow: the repository it belongs to')
    .option('--dry-run', 'validate and report what would change, write nothing')
    .option('--format <format>', 'summary format: text or json', 'text')
    .action(async (files: string[], flags: IngestFlags) => {
      const options = ingestOptions(flags);
      const started = Date.now();
      const store = await ctx.openStore();
      // Parse and validate every file before writing any, so a bad file in a list writes nothing.
      const prepared: PreparedInput[] = [];
      for (const file of files) {
        const progress = startProgress(`ingest ${file}`, ctx.err, ctx.interactive);
        progress.phase('parsing');
        try {
          prepared.push(await prepareFile(file, { options }));
        } finally {
          progress.done();
        }
      }
      const results = [];
      let records = 0;
      for (const p of prepared) {
        const progress = startProgress(`ingest ${p.batch.input}`, ctx.err, ctx.interactive);
        try {
          progress.phase('resolving');
          const batch = await resolveAgainstStore(p, store);
          const size = `${batch.nodes.length} nodes, ${batch.edges.length} edges`;
          progress.phase('writing', size);
          let step = '';
          const onProgress: WriteProgress = (now, done, total) => {
            if (now !== step) progress.phase((step = now), now === 'writing' ? size : '');
            if (now === 'planning' || now === 'writing') progress.count(done, total);
          };
          const summary = await store.write(batch, { dryRun: flags.dryRun, onProgress });
          records += recordsOf(summary);
          results.push({ file: p.batch.input, format: p.format, sha256: p.sha256, ...summary, warnings: batch.warnings ?? [] });
        } finally {
          progress.done();
        }
      }
      const ms = Date.now() - started;
      if (flags.format === 'json') {
        const timing = { seconds: ms / 1000, recordsPerSecond: Math.round(records / (Math.max(ms, 1) / 1000)) };
        ctx.out(`${JSON.stringify({ dryRun: Boolean(flags.dryRun), files: results, ...timing }, null, 2)}\n`);
        return;
      }
      for (const r of results) {
        for (const w of r.warnings) ctx.err(`warning: ${w}\n`);
        const n = r.nodes;
        const e = r.edges;
        ctx.out(
          `${flags.dryRun ? '[dry run] ' : ''}${r.file} (${r.format}): nodes ${n.added} added, ${n.updated} updated, ${n.unchanged} unchanged; ` +
            `edges ${e.added} added, ${e.updated} updated, ${e.unchanged} unchanged\n`,
        );
      }
      // Before the snapshot line, which scripts read as the last one.
      ctx.out(`${results.length} file${results.length === 1 ? '' : 's'}: ${summaryLine(records, ms)}\n`);
      const last = results.at(-1);
      if (last) ctx.out(`snapshot ${last.snapshotId}\n`);
    });
}

/** Records a write went through (nodes and edges, added, updated or unchanged). */
function recordsOf(s: WriteSummary): number {
  return s.nodes.added + s.nodes.updated + s.nodes.unchanged + s.edges.added + s.edges.updated + s.edges.unchanged;
}

function ingestOptions(flags: IngestFlags): IngestOptions {
  const options: IngestOptions = {};
  if (flags.service) {
    const id = parseId(flags.service, '--service');
    if (id.kind !== 'Service') throw new BlastError('BAD_INPUT', `"${id.id}" is a ${id.kind} id, expected svc:…`, { input: '--service' });
    const time = (value: string | undefined, name: string) => {
      if (value === undefined) return undefined;
      const t = normalizeTime(value);
      if (!t) throw new BlastError('BAD_INPUT', `"${value}" is not an ISO-8601 time`, { input: name });
      return t;
    };
    options.service = { id: id.id, since: time(flags.since, '--since'), until: time(flags.until, '--until') };
  } else if (flags.since || flags.until) {
    throw new BlastError('BAD_INPUT', '--since and --until need --service', { input: flags.since ? '--since' : '--until' });
  }
  if (flags.repo) {
    if (!/^[\w.-]+\/[\w.-]+$/.test(flags.repo)) throw new BlastError('BAD_INPUT', 'expected owner/repo', { input: '--repo' });
    (options as IngestOptions & { repo?: string }).repo = flags.repo;
  }
  return options;
}
