import pg from 'pg';
import { expect } from 'vitest';
import type { CrmClient, CustomerListQuery, CustomerListQueryVariables, CustomerLevel } from '../../sdk/index.js';
import { fromGlobalId, toGlobalId } from '../../src/common/ids.js';
import { random } from '../../src/db/seed/random.js';
import { makeUser, unique } from './factories.js';
import type { TestApp, TestUser } from './test-app.js';

// A world of ~60 customers for the list tests (filters, sorting, paging): varied fields with
// nulls, owners across a small team, shares, contacts (some deleted), and timestamps set by SQL
// from a small pool of instants so that ties are common. Built through the API, except the
// timestamps, which no mutation sets.

export const NOINTERACTION_DAYS = 30;
const DAY = 86_400_000;

const NAMED = [
  '华为技术有限公司',
  '深圳华强电子有限公司',
  '北京中关村科技发展有限公司',
  '阿里巴巴（中国）网络技术有限公司',
  '上海浦东新区贸易公司',
  '广州天河物流有限公司',
  '杭州西湖软件股份有限公司',
  '中华商务中心',
  '科技园物业管理处',
  '宁波港华物流有限公司',
  'Acme Technologies',
  'ACME Trading Co., Ltd.',
  'acme labs',
  'Beta GmbH',
  '华为 Technologies（中国）',
  'Ｆｕｌｌ Ｗｉｄｔｈ 科技',
  '100% Pure 纯净水',
  'a_b 贸易商行',
  'Zeta_Corp',
  '长沙湘江科技有限公司',
  '重庆山城火锅连锁',
  '厦门鹭岛旅游',
  '成都天府软件园',
  '西安古城文化传媒',
  '武汉光谷生物',
  '苏州园林设计院',
  '南京金陵制药',
  '天津港物流集团',
  '青岛啤酒经销部',
  '大连海洋渔业',
];
const CITIES = ['北京', '上海', '深圳', '广州', '杭州', '合肥', '济南', '福州'];
const BRANDS = ['华信', '恒通', '宏远', '金诚', '博源', '鼎盛', '瑞丰', '天成', '嘉禾', '永泰', '中联', '海川'];
const WORDS = ['科技', '软件', '电子', '贸易', '物流', '医药', '食品'];

export const PHONES = [null, '13800138000', '138-0013-8000', '+86 139 1234 5678', '(010) 6552-1234', '0755 8888 1234', '15012345678', null];
export const INDUSTRIES = [null, '科技', '软件', 'IT Services', 'it services', '物流', '信息技术'];
export const SOURCES = [null, '展会', '官网咨询', '客户转介绍', 'Web', 'web form'];
export const REGIONS = [null, '华东', '华南', '华北', 'Overseas', '华东地区'];
export const LEVELS: (CustomerLevel | null)[] = [null, 'A', 'B', 'C', 'D'];
export const CONTACT_NAMES = ['张三', '李四', '王五', '赵六', '华小明', 'Tom Lee', 'tom lee jr', '陈科技', '张三丰'];
export const MOBILES = [null, '13800138000', '139-1234-5678', '+86 137 0000 1111', '15000001234'];
export const CONTACT_PHONES = [null, null, '010-6552-1234', '(0755) 8888 1234'];

export interface Team {
  director: TestUser;
  manager: TestUser; // under director
  alice: TestUser; // SALES under manager
  bob: TestUser; // SALES under manager
  otherManager: TestUser;
  carol: TestUser; // SALES under otherManager
}

export interface ListWorld {
  app: TestApp;
  db: pg.Client;
  team: Team;
  /** Global ids of every customer made, archived ones included. */
  customerIds: string[];
  /** The instants timestamps were drawn from (ties are common). */
  instants: number[];
  close(): Promise<void>;
}

/** One customer as the oracles see it: read straight from the tables. */
export interface WorldRow {
  id: string;
  internalId: string;
  name: string;
  status: 'IN_POOL' | 'OWNED' | 'ARCHIVED';
  ownerId: string | null;
  ownerName: string | null;
  createdById: string;
  phone: string | null;
  industry: string | null;
  level: string | null;
  source: string | null;
  region: string | null;
  createdAt: number;
  updatedAt: number;
  claimedAt: number | null;
  lastInteractionAt: number | null;
  nextFollowUpAt: number | null;
  /** With the NO_INTERACTION rule of NOINTERACTION_DAYS on (the world has no contracts). */
  returnsToPoolAt: number | null;
  shares: string[];
  contacts: { name: string; mobile: string | null; phone: string | null }[];
}

