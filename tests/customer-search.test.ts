import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerView } from '../sdk/index.js';
import { makeUser, topLevelCode, unique } from './helpers/factories.js';
import { walk } from './helpers/list-world.js';
import { startTestApp, type TestApp, type TestUser } from './helpers/test-app.js';

// 搜索: one text box over customer names and phones and contacts' names and phones. Chinese
// keywords of one and two characters, mixed and full-width text, company suffixes, phones in any
// format, no accidental match-all, relevance ranking, and the view always applies.

let app: TestApp;
let manager: TestUser;
let alice: TestUser; // SALES under manager: the general set
let ranker: TestUser; // SALES: the ranking sets, alone in their MINE view
let carol: TestUser; // SALES elsewhere
const ids = new Map<string, string>(); // name -> global id

async function customer(owner: TestUser | undefined, name: string, fields: { phone?: string; level?: 'A' | 'B' } = {}): Promise<string> {
  const creator = owner ?? app.admin;
  const { customerCreate } = await creator.client.CustomerCreate({ input: { name, claim: !!owner, ...fields } });
  expect(customerCreate.userErrors).toEqual([]);
  ids.set(name, customerCreate.customer!.id);
  return customerCreate.customer!.id;
}

async function contact(customerId: string, name: string, mobile?: string, deleted = false): Promise<void> {
  const { contactCreate } = await app.admin.client.ContactCreate({ input: { customerId, name, mobile } });
  expect(contactCreate.userErrors).toEqual([]);
  if (deleted) await app.admin.client.ContactDelete({ input: { id: contactCreate.contact!.id } });
}

beforeAll(async () => {
  app = await startTestApp();
  manager = await makeUser(app, { role: 'MANAGER' });
  alice = await makeUser(app, { manager });
  ranker = await makeUser(app);
  carol = await makeUser(app);

  await customer(alice, '华为技术有限公司', { phone: '13800138000', level: 'A' });
  await customer(alice, '深圳华强电子有限公司', { level: 'B' });
  await customer(alice, '北京科技发展有限公司');
  await customer(alice, '科技园物业');
  await customer(alice, '华为 Technologies（中国）', { level: 'A' });
  await customer(alice, 'ＡＢＣ科技');
  await customer(alice, 'Acme Trading Co., Ltd.');
  await customer(alice, '100% Pure 纯净水');
  await customer(alice, 'a_b 贸易商行');
  await customer(alice, 'Zeta Corp');
  await customer(alice, '上海浦东贸易', { phone: '+86 139-1234-5678' });
  await customer(alice, '杭州西湖软件', { phone: '(010) 6552-1234' });
  const tianhe = await customer(alice, '广州天河物流');
  await contact(tianhe, '张三丰', '137 0000 1111');
  await contact(tianhe, '李秘书', '15000009999', true);

  // Ranking: for 华信, exact > starts with (shorter first) > contains (earlier, then shorter) > contact.
  for (const name of ['北京华信电子', '华信科技发展', '中华信达', '华信', '深圳华信', '华信科技']) await customer(ranker, name);
  await contact(await customer(ranker, '远洋贸易'), '华信');
  // ... and for digits: name > phone > contact.
  await customer(ranker, '仓储8000');
  await customer(ranker, '8000号仓库');
  await customer(ranker, '某某物流', { phone: '138-0013-8000' });
  await contact(await customer(ranker, '某某商贸'), '王经理', '139 0000 8000');

  // Pool customers: their phones are masked for SALES users.
  await customer(undefined, '宁波港华物流有限公司', { phone: '136 1234 5678' });
  await contact(await customer(undefined, '温州鞋业'), '赵六', '135 9876 5432');
}, 120_000);
afterAll(() => app.close());

async function search(user: TestUser, text: string, view: CustomerView = 'MINE', filter?: object): Promise<string[]> {
  const { customers } = await user.client.CustomerList({ view, search: text, filter, first: 100 });
  return customers.edges.map((e) => e.node.name);
}
const sortedNames = (names: string[]) => [...names].sort();

