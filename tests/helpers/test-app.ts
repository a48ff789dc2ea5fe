import { randomBytes } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { inject } from 'vitest';
import { PasswordHasher } from '../../src/auth/password.js';
import { openSession } from '../../src/auth/session.js';
import { TokenService } from '../../src/auth/token.js';
import { loadConfig, type Config } from '../../src/config.js';
import type { AppDeps } from '../../src/context.js';
import { ensureDatabase } from '../../src/db/embedded-postgres.js';
import { SqlStats, openOrm } from '../../src/db/orm.js';
import { buildServer, logSerializers, type ServerOptions } from '../../src/server.js';
import { Role, User } from '../../src/users/user.entity.js';
import { createClient, type CrmClient } from '../../sdk/index.js';

let databases = 0;

export interface TestApp {
  url: string;
  databaseUrl: string;
  graphqlUrl: string;
  orm: MikroORM;
  deps: AppDeps;
  server: FastifyInstance;
  /** SQL statements issued so far by this app (tests run their requests one at a time). */
  sql: SqlStats;
  admin: TestUser;
  /** The token signing secret (instances on one database share it). */
  tokenSecret: string;
  /** A client without a token. */
  anonymous: CrmClient;
  client(token?: string): CrmClient;
  close(): Promise<void>;
}

export interface TestUser {
  user: User;
  /** The global id. */
  id: string;
  name: string;
  token: string;
  client: CrmClient;
}

export interface TestAppOptions {
  env?: Record<string, string>;
  /** Collects the server's JSON log lines. */
  logLines?: string[];
  /** Another instance on the database of this app (several servers, one database). */
  sameDatabaseAs?: TestApp;
  /** How the server executes operations (see ServerOptions). */
  execution?: ServerOptions['execution'];
}

/** The bearer token of a new session of `userId`, as `login` gives it (without the password). */
export async function sessionToken(deps: AppDeps, userId: string): Promise<string> {
  const session = await openSession(deps.orm.em.fork(), deps.tokens, userId);
  if (!session) throw new Error(`User ${userId} is not active`);
  return session.token;
}

/** A fresh database cloned from the migrated template, and the server on a free port. */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const name = `${inject('templateDb').replace(/_template$/, '')}_${process.pid}_${++databases}`;
  const url = options.sameDatabaseAs
    ? options.sameDatabaseAs.databaseUrl
    : await ensureDatabase(inject('adminUrl'), name, inject('templateDb'));
  const config: Config = loadConfig({
    DATABASE_URL: url,
    LOG_LEVEL: 'warn',
    DEMO_DATA: 'false',
    PASSWORD_HASH_MEMORY_KIB: '1024',
    PASSWORD_HASH_ITERATIONS: '1',
    ...options.env,
  });
  const sql = new SqlStats();
  const orm = await openOrm({ url, poolSize: 30, statementTimeoutMs: config.limits.statementTimeoutMs, stats: sql });
  // Instances on one database share the signing secret, as they do in production.
  const tokenSecret = options.sameDatabaseAs?.tokenSecret ?? randomBytes(32).toString('hex');
  const deps: AppDeps = {
    config,
    orm,
    tokens: new TokenService(tokenSecret, config.tokenTtlSeconds),
    passwords: new PasswordHasher(config.passwordHash),
  };
  const logger = options.logLines
    ? pino({ level: 'info', serializers: logSerializers }, { write: (line: string) => void options.logLines!.push(line) })
    : pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent', serializers: logSerializers });
  const server = await buildServer(deps, { logger, execution: options.execution });
  const base = await server.listen({ host: '127.0.0.1', port: 0 });
  const graphqlUrl = `${base}/graphql`;
  const client = (token?: string) => createClient({ url: graphqlUrl, token });

  const em = orm.em.fork();
  const adminUser = em.create(User, {
    name: 'Test Admin',
    email: `admin-${randomBytes(4).toString('hex')}@test.local`,
    passwordHash: await deps.passwords.hash('admin-password'),
    role: Role.ADMIN,
  });
  await em.flush();
  const adminToken = await sessionToken(deps, adminUser.id);

  return {
    url: base,
    databaseUrl: url,
    graphqlUrl,
    orm,
    deps,
    server,
    sql,
    admin: { user: adminUser, id: adminUser.nodeId, name: adminUser.name, token: adminToken, client: client(adminToken) },
    tokenSecret,
    anonymous: client(),
    client,
    async close() {
      await server.close();
      await orm.close();
    },
  };
}
