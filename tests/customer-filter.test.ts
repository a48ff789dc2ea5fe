import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerFilter, CustomerView } from '../sdk/index.js';
import { random } from '../src/db/seed/random.js';
import { topLevelCode } from './helpers/factories.js';
import { holds, randomFilter, type EvalScope, type Universe } from './helpers/filter-oracle.js';
import { NOINTERACTION_DAYS, buildListWorld, internal, listIds, worldRows, type ListWorld, type WorldRow } from './helpers/list-world.js';
import { setPoolRules } from './helpers/pool-settings.js';
import { startTestApp, type TestApp, type TestUser } from './helpers/test-app.js';

// 组合查询: the combined filter gives exactly the rows an independent oracle gives: hand-written
// SQL on the test database for a table of filters, and a JS model of the documented semantics
// for a few hundred random filter trees. Filters narrow a view and never widen it.

let app: TestApp;
let world: ListWorld;
let rows: WorldRow[];

beforeAll(async () => {
  app = await startTestApp();
  await setPoolRules(app, { noInteractionDays: NOINTERACTION_DAYS });
  world = await buildListWorld(app);
  rows = await worldRows(world.db);
}, 120_000);
afterAll(async () => {
  await world?.close();
  await app?.close();
});

const sorted = (ids: string[]) => [...ids].sort();
const iso = (ms: number) => new Date(ms).toISOString();

/** Ids of live customers (the admin's ALL view) matching a hand-written SQL condition on `c`. */
async function sqlIds(where: string, params: unknown[] = []): Promise<string[]> {
  const { rows: found } = await world.db.query<{ id: string }>(
    `SELECT id::text FROM customer c WHERE c.status <> 'ARCHIVED' AND (${where})`,
    params,
  );
  return sorted(found.map((r) => rows.find((x) => x.internalId === r.id)!.id));
}

