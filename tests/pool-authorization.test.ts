import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CrmClient } from '../sdk/index.js';
import { makeCustomer, makeUser, topLevelCode, unique, type TestCustomer } from './helpers/factories.js';
import { startTestApp, type TestApp, type TestUser } from './helpers/test-app.js';

// The authorization matrix: every pool action and edit, by every kind of user. Allowed ones
// succeed; refused ones answer the right code and change nothing (state, owner, shares, version,
// history are compared before and after).

let app: TestApp;
let director: TestUser; // manager of the manager
let manager: TestUser; // manager of the owner
let owner: TestUser;
let teammate: TestUser; // another salesperson below the manager (assign target)
let sharee: TestUser;
let unrelated: TestUser;
let deactivated: TestUser;
let otherManager: TestUser; // a manager of another team

beforeAll(async () => {
  app = await startTestApp();
  director = await makeUser(app, { role: 'MANAGER', name: unique('director') });
  manager = await makeUser(app, { role: 'MANAGER', manager: director, name: unique('manager') });
  owner = await makeUser(app, { manager, name: unique('owner') });
  teammate = await makeUser(app, { manager, name: unique('teammate') });
  otherManager = await makeUser(app, { role: 'MANAGER', name: unique('othermgr') });
  sharee = await makeUser(app, { manager: otherManager, name: unique('sharee') });
  unrelated = await makeUser(app, { manager: otherManager, name: unique('unrelated') });
  deactivated = await makeUser(app, { manager, deactivated: true, name: unique('gone') });
});
afterAll(() => app.close());

type Actor = 'owner' | 'sharee' | 'manager' | 'director' | 'unrelated' | 'admin' | 'deactivated' | 'otherManager';
const actors = (): Record<Actor, TestUser> => ({
  owner,
  sharee,
  manager,
  director,
  unrelated,
  admin: app.admin,
  deactivated,
  otherManager,
});

type Outcome = 'OK' | 'NOT_FOUND' | 'FORBIDDEN' | 'INVALID_TRANSITION' | 'ALREADY_CLAIMED' | 'UNAUTHENTICATED';
type State = 'OWNED' | 'IN_POOL' | 'ARCHIVED';

/** A snapshot of everything an action could change, read by the admin. */
async function snapshot(id: string) {
  const { customer } = await app.admin.client.Customer({ id, historyFirst: 100 });
  return {
    status: customer!.status,
    owner: customer!.owner?.id ?? null,
    version: customer!.version,
    name: customer!.name,
    sharedWith: customer!.sharedWith.map((u) => u.id).sort(),
    history: customer!.history.totalCount,
  };
}

async function customerIn(state: State): Promise<TestCustomer> {
  if (state === 'OWNED') return makeCustomer(app, { owner, sharedWith: [sharee] });
  return makeCustomer(app, { archived: state === 'ARCHIVED' });
}

interface Case {
  action: string;
  state: State;
  run: (client: CrmClient, id: string) => Promise<{ code?: string; ok: boolean }>;
  expected: Partial<Record<Actor, Outcome>>;
  /** Checks the change an allowed action made. */
  changed?: (after: Awaited<ReturnType<typeof snapshot>>, actor: TestUser) => void;
}

const pool = (payload: { results: { userErrors: { code: string }[] }[]; userErrors: { code: string }[] }) => {
  const code = payload.userErrors[0]?.code ?? payload.results[0]?.userErrors[0]?.code;
  return { ok: !code, code };
};