async function makeTeam(app: TestApp): Promise<Team> {
  const director = await makeUser(app, { role: 'MANAGER', name: unique('周建国') });
  const manager = await makeUser(app, { role: 'MANAGER', manager: director, name: unique('张伟') });
  const alice = await makeUser(app, { manager, name: unique('王芳') });
  const bob = await makeUser(app, { manager, name: unique('Bob') });
  const otherManager = await makeUser(app, { role: 'MANAGER', name: unique('李娜') });
  const carol = await makeUser(app, { manager: otherManager, name: unique('陈静') });
  return { director, manager, alice, bob, otherManager, carol };
}

function names(count: number, seed: number): string[] {
  const rnd = random(seed);
  const result = [...NAMED];
  const seen = new Set(result);
  while (result.length < count) {
    const name = `${rnd.pick(CITIES)}${rnd.pick(BRANDS)}${rnd.pick(WORDS)}有限公司`;
    if (seen.has(name)) continue;
    seen.add(name);
    result.push(name);
  }
  return result;
}

/** Builds the world in a fresh test app (its database is the test file's own). */
export async function buildListWorld(app: TestApp, seed = 4242, count = 60): Promise<ListWorld> {
  const rnd = random(seed);
  const team = await makeTeam(app);
  const owners: (TestUser | undefined)[] = [undefined, undefined, team.alice, team.alice, team.bob, team.carol, team.manager, team.otherManager];
  const customerIds: string[] = [];
  const byOwner = new Map<TestUser, string[]>();
  for (const name of names(count, seed)) {
    const owner = rnd.pick(owners);
    const creator = owner ?? rnd.pick([app.admin, team.alice, team.manager]);
    const { customerCreate } = await creator.client.CustomerCreate({
      input: {
        name,
        phone: rnd.pick(PHONES),
        industry: rnd.pick(INDUSTRIES),
        level: rnd.pick(LEVELS),
        source: rnd.pick(SOURCES),
        region: rnd.pick(REGIONS),
        claim: !!owner,
      },
    });
    expect(customerCreate.userErrors).toEqual([]);
    const id = customerCreate.customer!.id;
    customerIds.push(id);
    if (owner) byOwner.set(owner, [...(byOwner.get(owner) ?? []), id]);
  }
  // Shares: some of alice's with bob and carol, some of bob's with alice.
  const share = async (owner: TestUser, ids: string[], users: TestUser[]) => {
    const { customersShare } = await owner.client.CustomersShare({ input: { customerIds: ids, userIds: users.map((u) => u.id) } });
    for (const r of customersShare.results) expect(r.userErrors).toEqual([]);
  };
  const aliceOwn = byOwner.get(team.alice) ?? [];
  const bobOwn = byOwner.get(team.bob) ?? [];
  await share(team.alice, aliceOwn.slice(0, 3), [team.bob]);
  await share(team.alice, aliceOwn.slice(2, 5), [team.carol]);
  await share(team.bob, bobOwn.slice(0, 2), [team.alice]);
  // Two archived customers (admins only; never in ALL).
  for (const name of ['华夏归档贸易公司', 'Archived Acme']) {
    const { customerCreate } = await app.admin.client.CustomerCreate({ input: { name, phone: '13800138000', industry: '科技' } });
    const id = customerCreate.customer!.id;
    const { customersArchive } = await app.admin.client.CustomersArchive({ input: { customerIds: [id] } });
    expect(customersArchive.results[0]!.userErrors).toEqual([]);
    customerIds.push(id);
  }
  // Contacts on about half of the customers; a few are deleted again (they must never match).
  for (let i = 0; i < 45; i++) {
    const customerId = rnd.pick(customerIds.slice(0, count));
    const { contactCreate } = await app.admin.client.ContactCreate({
      input: { customerId, name: rnd.pick(CONTACT_NAMES), mobile: rnd.pick(MOBILES), phone: rnd.pick(CONTACT_PHONES) },
    });
    expect(contactCreate.userErrors).toEqual([]);
    if (i % 9 === 4) {
      const { contactDelete } = await app.admin.client.ContactDelete({ input: { id: contactCreate.contact!.id } });
      expect(contactDelete.userErrors).toEqual([]);
    }
  }

  // Timestamps from a pool of instants (millisecond precision, as a client can name them).
  const instants = Array.from({ length: 14 }, (_, i) => Date.UTC(2026, 0, 1) + i * 3 * DAY + rnd.int(0, DAY - 1));
  const db = new pg.Client({ connectionString: app.databaseUrl });
  await db.connect();
  const { rows } = await db.query<{ id: string; owner_id: string | null }>('SELECT id::text, owner_id::text FROM customer ORDER BY id');
  for (const row of rows) {
    const at = () => new Date(rnd.pick(instants)).toISOString();
    const maybe = (p: number, shift = 0) => (rnd.chance(p) ? new Date(rnd.pick(instants) + shift).toISOString() : null);
    await db.query(
      `UPDATE customer SET created_at = $2, updated_at = $3, claimed_at = CASE WHEN owner_id IS NULL THEN NULL ELSE $4::timestamptz END,
         last_interaction_at = $5, next_follow_up_at = $6 WHERE id = $1`,
      [row.id, at(), at(), at(), maybe(0.7), maybe(0.6, 40 * DAY)],
    );
  }
  return { app, db, team, customerIds, instants, close: () => db.end() };
}

