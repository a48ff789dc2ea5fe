import { expect } from 'vitest';
import { User } from '../../src/users/user.entity.js';
import { fromGlobalId } from '../../src/common/ids.js';
import { errorCode, type CustomerFieldsFragment, type Role } from '../../sdk/index.js';
import { sessionToken, type TestApp, type TestUser } from './test-app.js';

// Each test builds its own small world through the API (as a client would), with unique names.

let sequence = 0;
export function unique(prefix: string): string {
  return `${prefix}${process.pid}x${++sequence}`;
}

export interface UserSpec {
  role?: Role;
  manager?: TestUser;
  name?: string;
  /** Deactivated after its token was issued, to prove old tokens stop working. */
  deactivated?: boolean;
}

export async function makeUser(app: TestApp, spec: UserSpec = {}): Promise<TestUser> {
  const name = spec.name ?? unique('user');
  const { userCreate } = await app.admin.client.UserCreate({
    input: {
      name,
      email: `${name.toLowerCase()}@test.local`,
      password: 'password-123',
      role: spec.role ?? 'SALES',
      managerId: spec.manager?.id,
    },
  });
  expect(userCreate.userErrors).toEqual([]);
  const id = userCreate.user!.id;
  const user = await app.orm.em.fork().findOneOrFail(User, { id: fromGlobalId('User', id)! });
  const token = await sessionToken(app.deps, user.id);
  if (spec.deactivated) {
    const { userDeactivate } = await app.admin.client.UserDeactivate({ input: { id } });
    expect(userDeactivate.userErrors).toEqual([]);
  }
  return { user, id, name, token, client: app.client(token) };
}

export interface CustomerSpec {
  owner?: TestUser;
  sharedWith?: TestUser[];
  archived?: boolean;
  name?: string;
  phone?: string;
}

export type TestCustomer = CustomerFieldsFragment;

/** A customer in the pool, owned by `owner` (and shared), or archived. */
export async function makeCustomer(app: TestApp, spec: CustomerSpec = {}): Promise<TestCustomer> {
  const creator = spec.owner ?? app.admin;
  const { customerCreate } = await creator.client.CustomerCreate({
    input: { name: spec.name ?? unique('客户'), phone: spec.phone ?? '13800138000', claim: !!spec.owner },
  });
  expect(customerCreate.userErrors).toEqual([]);
  let customer = customerCreate.customer!;
  if (spec.sharedWith?.length) {
    const { customersShare } = await spec.owner!.client.CustomersShare({
      input: { customerIds: [customer.id], userIds: spec.sharedWith.map((u) => u.id) },
    });
    expect(customersShare.results[0]!.userErrors).toEqual([]);
    customer = customersShare.results[0]!.customer!;
  }
  if (spec.archived) {
    const { customersArchive } = await app.admin.client.CustomersArchive({ input: { customerIds: [customer.id] } });
    expect(customersArchive.results[0]!.userErrors).toEqual([]);
    customer = customersArchive.results[0]!.customer!;
  }
  return customer;
}

/** The top-level error code of a call expected to fail as a whole. */
export async function topLevelCode(call: Promise<unknown>): Promise<string | undefined> {
  try {
    await call;
  } catch (error) {
    return errorCode(error) ?? `unexpected: ${String(error)}`;
  }
  return undefined;
}

/**
 * The company the access tests build around one owned customer and one pool customer: `owned`
 * belongs to `owner` (shared with `sharee`), who reports to `manager`, who reports to
 * `topManager`; `stranger` (SALES) and `poolManager` (MANAGER) have no tie to it; `deactivated`
 * signed in before being deactivated. Each call builds a new one (unique names).
 */
export interface AccessWorld {
  topManager: TestUser;
  manager: TestUser;
  owner: TestUser;
  sharee: TestUser;
  stranger: TestUser;
  poolManager: TestUser;
  deactivated: TestUser;
  admin: TestUser;
  owned: TestCustomer;
  pool: TestCustomer;
}

export async function makeAccessWorld(app: TestApp): Promise<AccessWorld> {
  const topManager = await makeUser(app, { role: 'MANAGER' });
  const manager = await makeUser(app, { role: 'MANAGER', manager: topManager });
  const owner = await makeUser(app, { manager });
  const sharee = await makeUser(app);
  const stranger = await makeUser(app);
  const poolManager = await makeUser(app, { role: 'MANAGER' });
  const deactivated = await makeUser(app, { deactivated: true });
  const owned = await makeCustomer(app, { owner, sharedWith: [sharee] });
  const pool = await makeCustomer(app);
  return { topManager, manager, owner, sharee, stranger, poolManager, deactivated, admin: app.admin, owned, pool };
}
