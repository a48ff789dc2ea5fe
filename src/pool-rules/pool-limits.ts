import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError, ErrorCode } from '../common/errors.js';
import type { PoolSettingsValues } from './pool-settings.js';

// Caps, daily limits and cool-downs, checked inside the transaction that hands a customer to
// someone. A transaction-scoped advisory lock per receiving user serialises the count-then-write
// across requests and server instances, so two parallel claims at the cap give one success.
// Lock order everywhere: customer rows first, then user quota locks.

const DAY_MS = 24 * 3600 * 1000;

/** Serialises every ownership grant to one user until the transaction ends. */
export async function lockUserQuota(em: EntityManager, userId: string): Promise<void> {
  await em.execute('SELECT pg_advisory_xact_lock(hashtextextended(?, 0))', [`pool-quota:${userId}`]);
}

export async function ownedCount(em: EntityManager, userId: string): Promise<number> {
  const [row] = await em.execute<{ n: number }[]>(
    `SELECT count(*)::int AS n FROM customer WHERE owner_id = ?::bigint AND status = 'OWNED'`,
    [userId],
  );
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
  if (owned + adding > cap) {
    const who = self ? 'You own' : `${user.name} owns`;
    throw new AppError(ErrorCode.LIMIT_REACHED, `${who} ${owned} customers; the ownership cap is ${cap}`, undefined, { limit: cap });
  }
}

/** Claims today in the company time zone: claims and create-and-claims by the user. */
export async function claimsToday(em: EntityManager, userId: string, timeZone: string): Promise<number> {
  const [row] = await em.execute<{ n: number }[]>(
    `SELECT count(*)::int AS n FROM ownership_event
     WHERE actor_id = ?::bigint AND to_user_id = ?::bigint AND action IN ('CLAIM', 'CREATE')
       AND created_at >= (date_trunc('day', now() AT TIME ZONE ?) AT TIME ZONE ?)`,
    [userId, userId, timeZone, timeZone],
  );
  return row?.n ?? 0;
}

/** dailyClaimLimit: refuses the claim beyond the limit of the current day. */
export async function assertDailyClaims(em: EntityManager, settings: PoolSettingsValues, userId: string): Promise<void> {
  const limit = settings.dailyClaimLimit;
  if (limit === null) return;
  const today = await claimsToday(em, userId, settings.timeZone);
  if (today >= limit) {
    throw new AppError(
      ErrorCode.LIMIT_REACHED,
      `You have claimed ${today} customers today; the daily limit is ${limit} (a new day starts at midnight ${settings.timeZone})`,
      undefined,
      { limit },
    );
  }
}

/** Events that took a customer away from its owner. */
export const LOSS_ACTIONS = ['RETURN', 'RECLAIM', 'ASSIGN', 'AUTO_RETURN', 'HANDOVER'];

/** previousOwnerCooldownDays: whoever returned or lost the customer waits N days to claim it again. */
export async function assertNoCooldown(
  em: EntityManager,
  settings: PoolSettingsValues,
  userId: string,
  customerId: string,
): Promise<void> {
  const days = settings.previousOwnerCooldownDays;
  if (days === null) return;
  const [row] = await em.execute<{ created_at: Date }[]>(
    `SELECT created_at FROM ownership_event
     WHERE customer_id = ?::bigint AND from_user_id = ?::bigint AND action IN (${LOSS_ACTIONS.map(() => '?').join(', ')})
     ORDER BY created_at DESC LIMIT 1`,
    [customerId, userId, ...LOSS_ACTIONS],
  );
  if (!row) return;
  const until = new Date(new Date(row.created_at).getTime() + days * DAY_MS);
  if (until.getTime() > Date.now()) {
    throw new AppError(
      ErrorCode.COOLDOWN,
      `You gave this customer up on ${new Date(row.created_at).toISOString()}; you may claim it again from ${until.toISOString()}`,
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
