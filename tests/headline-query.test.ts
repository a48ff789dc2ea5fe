import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upload } from './helpers/attachment-http.js';
import { makeCustomer, makeUser } from './helpers/factories.js';
import { setPoolRules } from './helpers/pool-settings.js';
import { startTestApp, type TestApp, type TestUser } from './helpers/test-app.js';
import type { CustomerView } from '../sdk/index.js';

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
