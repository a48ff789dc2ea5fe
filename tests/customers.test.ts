import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerOrderField, OrderDirection } from '../sdk/index.js';
import { customerNameKey, phoneKey } from '../src/customers/name-key.js';
import { makeCustomer, makeUser, topLevelCode, unique } from './helpers/factories.js';
import { startTestApp, type TestApp, type TestUser } from './helpers/test-app.js';

let app: TestApp;
let sales: TestUser;
let other: TestUser;

beforeAll(async () => {
  app = await startTestApp();
  sales = await makeUser(app);
  other = await makeUser(app);
});
afterAll(() => app.close());

describe('name normalisation', () => {
  it.each([
    ['华为技术有限公司', '华为技术'],
    ['华为技术股份有限公司', '华为技术'],
    ['  华为 技术（有限公司）', '华为技术'],
    ['ＨＵＡＷＥＩ Technologies Co., Ltd.', 'huaweitechnologies'],
    ['Huawei Technologies Co Ltd', 'huaweitechnologies'],
    ['Acme, Inc.', 'acme'],
    ['有限公司', '有限公司'],
  ])('%s -> %s', (name, key) => {
    expect(customerNameKey(name)).toBe(key);
  });

  it('reduces phones to digits without a China prefix', () => {
    expect(phoneKey('+86 138-0013-8000')).toBe('13800138000');
    expect(phoneKey('0086 13800138000')).toBe('13800138000');
    expect(phoneKey('(010) 6552 1234')).toBe('01065521234');
    expect(phoneKey('x')).toBeNull();
  });
});

describe('create', () => {
  it('creates in the pool with every field, and writes a CREATE event', async () => {
    const name = unique('杭州云栖科技有限公司');
    const { customerCreate } = await sales.client.CustomerCreate({
      input: {
        name: `  ${name}  `,
        phone: '0571-8888 1234',
        email: 'info@yunqi.example.cn',
        address: '杭州市西湖区文三路 1 号',
        website: 'https://yunqi.example.cn',
        industry: '信息技术',
        level: 'A',
        source: '展会',
        region: '华东',
        notes: '重点客户',
      },
    });
    expect(customerCreate.userErrors).toEqual([]);
    const c = customerCreate.customer!;
    expect(c).toMatchObject({
      name,
      status: 'IN_POOL',
      owner: null,
      claimedAt: null,
      industry: '信息技术',
      level: 'A',
      createdBy: { id: sales.id },
      version: 1,
    });
    // the creator is SALES and the customer is in the pool: contact details are masked for them
    expect(c).toMatchObject({ masked: true, phone: '057*-**** ****', email: 'i***@yunqi.example.cn', address: '杭州市西湖区***' });
    const { customer } = await app.admin.client.Customer({ id: c.id });
    expect(customer).toMatchObject({ phone: '0571-8888 1234', email: 'info@yunqi.example.cn', masked: false });
    expect(customer!.history.nodes.map((e) => [e.action, e.actor?.id, e.toOwner])).toEqual([['CREATE', sales.id, null]]);
  });

  it('新建并领用: creates and claims in one step', async () => {
    const { customerCreate } = await sales.client.CustomerCreate({ input: { name: unique('领用'), claim: true } });
    expect(customerCreate.customer).toMatchObject({ status: 'OWNED', owner: { id: sales.id }, masked: false });
    expect(customerCreate.customer!.claimedAt).not.toBeNull();
    const { customer } = await sales.client.Customer({ id: customerCreate.customer!.id });
    expect(customer!.history.nodes[0]).toMatchObject({ action: 'CREATE', toOwner: { id: sales.id } });
  });

  it('refuses a live duplicate name after normalisation, naming its state and owner', async () => {
    const base = unique('深圳');
    await makeCustomer(app, { owner: other, name: `${base}贸易有限公司` });
    for (const name of [`${base}贸易股份有限公司`, ` ${base} 贸易 `, `${base}贸易（有限公司）`]) {
      const { customerCreate } = await sales.client.CustomerCreate({ input: { name } });
      expect(customerCreate.customer).toBeNull();
      expect(customerCreate.userErrors[0]).toMatchObject({ code: 'DUPLICATE_CUSTOMER', field: ['input', 'name'], ownerName: other.name });
      expect(customerCreate.userErrors[0]!.message).toContain(other.name);
    }
  });

  it('allows the name of an archived customer, and then refuses to restore the archived one', async () => {
    const name = unique('归档');
    const archived = await makeCustomer(app, { name, archived: true });
    const fresh = await makeCustomer(app, { name });
    expect(fresh.status).toBe('IN_POOL');
    const { customersRestore } = await app.admin.client.CustomersRestore({ input: { customerIds: [archived.id] } });
    expect(customersRestore.results[0]!.userErrors[0]!.code).toBe('DUPLICATE_CUSTOMER');
    expect((await app.admin.client.Customer({ id: archived.id })).customer!.status).toBe('ARCHIVED');
  });

  it('validates input and changes nothing', async () => {
    const before = (await app.admin.client.Customers({ view: 'ALL', first: 1 })).customers.totalCount;
    const bad = [
      { name: '   ', field: 'name' },
      { name: '（）!!!', field: 'name' },
      { name: 'x'.repeat(201), field: 'name' },
      { name: unique('ok'), email: 'not-an-email', field: 'email' },
      { name: unique('ok'), website: 'not a url', field: 'website' },
    ];
    for (const { field, ...input } of bad) {
      const { customerCreate } = await sales.client.CustomerCreate({ input });
      expect(customerCreate.customer).toBeNull();
      expect(customerCreate.userErrors[0]).toMatchObject({ code: 'VALIDATION_FAILED', field: ['input', field] });
    }
    expect((await app.admin.client.Customers({ view: 'ALL', first: 1 })).customers.totalCount).toBe(before);
  });
});

