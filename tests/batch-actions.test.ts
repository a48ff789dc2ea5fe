import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromGlobalId } from '../src/common/ids.js';
import { makeCustomer, makeUser, topLevelCode, unique, type TestCustomer } from './helpers/factories.js';
import { startTestApp, type TestApp, type TestUser } from './helpers/test-app.js';

// Batch actions: batch edit of simple fields, batch delete of contacts, and "select all matching"
// (a filter instead of ids, at most 1,000) for return, assign, reclaim and share.

let app: TestApp;
let manager: TestUser;
let owner: TestUser;
let teammate: TestUser;
let sharee: TestUser;
let stranger: TestUser;

beforeAll(async () => {
  app = await startTestApp();
  manager = await makeUser(app, { role: 'MANAGER' });
  owner = await makeUser(app, { manager });
  teammate = await makeUser(app, { manager });
  sharee = await makeUser(app);
  stranger = await makeUser(app);
});
afterAll(() => app.close());

const codes = (results: { userErrors: { code: string }[] }[]) => results.map((r) => r.userErrors[0]?.code ?? 'OK');

describe('batch edit (customersUpdate)', () => {
  it('sets the given fields on each customer the viewer may edit, one result per id, history per customer', async () => {
    const mine = [await makeCustomer(app, { owner }), await makeCustomer(app, { owner })];
    const shared = await makeCustomer(app, { owner: stranger, sharedWith: [owner] });
    const hidden = await makeCustomer(app, { owner: stranger });
    const { customersUpdate } = await owner.client.CustomersUpdate({
      input: { customerIds: [mine[0]!.id, shared.id, hidden.id, mine[1]!.id], set: { level: 'A', industry: '制造业', region: null } },
    });
    expect(codes(customersUpdate.results)).toEqual(['OK', 'FORBIDDEN', 'NOT_FOUND', 'OK']);
    for (const c of mine) {
      const { customer } = await owner.client.Customer({ id: c.id });
      expect(customer).toMatchObject({ level: 'A', industry: '制造业', region: null, version: c.version + 1 });
      expect(customer!.history.nodes[0]).toMatchObject({ action: 'UPDATE', changedFields: ['industry', 'level'] });
    }
    const { customer: untouched } = await app.admin.client.Customer({ id: shared.id });
    expect(untouched).toMatchObject({ level: null, version: shared.version });
  });

  it('needs a field to set and 1 to 100 ids', async () => {
    const c = await makeCustomer(app, { owner });
    expect((await owner.client.CustomersUpdate({ input: { customerIds: [c.id], set: {} } })).customersUpdate.userErrors[0]!.code).toBe(
      'VALIDATION_FAILED',
    );
    const tooMany = Array.from({ length: 101 }, () => c.id);
    expect((await owner.client.CustomersUpdate({ input: { customerIds: tooMany, set: { level: 'B' } } })).customersUpdate.userErrors[0]!.code).toBe(
      'VALIDATION_FAILED',
    );
  });
});

describe('batch delete of contacts (contactsDelete)', () => {
  it('deletes what the viewer may edit and refuses the rest, each on its own', async () => {
    const c = await makeCustomer(app, { owner, sharedWith: [sharee] });
    const other = await makeCustomer(app, { owner: stranger });
    const ids = [];
    for (const name of ['甲', '乙']) {
      ids.push((await owner.client.ContactCreate({ input: { customerId: c.id, name } })).contactCreate.contact!.id);
    }
    const foreign = (await stranger.client.ContactCreate({ input: { customerId: other.id, name: '丙' } })).contactCreate.contact!.id;
    const asSharee = await sharee.client.ContactsDelete({ input: { contactIds: [ids[0]!] } });
    expect(codes(asSharee.contactsDelete.results)).toEqual(['FORBIDDEN']);
    const { contactsDelete } = await owner.client.ContactsDelete({ input: { contactIds: [ids[0]!, foreign, ids[1]!] } });
    expect(contactsDelete.results.map((r) => [r.deleted, r.userErrors[0]?.code ?? 'OK'])).toEqual([
      [true, 'OK'],
      [false, 'NOT_FOUND'],
      [true, 'OK'],
    ]);
    const { customer } = await owner.client.CustomerContacts({ id: c.id });
    expect(customer!.contacts.totalCount).toBe(0);
    const { customer: untouched } = await stranger.client.CustomerContacts({ id: other.id });
    expect(untouched!.contacts.totalCount).toBe(1);
    const twice = await owner.client.ContactsDelete({ input: { contactIds: [foreign, foreign] } });
    expect(twice.contactsDelete.userErrors[0]!.code).toBe('VALIDATION_FAILED');
  });
});

