import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerOrder, CustomerOrderField } from '../sdk/index.js';
import { topLevelCode } from './helpers/factories.js';
import { NOINTERACTION_DAYS, buildListWorld, listIds, walk, worldRows, type ListWorld, type WorldRow } from './helpers/list-world.js';
import { setPoolRules } from './helpers/pool-settings.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';

// Sorting by every list column, both directions, nulls last in both, ties broken by the id in the
// direction of the last key; walking every order page by page, forwards and backwards; and the
// paging a "page N of M" screen needs. The expected orders come from an independent sort in JS
// over rows read by SQL (text is ranked by the database's own zh collation, as the list promises).

let app: TestApp;
let world: ListWorld;
let rows: WorldRow[];
let live: WorldRow[];
let collation: string;
let textRank: Map<string, number>;

beforeAll(async () => {
  app = await startTestApp();
  await setPoolRules(app, { noInteractionDays: NOINTERACTION_DAYS });
  world = await buildListWorld(app, 777);
  rows = await worldRows(world.db);
  live = rows.filter((r) => r.status !== 'ARCHIVED');
  const icu = await world.db.query(`SELECT 1 FROM pg_collation WHERE collname = 'zh-x-icu'`);
  collation = icu.rowCount ? 'zh-x-icu' : 'C';
  const texts = [...new Set(rows.flatMap((r) => [r.name, r.ownerName, r.industry, r.region, r.source]).filter((v): v is string => v !== null))];
  const ranked = await world.db.query<{ v: string }>(`SELECT v FROM unnest($1::text[]) v ORDER BY v COLLATE "${collation}"`, [texts]);
  textRank = new Map(ranked.rows.map((r, i) => [r.v, i]));
}, 120_000);
afterAll(async () => {
  await world?.close();
  await app?.close();
});

type Key = (r: WorldRow) => number | string | null;
const text = (pick: (r: WorldRow) => string | null): Key => (r) => {
  const v = pick(r);
  return v === null ? null : textRank.get(v)!;
};
const KEYS: Record<Exclude<CustomerOrderField, 'RELEVANCE'>, Key> = {
  NAME: text((r) => r.name),
  OWNER_NAME: text((r) => r.ownerName),
  STATUS: (r) => r.status,
  LEVEL: (r) => r.level,
  INDUSTRY: text((r) => r.industry),
  REGION: text((r) => r.region),
  SOURCE: text((r) => r.source),
  CREATED_AT: (r) => r.createdAt,
  UPDATED_AT: (r) => r.updatedAt,
  CLAIMED_AT: (r) => r.claimedAt,
  LAST_INTERACTION_AT: (r) => r.lastInteractionAt,
  NEXT_FOLLOW_UP_AT: (r) => r.nextFollowUpAt,
  RETURNS_TO_POOL_AT: (r) => r.returnsToPoolAt,
};
const FIELDS = Object.keys(KEYS) as (keyof typeof KEYS)[];

/** The independent sort: nulls last in both directions, then the id in the last key's direction. */
function expectedOrder(order: CustomerOrder[], among: WorldRow[] = live): string[] {
  const cmp = (a: number | string, b: number | string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...among]
    .sort((x, y) => {
      for (const o of order) {
        const key = KEYS[o.field as keyof typeof KEYS];
        const [a, b] = [key(x), key(y)];
        if (a === null && b === null) continue;
        if (a === null) return 1;
        if (b === null) return -1;
        const c = cmp(a, b) * (o.direction === 'DESC' ? -1 : 1);
        if (c !== 0) return c;
      }
      const byId = Number(x.internalId) - Number(y.internalId);
      return order.at(-1)!.direction === 'DESC' ? -byId : byId;
    })
    .map((r) => r.id);
}