describe('the combined filter against hand-written SQL (admin, ALL)', () => {
  const DIGITS = `regexp_replace(coalesce(c.phone, ''), '[^0-9]', '', 'g')`;
  const LIVE_CONTACT = `SELECT 1 FROM contact ct WHERE ct.customer_id = c.id AND ct.deleted_at IS NULL`;
  const CONTACT_DIGITS = (col: string) => `regexp_replace(coalesce(ct.${col}, ''), '[^0-9]', '', 'g')`;
  // [title, filter, SQL condition, parameters]; $n parameters are internal ids or instants.
  const cases = (): [string, CustomerFilter, string, unknown[]?][] => {
    const { alice, bob, carol } = world.team;
    const t = world.instants;
    return [
      ['everything', {}, 'TRUE'],
      ['and: [] is true', { and: [] }, 'TRUE'],
      ['or: [] is false', { or: [] }, 'FALSE'],
      ['not: {} is false', { not: {} }, 'FALSE'],
      ['name eq (exact)', { name: { eq: '华为技术有限公司' } }, `c.name = '华为技术有限公司'`],
      ['name eq is case-sensitive', { name: { eq: 'ACME LABS' } }, 'FALSE'],
      ['name neq', { name: { neq: 'acme labs' } }, `c.name <> 'acme labs'`],
      ['name in', { name: { in: ['Beta GmbH', 'Zeta_Corp', 'no such name'] } }, `c.name IN ('Beta GmbH', 'Zeta_Corp')`],
      ['name in []', { name: { in: [] } }, 'FALSE'],
      ['name contains ignores case', { name: { contains: 'aCmE' } }, `lower(c.name) LIKE '%acme%'`],
      ['name contains %', { name: { contains: '%' } }, `strpos(c.name, '%') > 0`],
      ['name contains _', { name: { contains: '_' } }, `strpos(c.name, '_') > 0`],
      ['name contains 科技', { name: { contains: '科技' } }, `strpos(c.name, '科技') > 0`],
      ['name startsWith 华', { name: { startsWith: '华' } }, `left(c.name, 1) = '华'`],
      ['name is NULL (never)', { name: { is: 'NULL' } }, 'FALSE'],
      ['phone eq in another format', { phone: { eq: '+86 138 0013 8000' } }, `${DIGITS} IN ('13800138000', '8613800138000')`],
      ['phone neq (no phone counts as not equal)', { phone: { neq: '138-0013-8000' } }, `${DIGITS} NOT IN ('13800138000', '8613800138000')`],
      ['phone neq a non-number: everything', { phone: { neq: 'abc' } }, 'TRUE'],
      ['phone contains digits', { phone: { contains: '0013' } }, `${DIGITS} LIKE '%0013%'`],
      ['phone startsWith', { phone: { startsWith: '(010)' } }, `${DIGITS} LIKE '010%'`],
      ['phone is NULL', { phone: { is: 'NULL' } }, 'c.phone IS NULL'],
      ['status in', { status: { in: ['IN_POOL', 'ARCHIVED'] } }, `c.status = 'IN_POOL'`],
      ['owner is NULL', { owner: { is: 'NULL' } }, 'c.owner_id IS NULL'],
      ['owner eq', { owner: { eq: alice.id } }, 'c.owner_id = $1', [internal(alice.id)]],
      ['owner in', { owner: { in: [alice.id, carol.id] } }, 'c.owner_id IN ($1, $2)', [internal(alice.id), internal(carol.id)]],
      ['owner in []', { owner: { in: [] } }, 'FALSE'],
      ['owner eq a customer id (wrong type)', { owner: { eq: rows[0]!.id } }, 'FALSE'],
      ['createdBy eq', { createdBy: { eq: alice.id } }, 'c.created_by_id = $1', [internal(alice.id)]],
      ['industry neq (nulls included)', { industry: { neq: '科技' } }, `coalesce(c.industry <> '科技', TRUE)`],
      ['industry contains ignores case', { industry: { contains: 'IT SERV' } }, `lower(c.industry) LIKE '%it serv%'`],
      ['industry is NOT_NULL', { industry: { is: 'NOT_NULL' } }, 'c.industry IS NOT NULL'],
      ['level in', { level: { in: ['A', 'B'] } }, `c.level IN ('A', 'B')`],
      ['level is NULL', { level: { is: 'NULL' } }, 'c.level IS NULL'],
      ['not level eq A (unknown counts as false)', { not: { level: { eq: 'A' } } }, `c.level IS NULL OR c.level <> 'A'`],
      ['not not', { not: { not: { industry: { eq: '科技' } } } }, `c.industry = '科技'`],
      ['source startsWith ignores case', { source: { startsWith: 'WEB' } }, `lower(c.source) LIKE 'web%'`],
      ['region startsWith and neq together', { region: { startsWith: '华东', neq: '华东' } }, `c.region LIKE '华东%' AND c.region <> '华东'`],
      ['createdAt range', { createdAt: { gte: iso(t[3]!), lt: iso(t[9]!) } }, 'c.created_at >= $1 AND c.created_at < $2', [iso(t[3]!), iso(t[9]!)]],
      ['createdAt eq (ties)', { createdAt: { eq: iso(t[5]!) } }, 'c.created_at = $1', [iso(t[5]!)]],
      ['updatedAt lte', { updatedAt: { lte: iso(t[6]!) } }, 'c.updated_at <= $1', [iso(t[6]!)]],
      ['claimedAt is NULL', { claimedAt: { is: 'NULL' } }, `c.status = 'IN_POOL'`],
      ['claimedAt gt', { claimedAt: { gt: iso(t[7]!) } }, 'c.claimed_at > $1', [iso(t[7]!)]],
      [
        'lastInteractionAt never or late',
        { or: [{ lastInteractionAt: { is: 'NULL' } }, { lastInteractionAt: { gt: iso(t[10]!) } }] },
        'c.last_interaction_at IS NULL OR c.last_interaction_at > $1',
        [iso(t[10]!)],
      ],
      ['not nextFollowUpAt lt', { not: { nextFollowUpAt: { lt: iso(t[8]! + 40 * 86_400_000) } } }, 'c.next_follow_up_at IS NULL OR c.next_follow_up_at >= $1', [iso(t[8]! + 40 * 86_400_000)]],
      [
        'returnsToPoolAt lt (NO_INTERACTION rule on)',
        { returnsToPoolAt: { lt: iso(t[9]! + NOINTERACTION_DAYS * 86_400_000) } },
        `c.status = 'OWNED' AND greatest(c.claimed_at, c.last_interaction_at) + interval '${NOINTERACTION_DAYS} days' < $1`,
        [iso(t[9]! + NOINTERACTION_DAYS * 86_400_000)],
      ],
      ['returnsToPoolAt is NULL', { returnsToPoolAt: { is: 'NULL' } }, `c.status <> 'OWNED'`],
      ['sharedWith eq', { sharedWith: { eq: bob.id } }, 'EXISTS (SELECT 1 FROM customer_share s WHERE s.customer_id = c.id AND s.user_id = $1)', [internal(bob.id)]],
      ['sharedWith in', { sharedWith: { in: [bob.id, carol.id] } }, 'c.id IN (SELECT customer_id FROM customer_share WHERE user_id IN ($1, $2))', [internal(bob.id), internal(carol.id)]],
      ['sharedWith is NULL', { sharedWith: { is: 'NULL' } }, 'NOT EXISTS (SELECT 1 FROM customer_share s WHERE s.customer_id = c.id)'],
      ['hasContact name contains', { hasContact: { name: { contains: '张三' } } }, `EXISTS (${LIVE_CONTACT} AND ct.name LIKE '%张三%')`],
      ['hasContact name eq (exact)', { hasContact: { name: { eq: 'Tom Lee' } } }, `EXISTS (${LIVE_CONTACT} AND ct.name = 'Tom Lee')`],
      [
        'hasContact phone eq, mobile or phone',
        { hasContact: { phone: { eq: '139 1234 5678' } } },
        `EXISTS (${LIVE_CONTACT} AND '13912345678' IN (${CONTACT_DIGITS('mobile')}, ${CONTACT_DIGITS('phone')}))`,
      ],
      [
        'hasContact name and phone on the same contact',
        { hasContact: { name: { startsWith: '张' }, phone: { contains: '0755' } } },
        `EXISTS (${LIVE_CONTACT} AND ct.name LIKE '张%' AND (${CONTACT_DIGITS('mobile')} LIKE '%0755%' OR ${CONTACT_DIGITS('phone')} LIKE '%0755%'))`,
      ],
      ['no live contact', { not: { hasContact: {} } }, `NOT EXISTS (${LIVE_CONTACT})`],
      [
        'nested and / or / not',
        { or: [{ and: [{ level: { eq: 'A' } }, { industry: { is: 'NULL' } }] }, { not: { or: [{ status: { eq: 'IN_POOL' } }, { region: { startsWith: '华' } }] } }] },
        `(c.level = 'A' AND c.industry IS NULL) OR NOT (c.status = 'IN_POOL' OR coalesce(c.region LIKE '华%', FALSE))`,
      ],
      [
        'fields next to a combinator',
        { owner: { is: 'NOT_NULL' }, or: [{ phone: { is: 'NULL' } }, { hasContact: { name: { eq: '李四' } } }] },
        `c.owner_id IS NOT NULL AND (c.phone IS NULL OR EXISTS (${LIVE_CONTACT} AND ct.name = '李四'))`,
      ],
    ];
  };

  it('gives exactly the rows of the SQL for every case, and the cases are not vacuous', async () => {
    const live = rows.filter((r) => r.status !== 'ARCHIVED').length;
    let informative = 0;
    for (const [title, filter, where, params] of cases()) {
      const expected = await sqlIds(where, params);
      const actual = sorted(await listIds(app.admin.client, { view: 'ALL', filter }));
      expect(actual, title).toEqual(expected);
      if (expected.length > 0 && expected.length < live) informative++;
    }
    expect(informative).toBeGreaterThan(cases().length * 0.7);
  });

  it('the JS model agrees with the SQL on the same table (so the random test checks the right thing)', async () => {
    for (const [title, filter, where, params] of cases()) {
      const model = sorted(rows.filter((r) => r.status !== 'ARCHIVED' && holds(r, filter, { masksPoolPhones: false })).map((r) => r.id));
      expect(model, title).toEqual(await sqlIds(where, params));
    }
  });
});

