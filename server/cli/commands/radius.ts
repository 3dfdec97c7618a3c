/**
 * `blast radius [ID...]`: the blast radius of the given seeds (no ID: every node marked compromised).
 * JSON (the contract, 2-space indented, byte-identical for the same graph and options) or a table.
 */
import type { Command } from 'commander';
import { BlastError, badInput } from '../../model/errors.js';
import { CONFIDENCES, type Confidence, type EdgeKind } from '../../model/kinds.js';
import { normalizeTime } from '../../model/time.js';
import { computeBlastRadius, defaultSeeds, type BlastOptions, type SeedInput } from '../../engine/blast-radius.js';
import { PROPAGATING_EDGE_KINDS } from '../../engine/blast-options.js';
import { formatTable } from '../../engine/format-table.js';
import type { CliContext } from '../context.js';
import { startProgress } from '../progress.js';

interface RadiusFlags {
  at?: string;
  maxHops?: string;
  minConfidence?: string;
  asOf?: string;
  edgeKinds?: string;
  contain: string[];
  format: string;
}

export function registerRadius(program: Command, ctx: CliContext): void {
  program
    .command('radius')
    .description('every asset and customer a compromise could reach, when, and how (evidence paths)')
    .argument('[ids...]', 'compromised node ids (default: every node marked compromised, each at its own compromisedAt)')
    .option('--at <time>', 'when the given ids were compromised (default: their compromisedAt, else publishedAt, else unknown)')
    .option('--max-hops <n>', 'longest path to follow, in hops')
    .option('--min-confidence <c>', `weakest edge confidence to cross: ${CONFIDENCES.join(', ')}`)
    .option('--as-of <time>', 'ignore what was first ingested after this time')
    .option('--edge-kinds <kinds>', `comma-separated edge kinds to follow (default all: ${PROPAGATING_EDGE_KINDS.join(',')})`)
    .option('--contain <id@time>', 'treat a node as contained from a time (repeatable)', (v: string, acc: string[]) => [...acc, v], [])
    .option('--format <format>', 'json or table', 'json')
    .action(async (ids: string[], flags: RadiusFlags) => {
      if (flags.format !== 'json' && flags.format !== 'table') throw badInput(`unknown format "${flags.format}" (expected json or table)`, '--format');
      const options = radiusOptions(flags);
      if (flags.at !== undefined && ids.length === 0) throw badInput('--at applies to the given ids; give at least one', '--at');
      const at = flags.at === undefined ? undefined : time(flags.at, '--at');
      const store = await ctx.openStore();
      const progress = startProgress('radius', ctx.err, ctx.interactive);
      let output: string;
      try {
        progress.phase('seeds');
        const seeds: SeedInput[] = ids.length > 0 ? ids.map((id) => ({ id, ...(at !== undefined && { at }) })) : await defaultSeeds(store);
        progress.phase('walking', `${seeds.length} seed(s)`);
        const result = await computeBlastRadius(store, seeds, options);
        if (flags.format === 'json') {
          output = `${JSON.stringify(result, null, 2)}\n`;
        } else {
          const ids = result.customers.map((c) => c.id);
          const nodes = await store.getNodes(ids);
          const customers = new Map(nodes.flatMap((n) => (n ? [[n.id, n] as const] : [])));
          output = formatTable(result, customers);
        }
      } finally {
        progress.done();
      }
      ctx.out(output);
    });
}

function radiusOptions(flags: RadiusFlags): BlastOptions {
  const options: BlastOptions = {};
  if (flags.maxHops !== undefined) {
    if (!/^\d{1,9}$/.test(flags.maxHops)) throw badInput(`"${flags.maxHops}" is not a non-negative integer`, '--max-hops');
    options.maxHops = Number(flags.maxHops);
  }
  if (flags.minConfidence !== undefined) {
    if (!(CONFIDENCES as readonly string[]).includes(flags.minConfidence)) {
      throw badInput(`"${flags.minConfidence}" is not a confidence (expected ${CONFIDENCES.join(', ')})`, '--min-confidence');
    }
    options.minConfidence = flags.minConfidence as Confidence;
  }
  if (flags.asOf !== undefined) options.asOf = time(flags.asOf, '--as-of');
  if (flags.edgeKinds !== undefined) {
    const kinds = flags.edgeKinds.split(',').map((k) => k.trim().toUpperCase()).filter(Boolean);
    for (const k of kinds) {
      if (!(PROPAGATING_EDGE_KINDS as readonly string[]).includes(k)) {
        throw badInput(`"${k}" is not an edge kind a compromise crosses (expected ${PROPAGATING_EDGE_KINDS.join(', ')})`, '--edge-kinds');
      }
    }
    options.edgeKinds = kinds as EdgeKind[];
  }
  options.contained = flags.contain.map((c) => {
    // Split at the last '@': purls carry one too (pkg:pypi/litellm@1.82.8@2026-03-24T16:20:00Z).
    const i = c.lastIndexOf('@');
    if (i <= 0) throw badInput(`"${c}" is not ID@TIME`, '--contain');
    return { id: c.slice(0, i), at: time(c.slice(i + 1), '--contain') };
  });
  return options;
}

function time(value: string, flag: string): string {
  const t = normalizeTime(value);
  if (t === null) throw new BlastError('BAD_INPUT', `"${value}" is not an ISO-8601 time with a zone (e.g. 2026-03-24T10:52:00Z)`, { input: flag });
  return t;
}
