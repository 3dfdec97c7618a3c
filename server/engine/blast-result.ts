/**
 * The blast radius's answer, as the contract states it (ARCHITECTURE.md: `blast radius --format
 * json` and GraphQL `blastRadius` print exactly this shape). Types only.
 */
import type { Confidence, EdgeKind, NodeKind } from '../model/kinds.js';
import type { Source } from '../model/types.js';
import type { NormalisedOptions } from './blast-options.js';

/** One hop of an evidence path, in the compromise's direction (not necessarily the stored one). */
export interface PathHop {
  from: string;
  edge: EdgeKind;
  to: string;
  /** When the compromise crossed this hop; null = unknown, as early as possible. */
  arrival: string | null;
  /** The records that assert the edge. */
  sources: Source[];
}

export interface AffectedNode {
  id: string;
  kind: NodeKind;
  name: string;
  /** The earliest instant the compromise could have arrived; null = unknown, as early as possible. */
  firstExposedAt: string | null;
  hops: number;
  /** The weakest hop on the path. */
  confidence: Confidence;
  path: PathHop[];
}

export interface CustomerReason {
  /** The reached Dataset holding the customer's data, or the reached Service the customer uses. */
  via: string;
  /** The evidence path: the via node's chosen path plus the hop from it to the customer. */
  path: PathHop[];
}

export interface AffectedCustomer {
  id: string;
  name: string;
  firstExposedAt: string | null;
  reasons: CustomerReason[];
}

export interface BlastSeed {
  id: string;
  /** The start used: the one given, else compromisedAt, else publishedAt, else null. */
  at: string | null;
  /** False when no such node exists (as of `asOf`); such a seed reaches nothing. */
  found: boolean;
}

/** The result; the CLI's `--format json` and GraphQL `blastRadius` (ARCHITECTURE.md, contract). */
export interface BlastRadius {
  snapshotId: string;
  seeds: BlastSeed[];
  options: NormalisedOptions;
  /** Every reached node but the seeds, by firstExposedAt (nulls first), then id. */
  affected: AffectedNode[];
  /** Every reached Customer (also in `affected`), in the same order, with every distinct reason. */
  customers: AffectedCustomer[];
}
