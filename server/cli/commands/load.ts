/**
 * `blast load --bulk FILE...`: a new Neo4j database from files, through Neo4j's own bulk importer.
 *
 * The files are parsed, validated and merged exactly as `blast ingest` would (into a staging embedded
 * store, so records, hashes and the snapshotId are the ones ingest gives), then written as
 * neo4j-admin import files (store/neo4j/import-files.ts). Then:
 * - with `--local`: for the local Neo4j of scripts/neo4j (NEO4J_BOLT_PORT), which must be stopped
 *   (the import replaces its database), runs the import with the fetched Neo4j jars
 *   (org.neo4j.cli.AdminTool), starts it, creates constraints and indexes (full-text included) and
 *   checks the snapshotId;
 * - otherwise: prints the exact command to run on the server, and what to do after it.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import type { Command } from 'commander';
import { BlastError } from '../../model/errors.js';
import { prepareFile, type PreparedInput } from '../../ingest/ingest-file.js';
import { resolveAgainstStore } from '../../ingest/resolve.js';
import { packageRoot } from '../../package-root.js';
import { EmbeddedStore } from '../../store/embedded/embedded-store.js';
import { DB_FILE } from '../../store/embedded/schema.js';
import { importArgs, importCommand, writeImportFiles } from '../../store/neo4j/import-files.js';
import { Neo4jStore } from '../../store/neo4j/neo4j-store.js';
import type { WriteProgress } from '../../store/write-recipe.js';
import type { CliContext } from '../context.js';
import { startProgress, summaryLine, type Progress } from '../progress.js';

interface LoadFlags {
  bulk?: boolean;
  out?: string;
  database: string;
  local?: boolean;
}

export function registerLoad(program: Command, ctx: CliContext): void {
  program
    .command('load')
    .description('load files into a NEW Neo4j database with neo4j-admin import (--bulk); --local runs it on the local Neo4j of scripts/neo4j')
    .argument('<files...>', 'files to load (any format blast ingest reads)')
    .option('--bulk', 'write neo4j-admin import files (required: load only makes new databases)')
    .option('--out <dir>', 'folder for the import files', 'blast-import')
    .option('--database <name>', 'the database to import into', 'neo4j')
    .option('--local', 'import into the local Neo4j of scripts/neo4j on NEO4J_BOLT_PORT (stopped first), start it, create indexes')
    .action(async (files: string[], flags: LoadFlags) => {
      if (!flags.bulk) throw new BlastError('BAD_INPUT', 'load makes a new database with the bulk importer: add --bulk (or use blast ingest)', { input: 'load' });
      if (!/^[a-z][a-z0-9.-]{2,62}$/.test(flags.database)) throw new BlastError('BAD_INPUT', 'not a Neo4j database name', { input: '--database' });
      const started = Date.now();
      const out = resolve(flags.out ?? 'blast-import');
      const local = flags.local ? localNeo4j() : null;
      if (local && (await run(local.script, ['status'], local.env, () => {})).code === 0) {
        throw new BlastError('CONFLICT', `the local Neo4j on port ${local.port} is running; the import replaces its database: stop it first (NEO4J_BOLT_PORT=${local.port} scripts/neo4j stop)`, { input: '--local' });
      }

      // Parse and validate every file before staging any.
      const prepared: PreparedInput[] = [];
      for (const file of files) {
        const progress = startProgress(`load ${file}`, ctx.err, ctx.interactive);
        progress.phase('parsing');
        try {
          prepared.push(await prepareFile(file));
        } finally {
          progress.done();
        }
      }
      const staging = join(out, 'staging');
      rmSync(staging, { recursive: true, force: true });
      mkdirSync(out, { recursive: true });
      let snapshotId = '';
      const store = EmbeddedStore.open(staging);
      try {
        await store.init();
        for (const p of prepared) {
          const progress = startProgress(`load ${p.batch.input}`, ctx.err, ctx.interactive);
          try {
            progress.phase('resolving');
            const batch = await resolveAgainstStore(p, store);
            snapshotId = (await store.write(batch, { onProgress: stepsOn(progress) })).snapshotId;
          } finally {
            progress.done();
          }
        }
        snapshotId = await store.snapshotId();
      } finally {
        await store.close();
      }

      const progress = startProgress('load', ctx.err, ctx.interactive);
      let written;
      try {
        progress.phase('writing import files');
        const db = new Database(join(staging, DB_FILE), { readonly: true });
        try {
          written = writeImportFiles(db, join(out, 'import'), (done, total) => progress.count(done, total));
        } finally {
          db.close();
        }
      } finally {
        progress.done();
      }
      rmSync(staging, { recursive: true, force: true });
      const records = written.nodeCount + written.edgeCount;
      ctx.out(`import files in ${written.dir}: ${written.nodeCount} nodes, ${written.edgeCount} edges; snapshot ${snapshotId}\n`);

      if (!local) {
        ctx.out(
          `on the Neo4j server, with the database "${flags.database}" stopped (the import REPLACES it) and these files copied there, run:\n` +
            `  ${importCommand(written, flags.database)}\n` +
            `then start the database and run any blast command against it (e.g. blast --store neo4j stats): ` +
            `it creates the constraints and indexes (full-text included) on first connect; stats should show snapshot ${snapshotId}\n`,
        );
        ctx.out(`${summaryLine(records, Date.now() - started)}\n`);
        return;
      }

      const steps = startProgress('load', ctx.err, ctx.interactive);
      try {
        steps.phase('neo4j-admin import');
        const conf = join(out, 'conf');
        mkdirSync(conf, { recursive: true });
        mkdirSync(local.home, { recursive: true });
        writeFileSync(join(conf, 'neo4j.conf'), '# written by blast load --bulk: defaults, data under NEO4J_HOME\n');
        const java = process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
        const heap = process.env.NEO4J_HEAP ?? '1g';
        const args = [`-Xmx${heap}`, '-cp', local.classpath, 'org.neo4j.cli.AdminTool', ...importArgs(written, flags.database)];
        const env = { ...process.env, NEO4J_HOME: local.home, NEO4J_CONF: conf };
        let log = '';
        const imported = await run(java, args, env, (t) => (log += t));
        writeFileSync(join(out, 'import.log'), log);
        if (imported.code !== 0) {
          throw new BlastError('STORE_UNAVAILABLE', `neo4j-admin import failed (exit ${imported.code}); see ${join(out, 'import.log')}: ${lastLine(log)}`, { input: '--local' });
        }
        steps.phase('starting Neo4j');
        const startedNeo = await run(local.script, ['start'], local.env, () => {});
        if (startedNeo.code !== 0) throw new BlastError('STORE_UNAVAILABLE', `scripts/neo4j start failed: ${lastLine(startedNeo.output)}`, { input: '--local' });
        steps.phase('creating constraints and indexes');
        const neo = new Neo4jStore({ uri: `bolt://127.0.0.1:${local.port}`, user: 'neo4j', password: 'neo4j', database: flags.database });
        try {
          await neo.init();
          const loaded = await neo.snapshotId();
          if (loaded !== snapshotId) throw new BlastError('INTERNAL', `the imported database has snapshot ${loaded}, expected ${snapshotId}`, { input: '--local' });
        } finally {
          await neo.close();
        }
      } finally {
        steps.done();
      }
      ctx.out(`loaded into the local Neo4j on bolt://127.0.0.1:${local.port} (database ${flags.database}); snapshot ${snapshotId}\n`);
      ctx.out(`${summaryLine(records, Date.now() - started)}\n`);
    });
}

/** The write recipe's steps as progress phases, counted where they count. */
function stepsOn(progress: Progress): WriteProgress {
  let step = '';
  return (now, done, total) => {
    if (now !== step) progress.phase((step = now));
    if (now === 'planning' || now === 'writing') progress.count(done, total);
  };
}

