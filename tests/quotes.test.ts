import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { companyYear } from '../src/common/company-calendar.js';
import { formatDocumentNumber } from '../src/common/document-number.js';
import { fromGlobalId } from '../src/common/ids.js';
import { priceQuote } from '../src/quotes/quote-pricing.js';
import { QUOTE_TRANSITIONS } from '../src/quotes/quote-status.js';
import { QuoteStatus } from '../src/quotes/quote.entity.js';
import type { CrmClient, QuoteItemInput } from '../sdk/index.js';
import { makeAccessWorld, makeCustomer, makeUser } from './helpers/factories.js';
import { describeStatusMachine } from './helpers/status-machine.js';
import {
  ACTOR_LABELS,
  attemptRead,
  checkActor,
  item,
  makeQuote,
  matrixActors,
  outcome,
  type Actor,
  type RecordKind,
} from './helpers/money.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

/** An oracle independent of decimal.js: q × p × (1 − d) in scaled BigInts, rounded half-up to cents. */
function oracleLineTotal(quantity: string, unitPrice: string, discount: string): string {
  const scaled = (v: string, scale: number) => {
    const [int, frac = ''] = v.split('.');
    return BigInt(int! + frac.padEnd(scale, '0'));
  };
  const product = scaled(quantity, 4) * scaled(unitPrice, 4) * (10000n - scaled(discount, 4)); // scale 12
  const cents = (product + 5n * 10n ** 9n) / 10n ** 10n; // half-up for non-negative values
  const text = cents.toString().padStart(3, '0');
  return `${text.slice(0, -2)}.${text.slice(-2)}`;
}

describe('quote arithmetic (exact decimals, no floats)', () => {
  const line = (q: string, p: string, d = '0') => priceQuote([{ product: 'x', quantity: q, unitPrice: p, discount: d }], ['items']);

  it('prices 3 × 19.99 × (1 − 0.15) = 50.9745 → 50.97', () => {
    const priced = line('3', '19.99', '0.15');
    expect(priced.items[0]!.lineTotal).toBe('50.97');
    expect(priced.subtotal).toBe('59.97');
    expect(priced.total).toBe('50.97');
  });

  it('adds 0.1 + 0.2 to exactly 0.30 (a float gives 0.30000000000000004)', () => {
    expect(0.1 + 0.2).not.toBe(0.3);
    const priced = priceQuote(
      [
        { product: 'a', quantity: '1', unitPrice: '0.1' },
        { product: 'b', quantity: '1', unitPrice: '0.2' },
      ],
      ['items'],
    );
    expect(priced.total).toBe('0.30');
  });

  it('rounds half-up at the cent where floats round down', () => {
    expect((1.005).toFixed(2)).toBe('1.00'); // the float trap
    expect(line('1', '1.005').total).toBe('1.01');
    expect(line('1', '2.675').total).toBe('2.68');
    expect(line('1', '0.125').total).toBe('0.13');
    expect(line('3', '0.0035').total).toBe('0.01'); // 0.0105
    expect(line('1', '0.0049').total).toBe('0.00');
  });

  it('stays exact on large amounts, matching an independent BigInt oracle', () => {
    const cases: [string, string, string][] = [
      ['12345678.9012', '98765.4321', '0.0001'],
      ['99999999.9999', '99999999.9999', '0'],
      ['7', '1428571428571.4286', '0.3333'],
      ['0.0001', '0.0001', '0'],
      ['3', '19.99', '0.15'],
      ['100', '99999999999999.9999', '0'],
    ];
    for (const [q, p, d] of cases) {
      expect(line(q, p, d).total, `${q} × ${p} × (1 − ${d})`).toBe(oracleLineTotal(q, p, d));
    }
    // 16 integer digits survive: a float can't even hold this amount
    expect(Number('9999999999999999.99').toFixed(2)).not.toBe('9999999999999999.99');
    expect(line('100', '99999999999999.9999').total).toBe('9999999999999999.99');
  });

  it('sums many lines exactly', () => {
    const drafts = Array.from({ length: 100 }, () => ({ product: 'x', quantity: '1', unitPrice: '0.01' }));
    expect(priceQuote(drafts, ['items']).total).toBe('1.00');
  });

  it('refuses out-of-range values with the path of the field', () => {
    const bad: [Partial<QuoteItemInput>, string][] = [
      [{ discount: '1.5' }, 'discount'],
      [{ discount: '-0.1' }, 'discount'],
      [{ discount: '0.12345' }, 'discount'],
      [{ quantity: '0' }, 'quantity'],
      [{ quantity: '-2' }, 'quantity'],
      [{ quantity: '1.00001' }, 'quantity'],
      [{ unitPrice: '-1' }, 'unitPrice'],
      [{ unitPrice: '1.23456' }, 'unitPrice'],
      [{ product: '   ' }, 'product'],
      [{ quantity: '99999999999999', unitPrice: '99999999999999' }, 'quantity'],
    ];
    for (const [patch, field] of bad) {
      const draft = { product: 'ok', quantity: '1', unitPrice: '1', ...patch };
      expect(() => priceQuote([{ product: 'fine', quantity: '1', unitPrice: '1' }, draft], ['input', 'items'])).toThrow(
        expect.objectContaining({ code: 'VALIDATION_FAILED', field: ['input', 'items', '1', field] }),
      );
    }
  });
});

