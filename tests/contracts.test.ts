import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { companyYear } from '../src/common/company-calendar.js';
import { fromGlobalId } from '../src/common/ids.js';
import { CONTRACT_TRANSITIONS } from '../src/contracts/contract-status.js';
import { ContractStatus } from '../src/contracts/contract.entity.js';
import type { CrmClient } from '../sdk/index.js';
import { makeAccessWorld, makeCustomer, makeUser } from './helpers/factories.js';
import { describeStatusMachine } from './helpers/status-machine.js';
import {
  ACTOR_LABELS,
  attemptRead,
  checkActor,
  makeContract,
  makeReceipt,
  makeReceivable,
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

describeStatusMachine('contract', CONTRACT_TRANSITIONS, Object.values(ContractStatus), ['DRAFT>ACTIVE', 'DRAFT>TERMINATED', 'ACTIVE>COMPLETED', 'ACTIVE>TERMINATED']);

describe('contracts', () => {
  let client: CrmClient;
  let customerId: string;
  beforeAll(async () => {
    const owner = await makeUser(app);
    client = owner.client;
    customerId = (await makeCustomer(app, { owner })).id;
  });

  const contractCount = async () => (await client.CustomerContracts({ id: customerId, first: 1 })).customer!.contracts.totalCount;

  it('creates a numbered DRAFT contract with exact money', async () => {
    const { contractCreate } = await client.ContractCreate({
      input: {
        customerId,
        title: ' 年度服务合同 ',
        amount: '120000.5',
        signedDate: '2026-01-05',
        startDate: '2026-02-01',
        endDate: '2026-12-31',
        notes: '含税',
      },
    });
    expect(contractCreate.userErrors).toEqual([]);
    const contract = contractCreate.contract!;
    expect(contract.number).toMatch(new RegExp(`^C${companyYear()}-\\d{5}$`));
    expect(contract).toMatchObject({
      title: '年度服务合同',
      amount: '120000.50',
      currency: 'CNY',
      status: 'DRAFT',
      startDate: '2026-02-01',
      endDate: '2026-12-31',
      sourceQuote: null,
      totals: { currency: 'CNY', amount: '120000.50', received: '0.00', outstanding: '120000.50', overdue: '0.00' },
    });
    const large = await makeContract(client, customerId, '9999999999999999.99', 'EUR');
    expect(large.totals).toMatchObject({ amount: '9999999999999999.99', outstanding: '9999999999999999.99', currency: 'EUR' });
  });

  it('validates input and creates nothing when it is invalid', async () => {
    const before = await contractCount();
    const bad = [
      { input: { customerId, title: 'x', amount: '1', startDate: '2026-05-01', endDate: '2026-04-30' }, field: ['input', 'endDate'] },
      { input: { customerId, title: 'x', amount: '-1' }, field: ['input', 'amount'] },
      { input: { customerId, title: 'x', amount: '1.001' }, field: ['input', 'amount'] },
      { input: { customerId, title: 'x', amount: '1', currency: 'ABC' }, field: ['input', 'currency'] },
      { input: { customerId, title: '   ', amount: '1' }, field: ['input', 'title'] },
      { input: { customerId, title: '', amount: '1' }, field: ['input', 'title'] },
    ];
    for (const { input, field } of bad) {
      const { contractCreate } = await client.ContractCreate({ input });
      expect(contractCreate.contract).toBeNull();
      expect(contractCreate.userErrors[0]).toMatchObject({ code: 'VALIDATION_FAILED', field });
    }
    const unknown = await client.ContractCreate({ input: { customerId: 'nonsense', title: 'x', amount: '1' } });
    expect(unknown.contractCreate.userErrors[0]?.code).toBe('NOT_FOUND');
    expect(await contractCount()).toBe(before);
  });

  it('updates fields, keeps the amount above what is received and planned, honours expectedVersion', async () => {
    const contract = await makeContract(client, customerId, '1000.00');
    const { contractUpdate } = await client.ContractUpdate({
      input: { id: contract.id, expectedVersion: contract.version, title: '新标题', startDate: '2026-01-01', endDate: '2026-06-30', currency: 'usd' },
    });
    expect(contractUpdate.userErrors).toEqual([]);
    expect(contractUpdate.contract).toMatchObject({ title: '新标题', currency: 'USD', version: contract.version + 1 });

    const stale = await client.ContractUpdate({ input: { id: contract.id, expectedVersion: contract.version, title: 'stale' } });
    expect(stale.contractUpdate.userErrors[0]?.code).toBe('STALE_VERSION');
    const dates = await client.ContractUpdate({ input: { id: contract.id, endDate: '2025-12-31' } });
    expect(dates.contractUpdate.userErrors[0]).toMatchObject({ code: 'VALIDATION_FAILED', field: ['input', 'endDate'] });

    await makeReceivable(client, contract.id, '600.00');
    await makeReceipt(client, contract.id, '300.00');
    const belowPlan = await client.ContractUpdate({ input: { id: contract.id, amount: '599.99' } });
    expect(belowPlan.contractUpdate.userErrors[0]).toMatchObject({ code: 'VALIDATION_FAILED', field: ['input', 'amount'] });
    const currency = await client.ContractUpdate({ input: { id: contract.id, currency: 'CNY' } });
    expect(currency.contractUpdate.userErrors[0]).toMatchObject({ code: 'VALIDATION_FAILED', field: ['input', 'currency'] });
    const ok = await client.ContractUpdate({ input: { id: contract.id, amount: '600' } });
    expect(ok.contractUpdate.contract!.totals).toMatchObject({ amount: '600.00', received: '300.00', outstanding: '300.00' });

    const { node } = await client.ContractNode({ id: contract.id });
    expect(node).toMatchObject({ title: '新标题', currency: 'USD', amount: '600.00', startDate: '2026-01-01', endDate: '2026-06-30' });
  });

  it('refuses to lower the amount below the receipts', async () => {
    const contract = await makeContract(client, customerId, '1000.00');
    await makeReceipt(client, contract.id, '800.00');
    const { contractUpdate } = await client.ContractUpdate({ input: { id: contract.id, amount: '799.99' } });
    expect(contractUpdate.userErrors[0]).toMatchObject({ code: 'VALIDATION_FAILED', field: ['input', 'amount'] });
    expect(contractUpdate.userErrors[0]!.message).toContain('800.00 CNY already received');
  });

  it('moves through the status machine and refuses other transitions', async () => {
    const contract = await makeContract(client, customerId);
    const skip = await client.ContractStatusChange({ input: { id: contract.id, status: 'COMPLETED' } });
    expect(skip.contractStatusChange.userErrors[0]?.code).toBe('INVALID_TRANSITION');
    for (const status of ['ACTIVE', 'COMPLETED'] as const) {
      const { contractStatusChange } = await client.ContractStatusChange({ input: { id: contract.id, status } });
      expect(contractStatusChange.userErrors).toEqual([]);
      expect(contractStatusChange.contract!.status).toBe(status);
    }
    for (const status of ['ACTIVE', 'TERMINATED', 'DRAFT'] as const) {
      const { contractStatusChange } = await client.ContractStatusChange({ input: { id: contract.id, status } });
      expect(contractStatusChange.userErrors[0]?.code).toBe('INVALID_TRANSITION');
    }
    const stale = await client.ContractStatusChange({ input: { id: contract.id, status: 'TERMINATED', expectedVersion: 1 } });
    expect(stale.contractStatusChange.userErrors[0]?.code).toBe('STALE_VERSION');
  });

  it('refuses to delete a contract with receipts; otherwise deletes it with its receivables, softly, in the history', async () => {
    const contract = await makeContract(client, customerId, '3000.00');
    const planned = await makeReceivable(client, contract.id, '1000.00', '2026-12-31');
    const other = await makeReceivable(client, contract.id, '500.00', '2027-01-31');
    const receipt = await makeReceipt(client, contract.id, '200.00', planned.id);

    const refused = await client.ContractDelete({ input: { id: contract.id } });
    expect(refused.contractDelete.userErrors[0]).toMatchObject({ code: 'CONFLICT', field: ['input', 'id'] });
    expect((await client.ContractNode({ id: contract.id })).node).toMatchObject({ id: contract.id, version: contract.version });
    expect((await client.PaymentNode({ id: planned.id })).node).not.toBeNull();

    expect((await client.ReceiptDelete({ input: { id: receipt.id } })).receiptDelete.userErrors).toEqual([]);
    const { contractDelete } = await client.ContractDelete({ input: { id: contract.id, expectedVersion: contract.version } });
    expect(contractDelete).toEqual({ deletedContractId: contract.id, userErrors: [] });

    for (const id of [contract.id, planned.id, other.id, receipt.id]) {
      expect((await client.PaymentNode({ id })).node).toBeNull();
    }
    expect((await client.ContractNode({ id: contract.id })).node).toBeNull();
    const { customer } = await client.CustomerContracts({ id: customerId, first: 100 });
    expect(customer!.contracts.nodes.map((c) => c.id)).not.toContain(contract.id);
    const update = await client.ContractUpdate({ input: { id: contract.id, title: 'x' } });
    expect(update.contractUpdate.userErrors[0]?.code).toBe('NOT_FOUND');

    const rows = await app.orm.em.fork().execute<{ t: string; deleted: boolean }[]>(
      `SELECT 'contract' AS t, deleted_at IS NOT NULL AND deleted_by_id IS NOT NULL AS deleted FROM contract WHERE id = ?
       UNION ALL SELECT 'receivable', deleted_at IS NOT NULL AND deleted_by_id IS NOT NULL FROM receivable WHERE contract_id = ?`,
      [fromGlobalId('Contract', contract.id), fromGlobalId('Contract', contract.id)],
    );
    expect(rows).toEqual([
      { t: 'contract', deleted: true },
      { t: 'receivable', deleted: true },
      { t: 'receivable', deleted: true },
    ]);

    const history = (await client.MoneyRecordHistory({ id: customerId })).customer!.history.nodes.filter((e) => e.action === 'RECORD_DELETED');
    const summaries = history.map((e) => `${e.recordType}: ${e.recordSummary}`);
    expect(summaries).toEqual(
      expect.arrayContaining([
        `Contract: ${contract.number} 合同 (3000.00 CNY)`,
        `Receivable: 应收 1000.00 CNY due 2026-12-31 (${contract.number})`,
        `Receivable: 应收 500.00 CNY due 2027-01-31 (${contract.number})`,
        `Receipt: 已收 200.00 CNY on ${receipt.receivedOn} (${contract.number})`,
      ]),
    );
  });

  it('lists a customer’s contracts newest first with paging', async () => {
    const owner = await makeUser(app);
    const customer = await makeCustomer(app, { owner });
    const made = [];
    for (let i = 0; i < 4; i += 1) made.push((await makeContract(owner.client, customer.id)).id);
    const page = (await owner.client.CustomerContracts({ id: customer.id, first: 3 })).customer!.contracts;
    expect(page.nodes.map((c) => c.id)).toEqual(made.slice().reverse().slice(0, 3));
    expect(page.totalCount).toBe(4);
    const rest = (await owner.client.CustomerContracts({ id: customer.id, first: 3, after: page.pageInfo.endCursor })).customer!.contracts;
    expect(rest.nodes.map((c) => c.id)).toEqual([made[0]]);
    expect(rest.pageInfo.hasNextPage).toBe(false);
    expect(await attemptRead(owner.client.CustomerContracts({ id: customer.id, last: 0 }))).toEqual({ code: 'VALIDATION_FAILED' });
  });
});

describe('contract permissions: every kind of user', () => {
  let actors: Actor[];
  beforeAll(async () => {
    actors = matrixActors(app, await makeAccessWorld(app));
  });

  const contractKind: RecordKind = {
    seed: async (customer) => (await makeContract(app.admin.client, customer.id)).id,
    list: async (client, customer) => {
      const { customer: found } = await client.CustomerContracts({ id: customer.id, first: 100 });
      return found ? found.contracts.nodes.map((c) => c.id) : null;
    },
    node: async (client, id) => (await client.ContractNode({ id })).node?.id ?? null,
    create: (client, customer) =>
      outcome(
        client.ContractCreate({ input: { customerId: customer.id, title: '新合同', amount: '5000' } }).then((r) => r.contractCreate),
        (p) => p.contract?.id,
      ),
    update: (client, id) =>
      outcome(client.ContractUpdate({ input: { id, title: 'changed', amount: '7000' } }).then((r) => r.contractUpdate), (p) => p.contract?.id),
    moreWrites: {
      statusChange: (client, id) =>
        outcome(client.ContractStatusChange({ input: { id, status: 'ACTIVE' } }).then((r) => r.contractStatusChange), (p) => p.contract?.id),
    },
    remove: (client, id) => outcome(client.ContractDelete({ input: { id } }).then((r) => r.contractDelete), (p) => p.deletedContractId),
    snapshot: async (id) => (await app.admin.client.ContractNode({ id })).node,
  };

  const actor = (label: string) => actors.find((a) => a.label === label)!;

  it.each(ACTOR_LABELS)('%s: contracts (nested list, node, create, update, status, delete)', async (label) => {
    await checkActor(app, contractKind, actor(label));
  });

  it.each(ACTOR_LABELS)('%s: quoteToContract follows the customer', async (label) => {
    const { access, customer, user } = actor(label);
    const { quoteCreate } = await app.admin.client.QuoteCreate({
      input: { customerId: customer.id, items: [{ product: 'x', quantity: '1', unitPrice: '10' }] },
    });
    const quoteId = quoteCreate.quote!.id;
    for (const status of ['SENT', 'ACCEPTED'] as const) await app.admin.client.QuoteStatusChange({ input: { id: quoteId, status } });
    const result = await outcome(user.client.QuoteToContract({ input: { quoteId } }).then((r) => r.quoteToContract), (p) => p.contract?.id);
    const expected = { EDIT: 'OK', READ: 'FORBIDDEN', NONE: 'NOT_FOUND', UNAUTHENTICATED: 'UNAUTHENTICATED' }[access];
    expect(result.code).toBe(expected);
    const { node } = await app.admin.client.QuoteNode({ id: quoteId });
    expect(node && 'contract' in node ? (node.contract?.id ?? null) : 'no quote').toBe(access === 'EDIT' ? result.id : null);
  });
});