interface Viewing {
  label: string;
  user: () => TestUser;
  view: CustomerView;
  scope: EvalScope;
  sees: (r: WorldRow) => boolean;
}

describe('random filter trees against the JS model', () => {
  const viewings = (): Viewing[] => {
    const { alice, manager, carol } = world.team;
    const subordinates = new Set([alice.id, world.team.bob.id]);
    return [
      { label: 'alice POOL', user: () => alice, view: 'POOL', scope: { masksPoolPhones: true }, sees: (r) => r.status === 'IN_POOL' },
      { label: 'alice MINE', user: () => alice, view: 'MINE', scope: { masksPoolPhones: true }, sees: (r) => r.status === 'OWNED' && r.ownerId === alice.id },
      { label: 'manager POOL', user: () => manager, view: 'POOL', scope: { masksPoolPhones: false }, sees: (r) => r.status === 'IN_POOL' },
      {
        label: 'manager SUBORDINATES',
        user: () => manager,
        view: 'SUBORDINATES',
        scope: { masksPoolPhones: false },
        sees: (r) => r.status === 'OWNED' && subordinates.has(r.ownerId!),
      },
      {
        label: 'carol SHARED_WITH_ME',
        user: () => carol,
        view: 'SHARED_WITH_ME',
        scope: { masksPoolPhones: true },
        sees: (r) => r.status === 'OWNED' && r.shares.includes(carol.id),
      },
    ];
  };

  it('200 seeded random filters (depth <= 3) match the model for the admin and one other viewer each', async () => {
    const rnd = random(20261130);
    const { team } = world;
    const universe: Universe = {
      rows,
      userIds: [team.alice.id, team.bob.id, team.carol.id, team.manager.id, team.otherManager.id, app.admin.id],
      instants: world.instants,
    };
    const admin: Viewing = { label: 'admin ALL', user: () => app.admin, view: 'ALL', scope: { masksPoolPhones: false }, sees: (r) => r.status !== 'ARCHIVED' };
    const others = viewings();
    let informative = 0;
    for (let i = 0; i < 200; i++) {
      const filter = randomFilter(rnd, universe);
      for (const v of [admin, rnd.pick(others)]) {
        const expected = sorted(rows.filter((r) => v.sees(r) && holds(r, filter, v.scope)).map((r) => r.id));
        const actual = sorted(await listIds(v.user().client, { view: v.view, filter }));
        expect(actual, `#${i} ${v.label}: ${JSON.stringify(filter)}`).toEqual(expected);
        if (v === admin && expected.length > 0 && expected.length < rows.length - 2) informative++;
      }
    }
    // Most trees select some but not all rows, so agreement means something.
    expect(informative).toBeGreaterThan(80);
  });
});