describeStatusMachine('quote', QUOTE_TRANSITIONS, Object.values(QuoteStatus), ['DRAFT>SENT', 'SENT>ACCEPTED', 'SENT>REJECTED', 'SENT>EXPIRED']);

describe('quotes', () => {
  let client: CrmClient;
  let customerId: string;
  beforeAll(async () => {
    const owner = await makeUser(app);
    client = owner.client;
    customerId = (await makeCustomer(app, { owner })).id;
  });

  it('creates a numbered DRAFT quote with server-computed exact totals', async () => {
    const quote = await makeQuote(client, customerId, [
      item('3', '19.99', '0.15', '显示器'),
      { product: '安装', specification: '上门', quantity: '2.5', unit: '小时', unitPrice: '0.1' },
      item('1', '0.2'),
    ]);
    expect(quote.number).toMatch(new RegExp(`^Q${companyYear()}-\\d{5}$`));
    expect(quote).toMatchObject({ status: 'DRAFT', currency: 'CNY', subtotal: '60.42', total: '51.42', version: 1 });
    expect(quote.items).toMatchObject([
      { position: 1, product: '显示器', quantity: '3', unitPrice: '19.99', discount: '0.15', lineTotal: '50.97' },
      { position: 2, product: '安装', specification: '上门', unit: '小时', quantity: '2.5', unitPrice: '0.10', discount: '0', lineTotal: '0.25' },
      { position: 3, quantity: '1', unitPrice: '0.20', discount: '0', lineTotal: '0.20' },
    ]);
    // The stored rows agree with the API, and the database re-checks each line total.
    const [row] = await app.orm.em.fork().execute<{ total: string; sum: string }[]>(
      `SELECT q.total::text AS total, (SELECT sum(line_total) FROM quote_item WHERE quote_id = q.id)::text AS sum
       FROM quote q WHERE q.id = ?`,
      [fromGlobalId('Quote', quote.id)],
    );
    expect(row).toEqual({ total: '51.42', sum: '51.42' });
  });

  it('refuses totals that a client tries to impose: the database checks line totals', async () => {
    const quote = await makeQuote(client, customerId);
    const em = app.orm.em.fork();
    await expect(
      em.execute(`UPDATE quote_item SET line_total = line_total + 0.01 WHERE quote_id = ?`, [fromGlobalId('Quote', quote.id)]),
    ).rejects.toThrow(/quote_item_line_total/);
  });

  it('takes a currency and dates, and validates them', async () => {
    const { quoteCreate } = await client.QuoteCreate({
      input: { customerId, currency: 'usd', quoteDate: '2026-03-01', validUntil: '2026-03-31', items: [item('1', '9.99')] },
    });
    expect(quoteCreate.quote).toMatchObject({ currency: 'USD', quoteDate: '2026-03-01', validUntil: '2026-03-31', total: '9.99' });
    const before = (await client.CustomerQuotes({ id: customerId, first: 1 })).customer!.quotes.totalCount;
    const bad = [
      { input: { customerId, currency: 'XYZ' }, field: ['input', 'currency'] },
      { input: { customerId, quoteDate: '2026-03-10', validUntil: '2026-03-01' }, field: ['input', 'validUntil'] },
      { input: { customerId, items: [item('1', '1'), item('1', '1', '1.01')] }, field: ['input', 'items', '1', 'discount'] },
      { input: { customerId, items: [{ product: '', quantity: '1', unitPrice: '1' }] }, field: ['input', 'items', '0', 'product'] },
      { input: { customerId, title: 'x'.repeat(201) }, field: ['input', 'title'] },
    ];
    for (const { input, field } of bad) {
      const { quoteCreate } = await client.QuoteCreate({ input });
      expect(quoteCreate.quote).toBeNull();
      expect(quoteCreate.userErrors[0]).toMatchObject({ code: 'VALIDATION_FAILED', field });
    }
    // A malformed decimal never reaches the server's arithmetic.
    await expect(client.QuoteCreate({ input: { customerId, items: [item('1', '1e3')] } })).rejects.toThrow(/Decimal/);
    expect((await client.CustomerQuotes({ id: customerId, first: 1 })).customer!.quotes.totalCount).toBe(before);
  });

  it('numbers quotes without duplicates under 20 concurrent creates over HTTP', async () => {
    const owners = await Promise.all([0, 1, 2, 3].map(() => makeUser(app)));
    const customers = await Promise.all(owners.map((owner) => makeCustomer(app, { owner })));
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        owners[i % 4]!.client.QuoteCreate({ input: { customerId: customers[i % 4]!.id, items: [item('1', '1.00')] } }),
      ),
    );
    const numbers = results.map((r) => {
      expect(r.quoteCreate.userErrors).toEqual([]);
      return r.quoteCreate.quote!.number;
    });
    expect(new Set(numbers).size).toBe(20);
    for (const n of numbers) expect(n).toMatch(new RegExp(`^Q${companyYear()}-\\d{5}$`));
    expect(formatDocumentNumber('QUOTE', 2026, 42)).toBe('Q2026-00042');
    expect(formatDocumentNumber('CONTRACT', 2027, 123456)).toBe('C2027-123456');
  });

  it('replaces the lines on update, only while DRAFT, honouring expectedVersion', async () => {
    const quote = await makeQuote(client, customerId, [item('1', '10'), item('2', '20')]);
    const { quoteUpdate } = await client.QuoteUpdate({
      input: { id: quote.id, expectedVersion: quote.version, title: '新报价', items: [item('4', '2.50', '0.1')] },
    });
    expect(quoteUpdate.userErrors).toEqual([]);
    expect(quoteUpdate.quote).toMatchObject({ title: '新报价', total: '9.00', subtotal: '10.00', version: quote.version + 1 });
    expect(quoteUpdate.quote!.items).toHaveLength(1);

    const stale = await client.QuoteUpdate({ input: { id: quote.id, expectedVersion: quote.version, title: 'stale' } });
    expect(stale.quoteUpdate.userErrors[0]).toMatchObject({ code: 'STALE_VERSION', field: ['input', 'expectedVersion'] });

    const sent = await client.QuoteStatusChange({ input: { id: quote.id, status: 'SENT' } });
    expect(sent.quoteStatusChange.quote!.status).toBe('SENT');
    const late = await client.QuoteUpdate({ input: { id: quote.id, items: [item('1', '1')] } });
    expect(late.quoteUpdate.userErrors[0]?.code).toBe('INVALID_TRANSITION');
    const { node } = await client.QuoteNode({ id: quote.id });
    expect(node).toMatchObject({ title: '新报价', total: '9.00', status: 'SENT' });
  });

  it('moves through the status machine and refuses other transitions', async () => {
    const empty = await client.QuoteCreate({ input: { customerId } });
    const noLines = await client.QuoteStatusChange({ input: { id: empty.quoteCreate.quote!.id, status: 'SENT' } });
    expect(noLines.quoteStatusChange.userErrors[0]).toMatchObject({ code: 'VALIDATION_FAILED', field: ['input', 'status'] });

    const quote = await makeQuote(client, customerId);
    const skip = await client.QuoteStatusChange({ input: { id: quote.id, status: 'ACCEPTED' } });
    expect(skip.quoteStatusChange.userErrors[0]?.code).toBe('INVALID_TRANSITION');
    for (const status of ['SENT', 'ACCEPTED'] as const) {
      const { quoteStatusChange } = await client.QuoteStatusChange({ input: { id: quote.id, status } });
      expect(quoteStatusChange.userErrors).toEqual([]);
    }
    const back = await client.QuoteStatusChange({ input: { id: quote.id, status: 'SENT' } });
    expect(back.quoteStatusChange.userErrors[0]?.code).toBe('INVALID_TRANSITION');
    const rejected = await client.QuoteStatusChange({ input: { id: quote.id, status: 'REJECTED' } });
    expect(rejected.quoteStatusChange.userErrors[0]?.code).toBe('INVALID_TRANSITION');
    expect((await client.QuoteNode({ id: quote.id })).node).toMatchObject({ status: 'ACCEPTED' });
  });

  it('turns an accepted quote into at most one contract', async () => {
    const quote = await makeQuote(client, customerId, [item('3', '19.99', '0.15')]);
    const early = await client.QuoteToContract({ input: { quoteId: quote.id } });
    expect(early.quoteToContract.userErrors[0]?.code).toBe('INVALID_TRANSITION');
    await client.QuoteStatusChange({ input: { id: quote.id, status: 'SENT' } });
    await client.QuoteStatusChange({ input: { id: quote.id, status: 'ACCEPTED' } });

    const { quoteToContract } = await client.QuoteToContract({ input: { quoteId: quote.id, startDate: '2026-01-01', endDate: '2026-12-31' } });
    expect(quoteToContract.userErrors).toEqual([]);
    const contract = quoteToContract.contract!;
    expect(contract).toMatchObject({ amount: '50.97', currency: 'CNY', status: 'DRAFT', title: '报价', sourceQuote: { id: quote.id } });
    expect(contract.number).toMatch(new RegExp(`^C${companyYear()}-\\d{5}$`));
    expect((await client.QuoteNode({ id: quote.id })).node).toMatchObject({ contract: { id: contract.id } });

    const again = await client.QuoteToContract({ input: { quoteId: quote.id } });
    expect(again.quoteToContract.userErrors[0]?.code).toBe('CONFLICT');
    const deleteQuote = await client.QuoteDelete({ input: { id: quote.id } });
    expect(deleteQuote.quoteDelete.userErrors[0]?.code).toBe('CONFLICT');

    // Once its contract is deleted, the quote may become a contract again.
    expect((await client.ContractDelete({ input: { id: contract.id } })).contractDelete.userErrors).toEqual([]);
    const redo = await client.QuoteToContract({ input: { quoteId: quote.id, title: '重签' } });
    expect(redo.quoteToContract.contract).toMatchObject({ title: '重签', amount: '50.97' });
  });

  it('soft-deletes: gone from every path, row kept, history records who and what', async () => {
    const quote = await makeQuote(client, customerId);
    const itemId = quote.items[0]!.id;
    const stale = await client.QuoteDelete({ input: { id: quote.id, expectedVersion: quote.version + 1 } });
    expect(stale.quoteDelete.userErrors[0]?.code).toBe('STALE_VERSION');

    const { quoteDelete } = await client.QuoteDelete({ input: { id: quote.id, expectedVersion: quote.version } });
    expect(quoteDelete).toEqual({ deletedQuoteId: quote.id, userErrors: [] });
    expect((await client.QuoteNode({ id: quote.id })).node).toBeNull();
    expect((await client.QuoteNode({ id: itemId })).node).toBeNull();
    const { customer } = await client.CustomerQuotes({ id: customerId, first: 100 });
    expect(customer!.quotes.nodes.map((q) => q.id)).not.toContain(quote.id);
    const again = await client.QuoteDelete({ input: { id: quote.id } });
    expect(again.quoteDelete.userErrors[0]?.code).toBe('NOT_FOUND');
    const update = await client.QuoteUpdate({ input: { id: quote.id, title: 'x' } });
    expect(update.quoteUpdate.userErrors[0]?.code).toBe('NOT_FOUND');

    const [row] = await app.orm.em.fork().execute<{ deleted: boolean; items: number }[]>(
      `SELECT deleted_at IS NOT NULL AND deleted_by_id IS NOT NULL AS deleted,
              (SELECT count(*)::int FROM quote_item WHERE quote_id = q.id) AS items
       FROM quote q WHERE id = ?`,
      [fromGlobalId('Quote', quote.id)],
    );
    expect(row).toEqual({ deleted: true, items: 1 });

    const history = (await client.MoneyRecordHistory({ id: customerId })).customer!.history.nodes;
    const event = history.find((e) => e.action === 'RECORD_DELETED' && e.recordType === 'Quote');
    expect(event?.recordSummary).toContain(quote.number);
    expect(event?.actor?.name).toBeTruthy();
  });

  it('lists a customer’s quotes newest first, with paging both ways', async () => {
    const owner = await makeUser(app);
    const customer = await makeCustomer(app, { owner });
    const made = [];
    for (let i = 0; i < 5; i += 1) made.push(await makeQuote(owner.client, customer.id));
    const newestFirst = made.map((q) => q.id).reverse();
    const page1 = (await owner.client.CustomerQuotes({ id: customer.id, first: 2 })).customer!.quotes;
    expect(page1.nodes.map((q) => q.id)).toEqual(newestFirst.slice(0, 2));
    expect(page1.totalCount).toBe(5);
    expect(page1.pageInfo.hasNextPage).toBe(true);
    const page2 = (await owner.client.CustomerQuotes({ id: customer.id, first: 2, after: page1.pageInfo.endCursor })).customer!.quotes;
    expect(page2.nodes.map((q) => q.id)).toEqual(newestFirst.slice(2, 4));
    const last = (await owner.client.CustomerQuotes({ id: customer.id, last: 2 })).customer!.quotes;
    expect(last.nodes.map((q) => q.id)).toEqual(newestFirst.slice(3));
    const tooMany = await attemptRead(owner.client.CustomerQuotes({ id: customer.id, first: 101 }));
    expect(tooMany).toEqual({ code: 'VALIDATION_FAILED' });
  });
});