describe('update', () => {
  it('changes the given fields only, bumps the version and records the changed fields', async () => {
    const c = await makeCustomer(app, { owner: sales });
    const { customerUpdate } = await sales.client.CustomerUpdate({
      input: { id: c.id, expectedVersion: c.version, industry: '制造', level: 'B', notes: null },
    });
    expect(customerUpdate.userErrors).toEqual([]);
    expect(customerUpdate.customer).toMatchObject({ industry: '制造', level: 'B', phone: c.phone, version: c.version + 1 });
    const { customer } = await sales.client.Customer({ id: c.id });
    expect(customer!.history.nodes[0]).toMatchObject({ action: 'UPDATE', changedFields: ['industry', 'level'] });
  });

  it('refuses a stale expectedVersion and changes nothing', async () => {
    const c = await makeCustomer(app, { owner: sales });
    await sales.client.CustomerUpdate({ input: { id: c.id, notes: 'first' } });
    const { customerUpdate } = await sales.client.CustomerUpdate({ input: { id: c.id, expectedVersion: c.version, notes: 'second' } });
    expect(customerUpdate.userErrors[0]).toMatchObject({ code: 'STALE_VERSION', field: ['input', 'expectedVersion'] });
    expect((await sales.client.Customer({ id: c.id })).customer!.notes).toBe('first');
  });

  it('refuses a rename onto another live customer’s name', async () => {
    const taken = await makeCustomer(app, { owner: other });
    const c = await makeCustomer(app, { owner: sales });
    const { customerUpdate } = await sales.client.CustomerUpdate({ input: { id: c.id, name: `${taken.name}有限公司` } });
    expect(customerUpdate.userErrors[0]).toMatchObject({ code: 'DUPLICATE_CUSTOMER' });
    expect((await sales.client.Customer({ id: c.id })).customer!.name).toBe(c.name);
  });

  it('does not touch the version or history when nothing changes', async () => {
    const c = await makeCustomer(app, { owner: sales });
    const { customerUpdate } = await sales.client.CustomerUpdate({ input: { id: c.id, phone: c.phone } });
    expect(customerUpdate.customer!.version).toBe(c.version);
    expect((await sales.client.Customer({ id: c.id })).customer!.history.totalCount).toBe(1);
  });
});

describe('shares follow ownership', () => {
  it('are removed on return, reclaim, archive and assign, kept on assign with keepShares', async () => {
    const manager = await makeUser(app, { role: 'MANAGER' });
    const owner = await makeUser(app, { manager });
    const teammate = await makeUser(app, { manager });
    const sharee = await makeUser(app);
    const shares = async (id: string) => (await app.admin.client.Customer({ id })).customer!.sharedWith.map((u) => u.id);

    const returned = await makeCustomer(app, { owner, sharedWith: [sharee] });
    await owner.client.CustomersReturn({ input: { customerIds: [returned.id] } });
    expect(await shares(returned.id)).toEqual([]);

    const reclaimed = await makeCustomer(app, { owner, sharedWith: [sharee] });
    await manager.client.CustomersReclaim({ input: { customerIds: [reclaimed.id] } });
    expect(await shares(reclaimed.id)).toEqual([]);

    const assigned = await makeCustomer(app, { owner, sharedWith: [sharee] });
    await owner.client.CustomersAssign({ input: { customerIds: [assigned.id], assigneeId: teammate.id } });
    expect(await shares(assigned.id)).toEqual([]);

    const kept = await makeCustomer(app, { owner, sharedWith: [sharee, teammate] });
    await manager.client.CustomersAssign({ input: { customerIds: [kept.id], assigneeId: teammate.id, keepShares: true } });
    // the new owner is no longer a sharee of their own customer
    expect(await shares(kept.id)).toEqual([sharee.id]);
    expect((await sharee.client.Customer({ id: kept.id })).customer!.owner!.id).toBe(teammate.id);
  });

  it('records who shared with whom, and refuses sharing with the owner or a deactivated user', async () => {
    const owner = await makeUser(app);
    const gone = await makeUser(app, { deactivated: true });
    const c = await makeCustomer(app, { owner, sharedWith: [other] });
    const { customer } = await owner.client.Customer({ id: c.id });
    expect(customer!.history.nodes[0]).toMatchObject({ action: 'SHARE', users: [{ id: other.id }], actor: { id: owner.id } });
    const self = await owner.client.CustomersShare({ input: { customerIds: [c.id], userIds: [owner.id] } });
    expect(self.customersShare.results[0]!.userErrors[0]!.code).toBe('VALIDATION_FAILED');
    const deactivated = await owner.client.CustomersShare({ input: { customerIds: [c.id], userIds: [gone.id] } });
    expect(deactivated.customersShare.userErrors[0]!.code).toBe('VALIDATION_FAILED');
    const again = await owner.client.CustomersShare({ input: { customerIds: [c.id], userIds: [other.id] } });
    expect(again.customersShare.results[0]!.userErrors).toEqual([]);
    expect((await owner.client.Customer({ id: c.id })).customer!.history.totalCount).toBe(customer!.history.totalCount);
  });
});

