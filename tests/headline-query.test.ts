import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upload } from './helpers/attachment-http.js';
import { makeCustomer, makeUser } from './helpers/factories.js';
import { startTestApp, type TestApp, type TestUser } from './helpers/test-app.js';

// The frontend teams' headline query: a page of customers with owner, contacts and their relations,
// the latest interactions, quotes with items, contracts with receivables and receipts, money totals
// and attachments. With DataLoaders and batched nested pages, the SQL statements behind it do not
// depend on the page size.

let app: TestApp;
let manager: TestUser;

async function fillCustomer(owner: TestUser, colleague: TestUser, i: number) {
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
}

beforeAll(async () => {
  app = await startTestApp();
  manager = await makeUser(app, { role: 'MANAGER' });
  // Every page holds the same kinds of references (one owner, one sharee), so that a loader's
  // cache can't save a query on one page size and not on the other.
  const owner = await makeUser(app, { manager });
  const colleague = await makeUser(app, { manager });
  for (let start = 0; start < 52; start += 13) {
    await Promise.all(Array.from({ length: 13 }, (_, k) => fillCustomer(owner, colleague, start + k)));
  }
}, 300_000);
afterAll(() => app.close());

async function statementsFor(first: number): Promise<number> {
  const before = app.sql.statements;
  const { customers } = await manager.client.CustomersOverview({ view: 'SUBORDINATES', first });
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
    expect(customer.sharedWith).toHaveLength(1);
  }
  return used;
}

describe('the headline query', () => {
  it('costs the same number of SQL statements for a page of 5 and a page of 50', async () => {
    const small = await statementsFor(5);
    const large = await statementsFor(50);
    const smallAgain = await statementsFor(5);
    if (process.env.SHOW_SQL_COUNTS) console.log(`headline query: ${small} statements for 5 customers, ${large} for 50`);
    expect(large).toBe(small);
    expect(smallAgain).toBe(small);
    // One statement per kind of data, not per row: a fixed, small number.
    expect(small).toBeLessThan(40);
  });
});
