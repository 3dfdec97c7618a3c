/**
 * Every bound the API enforces, in one place. Each keeps one request from costing the server (or the
 * store) more than an interactive answer needs; raise them per deployment through createApp's `limits`.
 */

export interface ApiLimits {
  /**
   * Deepest selection set (graphql-armor maxDepth). A full blastRadius selection is 5 deep.
   * @default 10
   */
  maxDepth: number;
  /**
   * Static query cost (graphql-armor costLimit: 2 per object field, 1 per scalar, x1.5 per nesting
   * level, times a literal `first` argument). A 500-node page with its edges costs about 17,500; a full
   * blastRadius selection a few hundred; nested `first: 1000` lists run into the millions.
   * @default 50000
   */
  maxCost: number;
  /**
   * Aliases per operation (graphql-armor maxAliases): stops one request from asking for the same
   * expensive field hundreds of times.
   * @default 15
   */
  maxAliases: number;
  /**
   * Lexer tokens per document (graphql-armor maxTokens). Variables do not count, so large ingest
   * content belongs in a variable.
   * @default 2000
   */
  maxTokens: number;
  /**
   * Directives per operation (graphql-armor maxDirectives).
   * @default 20
   */
  maxDirectives: number;
  /**
   * Most values (objects and scalars) one answer may hold. Checked before execution on an estimate in
   * which every list counts at the size the server returns (its `first`, else the default, capped by
   * the limits below; a neighbourhood at its node limit), and again while it runs: list resolvers
   * charge what they return, and past the limit the request fails with TOO_LARGE. A full 500-node
   * page with 100 edges per node and both their ends is about 350,000.
   * @default 1000000
   */
  maxResultObjects: number;
  /**
   * Largest answer, in bytes of JSON: past it the client gets TOO_LARGE instead of the data. A
   * blast radius of 10,000 assets with every evidence path is about 30 MB.
   * @default 64 MiB
   */
  maxResponseBytes: number;
  /**
   * Largest request body; larger ones get HTTP 413. Sized for the `ingest` mutation.
   * @default 16 MiB
   */
  maxBodyBytes: number;
  /**
   * Longest a GraphQL execution may take before it answers with extensions.code TIMEOUT.
   * @default 30000
   */
  requestTimeoutMs: number;
  /**
   * Largest page of `nodes` and `incidents`.
   * @default 500
   */
  maxPageSize: number;
  /**
   * Most `search` results.
   * @default 100
   */
  maxSearchResults: number;
  /**
   * Most edges listed by `Node.edges`.
   * @default 1000
   */
  maxNodeEdges: number;
  /**
   * Farthest `neighborhood` walk, in hops.
   * @default 4
   */
  maxNeighborhoodHops: number;
  /**
   * Most nodes in one `neighborhood`.
   * @default 1000
   */
  maxNeighborhoodNodes: number;
  /**
   * Longest `path` looked for, in hops.
   * @default 12
   */
  maxPathHops: number;
  /**
   * Most nodes `path` may visit before giving up with TOO_LARGE.
   * @default 200000
   */
  maxPathVisited: number;
  /**
   * Most seeds (and most `contained` entries) in one blastRadius or incident.
   * @default 1000
   */
  maxSeeds: number;
  /**
   * Most nodes a blastRadius `affected` list (and `customers`) may hold in one answer; larger radii
   * are read through `counts`, `affectedPage` and `affectedNode` (LIMIT_EXCEEDED otherwise, before
   * anything is built).
   * @default 100000
   */
  maxAnswerNodes: number;
  /**
   * Most evidence-path hops one answer may print (`path` of `affected`, `reasons.path` of
   * `customers`): paths grow with the square of a long chain's length.
   * @default 2000000
   */
  maxAnswerPathHops: number;
  /**
   * Exports (`exportBlastRadius`) rendered at the same time; one more is refused with TOO_BUSY.
   * Rendering (a PDF included) takes a CPU core while it runs.
   * @default 2
   */
  maxConcurrentExports: number;
  /**
   * Export archives kept for download at once; making one more deletes the oldest.
   * @default 20
   */
  maxRetainedExports: number;
  /**
   * How long an export archive may be downloaded (any number of times) before it is deleted.
   * @default 600000 (10 minutes)
   */
  exportTtlMs: number;
}

export const DEFAULT_LIMITS: Readonly<ApiLimits> = Object.freeze({
  maxDepth: 10,
  maxCost: 50_000,
  maxAliases: 15,
  maxTokens: 2000,
  maxDirectives: 20,
  maxResultObjects: 1_000_000,
  maxResponseBytes: 64 * 1024 * 1024,
  maxBodyBytes: 16 * 1024 * 1024,
  requestTimeoutMs: 30_000,
  maxPageSize: 500,
  maxSearchResults: 100,
  maxNodeEdges: 1000,
  maxNeighborhoodHops: 4,
  maxNeighborhoodNodes: 1000,
  maxPathHops: 12,
  maxPathVisited: 200_000,
  maxSeeds: 1000,
  maxAnswerNodes: 100_000,
  maxAnswerPathHops: 2_000_000,
  maxConcurrentExports: 2,
  maxRetainedExports: 20,
  exportTtlMs: 10 * 60_000,
});

export function resolveLimits(overrides: Partial<ApiLimits> = {}): ApiLimits {
  const limits = { ...DEFAULT_LIMITS, ...definedOnly(overrides) };
  for (const [key, value] of Object.entries(limits)) {
    if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`limit ${key} must be a positive integer, not ${String(value)}`);
  }
  return limits;
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
