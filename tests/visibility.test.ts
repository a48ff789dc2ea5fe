import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerView } from '../sdk/index.js';
import { makeCustomer, makeUser, topLevelCode, unique, type TestCustomer } from './helpers/factories.js';
import { startTestApp, type TestApp, type TestUser } from './helpers/test-app.js';

// Each view returns exactly the right customers (this file has its own database, so the sets are
// exact), and an invisible customer is NOT_FOUND / null on every path.

let app: TestApp;
let director: TestUser;
let manager: TestUser;
let alice: TestUser; // below manager
let bob: TestUser; // below manager
let carol: TestUser; // other team
let otherManager: TestUser;
let customers: Record<string, TestCustomer>;

beforeAll(async () => {
  app = await startTestApp();
  director = await makeUser(app, { role: 'MANAGER' });
  manager = await makeUser(app, { role: 'MANAGER', manager: director });
  alice = await makeUser(app, { manager });
  bob = await makeUser(app, { manager });
  otherManager = await makeUser(app, { role: 'MANAGER' });
  carol = await makeUser(app, { manager: otherManager });
  customers = {
    pool1: await makeCustomer(app, { phone: '13912345678' }),
    pool2: await makeCustomer(app),
    alice1: await makeCustomer(app, { owner: alice }),
    alice2: await makeCustomer(app, { owner: alice, sharedWith: [carol] }),
    bob1: await makeCustomer(app, { owner: bob, sharedWith: [alice] }),
    carol1: await makeCustomer(app, { owner: carol }),
    manager1: await makeCustomer(app, { owner: manager }),
    archived: await makeCustomer(app, { archived: true }),
  };
});
afterAll(() => app.close());

async function view(user: TestUser, v: CustomerView): Promise<string[]> {
  const ids: string[] = [];
  let after: string | null | undefined;
  do {
    const { customers: page } = await user.client.Customers({ view: v, first: 2, after });
    ids.push(...page.edges.map((e) => e.node.id));
    after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : undefined;
  } while (after);
  return ids.sort();
}

const ids = (...keys: string[]) => keys.map((k) => customers[k]!.id).sort();

describe('views', () => {
  it('POOL: customers nobody owns, for everyone', async () => {
    for (const user of [alice, carol, manager, app.admin]) expect(await view(user, 'POOL')).toEqual(ids('pool1', 'pool2'));
  });

  it('MINE: exactly the viewer’s own', async () => {
    expect(await view(alice, 'MINE')).toEqual(ids('alice1', 'alice2'));
    expect(await view(bob, 'MINE')).toEqual(ids('bob1'));
    expect(await view(manager, 'MINE')).toEqual(ids('manager1'));
    expect(await view(director, 'MINE')).toEqual([]);
  });

  it('SHARED_WITH_ME: exactly those shared with the viewer', async () => {
    expect(await view(alice, 'SHARED_WITH_ME')).toEqual(ids('bob1'));
    expect(await view(carol, 'SHARED_WITH_ME')).toEqual(ids('alice2'));
    expect(await view(bob, 'SHARED_WITH_ME')).toEqual([]);
  });

  it('SUBORDINATES: everyone below the viewer, at any depth', async () => {
    expect(await view(manager, 'SUBORDINATES')).toEqual(ids('alice1', 'alice2', 'bob1'));
    expect(await view(director, 'SUBORDINATES')).toEqual(ids('alice1', 'alice2', 'bob1', 'manager1'));
    expect(await view(otherManager, 'SUBORDINATES')).toEqual(ids('carol1'));
    expect(await view(alice, 'SUBORDINATES')).toEqual([]);
  });

  it('ALL and ARCHIVED: admins only; others get FORBIDDEN', async () => {
    expect(await view(app.admin, 'ALL')).toEqual(ids('pool1', 'pool2', 'alice1', 'alice2', 'bob1', 'carol1', 'manager1'));
    expect(await view(app.admin, 'ARCHIVED')).toEqual(ids('archived'));
    for (const user of [alice, manager, director]) {
      expect(await topLevelCode(user.client.Customers({ view: 'ALL' }))).toBe('FORBIDDEN');
      expect(await topLevelCode(user.client.Customers({ view: 'ARCHIVED' }))).toBe('FORBIDDEN');
    }
  });

  it('totalCount matches the view', async () => {
    const { customers: page } = await manager.client.Customers({ view: 'SUBORDINATES', first: 1 });
    expect(page.totalCount).toBe(3);
    expect(page.edges).toHaveLength(1);
  });

  it('a search never reveals what the view hides', async () => {
    const { customers: page } = await alice.client.Customers({ view: 'MINE', search: customers.carol1!.name });
    expect(page.totalCount).toBe(0);
    const { customers: shared } = await carol.client.Customers({ view: 'SHARED_WITH_ME', search: customers.alice2!.name.slice(0, 4) });
    expect(shared.edges.map((e) => e.node.id)).toEqual([customers.alice2!.id]);
  });
});

