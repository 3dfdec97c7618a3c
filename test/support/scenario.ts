/** The reference scenario (seed/reference/scenario.yaml), loaded the same way by every suite that needs it. */
import { readFileSync } from 'node:fs';
import { prepareInput } from '../../server/ingest/ingest-file.js';
import type { GraphStore } from '../../server/store/graph-store.js';

export const SCENARIO_PATH = 'seed/reference/scenario.yaml';
export const SCENARIO_TEXT = readFileSync(new URL('../../seed/reference/scenario.yaml', import.meta.url), 'utf8');
/** A fixed ingestion time, so results (and snapshotIds) repeat. */
export const INGESTED_AT = '2026-04-01T00:00:00Z';

export async function loadScenario(store: GraphStore): Promise<void> {
  await store.write(prepareInput(SCENARIO_PATH, SCENARIO_TEXT, { ingestedAt: INGESTED_AT }).batch);
}
