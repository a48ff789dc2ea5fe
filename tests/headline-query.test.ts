import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upload } from './helpers/attachment-http.js';
import { makeCustomer, makeUser } from './helpers/factories.js';
import { setPoolRules } from './helpers/pool-settings.js';
import { startTestApp, type TestApp, type TestUser } from './helpers/test-app.js';
import { print, type DocumentNode } from 'graphql';
import type { CustomerView } from '../sdk/index.js';
import {
  CustomerDocument,
  CustomerListDocument,
  CustomersMoneyOverviewDocument,
  CustomersOverviewDocument,
  CustomersWithAttachmentsDocument,
  CustomersWithRecordsDocument,
  NodesDocument,
} from '../sdk/generated.js';
import { executionCounts } from '../src/common/assemble.js';

// The frontend teams' headline query: a page of customers with owner, contacts and their relations,
// the latest interactions, quotes with items, contracts with receivables and receipts, money totals
// and attachments. With DataLoaders and batched nested pages, the SQL statements behind it do not
// depend on the page size.

let app: TestApp;
let manager: TestUser;

/** A customer with everything the page shows under it; its global id. */
async function fillCustomer(owner: TestUser, colleague: TestUser, i: number): Promise<string> {
  const customer = await makeCustomer(app, { owner, sharedWith: [colleague] });
  const c = owner.client;
  const a = await c.ContactCreate({ input: { customerId: customer.id, name: `联系人甲${i}`, mobile: '13800000001', isPrimary: true } });
  const b = await c.ContactCreate({ input: { customerId: customer.id, name: `联系人乙${i}`, mobile: '13800000002' } });
  await c.ContactRelationCreate({
    input: { contactId: a.contactCreate.contact!.id, relatedContactId: b.contactCreate.contact!.id, relationship: 'FORMER_COLLEAGUE' },
  });
  for (const hours of [30, 2]) {
    await c.InteractionCreate({
      input: { customerId: customer.id, type: 'CALL', occurredAt: new Date(Date.now() - hours * 3600_000).toISOString(), subject: `电话沟通${hours}` },
    });
  }
  await c.QuoteCreate({
    input: { customerId: customer.id, items: [{ product: '服务器', quantity: '2', unitPrice: '15000.00', discount: '0.1' }, { product: '维保', quantity: '1', unitPrice: '3000.00' }] },
  });
  const { contractCreate } = await c.ContractCreate({ input: { customerId: customer.id, title: `合同${i}`, amount: '30000.00' } });
  const contractId = contractCreate.contract!.id;
  const { receivableCreate } = await c.ReceivableCreate({ input: { contractId, amount: '10000.00', dueDate: '2026-01-31' } });
  await c.ReceiptCreate({
    input: { contractId, receivableId: receivableCreate.receivable!.id, amount: '4000.00', receivedOn: '2026-01-15', method: 'BANK_TRANSFER' },
  });
  await upload(app, owner.token, { customerId: customer.id }, { name: `资料${i}.txt`, type: 'text/plain', bytes: new TextEncoder().encode('x') });
  return customer.id;
}

// Every view of the page, each by the kind of user it is for, over 104 customers with everything
// (the pool's returned by their owner, so that their records stay, and shown masked to salespeople).
const PER_VIEW = 104;
let admin: TestUser;
let owner: TestUser;
let colleague: TestUser;
let stranger: TestUser;
let returner: TestUser;

beforeAll(async () => {
  app = await startTestApp();
  admin = app.admin;
  manager = await makeUser(app, { role: 'MANAGER' });
  // Every page holds the same kinds of references (one owner, one sharee), so that a loader's
  // cache can't save a query on one page size and not on the other.
  owner = await makeUser(app, { manager });
  colleague = await makeUser(app, { manager });
  stranger = await makeUser(app);
  returner = await makeUser(app);
  for (let start = 0; start < PER_VIEW; start += 13) {
    await Promise.all(Array.from({ length: 13 }, (_, k) => fillCustomer(owner, colleague, start + k)));
  }
  const pool: string[] = [];
  for (let start = 0; start < PER_VIEW; start += 13) {
    pool.push(...(await Promise.all(Array.from({ length: 13 }, (_, k) => fillCustomer(returner, stranger, PER_VIEW + start + k)))));
  }
  for (let start = 0; start < pool.length; start += 100) {
    const { customersReturn } = await returner.client.CustomersReturn({ input: { customerIds: pool.slice(start, start + 100), reason: '测试' } });
    expect(customersReturn.userErrors).toEqual([]);
  }
}, 600_000);
afterAll(() => app.close());

