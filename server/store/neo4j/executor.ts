/**
 * The one owner of the Neo4j driver. Opens a session per unit of work, runs it as a managed read or
 * write transaction (retried by the driver on transient errors), tags it with metadata, logs Cypher
 * with parameters when BLAST_DEBUG includes `cypher`, and turns driver errors into BlastErrors:
 * an unreachable or unusable database is STORE_UNAVAILABLE naming the URI. Nothing else in the store
 * touches the driver.
 */
import neo4j, { Neo4jError, type Driver, type ManagedTransaction, type QueryResult, type Session } from 'neo4j-driver';
import { BlastError } from '../../model/errors.js';
import type { Statement } from './cypher-loader.js';

export interface ExecutorOptions {
  /** @example 'bolt://127.0.0.1:7687' */
  uri: string;
  user: string;
  password: string;
  /** @default the server's default database */
  database?: string;
  /**
   * How long to wait for a TCP/Bolt connection: an outage fails after about this plus `maxRetryMs`.
   * @default 3000
   */
  connectionTimeoutMs?: number;
  /**
   * How long the driver keeps retrying a transaction after a transient error (deadlock, leader
   * switch, lost connection) before giving up.
   * @default 3000
   */
  maxRetryMs?: number;
  /** Sent as transaction metadata `app` and as the driver's user agent. @default 'blast-radius' */
  app?: string;
}

export type Params = { [key: string]: unknown };
export type Row = { [key: string]: unknown };

/**
 * What a unit of work sees: run a loaded statement with parameters, get plain rows. Runs may overlap
 * (`Promise.all`): the driver pipelines them, and the server still runs them in the order called.
 */
export interface Tx {
  run(statement: Statement, params?: Params): Promise<Row[]>;
}

/** Metadata attached to a transaction; shows in SHOW TRANSACTIONS and the query log. */
export type TxMetadata = { [key: string]: string | number | boolean };

/** Thrown inside a write to roll it back on purpose (dry runs); carries the work's result out. */
class Rollback<T> {
  constructor(readonly value: T) {}
}

export class Executor {
  readonly uri: string;
  private readonly driver: Driver;
  private readonly database?: string;
  private readonly app: string;
  private readonly debug: boolean;

  constructor(opts: ExecutorOptions) {
    this.uri = redactUri(opts.uri);
    this.database = opts.database;
    this.app = opts.app ?? 'blast-radius';
    this.debug = debugEnabled('cypher');
    const connectionTimeout = opts.connectionTimeoutMs ?? 3000;
    try {
      this.driver = neo4j.driver(opts.uri, neo4j.auth.basic(opts.user, opts.password), {
        connectionTimeout,
        // Waiting for a pooled connection also covers opening a new one: never shorter than that.
        connectionAcquisitionTimeout: Math.max(10_000, connectionTimeout * 2),
        maxTransactionRetryTime: opts.maxRetryMs ?? 3000,
        userAgent: this.app,
        // Integers stay lossless (neo4j Integer): the snapshot sums exceed 2^53 on large graphs.
        disableLosslessIntegers: false,
      });
    } catch (err) {
      throw new BlastError('BAD_INPUT', `cannot use Neo4j URI ${this.uri}: ${firstLine(err)}`, { input: 'NEO4J_URI', cause: err });
    }
  }

  /**
   * Runs `work` in a managed read transaction (retried on transient errors). With `timeoutMs` the
   * server stops it after that long (STORE_UNAVAILABLE, see isTimeout).
   */
  read<T>(op: string, work: (tx: Tx) => Promise<T>, opts: { metadata?: TxMetadata; timeoutMs?: number } = {}): Promise<T> {
    return this.withSession('READ', op, (session, where) =>
      session.executeRead((tx) => work(this.wrap(tx, op, where)), {
        metadata: this.metadata(op, opts.metadata ?? {}),
        ...(opts.timeoutMs !== undefined && { timeout: opts.timeoutMs }),
      }),
    );
  }

