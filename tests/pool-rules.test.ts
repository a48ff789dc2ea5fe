import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PoolSettingsInput } from '../sdk/index.js';
import { fromGlobalId } from '../src/common/ids.js';
import { allocate } from '../src/pool-rules/handover.service.js';
import { makeCustomer, makeUser, topLevelCode, type TestCustomer } from './helpers/factories.js';
import { setPoolRules, startTwoInstances, type TwoInstances } from './helpers/pool-settings.js';
import type { TestApp, TestUser } from './helpers/test-app.js';

// Pool rules at their boundaries (N-1, N, N+1), atomically under concurrency, across two server
// instances on one database.

let app: TestApp;
let second: TestApp; // another instance on the same database
let db: pg.Client;

let instances: TwoInstances;
beforeAll(async () => {
  instances = await startTwoInstances();
  ({ app, second, db } = instances);
});
afterAll(() => instances.close());

const settings = (input: PoolSettingsInput) => setPoolRules(app, input);

beforeEach(() => settings({}));

const claim = async (user: TestUser, customer: TestCustomer) =>
  (await user.client.CustomersClaim({ input: { customerIds: [customer.id] } })).customersClaim.results[0]!;

const internal = (id: string) => fromGlobalId('Customer', id) ?? fromGlobalId('User', id);

describe('settings', () => {
  it('are off by default, admin-only, validated, and versioned', async () => {
    const sales = await makeUser(app);
    const manager = await makeUser(app, { role: 'MANAGER' });
    for (const user of [sales, manager]) {
      expect(await topLevelCode(user.client.PoolSettings())).toBe('FORBIDDEN');
      expect(await topLevelCode(user.client.PoolSettingsUpdate({ input: { ownershipCap: 1 } }))).toBe('FORBIDDEN');
    }
    const { poolSettings } = await app.admin.client.PoolSettings();
    expect(poolSettings).toMatchObject({ ownershipCap: null, dailyClaimLimit: null, timeZone: 'Asia/Shanghai' });
    for (const input of [{ ownershipCap: 0 }, { dailyClaimLimit: -1 }, { timeZone: 'Mars/Olympus' }, { reminderDays: 3 }]) {
      const { poolSettingsUpdate } = await app.admin.client.PoolSettingsUpdate({ input });
      expect(poolSettingsUpdate.userErrors[0]!.code).toBe('VALIDATION_FAILED');
    }
    const stale = await app.admin.client.PoolSettingsUpdate({ input: { expectedVersion: poolSettings.version - 1, ownershipCap: 5 } });
    expect(stale.poolSettingsUpdate.userErrors[0]!.code).toBe('STALE_VERSION');
    expect((await app.admin.client.PoolSettings()).poolSettings.ownershipCap).toBeNull();
  });
});