const VIEWS: [CustomerView, () => TestUser][] = [
  ['ALL', () => admin],
  ['MINE', () => owner],
  ['SHARED_WITH_ME', () => colleague],
  ['SUBORDINATES', () => manager],
  ['POOL', () => stranger],
];

async function statementsFor(view: CustomerView, viewer: TestUser, first: number): Promise<number> {
  const before = app.sql.statements;
  const { customers } = await viewer.client.CustomersOverview({ view, first });
  const used = app.sql.statements - before;
  // The page really holds everything the query asks for.
  expect(customers.nodes).toHaveLength(first);
  for (const customer of customers.nodes) {
    expect(customer.contacts.nodes).toHaveLength(2);
    expect(customer.contacts.nodes[0]!.relations.edges).toHaveLength(1);
    expect(customer.interactions.nodes).toHaveLength(2);
    expect(customer.quotes.nodes[0]!.items).toHaveLength(2);
    expect(customer.quotes.nodes[0]!.total).toBe('30000.00');
    expect(customer.contracts.nodes[0]!.receivables.nodes[0]!.status).toMatch(/PARTLY_RECEIVED|OVERDUE/);
    expect(customer.contracts.nodes[0]!.receipts.nodes).toHaveLength(1);
    expect(customer.moneyTotals).toHaveLength(1);
    expect(customer.attachments.nodes).toHaveLength(1);
    // Pool customers are masked for salespeople (not for admins); owned ones are shared once.
    if (customer.status === 'IN_POOL') expect(customer.masked).toBe(view === 'POOL');
    else expect(customer.sharedWith).toHaveLength(1);
  }
  return used;
}

describe('the headline query', () => {
  for (const [view, viewer] of VIEWS) {
    it(`${view}: the same few SQL statements for a page of 5 and a page of 100`, async () => {
      const small = await statementsFor(view, viewer(), 5);
      const large = await statementsFor(view, viewer(), 100);
      const smallAgain = await statementsFor(view, viewer(), 5);
      if (process.env.SHOW_SQL_COUNTS) console.log(`headline query, ${view}: ${small} statements for 5 customers, ${large} for 100`);
      expect(large).toBe(small);
      expect(smallAgain).toBe(small);
      // One statement per level of the query, not per row or record type: at most 12.
      expect(small).toBeLessThanOrEqual(12);
    });
  }
});

describe('other shapes of the same page', () => {
  // Edges instead of nodes, aliases, inline fragments and fragments on interfaces, the same field
  // twice with different arguments: the read path follows the selection, whatever its shape.
  const query = `query ($first: Int!) {
    page: customers(view: ALL, first: $first) {
      edges {
        cursor
        node {
          ... on Node { id }
          ...Names
          latest: interactions(first: 1) { nodes { subject author { name } } }
          all: interactions(first: 5) { totalCount edges { node { id contact { name customer { name } } } } }
          contacts(first: 3) { edges { node { name relations(first: 2) { nodes { relatedContact { name } } } } } }
          contracts(first: 2) { nodes { receipts(first: 3) { nodes { receivable { amount } } } totals { outstanding } } }
          attachments(first: 2) { nodes { record { __typename ... on Customer { name } ... on Contract { number } } } }
        }
      }
    }
  }
  fragment Names on Customer { name owner { name manager { name } } createdBy { name } }`;
  const run = async (first: number) => {
    const before = app.sql.statements;
    const result = await admin.client.graphql.request<{ page: { edges: { node: { all: { totalCount: number } } }[] } }>(query, { first });
    expect(result.page.edges).toHaveLength(first);
    for (const edge of result.page.edges) expect(edge.node.all.totalCount).toBe(2);
    return app.sql.statements - before;
  };

  it('cost the same for 5 and 100 customers, and stay few', async () => {
    const small = await run(5);
    const large = await run(100);
    if (process.env.SHOW_SQL_COUNTS) console.log(`other shape: ${small} statements for 5 customers, ${large} for 100`);
    expect(large).toBe(small);
    expect(small).toBeLessThanOrEqual(12);
  });
});

