import { expect } from 'vitest';
import { companyToday } from '../../src/common/company-calendar.js';
import { errorCode, type CrmClient, type QuoteItemInput } from '../../sdk/index.js';
import type { AccessWorld, TestCustomer } from './factories.js';
import type { TestApp, TestUser } from './test-app.js';

// Shared fixtures of the quote, contract and payment tests: the cast of the permission matrix,
// a generic runner for it, and small factories for money records.

/** What a kind of user may do with the records of a customer. */
export type Access = 'EDIT' | 'READ' | 'NONE' | 'UNAUTHENTICATED';

export interface Actor {
  label: (typeof ACTOR_LABELS)[number];
  user: TestUser;
  customer: TestCustomer;
  access: Access;
}

/** The kinds of user of the permission matrix, in the order of `matrixActors`. */
export const ACTOR_LABELS = [
  'owner',
  'sharee',
  "owner's manager",
  "manager's manager",
  'unrelated salesperson',
  'admin',
  'SALES on a pool customer',
  'MANAGER on a pool customer',
  'deactivated user',
] as const;

/** Every kind of user of the preamble's matrix, with the customer they act on (the access world of factories.ts). */
export function matrixActors(app: TestApp, w: AccessWorld): Actor[] {
  return [
    { label: 'owner', user: w.owner, customer: w.owned, access: 'EDIT' },
    { label: 'sharee', user: w.sharee, customer: w.owned, access: 'READ' },
    { label: "owner's manager", user: w.manager, customer: w.owned, access: 'READ' },
    { label: "manager's manager", user: w.topManager, customer: w.owned, access: 'READ' },
    { label: 'unrelated salesperson', user: w.stranger, customer: w.owned, access: 'NONE' },
    { label: 'admin', user: app.admin, customer: w.owned, access: 'EDIT' },
    { label: 'SALES on a pool customer', user: w.stranger, customer: w.pool, access: 'READ' },
    { label: 'MANAGER on a pool customer', user: w.poolManager, customer: w.pool, access: 'EDIT' },
    { label: 'deactivated user', user: w.deactivated, customer: w.owned, access: 'UNAUTHENTICATED' },
  ];
}

/** The result of a mutation as a code: 'OK', a userErrors code, or a top-level error code. */
export type Outcome = { code: string; id?: string };

interface Payload {
  userErrors: { code: string; message: string }[];
}

/** Runs a mutation and reduces it to an Outcome; `pick` gives the record id on success. */
export async function outcome<P extends Payload>(call: Promise<P>, pick: (p: P) => string | null | undefined): Promise<Outcome> {
  try {
    const payload = await call;
    if (payload.userErrors.length) return { code: payload.userErrors[0]!.code };
    return { code: 'OK', id: pick(payload) ?? undefined };
  } catch (error) {
    return { code: errorCode(error) ?? `unexpected: ${String(error)}` };
  }
}

/** Runs a read; a top-level error becomes its code. */
export async function attemptRead<T>(call: Promise<T>): Promise<T | { code: string }> {
  try {
    return await call;
  } catch (error) {
    return { code: errorCode(error) ?? `unexpected: ${String(error)}` };
  }
}

/** How the matrix exercises one record type. */
export interface RecordKind {
  /** Creates a record on the customer as the admin (who may edit any customer); its global id. */
  seed(customer: TestCustomer): Promise<string>;
  /** The ids in the customer's nested list as `client` sees them; null when the customer is invisible. */
  list(client: CrmClient, customer: TestCustomer): Promise<string[] | null>;
  /** node(id) as `client`: the id when visible, else null. */
  node(client: CrmClient, id: string): Promise<string | null>;
  create(client: CrmClient, customer: TestCustomer): Promise<Outcome>;
  update(client: CrmClient, id: string): Promise<Outcome>;
  remove(client: CrmClient, id: string): Promise<Outcome>;
  /** Further writes (status changes...) to check like update. */
  moreWrites?: Record<string, (client: CrmClient, id: string) => Promise<Outcome>>;
  /** The record as the admin sees it, to prove refused writes change nothing. */
  snapshot(id: string): Promise<unknown>;
}

const WRITE_REFUSAL: Record<Exclude<Access, 'EDIT'>, string> = {
  READ: 'FORBIDDEN',
  NONE: 'NOT_FOUND',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
};