const ms = (d: Date | null): number | null => (d === null ? null : d.getTime());

/** Every customer straight from the tables, for the oracles. */
export async function worldRows(db: pg.Client): Promise<WorldRow[]> {
  const { rows } = await db.query(`
    SELECT c.id::text, c.name, c.status, c.owner_id::text, u.name AS owner_name, c.created_by_id::text, c.phone, c.industry,
           c.level, c.source, c.region, c.created_at, c.updated_at, c.claimed_at, c.last_interaction_at, c.next_follow_up_at,
           array(SELECT s.user_id::text FROM customer_share s WHERE s.customer_id = c.id) AS shares,
           coalesce((SELECT json_agg(json_build_object('name', ct.name, 'mobile', ct.mobile, 'phone', ct.phone))
                     FROM contact ct WHERE ct.customer_id = c.id AND ct.deleted_at IS NULL), '[]') AS contacts
    FROM customer c LEFT JOIN app_user u ON u.id = c.owner_id ORDER BY c.id`);
  return rows.map((r) => {
    const claimedAt = ms(r.claimed_at);
    const lastInteractionAt = ms(r.last_interaction_at);
    const from = Math.max(claimedAt ?? -Infinity, lastInteractionAt ?? -Infinity);
    return {
      id: toGlobalId('Customer', r.id),
      internalId: r.id,
      name: r.name,
      status: r.status,
      ownerId: r.owner_id && toGlobalId('User', r.owner_id),
      ownerName: r.owner_name,
      createdById: toGlobalId('User', r.created_by_id),
      phone: r.phone,
      industry: r.industry,
      level: r.level,
      source: r.source,
      region: r.region,
      createdAt: ms(r.created_at)!,
      updatedAt: ms(r.updated_at)!,
      claimedAt,
      lastInteractionAt,
      nextFollowUpAt: ms(r.next_follow_up_at),
      returnsToPoolAt: r.status === 'OWNED' && Number.isFinite(from) ? from + NOINTERACTION_DAYS * DAY : null,
      shares: (r.shares as string[]).map((id) => toGlobalId('User', id)),
      contacts: r.contacts,
    };
  });
}

export const internal = (globalId: string, type: 'User' | 'Customer' = 'User'): string => fromGlobalId(type, globalId)!;

export type ListVars = Omit<CustomerListQueryVariables, 'first' | 'after' | 'last' | 'before'>;
type ListPage = CustomerListQuery['customers'];

/** All ids of a list in one request (the world is smaller than a page of 100). */
export async function listIds(client: CrmClient, vars: ListVars): Promise<string[]> {
  const { customers } = await client.CustomerList({ ...vars, first: 100 });
  expect(customers.pageInfo.hasNextPage).toBe(false);
  return customers.edges.map((e) => e.node.id);
}

/**
 * Walks a list page by page, forwards (first/after) or backwards (last/before), checking at each
 * step that pageInfo and totalCount are right; returns the ids in list order.
 */
export async function walk(client: CrmClient, vars: ListVars, size: number, direction: 'forward' | 'backward'): Promise<string[]> {
  const pages: ListPage[] = [];
  let cursor: string | null | undefined;
  for (let guard = 0; guard < 100; guard++) {
    const { customers } =
      direction === 'forward'
        ? await client.CustomerList({ ...vars, first: size, after: cursor })
        : await client.CustomerList({ ...vars, last: size, before: cursor });
    pages.push(customers);
    const more = direction === 'forward' ? customers.pageInfo.hasNextPage : customers.pageInfo.hasPreviousPage;
    if (!more) break;
    cursor = direction === 'forward' ? customers.pageInfo.endCursor : customers.pageInfo.startCursor;
  }
  const total = pages[0]!.totalCount;
  const ordered = direction === 'forward' ? pages : [...pages].reverse();
  // Only the page at the far end of the walk may be short.
  const short = direction === 'forward' ? ordered.length - 1 : 0;
  ordered.forEach((page, i) => {
    expect(page.totalCount).toBe(total);
    expect(page.edges.length).toBeGreaterThan(0);
    if (i !== short) expect(page.edges.length).toBe(size);
    expect(page.pageInfo.hasPreviousPage).toBe(i > 0);
    expect(page.pageInfo.hasNextPage).toBe(i < ordered.length - 1);
    expect(page.pageInfo.startCursor).toBe(page.edges[0]!.cursor);
    expect(page.pageInfo.endCursor).toBe(page.edges.at(-1)!.cursor);
  });
  const ids = ordered.flatMap((p) => p.edges.map((e) => e.node.id));
  expect(ids.length).toBe(total);
  return ids;
}
