/**
 * The step between parsing and writing that reads the store: the standing advisory rules
 * (advisory-rules.ts) are applied to every batch, whatever its format: an advisory's versions and
 * ranges to the versions already stored, and stored advisories to the versions the batch brings.
 */
import type { GraphBatch } from '../model/types.js';
import { applyStandingRules, type RuleReader } from './advisory-rules.js';
import type { PreparedInput } from './ingest-file.js';

export async function resolveAgainstStore(prepared: PreparedInput, store: RuleReader): Promise<GraphBatch> {
  const { rules: _rules, ...batch } = await applyStandingRules(prepared.batch, store);
  return batch;
}