describe('ownership cap', () => {
  it('allows N, refuses N+1 with LIMIT_REACHED naming the cap; claims, create-and-claim and assigns', async () => {
    await settings({ ownershipCap: 3 });
    const sales = await makeUser(app);
    await makeCustomer(app, { owner: sales });
    await makeCustomer(app, { owner: sales });
    expect((await claim(sales, await makeCustomer(app))).userErrors).toEqual([]); // the 3rd: N
    const fourth = await makeCustomer(app);
    const refused = await claim(sales, fourth);
    expect(refused.userErrors[0]).toMatchObject({ code: 'LIMIT_REACHED', limit: 3 });
    expect(refused.userErrors[0]!.message).toContain('3');
    const { customerCreate } = await sales.client.CustomerCreate({ input: { name: '上限测试有限公司', claim: true } });
    expect(customerCreate.userErrors[0]).toMatchObject({ code: 'LIMIT_REACHED', limit: 3 });
    const { customersAssign } = await app.admin.client.CustomersAssign({ input: { customerIds: [fourth.id], assigneeId: sales.id } });
    expect(customersAssign.results[0]!.userErrors[0]).toMatchObject({ code: 'LIMIT_REACHED', limit: 3 });
    expect((await app.admin.client.Customer({ id: fourth.id })).customer!.status).toBe('IN_POOL');
    // N-1 after a return: room again
    const { customers } = await sales.client.Customers({ view: 'MINE', first: 1 });
    await sales.client.CustomersReturn({ input: { customerIds: [customers.edges[0]!.node.id] } });
    expect((await claim(sales, fourth)).userErrors).toEqual([]);
  });

  it('holds under concurrency across two instances: at the cap minus one, parallel claims give exactly one success', async () => {
    await settings({ ownershipCap: 2 });
    for (let round = 0; round < 3; round++) {
      const sales = await makeUser(app);
      await makeCustomer(app, { owner: sales });
      const candidates = await Promise.all(Array.from({ length: 6 }, () => makeCustomer(app)));
      const onSecond = second.client(sales.token);
      const results = await Promise.all(
        candidates.map((c, i) => (i % 2 ? onSecond : sales.client).CustomersClaim({ input: { customerIds: [c.id] } })),
      );
      const codes = results.map((r) => r.customersClaim.results[0]!.userErrors[0]?.code ?? 'OK');
      expect(codes.filter((c) => c === 'OK')).toHaveLength(1);
      expect(codes.filter((c) => c === 'LIMIT_REACHED')).toHaveLength(5);
      const { rows } = await db.query(`SELECT count(*)::int AS n FROM customer WHERE owner_id = $1`, [internal(sales.id)]);
      expect(rows[0].n).toBe(2);
    }
  });
});

describe('daily claim limit', () => {
  it('allows N claims a day and refuses the N+1st; yesterday’s claims (company time zone) do not count', async () => {
    await settings({ dailyClaimLimit: 2, timeZone: 'Asia/Shanghai' });
    const sales = await makeUser(app);
    const old = await makeCustomer(app, { owner: sales });
    // Claims just before today's midnight in Shanghai count for yesterday; just after, for today.
    const { rows } = await db.query(
      `SELECT (date_trunc('day', now() AT TIME ZONE 'Asia/Shanghai') AT TIME ZONE 'Asia/Shanghai') AS midnight`,
    );
    const midnight: Date = rows[0].midnight;
    const insertClaim = (at: Date) =>
      db.query(
        `INSERT INTO ownership_event (customer_id, action, to_user_id, actor_id, created_at) VALUES ($1, 'CLAIM', $2, $2, $3)`,
        [internal(old.id), internal(sales.id), at],
      );
    await insertClaim(new Date(midnight.getTime() - 60_000)); // 23:59 yesterday
    await insertClaim(new Date(midnight.getTime() - 1)); // the last millisecond of yesterday
    expect((await claim(sales, await makeCustomer(app))).userErrors).toEqual([]); // 1st today
    await insertClaim(new Date(midnight.getTime())); // 00:00:00.000 today counts: 2nd today
    const third = await claim(sales, await makeCustomer(app));
    expect(third.userErrors[0]).toMatchObject({ code: 'LIMIT_REACHED', limit: 2 });
    expect(third.userErrors[0]!.message).toContain('Asia/Shanghai');
    const { customerCreate } = await sales.client.CustomerCreate({ input: { name: '日限测试有限公司', claim: true } });
    expect(customerCreate.userErrors[0]!.code).toBe('LIMIT_REACHED');
    // assigns by a manager are not claims
    const assigned = await makeCustomer(app);
    const { customersAssign } = await app.admin.client.CustomersAssign({ input: { customerIds: [assigned.id], assigneeId: sales.id } });
    expect(customersAssign.results[0]!.userErrors).toEqual([]);
  });

  it('depends on the configured time zone', async () => {
    const sales = await makeUser(app);
    const old = await makeCustomer(app); // created by the admin: not one of the salesperson's claims
    // An event 2 hours ago: "today" in a zone whose midnight is more than 2 hours back, "yesterday"
    // in a zone whose midnight came less than 2 hours ago. Find such zones for this moment.
    const zones = Array.from({ length: 25 }, (_, i) => `Etc/GMT${i - 12 >= 0 ? '+' : '-'}${Math.abs(i - 12)}`).filter((z) => z !== 'Etc/GMT-0');
    const hoursSinceMidnight = async (zone: string) =>
      (await db.query(`SELECT extract(epoch FROM (now() AT TIME ZONE $1) - date_trunc('day', now() AT TIME ZONE $1)) / 3600 AS h`, [zone])).rows[0].h as number;
    let yesterdayZone: string | undefined;
    let todayZone: string | undefined;
    for (const zone of zones) {
      const h = await hoursSinceMidnight(zone);
      if (h < 1.5 && !yesterdayZone) yesterdayZone = zone;
      if (h > 3 && !todayZone) todayZone = zone;
    }
    await db.query(`INSERT INTO ownership_event (customer_id, action, to_user_id, actor_id, created_at) VALUES ($1, 'CLAIM', $2, $2, now() - interval '2 hours')`, [
      internal(old.id),
      internal(sales.id),
    ]);
    await settings({ dailyClaimLimit: 1, timeZone: todayZone! });
    expect((await claim(sales, await makeCustomer(app))).userErrors[0]!.code).toBe('LIMIT_REACHED');
    await settings({ dailyClaimLimit: 1, timeZone: yesterdayZone! });
    expect((await claim(sales, await makeCustomer(app))).userErrors).toEqual([]);
  });

  it('holds under concurrency: with one claim left, parallel claims give exactly one success', async () => {
    await settings({ dailyClaimLimit: 1 });
    const sales = await makeUser(app);
    const candidates = await Promise.all(Array.from({ length: 6 }, () => makeCustomer(app)));
    const results = await Promise.all(
      candidates.map((c, i) => (i % 2 ? second.client(sales.token) : sales.client).CustomersClaim({ input: { customerIds: [c.id] } })),
    );
    const codes = results.map((r) => r.customersClaim.results[0]!.userErrors[0]?.code ?? 'OK');
    expect(codes.sort()).toEqual(['LIMIT_REACHED', 'LIMIT_REACHED', 'LIMIT_REACHED', 'LIMIT_REACHED', 'LIMIT_REACHED', 'OK']);
  });
});

