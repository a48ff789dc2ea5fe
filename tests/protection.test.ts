import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PoolSettingsInput } from '../sdk/index.js';
import { fromGlobalId } from '../src/common/ids.js';
import { runSweep } from '../src/pool-rules/sweep.js';
import { makeCustomer, makeUser, topLevelCode, type TestCustomer } from './helpers/factories.js';
import { setPoolRules, startTwoInstances, type TwoInstances } from './helpers/pool-settings.js';
import type { TestApp, TestUser } from './helpers/test-app.js';

// The protection period: returnsToPoolAt and its rule at the boundaries (N-1, N, N+1 days), the
// sweep (exactly once, also with two instances), reminders, the preview, and the list features.

let app: TestApp;
let second: TestApp;
let db: pg.Client;
const DAY = 86_400_000;

let instances: TwoInstances;
beforeAll(async () => {
  instances = await startTwoInstances();
  ({ app, second, db } = instances);
});
afterAll(() => instances.close());

const settings = (input: PoolSettingsInput) => setPoolRules(app, input);

beforeEach(async () => {
  await settings({});
  // Each test starts with no owned customers left over from the others.
  await db.query(`DELETE FROM customer_share`);
  await db.query(`UPDATE customer SET status = 'ARCHIVED', owner_id = NULL, claimed_at = NULL, archived_at = now() WHERE status <> 'ARCHIVED'`);
});

const internal = (id: string) => fromGlobalId('Customer', id)!;

/** Moves the claim (and optionally the last interaction) of a customer back in time. */
async function age(customer: TestCustomer, claimedDaysAgo: number, lastInteractionDaysAgo?: number) {
  await db.query(
    `UPDATE customer SET claimed_at = now() - make_interval(secs => $2::float8 * 86400), last_interaction_at = CASE WHEN $3::float8 IS NULL THEN NULL ELSE now() - make_interval(secs => $3 * 86400) END WHERE id = $1`,
    [internal(customer.id), claimedDaysAgo, lastInteractionDaysAgo ?? null],
  );
}

async function protection(user: TestUser, customer: TestCustomer) {
  const { customer: c } = await user.client.CustomerProtection({ id: customer.id });
  return c!;
}

describe('returnsToPoolAt', () => {
  it('is null when no rule is on, and counts from the claim or the last interaction, whichever is later', async () => {
    const owner = await makeUser(app);
    const customer = await makeCustomer(app, { owner });
    expect(await protection(owner, customer)).toMatchObject({ returnsToPoolAt: null, returnRule: null });
    await settings({ noInteractionDays: 30 });
    await age(customer, 20, 25); // interaction before the claim: the claim counts
    let p = await protection(owner, customer);
    expect(p.returnRule).toBe('NO_INTERACTION');
    expect(new Date(p.returnsToPoolAt!).getTime()).toBeCloseTo(Date.now() + 10 * DAY, -5);
    await age(customer, 20, 5); // a later interaction restarts the clock
    p = await protection(owner, customer);
    expect(new Date(p.returnsToPoolAt!).getTime()).toBeCloseTo(Date.now() + 25 * DAY, -5);
  });

  it('takes the earlier of the two rules and names it; an active contract exempts, any contract since the claim satisfies the contract rule', async () => {
    await settings({ noInteractionDays: 30, noContractDays: 60 });
    const owner = await makeUser(app);
    const customer = await makeCustomer(app, { owner });
    await age(customer, 50, 1); // interaction rule: +29 days; contract rule: +10 days
    let p = await protection(owner, customer);
    expect(p.returnRule).toBe('NO_CONTRACT');
    expect(new Date(p.returnsToPoolAt!).getTime()).toBeCloseTo(Date.now() + 10 * DAY, -5);
    const { contractCreate } = await owner.client.ContractCreate({ input: { customerId: customer.id, title: '框架合同', amount: '1000.00' } });
    await age(customer, 50, 1); // (creating the contract does not touch the claim)
    p = await protection(owner, customer);
    expect(p.returnRule).toBe('NO_INTERACTION');
    await owner.client.ContractStatusChange({ input: { id: contractCreate.contract!.id, status: 'ACTIVE' } });
    expect(await protection(owner, customer)).toMatchObject({ returnsToPoolAt: null, returnRule: null });
  });

  it('is null in the pool', async () => {
    await settings({ noInteractionDays: 30 });
    const customer = await makeCustomer(app);
    expect(await protection(app.admin, customer)).toMatchObject({ returnsToPoolAt: null });
  });
});