  /**
   * Runs `work` in one managed write transaction: all of it commits or none. With `rollback`, the work
   * runs to the end and is then rolled back; its result is still returned (dry runs).
   */
  write<T>(op: string, work: (tx: Tx) => Promise<T>, opts: { rollback?: boolean; metadata?: TxMetadata } = {}): Promise<T> {
    return this.withSession('WRITE', op, async (session, where) => {
      try {
        return await session.executeWrite(
          async (tx) => {
            const value = await work(this.wrap(tx, op, where));
            if (opts.rollback) throw new Rollback(value);
            return value;
          },
          { metadata: this.metadata(op, { ...opts.metadata, dryRun: opts.rollback === true }) },
        );
      } catch (err) {
        if (err instanceof Rollback) return err.value as T;
        throw err;
      }
    });
  }

  /**
   * Runs one statement in an auto-commit (implicit) transaction: schema changes, and
   * `CALL { } IN TRANSACTIONS`, which commits its own batches. Not retried.
   */
  autoCommit(op: string, statement: Statement, params: Params = {}): Promise<Row[]> {
    return this.withSession('WRITE', op, async (session, where) => {
      where.statement = statement.name;
      const started = Date.now();
      const result = await session.run(statement.text, params, { metadata: this.metadata(op, {}) });
      this.log(op, statement, params, result, started);
      return result.records.map((r) => r.toObject() as Row);
    });
  }

  async close(): Promise<void> {
    await this.driver.close();
  }

  private async withSession<T>(mode: 'READ' | 'WRITE', op: string, fn: (session: Session, where: { statement?: string }) => Promise<T>): Promise<T> {
    const where: { statement?: string } = {};
    let session: Session | undefined;
    try {
      session = this.driver.session({
        defaultAccessMode: mode === 'READ' ? neo4j.session.READ : neo4j.session.WRITE,
        ...(this.database !== undefined && { database: this.database }),
      });
      return await fn(session, where);
    } catch (err) {
      throw toBlastError(err, { uri: this.uri, database: this.database, op, statement: where.statement });
    } finally {
      // Closing a session whose connection broke can itself fail; the work's outcome is what counts.
      await session?.close().catch(() => undefined);
    }
  }

  private wrap(tx: ManagedTransaction, op: string, where: { statement?: string }): Tx {
    let failed = false;
    return {
      run: async (statement, params = {}) => {
        // Statements may be pipelined (several runs in flight): an error names the first that failed.
        if (!failed) where.statement = statement.name;
        const started = Date.now();
        let result: QueryResult;
        try {
          result = await tx.run(statement.text, params);
        } catch (err) {
          if (!failed) where.statement = statement.name;
          failed = true;
          throw err;
        }
        this.log(op, statement, params, result, started);
        return result.records.map((r) => r.toObject() as Row);
      },
    };
  }

  private metadata(op: string, extra: TxMetadata): TxMetadata {
    return { app: this.app, op, ...extra };
  }

  private log(op: string, statement: Statement, params: Params, result: QueryResult, started: number): void {
    if (!this.debug) return;
    const ms = Date.now() - started;
    process.stderr.write(
      `[cypher] ${op} ${statement.name} (${statement.file}) ${ms} ms, ${result.records.length} rows\n` +
        `${statement.text}\n[cypher] params ${printParams(params)}\n`,
    );
  }
}

/** True when BLAST_DEBUG (comma- or space-separated) names `topic`, `*` or `all`. */
export function debugEnabled(topic: string, env: NodeJS.ProcessEnv = process.env): boolean {
  return (env.BLAST_DEBUG ?? '').split(/[\s,]+/).some((t) => t === topic || t === '*' || t === 'all');
}

const MAX_LOGGED_PARAMS = 4000;