describe('previous-owner cool-down', () => {
  async function returnedDaysAgo(days: number, minutes = 0) {
    const sales = await makeUser(app);
    const customer = await makeCustomer(app, { owner: sales });
    await sales.client.CustomersReturn({ input: { customerIds: [customer.id] } });
    // Move the return back in time (events are immutable: insert an older twin, drop nothing).
    await db.query(
      `INSERT INTO ownership_event (customer_id, action, from_user_id, actor_id, created_at)
       SELECT customer_id, 'RETURN', from_user_id, actor_id, now() - make_interval(days => $2, mins => $3)
       FROM ownership_event WHERE customer_id = $1 AND action = 'RETURN'`,
      [internal(customer.id), days, minutes],
    );
    return { sales, customer };
  }

  it('refuses the claim back within N days with COOLDOWN and until when; allows it after', async () => {
    await settings({ previousOwnerCooldownDays: 7 });
    // the fresh return (0 days ago) is the latest event, so it decides: refused
    const { sales, customer } = await returnedDaysAgo(6);
    const refused = await claim(sales, customer);
    expect(refused.userErrors[0]!.code).toBe('COOLDOWN');
    const until = new Date(refused.userErrors[0]!.until!);
    expect(until.getTime()).toBeGreaterThan(Date.now() + 6.9 * 86400_000);
    expect(refused.userErrors[0]!.message).toContain(until.toISOString());
    // someone else may claim it at once
    const other = await makeUser(app);
    expect((await claim(other, customer)).userErrors).toEqual([]);
  });

  it('boundaries N-1, N, N+1 days', async () => {
    await settings({ previousOwnerCooldownDays: 3 });
    for (const [days, minutes, expected] of [
      [2, 0, 'COOLDOWN'], // N-1
      [3, -5, 'COOLDOWN'], // just under N
      [3, 1, 'OK'], // just over N
      [4, 0, 'OK'], // N+1
    ] as const) {
      const sales = await makeUser(app);
      const customer = await makeCustomer(app);
      await db.query(
        `INSERT INTO ownership_event (customer_id, action, from_user_id, actor_id, created_at)
         VALUES ($1, 'RECLAIM', $2, $2, now() - make_interval(days => $3, mins => $4))`,
        [internal(customer.id), internal(sales.id), days, minutes],
      );
      const result = await claim(sales, customer);
      expect([days, minutes, result.userErrors[0]?.code ?? 'OK']).toEqual([days, minutes, expected]);
    }
  });

  it('is off when the setting is off', async () => {
    const { sales, customer } = await returnedDaysAgo(0);
    expect((await claim(sales, customer)).userErrors).toEqual([]);
  });
});

