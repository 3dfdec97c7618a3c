/**
 * The seed and option flags shared by every command that computes a blast radius (`radius`,
 * `export`): declared once, parsed once, with the one-line errors naming the flag.
 */
import type { Command } from 'commander';
import { BlastError, badInput } from '../model/errors.js';
import { CONFIDENCES, type Confidence, type EdgeKind } from '../model/kinds.js';
import { normalizeTime } from '../model/time.js';
import { defaultSeeds, type BlastOptions, type SeedInput } from '../engine/blast-radius.js';
import { PROPAGATING_EDGE_KINDS } from '../engine/blast-options.js';
import type { GraphStore } from '../store/graph-store.js';

export interface BlastFlags {
  at?: string;
  maxHops?: string;
  minConfidence?: string;
  asOf?: string;
  edgeKinds?: string;
  contain: string[];
}

/** Adds the `[ids...]` argument and the option flags to a command. */
export function withBlastFlags(command: Command): Command {
  return command
    .argument('[ids...]', 'compromised node ids (default: every node marked compromised, each at its own compromisedAt)')
    .option('--at <time>', 'when the given ids were compromised (default: their compromisedAt, else publishedAt, else unknown)')
    .option('--max-hops <n>', 'longest path to follow, in hops')
    .option('--min-confidence <c>', `weakest edge confidence to cross: ${CONFIDENCES.join(', ')}`)
    .option('--as-of <time>', 'ignore what was first ingested after this time')
    .option('--edge-kinds <kinds>', `comma-separated edge kinds to follow (default all: ${PROPAGATING_EDGE_KINDS.join(',')})`)
    .option('--contain <id@time>', 'treat a node as contained from a time (repeatable)', (v: string, acc: string[]) => [...acc, v], []);
}

export function blastOptionsFromFlags(flags: BlastFlags): BlastOptions {
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
  if (flags.asOf !== undefined) options.asOf = timeFlag(flags.asOf, '--as-of');
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
    return { id: c.slice(0, i), at: timeFlag(c.slice(i + 1), '--contain') };
  });
  return options;
}

/** The seeds: the given ids (each at --at when given), else every node marked compromised. */
export async function seedsFromFlags(ids: string[], flags: BlastFlags, store: GraphStore): Promise<SeedInput[]> {
  if (flags.at !== undefined && ids.length === 0) throw badInput('--at applies to the given ids; give at least one', '--at');
  const at = flags.at === undefined ? undefined : timeFlag(flags.at, '--at');
  return ids.length > 0 ? ids.map((id) => ({ id, ...(at !== undefined && { at }) })) : defaultSeeds(store);
}

export function timeFlag(value: string, flag: string): string {
  const t = normalizeTime(value);
  if (t === null) throw new BlastError('BAD_INPUT', `"${value}" is not an ISO-8601 time with a zone (e.g. 2026-03-24T10:52:00Z)`, { input: flag });
  return t;
}