describe('history', () => {
  it('lists every ownership change newest first, with from, to, actor and reason; pages with cursors', async () => {
    const manager = await makeUser(app, { role: 'MANAGER' });
    const owner = await makeUser(app, { manager });
    const c = await makeCustomer(app);
    await owner.client.CustomersClaim({ input: { customerIds: [c.id], reason: '意向强' } });
    await manager.client.CustomersReclaim({ input: { customerIds: [c.id], reason: '长期未跟进' } });
    await manager.client.CustomersAssign({ input: { customerIds: [c.id], assigneeId: owner.id, reason: '重新分配' } });
    await owner.client.CustomersReturn({ input: { customerIds: [c.id], reason: '无意向' } });
    const { customer } = await app.admin.client.CustomerHistory({ id: c.id, first: 10 });
    expect(customer!.history.nodes.map((e) => [e.action, e.fromOwner?.id ?? null, e.toOwner?.id ?? null, e.actor?.id, e.reason])).toEqual([
      ['RETURN', owner.id, null, owner.id, '无意向'],
      ['ASSIGN', null, owner.id, manager.id, '重新分配'],
      ['RECLAIM', owner.id, null, manager.id, '长期未跟进'],
      ['CLAIM', null, owner.id, owner.id, '意向强'],
      ['CREATE', null, null, app.admin.id, null],
    ]);
    const first = await app.admin.client.CustomerHistory({ id: c.id, first: 2 });
    const second = await app.admin.client.CustomerHistory({ id: c.id, first: 2, after: first.customer!.history.pageInfo.endCursor });
    expect(second.customer!.history.nodes.map((e) => e.action)).toEqual(['RECLAIM', 'CLAIM']);
    expect(second.customer!.history.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
    const last = await app.admin.client.CustomerHistory({ id: c.id, last: 2 });
    expect(last.customer!.history.nodes.map((e) => e.action)).toEqual(['CLAIM', 'CREATE']);
    expect(last.customer!.history.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
  });
});

describe('lists: paging and sorting', () => {
  let team: TestUser;
  beforeAll(async () => {
    team = await makeUser(app);
    // Names with ties on purpose: equal names can't exist, but equal claimed times and nulls can.
    for (let i = 0; i < 12; i++) await makeCustomer(app, { owner: team, name: unique(`排序${String.fromCharCode(65 + (i % 5))}`) });
  });

  async function walk(orderBy: { field: CustomerOrderField; direction: OrderDirection }[], pageSize: number) {
    const seen: string[] = [];
    let after: string | null | undefined;
    for (;;) {
      const { customers } = await team.client.Customers({ view: 'MINE', first: pageSize, after, orderBy });
      seen.push(...customers.edges.map((e) => e.node.id));
      if (!customers.pageInfo.hasNextPage) return seen;
      after = customers.pageInfo.endCursor;
    }
  }

  it.each(['NAME', 'CREATED_AT', 'UPDATED_AT', 'CLAIMED_AT'] as CustomerOrderField[])(
    'by %s, both directions: pages cover every row once, in order',
    async (field) => {
      const all = await walk([{ field, direction: 'ASC' }], 100);
      expect(all).toHaveLength(12);
      expect(await walk([{ field, direction: 'ASC' }], 5)).toEqual(all);
      const desc = await walk([{ field, direction: 'DESC' }], 100);
      expect(await walk([{ field, direction: 'DESC' }], 3)).toEqual(desc);
      expect(new Set(desc)).toEqual(new Set(all));
    },
  );

  it('sorts names in order, and pages backwards with last/before', async () => {
    const { customers } = await team.client.Customers({ view: 'MINE', first: 100, orderBy: [{ field: 'NAME', direction: 'ASC' }] });
    const names = customers.edges.map((e) => e.node.name);
    expect(names).toEqual([...names].sort());
    const lastPage = await team.client.Customers({ view: 'MINE', last: 5, orderBy: [{ field: 'NAME', direction: 'ASC' }] });
    expect(lastPage.customers.edges.map((e) => e.node.name)).toEqual(names.slice(-5));
    expect(lastPage.customers.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: false });
    const previous = await team.client.Customers({
      view: 'MINE',
      last: 5,
      before: lastPage.customers.pageInfo.startCursor,
      orderBy: [{ field: 'NAME', direction: 'ASC' }],
    });
    expect(previous.customers.edges.map((e) => e.node.name)).toEqual(names.slice(-10, -5));
    expect(previous.customers.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: true });
  });

  it('keeps nulls last in both directions (claimed time of pool customers)', async () => {
    const inPool = await makeCustomer(app);
    for (const direction of ['ASC', 'DESC'] as OrderDirection[]) {
      const { customers } = await app.admin.client.Customers({ view: 'ALL', first: 100, orderBy: [{ field: 'CLAIMED_AT', direction }] });
      const claimed = customers.edges.map((e) => e.node.claimedAt);
      const firstNull = claimed.indexOf(null);
      expect(firstNull).toBeGreaterThan(0);
      expect(claimed.slice(firstNull).every((v) => v === null)).toBe(true);
      expect(customers.edges.some((e) => e.node.id === inPool.id)).toBe(true);
    }
  });

  it('searches by name, including one and two Chinese characters', async () => {
    const c = await makeCustomer(app, { owner: team, name: unique('宁波港华物流') });
    for (const search of ['华', '港华', '宁波港华物流有限公司']) {
      const { customers } = await team.client.Customers({ view: 'MINE', search, first: 100 });
      expect(customers.edges.map((e) => e.node.id)).toContain(c.id);
    }
    const { customers } = await team.client.Customers({ view: 'MINE', search: '%', first: 100 });
    expect(customers.totalCount).toBe(0);
  });
});