describe('the assembled answer is graphql-js’s answer', () => {
  // The same operations, by the same users, on a second instance that executes everything through
  // graphql-js alone: the two response bodies must be the same bytes (data, errors, key order).
  let reference: TestApp;
  beforeAll(async () => {
    reference = await startTestApp({ sameDatabaseAs: app, execution: 'reference' });
  });
  afterAll(() => reference?.close());

  const post = async (target: TestApp, token: string, query: string, variables: Record<string, unknown>) => {
    const response = await fetch(target.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    return `${response.status} ${await response.text()}`;
  };
  /** The two answers, and whether the first instance assembled its own. */
  const compare = async (viewer: TestUser, query: string, variables: Record<string, unknown>) => {
    const before = executionCounts.assembled;
    const assembled = await post(app, viewer.token, query, variables);
    const fast = executionCounts.assembled > before;
    const expected = await post(reference, viewer.token, query, variables);
    return { assembled, expected, fast };
  };
  /** Compares the answers; `introspection` says graphql-js answers it (as it does every error). */
  const same = async (viewer: TestUser, query: string, variables: Record<string, unknown> = {}, introspection = false) => {
    const { assembled, expected, fast } = await compare(viewer, query, variables);
    expect(assembled).toBe(expected);
    expect(assembled.slice(0, 4)).toBe('200 ');
    const result = JSON.parse(assembled.slice(4)) as { data?: Record<string, unknown> | null; errors?: unknown[] };
    // A clean answer is assembled; one with errors is left to graphql-js.
    expect(fast, `${viewer.name}: ${query.slice(0, 60)} ${JSON.stringify(variables)}`).toBe(!result.errors && !introspection);
    return result;
  };
  const text = (document: unknown) => print(document as DocumentNode);

  it('for the headline page in every view, first and second page', async () => {
    for (const [view, viewer] of VIEWS) {
      const first = await same(viewer(), text(CustomersOverviewDocument), { view, first: 30 });
      const page = (first.data!.customers as { pageInfo: { endCursor: string }; nodes: unknown[] });
      expect(page.nodes).toHaveLength(30);
      await same(viewer(), text(CustomersOverviewDocument), { view, first: 7, after: page.pageInfo.endCursor });
    }
  });

  it('for the SDK’s other list and record queries', async () => {
    const { customers } = await owner.client.CustomersOverview({ view: 'MINE', first: 3 });
    const ids = customers.nodes.map((c) => c.id);
    const contactId = customers.nodes[0]!.contacts.nodes[0]!.id;
    const contractId = customers.nodes[0]!.contracts.nodes[0]!.id;
    for (const [view, viewerOf] of VIEWS) {
      const viewer = viewerOf();
      await same(viewer, text(CustomersWithRecordsDocument), { view, first: 20 });
      await same(viewer, text(CustomersWithAttachmentsDocument), { view, first: 20, attachmentsFirst: 5 });
      await same(viewer, text(CustomersMoneyOverviewDocument), { view, first: 20, recordsFirst: 3 });
      await same(viewer, text(CustomerListDocument), { view, search: '联系人', first: 20 });
      await same(viewer, text(CustomerDocument), { id: ids[0] });
      // Mixed types, a customer the viewer may not see, an id that names nothing.
      await same(viewer, text(NodesDocument), { ids: [ids[1], contactId, contractId, 'bm90aGluZw', ids[2]] });
    }
  });

  it('for fragments, aliases, directives, typenames and errors', async () => {
    const query = `query ($view: CustomerView!, $first: Int!, $withOwner: Boolean!, $skipContacts: Boolean!) {
      __typename
      a: customers(view: $view, first: $first) {
        totalCount
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
        edges { cursor node { __typename ...C owner @include(if: $withOwner) { name } } }
      }
      b: customers(view: POOL, first: 3, orderBy: { field: NAME, direction: DESC }) {
        nodes { name masked ... on Node { id } contacts(first: 1) @skip(if: $skipContacts) { nodes { name mobile } } }
      }
      missing: customer(id: "bm90aGluZw")
    }
    fragment C on Customer {
      id name status allowedActions
      contacts(first: 2) { totalCount nodes { name relations(first: 1) { edges { node { relationship relatedContact { name } } } } } }
      interactions(first: 1) { nodes { type occurredAt author { name role } } }
    }`.replace('missing: customer(id: "bm90aGluZw")', 'missing: customer(id: "bm90aGluZw") { id name }');
    for (const [view, viewer] of VIEWS) {
      await same(viewer(), query, { view, first: 12, withOwner: true, skipContacts: false });
      await same(viewer(), query, { view, first: 4, withOwner: false, skipContacts: true });
    }
    // A view the viewer may not use: the error, as graphql-js reports it.
    expect((await same(owner, query, { view: 'ALL', first: 2, withOwner: true, skipContacts: false })).errors).toHaveLength(1);
    // A field that fails beside one that answers: the error with its path, and (the lists being
    // non-null) null data, as graphql-js reports it.
    const refused = await same(owner, `{ ok: customers(view: MINE, first: 2) { totalCount } bad: customers(view: MINE, first: 2, after: "garbage") { totalCount } }`);
    expect(refused.errors).toHaveLength(1);
    expect(refused.data).toBeNull();
    // Response keys that name properties of every JavaScript object are keys like any other.
    const odd = await same(admin, `{ customers(view: ALL, first: 2) { nodes { __proto__: name constructor: id toString: status hasOwnProperty: owner { __proto__: name } } } }`);
    const nodes = (odd.data!.customers as { nodes: Record<string, unknown>[] }).nodes;
    expect(nodes).toHaveLength(2);
    expect(Object.keys(nodes[0]!)).toEqual(['__proto__', 'constructor', 'toString', 'hasOwnProperty']);
    // Introspection beside data.
    await same(admin, `{ __schema { queryType { name } } customers(view: ALL, first: 2) { nodes { name } } }`, {}, true);
  });
});

describe('the headline query with the pool rules on', () => {
  // CLAIM shows only where the rules let a claim through, and claimBlockedBy says why not: read for
  // the whole page at once, whatever its size.
  const setRules = (on: boolean) => setPoolRules(app, on ? { ownershipCap: 1000, dailyClaimLimit: 50, previousOwnerCooldownDays: 7 } : {});
  afterAll(() => setRules(false));

  it('POOL: at most one statement more, the same for a page of 5 and of 100; the returner cools down, a stranger may claim', async () => {
    const off = await statementsFor('POOL', stranger, 5);
    await setRules(true);
    const small = await statementsFor('POOL', stranger, 5);
    const large = await statementsFor('POOL', stranger, 100);
    // Read in the rounds the page reads anyway: at most one statement more, whatever the page size.
    expect(large).toBe(small);
    expect(small).toBeLessThanOrEqual(off + 1);
    expect(small).toBeLessThanOrEqual(12);

    const page = async (viewer: TestUser) => (await viewer.client.CustomersOverview({ view: 'POOL', first: 100 })).customers.nodes;
    for (const customer of await page(stranger)) {
      expect(customer.claimBlockedBy).toBeNull();
      expect(customer.allowedActions).toContain('CLAIM');
    }
    // The returner gave these customers back today: the cool-down refuses their claims.
    for (const customer of await page(returner)) {
      expect(customer.claimBlockedBy).toBe('COOLDOWN');
      expect(customer.allowedActions).not.toContain('CLAIM');
    }
    const [first] = await page(returner);
    const { customersClaim } = await returner.client.CustomersClaim({ input: { customerIds: [first!.id] } });
    expect(customersClaim.results[0]!.userErrors[0]!.code).toBe('COOLDOWN');
  });
});