describe('invisible customers are indistinguishable from missing ones', () => {
  const missing = 'Q3VzdG9tZXI6OTk5OTk5OQ'; // Customer:9999999

  it('customer(id), node(id) and nodes(ids) answer null', async () => {
    const hidden = [customers.carol1!.id, customers.archived!.id, missing];
    for (const id of hidden) {
      expect((await alice.client.Customer({ id })).customer).toBeNull();
      expect((await alice.client.Node({ id })).node).toBeNull();
    }
    const { nodes } = await alice.client.Nodes({ ids: [customers.alice1!.id, ...hidden] });
    expect(nodes).toEqual([{ __typename: 'Customer', id: customers.alice1!.id }, null, null, null]);
  });

  it('history events of an invisible customer are null through node, and their customer field too', async () => {
    const { customer } = await carol.client.CustomerHistory({ id: customers.carol1!.id, first: 5 });
    const event = customer!.history.nodes[0]!;
    expect((await carol.client.Node({ id: event.id })).node).toMatchObject({ __typename: 'OwnershipEvent' });
    expect((await alice.client.Node({ id: event.id })).node).toBeNull();
  });

  it('mutations by id answer NOT_FOUND, the same as for a missing id', async () => {
    for (const id of [customers.carol1!.id, missing]) {
      const { customerUpdate } = await alice.client.CustomerUpdate({ input: { id, notes: 'x' } });
      expect(customerUpdate.userErrors.map((e) => [e.code, e.message])).toEqual([['NOT_FOUND', 'Customer not found']]);
      const { customersReturn } = await alice.client.CustomersReturn({ input: { customerIds: [id] } });
      expect(customersReturn.results[0]!.userErrors.map((e) => [e.code, e.message])).toEqual([['NOT_FOUND', 'Customer not found']]);
    }
  });

  it('after assigning a customer away, the result no longer shows it to the former owner', async () => {
    const mine = await makeCustomer(app, { owner: alice });
    const { customersAssign } = await alice.client.CustomersAssign({ input: { customerIds: [mine.id], assigneeId: carol.id } });
    expect(customersAssign.results[0]).toMatchObject({ customerId: mine.id, customer: null, userErrors: [] });
    expect((await alice.client.Customer({ id: mine.id })).customer).toBeNull();
    const kept = await makeCustomer(app, { owner: alice });
    const { customersAssign: again } = await alice.client.CustomersAssign({
      input: { customerIds: [kept.id], assigneeId: carol.id, keepPreviousOwnerAsSharee: true },
    });
    expect(again.results[0]!.customer!.sharedWith.map((u) => u.id)).toEqual([alice.id]);
  });

  it('the duplicate check reveals existence, state and owner name only', async () => {
    const { customerDuplicates } = await alice.client.CustomerDuplicates({ name: customers.carol1!.name });
    expect(customerDuplicates).toEqual([
      { name: customers.carol1!.name, status: 'OWNED', ownerName: carol.name, canClaim: false, matchedOn: ['NAME'], customer: null },
    ]);
    const { customerDuplicates: archived } = await alice.client.CustomerDuplicates({ name: customers.archived!.name });
    expect(archived).toEqual([]);
  });
});

describe('contact details in the pool', () => {
  it('are masked for SALES, on every path, and shown to managers and admins', async () => {
    const id = customers.pool1!.id;
    const list = (await alice.client.Customers({ view: 'POOL', first: 10 })).customers.edges.find((e) => e.node.id === id)!.node;
    const single = (await alice.client.Customer({ id })).customer!;
    const node = (await alice.client.Node({ id })).node as { phone: string };
    for (const seen of [list, single]) expect(seen).toMatchObject({ masked: true, phone: '139********' });
    expect(node.phone).toBe('139********');
    for (const user of [manager, app.admin]) {
      expect((await user.client.Customer({ id })).customer).toMatchObject({ masked: false, phone: '13912345678' });
    }
  });

  it('are shown once the salesperson claims the customer', async () => {
    const fresh = await makeCustomer(app, { phone: '13700000001', name: unique('masked') });
    const { customersClaim } = await alice.client.CustomersClaim({ input: { customerIds: [fresh.id] } });
    expect(customersClaim.results[0]!.customer).toMatchObject({ masked: false, phone: '13700000001' });
  });
});
