import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { companyToday } from '../src/common/company-calendar.js';
import { fromGlobalId } from '../src/common/ids.js';
import { receivableStatus } from '../src/payments/receivable-status.js';
import type { CrmClient } from '../sdk/index.js';
import { makeAccessWorld, makeCustomer, makeUser, type TestCustomer } from './helpers/factories.js';
import {
  ACTOR_LABELS,
  attemptRead,
  checkActor,
  companyDay,
  item,
  makeContract,
  makeQuote,
  makeReceipt,
  makeReceivable,
  matrixActors,
  outcome,
  type Actor,
  type RecordKind,
} from './helpers/money.js';
import { startTestApp, type TestApp, type TestUser } from './helpers/test-app.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

describe('receivable status (pure)', () => {
  const today = '2026-06-15';
  it.each([
    ['1000.00', '0.00', '2026-06-16', 'OUTSTANDING'],
    ['1000.00', '0.00', '2026-06-15', 'OUTSTANDING'], // due today: not overdue yet
    ['1000.00', '0.01', '2026-06-15', 'PARTLY_RECEIVED'],
    ['1000.00', '999.99', '2026-07-01', 'PARTLY_RECEIVED'],
    ['1000.00', '1000.00', '2026-07-01', 'RECEIVED'],
    ['1000.00', '1000.00', '2020-01-01', 'RECEIVED'], // paid in full, however late
    ['1000.00', '0.00', '2026-06-14', 'OVERDUE'],
    ['1000.00', '999.99', '2026-06-14', 'OVERDUE'],
    ['0.30', '0.30', '2026-06-14', 'RECEIVED'],
  ])('%s with %s received, due %s → %s', (amount, received, due, status) => {
    expect(receivableStatus(amount, received, due, today)).toBe(status);
  });
});

async function owned(): Promise<{ owner: TestUser; client: CrmClient; customer: TestCustomer }> {
  const owner = await makeUser(app);
  return { owner, client: owner.client, customer: await makeCustomer(app, { owner }) };
}

async function payments(client: CrmClient, contractId: string) {
  const { node } = await client.ContractPayments({ id: contractId, first: 100 });
  if (node?.__typename !== 'Contract') throw new Error('contract not visible');
  return node;
}

