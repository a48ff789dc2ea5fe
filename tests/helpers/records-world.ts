import { expect } from 'vitest';
import { errorCode, type CrmClient } from '../../sdk/index.js';
import type { AccessWorld } from './factories.js';
import type { TestApp, TestUser } from './test-app.js';

// A small company around two customers, for checking sub-record access with every kind of user:
// `owned` belongs to `owner` (shared with `sharee`; `manager` and `topManager` are above the owner)
// and `pool` is in the pool.

export type Read = 'full' | 'masked' | 'none' | 'unauthenticated';
export type Write = 'ok' | 'FORBIDDEN' | 'NOT_FOUND' | 'UNAUTHENTICATED';

export interface AccessCase {
  who: string;
  actor: (w: AccessWorld) => TestUser;
  customer: 'owned' | 'pool';
  read: Read;
  write: Write;
}

/** Who may do what with the records of a customer: the domain's rules, one row per kind of user. */
export const ACCESS_CASES: AccessCase[] = [
  { who: 'the owner', actor: (w) => w.owner, customer: 'owned', read: 'full', write: 'ok' },
  { who: 'a sharee', actor: (w) => w.sharee, customer: 'owned', read: 'full', write: 'FORBIDDEN' },
  { who: "the owner's manager", actor: (w) => w.manager, customer: 'owned', read: 'full', write: 'FORBIDDEN' },
  { who: "the manager's manager", actor: (w) => w.topManager, customer: 'owned', read: 'full', write: 'FORBIDDEN' },
  { who: 'an unrelated salesperson', actor: (w) => w.stranger, customer: 'owned', read: 'none', write: 'NOT_FOUND' },
  { who: 'an admin', actor: (w) => w.admin, customer: 'owned', read: 'full', write: 'ok' },
  { who: 'a deactivated user', actor: (w) => w.deactivated, customer: 'owned', read: 'unauthenticated', write: 'UNAUTHENTICATED' },
  { who: 'a SALES user on a pool customer', actor: (w) => w.stranger, customer: 'pool', read: 'masked', write: 'FORBIDDEN' },
  { who: 'a MANAGER on a pool customer', actor: (w) => w.poolManager, customer: 'pool', read: 'full', write: 'ok' },
  { who: 'an admin on a pool customer', actor: (w) => w.admin, customer: 'pool', read: 'full', write: 'ok' },
];

interface Payload {
  userErrors: { code: string; field?: string[] | null }[];
}

/**
 * Runs a mutation as `client` and checks its outcome against `write`: no userErrors when allowed,
 * else the one expected code (in the payload, or top-level for UNAUTHENTICATED).
 */
export async function expectWrite<T extends Payload>(write: Write, call: () => Promise<T>): Promise<T | undefined> {
  if (write === 'UNAUTHENTICATED') {
    let code: string | undefined;
    try {
      await call();
    } catch (error) {
      code = errorCode(error);
    }
    expect(code).toBe('UNAUTHENTICATED');
    return undefined;
  }
  const payload = await call();
  if (write === 'ok') expect(payload.userErrors).toEqual([]);
  else expect(payload.userErrors.map((e) => e.code)).toEqual([write]);
  return payload;
}

/** A read as `client`, or the top-level error code when the whole request is refused. */
export async function readAs<T>(client: CrmClient, call: (c: CrmClient) => Promise<T>): Promise<T | 'UNAUTHENTICATED'> {
  try {
    return await call(client);
  } catch (error) {
    const code = errorCode(error);
    if (code === 'UNAUTHENTICATED') return code;
    throw error;
  }
}

export const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000).toISOString();
export const hoursAhead = (hours: number) => new Date(Date.now() + hours * 3_600_000).toISOString();