describe('duplicate check (同名检查)', () => {
  it('finds by normalised name and by phone, says whether the viewer may claim, and needs some input', async () => {
    const name = unique('苏州');
    const pooled = await makeCustomer(app, { name: `${name}电子有限公司`, phone: '+86 139-1111-2222' });
    const byName = await sales.client.CustomerDuplicates({ name: `${name}电子` });
    expect(byName.customerDuplicates).toEqual([
      { name: pooled.name, status: 'IN_POOL', ownerName: null, canClaim: true, matchedOn: ['NAME'], customer: { id: pooled.id, name: pooled.name } },
    ]);
    const byPhone = await sales.client.CustomerDuplicates({ phone: '13911112222' });
    expect(byPhone.customerDuplicates.map((d) => [d.name, d.matchedOn])).toEqual([[pooled.name, ['PHONE']]]);
    const { errors } = await sales.client.graphql.rawRequest('{ customerDuplicates { name } }').catch((e) => e.response);
    expect(errors[0].extensions.code).toBe('VALIDATION_FAILED');
  });
});

describe('history per user', () => {
  it('lists what a user did and gained or lost, for the user, their managers and admins only', async () => {
    const manager = await makeUser(app, { role: 'MANAGER' });
    const worker = await makeUser(app, { manager });
    const peer = await makeUser(app);
    const claimed = await makeCustomer(app);
    await worker.client.CustomersClaim({ input: { customerIds: [claimed.id] } });
    const given = await makeCustomer(app, { owner: worker });
    await worker.client.CustomersAssign({ input: { customerIds: [given.id], assigneeId: peer.id } });
    const { userHistory } = await worker.client.UserHistory({ userId: worker.id, first: 10 });
    // The assigned customer went to a colleague outside the worker's sight: its events stay in the
    // worker's history, the customer itself shows as null.
    expect(userHistory.nodes.map((e) => [e.action, e.customer?.id ?? null])).toEqual([
      ['ASSIGN', null],
      ['CREATE', null],
      ['CLAIM', claimed.id],
    ]);
    expect((await manager.client.UserHistory({ userId: worker.id })).userHistory.totalCount).toBe(3);
    expect((await app.admin.client.UserHistory({ userId: worker.id })).userHistory.totalCount).toBe(3);
    expect(await topLevelCode(peer.client.UserHistory({ userId: worker.id }))).toBe('FORBIDDEN');
  });
});