describe('receivables and receipts', () => {
  it('derives each receivable status from its receipts and the company date (Asia/Shanghai)', async () => {
    const { client, customer } = await owned();
    const contract = await makeContract(client, customer.id, '10000.00');
    const future = await makeReceivable(client, contract.id, '1000.00', companyDay(10));
    const dueToday = await makeReceivable(client, contract.id, '1000.00', companyDay(0));
    const partly = await makeReceivable(client, contract.id, '1000.00', companyDay(5));
    const full = await makeReceivable(client, contract.id, '1000.00', companyDay(-30));
    const late = await makeReceivable(client, contract.id, '1000.00', companyDay(-1));
    const lateUnpaid = await makeReceivable(client, contract.id, '500.00', companyDay(-2));
    await makeReceipt(client, contract.id, '0.10', partly.id);
    await makeReceipt(client, contract.id, '0.20', partly.id);
    await makeReceipt(client, contract.id, '1000.00', full.id);
    await makeReceipt(client, contract.id, '400.00', late.id);
    expect(companyDay(0)).toBe(companyToday());

    const node = await payments(client, contract.id);
    const byId = new Map(node.receivables.nodes.map((r) => [r.id, r]));
    expect(byId.get(future.id)).toMatchObject({ status: 'OUTSTANDING', received: '0.00', outstanding: '1000.00' });
    expect(byId.get(dueToday.id)).toMatchObject({ status: 'OUTSTANDING' });
    expect(byId.get(partly.id)).toMatchObject({ status: 'PARTLY_RECEIVED', received: '0.30', outstanding: '999.70' });
    expect(byId.get(full.id)).toMatchObject({ status: 'RECEIVED', received: '1000.00', outstanding: '0.00' });
    expect(byId.get(late.id)).toMatchObject({ status: 'OVERDUE', received: '400.00', outstanding: '600.00' });
    expect(byId.get(lateUnpaid.id)).toMatchObject({ status: 'OVERDUE', received: '0.00' });
    // Receivables by due date, receipts latest first; a receivable lists its own receipts.
    expect(node.receivables.nodes.map((r) => r.dueDate)).toEqual([...node.receivables.nodes.map((r) => r.dueDate)].sort());
    expect(byId.get(partly.id)!.receipts.nodes.map((r) => r.amount).sort()).toEqual(['0.10', '0.20']);
    expect(node.totals).toEqual({
      currency: 'CNY',
      amount: '10000.00',
      received: '1400.30',
      outstanding: '8599.70',
      overdue: '1100.00', // 600.00 of `late` + 500.00 of `lateUnpaid`
    });
  });

  it('refuses a receipt above what is outstanding on its receivable or on the contract, changing nothing', async () => {
    const { client, customer } = await owned();
    const contract = await makeContract(client, customer.id, '1000.00');
    const receivable = await makeReceivable(client, contract.id, '300.00');
    await makeReceipt(client, contract.id, '100.00', receivable.id);
    const input = { contractId: contract.id, receivedOn: companyDay(-1), method: 'CASH' as const };

    const overReceivable = await client.ReceiptCreate({ input: { ...input, receivableId: receivable.id, amount: '200.01' } });
    expect(overReceivable.receiptCreate.userErrors[0]).toMatchObject({ code: 'VALIDATION_FAILED', field: ['input', 'amount'] });
    expect(overReceivable.receiptCreate.userErrors[0]!.message).toContain('200.00 CNY outstanding on the receivable');
    const exact = await client.ReceiptCreate({ input: { ...input, receivableId: receivable.id, amount: '200.00' } });
    expect(exact.receiptCreate.userErrors).toEqual([]);

    const overContract = await client.ReceiptCreate({ input: { ...input, amount: '700.01' } });
    expect(overContract.receiptCreate.userErrors[0]?.message).toContain('700.00 CNY outstanding on contract');
    const rest = await client.ReceiptCreate({ input: { ...input, amount: '700.00' } });
    expect(rest.receiptCreate.receipt!.contract!.totals).toMatchObject({ received: '1000.00', outstanding: '0.00' });
    const more = await client.ReceiptCreate({ input: { ...input, amount: '0.01' } });
    expect(more.receiptCreate.userErrors[0]?.code).toBe('VALIDATION_FAILED');
    expect((await payments(client, contract.id)).receipts.totalCount).toBe(3);
  });

  it('checks receipts under concurrency: together they never exceed the outstanding amount', async () => {
    const { client, customer } = await owned();
    const contract = await makeContract(client, customer.id, '5000.00');
    const receivable = await makeReceivable(client, contract.id, '1000.00');
    const base = { contractId: contract.id, receivedOn: companyDay(-1), method: 'ALIPAY' as const };

    const pair = await Promise.all([0, 1].map(() => client.ReceiptCreate({ input: { ...base, receivableId: receivable.id, amount: '600.00' } })));
    const codes = pair.map((r) => r.receiptCreate.userErrors[0]?.code ?? 'OK').sort();
    expect(codes).toEqual(['OK', 'VALIDATION_FAILED']);

    // Five concurrent receipts of 1000.00 on the 4400.00 left of the contract: exactly four fit.
    const burst = await Promise.all(Array.from({ length: 5 }, () => client.ReceiptCreate({ input: { ...base, amount: '1000.00' } })));
    expect(burst.filter((r) => r.receiptCreate.userErrors.length === 0)).toHaveLength(4);
    const node = await payments(client, contract.id);
    expect(node.totals).toMatchObject({ received: '4600.00', outstanding: '400.00' });
    expect(node.receivables.nodes[0]).toMatchObject({ received: '600.00', status: 'PARTLY_RECEIVED' });
  });

  it('validates receipts and receivables', async () => {
    const { client, customer } = await owned();
    const contract = await makeContract(client, customer.id, '1000.00');
    const otherContract = await makeContract(client, customer.id, '1000.00');
    const foreign = await makeReceivable(client, otherContract.id, '100.00');
    const base = { contractId: contract.id, receivedOn: companyDay(-1), method: 'CHEQUE' as const, amount: '1.00' };
    const bad = [
      { input: { ...base, amount: '0' }, field: ['input', 'amount'] },
      { input: { ...base, amount: '-5.00' }, field: ['input', 'amount'] },
      { input: { ...base, amount: '1.001' }, field: ['input', 'amount'] },
      { input: { ...base, receivedOn: companyDay(1) }, field: ['input', 'receivedOn'] },
      { input: { ...base, receivableId: foreign.id }, field: ['input', 'receivableId'] },
      { input: { ...base, receivableId: contract.id }, field: ['input', 'receivableId'] },
      { input: { ...base, reference: 'r'.repeat(201) }, field: ['input', 'reference'] },
    ];
    for (const { input, field } of bad) {
      const { receiptCreate } = await client.ReceiptCreate({ input });
      expect(receiptCreate.userErrors[0]).toMatchObject({ code: 'VALIDATION_FAILED', field });
    }
    const missing = await client.ReceiptCreate({ input: { ...base, contractId: foreign.id } });
    expect(missing.receiptCreate.userErrors[0]?.code).toBe('NOT_FOUND');

    await makeReceivable(client, contract.id, '600.00');
    const overPlan = await client.ReceivableCreate({ input: { contractId: contract.id, amount: '400.01', dueDate: '2026-12-31' } });
    expect(overPlan.receivableCreate.userErrors[0]).toMatchObject({ code: 'VALIDATION_FAILED', field: ['input', 'amount'] });
    const zero = await client.ReceivableCreate({ input: { contractId: contract.id, amount: '0.00', dueDate: '2026-12-31' } });
    expect(zero.receivableCreate.userErrors[0]).toMatchObject({ code: 'VALIDATION_FAILED', field: ['input', 'amount'] });
    const node = await payments(client, contract.id);
    expect(node.receipts.totalCount).toBe(0);
    expect(node.receivables.totalCount).toBe(1);
  });

  it('updates receivables and receipts within the same limits, with versions', async () => {
    const { client, customer } = await owned();
    const contract = await makeContract(client, customer.id, '1000.00');
    const first = await makeReceivable(client, contract.id, '500.00');
    const second = await makeReceivable(client, contract.id, '300.00');
    const receipt = await makeReceipt(client, contract.id, '400.00', first.id);

    const below = await client.ReceivableUpdate({ input: { id: first.id, amount: '399.99' } });
    expect(below.receivableUpdate.userErrors[0]).toMatchObject({ code: 'VALIDATION_FAILED', field: ['input', 'amount'] });
    const overPlan = await client.ReceivableUpdate({ input: { id: first.id, amount: '700.01' } });
    expect(overPlan.receivableUpdate.userErrors[0]?.code).toBe('VALIDATION_FAILED');
    const ok = await client.ReceivableUpdate({ input: { id: first.id, amount: '700', dueDate: '2027-03-31', expectedVersion: first.version } });
    expect(ok.receivableUpdate.receivable).toMatchObject({ amount: '700.00', dueDate: '2027-03-31', received: '400.00', status: 'PARTLY_RECEIVED' });
    const stale = await client.ReceivableUpdate({ input: { id: first.id, notes: 'x', expectedVersion: first.version } });
    expect(stale.receivableUpdate.userErrors[0]?.code).toBe('STALE_VERSION');

    // The receipt's own old amount does not count against it.
    const raise = await client.ReceiptUpdate({ input: { id: receipt.id, amount: '700.00', expectedVersion: receipt.version } });
    expect(raise.receiptUpdate.receipt).toMatchObject({ amount: '700.00', version: receipt.version + 1 });
    const tooMuch = await client.ReceiptUpdate({ input: { id: receipt.id, amount: '700.01' } });
    expect(tooMuch.receiptUpdate.userErrors[0]?.code).toBe('VALIDATION_FAILED');
    const wontFit = await client.ReceiptUpdate({ input: { id: receipt.id, receivableId: second.id } });
    expect(wontFit.receiptUpdate.userErrors[0]?.code).toBe('VALIDATION_FAILED');
    const move = await client.ReceiptUpdate({ input: { id: receipt.id, amount: '300.00', receivableId: second.id, method: 'WECHAT_PAY' } });
    expect(move.receiptUpdate.receipt).toMatchObject({ amount: '300.00', method: 'WECHAT_PAY', receivable: { id: second.id } });
    const detach = await client.ReceiptUpdate({ input: { id: receipt.id, clearReceivable: true, reference: 'TX-1' } });
    expect(detach.receiptUpdate.receipt).toMatchObject({ receivable: null, reference: 'TX-1' });
    const staleReceipt = await client.ReceiptUpdate({ input: { id: receipt.id, notes: 'x', expectedVersion: receipt.version } });
    expect(staleReceipt.receiptUpdate.userErrors[0]?.code).toBe('STALE_VERSION');

    const node = await payments(client, contract.id);
    expect(node.receivables.nodes.map((r) => [r.amount, r.received])).toEqual([
      ['300.00', '0.00'],
      ['700.00', '0.00'],
    ]);
    expect(node.totals).toMatchObject({ received: '300.00', outstanding: '700.00' });
  });

  it('soft-deletes receivables and receipts with a history entry; refuses a receivable that receipts settle', async () => {
    const { client, customer } = await owned();
    const contract = await makeContract(client, customer.id, '1000.00');
    const receivable = await makeReceivable(client, contract.id, '1000.00', '2026-12-31');
    const receipt = await makeReceipt(client, contract.id, '250.00', receivable.id);

    const refused = await client.ReceivableDelete({ input: { id: receivable.id } });
    expect(refused.receivableDelete.userErrors[0]?.code).toBe('CONFLICT');
    const stale = await client.ReceiptDelete({ input: { id: receipt.id, expectedVersion: receipt.version + 1 } });
    expect(stale.receiptDelete.userErrors[0]?.code).toBe('STALE_VERSION');

    expect((await client.ReceiptDelete({ input: { id: receipt.id } })).receiptDelete).toEqual({ deletedReceiptId: receipt.id, userErrors: [] });
    let node = await payments(client, contract.id);
    expect(node.receipts.nodes).toEqual([]);
    expect(node.totals).toMatchObject({ received: '0.00', outstanding: '1000.00' });
    expect(node.receivables.nodes[0]).toMatchObject({ received: '0.00', status: 'OUTSTANDING' });

    expect((await client.ReceivableDelete({ input: { id: receivable.id } })).receivableDelete.userErrors).toEqual([]);
    node = await payments(client, contract.id);
    expect(node.receivables.totalCount).toBe(0);
    for (const id of [receipt.id, receivable.id]) expect((await client.PaymentNode({ id })).node).toBeNull();
    const again = await client.ReceiptUpdate({ input: { id: receipt.id, amount: '1.00' } });
    expect(again.receiptUpdate.userErrors[0]?.code).toBe('NOT_FOUND');

    const [row] = await app.orm.em.fork().execute<{ receipts: number; receivables: number }[]>(
      `SELECT (SELECT count(*)::int FROM receipt WHERE contract_id = ? AND deleted_at IS NOT NULL) AS receipts,
              (SELECT count(*)::int FROM receivable WHERE contract_id = ? AND deleted_at IS NOT NULL) AS receivables`,
      [fromGlobalId('Contract', contract.id), fromGlobalId('Contract', contract.id)],
    );
    expect(row).toEqual({ receipts: 1, receivables: 1 });
    const history = (await client.MoneyRecordHistory({ id: customer.id })).customer!.history.nodes.filter((e) => e.action === 'RECORD_DELETED');
    expect(history.map((e) => [e.recordType, e.recordSummary])).toEqual([
      ['Receivable', `应收 1000.00 CNY due 2026-12-31 (${contract.number})`],
      ['Receipt', `已收 250.00 CNY on ${receipt.receivedOn} (${contract.number})`],
    ]);
  });
});

