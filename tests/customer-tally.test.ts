import pg from 'pg';
import type { EntityManager } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkTally, foldTally, startTallyKeeper } from '../src/customers/customer-tally.js';
import type { CustomerView } from '../sdk/index.js';
import { makeCustomer, makeUser, topLevelCode, unique } from './helpers/factories.js';
import { startTestApp, type TestApp, type TestUser } from './helpers/test-app.js';

// The tally of customers by status, which the lists on the status alone (ALL and ARCHIVED for an
// admin, the pool) count from: after every kind of change, through the API and behind it, each
// view's totalCount is what counting the customers gives; folding and checking keep the sums.

let app: TestApp;
let db: pg.Client;
let sales: TestUser;
let manager: TestUser;
let other: TestUser;

const em = () => app.orm.em.fork() as EntityManager;

beforeAll(async () => {
  app = await startTestApp();
  db = new pg.Client({ connectionString: app.databaseUrl });
  await db.connect();
  manager = await makeUser(app, { role: 'MANAGER' });
  sales = await makeUser(app, { manager });
  other = await makeUser(app);
}, 60_000);
afterAll(async () => {
  await db?.end();
  await app?.close();
});

async function counted(where: string, params: unknown[] = []): Promise<number> {
  const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM customer c WHERE ${where}`, params);
  return rows[0]!.n;
}

async function rowId(name: string): Promise<string> {
  return (await db.query<{ id: string }>(`SELECT id::text FROM customer WHERE name = $1`, [name])).rows[0]!.id;
}

async function totalCount(user: TestUser, view: CustomerView): Promise<number> {
  return (await user.client.Customers({ view, first: 1 })).customers.totalCount;
}

/** Every view's totalCount, for each kind of viewer, against counting the customers. */
async function expectCountsRight(): Promise<void> {
  const [salesId, managerId] = [sales.user.id, manager.user.id];
  expect(await totalCount(app.admin, 'ALL')).toBe(await counted(`c.status <> 'ARCHIVED'`));
  expect(await totalCount(app.admin, 'ARCHIVED')).toBe(await counted(`c.status = 'ARCHIVED'`));
  expect(await totalCount(app.admin, 'POOL')).toBe(await counted(`c.status = 'IN_POOL'`));
  expect(await totalCount(sales, 'POOL')).toBe(await counted(`c.status = 'IN_POOL'`));
  expect(await totalCount(sales, 'MINE')).toBe(await counted(`c.owner_id = $1`, [salesId]));
  expect(await totalCount(manager, 'SUBORDINATES')).toBe(await counted(`c.owner_id = $1`, [salesId]));
  expect(await totalCount(manager, 'MINE')).toBe(await counted(`c.owner_id = $1`, [managerId]));
  const { rows } = await db.query<{ status: string; tallied: number; n: number }>(
    `SELECT s.status, coalesce((SELECT sum(t.n) FROM customer_tally t WHERE t.status = s.status), 0)::int AS tallied,
            (SELECT count(*) FROM customer c WHERE c.status = s.status)::int AS n
     FROM unnest(ARRAY['IN_POOL', 'OWNED', 'ARCHIVED']) s(status)`,
  );
  for (const row of rows) expect(row.tallied, row.status).toBe(row.n);
}

describe('the tally of customers by status', () => {
  it('gives every view its exact totalCount after each kind of change through the API', async () => {
    await expectCountsRight();
    const pooled = await Promise.all([0, 1, 2, 3, 4].map(() => makeCustomer(app)));
    await expectCountsRight();
    const mine = await makeCustomer(app, { owner: sales });
    await expectCountsRight();

    const { customersClaim } = await sales.client.CustomersClaim({ input: { customerIds: [pooled[0]!.id, pooled[1]!.id] } });
    expect(customersClaim.results.map((r) => r.userErrors)).toEqual([[], []]);
    await expectCountsRight();

    const { customersReturn } = await sales.client.CustomersReturn({ input: { customerIds: [pooled[0]!.id], reason: '不再跟进' } });
    expect(customersReturn.results[0]!.userErrors).toEqual([]);
    await expectCountsRight();

    const { customersAssign } = await app.admin.client.CustomersAssign({ input: { customerIds: [pooled[2]!.id, mine.id], assigneeId: other.id } });
    expect(customersAssign.results.map((r) => r.userErrors)).toEqual([[], []]);
    await expectCountsRight();

    const { customersArchive } = await app.admin.client.CustomersArchive({ input: { customerIds: [pooled[3]!.id, pooled[4]!.id] } });
    expect(customersArchive.results.map((r) => r.userErrors)).toEqual([[], []]);
    await expectCountsRight();

    const { customersRestore } = await app.admin.client.CustomersRestore({ input: { customerIds: [pooled[3]!.id] } });
    expect(customersRestore.results[0]!.userErrors).toEqual([]);
    await expectCountsRight();

    // A batch over a whole list (`matching`), and an edit that changes no status.
    const { customersReturn: all } = await app.admin.client.CustomersReturn({ input: { customerIds: [], matching: { view: 'ALL', filter: { status: { eq: 'OWNED' } } } } });
    expect(all.results.length).toBeGreaterThan(0);
    await expectCountsRight();
    const { customerUpdate } = await app.admin.client.CustomerUpdate({ input: { id: pooled[1]!.id, name: unique('改名') } });
    expect(customerUpdate.userErrors).toEqual([]);
    await expectCountsRight();
  });

  it('counts a status view from the tally, and every other list from the customers', async () => {
    await makeCustomer(app, { owner: sales });
    const log: NonNullable<typeof app.sql.log> = [];
    app.sql.log = log;
    try {
      const reads = async (user: TestUser, view: CustomerView, extra: object = {}) => {
        log.length = 0;
        await user.client.CustomerList({ view, first: 2, ...extra });
        const text = log.map((s) => s.sql).join('\n');
        return { tally: text.includes('FROM customer_tally'), scan: /count\(\*\)::int AS n FROM customer c/.test(text) };
      };
      expect(await reads(app.admin, 'ALL')).toEqual({ tally: true, scan: false });
      expect(await reads(app.admin, 'ARCHIVED')).toEqual({ tally: true, scan: false });
      expect(await reads(sales, 'POOL')).toEqual({ tally: true, scan: false });
      expect(await reads(sales, 'MINE')).toEqual({ tally: false, scan: true });
      expect(await reads(manager, 'SUBORDINATES')).toEqual({ tally: false, scan: true });
      expect(await reads(sales, 'SHARED_WITH_ME')).toEqual({ tally: false, scan: true });
      // A filter narrows the view beyond the status: counted from the customers.
      expect(await reads(app.admin, 'ALL', { filter: { name: { contains: '客户' } } })).toEqual({ tally: false, scan: true });
      // A search counts its ranked matches.
      expect((await reads(app.admin, 'ALL', { search: '客户' })).tally).toBe(false);
    } finally {
      app.sql.log = undefined;
    }
    // And the lists a role may not see are refused as before.
    expect(await topLevelCode(sales.client.Customers({ view: 'ALL', first: 1 }))).toBe('FORBIDDEN');
    expect(await topLevelCode(manager.client.Customers({ view: 'ARCHIVED', first: 1 }))).toBe('FORBIDDEN');
  });

  it('follows writes behind the API, also with replication triggers off, and exactly in their own snapshot', async () => {
    const before = await totalCount(app.admin, 'POOL');
    const pool = await makeCustomer(app);
    const numericId = await rowId(pool.name);
    await db.query('BEGIN');
    try {
      await db.query(`SET LOCAL session_replication_role = replica`);
      await db.query(`UPDATE customer SET status = 'ARCHIVED', archived_at = now() WHERE id = $1`, [numericId]);
      const inside = await db.query<{ tallied: number; n: number }>(
        `SELECT (SELECT coalesce(sum(n), 0) FROM customer_tally WHERE status = 'IN_POOL')::int AS tallied,
                (SELECT count(*) FROM customer WHERE status = 'IN_POOL')::int AS n`,
      );
      expect(inside.rows[0]!.tallied).toBe(inside.rows[0]!.n);
      expect(inside.rows[0]!.n).toBe(before);
      // Not committed: the server's reads don't see it.
      expect(await totalCount(app.admin, 'POOL')).toBe(before + 1);
      // Replication triggers off: foreign keys are not checked, and the tally still follows.
      await db.query(`DELETE FROM customer WHERE id = $1`, [numericId]);
      const deleted = await db.query<{ tallied: number; n: number }>(
        `SELECT (SELECT coalesce(sum(n), 0) FROM customer_tally)::int AS tallied, (SELECT count(*) FROM customer)::int AS n`,
      );
      expect(deleted.rows[0]!.tallied).toBe(deleted.rows[0]!.n);
    } finally {
      await db.query('ROLLBACK');
    }
    expect(await totalCount(app.admin, 'POOL')).toBe(before + 1);
    await expectCountsRight();
  });

  it('folds its rows into one per status, keeping the sums, while other transactions add rows', async () => {
    for (let i = 0; i < 3; i++) await makeCustomer(app);
    const rowsOf = async () => (await db.query<{ n: string }>('SELECT count(*) AS n FROM customer_tally')).rows[0]!.n;
    expect(Number(await rowsOf())).toBeGreaterThan(3);
    const pool = await makeCustomer(app);
    const numericId = await rowId(pool.name);
    // A change under way while the tally is folded: its rows are left for the next fold.
    await db.query('BEGIN');
    await db.query(`UPDATE customer SET status = 'ARCHIVED', archived_at = now() WHERE id = $1`, [numericId]);
    expect(await foldTally(em())).toBeGreaterThan(3);
    await db.query('COMMIT');
    await expectCountsRight();
    expect(Number(await rowsOf())).toBeLessThanOrEqual(5);
    expect(await foldTally(em())).toBeGreaterThan(0);
    expect(Number(await rowsOf())).toBeLessThanOrEqual(3);
    // Nothing to fold: nothing is written.
    expect(await foldTally(em())).toBe(0);
    await expectCountsRight();
  });

  it('is checked against the customers and corrected when something changed it behind the triggers', async () => {
    expect(await checkTally(em())).toEqual({ ran: true, corrected: [] });
    const pool = await counted(`c.status = 'IN_POOL'`);
    // As after a restore that loaded the tally's rows and then the customers through the triggers.
    await db.query(`INSERT INTO customer_tally (status, n) VALUES ('IN_POOL', $1), ('ARCHIVED', -1)`, [pool]);
    expect(await totalCount(sales, 'POOL')).toBe(2 * pool);
    const archived = await counted(`c.status = 'ARCHIVED'`);
    const check = await checkTally(em());
    expect(check.ran).toBe(true);
    expect(check.corrected.sort((a, b) => a.status.localeCompare(b.status))).toEqual([
      { status: 'ARCHIVED', tallied: archived - 1, counted: archived },
      { status: 'IN_POOL', tallied: 2 * pool, counted: pool },
    ]);
    expect(await totalCount(sales, 'POOL')).toBe(pool);
    await expectCountsRight();

    // Checks and folds at once, beside claims: one at a time takes the lock, and the sums hold.
    const fresh = await Promise.all([0, 1, 2, 3].map(() => makeCustomer(app)));
    const [checks, folds, claims] = await Promise.all([
      Promise.all([checkTally(em()), checkTally(em())]),
      Promise.all([foldTally(em()), foldTally(em())]),
      Promise.all(fresh.map((c) => sales.client.CustomersClaim({ input: { customerIds: [c.id] } }))),
    ]);
    expect(checks.some((c) => c.ran) || folds.some((n) => n > 0)).toBe(true);
    expect(claims.map((c) => c.customersClaim.results[0]!.userErrors)).toEqual([[], [], [], []]);
    await expectCountsRight();
    expect(await checkTally(em())).toEqual({ ran: true, corrected: [] });
  });

  it('is kept by the server: checked a second after it starts, and folded from then on', async () => {
    await db.query(`INSERT INTO customer_tally (status, n) VALUES ('OWNED', 7)`);
    const lines: string[] = [];
    const log = { warn: (o: object, m: string) => lines.push(`${m} ${JSON.stringify(o)}`), error: (o: object, m: string) => lines.push(`${m} ${JSON.stringify(o)}`) };
    const keeper = startTallyKeeper(app.deps, log as never);
    try {
      await expect.poll(() => lines.length, { timeout: 5_000, interval: 100 }).toBeGreaterThan(0);
      expect(lines[0]).toMatch(/^the customer tally differed.*"status":"OWNED"/);
    } finally {
      await keeper.stop();
    }
    await expectCountsRight();
  });
});