describe('quotes of an archived customer', () => {
  it('stay readable by admins only, and frozen', async () => {
    const customer = await makeCustomer(app);
    const quote = await makeQuote(app.admin.client, customer.id);
    const { customersArchive } = await app.admin.client.CustomersArchive({ input: { customerIds: [customer.id] } });
    expect(customersArchive.results[0]!.userErrors).toEqual([]);

    expect((await app.admin.client.QuoteNode({ id: quote.id })).node).toMatchObject({ id: quote.id });
    const listed = (await app.admin.client.CustomerQuotes({ id: customer.id, first: 10 })).customer!.quotes.nodes;
    expect(listed.map((q) => q.id)).toEqual([quote.id]);
    const create = await app.admin.client.QuoteCreate({ input: { customerId: customer.id } });
    expect(create.quoteCreate.userErrors[0]?.code).toBe('INVALID_TRANSITION');
    const update = await app.admin.client.QuoteUpdate({ input: { id: quote.id, title: 'x' } });
    expect(update.quoteUpdate.userErrors[0]?.code).toBe('INVALID_TRANSITION');

    const sales = await makeUser(app);
    expect((await sales.client.QuoteNode({ id: quote.id })).node).toBeNull();
    const del = await sales.client.QuoteDelete({ input: { id: quote.id } });
    expect(del.quoteDelete.userErrors[0]?.code).toBe('NOT_FOUND');
  });
});