const cases: Case[] = [
  {
    action: 'claim (pool)',
    state: 'IN_POOL',
    run: async (c, id) => pool((await c.CustomersClaim({ input: { customerIds: [id] } })).customersClaim),
    expected: { owner: 'OK', sharee: 'OK', manager: 'OK', director: 'OK', unrelated: 'OK', admin: 'OK', deactivated: 'UNAUTHENTICATED' },
    changed: (after, actor) => expect(after).toMatchObject({ status: 'OWNED', owner: actor.id }),
  },
  {
    action: 'claim (owned)',
    state: 'OWNED',
    run: async (c, id) => pool((await c.CustomersClaim({ input: { customerIds: [id] } })).customersClaim),
    // Who can't see it finds nothing there, exactly as at a missing id.
    expected: {
      owner: 'ALREADY_CLAIMED',
      sharee: 'ALREADY_CLAIMED',
      manager: 'ALREADY_CLAIMED',
      director: 'ALREADY_CLAIMED',
      unrelated: 'NOT_FOUND',
      otherManager: 'NOT_FOUND',
      admin: 'ALREADY_CLAIMED',
      deactivated: 'UNAUTHENTICATED',
    },
  },
  {
    action: 'claim (archived)',
    state: 'ARCHIVED',
    run: async (c, id) => pool((await c.CustomersClaim({ input: { customerIds: [id] } })).customersClaim),
    expected: { manager: 'NOT_FOUND', unrelated: 'NOT_FOUND', admin: 'INVALID_TRANSITION', deactivated: 'UNAUTHENTICATED' },
  },
  {
    action: 'return',
    state: 'OWNED',
    run: async (c, id) => pool((await c.CustomersReturn({ input: { customerIds: [id] } })).customersReturn),
    expected: {
      owner: 'OK',
      sharee: 'FORBIDDEN',
      manager: 'FORBIDDEN',
      director: 'FORBIDDEN',
      unrelated: 'NOT_FOUND',
      otherManager: 'NOT_FOUND',
      admin: 'FORBIDDEN',
      deactivated: 'UNAUTHENTICATED',
    },
    changed: (after) => expect(after).toMatchObject({ status: 'IN_POOL', owner: null, sharedWith: [] }),
  },
  {
    action: 'return (pool)',
    state: 'IN_POOL',
    run: async (c, id) => pool((await c.CustomersReturn({ input: { customerIds: [id] } })).customersReturn),
    expected: { owner: 'INVALID_TRANSITION', manager: 'INVALID_TRANSITION', admin: 'INVALID_TRANSITION' },
  },
  {
    action: 'assign to a teammate',
    state: 'OWNED',
    run: async (c, id) =>
      pool((await c.CustomersAssign({ input: { customerIds: [id], assigneeId: teammate.id } })).customersAssign),
    expected: {
      owner: 'OK',
      sharee: 'FORBIDDEN',
      manager: 'OK',
      director: 'OK',
      unrelated: 'NOT_FOUND',
      otherManager: 'NOT_FOUND',
      admin: 'OK',
      deactivated: 'UNAUTHENTICATED',
    },
    changed: (after) => expect(after).toMatchObject({ status: 'OWNED', owner: teammate.id, sharedWith: [] }),
  },
  {
    action: 'assign to someone outside the team',
    state: 'OWNED',
    run: async (c, id) =>
      pool((await c.CustomersAssign({ input: { customerIds: [id], assigneeId: unrelated.id } })).customersAssign),
    // the owner may give their customer to anyone; a manager only within their tree
    expected: { owner: 'OK', manager: 'FORBIDDEN', director: 'FORBIDDEN', admin: 'OK', sharee: 'FORBIDDEN' },
    changed: (after) => expect(after).toMatchObject({ owner: unrelated.id }),
  },
  {
    action: 'assign (pool)',
    state: 'IN_POOL',
    run: async (c, id) =>
      pool((await c.CustomersAssign({ input: { customerIds: [id], assigneeId: teammate.id } })).customersAssign),
    expected: { owner: 'FORBIDDEN', unrelated: 'FORBIDDEN', manager: 'OK', director: 'OK', otherManager: 'FORBIDDEN', admin: 'OK' },
    changed: (after) => expect(after).toMatchObject({ status: 'OWNED', owner: teammate.id }),
  },
  {
    action: 'reclaim',
    state: 'OWNED',
    run: async (c, id) => pool((await c.CustomersReclaim({ input: { customerIds: [id] } })).customersReclaim),
    expected: {
      owner: 'FORBIDDEN',
      sharee: 'FORBIDDEN',
      manager: 'OK',
      director: 'OK',
      unrelated: 'NOT_FOUND',
      otherManager: 'NOT_FOUND',
      admin: 'OK',
      deactivated: 'UNAUTHENTICATED',
    },
    changed: (after) => expect(after).toMatchObject({ status: 'IN_POOL', owner: null, sharedWith: [] }),
  },
  {
    action: 'share',
    state: 'OWNED',
    run: async (c, id) =>
      pool((await c.CustomersShare({ input: { customerIds: [id], userIds: [teammate.id] } })).customersShare),
    expected: {
      owner: 'OK',
      sharee: 'FORBIDDEN',
      manager: 'FORBIDDEN',
      director: 'FORBIDDEN',
      unrelated: 'NOT_FOUND',
      admin: 'OK',
      deactivated: 'UNAUTHENTICATED',
    },
    changed: (after) => expect(after.sharedWith).toEqual([sharee.id, teammate.id].sort()),
  },
  {
    action: 'unshare',
    state: 'OWNED',
    run: async (c, id) =>
      pool((await c.CustomersUnshare({ input: { customerIds: [id], userIds: [sharee.id] } })).customersUnshare),
    expected: {
      owner: 'OK',
      sharee: 'FORBIDDEN',
      manager: 'FORBIDDEN',
      director: 'FORBIDDEN',
      unrelated: 'NOT_FOUND',
      admin: 'OK',
      deactivated: 'UNAUTHENTICATED',
    },
    changed: (after) => expect(after.sharedWith).toEqual([]),
  },
  {
    action: 'change shares',
    state: 'OWNED',
    run: async (c, id) =>
      pool((await c.CustomerSharesSet({ input: { customerId: id, userIds: [teammate.id] } })).customerSharesSet),
    expected: { owner: 'OK', sharee: 'FORBIDDEN', manager: 'FORBIDDEN', unrelated: 'NOT_FOUND', admin: 'OK' },
    changed: (after) => expect(after.sharedWith).toEqual([teammate.id]),
  },
  {
    action: 'share (pool)',
    state: 'IN_POOL',
    run: async (c, id) =>
      pool((await c.CustomersShare({ input: { customerIds: [id], userIds: [teammate.id] } })).customersShare),
    expected: { owner: 'INVALID_TRANSITION', manager: 'INVALID_TRANSITION', admin: 'INVALID_TRANSITION' },
  },
  {
    action: 'edit',
    state: 'OWNED',
    run: async (c, id) => {
      const { customerUpdate } = await c.CustomerUpdate({ input: { id, notes: `edited ${unique('n')}` } });
      return { ok: customerUpdate.userErrors.length === 0, code: customerUpdate.userErrors[0]?.code };
    },
    expected: {
      owner: 'OK',
      sharee: 'FORBIDDEN',
      manager: 'FORBIDDEN',
      director: 'FORBIDDEN',
      unrelated: 'NOT_FOUND',
      otherManager: 'NOT_FOUND',
      admin: 'OK',
      deactivated: 'UNAUTHENTICATED',
    },
    changed: (after) => expect(after.status).toBe('OWNED'),
  },
  {
    action: 'edit (pool)',
    state: 'IN_POOL',
    run: async (c, id) => {
      const { customerUpdate } = await c.CustomerUpdate({ input: { id, notes: `edited ${unique('n')}` } });
      return { ok: customerUpdate.userErrors.length === 0, code: customerUpdate.userErrors[0]?.code };
    },
    expected: { owner: 'FORBIDDEN', unrelated: 'FORBIDDEN', manager: 'OK', director: 'OK', admin: 'OK', deactivated: 'UNAUTHENTICATED' },
    changed: (after) => expect(after.status).toBe('IN_POOL'),
  },
  {
    action: 'edit (archived)',
    state: 'ARCHIVED',
    run: async (c, id) => {
      const { customerUpdate } = await c.CustomerUpdate({ input: { id, notes: 'x' } });
      return { ok: customerUpdate.userErrors.length === 0, code: customerUpdate.userErrors[0]?.code };
    },
    expected: { owner: 'NOT_FOUND', manager: 'NOT_FOUND', admin: 'INVALID_TRANSITION' },
  },
  {
    action: 'archive (pool)',
    state: 'IN_POOL',
    run: async (c, id) => pool((await c.CustomersArchive({ input: { customerIds: [id] } })).customersArchive),
    expected: { owner: 'FORBIDDEN', manager: 'FORBIDDEN', director: 'FORBIDDEN', unrelated: 'FORBIDDEN', admin: 'OK', deactivated: 'UNAUTHENTICATED' },
    changed: (after) => expect(after).toMatchObject({ status: 'ARCHIVED', owner: null }),
  },
  {
    action: 'archive (owned)',
    state: 'OWNED',
    run: async (c, id) => pool((await c.CustomersArchive({ input: { customerIds: [id] } })).customersArchive),
    expected: { owner: 'INVALID_TRANSITION', sharee: 'INVALID_TRANSITION', unrelated: 'NOT_FOUND', admin: 'INVALID_TRANSITION' },
  },
  {
    action: 'restore',
    state: 'ARCHIVED',
    run: async (c, id) => pool((await c.CustomersRestore({ input: { customerIds: [id] } })).customersRestore),
    expected: { owner: 'NOT_FOUND', manager: 'NOT_FOUND', director: 'NOT_FOUND', unrelated: 'NOT_FOUND', admin: 'OK', deactivated: 'UNAUTHENTICATED' },
    changed: (after) => expect(after).toMatchObject({ status: 'IN_POOL', owner: null }),
  },
  {
    action: 'restore (pool)',
    state: 'IN_POOL',
    run: async (c, id) => pool((await c.CustomersRestore({ input: { customerIds: [id] } })).customersRestore),
    expected: { owner: 'INVALID_TRANSITION', admin: 'INVALID_TRANSITION' },
  },
];