describe('a customer’s receivables and receipts over all its contracts', () => {
  it('lists them across contracts, by due date and latest first, with paging', async () => {
    const { client, customer } = await owned();
    const a = await makeContract(client, customer.id, '1000.00');
    const b = await makeContract(client, customer.id, '1000.00');
    const late = await makeReceivable(client, b.id, '100.00', '2027-05-01');
    const early = await makeReceivable(client, a.id, '100.00', '2027-01-01');
    const middle = await makeReceivable(client, b.id, '100.00', '2027-03-01');
    await makeReceipt(client, a.id, '1.00');
    await makeReceipt(client, b.id, '2.00', late.id);

    const page = (await client.CustomerReceivables({ id: customer.id, first: 2 })).customer!.receivables;
    expect(page.totalCount).toBe(3);
    expect(page.nodes.map((r) => r.id)).toEqual([early.id, middle.id]);
    expect(page.nodes.map((r) => r.contract!.id)).toEqual([a.id, b.id]);
    const next = (await client.CustomerReceivables({ id: customer.id, first: 2, after: page.pageInfo.endCursor })).customer!.receivables;
    expect(next.nodes.map((r) => r.id)).toEqual([late.id]);
    const receipts = (await client.CustomerReceipts({ id: customer.id, first: 10 })).customer!.receipts;
    expect(receipts.nodes.map((r) => [r.amount, r.contract!.id]).sort()).toEqual([
      ['1.00', a.id],
      ['2.00', b.id],
    ]);
  });
});

