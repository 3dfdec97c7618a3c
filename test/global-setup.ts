/**
 * Vitest globalSetup: makes sure a Neo4j is there for the integration suites and provides its settings
 * as `inject('neo4j')`.
 *
 * - NEO4J_URI set: that Neo4j, as is (NEO4J_USER / NEO4J_PASSWORD default to neo4j / neo4j,
 *   NEO4J_DATABASE to the server's default database).
 * - Otherwise: `scripts/neo4j start` (Neo4j 5.26 community on bolt://127.0.0.1:$NEO4J_BOLT_PORT,
 *   default 7687, auth disabled), fetching it from Maven Central first if needed.
 *
 * A Neo4j that cannot be started or reached fails the whole run with the reason; nothing is skipped.
 * Teardown stops the server only if this run started it and BLAST_KEEP_NEO4J is not set.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import neo4j from 'neo4j-driver';
import type { TestProject } from 'vitest/node';

const SCRIPT = fileURLToPath(new URL('../scripts/neo4j', import.meta.url));

interface Run {
  code: number;
  output: string;
}

function runScript(command: 'start' | 'stop', env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve) => {
    execFile(SCRIPT, [command], { env, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      const output = `${stdout}${stderr}`.trim() || (err ? String(err.message) : '');
      resolve({ code, output });
    });
  });
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let settings: { uri: string; user: string; password: string; database?: string };
  let startedHere = false;
  const port = process.env.NEO4J_BOLT_PORT || '7687';
  const env = { ...process.env, NEO4J_BOLT_PORT: port };

  if (process.env.NEO4J_URI) {
    settings = {
      uri: process.env.NEO4J_URI,
      user: process.env.NEO4J_USER || 'neo4j',
      password: process.env.NEO4J_PASSWORD || 'neo4j',
    };
  } else {
    const started = await runScript('start', env);
    if (started.code !== 0) {
      throw new Error(
        `neo4j: could not start the local Neo4j on bolt://127.0.0.1:${port} with scripts/neo4j start ` +
          `(exit ${started.code}). Set NEO4J_URI to use another Neo4j, or NEO4J_BOLT_PORT for another port.\n` +
          started.output,
      );
    }
    startedHere = !/already running/.test(started.output);
    // auth is disabled on the local server: any credentials are accepted
    settings = { uri: `bolt://127.0.0.1:${port}`, user: 'neo4j', password: 'neo4j' };
  }
  if (process.env.NEO4J_DATABASE) settings.database = process.env.NEO4J_DATABASE;

  const driver = neo4j.driver(settings.uri, neo4j.auth.basic(settings.user, settings.password), {
    connectionTimeout: 30_000,
  });
  try {
    const info = await driver.getServerInfo(settings.database ? { database: settings.database } : {});
    const origin = process.env.NEO4J_URI ? 'NEO4J_URI' : startedHere ? 'started by scripts/neo4j' : 'already running';
    console.log(`neo4j: ${settings.uri} (${info.agent ?? 'Neo4j'}, ${origin})`);
  } catch (err) {
    if (startedHere && !process.env.BLAST_KEEP_NEO4J) await runScript('stop', env);
    throw new Error(
      `neo4j: cannot reach ${settings.uri} as ${settings.user}` +
        `${settings.database ? ` (database ${settings.database})` : ''}: ${(err as Error).message}`,
      { cause: err },
    );
  } finally {
    await driver.close();
  }

  project.provide('neo4j', settings);

  return async () => {
    if (!startedHere || process.env.BLAST_KEEP_NEO4J) return;
    const stopped = await runScript('stop', env);
    if (stopped.code !== 0) console.error(`neo4j: scripts/neo4j stop failed (exit ${stopped.code})\n${stopped.output}`);
  };
}