describe('quote permissions: every kind of user', () => {
  let actors: Actor[];
  beforeAll(async () => {
    actors = matrixActors(app, await makeAccessWorld(app));
  });

  const quoteKind: RecordKind = {
    seed: async (customer) => (await makeQuote(app.admin.client, customer.id)).id,
    list: async (client, customer) => {
      const { customer: found } = await client.CustomerQuotes({ id: customer.id, first: 100 });
      return found ? found.quotes.nodes.map((q) => q.id) : null;
    },
    node: async (client, id) => (await client.QuoteNode({ id })).node?.id ?? null,
    create: (client, customer) =>
      outcome(client.QuoteCreate({ input: { customerId: customer.id, items: [item('1', '5')] } }).then((r) => r.quoteCreate), (p) => p.quote?.id),
    update: (client, id) =>
      outcome(client.QuoteUpdate({ input: { id, title: 'changed', items: [item('3', '7')] } }).then((r) => r.quoteUpdate), (p) => p.quote?.id),
    moreWrites: {
      statusChange: (client, id) =>
        outcome(client.QuoteStatusChange({ input: { id, status: 'SENT' } }).then((r) => r.quoteStatusChange), (p) => p.quote?.id),
    },
    remove: (client, id) => outcome(client.QuoteDelete({ input: { id } }).then((r) => r.quoteDelete), (p) => p.deletedQuoteId),
    snapshot: async (id) => (await app.admin.client.QuoteNode({ id })).node,
  };

  const actor = (label: string) => actors.find((a) => a.label === label)!;

  it.each(ACTOR_LABELS)('%s: quotes (nested list, node, create, update, status, delete)', async (label) => {
    await checkActor(app, quoteKind, actor(label));
  });

  it.each(ACTOR_LABELS)('%s: quote lines by node(id)', async (label) => {
    const { access, customer, user } = actor(label);
    const quote = await makeQuote(app.admin.client, customer.id);
    const itemId = quote.items[0]!.id;
    const seen = await attemptRead(user.client.QuoteNode({ id: itemId }));
    if (access === 'UNAUTHENTICATED') expect(seen).toEqual({ code: 'UNAUTHENTICATED' });
    else if (access === 'NONE') expect(seen).toEqual({ node: null });
    else expect(seen).toMatchObject({ node: { id: itemId, __typename: 'QuoteItem', quote: { id: quote.id } } });
  });
});