describe.each(cases)('$action on a customer that is $state', (c) => {
  it.each(Object.entries(c.expected) as [Actor, Outcome][])('%s: %s', async (actorName, expected) => {
    const actor = actors()[actorName];
    const customer = await customerIn(c.state);
    const before = await snapshot(customer.id);
    let outcome: { code?: string; ok: boolean };
    try {
      outcome = await c.run(actor.client, customer.id);
    } catch (error) {
      outcome = { ok: false, code: await topLevelCode(Promise.reject(error)) };
    }
    const after = await snapshot(customer.id);
    if (expected === 'OK') {
      expect(outcome).toEqual({ ok: true, code: undefined });
      expect(after.history).toBeGreaterThan(before.history);
      c.changed?.(after, actor);
    } else {
      expect(outcome.code).toBe(expected);
      expect(after).toEqual(before);
    }
  });
});

describe('allowedActions agrees with the matrix', () => {
  it('shows each viewer exactly the buttons whose actions succeed', async () => {
    const owned = await customerIn('OWNED');
    const inPool = await customerIn('IN_POOL');
    const archived = await customerIn('ARCHIVED');
    const expectations: [TestUser, TestCustomer, string[] | null][] = [
      [owner, owned, ['RETURN', 'ASSIGN', 'SHARE', 'EDIT']],
      [sharee, owned, []],
      [manager, owned, ['ASSIGN', 'RECLAIM']],
      [director, owned, ['ASSIGN', 'RECLAIM']],
      [app.admin, owned, ['ASSIGN', 'RECLAIM', 'SHARE', 'EDIT']],
      [unrelated, owned, null],
      [owner, inPool, ['CLAIM']],
      [manager, inPool, ['CLAIM', 'ASSIGN', 'EDIT']],
      [app.admin, inPool, ['CLAIM', 'ASSIGN', 'EDIT', 'ARCHIVE']],
      [manager, archived, null],
      [app.admin, archived, ['RESTORE']],
    ];
    for (const [viewer, customer, actions] of expectations) {
      const { customer: seen } = await viewer.client.Customer({ id: customer.id });
      if (actions === null) expect(seen).toBeNull();
      else expect(seen!.allowedActions).toEqual(actions);
    }
  });
});