describe('filters compose with the view', () => {
  const poolPhone = () => rows.find((r) => r.status === 'IN_POOL' && r.phone)!;

  it('or with someone else as owner never leaves MINE', async () => {
    const { alice, carol } = world.team;
    const mine = sorted(rows.filter((r) => r.ownerId === alice.id && r.status === 'OWNED').map((r) => r.id));
    expect(mine.length).toBeGreaterThan(0);
    const widening: CustomerFilter = { or: [{ owner: { eq: carol.id } }, { owner: { is: 'NULL' } }, { status: { in: ['IN_POOL', 'OWNED', 'ARCHIVED'] } }] };
    expect(sorted(await listIds(alice.client, { view: 'MINE', filter: widening }))).toEqual(mine);
    expect(await listIds(alice.client, { view: 'MINE', filter: { not: { owner: { eq: alice.id } } } })).toEqual([]);
    expect(await listIds(alice.client, { view: 'MINE', filter: { owner: { eq: carol.id } } })).toEqual([]);
  });

  it('not in SHARED_WITH_ME only narrows the shared customers', async () => {
    const { carol, alice } = world.team;
    const shared = sorted(rows.filter((r) => r.status === 'OWNED' && r.shares.includes(carol.id)).map((r) => r.id));
    expect(shared.length).toBeGreaterThan(0);
    expect(sorted(await listIds(carol.client, { view: 'SHARED_WITH_ME', filter: { not: { owner: { eq: carol.id } } } }))).toEqual(shared);
    expect(sorted(await listIds(carol.client, { view: 'SHARED_WITH_ME', filter: { not: { sharedWith: { eq: carol.id } } } }))).toEqual([]);
    expect(sorted(await listIds(carol.client, { view: 'SHARED_WITH_ME', filter: { not: { owner: { eq: alice.id } } } }))).toEqual(
      sorted(rows.filter((r) => r.status === 'OWNED' && r.shares.includes(carol.id) && r.ownerId !== alice.id).map((r) => r.id)),
    );
  });

  it('SUBORDINATES with another team’s owner, and a SALES user’s SUBORDINATES, stay empty', async () => {
    const { manager, carol, bob } = world.team;
    expect(await listIds(manager.client, { view: 'SUBORDINATES', filter: { owner: { eq: carol.id } } })).toEqual([]);
    expect(await listIds(bob.client, { view: 'SUBORDINATES', filter: { or: [{}, { owner: { is: 'NOT_NULL' } }] } })).toEqual([]);
  });

  it('a SALES user’s phone filters never match masked pool phones; a MANAGER’s do', async () => {
    const { alice, manager } = world.team;
    const target = poolPhone();
    const pool = rows.filter((r) => r.status === 'IN_POOL');
    const byPhone: CustomerFilter[] = [
      { phone: { eq: target.phone } },
      { phone: { contains: target.phone!.replace(/\D/g, '').slice(-4) } },
      { phone: { is: 'NOT_NULL' } },
      { phone: { is: 'NULL' } },
      { hasContact: { phone: { is: 'NOT_NULL' } } },
    ];
    for (const filter of byPhone) {
      expect(await listIds(alice.client, { view: 'POOL', filter }), JSON.stringify(filter)).toEqual([]);
      const forManager = sorted(pool.filter((r) => holds(r, filter, { masksPoolPhones: false })).map((r) => r.id));
      expect(sorted(await listIds(manager.client, { view: 'POOL', filter })), JSON.stringify(filter)).toEqual(forManager);
    }
    expect(await listIds(manager.client, { view: 'POOL', filter: byPhone[0]! })).toContain(target.id);
    // The negation reveals nothing either: every pool customer, whatever its phone.
    expect((await listIds(alice.client, { view: 'POOL', filter: { not: byPhone[0]! } })).length).toBe(pool.length);
    // Her own customers' phones are hers to filter.
    const own = rows.find((r) => r.ownerId === alice.id && r.phone)!;
    expect(await listIds(alice.client, { view: 'MINE', filter: { phone: { eq: own.phone } } })).toContain(own.id);
  });

  it('ARCHIVED customers stay out of ALL whatever the filter; admins see them in ARCHIVED', async () => {
    const archived = rows.filter((r) => r.status === 'ARCHIVED').map((r) => r.id);
    expect(await listIds(app.admin.client, { view: 'ALL', filter: { status: { eq: 'ARCHIVED' } } })).toEqual([]);
    expect(sorted(await listIds(app.admin.client, { view: 'ARCHIVED', filter: { name: { contains: '' } } }))).toEqual(sorted(archived));
  });
});