function printParams(params: Params): string {
  const text = JSON.stringify(params, (_k, v: unknown) => (neo4j.isInt(v) ? v.toString() : typeof v === 'bigint' ? v.toString() : v));
  return text.length > MAX_LOGGED_PARAMS ? `${text.slice(0, MAX_LOGGED_PARAMS)}… (${text.length} chars)` : text;
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE']);

/**
 * Maps a driver or server error to a BlastError. BlastErrors thrown by the work pass through; other
 * non-driver errors (bugs) are rethrown as they are.
 */
export function toBlastError(err: unknown, ctx: { uri: string; database?: string; op: string; statement?: string }): unknown {
  if (err instanceof BlastError) return err;
  const at = `Neo4j at ${ctx.uri}${ctx.database ? ` (database "${ctx.database}")` : ''}`;
  const unavailable = (why: string) => new BlastError('STORE_UNAVAILABLE', `${at} ${why}`, { cause: err });
  const code = (err as { code?: unknown } | null)?.code;
  if (!(err instanceof Neo4jError)) {
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return unavailable(`is unreachable (${code})`);
    return err;
  }
  const message = firstLine(err);
  if (code === neo4j.error.SERVICE_UNAVAILABLE || code === neo4j.error.SESSION_EXPIRED) {
    return unavailable(`is unavailable: ${message}`);
  }
  if (/acquisition timed out/i.test(err.message)) return unavailable(`did not hand out a connection in time: ${message}`);
  if (typeof code !== 'string') return new BlastError('INTERNAL', `${at}: ${message}`, { cause: err });
  if (code === 'Neo.ClientError.Security.Unauthorized' || code === 'Neo.ClientError.Security.AuthenticationRateLimit') {
    return unavailable('refused the credentials (check NEO4J_USER and NEO4J_PASSWORD)');
  }
  if (code === 'Neo.ClientError.Database.DatabaseNotFound') return unavailable('has no such database (check NEO4J_DATABASE)');
  if (
    code === 'Neo.TransientError.General.DatabaseUnavailable' ||
    code === 'Neo.ClientError.General.ForbiddenOnReadOnlyDatabase' ||
    code === 'Neo.ClientError.Cluster.NotALeader' ||
    code.startsWith('Neo.TransientError.Cluster.')
  ) {
    return unavailable(`cannot serve the request: ${message}`);
  }
  if (code === 'Neo.TransientError.General.MemoryPoolOutOfMemoryError' || code === 'Neo.TransientError.General.TransactionMemoryLimit') {
    return new BlastError('TOO_LARGE', `${at} ran out of transaction memory in ${ctx.op}; split the input: ${message}`, { cause: err });
  }
  if (code.includes('TransactionTimedOut')) {
    return unavailable(`stopped ${ctx.op} at its transaction timeout: ${message}`);
  }
  if (code.startsWith('Neo.TransientError.Transaction.')) {
    return new BlastError('CONFLICT', `${at}: ${ctx.op} kept colliding with concurrent work; retry it: ${message}`, { cause: err });
  }
  if (code === 'Neo.ClientError.Schema.ConstraintValidationFailed') {
    return new BlastError('CONFLICT', `${at}: ${ctx.op} would break a uniqueness constraint: ${message}`, { cause: err });
  }
  const where = ctx.statement ? ` in statement ${ctx.statement}` : '';
  return new BlastError('INTERNAL', `${at}: ${code}${where} (${ctx.op}): ${message}`, { cause: err });
}

/** True when a (mapped) error is Neo4j stopping a transaction at its timeout. */
export function isTimeout(err: unknown): boolean {
  const cause = err instanceof BlastError ? err.cause : err;
  return cause instanceof Neo4jError && cause.code.includes('TransactionTimedOut');
}

/** The URI without any user:password part, for messages. */
export function redactUri(uri: string): string {
  return uri.replace(/\/\/[^/@]*@/, '//');
}

function firstLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  const line = text.split('\n')[0]!.trim();
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}