describe('Chinese keywords', () => {
  it('one character (华) finds every name with it, ranked', async () => {
    expect(await search(alice, '华')).toEqual(['华为技术有限公司', '华为 Technologies（中国）', '深圳华强电子有限公司']);
  });

  it('two characters (科技) find every name with them, ranked', async () => {
    expect(await search(alice, '科技')).toEqual(['科技园物业', '北京科技发展有限公司', 'ＡＢＣ科技']);
  });

  it('mixed Chinese and Latin text, spaces and full-width letters', async () => {
    for (const q of ['华为 Technologies', '华为technologies', '华为 TECHNOLOGIES（中国）', '为Tech']) {
      expect(await search(alice, q), q).toEqual(['华为 Technologies（中国）']);
    }
    for (const q of ['abc', 'ABC科技', 'ａｂｃ', 'ＡＢＣ 科技']) expect(await search(alice, q), q).toEqual(['ＡＢＣ科技']);
    expect(await search(alice, 'ＡＣＭＥ')).toEqual(['Acme Trading Co., Ltd.']);
  });

  it('a query with a company suffix finds the company without it', async () => {
    expect(await search(alice, '华为技术股份有限公司')).toEqual(['华为技术有限公司']);
    expect(await search(alice, '科技园物业有限公司')).toEqual(['科技园物业']);
    expect(await search(alice, '北京科技发展')).toEqual(['北京科技发展有限公司']);
    expect(await search(alice, 'Acme Trading Inc.')).toEqual(['Acme Trading Co., Ltd.']);
  });

  it('Latin names ignore case', async () => {
    for (const q of ['acme', 'ACME TRADING', 'trading co', 'zeta']) {
      expect((await search(alice, q)).length, q).toBe(1);
    }
  });
});

describe('phones and contacts', () => {
  it('phone digits in any format find the customer', async () => {
    for (const q of ['13800138000', '138-0013-8000', '+86 138 0013 8000', '138 0013', '(138) 0013-8000']) {
      expect(await search(alice, q), q).toEqual(['华为技术有限公司']);
    }
    for (const q of ['0086 139 1234 5678', '13912345678', '1234-5678']) expect(await search(alice, q), q).toEqual(['上海浦东贸易']);
    expect(await search(alice, '6552-1234')).toEqual(['杭州西湖软件']);
    expect(await search(alice, '010 6552')).toEqual(['杭州西湖软件']);
  });

  it('contact names and contact phones find the customer; deleted contacts never do', async () => {
    for (const q of ['张三丰', '张三', '137-0000-1111', '+86 13700001111']) expect(await search(alice, q), q).toEqual(['广州天河物流']);
    for (const q of ['李秘书', '15000009999', '150 0000 9999']) expect(await search(alice, q), q).toEqual([]);
  });
});

describe('nothing matches everything by accident', () => {
  it('punctuation-only and wildcard queries match nothing', async () => {
    for (const q of ['%', '_', '%%', '___', '--', '（）', '!!!', '。', '*', '.', '\\', "'"]) {
      expect(await search(alice, q), JSON.stringify(q)).toEqual([]);
    }
  });

  it('% and _ inside a query are ordinary characters (then ignored like all punctuation)', async () => {
    expect(await search(alice, '100%')).toEqual(['100% Pure 纯净水']);
    // "a_b" reads as "ab" (punctuation is ignored in names), so it is not a wildcard for "a?b".
    expect(sortedNames(await search(alice, 'a_b'))).toEqual(sortedNames(['a_b 贸易商行', 'ＡＢＣ科技']));
    expect(await search(alice, 'a%e')).toEqual([]);
  });

  it('a blank search is no search', async () => {
    const { customers: all } = await alice.client.CustomerList({ view: 'MINE', first: 100 });
    const { customers: blank } = await alice.client.CustomerList({ view: 'MINE', first: 100, search: '   ' });
    expect(blank.edges.map((e) => e.node.id)).toEqual(all.edges.map((e) => e.node.id));
    expect(all.totalCount).toBe(13);
  });
});