describe('totals stay consistent with the rows', () => {
  /** Contract totals recomputed independently, straight from the tables. */
  async function sqlTotals(contractId: string) {
    const id = fromGlobalId('Contract', contractId);
    const [row] = await app.orm.em.fork().execute<Record<string, string>[]>(
      `SELECT c.amount::text AS amount,
         (SELECT coalesce(sum(amount), 0) FROM receipt WHERE contract_id = c.id AND deleted_at IS NULL)::numeric(20,2)::text AS received
       FROM contract c WHERE c.id = ?`,
      [id],
    );
    return row!;
  }

  it('keeps contract totals equal to the sums of live rows through every change', async () => {
    const { client, customer } = await owned();
    const contract = await makeContract(client, customer.id, '100000.00');
    const r1 = await makeReceivable(client, contract.id, '30000.00', companyDay(-5));
    const r2 = await makeReceivable(client, contract.id, '70000.00', companyDay(20));
    const steps: (() => Promise<unknown>)[] = [
      () => makeReceipt(client, contract.id, '0.10', r1.id),
      () => makeReceipt(client, contract.id, '0.20', r1.id),
      () => makeReceipt(client, contract.id, '9999.70', r2.id),
      () => makeReceipt(client, contract.id, '0.01'),
      async () => {
        const node = await payments(client, contract.id);
        await client.ReceiptDelete({ input: { id: node.receipts.nodes.find((r) => r.amount === '0.01')!.id } });
      },
    ];
    for (const step of steps) {
      await step();
      const node = await payments(client, contract.id);
      const sql = await sqlTotals(contract.id);
      expect(node.totals.amount).toBe(sql.amount);
      expect(node.totals.received).toBe(sql.received);
      const sumReceipts = node.receipts.nodes.map((r) => BigInt(r.amount.replace('.', ''))).reduce((a, b) => a + b, 0n);
      expect(BigInt(node.totals.received.replace('.', ''))).toBe(sumReceipts);
      expect(BigInt(node.totals.outstanding.replace('.', ''))).toBe(BigInt(node.totals.amount.replace('.', '')) - sumReceipts);
    }
    const node = await payments(client, contract.id);
    expect(node.totals).toMatchObject({ received: '10000.00', outstanding: '90000.00', overdue: '29999.70' });
  });

  it('caps overdue at outstanding when money came in without a receivable', async () => {
    const { client, customer } = await owned();
    const contract = await makeContract(client, customer.id, '1000.00');
    await makeReceivable(client, contract.id, '1000.00', companyDay(-1));
    await makeReceipt(client, contract.id, '800.00');
    const node = await payments(client, contract.id);
    expect(node.receivables.nodes[0]!.status).toBe('OVERDUE');
    expect(node.totals).toMatchObject({ received: '800.00', outstanding: '200.00', overdue: '200.00' });
  });

  it('sums a customer’s totals per currency over its live contracts', async () => {
    const { client, customer } = await owned();
    const cny1 = await makeContract(client, customer.id, '1000.10');
    const cny2 = await makeContract(client, customer.id, '2000.20');
    const usd = await makeContract(client, customer.id, '9999999999999999.99', 'USD');
    const gone = await makeContract(client, customer.id, '555.55');
    await makeReceivable(client, cny1.id, '1000.10', companyDay(-3));
    await makeReceipt(client, cny1.id, '0.10');
    await makeReceipt(client, cny2.id, '0.20');
    await makeReceipt(client, usd.id, '0.99');
    await client.ContractDelete({ input: { id: gone.id } });

    const { customer: found } = await client.CustomerMoneyTotals({ id: customer.id });
    expect(found!.moneyTotals).toEqual([
      { currency: 'CNY', contractCount: 2, contracted: '3000.30', received: '0.30', outstanding: '3000.00', overdue: '1000.00' },
      {
        currency: 'USD',
        contractCount: 1,
        contracted: '9999999999999999.99',
        received: '0.99',
        outstanding: '9999999999999999.00',
        overdue: '0.00',
      },
    ]);
    const empty = await makeCustomer(app, { owner: (await owned()).owner });
    expect((await app.admin.client.CustomerMoneyTotals({ id: empty.id })).customer!.moneyTotals).toEqual([]);
  });
});

