import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MikroORM } from '@mikro-orm/postgresql';
import { BatchScheduler, KEYED } from '../src/common/batch-scheduler.js';
import { openOrm, readStatements, type ReadStatement } from '../src/db/orm.js';
import { makeCustomer, makeUser } from './helpers/factories.js';
import { startTestApp, type TestApp, type TestUser } from './helpers/test-app.js';

// Rounds of keyed reads (records by id, pages under their parents, totals by ids) run as
// prepared statements, planned once per connection; reads whose plan should follow their values
// (a search, a filtered list) are planned every time. A connection keeps a bounded number.

let app: TestApp;
let owner: TestUser;

beforeAll(async () => {
  app = await startTestApp();
  owner = await makeUser(app);
  for (let i = 0; i < 3; i += 1) await makeCustomer(app, { owner, name: `预备科技${i}` });
});
afterAll(() => app.close());

/** The read path's statements a call issues: whether each ran prepared, and a bit of its text. */
async function roundsOf(call: () => Promise<unknown>): Promise<{ prepared: boolean; sql: string }[]> {
  app.sql.log = [];
  try {
    await call();
    return app.sql.log.filter((s) => s.sql.startsWith('SELECT (SELECT ')).map((s) => ({ prepared: !!s.prepared, sql: s.sql }));
  } finally {
    app.sql.log = undefined;
  }
}

describe('which rounds are prepared', () => {
  it('the headline page (a view without filter or search): every round is prepared', async () => {
    const rounds = await roundsOf(() => owner.client.CustomersOverview({ view: 'MINE', first: 10 }));
    expect(rounds.length).toBeGreaterThan(2);
    expect(rounds.every((r) => r.prepared)).toBe(true);
    expect(rounds.some((r) => r.sql.includes('count(*)::int AS n FROM customer c'))).toBe(true);
  });

  it('a search and a filtered count are never prepared', async () => {
    const search = await roundsOf(() => owner.client.CustomerList({ view: 'MINE', search: '预备', first: 10 }));
    const searchRound = search.find((r) => r.sql.includes('__score'));
    expect(searchRound).toMatchObject({ prepared: false });
    const filtered = await roundsOf(() => owner.client.CustomerList({ view: 'MINE', filter: { level: { eq: 'A' } }, first: 10 }));
    const count = filtered.find((r) => r.sql.includes('count(*)::int AS n FROM customer c'));
    expect(count).toMatchObject({ prepared: false });
    expect(filtered.find((r) => r.sql.includes('LIMIT 11'))).toMatchObject({ prepared: false });
  });

  it('none is prepared with DB_PREPARED_STATEMENTS=false, and the answer is the same', async () => {
    const off = await startTestApp({ sameDatabaseAs: app, env: { DB_PREPARED_STATEMENTS: 'false' } });
    try {
      const sameOwner = off.client(owner.token);
      off.sql.log = [];
      const page = await sameOwner.CustomersOverview({ view: 'MINE', first: 10 });
      const rounds = off.sql.log.filter((s) => s.sql.startsWith('SELECT (SELECT '));
      off.sql.log = undefined;
      expect(rounds.length).toBeGreaterThan(2);
      expect(rounds.some((r) => r.prepared)).toBe(false);
      expect(page).toEqual(await owner.client.CustomersOverview({ view: 'MINE', first: 10 }));
    } finally {
      await off.close();
    }
  });

  it('a round is prepared only when every read in it is keyed', async () => {
    const seen: boolean[] = [];
    const scheduler = new BatchScheduler(async (_sql, _params, keyed) => {
      seen.push(keyed);
      return [{ r0: [], r1: [] }];
    });
    await Promise.all([scheduler.rows('SELECT 1', [], KEYED), scheduler.rows('SELECT 2', [], KEYED)]);
    await Promise.all([scheduler.rows('SELECT 1', [], KEYED), scheduler.rows('SELECT 2')]);
    expect(seen).toEqual([true, false]);
  });
});

describe('prepared statements on a connection', () => {
  let orm: MikroORM;
  let run: ReadStatement;

  beforeAll(async () => {
    // One connection, so that every statement below meets the statements before it.
    orm = await openOrm({ url: app.databaseUrl, poolSize: 1, statementTimeoutMs: 10_000 });
    run = readStatements(orm.em.fork());
  });
  afterAll(() => orm.close());

  const prepared = async () => Number((await run(`SELECT count(*)::int AS n FROM pg_prepared_statements`, []))[0]!.n);

  it('keeps the ones used last, at most 24, and answers right after evicting', async () => {
    for (let i = 0; i < 40; i += 1) {
      expect(await run(`SELECT ${i} + ?::int AS n`, [1], true)).toEqual([{ n: i + 1 }]);
    }
    expect(await prepared()).toBe(24);
    // The first ones were evicted: asked again, they are prepared again and answer the same.
    expect(await run(`SELECT 0 + ?::int AS n`, [5], true)).toEqual([{ n: 5 }]);
    expect(await run(`SELECT 39 + ?::int AS n`, [5], true)).toEqual([{ n: 44 }]);
    expect(await prepared()).toBe(24);
  });

  it('a statement that fails leaves the connection usable, and runs again with other values', async () => {
    await expect(run(`SELECT 10 / ?::int AS n`, [0], true)).rejects.toThrow(/division by zero/);
    expect(await run(`SELECT 10 / ?::int AS n`, [2], true)).toEqual([{ n: 5 }]);
    await expect(run(`SELECT no_such_column FROM app_user WHERE id = ?::bigint`, ['1'], true)).rejects.toThrow(/no_such_column/);
    expect(await run(`SELECT 1 + ?::int AS n`, [1], true)).toEqual([{ n: 2 }]);
  });

  it('unkeyed statements are never prepared, nor keyed ones when prepared statements are off', async () => {
    const before = await prepared();
    await run(`SELECT 'plain' || ?::text AS s`, ['x']);
    const off = readStatements(orm.em.fork(), { prepared: false });
    expect(await off(`SELECT 'off' || ?::text AS s`, ['x'], true)).toEqual([{ s: 'offx' }]);
    expect(await prepared()).toBe(before);
  });
});