describe('filter limits', () => {
  it('refuses filters nested too deep or with too many conditions, with VALIDATION_FAILED', async () => {
    let deep: CustomerFilter = { name: { eq: 'x' } };
    for (let i = 0; i < 6; i++) deep = { not: deep };
    expect(await topLevelCode(app.admin.client.CustomerList({ view: 'ALL', filter: deep }))).toBe('VALIDATION_FAILED');
    const wide: CustomerFilter = { or: Array.from({ length: 4 }, () => ({ and: Array.from({ length: 18 }, () => ({ level: { eq: 'A' as const } })) })) };
    expect(await topLevelCode(app.admin.client.CustomerList({ view: 'ALL', filter: wide }))).toBe('VALIDATION_FAILED');
  });

  it('applies the input constraints of nested filters (list sizes, text lengths)', async () => {
    const tooMany: CustomerFilter = { and: Array.from({ length: 21 }, () => ({})) };
    expect(await topLevelCode(app.admin.client.CustomerList({ view: 'ALL', filter: tooMany }))).toBe('VALIDATION_FAILED');
    const tooLong: CustomerFilter = { or: [{ name: { contains: 'x'.repeat(201) } }] };
    expect(await topLevelCode(app.admin.client.CustomerList({ view: 'ALL', filter: tooLong }))).toBe('VALIDATION_FAILED');
  });
});
