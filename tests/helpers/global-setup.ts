import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../src/db/embedded-postgres.js';
import { migrate, openOrm } from '../../src/db/orm.js';

// One PostgreSQL for the whole run: a throwaway embedded cluster, or TEST_DATABASE_URL when set
// (never DATABASE_URL, which names a developer's own server, not the tests'). The schema is
// migrated once into a template database; each test file clones it (CREATE DATABASE ... TEMPLATE),
// so files are independent and can run in parallel.

declare module 'vitest' {
  export interface ProvidedContext {
    adminUrl: string;
    templateDb: string;
  }
}

async function admin<T>(url: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

export default async function setup(project: TestProject) {
  let embedded: EmbeddedDatabase | undefined;
  let adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'crm-test-'));
    // pg_stat_statements for the benchmark's test (tests/bench.test.ts), which counts statements.
    embedded = await startEmbeddedPostgres({ dataDir, ephemeral: true, settings: { shared_preload_libraries: 'pg_stat_statements' } });
    adminUrl = embedded.url;
  }
  const prefix = `crm_test_${process.pid}`;
  const templateDb = `${prefix}_template`;
  await admin(adminUrl, (c) => c.query(`CREATE DATABASE "${templateDb}"`));
  const templateUrl = new URL(adminUrl);
  templateUrl.pathname = `/${templateDb}`;
  const orm = await openOrm({ url: templateUrl.toString(), poolSize: 2, statementTimeoutMs: 30_000 });
  await migrate(orm);
  await orm.close();

  project.provide('adminUrl', adminUrl);
  project.provide('templateDb', templateDb);

  return async () => {
    if (embedded) {
      await embedded.stop();
      return;
    }
    await admin(adminUrl!, async (c) => {
      const { rows } = await c.query<{ datname: string }>(
        `SELECT datname FROM pg_database WHERE datname LIKE $1`,
        [`${prefix}%`],
      );
      for (const { datname } of rows) await c.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    });
  };
}