/** The local Neo4j of scripts/neo4j on NEO4J_BOLT_PORT: its home and the fetched jars. */
function localNeo4j() {
  const root = packageRoot();
  const script = join(root, 'scripts', 'neo4j');
  const classpathFile = join(root, 'scripts', 'neo4j-server', 'target', 'classpath.txt');
  if (!existsSync(script) || !existsSync(classpathFile)) {
    throw new BlastError('NOT_FOUND', `no local Neo4j here (run scripts/neo4j fetch in ${root} first)`, { input: '--local' });
  }
  const port = process.env.NEO4J_BOLT_PORT || '7687';
  if (!/^\d+$/.test(port)) throw new BlastError('BAD_INPUT', 'NEO4J_BOLT_PORT must be a port number', { input: 'NEO4J_BOLT_PORT' });
  return {
    port,
    script,
    home: join(root, '.neo4j', port),
    classpath: readFileSync(classpathFile, 'utf8').trim(),
    env: { ...process.env, NEO4J_BOLT_PORT: port },
  };
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv, onOutput: (text: string) => void): Promise<{ code: number; output: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const take = (d: Buffer) => {
      output += d.toString();
      onOutput(d.toString());
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code: code ?? 1, output }));
  });
}

function lastLine(text: string): string {
  return text.trim().split('\n').filter((l) => l.trim() !== '').at(-1) ?? '(no output)';
}