describe('what a viewer is told before claiming', () => {
  it('allowedActions leaves CLAIM out, and claimBlockedBy names the rule, exactly where a claim is refused', async () => {
    const sales = await makeUser(app);
    const pool = await makeCustomer(app);
    const seen = async (customer: TestCustomer, viewer = sales) => (await viewer.client.CustomerClaimable({ id: customer.id })).customer!;
    const expectClaimable = async (customer: TestCustomer, block: string | null) => {
      const found = await seen(customer);
      expect(found.claimBlockedBy).toBe(block);
      if (block) expect(found.allowedActions).not.toContain('CLAIM');
      else expect(found.allowedActions).toContain('CLAIM');
    };
    await expectClaimable(pool, null); // every rule off

    const owned = await makeCustomer(app, { owner: sales }); // one owned, one claim today
    await settings({ ownershipCap: 1 });
    await expectClaimable(pool, 'OWNERSHIP_CAP');
    expect((await claim(sales, pool)).userErrors[0]).toMatchObject({ code: 'LIMIT_REACHED', limit: 1 });
    // The daily limit is checked before the cap, here as in a claim.
    await settings({ ownershipCap: 1, dailyClaimLimit: 1 });
    await expectClaimable(pool, 'DAILY_LIMIT');
    const refused = await claim(sales, pool);
    expect(refused.userErrors[0]).toMatchObject({ code: 'LIMIT_REACHED', limit: 1 });
    expect(refused.userErrors[0]!.message).toContain('daily limit');
    expect((await seen(pool)).status).toBe('IN_POOL');
    // Rules on that don't stop this viewer: CLAIM shows, and the claim goes through.
    await settings({ ownershipCap: 3, dailyClaimLimit: 5, previousOwnerCooldownDays: 7 });
    await expectClaimable(pool, null);
    // An owned customer: no claim to make, nothing to say.
    expect(await seen(owned, app.admin)).toMatchObject({ status: 'OWNED', claimBlockedBy: null });
    expect((await seen(owned, app.admin)).allowedActions).not.toContain('CLAIM');
    // The previous owner cools down; anyone else may claim it.
    expect((await sales.client.CustomersReturn({ input: { customerIds: [owned.id] } })).customersReturn.results[0]!.userErrors).toEqual([]);
    await expectClaimable(owned, 'COOLDOWN');
    expect((await claim(sales, owned)).userErrors[0]!.code).toBe('COOLDOWN');
    const other = await makeUser(app);
    expect((await seen(owned, other)).claimBlockedBy).toBeNull();
    expect((await claim(sales, pool)).userErrors).toEqual([]);
  });
});

