/** Every domain's resolvers, merged into one map (each domain owns distinct fields). */
import { adminResolvers } from './admin.js';
import { blastRadiusResolvers } from './blast-radius.js';
import { compromiseResolvers } from './compromise.js';
import { containmentPlanResolvers } from './containment-plan.js';
import { rotationQueueResolvers } from './rotation-queue.js';
import { incidentSubscriptionResolvers } from './incident-subscription.js';
import { exportDownloadResolvers } from './export-download.js';
import { incidentResolvers } from './incident.js';
import { ingestResolvers } from './ingest.js';
import { neighborhoodResolvers } from './neighborhood.js';
import { nodeResolvers } from './node.js';
import { pathResolvers } from './path.js';
import { scalarResolvers } from './scalars.js';
import { searchResolvers } from './search.js';
import { uncheckedUsesResolvers } from './unchecked-uses.js';
import { startPageResolvers } from './start-page.js';
import { viewerResolvers } from './viewer.js';

type ResolverMap = Record<string, object>;

const DOMAINS: ResolverMap[] = [
  scalarResolvers,
  viewerResolvers,
  nodeResolvers,
  searchResolvers,
  neighborhoodResolvers,
  pathResolvers,
  blastRadiusResolvers,
  containmentPlanResolvers,
  rotationQueueResolvers,
  incidentSubscriptionResolvers,
  exportDownloadResolvers,
  incidentResolvers,
  ingestResolvers,
  compromiseResolvers,
  adminResolvers,
  uncheckedUsesResolvers,
  startPageResolvers,
];

export function mergeResolvers(domains: readonly ResolverMap[] = DOMAINS): Record<string, Record<string, unknown>> {
  const merged: Record<string, Record<string, unknown>> = {};
  for (const domain of domains) {
    for (const [type, fields] of Object.entries(domain)) {
      const target = (merged[type] ??= {});
      for (const [field, resolver] of Object.entries(fields)) {
        if (field in target) throw new Error(`two resolver modules define ${type}.${field}`);
        target[field] = resolver;
      }
    }
  }
  return merged;
}
