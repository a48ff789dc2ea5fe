import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toGlobalId } from '../src/common/ids.js';
import type { CrmClient } from '../sdk/index.js';
import { upload } from './helpers/attachment-http.js';
import { makeCustomer, makeUser, unique, type TestCustomer } from './helpers/factories.js';
import { startTestApp, type TestApp, type TestUser } from './helpers/test-app.js';

// A customer the viewer cannot see is NOT_FOUND for every action, exactly as a missing id: no
// ALREADY_CLAIMED with the owner's name and claim time (that listed who owns what to anyone who
// tried to claim it). Those who may see it still learn who owns it, and so does the loser of a
// claim race for a pool customer.

let app: TestApp;
let director: TestUser;
let manager: TestUser;
let owner: TestUser;
let sharee: TestUser;
let unrelated: TestUser;
let otherManager: TestUser;
const MISSING = toGlobalId('Customer', '987654321');

beforeAll(async () => {
  app = await startTestApp();
  director = await makeUser(app, { role: 'MANAGER', name: unique('director') });
  manager = await makeUser(app, { role: 'MANAGER', manager: director, name: unique('manager') });
  owner = await makeUser(app, { manager, name: unique('owner') });
  otherManager = await makeUser(app, { role: 'MANAGER', name: unique('othermgr') });
  sharee = await makeUser(app, { manager: otherManager, name: unique('sharee') });
  unrelated = await makeUser(app, { manager: otherManager, name: unique('unrelated') });
});
afterAll(() => app.close());

const owned = () => makeCustomer(app, { owner, sharedWith: [sharee] });

async function claimError(client: CrmClient, ids: string[]) {
  const { customersClaim } = await client.CustomersClaim({ input: { customerIds: ids } });
  return customersClaim.results.map((r) => ({ customer: r.customer, error: r.userErrors[0] ?? null }));
}

async function ownerNow(id: string) {
  const { customer } = await app.admin.client.Customer({ id, historyFirst: 100 });
  return { owner: customer!.owner?.id ?? null, claimedAt: customer!.claimedAt, history: customer!.history.totalCount };
}

describe('claiming a customer one cannot see', () => {
  it('is NOT_FOUND, exactly as a missing id, alone and in a batch; nothing changes', async () => {
    const target = await owned();
    const before = await ownerNow(target.id);
    const [missing] = await claimError(unrelated.client, [MISSING]);
    expect(missing!.error!.code).toBe('NOT_FOUND');
    for (const viewer of [unrelated, otherManager]) {
      const [alone] = await claimError(viewer.client, [target.id]);
      expect(alone).toEqual(missing);
      expect(alone!.error!.message).not.toContain(owner.name);
    }
    const pooled = await makeCustomer(app);
    const batch = await claimError(unrelated.client, [target.id, MISSING, pooled.id]);
    expect(batch.map((r) => r.error?.code ?? 'OK')).toEqual(['NOT_FOUND', 'NOT_FOUND', 'OK']);
    expect(batch[0]).toEqual(batch[1]);
    expect(await ownerNow(target.id)).toEqual(before);
  });

  it('still tells the owner, the sharee, the managers above and an admin who owns it and since when', async () => {
    const target = await owned();
    const { claimedAt } = await ownerNow(target.id);
    for (const viewer of [owner, sharee, manager, director, app.admin]) {
      const [result] = await claimError(viewer.client, [target.id]);
      expect(result!.error, viewer.name).toMatchObject({ code: 'ALREADY_CLAIMED', ownerName: owner.name, claimedAt });
      expect(result!.error!.message).toContain(viewer === owner ? 'you' : owner.name);
    }
    const batch = await claimError(manager.client, [target.id, MISSING]);
    expect(batch.map((r) => r.error?.code)).toEqual(['ALREADY_CLAIMED', 'NOT_FOUND']);
    expect(batch[0]!.error!.ownerName).toBe(owner.name);
  });
});

describe('the loser of a claim race', () => {
  it('is told who won while the race is fresh, and NOT_FOUND once the customer has long left the pool', async () => {
    // A short race window: QUEUE_TIMEOUT_MS + STATEMENT_TIMEOUT_MS.
    const quick = await startTestApp({ env: { QUEUE_TIMEOUT_MS: '100', STATEMENT_TIMEOUT_MS: '1000' } });
    try {
      const winner = await makeUser(quick);
      const loser = await makeUser(quick);
      const pooled = await makeCustomer(quick);
      const { customersClaim } = await winner.client.CustomersClaim({ input: { customerIds: [pooled.id] } });
      expect(customersClaim.results[0]!.userErrors).toEqual([]);
      const { customersClaim: lost } = await loser.client.CustomersClaim({ input: { customerIds: [pooled.id] } });
      expect(lost.results[0]!.userErrors[0]).toMatchObject({ code: 'ALREADY_CLAIMED', ownerName: winner.name });
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const { customersClaim: later } = await loser.client.CustomersClaim({ input: { customerIds: [pooled.id] } });
      expect(later.results[0]!.userErrors[0]).toMatchObject({ code: 'NOT_FOUND', ownerName: null, claimedAt: null });
    } finally {
      await quick.close();
    }
  });
});

