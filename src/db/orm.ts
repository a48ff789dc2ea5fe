import { DefaultLogger, type LogContext, type LoggerNamespace, type LoggerOptions } from '@mikro-orm/core';
import { Migrator } from '@mikro-orm/migrations';
import { MikroORM, defineConfig, type Options } from '@mikro-orm/postgresql';
import { entities } from './entities.js';
import { migrationsList } from './migrations/index.js';

/** Counts SQL statements, so tests and benchmarks can assert a query's cost. */
export class SqlStats {
  statements = 0;
  /** When set, every statement is kept here too (for diagnosing a query's cost). */
  log?: { sql: string; params: readonly unknown[] }[];
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
    this.stats.log?.push({ sql: context.query ?? '', params: context.params ?? [] });
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
  return MikroORM.init(ormConfig(options));
}

/** Applies the committed migrations in order; never synchronises the schema from entities. */
export async function migrate(orm: MikroORM): Promise<void> {
  await orm.getMigrator().up();
}