describe('select all matching', () => {
  async function tagged(user: TestUser, tag: string, n: number): Promise<TestCustomer[]> {
    const list = [];
    for (let i = 0; i < n; i++) list.push(await makeCustomer(app, { owner: user, name: unique(`${tag}客户`) }));
    return list;
  }

  it('returns every customer of my list matching the filter, and nothing else', async () => {
    const keep = await tagged(owner, '保留', 2);
    const go = await tagged(owner, '归还', 3);
    const { customersReturn } = await owner.client.CustomersReturn({
      input: { customerIds: [], matching: { view: 'MINE', filter: { name: { contains: '归还' } } }, reason: '批量归还' },
    });
    expect(customersReturn.userErrors).toEqual([]);
    expect(customersReturn.results.map((r) => r.customerId).sort()).toEqual(go.map((c) => c.id).sort());
    for (const c of go) expect((await owner.client.Customer({ id: c.id })).customer!.status).toBe('IN_POOL');
    for (const c of keep) expect((await owner.client.Customer({ id: c.id })).customer!.status).toBe('OWNED');
  });

  it('lets a manager reclaim or assign a whole filtered list of subordinates’ customers', async () => {
    const list = await tagged(owner, '收回', 3);
    const { customersAssign } = await manager.client.CustomersAssign({
      input: { customerIds: [], matching: { view: 'SUBORDINATES', search: '收回' }, assigneeId: teammate.id },
    });
    expect(codes(customersAssign.results)).toEqual(['OK', 'OK', 'OK']);
    const { customersReclaim } = await manager.client.CustomersReclaim({
      input: { customerIds: [], matching: { view: 'SUBORDINATES', filter: { owner: { eq: teammate.id }, name: { contains: '收回' } } } },
    });
    expect(customersReclaim.results.map((r) => r.customerId).sort()).toEqual(list.map((c) => c.id).sort());
  });

  it('shares a filtered list; the selection never reaches beyond what the view shows', async () => {
    await tagged(owner, '共享', 2);
    const strangers = await tagged(stranger, '共享', 2);
    const { customersShare } = await owner.client.CustomersShare({
      input: { customerIds: [], matching: { view: 'MINE', search: '共享' }, userIds: [sharee.id] },
    });
    expect(codes(customersShare.results)).toEqual(['OK', 'OK']);
    for (const c of strangers) expect((await app.admin.client.Customer({ id: c.id })).customer!.sharedWith).toEqual([]);
    // A pool view selects pool customers, which can't be returned: each is refused, nothing changes.
    const pooled = await makeCustomer(app, { name: unique('池中') });
    const { customersReturn } = await owner.client.CustomersReturn({
      input: { customerIds: [], matching: { view: 'POOL', search: '池中' } },
    });
    expect(customersReturn.results.map((r) => [r.customerId, r.userErrors[0]?.code])).toEqual([[pooled.id, 'INVALID_TRANSITION']]);
  });

  it('is capped at 1,000 (more is LIMIT_REACHED and changes nothing), and refused for claim, archive and restore', async () => {
    const big = await makeUser(app);
    const db = new pg.Client({ connectionString: app.databaseUrl });
    await db.connect();
    try {
      await db.query(
        `INSERT INTO customer (name, name_key, status, owner_id, claimed_at, created_by_id)
         SELECT '批量' || g, 'piliang' || g, 'OWNED', $1, now(), $1 FROM generate_series(1, 1001) g`,
        [fromGlobalId('User', big.id)],
      );
    } finally {
      await db.end();
    }
    const { customersReturn } = await big.client.CustomersReturn({ input: { customerIds: [], matching: { view: 'MINE' } } });
    expect(customersReturn.results).toEqual([]);
    expect(customersReturn.userErrors[0]).toMatchObject({ code: 'LIMIT_REACHED', limit: 1000 });
    expect((await big.client.Customers({ view: 'MINE', first: 1 })).customers.totalCount).toBe(1001);

    const both = await owner.client.CustomersReturn({ input: { customerIds: ['x'], matching: { view: 'MINE' } } });
    expect(both.customersReturn.userErrors[0]!.code).toBe('VALIDATION_FAILED');
    for (const run of [
      owner.client.CustomersClaim({ input: { customerIds: [], matching: { view: 'POOL' } } }),
      app.admin.client.CustomersArchive({ input: { customerIds: [], matching: { view: 'POOL' } } }),
      app.admin.client.CustomersRestore({ input: { customerIds: [], matching: { view: 'ARCHIVED' } } }),
    ]) {
      const payload = Object.values(await run)[0] as { userErrors: { code: string }[]; results: unknown[] };
      expect(payload.userErrors[0]!.code).toBe('VALIDATION_FAILED');
      expect(payload.results).toEqual([]);
    }
    expect(await topLevelCode(owner.client.CustomersReturn({ input: { customerIds: [], matching: { view: 'ALL' } } }))).toBe('FORBIDDEN');
  });
});
