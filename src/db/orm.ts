import { createHash } from 'node:crypto';
import { DefaultLogger, type LogContext, type LoggerNamespace, type LoggerOptions } from '@mikro-orm/core';
import { Migrator } from '@mikro-orm/migrations';
import { MikroORM, defineConfig, type EntityManager, type Options } from '@mikro-orm/postgresql';
import { releaseIdleAsyncContexts } from '../common/async-context.js';
import { entities } from './entities.js';
import { migrationsList } from './migrations/index.js';

/** Counts SQL statements, so tests and benchmarks can assert a query's cost. */
export class SqlStats {
  statements = 0;
  /**
   * When set, every statement is kept here too (for diagnosing a query's cost), with the name it
   * ran under when it was a prepared statement.
   */
  log?: { sql: string; params: readonly unknown[]; prepared?: string }[];
}

/** MikroORM's logger, counting every statement and printing them when DEBUG_SQL is on. */
class CountingLogger extends DefaultLogger {
  private readonly printQueries: boolean;

  constructor(
    options: LoggerOptions,
    private readonly stats: SqlStats,
  ) {
    super(options);
    this.printQueries = !!options.debugMode;
  }

  override logQuery(context: LogContext): void {
    this.stats.statements += 1;
    this.stats.log?.push({ sql: context.query ?? '', params: context.params ?? [], ...(context.prepared ? { prepared: String(context.prepared) } : {}) });
    if (this.printQueries) super.logQuery({ query: '', ...context });
  }

  override isEnabled(namespace: LoggerNamespace, context?: LogContext): boolean {
    return namespace === 'query' || super.isEnabled(namespace, context);
  }
}

export interface OrmOptions {
  url: string;
  poolSize: number;
  statementTimeoutMs: number;
  stats?: SqlStats;
  debugSql?: boolean;
  /**
   * Commits return before their WAL reaches the disk (synchronous_commit off): for bulk writers
   * like the demo data only, which end with one durable commit that flushes all of it.
   */
  asyncCommits?: boolean;
}

export function ormConfig(options: OrmOptions): Options {
  const stats = options.stats ?? new SqlStats();
  return defineConfig({
    clientUrl: options.url,
    entities,
    extensions: [Migrator],
    migrations: {
      migrationsList,
      snapshot: false,
      transactional: true,
      allOrNothing: true,
      silent: true,
      tableName: 'mikro_orm_migrations',
    },
    pool: { min: 0, max: options.poolSize },
    driverOptions: {
      connection: {
        statement_timeout: options.statementTimeoutMs,
        application_name: 'crm-server',
        ...(options.asyncCommits ? { options: '-c synchronous_commit=off' } : {}),
      },
    },
    forceUtcTimezone: true,
    debug: options.debugSql ? ['query', 'query-params'] : false,
    loggerFactory: (loggerOptions) => new CountingLogger(loggerOptions, stats),
    // Entities are read only through explicit queries; never lazy-load behind a resolver's back.
    forceEntityConstructor: false,
    allowGlobalContext: false,
  });
}

export async function openOrm(options: OrmOptions): Promise<MikroORM> {
  // The ORM's transactions and flushes run in async contexts: off again once they are over.
  releaseIdleAsyncContexts();
  return MikroORM.init(ormConfig(options));
}

/** Applies the committed migrations in order; never synchronises the schema from entities. */
export async function migrate(orm: MikroORM): Promise<void> {
  await orm.getMigrator().up();
}

/**
 * Runs one SQL statement with `?` placeholders, answering its rows; `keyed` allows a prepared
 * statement (ReadOptions.keyed in common/batch-scheduler.ts).
 */
export type ReadStatement = (sql: string, params: unknown[], keyed?: boolean) => Promise<Record<string, unknown>[]>;

interface PgClient {
  query(config: { text: string; values: unknown[]; name?: string }): Promise<{ rows: Record<string, unknown>[] }>;
  /** node-postgres's record of the statements it prepared on this connection, by name. */
  connection?: { parsedStatements?: Record<string, string> };
}

/**
 * Prepared statements kept per connection. PostgreSQL keeps each one's plan in the backend (the
 * read path's rounds take about 0.75 MB each), so a connection keeps the ones used last, and
 * a client sending ever new shapes of query can't grow it without bound (with the default pool
 * of 10 connections, at most about 180 MB of the database's memory).
 */
const PREPARED_PER_CONNECTION = 24;
const preparedByClient = new WeakMap<PgClient, Map<string, true>>();

/**
 * The name of `text` as a prepared statement on `client`, making room for it: the connection's
 * least recently used statement is deallocated when it keeps as many as it may. None (run it
 * unnamed) when the driver does not say what it prepared, as then nothing could be deallocated.
 */
async function preparedName(client: PgClient, text: string): Promise<string | undefined> {
  const parsed = client.connection?.parsedStatements;
  if (!parsed) return undefined;
  const name = `crm_${createHash('sha1').update(text).digest('base64url')}`;
  let names = preparedByClient.get(client);
  if (!names) preparedByClient.set(client, (names = new Map()));
  if (names.delete(name)) {
    names.set(name, true);
    return name;
  }
  if (names.size >= PREPARED_PER_CONNECTION) {
    const [oldest] = names.keys();
    names.delete(oldest!);
    if (parsed[oldest!] !== undefined) {
      await client.query({ text: `DEALLOCATE "${oldest}"`, values: [] });
      delete parsed[oldest!];
    }
  }
  names.set(name, true);
  return name;
}

/**
 * How the read path runs its statements: straight on a pooled connection, with the parameters
 * bound by PostgreSQL. `em.execute` would first write every parameter into the SQL text and hand
 * that to the query builder, which scans it again: for the read path's large statements (ids by
 * the hundred) that was a noticeable part of a page's CPU. Inside a transaction the statement
 * goes through the EntityManager, on the transaction's connection. Statements are logged (and
 * counted) like every other. Keyed statements are prepared unless `prepared` is off
 * (DB_PREPARED_STATEMENTS).
 */
export function readStatements(em: EntityManager, { prepared = true }: { prepared?: boolean } = {}): ReadStatement {
  const knex = em.getConnection().getKnex();
  const logger = em.config.getLogger();
  const driver = em.getDriver();
  return async (sql, params, keyed = false) => {
    if (em.isInTransaction()) return em.execute(sql, params);
    const text = numberedPlaceholders(sql);
    const started = Date.now();
    const client = (await knex.client.acquireConnection()) as PgClient;
    try {
      const name = keyed && prepared ? await preparedName(client, text) : undefined;
      const { rows } = await client.query({ text, values: params, ...(name ? { name } : {}) });
      logger.logQuery({ query: text, params, took: Date.now() - started, level: 'info', ...(name ? { label: `prepared ${name}`, prepared: name } : {}) });
      return rows;
    } catch (error) {
      throw driver.convertException(error as Error);
    } finally {
      await knex.client.releaseConnection(client);
    }
  };
}

/** `?` placeholders as `$1`, `$2`, …, leaving quoted text and identifiers alone. */
export function numberedPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/'(?:[^']|'')*'|"(?:[^"]|"")*"|\?/g, (token) => (token === '?' ? `$${++n}` : token));
}
