import { describe, expect, it } from 'vitest';
import { allowedActions, can, canView, type CustomerFacts, type Viewer } from '../src/auth/policy.js';
import { CustomerStatus } from '../src/customers/customer.entity.js';
import { CustomerAction, nextStatus, SystemTransition, TRANSITIONS } from '../src/customers/pool.js';
import { Role } from '../src/users/user.entity.js';

// The pure pieces: the transition table and the policy, for every action and state.

const { IN_POOL, OWNED, ARCHIVED } = CustomerStatus;

describe('transition table', () => {
  const expected: Record<CustomerAction, Record<CustomerStatus, CustomerStatus | undefined>> = {
    CLAIM: { IN_POOL: OWNED, OWNED: undefined, ARCHIVED: undefined },
    RETURN: { IN_POOL: undefined, OWNED: IN_POOL, ARCHIVED: undefined },
    ASSIGN: { IN_POOL: OWNED, OWNED: OWNED, ARCHIVED: undefined },
    RECLAIM: { IN_POOL: undefined, OWNED: IN_POOL, ARCHIVED: undefined },
    SHARE: { IN_POOL: undefined, OWNED: OWNED, ARCHIVED: undefined },
    EDIT: { IN_POOL: IN_POOL, OWNED: OWNED, ARCHIVED: undefined },
    ARCHIVE: { IN_POOL: ARCHIVED, OWNED: undefined, ARCHIVED: undefined },
    RESTORE: { IN_POOL: undefined, OWNED: undefined, ARCHIVED: IN_POOL },
  };
  for (const action of Object.values(CustomerAction)) {
    for (const status of Object.values(CustomerStatus)) {
      it(`${action} from ${status} -> ${expected[action][status] ?? 'refused'}`, () => {
        expect(nextStatus(action, status)).toBe(expected[action][status]);
      });
    }
  }
});

describe('system transitions in the same table', () => {
  const expected: Record<SystemTransition, Record<CustomerStatus, CustomerStatus | undefined>> = {
    HANDOVER: { IN_POOL: undefined, OWNED: OWNED, ARCHIVED: undefined },
    HANDOVER_TO_POOL: { IN_POOL: undefined, OWNED: IN_POOL, ARCHIVED: undefined },
    AUTO_RETURN: { IN_POOL: undefined, OWNED: IN_POOL, ARCHIVED: undefined },
  };
  for (const transition of Object.values(SystemTransition)) {
    for (const status of Object.values(CustomerStatus)) {
      it(`${transition} from ${status} -> ${expected[transition][status] ?? 'refused'}`, () => {
        expect(nextStatus(transition, status)).toBe(expected[transition][status]);
      });
    }
  }

  it('names the history event of every move and ends the shares wherever the owner changes or goes', () => {
    expect(Object.fromEntries(Object.entries(TRANSITIONS).map(([name, t]) => [name, [t.event ?? null, !!t.endsShares]]))).toEqual({
      CLAIM: ['CLAIM', false],
      RETURN: ['RETURN', true],
      ASSIGN: ['ASSIGN', true],
      RECLAIM: ['RECLAIM', true],
      SHARE: [null, false],
      EDIT: [null, false],
      ARCHIVE: ['ARCHIVE', true],
      RESTORE: ['RESTORE', false],
      HANDOVER: ['HANDOVER', true],
      HANDOVER_TO_POOL: ['HANDOVER', true],
      AUTO_RETURN: ['AUTO_RETURN', true],
    });
  });
});

describe('policy', () => {
  const viewer = (role: Role, id = '1', below: string[] = []): Viewer => ({ id, role, subordinateIds: new Set(below) });
  const owned = (ownerId: string, shared = false): CustomerFacts => ({ status: OWNED, ownerId, sharedWithViewer: shared });
  const pool: CustomerFacts = { status: IN_POOL, ownerId: null, sharedWithViewer: false };
  const archived: CustomerFacts = { status: ARCHIVED, ownerId: null, sharedWithViewer: false };

  it('visibility', () => {
    expect(canView(viewer(Role.SALES), pool)).toBe(true);
    expect(canView(viewer(Role.SALES, '1'), owned('1'))).toBe(true);
    expect(canView(viewer(Role.SALES, '1'), owned('2', true))).toBe(true);
    expect(canView(viewer(Role.SALES, '1'), owned('2'))).toBe(false);
    expect(canView(viewer(Role.MANAGER, '1', ['2']), owned('2'))).toBe(true);
    expect(canView(viewer(Role.MANAGER, '1', ['3']), owned('2'))).toBe(false);
    expect(canView(viewer(Role.ADMIN), owned('2'))).toBe(true);
    expect(canView(viewer(Role.ADMIN), archived)).toBe(true);
    expect(canView(viewer(Role.MANAGER), archived)).toBe(false);
  });

  it('a sharee reads but can do nothing', () => {
    expect(allowedActions(viewer(Role.SALES, '1'), owned('2', true))).toEqual([]);
    expect(allowedActions(viewer(Role.MANAGER, '1'), owned('2', true))).toEqual([]);
  });

  it('manager powers belong to the MANAGER role, over their tree only', () => {
    expect(can(viewer(Role.MANAGER, '1', ['2']), CustomerAction.RECLAIM, owned('2'))).toBe(true);
    expect(can(viewer(Role.MANAGER, '1', []), CustomerAction.RECLAIM, owned('2'))).toBe(false);
    expect(can(viewer(Role.SALES, '1', ['2']), CustomerAction.RECLAIM, owned('2'))).toBe(false);
    expect(can(viewer(Role.MANAGER), CustomerAction.EDIT, pool)).toBe(true);
    expect(can(viewer(Role.SALES), CustomerAction.EDIT, pool)).toBe(false);
  });

  it('nobody can act on what they cannot see', () => {
    for (const role of [Role.SALES, Role.MANAGER]) {
      expect(allowedActions(viewer(role, '1'), owned('9'))).toEqual([]);
      expect(allowedActions(viewer(role, '1'), archived)).toEqual([]);
    }
  });
});