describe('batches', () => {
  it('reports one result per id, in order, and applies each customer fully or not at all', async () => {
    const a = await customerIn('IN_POOL');
    const b = await customerIn('OWNED');
    const c = await customerIn('IN_POOL');
    const missing = 'Q3VzdG9tZXI6OTk5OTk5'; // Customer:999999
    const { customersClaim } = await manager.client.CustomersClaim({ input: { customerIds: [a.id, b.id, missing, c.id] } });
    expect(customersClaim.results.map((r) => [r.customerId, r.userErrors[0]?.code ?? 'OK'])).toEqual([
      [a.id, 'OK'],
      [b.id, 'ALREADY_CLAIMED'],
      [missing, 'NOT_FOUND'],
      [c.id, 'OK'],
    ]);
    expect(customersClaim.results[1]!.userErrors[0]!.ownerName).toBe(owner.name);
    expect(customersClaim.results[1]!.customer).toBeNull();
    expect((await snapshot(b.id)).owner).toBe(owner.id);
  });

  it('refuses an empty list, more than 100 ids, duplicates and a wrong-type id as bad input', async () => {
    const a = await customerIn('IN_POOL');
    const tooMany = Array.from({ length: 101 }, () => a.id);
    for (const customerIds of [[], tooMany, [a.id, a.id]]) {
      const { customersClaim } = await unrelated.client.CustomersClaim({ input: { customerIds } });
      expect(customersClaim.results).toEqual([]);
      expect(customersClaim.userErrors[0]).toMatchObject({ code: 'VALIDATION_FAILED', field: ['input', 'customerIds'] });
    }
    const { customersClaim } = await unrelated.client.CustomersClaim({ input: { customerIds: [owner.id] } });
    expect(customersClaim.results[0]!.userErrors[0]!.code).toBe('NOT_FOUND');
    expect((await snapshot(a.id)).status).toBe('IN_POOL');
  });

  it('refuses an assign to a deactivated or unknown user before touching any customer', async () => {
    const a = await customerIn('OWNED');
    for (const assigneeId of [deactivated.id, 'VXNlcjo5OTk5OTk=']) {
      const { customersAssign } = await owner.client.CustomersAssign({ input: { customerIds: [a.id], assigneeId } });
      expect(customersAssign.userErrors[0]).toMatchObject({ code: 'VALIDATION_FAILED' });
      expect(customersAssign.results).toEqual([]);
    }
    expect((await snapshot(a.id)).owner).toBe(owner.id);
  });
});
