import 'reflect-metadata';
import { pino } from 'pino';
import { discardAbandonedContent } from './attachments/attachment-content.js';
import { PasswordHasher } from './auth/password.js';
import { TokenService, loadSigningSecret } from './auth/token.js';
import { loadConfig } from './config.js';
import type { AppDeps } from './context.js';
import { bootstrap, type BootstrapResult } from './db/bootstrap.js';
import { ensureDatabase, startEmbeddedPostgres, type EmbeddedDatabase } from './db/embedded-postgres.js';
import { migrate, openOrm } from './db/orm.js';
import { DEMO_PASSWORD } from './db/seed/demo-data.js';
import { startTallyKeeper } from './customers/customer-tally.js';
import { startPoolSweeper } from './pool-rules/sweep.js';
import { buildServer, logSerializers } from './server.js';

// The process: config -> database -> migrations -> first admin and demo data -> HTTP server.
// SIGINT/SIGTERM stop it in reverse: stop taking requests, finish running ones, close the
// database, exit 0.

function banner(url: string, boot: BootstrapResult, embedded: EmbeddedDatabase | undefined): string {
  const lines = ['', `  CRM server ready: ${url}/graphql  (GraphiQL in a browser)`];
  lines.push(embedded ? `  Database: embedded PostgreSQL, data in ${embedded.clusterDir}` : '  Database: DATABASE_URL');
  if (boot.admin) {
    lines.push('', `  Admin: ${boot.admin.email} / ${boot.admin.password}${boot.admin.generated ? '  (generated: note it now)' : ''}`);
  }
  if (boot.demo) {
    const r = boot.demo.records;
    lines.push(`  Demo company (${boot.demo.customers} customers), password for everyone: ${DEMO_PASSWORD}`);
    lines.push(
      `    with ${r.contacts} contacts (${r.relations} social relations), ${r.interactions} interactions, ${r.quotes} quotes, ` +
        `${r.contracts} contracts, ${r.receivables} receivables, ${r.receipts} receipts, ${r.attachments} attachments`,
    );
    for (const p of boot.demo.people) {
      lines.push(`    ${p.role.padEnd(8)} ${p.name}  ${p.email}${p.manager ? `  (reports to ${p.manager})` : ''}${p.leaving ? '  (leaving: hand her customers over)' : ''}`);
    }
  }
  if (!boot.admin) lines.push('  Existing data reopened; sign in with your accounts.');
  return lines.join('\n') + '\n';
}

async function main(): Promise<void> {
  const config = loadConfig();
  const log = pino({ level: config.logLevel, serializers: logSerializers });

  let embedded: EmbeddedDatabase | undefined;
  let url = config.databaseUrl;
  if (!url) {
    log.info({ dataDir: config.dataDir }, 'starting embedded PostgreSQL');
    embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, log: (line) => log.debug({ postgres: line }) });
    url = await ensureDatabase(embedded.url, 'crm');
  }
  const orm = await openOrm({ url, poolSize: config.dbPoolSize, statementTimeoutMs: config.limits.statementTimeoutMs });
  await migrate(orm);
  const abandoned = await discardAbandonedContent(orm.em.fork());
  if (abandoned) log.info({ chunks: abandoned }, 'removed the content of uploads cut off by an earlier stop');
  const secret = await loadSigningSecret(orm.em.fork(), config.jwtSecret);
  const app: AppDeps = {
    config,
    orm,
    tokens: new TokenService(secret, config.tokenTtlSeconds),
    passwords: new PasswordHasher(config.passwordHash),
  };
  const boot = await bootstrap(app, log);
  const server = await buildServer(app, { logger: log });
  const address = await server.listen({ host: config.host, port: config.port });
  const sweeper = config.poolSweepIntervalSeconds > 0 ? startPoolSweeper(app, log, config.poolSweepIntervalSeconds * 1000) : undefined;
  const tally = startTallyKeeper(app, log);
  const shown = address.replace('127.0.0.1', 'localhost').replace('[::1]', 'localhost');
  process.stdout.write(banner(shown, boot, embedded));

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) {
      log.warn('second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    log.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      log.error('shutdown took over 30 s: exiting');
      process.exit(1);
    }, 30_000);
    force.unref();
    try {
      await server.close(); // stops accepting, waits for running requests, stops Apollo
      await sweeper?.stop(); // lets a sweep under way finish its transaction
      await tally.stop();
      await orm.close();
      await embedded?.stop();
      log.info('stopped');
      process.exit(0);
    } catch (error) {
      log.error({ err: error }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