describe('sorting by every column', () => {
  it('the world has nulls and ties in the sortable columns (so the order checks mean something)', () => {
    for (const field of FIELDS) {
      const values = live.map(KEYS[field]);
      const distinct = new Set(values.filter((v) => v !== null));
      expect(distinct.size, field).toBeGreaterThan(1);
      if (!['NAME', 'STATUS', 'CREATED_AT', 'UPDATED_AT'].includes(field)) expect(values, field).toContain(null);
      if (field !== 'NAME') expect(distinct.size, field).toBeLessThan(values.filter((v) => v !== null).length);
    }
  });

  for (const field of FIELDS) {
    for (const direction of ['ASC', 'DESC'] as const) {
      it(`${field} ${direction}: one page, and every page forwards and backwards`, async () => {
        const orderBy = [{ field, direction }];
        const expected = expectedOrder(orderBy);
        expect(await listIds(app.admin.client, { view: 'ALL', orderBy })).toEqual(expected);
        expect(await walk(app.admin.client, { view: 'ALL', orderBy }, 7, 'forward')).toEqual(expected);
        expect(await walk(app.admin.client, { view: 'ALL', orderBy }, 7, 'backward')).toEqual(expected);
      });
    }
  }

  it.each([
    [[{ field: 'LEVEL', direction: 'ASC' }, { field: 'CREATED_AT', direction: 'DESC' }]],
    [[{ field: 'STATUS', direction: 'DESC' }, { field: 'OWNER_NAME', direction: 'ASC' }, { field: 'NAME', direction: 'DESC' }]],
    [[{ field: 'REGION', direction: 'DESC' }, { field: 'LAST_INTERACTION_AT', direction: 'ASC' }]],
    [[{ field: 'INDUSTRY', direction: 'ASC' }, { field: 'SOURCE', direction: 'DESC' }, { field: 'NEXT_FOLLOW_UP_AT', direction: 'DESC' }]],
  ] as CustomerOrder[][][])('several keys: %j', async (orderBy) => {
    const expected = expectedOrder(orderBy);
    expect(await walk(app.admin.client, { view: 'ALL', orderBy }, 6, 'forward')).toEqual(expected);
    expect(await walk(app.admin.client, { view: 'ALL', orderBy }, 6, 'backward')).toEqual(expected);
  });

  it('sorts within a view and a filter too', async () => {
    const { manager, alice, bob } = world.team;
    const orderBy: CustomerOrder[] = [{ field: 'CLAIMED_AT', direction: 'DESC' }];
    const mine = rows.filter((r) => r.status === 'OWNED' && (r.ownerId === alice.id || r.ownerId === bob.id) && r.level !== null);
    const ids = await walk(manager.client, { view: 'SUBORDINATES', orderBy, filter: { level: { is: 'NOT_NULL' } } }, 3, 'forward');
    expect(ids).toEqual(expectedOrder(orderBy, mine));
  });

  it('names sort in pinyin order where the database has ICU (阿 北 广 杭 上 深)', async () => {
    const names = ['上海浦东新区贸易公司', '深圳华强电子有限公司', '阿里巴巴（中国）网络技术有限公司', '杭州西湖软件股份有限公司', '北京中关村科技发展有限公司', '广州天河物流有限公司'];
    const { customers } = await app.admin.client.CustomerList({ view: 'ALL', filter: { name: { in: names } }, orderBy: [{ field: 'NAME', direction: 'ASC' }] });
    const got = customers.edges.map((e) => e.node.name[0]);
    expect(got).toEqual(collation === 'zh-x-icu' ? ['阿', '北', '广', '杭', '上', '深'] : [...got].sort());
    expect(collation, 'the embedded PostgreSQL has ICU').toBe('zh-x-icu');
  });
});