describe('receivable and receipt permissions: every kind of user', () => {
  let actors: Actor[];
  const contracts = new Map<string, string>();
  beforeAll(async () => {
    actors = matrixActors(app, await makeAccessWorld(app));
  });

  /** One big contract per customer to hang the records on (created by the admin). */
  async function contractOf(customer: TestCustomer): Promise<string> {
    let id = contracts.get(customer.id);
    if (!id) {
      id = (await makeContract(app.admin.client, customer.id, '99999999.00')).id;
      contracts.set(customer.id, id);
    }
    return id;
  }

  /** The ids in the customer's own list, checked against the lists of its contracts. */
  async function listed(client: CrmClient, customer: TestCustomer, what: 'receivables' | 'receipts') {
    const [{ customer: found }, direct] = await Promise.all([
      client.CustomerPayments({ id: customer.id }),
      what === 'receivables'
        ? client.CustomerReceivables({ id: customer.id, first: 100 }).then((r) => r.customer?.receivables.nodes)
        : client.CustomerReceipts({ id: customer.id, first: 100 }).then((r) => r.customer?.receipts.nodes),
    ]);
    if (!found) {
      expect(direct).toBeUndefined();
      return null;
    }
    const viaContracts = found.contracts.nodes.flatMap((c) => c[what].nodes.map((r) => r.id));
    const ids = direct!.map((r) => r.id);
    expect([...ids].sort()).toEqual([...viaContracts].sort());
    return ids;
  }

  const snapshot = async (id: string) => (await app.admin.client.PaymentNode({ id })).node;
  const node = async (client: CrmClient, id: string) => (await client.PaymentNode({ id })).node?.id ?? null;

  const receivableKind: RecordKind = {
    seed: async (customer) => (await makeReceivable(app.admin.client, await contractOf(customer), '10.00')).id,
    list: (client, customer) => listed(client, customer, 'receivables'),
    node,
    create: async (client, customer) =>
      outcome(
        client
          .ReceivableCreate({ input: { contractId: await contractOf(customer), amount: '5.00', dueDate: '2026-12-31' } })
          .then((r) => r.receivableCreate),
        (p) => p.receivable?.id,
      ),
    update: (client, id) =>
      outcome(client.ReceivableUpdate({ input: { id, amount: '20.00', notes: '改期' } }).then((r) => r.receivableUpdate), (p) => p.receivable?.id),
    remove: (client, id) => outcome(client.ReceivableDelete({ input: { id } }).then((r) => r.receivableDelete), (p) => p.deletedReceivableId),
    snapshot,
  };

  const receiptKind: RecordKind = {
    seed: async (customer) => (await makeReceipt(app.admin.client, await contractOf(customer), '10.00')).id,
    list: (client, customer) => listed(client, customer, 'receipts'),
    node,
    create: async (client, customer) =>
      outcome(
        client
          .ReceiptCreate({ input: { contractId: await contractOf(customer), amount: '5.00', receivedOn: '2026-01-02', method: 'CASH' } })
          .then((r) => r.receiptCreate),
        (p) => p.receipt?.id,
      ),
    update: (client, id) =>
      outcome(client.ReceiptUpdate({ input: { id, amount: '20.00', reference: 'TX-9' } }).then((r) => r.receiptUpdate), (p) => p.receipt?.id),
    remove: (client, id) => outcome(client.ReceiptDelete({ input: { id } }).then((r) => r.receiptDelete), (p) => p.deletedReceiptId),
    snapshot,
  };

  const actor = (label: string) => actors.find((a) => a.label === label)!;

  it.each(ACTOR_LABELS)('%s: receivables (nested list, node, create, update, delete)', async (label) => {
    await checkActor(app, receivableKind, actor(label));
  });

  it.each(ACTOR_LABELS)('%s: receipts (nested list, node, create, update, delete)', async (label) => {
    await checkActor(app, receiptKind, actor(label));
  });

  it.each(ACTOR_LABELS)('%s: money totals follow the customer', async (label) => {
    const { access, customer, user } = actor(label);
    await contractOf(customer);
    const seen = await attemptRead(user.client.CustomerMoneyTotals({ id: customer.id }));
    if (access === 'UNAUTHENTICATED') expect(seen).toEqual({ code: 'UNAUTHENTICATED' });
    else if (access === 'NONE') expect(seen).toEqual({ customer: null });
    else expect(seen).toMatchObject({ customer: { moneyTotals: [{ currency: 'CNY', contracted: '99999999.00' }] } });
  });
});