describe('ranking', () => {
  it('exact name > starts with (shorter first) > contains (earlier first, then shorter) > contact', async () => {
    expect(await search(ranker, '华信')).toEqual(['华信', '华信科技', '华信科技发展', '中华信达', '深圳华信', '北京华信电子', '远洋贸易']);
  });

  it('digits: name > phone > contact phone', async () => {
    expect(await search(ranker, '8000')).toEqual(['8000号仓库', '仓储8000', '某某物流', '某某商贸']);
  });

  it('pages through ranked results with cursors, both ways, with the total count', async () => {
    const full = await search(ranker, '华信');
    const forward = await walk(ranker.client, { view: 'MINE', search: '华信' }, 3, 'forward');
    const backward = await walk(ranker.client, { view: 'MINE', search: '华信' }, 2, 'backward');
    const name = new Map([...ids].map(([n, id]) => [id, n]));
    expect(forward.map((id) => name.get(id))).toEqual(full);
    expect(backward.map((id) => name.get(id))).toEqual(full);
  });

  it('counts every match on the first page, on later pages and when nothing matches', async () => {
    const full = await search(ranker, '华信');
    const first = await ranker.client.CustomerList({ view: 'MINE', search: '华信', first: 2 });
    expect(first.customers.totalCount).toBe(full.length);
    const later = await ranker.client.CustomerList({ view: 'MINE', search: '华信', first: 2, after: first.customers.pageInfo.endCursor });
    expect(later.customers.totalCount).toBe(full.length);
    const none = await ranker.client.CustomerList({ view: 'MINE', search: '无此客户名称', first: 2 });
    expect(none.customers).toMatchObject({ totalCount: 0, edges: [] });
  });

  it('an explicit order replaces relevance; RELEVANCE needs a search', async () => {
    const { customers } = await ranker.client.CustomerList({ view: 'MINE', search: '华信', orderBy: [{ field: 'NAME', direction: 'DESC' }], first: 100 });
    const names = customers.edges.map((e) => e.node.name);
    expect(sortedNames(names)).toEqual(sortedNames(await search(ranker, '华信')));
    expect(names).not.toEqual(await search(ranker, '华信'));
    const code = await topLevelCode(ranker.client.CustomerList({ view: 'MINE', orderBy: [{ field: 'RELEVANCE', direction: 'DESC' }] }));
    expect(code).toBe('VALIDATION_FAILED');
  });
});

describe('search within the view and the filter', () => {
  it('combines with a filter', async () => {
    expect(await search(alice, '华', 'MINE', { level: { eq: 'A' } })).toEqual(['华为技术有限公司', '华为 Technologies（中国）']);
    expect(await search(alice, '华', 'MINE', { not: { level: { eq: 'A' } } })).toEqual(['深圳华强电子有限公司']);
  });

  it('never finds what the view hides', async () => {
    expect(await search(carol, '华为')).toEqual([]);
    expect(await search(carol, '13800138000')).toEqual([]);
    expect(await search(alice, '华信')).toEqual([]);
    expect(await search(manager, '华为', 'SUBORDINATES')).toEqual(['华为技术有限公司', '华为 Technologies（中国）']);
    expect(await search(alice, '华', 'POOL')).toEqual(['宁波港华物流有限公司']);
  });

  it('a SALES user cannot find pool customers by their masked phones; a MANAGER can', async () => {
    for (const q of ['13612345678', '136-1234-5678']) {
      expect(await search(alice, q, 'POOL'), q).toEqual([]);
      expect(await search(manager, q, 'POOL'), q).toEqual(['宁波港华物流有限公司']);
    }
    expect(await search(alice, '135 9876 5432', 'POOL')).toEqual([]);
    expect(await search(manager, '135 9876 5432', 'POOL')).toEqual(['温州鞋业']);
    // Contact names are not masked.
    expect(await search(alice, '赵六', 'POOL')).toEqual(['温州鞋业']);
    const { customers } = await alice.client.CustomerList({ view: 'POOL', search: '港华', first: 10 });
    expect(customers.edges[0]!.node).toMatchObject({ masked: true });
    expect(customers.edges[0]!.node.phone).not.toContain('1234');
  });

  it('archived customers are found only in the ARCHIVED view', async () => {
    const name = unique('华夏归档');
    const id = await customer(undefined, name);
    await app.admin.client.CustomersArchive({ input: { customerIds: [id] } });
    expect(await search(app.admin, name, 'ALL')).toEqual([]);
    expect(await search(app.admin, name, 'ARCHIVED')).toEqual([name]);
    expect(await search(app.admin, `${name}股份有限公司`, 'ARCHIVED')).toEqual([name]);
  });
});