describe('the sweep', () => {
  it('returns customers at the boundary: N-1 days stays, N days and N+1 go, with the rule and its numbers recorded', async () => {
    await settings({ noInteractionDays: 10 });
    const owner = await makeUser(app);
    const sharee = await makeUser(app);
    const cases = { nMinus1: 9, justUnder: 10 - 1 / 1440, justOver: 10 + 1 / 1440, nPlus1: 11 };
    const customers: Record<string, TestCustomer> = {};
    for (const [key, days] of Object.entries(cases)) {
      customers[key] = await makeCustomer(app, { owner, sharedWith: [sharee] });
      await age(customers[key]!, days, days);
    }
    const { poolSweepRun } = await app.admin.client.PoolSweepRun();
    expect(poolSweepRun).toMatchObject({ ran: true, returned: 2, userErrors: [] });
    const status = async (key: string) => (await app.admin.client.Customer({ id: customers[key]!.id, historyFirst: 5 })).customer!;
    expect((await status('nMinus1')).status).toBe('OWNED');
    expect((await status('justUnder')).status).toBe('OWNED');
    for (const key of ['justOver', 'nPlus1']) {
      const c = await status(key);
      expect(c).toMatchObject({ status: 'IN_POOL', owner: null, sharedWith: [] });
      expect(c.history.nodes[0]).toMatchObject({ action: 'AUTO_RETURN', fromOwner: { id: owner.id }, returnRule: 'NO_INTERACTION', ruleDays: 10 });
      expect(c.history.nodes[0]!.reason).toContain('10 天');
    }
    const { notifications } = await owner.client.Notifications({});
    expect(notifications.nodes.filter((n) => n.kind === 'AUTO_RETURNED')).toHaveLength(2);
    // A second sweep finds nothing more.
    expect((await app.admin.client.PoolSweepRun()).poolSweepRun.returned).toBe(0);
  });

  it('returns each due customer exactly once with two instances sweeping at the same time', async () => {
    await settings({ noInteractionDays: 5 });
    const owner = await makeUser(app);
    const due: TestCustomer[] = [];
    for (let i = 0; i < 30; i++) {
      const c = await makeCustomer(app, { owner });
      await age(c, 6, 6);
      due.push(c);
    }
    const reports = await Promise.all([runSweep(app.deps), runSweep(second.deps), runSweep(app.deps), runSweep(second.deps)]);
    expect(reports.reduce((sum, r) => sum + r.returned, 0)).toBe(30);
    const { rows } = await db.query(
      `SELECT customer_id, count(*)::int AS n FROM ownership_event WHERE action = 'AUTO_RETURN' AND customer_id = ANY($1) GROUP BY 1`,
      [due.map((c) => internal(c.id))],
    );
    expect(rows).toHaveLength(30);
    expect(rows.every((r) => r.n === 1)).toBe(true);
  });

  it('reminds the owner once, reminderDays ahead', async () => {
    await settings({ noInteractionDays: 10, reminderDays: 3 });
    const owner = await makeUser(app);
    const soon = await makeCustomer(app, { owner });
    const later = await makeCustomer(app, { owner });
    await age(soon, 8, 8); // due in 2 days: within 3
    await age(later, 5, 5); // due in 5 days
    const first = await app.admin.client.PoolSweepRun();
    expect(first.poolSweepRun).toMatchObject({ returned: 0, reminded: 1 });
    expect((await app.admin.client.PoolSweepRun()).poolSweepRun.reminded).toBe(0);
    const { notifications, unreadNotificationCount } = await owner.client.Notifications({ unreadOnly: true });
    expect(unreadNotificationCount).toBe(1);
    expect(notifications.nodes[0]).toMatchObject({ kind: 'RETURN_REMINDER', customer: { id: soon.id } });
    const { notificationsMarkRead } = await owner.client.NotificationsMarkRead({ input: { all: true } });
    expect(notificationsMarkRead.marked).toBe(1);
    expect((await owner.client.Notifications({ unreadOnly: true })).unreadNotificationCount).toBe(0);
    // Nobody reads another user's notifications.
    const other = await makeUser(app);
    expect((await other.client.Node({ id: notifications.nodes[0]!.id })).node).toBeNull();
    expect((await other.client.Notifications({})).notifications.totalCount).toBe(0);
  });

  it('is admin-only to run by hand', async () => {
    const manager = await makeUser(app, { role: 'MANAGER' });
    expect(await topLevelCode(manager.client.PoolSweepRun())).toBe('FORBIDDEN');
  });
});

