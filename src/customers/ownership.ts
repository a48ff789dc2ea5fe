import type { EntityManager } from '@mikro-orm/postgresql';
import { now } from '../common/clock.js';
import { AppError, ErrorCode } from '../common/errors.js';
import { sqlArray } from '../common/sql.js';
import { User } from '../users/user.entity.js';
import { Customer, CustomerStatus } from './customer.entity.js';
import { recordEvent } from './customer.service.js';
import type { OwnershipEventDetails } from './ownership-event.entity.js';
import { nextStatus, TRANSITIONS, type PoolTransition } from './pool.js';
import { M } from '../common/messages.js';

// Every change of a customer's state or owner goes through `transferOwnership`: the pool actions,
// the handover and the automatic return. It applies the transition table (pool.ts), sets owner,
// state and times, ends the shares where the table says so, and writes the history event. The
// caller holds the customer's row lock and has checked the policy.

/** Deletes a customer's shares (all, or those of `userIds`); the user ids removed. */
export async function removeShares(em: EntityManager, customerId: string, userIds?: string[]): Promise<string[]> {
  const rows = userIds
    ? await em.execute<{ user_id: string }[]>(
        'DELETE FROM customer_share WHERE customer_id = ?::bigint AND user_id = ANY(?::bigint[]) RETURNING user_id::text',
        [customerId, sqlArray(userIds)],
      )
    : await em.execute<{ user_id: string }[]>(
        'DELETE FROM customer_share WHERE customer_id = ?::bigint RETURNING user_id::text',
        [customerId],
      );
  return rows.map((r) => r.user_id);
}

/** Shares a customer with `userIds` (those who have it already are skipped); the user ids added. */
export async function addShares(em: EntityManager, customerId: string, userIds: string[], actorId: string): Promise<string[]> {
  if (userIds.length === 0) return [];
  const rows = await em.execute<{ user_id: string }[]>(
    `INSERT INTO customer_share (customer_id, user_id, created_by_id)
     SELECT ?::bigint, u, ?::bigint FROM unnest(?::bigint[]) AS u
     ON CONFLICT DO NOTHING RETURNING user_id::text`,
    [customerId, actorId, sqlArray(userIds)],
  );
  return rows.map((r) => r.user_id);
}

export interface Transfer {
  transition: PoolTransition;
  /** Who does it; null for the system (automatic rules). */
  actorId: string | null;
  /** The API key the actor used, if any. */
  apiKeyId?: string | null;
  /** The new owner, for a transition that leads to OWNED (ignored otherwise). */
  to?: string | null;
  reason?: string | null;
  details?: OwnershipEventDetails;
  /** Where the table ends the shares: keep them instead (the new owner's own share still ends). */
  keepShares?: boolean;
  /** Keep the previous owner as a read-only sharee. */
  previousOwnerAsSharee?: boolean;
}

export interface TransferOutcome {
  /** The sharees whose access ended. */
  sharesRemoved: string[];
}

/** Moves a locked customer along the transition table; INVALID_TRANSITION where it does not lead. */
export async function transferOwnership(em: EntityManager, customer: Customer, transfer: Transfer): Promise<TransferOutcome> {
  const { transition } = transfer;
  const rule = TRANSITIONS[transition];
  const next = nextStatus(transition, customer.status);
  if (next === undefined || !rule.event) {
    throw new AppError(
      ErrorCode.INVALID_TRANSITION,
      M.cannotActInStatus({ action: transition, status: customer.status }),
    );
  }
  const from = customer.owner?.id ?? null;
  const to = next === CustomerStatus.OWNED ? (transfer.to ?? null) : null;
  if (next === CustomerStatus.OWNED && !to) throw new Error(`${transition} leads to an owner: pass one`);

  let sharesRemoved: string[] = [];
  if (rule.endsShares) {
    if (!transfer.keepShares) sharesRemoved = await removeShares(em, customer.id);
    else if (to) sharesRemoved = await removeShares(em, customer.id, [to]);
  }
  const at = now();
  const leavesArchive = customer.status === CustomerStatus.ARCHIVED;
  customer.status = next;
  customer.owner = to ? em.getReference(User, to, { wrapped: true }) : null;
  customer.claimedAt = to ? at : null;
  if (next === CustomerStatus.ARCHIVED) customer.archivedAt = at;
  else if (leavesArchive) customer.archivedAt = null;
  customer.updatedAt = at;
  if (transfer.previousOwnerAsSharee && from && from !== to && transfer.actorId) {
    await addShares(em, customer.id, [from], transfer.actorId);
  }
  recordEvent(em, customer, rule.event, {
    actorId: transfer.actorId,
    apiKeyId: transfer.apiKeyId ?? null,
    from,
    to,
    reason: transfer.reason,
    details: transfer.details,
  });
  return { sharesRemoved };
}