describe('paging for "page N of M"', () => {
  const orderBy: CustomerOrder[] = [{ field: 'NAME', direction: 'ASC' }];
  const vars = { view: 'ALL' as const, orderBy };

  it('first, next, previous and last page with a constant totalCount', async () => {
    const all = expectedOrder(orderBy);
    const pages = Math.ceil(all.length / 10);
    expect(pages).toBeGreaterThanOrEqual(5);
    const page = (p: { edges: { node: { id: string } }[] }) => p.edges.map((e) => e.node.id);

    const first = (await app.admin.client.CustomerList({ ...vars, first: 10 })).customers;
    expect(page(first)).toEqual(all.slice(0, 10));
    expect(first.pageInfo).toMatchObject({ hasPreviousPage: false, hasNextPage: true });

    const second = (await app.admin.client.CustomerList({ ...vars, first: 10, after: first.pageInfo.endCursor })).customers;
    expect(page(second)).toEqual(all.slice(10, 20));
    expect(second.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: true });

    const back = (await app.admin.client.CustomerList({ ...vars, last: 10, before: second.pageInfo.startCursor })).customers;
    expect(page(back)).toEqual(all.slice(0, 10));
    expect(back.pageInfo).toMatchObject({ hasPreviousPage: false, hasNextPage: true });

    const last = (await app.admin.client.CustomerList({ ...vars, last: 10 })).customers;
    expect(page(last)).toEqual(all.slice(-10));
    expect(last.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: false });

    const beforeLast = (await app.admin.client.CustomerList({ ...vars, last: 10, before: last.pageInfo.startCursor })).customers;
    expect(page(beforeLast)).toEqual(all.slice(-20, -10));
    expect(beforeLast.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: true });

    for (const p of [first, second, back, last, beforeLast]) expect(p.totalCount).toBe(all.length);

    const everything = (await app.admin.client.CustomerList({ ...vars, last: 100 })).customers;
    expect(page(everything)).toEqual(all);
    expect(everything.pageInfo).toMatchObject({ hasPreviousPage: false, hasNextPage: false });
  });

  it('refuses invalid, foreign and mismatched cursors and page sizes with VALIDATION_FAILED', async () => {
    const c = app.admin.client;
    const { customers } = await c.CustomerList({ ...vars, first: 5 });
    const cursor = customers.pageInfo.endCursor!;
    const otherOrder = (await c.CustomerList({ view: 'ALL', first: 5, orderBy: [{ field: 'NAME', direction: 'DESC' }] })).customers.pageInfo.endCursor!;
    const otherView = (await world.team.alice.client.CustomerList({ view: 'MINE', first: 1, orderBy })).customers.pageInfo.endCursor!;
    const { customer } = await c.Customer({ id: live[0]!.id });
    const forge = (values: unknown[]) => Buffer.from(JSON.stringify(values)).toString('base64url');
    const forged = forge(['customers:ALL:NAME.ASC', 'x']);
    const byCreated: CustomerOrder[] = [{ field: 'CREATED_AT', direction: 'ASC' }];
    const refused: (() => Promise<unknown>)[] = [
      () => c.CustomerList({ ...vars, first: 5, after: 'not-a-cursor' }),
      () => c.CustomerList({ ...vars, first: 5, after: forged }),
      // well-formed, but with values that are not of the key's type
      () => c.CustomerList({ ...vars, first: 5, after: forge(['customers:ALL:NAME.ASC', 'a', 'abc']) }),
      () => c.CustomerList({ ...vars, first: 5, after: forge(['customers:ALL:NAME.ASC', 'a', '99999999999999999999']) }),
      () => c.CustomerList({ ...vars, first: 5, after: forge(['customers:ALL:NAME.ASC', 'a\u0000', '1']) }),
      () => c.CustomerList({ view: 'ALL', orderBy: byCreated, first: 5, after: forge(['customers:ALL:CREATED_AT.ASC', '2026-02-30 00:00:00+00', '1']) }),
      () => c.CustomerList({ view: 'ALL', orderBy: byCreated, first: 5, after: forge(['customers:ALL:CREATED_AT.ASC', 'soon', '1']) }),
      () => c.CustomerList({ ...vars, first: 5, after: otherOrder }),
      () => c.CustomerList({ ...vars, first: 5, after: otherView }),
      () => c.CustomerHistory({ id: customer!.id, first: 5, after: cursor }),
      () => c.CustomerList({ ...vars, last: 5, before: 'bm9wZQ' }),
      () => c.CustomerList({ ...vars, last: 5, after: cursor }),
      () => c.CustomerList({ ...vars, first: 5, before: cursor }),
      () => c.CustomerList({ ...vars, first: 5, last: 5 }),
      () => c.CustomerList({ ...vars, first: 0 }),
      () => c.CustomerList({ ...vars, first: 101 }),
      () => c.CustomerList({ ...vars, last: 101 }),
    ];
    for (const [i, call] of refused.entries()) expect(await topLevelCode(call()), `#${i}`).toBe('VALIDATION_FAILED');
  });

  it('cursors stay valid when rows are added or changed before them', async () => {
    const first = (await app.admin.client.CustomerList({ ...vars, first: 10 })).customers;
    const next = (await app.admin.client.CustomerList({ ...vars, first: 10, after: first.pageInfo.endCursor })).customers;
    // A new first row and a changed row on page one don't move what comes after the cursor.
    await app.admin.client.CustomerCreate({ input: { name: '阿阿阿新客户' } });
    const { customerUpdate } = await app.admin.client.CustomerUpdate({ input: { id: first.edges[0]!.node.id, name: '阿阿阿改名' } });
    expect(customerUpdate.userErrors).toEqual([]);
    const again = (await app.admin.client.CustomerList({ ...vars, first: 10, after: first.pageInfo.endCursor })).customers;
    expect(again.edges.map((e) => e.node.id)).toEqual(next.edges.map((e) => e.node.id));
    expect(again.totalCount).toBe(next.totalCount + 1);
  });
});