describe('preview and lists', () => {
  it('previews how many and which customers new numbers would return, without saving them', async () => {
    const owner = await makeUser(app);
    const old = await makeCustomer(app, { owner });
    const fresh = await makeCustomer(app, { owner });
    await age(old, 40, 40);
    await age(fresh, 2, 2);
    const { poolSettingsPreview } = await app.admin.client.PoolSettingsPreview({ input: { noInteractionDays: 30, reminderDays: 30 } });
    expect(poolSettingsPreview).toMatchObject({ returnCount: 1, reminderCount: 1, customers: [{ id: old.id }] });
    expect(poolSettingsPreview.settings.noInteractionDays).toBe(30);
    expect((await app.admin.client.PoolSettings()).poolSettings.noInteractionDays).toBeNull();
    expect((await app.admin.client.Customer({ id: old.id })).customer!.status).toBe('OWNED');
    const manager = await makeUser(app, { role: 'MANAGER' });
    expect(await topLevelCode(manager.client.PoolSettingsPreview({ input: { noInteractionDays: 30 } }))).toBe('FORBIDDEN');
  });

  it('lists my customers returning within N days, soonest first, and sorts and filters by returnsToPoolAt', async () => {
    await settings({ noInteractionDays: 20 });
    const manager = await makeUser(app, { role: 'MANAGER' });
    const owner = await makeUser(app, { manager });
    const days = [19, 15, 2, 18];
    const customers = [];
    for (const d of days) {
      const c = await makeCustomer(app, { owner });
      await age(c, d, d);
      customers.push(c);
    }
    const { customersReturningSoon } = await owner.client.CustomersReturningSoon({ withinDays: 3 });
    // due in 1, 2 days (19 and 18 days old); 15 and 2 days old are later
    expect(customersReturningSoon.nodes.map((n) => n.id)).toEqual([customers[0]!.id, customers[3]!.id]);
    const forManager = await manager.client.CustomersReturningSoon({ withinDays: 10, view: 'SUBORDINATES' });
    expect(forManager.customersReturningSoon.totalCount).toBe(3);
    const sorted = await owner.client.Customers({ view: 'MINE', orderBy: [{ field: 'RETURNS_TO_POOL_AT', direction: 'ASC' }] });
    expect(sorted.customers.edges.map((e) => e.node.id)).toEqual([customers[0]!.id, customers[3]!.id, customers[1]!.id, customers[2]!.id]);
    const page1 = await owner.client.Customers({ view: 'MINE', first: 2, orderBy: [{ field: 'RETURNS_TO_POOL_AT', direction: 'DESC' }] });
    const page2 = await owner.client.Customers({
      view: 'MINE',
      first: 2,
      after: page1.customers.pageInfo.endCursor,
      orderBy: [{ field: 'RETURNS_TO_POOL_AT', direction: 'DESC' }],
    });
    expect([...page1.customers.edges, ...page2.customers.edges].map((e) => e.node.id)).toEqual(
      [customers[2]!.id, customers[1]!.id, customers[3]!.id, customers[0]!.id],
    );
    const filtered = await owner.client.graphql.request<{ customers: { totalCount: number } }>(
      `query ($f: CustomerFilter) { customers(view: MINE, filter: $f) { totalCount } }`,
      { f: { returnsToPoolAt: { gt: new Date(Date.now() + 3 * DAY).toISOString() } } },
    );
    expect(filtered.customers.totalCount).toBe(2);
    const invalid = await topLevelCode(owner.client.CustomersReturningSoon({ withinDays: 3, view: 'POOL' }));
    expect(invalid).toBe('VALIDATION_FAILED');
  });
});