/** Checks one actor against a record kind: reads, creates, updates, further writes, deletes. */
export async function checkActor(app: TestApp, kind: RecordKind, actor: Actor): Promise<void> {
  const client = actor.user.client;
  const id = await kind.seed(actor.customer);
  const admin = app.admin.client;

  // Reads: nested list and node(id).
  const listed = await attemptRead(kind.list(client, actor.customer));
  const node = await attemptRead(kind.node(client, id));
  if (actor.access === 'UNAUTHENTICATED') {
    expect(listed).toEqual({ code: 'UNAUTHENTICATED' });
    expect(node).toEqual({ code: 'UNAUTHENTICATED' });
  } else if (actor.access === 'NONE') {
    expect(listed).toBeNull();
    expect(node).toBeNull();
  } else {
    expect(listed).toContain(id);
    expect(node).toBe(id);
  }

  const before = await kind.list(admin, actor.customer);
  const created = await kind.create(client, actor.customer);
  const after = await kind.list(admin, actor.customer);
  if (actor.access === 'EDIT') {
    expect(created.code).toBe('OK');
    expect(after).toContain(created.id);
  } else {
    expect(created.code).toBe(WRITE_REFUSAL[actor.access]);
    expect(after).toEqual(before);
  }

  const writes: Record<string, (c: CrmClient, id: string) => Promise<Outcome>> = { update: kind.update, ...kind.moreWrites };
  for (const [name, write] of Object.entries(writes)) {
    const target = await kind.seed(actor.customer);
    const snapshot = await kind.snapshot(target);
    const result = await write(client, target);
    if (actor.access === 'EDIT') {
      expect(result.code, name).toBe('OK');
      expect(await kind.snapshot(target), name).not.toEqual(snapshot);
    } else {
      expect(result.code, name).toBe(WRITE_REFUSAL[actor.access]);
      expect(await kind.snapshot(target), name).toEqual(snapshot);
    }
  }

  const victim = await kind.seed(actor.customer);
  const snapshot = await kind.snapshot(victim);
  const removed = await kind.remove(client, victim);
  if (actor.access === 'EDIT') {
    expect(removed.code).toBe('OK');
    expect(await kind.node(admin, victim)).toBeNull();
    expect(await kind.list(admin, actor.customer)).not.toContain(victim);
  } else {
    expect(removed.code).toBe(WRITE_REFUSAL[actor.access]);
    expect(await kind.snapshot(victim)).toEqual(snapshot);
  }
}

// --- dates -------------------------------------------------------------------------------------

/** Today in the company time zone, shifted by `days`. */
export function companyDay(days = 0): string {
  const [y, m, d] = companyToday().split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

// --- factories ---------------------------------------------------------------------------------

export const item = (quantity: string, unitPrice: string, discount?: string, product = '服务器'): QuoteItemInput => ({
  product,
  quantity,
  unitPrice,
  ...(discount === undefined ? {} : { discount }),
});

export async function makeQuote(client: CrmClient, customerId: string, items: QuoteItemInput[] = [item('2', '100.00')]) {
  const { quoteCreate } = await client.QuoteCreate({ input: { customerId, title: '报价', items } });
  expect(quoteCreate.userErrors).toEqual([]);
  return quoteCreate.quote!;
}

export async function makeContract(client: CrmClient, customerId: string, amount = '10000.00', currency?: string) {
  const { contractCreate } = await client.ContractCreate({ input: { customerId, title: '合同', amount, currency } });
  expect(contractCreate.userErrors).toEqual([]);
  return contractCreate.contract!;
}

export async function makeReceivable(client: CrmClient, contractId: string, amount: string, dueDate = companyDay(30)) {
  const { receivableCreate } = await client.ReceivableCreate({ input: { contractId, amount, dueDate } });
  expect(receivableCreate.userErrors).toEqual([]);
  return receivableCreate.receivable!;
}

export async function makeReceipt(client: CrmClient, contractId: string, amount: string, receivableId?: string) {
  const { receiptCreate } = await client.ReceiptCreate({
    input: { contractId, receivableId, amount, receivedOn: companyDay(-1), method: 'BANK_TRANSFER' },
  });
  expect(receiptCreate.userErrors).toEqual([]);
  return receiptCreate.receipt!;
}
