/** `blast ingest FILE...`: every file parsed and validated first, then each written atomically. */
import type { Command } from 'commander';
import { parseId } from '../../model/ids.js';
import { normalizeTime } from '../../model/time.js';
import { BlastError } from '../../model/errors.js';
import type { IngestOptions } from '../../ingest/format.js';
import { prepareFile, type PreparedInput } from '../../ingest/ingest-file.js';
import { resolveAgainstStore } from '../../ingest/resolve.js';
import type { CliContext } from '../context.js';
import { startProgress } from '../progress.js';

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
      for (const p of prepared) {
        const progress = startProgress(`ingest ${p.batch.input}`, ctx.err, ctx.interactive);
        try {
          progress.phase('resolving');
          const batch = await resolveAgainstStore(p, store);
          progress.phase('writing', `${batch.nodes.length} nodes, ${batch.edges.length} edges`);
          const summary = await store.write(batch, { dryRun: flags.dryRun });
          results.push({ file: p.batch.input, format: p.format, sha256: p.sha256, ...summary, warnings: batch.warnings ?? [] });
        } finally {
          progress.done();
        }
      }
      if (flags.format === 'json') {
        ctx.out(`${JSON.stringify({ dryRun: Boolean(flags.dryRun), files: results }, null, 2)}\n`);
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
      const last = results.at(-1);
      if (last) ctx.out(`snapshot ${last.snapshotId}\n`);
    });
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
