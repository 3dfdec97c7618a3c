/**
 * `blast verify DIR`: recomputes the SHA-256 of every file of an export and compares it with the
 * manifest. Prints one line per mismatch (changed, missing, extra) and exits non-zero if any.
 * Needs no store.
 */
import type { Command } from 'commander';
import { BlastError } from '../../model/errors.js';
import { verifyExport } from '../../export/manifest.js';
import type { CliContext } from '../context.js';

export function registerVerify(program: Command, ctx: CliContext): void {
  program
    .command('verify')
    .description('check an export folder against its manifest.json (SHA-256 of every file); non-zero exit on any change')
    .argument('<dir>', 'the export folder')
    .option('--format <format>', 'text or json', 'text')
    .action(async (dir: string, flags: { format: string }) => {
      const result = await verifyExport(dir);
      if (flags.format === 'json') {
        ctx.out(`${JSON.stringify({ ok: result.ok, snapshotId: result.manifest.snapshotId, matched: result.matched, mismatches: result.mismatches }, null, 2)}\n`);
      } else {
        for (const m of result.mismatches) {
          ctx.out(m.problem === 'changed' ? `changed: ${m.path} (manifest ${m.expected}, file ${m.actual})\n` : `${m.problem}: ${m.path}\n`);
        }
        if (result.ok) ctx.out(`ok: ${result.matched} files match ${dir}/manifest.json (snapshot ${result.manifest.snapshotId})\n`);
      }
      if (!result.ok) {
        throw new BlastError('CONFLICT', `${result.mismatches.length} file(s) do not match manifest.json`, { input: dir });
      }
    });
}
