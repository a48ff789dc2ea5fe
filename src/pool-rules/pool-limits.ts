import type { EntityManager } from '@mikro-orm/postgresql';
import { registerEnumType } from 'type-graphql';
import type { Viewer } from '../auth/policy.js';
import { requestLoader, type RequestLoader } from '../common/batch-scheduler.js';
import { AppError, ErrorCode } from '../common/errors.js';
import type { SqlFragment } from '../common/keyset.js';
import type { Reads } from '../common/reads.js';
import { sqlArray } from '../common/sql.js';
import type { PoolSettingsValues } from './pool-settings.js';
import { M } from '../common/messages.js';

// Caps, daily limits and cool-downs, checked inside the transaction that hands a customer to
// someone. A transaction-scoped advisory lock per receiving user serialises the count-then-write
// across requests and server instances, so two parallel claims at the cap give one success.
// Lock order everywhere: customer rows first, then user quota locks.

const DAY_MS = 24 * 3600 * 1000;

/** Serialises every ownership grant to one user until the transaction ends. */
export async function lockUserQuota(em: EntityManager, userId: string): Promise<void> {
  await em.execute('SELECT pg_advisory_xact_lock(hashtextextended(?, 0))', [`pool-quota:${userId}`]);
}

// The counts the rules compare with their numbers, as SQL (one definition for the checks inside a
// claim and for Customer.claimBlockedBy).

/** How many customers a user owns. */
const ownedCountSql = (userId: string): SqlFragment => ({
  sql: `(SELECT count(*)::int FROM customer WHERE owner_id = ?::bigint AND status = 'OWNED')`,
  params: [userId],
});

/** Claims today in the company time zone: claims and create-and-claims by the user. */
const claimsTodaySql = (userId: string, timeZone: string): SqlFragment => ({
  sql: `(SELECT count(*)::int FROM ownership_event
         WHERE actor_id = ?::bigint AND to_user_id = ?::bigint AND action IN ('CLAIM', 'CREATE')
           AND created_at >= (date_trunc('day', now() AT TIME ZONE ?) AT TIME ZONE ?))`,
  params: [userId, userId, timeZone, timeZone],
});

/** Events that took a customer away from its owner. */
export const LOSS_ACTIONS = ['RETURN', 'RECLAIM', 'ASSIGN', 'AUTO_RETURN', 'HANDOVER'];

/** When the user last returned or lost the customer `customerIdSql` (an SQL expression). */
const lastLossSql = (customerIdSql: string, userId: string): SqlFragment => ({
  sql: `(SELECT max(created_at) FROM ownership_event
         WHERE customer_id = ${customerIdSql} AND from_user_id = ?::bigint AND action = ANY(?::text[]))`,
  params: [userId, sqlArray(LOSS_ACTIONS)],
});

/** The end of a cool-down that started when the customer was lost; null when it is over (or none). */
function cooldownEnd(settings: PoolSettingsValues, lostAt: Date | string | null): Date | null {
  const days = settings.previousOwnerCooldownDays;
  if (days === null || lostAt === null) return null;
  const until = new Date(new Date(lostAt).getTime() + days * DAY_MS);
  return until.getTime() > Date.now() ? until : null;
}

const dailyLimitReached = (settings: PoolSettingsValues, today: number) =>
  settings.dailyClaimLimit !== null && today >= settings.dailyClaimLimit;

const capReached = (settings: PoolSettingsValues, owned: number, adding: number) =>
  settings.ownershipCap !== null && owned + adding > settings.ownershipCap;

export async function ownedCount(em: EntityManager, userId: string): Promise<number> {
  const owned = ownedCountSql(userId);
  const [row] = await em.execute<{ n: number }[]>(`SELECT ${owned.sql} AS n`, owned.params);
  return row?.n ?? 0;
}

/** ownershipCap: refuses when `userId` would own more than the cap after taking `adding` more. */
export async function assertOwnershipRoom(
  em: EntityManager,
  settings: PoolSettingsValues,
  user: { id: string; name: string },
  adding = 1,
  self = false,
): Promise<void> {
  const cap = settings.ownershipCap;
  if (cap === null) return;
  const owned = await ownedCount(em, user.id);
  if (capReached(settings, owned, adding)) {
    const capped = M.ownershipCap({ who: self ? null : user.name, owned, cap });
    throw new AppError(ErrorCode.LIMIT_REACHED, capped, undefined, { limit: cap });
  }
}

export async function claimsToday(em: EntityManager, userId: string, timeZone: string): Promise<number> {
  const today = claimsTodaySql(userId, timeZone);
  const [row] = await em.execute<{ n: number }[]>(`SELECT ${today.sql} AS n`, today.params);
  return row?.n ?? 0;
}

