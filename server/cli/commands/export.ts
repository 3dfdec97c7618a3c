/**
 * `blast export [ID...] --out DIR`: the blast radius written as a deterministic evidence folder
 * (report.md/.pdf, CSVs, graph files, customer notification packs, CycloneDX VEX, manifest).
 * No ID: every node marked compromised is a seed. Same graph, parameters and --generated-at give
 * byte-identical files.
 */
import type { Command } from 'commander';
import { badInput } from '../../model/errors.js';
import { blastOptionsFromFlags, seedsFromFlags, timeFlag, withBlastFlags, type BlastFlags } from '../blast-flags.js';
import type { CliContext } from '../context.js';
import { startProgress } from '../progress.js';

interface ExportFlags extends BlastFlags {
  out: string;
  generatedAt?: string;
  title?: string;
  format: string;
}

export function registerExport(program: Command, ctx: CliContext): void {
  withBlastFlags(
    program
      .command('export')
      .description('write the blast radius as a deterministic evidence folder: report (Markdown, PDF), CSV, JSON, graph files, customer notification packs, CycloneDX VEX, manifest'),
  )
    .requiredOption('--out <dir>', 'folder to write (created; must be empty or hold an earlier export)')
    .option('--generated-at <time>', 'the time written into every file (default: now); fix it for byte-identical exports')
    .option('--title <title>', 'the report title (default: "Blast radius: <seed ids>")')
    .option('--format <format>', 'summary format: text or json', 'text')
    .action(async (ids: string[], flags: ExportFlags) => {
      if (flags.format !== 'text' && flags.format !== 'json') throw badInput(`unknown format "${flags.format}" (expected text or json)`, '--format');
      const options = blastOptionsFromFlags(flags);
      const generatedAt = flags.generatedAt === undefined ? undefined : timeFlag(flags.generatedAt, '--generated-at');
      const store = await ctx.openStore();
      const progress = startProgress('export', ctx.err, ctx.interactive);
      let summary;
      try {
        progress.phase('seeds');
        const seeds = await seedsFromFlags(ids, flags, store);
        if (seeds.length === 0) throw badInput('no seeds: give node ids, or mark nodes compromised first (blast compromise ID)', 'ids');
        // Loaded here: pdfkit and the CycloneDX library are heavy, and only this command needs them.
        const { exportBlastRadius } = await import('../../export/export-blast-radius.js');
        summary = await exportBlastRadius(store, seeds, options, {
          outDir: flags.out,
          generatedAt,
          title: flags.title,
          onPhase: (p) => progress.phase(p),
        });
      } finally {
        progress.done();
      }
      const { result } = summary;
      if (flags.format === 'json') {
        ctx.out(
          `${JSON.stringify(
            { outDir: summary.outDir, generatedAt: summary.generatedAt, snapshotId: result.snapshotId, affected: result.affected.length, customers: result.customers.length, files: summary.files },
            null,
            2,
          )}\n`,
        );
        return;
      }
      ctx.out(
        `wrote ${summary.files.length + 1} files to ${summary.outDir}: ${result.affected.length} affected, ${result.customers.length} customers\n` +
          `snapshot ${result.snapshotId}\ngenerated ${summary.generatedAt}\n`,
      );
    });
}