describe('speed: the headline query costs the same number of statements for 5 or 50 customers', () => {
  it('issues the same SQL statements for a page of 5 and a page of 50', async () => {
    const owner = await makeUser(app);
    const customers: TestCustomer[] = [];
    for (let batch = 0; batch < 5; batch += 1) {
      customers.push(...(await Promise.all(Array.from({ length: 10 }, () => makeCustomer(app, { owner })))));
    }
    // Every customer gets quotes with lines, contracts with receivables and receipts.
    for (let start = 0; start < customers.length; start += 10) {
      await Promise.all(
        customers.slice(start, start + 10).map(async (customer, i) => {
          await makeQuote(owner.client, customer.id, [item('1', '10.00'), item('2', '0.10', '0.5')]);
          await makeQuote(owner.client, customer.id, [item('3', '19.99', '0.15')]);
          const contract = await makeContract(owner.client, customer.id, '1000.00', i % 2 ? 'USD' : 'CNY');
          const receivable = await makeReceivable(owner.client, contract.id, '600.00', companyDay(-1));
          await makeReceipt(owner.client, contract.id, '100.00', receivable.id);
          await makeReceipt(owner.client, contract.id, '50.00');
          await makeContract(owner.client, customer.id, '5.00');
        }),
      );
    }

    const run = async (first: number) => {
      const before = app.sql.statements;
      const { customers: page } = await owner.client.CustomersMoneyOverview({ view: 'MINE', first, recordsFirst: 5 });
      return { statements: app.sql.statements - before, page };
    };
    const small = await run(5);
    const large = await run(50);
    expect(small.page.nodes).toHaveLength(5);
    expect(large.page.nodes).toHaveLength(50);
    for (const c of large.page.nodes) {
      expect(c.quotes.nodes).toHaveLength(2);
      expect(c.quotes.nodes.flatMap((q) => q.items)).toHaveLength(3);
      expect(c.contracts.nodes).toHaveLength(2);
      const main = c.contracts.nodes.find((x) => x.totals.amount === '1000.00')!;
      expect(main.totals).toEqual({ amount: '1000.00', received: '150.00', outstanding: '850.00', overdue: '500.00' });
      expect(main.receivables.nodes).toEqual([expect.objectContaining({ status: 'OVERDUE', outstanding: '500.00' })]);
      expect(main.receipts.nodes).toHaveLength(2);
      expect(c.moneyTotals.length).toBeGreaterThan(0);
    }
    expect(large.statements).toBe(small.statements);
    // viewer lookup, customers page and count, customer access check, quotes page, quote lines,
    // contracts page, contract totals, receivables page, their receipts sums, receipts page,
    // customer totals, the company time zone setting: one statement each, whatever the page size.
    expect(large.statements).toBeLessThanOrEqual(13);
  });
});