describe('handover when someone leaves', () => {
  it('splits the leaver’s customers by shares, removes their shares, moves their reports up, deactivates them', async () => {
    const director = await makeUser(app, { role: 'MANAGER' });
    const leaver = await makeUser(app, { role: 'MANAGER', manager: director });
    const report = await makeUser(app, { manager: leaver });
    const a = await makeUser(app, { manager: director });
    const b = await makeUser(app, { manager: director });
    const colleague = await makeUser(app);
    const owned = [];
    for (let i = 0; i < 9; i++) owned.push(await makeCustomer(app, { owner: leaver, sharedWith: [colleague] }));
    const sharedWithLeaver = await makeCustomer(app, { owner: colleague, sharedWith: [leaver] });

    const { userHandover } = await app.admin.client.UserHandover({
      input: { userId: leaver.id, to: [{ userId: a.id, share: 2 }, { userId: b.id, share: 1 }], reason: '离职' },
    });
    expect(userHandover.userErrors).toEqual([]);
    const report_ = userHandover.handover!;
    expect(report_.allocations.map((x) => [x.user.id, x.count])).toEqual([
      [a.id, 6],
      [b.id, 3],
    ]);
    expect(report_).toMatchObject({ customersMoved: 9, returnedToPool: 0, sharesRemoved: 10, reportsMoved: 1, reportsMovedTo: { id: director.id } });
    expect(report_.user).toMatchObject({ active: false, reports: [] });
    for (const c of owned) {
      const { customer } = await app.admin.client.Customer({ id: c.id });
      expect([a.id, b.id]).toContain(customer!.owner!.id);
      expect(customer!.sharedWith).toEqual([]);
      expect(customer!.history.nodes[0]).toMatchObject({ action: 'HANDOVER', fromOwner: { id: leaver.id }, reason: '离职', actor: { id: app.admin.id } });
    }
    const { customer: stillShared } = await app.admin.client.Customer({ id: sharedWithLeaver.id });
    expect(stillShared!.sharedWith).toEqual([]);
    expect(stillShared!.history.nodes[0]).toMatchObject({ action: 'UNSHARE', users: [{ id: leaver.id }] });
    expect(await topLevelCode(leaver.client.Viewer())).toBe('UNAUTHENTICATED');
    expect((await app.admin.client.User({ id: report.id })).user!.manager!.id).toBe(director.id);
    // the director still sees the report's customers
    const reportCustomer = await makeCustomer(app, { owner: report });
    expect((await director.client.Customer({ id: reportCustomer.id })).customer).not.toBeNull();
  });

  it('returns everything to the pool when asked', async () => {
    const leaver = await makeUser(app);
    for (let i = 0; i < 3; i++) await makeCustomer(app, { owner: leaver });
    const { userHandover } = await app.admin.client.UserHandover({ input: { userId: leaver.id, toPool: true } });
    expect(userHandover.handover).toMatchObject({ customersMoved: 3, returnedToPool: 3, allocations: [] });
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM customer WHERE owner_id = $1`, [internal(leaver.id)]);
    expect(rows[0].n).toBe(0);
  });

  it('does nothing at all when it cannot complete (a target over the cap), and validates its input', async () => {
    const leaver = await makeUser(app);
    const target = await makeUser(app);
    const owned = [];
    for (let i = 0; i < 3; i++) owned.push(await makeCustomer(app, { owner: leaver }));
    await makeCustomer(app, { owner: target });
    await settings({ ownershipCap: 3 });
    const { userHandover } = await app.admin.client.UserHandover({ input: { userId: leaver.id, to: [{ userId: target.id }] } });
    expect(userHandover.userErrors[0]).toMatchObject({ code: 'LIMIT_REACHED', limit: 3 });
    expect(userHandover.userErrors[0]!.message).toContain(target.name);
    for (const c of owned) expect((await app.admin.client.Customer({ id: c.id })).customer!.owner!.id).toBe(leaver.id);
    expect((await leaver.client.Viewer()).viewer.active).toBe(true);

    const gone = await makeUser(app, { deactivated: true });
    const bad = [
      { userId: leaver.id },
      { userId: leaver.id, toPool: true, to: [{ userId: target.id }] },
      { userId: leaver.id, to: [{ userId: leaver.id }] },
      { userId: leaver.id, to: [{ userId: gone.id }] },
      { userId: leaver.id, to: [{ userId: target.id, share: 0 }] },
      { userId: app.admin.id, toPool: true },
    ];
    for (const input of bad) {
      const { userHandover: refused } = await app.admin.client.UserHandover({ input });
      expect(refused.userErrors[0]!.code).toBe('VALIDATION_FAILED');
    }
    const manager = await makeUser(app, { role: 'MANAGER' });
    expect(await topLevelCode(manager.client.UserHandover({ input: { userId: leaver.id, toPool: true } }))).toBe('FORBIDDEN');
  });

  it('allocates by weight, interleaved', () => {
    expect(allocate(6, [{ target: 'a', weight: 1 }, { target: 'b', weight: 1 }])).toEqual(['a', 'b', 'a', 'b', 'a', 'b']);
    expect(allocate(6, [{ target: 'a', weight: 2 }, { target: 'b', weight: 1 }])).toEqual(['a', 'b', 'a', 'a', 'b', 'a']);
    expect(allocate(0, [{ target: 'a', weight: 1 }])).toEqual([]);
  });
});

describe('who can see a customer and why', () => {
  it('lists owner, sharees, managers above and admins, and only for the owner, managers above and admins', async () => {
    const director = await makeUser(app, { role: 'MANAGER' });
    const manager = await makeUser(app, { role: 'MANAGER', manager: director });
    const owner = await makeUser(app, { manager });
    const sharee = await makeUser(app);
    const unrelated = await makeUser(app);
    const customer = await makeCustomer(app, { owner, sharedWith: [sharee] });
    for (const viewer of [owner, manager, director, app.admin]) {
      const { customer: seen } = await viewer.client.CustomerAccess({ id: customer.id });
      const entries = Object.fromEntries(seen!.access!.entries.map((e) => [e.user.id, e.reasons]));
      expect(entries[owner.id]).toEqual(['OWNER']);
      expect(entries[sharee.id]).toEqual(['SHARE']);
      expect(entries[manager.id]).toEqual(['MANAGER_OF_OWNER']);
      expect(entries[director.id]).toEqual(['MANAGER_OF_OWNER']);
      expect(entries[app.admin.id]).toEqual(['ADMIN']);
      expect(entries[unrelated.id]).toBeUndefined();
      expect(seen!.access!.everyone).toBe(false);
    }
    expect((await sharee.client.CustomerAccess({ id: customer.id })).customer!.access).toBeNull();
    expect((await unrelated.client.CustomerAccess({ id: customer.id })).customer).toBeNull();
    // Every listed user really can see it, and the unrelated one really cannot.
    for (const [user, visible] of [[sharee, true], [director, true], [unrelated, false]] as const) {
      expect(!!(await user.client.Customer({ id: customer.id })).customer).toBe(visible);
    }
  });
});

describe('the company time zone', () => {
  it('decides "today" for money too: a receivable due today in Pago Pago is overdue in Kiritimati', async () => {
    const { companyToday } = await import('../src/common/company-calendar.js');
    const owner = await makeUser(app);
    const customer = await makeCustomer(app, { owner });
    const { contractCreate } = await owner.client.ContractCreate({ input: { customerId: customer.id, title: '时区测试', amount: '100.00' } });
    const dueDate = companyToday(new Date(), 'Pacific/Pago_Pago'); // UTC-11: always a day or more behind UTC+14
    await owner.client.ReceivableCreate({ input: { contractId: contractCreate.contract!.id, amount: '100.00', dueDate } });
    const status = async () =>
      (await owner.client.CustomerPayments({ id: customer.id })).customer!.contracts.nodes[0]!.receivables.nodes[0]!.status;
    await settings({ timeZone: 'Pacific/Pago_Pago' });
    expect(await status()).toBe('OUTSTANDING');
    await settings({ timeZone: 'Pacific/Kiritimati' });
    expect(await status()).toBe('OVERDUE');
  });
});