type Probe = (client: CrmClient, id: string) => Promise<unknown>;

/** The first user error of a payload (a pool action's first result, or the payload's own). */
function firstError(payload: { userErrors?: unknown[]; results?: { userErrors: unknown[] }[] }): unknown {
  return payload.results?.[0]?.userErrors[0] ?? payload.userErrors?.[0] ?? null;
}

const actions: [string, Probe][] = [
  ['return', async (c, id) => firstError((await c.CustomersReturn({ input: { customerIds: [id] } })).customersReturn)],
  ['reclaim', async (c, id) => firstError((await c.CustomersReclaim({ input: { customerIds: [id] } })).customersReclaim)],
  ['assign', async (c, id) => firstError((await c.CustomersAssign({ input: { customerIds: [id], assigneeId: unrelated.id } })).customersAssign)],
  ['share', async (c, id) => firstError((await c.CustomersShare({ input: { customerIds: [id], userIds: [unrelated.id] } })).customersShare)],
  ['unshare', async (c, id) => firstError((await c.CustomersUnshare({ input: { customerIds: [id], userIds: [sharee.id] } })).customersUnshare)],
  ['change shares', async (c, id) => firstError((await c.CustomerSharesSet({ input: { customerId: id, userIds: [unrelated.id] } })).customerSharesSet)],
  ['archive', async (c, id) => firstError((await c.CustomersArchive({ input: { customerIds: [id] } })).customersArchive)],
  ['restore', async (c, id) => firstError((await c.CustomersRestore({ input: { customerIds: [id] } })).customersRestore)],
  ['edit', async (c, id) => firstError((await c.CustomerUpdate({ input: { id, notes: 'x', expectedVersion: 99 } })).customerUpdate)],
  ['batch edit', async (c, id) => firstError((await c.CustomersUpdate({ input: { customerIds: [id], set: { region: '华东' } } })).customersUpdate)],
  ['add a contact', async (c, id) => firstError((await c.ContactCreate({ input: { customerId: id, name: '张三' } })).contactCreate)],
  [
    'add an interaction',
    async (c, id) =>
      firstError((await c.InteractionCreate({ input: { customerId: id, type: 'CALL', occurredAt: new Date().toISOString(), subject: '电话' } })).interactionCreate),
  ],
  ['add a quote', async (c, id) => firstError((await c.QuoteCreate({ input: { customerId: id, items: [{ product: 'x', quantity: '1', unitPrice: '1.00' }] } })).quoteCreate)],
  ['add a contract', async (c, id) => firstError((await c.ContractCreate({ input: { customerId: id, title: '合同', amount: '1.00' } })).contractCreate)],
  ['print link', async (c, id) => firstError((await c.PrintLinkCreate({ input: { kind: 'CUSTOMER', customerId: id } })).printLinkCreate)],
  ['read', async (c, id) => (await c.Customer({ id })).customer],
  ['node', async (c, id) => (await c.Node({ id })).node],
];

describe.each(actions)('%s on a customer one cannot see', (_name, probe) => {
  it('answers exactly as for a missing id, and changes nothing', async () => {
    const targets: TestCustomer[] = [await owned(), await makeCustomer(app, { archived: true })];
    const missing = await probe(unrelated.client, MISSING);
    for (const target of targets) {
      const before = await ownerNow(target.id);
      expect(await probe(unrelated.client, target.id)).toEqual(missing);
      expect(await ownerNow(target.id)).toEqual(before);
    }
  });
});

describe('uploading to a customer one cannot see', () => {
  it('answers exactly as for a missing id', async () => {
    const target = await owned();
    const file = { name: 'a.txt', type: 'text/plain', bytes: new TextEncoder().encode('hello') };
    const missing = await upload(app, unrelated.token, { customerId: MISSING }, file);
    const hidden = await upload(app, unrelated.token, { customerId: target.id }, file);
    expect(missing.status).toBe(404);
    expect({ status: hidden.status, body: hidden.body }).toEqual({ status: missing.status, body: missing.body });
  });
});