/** dailyClaimLimit: refuses the claim beyond the limit of the current day. */
export async function assertDailyClaims(em: EntityManager, settings: PoolSettingsValues, userId: string): Promise<void> {
  const limit = settings.dailyClaimLimit;
  if (limit === null) return;
  const today = await claimsToday(em, userId, settings.timeZone);
  if (dailyLimitReached(settings, today)) {
    throw new AppError(
      ErrorCode.LIMIT_REACHED,
      M.dailyClaimLimit({ today, limit, timeZone: settings.timeZone }),
      undefined,
      { limit },
    );
  }
}

/** previousOwnerCooldownDays: whoever returned or lost the customer waits N days to claim it again. */
export async function assertNoCooldown(
  em: EntityManager,
  settings: PoolSettingsValues,
  userId: string,
  customerId: string,
): Promise<void> {
  if (settings.previousOwnerCooldownDays === null) return;
  const lost = lastLossSql('?::bigint', userId);
  const [row] = await em.execute<{ lost_at: Date | null }[]>(`SELECT ${lost.sql} AS lost_at`, [customerId, ...lost.params]);
  const lostAt = row?.lost_at ?? null;
  const until = cooldownEnd(settings, lostAt);
  if (until) {
    throw new AppError(
      ErrorCode.COOLDOWN,
      M.cooldown({ lostAt: new Date(lostAt!).toISOString(), until: until.toISOString() }),
      undefined,
      { until },
    );
  }
}

/** Everything a claim (or a create-and-claim, without a customer yet) must pass. */
export async function assertMayClaim(
  em: EntityManager,
  settings: PoolSettingsValues,
  viewer: { id: string; name: string },
  customerId?: string,
): Promise<void> {
  if (customerId) await assertNoCooldown(em, settings, viewer.id, customerId);
  if (settings.dailyClaimLimit === null && settings.ownershipCap === null) return;
  await lockUserQuota(em, viewer.id);
  await assertDailyClaims(em, settings, viewer.id);
  await assertOwnershipRoom(em, settings, viewer, 1, true);
}

/** What an assign (or a handover) to `target` must pass. */
export async function assertMayReceive(
  em: EntityManager,
  settings: PoolSettingsValues,
  target: { id: string; name: string },
  adding = 1,
): Promise<void> {
  if (settings.ownershipCap === null) return;
  await lockUserQuota(em, target.id);
  await assertOwnershipRoom(em, settings, target, adding);
}

/** Why a claim the policy allows would be refused by the pool rules now. */
export enum ClaimBlock {
  COOLDOWN = 'COOLDOWN',
  DAILY_LIMIT = 'DAILY_LIMIT',
  OWNERSHIP_CAP = 'OWNERSHIP_CAP',
}

registerEnumType(ClaimBlock, {
  name: 'ClaimBlock',
  description: 'A pool rule that refuses a claim now (in the order a claim checks them).',
  valuesConfig: {
    COOLDOWN: { description: 'The viewer returned or lost this customer within previousOwnerCooldownDays (COOLDOWN).' },
    DAILY_LIMIT: { description: 'The viewer has made dailyClaimLimit claims today (LIMIT_REACHED).' },
    OWNERSHIP_CAP: { description: 'The viewer owns ownershipCap customers (LIMIT_REACHED).' },
  },
});

/** Whether any rule can block a claim: when none is on, nothing needs to be read. */
export function claimRulesOn(settings: PoolSettingsValues): boolean {
  return settings.previousOwnerCooldownDays !== null || settings.dailyClaimLimit !== null || settings.ownershipCap !== null;
}

export interface ClaimLoaders {
  /** Pool customers by id: the rule that would refuse the viewer's claim now, or null. */
  claimBlockByCustomerId: RequestLoader<string, ClaimBlock | null>;
}

/**
 * The same rules as assertMayClaim, for a page of pool customers in one statement: the viewer's
 * counts once, the cool-down per customer. `settings` are those the request read with its viewer.
 */
export function createClaimLoaders(reads: Reads, viewer: Viewer | null, settings: PoolSettingsValues): ClaimLoaders {
  return {
    claimBlockByCustomerId: requestLoader(async (ids) => {
      if (!viewer) return ids.map(() => null);
      const lost = lastLossSql('c.id', viewer.id);
      const today = claimsTodaySql(viewer.id, settings.timeZone);
      const owned = ownedCountSql(viewer.id);
      const rows = (await reads.rows(
        `SELECT c.id::text AS id, ${lost.sql} AS lost_at, ${today.sql} AS today, ${owned.sql} AS owned
         FROM customer c WHERE c.id = ANY(?::bigint[])`,
        [...lost.params, ...today.params, ...owned.params, sqlArray(ids)],
      )) as { id: string; lost_at: string | null; today: number; owned: number }[];
      const byId = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => {
        const row = byId.get(id);
        if (!row) return null;
        if (cooldownEnd(settings, row.lost_at)) return ClaimBlock.COOLDOWN;
        if (dailyLimitReached(settings, row.today)) return ClaimBlock.DAILY_LIMIT;
        if (capReached(settings, row.owned, 1)) return ClaimBlock.OWNERSHIP_CAP;
        return null;
      });
    }),
  };
}
