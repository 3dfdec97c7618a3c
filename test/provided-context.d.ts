// Values test/global-setup.ts hands to the suites through `inject(...)`.
export {};

declare module 'vitest' {
  export interface ProvidedContext {
    /** The Neo4j every integration suite runs against: NEO4J_URI, or the local one scripts/neo4j starts. */
    neo4j: { uri: string; user: string; password: string; database?: string };
  }
}
