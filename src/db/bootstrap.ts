import { randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { FastifyBaseLogger } from 'fastify';
import type { AppDeps } from '../context.js';
import { Role, User } from '../users/user.entity.js';
import { openOrm } from './orm.js';
import { DEMO_PASSWORD, seedDemoData, type DemoResult } from './seed/demo-data.js';

export interface BootstrapResult {
  /** Set when this start created the first admin. */
  admin?: { email: string; password: string; generated: boolean };
  demo?: DemoResult;
}

// Only one instance may bootstrap an empty database.
const BOOTSTRAP_LOCK = 727_002;

/**
 * On an empty database: the first admin (ADMIN_EMAIL / ADMIN_PASSWORD; without a password the demo
 * password when demo data is on, else a generated one that is printed once) and the demo company.
 */
export async function bootstrap(app: AppDeps, log: FastifyBaseLogger): Promise<BootstrapResult> {
  const { config } = app;
  const em = app.orm.em.fork() as EntityManager;
  const admin = await em.transactional(async (tem) => {
    await tem.execute('SELECT pg_advisory_xact_lock(?)', [BOOTSTRAP_LOCK]);
    if ((await tem.count(User, {})) > 0) return undefined;
    const generated = !config.admin.password && !config.demoData;
    const password = config.admin.password ?? (config.demoData ? DEMO_PASSWORD : randomBytes(12).toString('base64url'));
    const user = tem.create(User, {
      name: config.admin.name,
      email: config.admin.email,
      passwordHash: await app.passwords.hash(password),
      role: Role.ADMIN,
    });
    await tem.flush();
    return { user, password, generated };
  });
  if (!admin) return {};
  const result: BootstrapResult = {
    admin: { email: admin.user.email, password: admin.password, generated: admin.generated },
  };
  if (config.demoData) {
    log.info('creating the demo company');
    result.demo = await withDemoConnections(app, (demoApp) => seedDemoData(demoApp, admin.user, log));
  }
  return result;
}

/**
 * The demo is a couple of thousand small transactions. They run over connections of their own whose
 * commits don't wait for the disk, and end with one durable commit, which flushes the WAL and
 * with it every demo commit before it. The server's connections keep durable commits.
 */
async function withDemoConnections<T>(app: AppDeps, build: (demoApp: AppDeps) => Promise<T>): Promise<T> {
  const orm = await openOrm({
    url: app.orm.config.get('clientUrl')!,
    poolSize: 4,
    statementTimeoutMs: app.config.limits.statementTimeoutMs,
    asyncCommits: true,
  });
  try {
    const result = await build({ ...app, orm });
    await orm.em.fork().transactional(async (em) => {
      await em.execute('SET LOCAL synchronous_commit = on');
      // A transaction id makes the commit write a record, and a durable commit flushes the WAL.
      await em.execute('SELECT txid_current()');
    });
    return result;
  } finally {
    await orm.close();
  }
}
