import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { assertRole } from '../auth/policy.js';
import { notFound, validationFailed } from '../common/errors.js';
import { fromGlobalId } from '../common/ids.js';
import { sqlArray } from '../common/sql.js';
import { actedBy, requireViewer } from '../auth/viewer.js';
import type { Context } from '../context.js';
import { Customer, CustomerStatus } from '../customers/customer.entity.js';
import { transferOwnership } from '../customers/ownership.js';
import { SystemTransition } from '../customers/pool.js';
import { recordEvent } from '../customers/customer.service.js';
import { OwnershipEventAction } from '../customers/ownership-event.entity.js';
import { assertNotLastActiveAdmin } from '../users/admins.js';
import { Role, User } from '../users/user.entity.js';
import { assertMayReceive } from './pool-limits.js';
import { loadPoolSettings } from './pool-settings.js';
import { M } from '../common/messages.js';

// 防止人员离职客户流失: when someone leaves, an admin moves every customer they own in one
// transaction (to colleagues by weight, or back to the pool), removes their shares, moves their
// reports up, and deactivates them. One history event per customer; nothing half-done.

export interface HandoverTarget {
  userId: string;
  share?: number | null;
}

export interface HandoverRequest {
  userId: string;
  to?: HandoverTarget[] | null;
  toPool?: boolean | null;
  keepShares?: boolean | null;
  reason?: string | null;
}

export interface HandoverReport {
  user: User;
  allocations: { user: User; count: number }[];
  returnedToPool: number;
  customersMoved: number;
  sharesRemoved: number;
  reportsMovedTo: User | null;
  reportsMoved: number;
}

/**
 * Smooth weighted round-robin: interleaves the targets in proportion to their weights, so each
 * gets its share and consecutive customers go to different people.
 */
export function allocate<T>(count: number, targets: { target: T; weight: number }[]): T[] {
  const total = targets.reduce((sum, t) => sum + t.weight, 0);
  const current = targets.map(() => 0);
  const picks: T[] = [];
  for (let n = 0; n < count; n++) {
    let best = 0;
    targets.forEach((t, i) => {
      current[i]! += t.weight;
      if (current[i]! > current[best]!) best = i;
    });
    current[best]! -= total;
    picks.push(targets[best]!.target);
  }
  return picks;
}

async function resolveTargets(em: EntityManager, leaver: User, request: HandoverRequest) {
  const toPool = !!request.toPool;
  const to = request.to ?? [];
  if (toPool === to.length > 0) {
    throw validationFailed(['input', 'to'], M.handoverTarget());
  }
  if (new Set(to.map((t) => t.userId)).size !== to.length) throw validationFailed(['input', 'to'], M.colleagueTwice());
  return Promise.all(
    to.map(async (t, i) => {
      const id = fromGlobalId('User', t.userId);
      const user = id ? await em.findOne(User, { id }) : null;
      const field = ['input', 'to', String(i), 'userId'];
      if (!user) throw validationFailed(field, M.userNotFound({ id: t.userId }));
      if (!user.active) throw validationFailed(field, M.userDeactivated({ name: user.name }));
      if (user.id === leaver.id) throw validationFailed(field, M.leaverReceives());
      const weight = t.share ?? 1;
      if (!Number.isInteger(weight) || weight < 1 || weight > 1000) {
        throw validationFailed(['input', 'to', String(i), 'share'], M.handoverShare());
      }
      return { target: user, weight };
    }),
  );
}

export async function handover(ctx: Context, request: HandoverRequest): Promise<HandoverReport> {
  const viewer = requireViewer(ctx);
  assertRole(viewer, [Role.ADMIN], M.adminsOnly({ action: 'HANDOVER' }));
  const leaverId = fromGlobalId('User', request.userId);
  if (!leaverId) throw notFound('User');
  if (leaverId === viewer.id) throw validationFailed(['input', 'userId'], M.handoverSelf());
  const settings = await loadPoolSettings(ctx.em);

  return ctx.em.transactional(async (em) => {
    // Locking the leaver serialises handovers of one person; their customers are locked next,
    // all of them before any quota lock (the lock order of every pool action).
    const leaver = await em.findOne(User, { id: leaverId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!leaver) throw notFound('User');
    if (!leaver.active) throw validationFailed(['input', 'userId'], M.userAlreadyDeactivated({ name: leaver.name }));
    await assertNotLastActiveAdmin(em, leaver, ['input', 'userId'], M.lastAdmin({ change: 'LEAVE' }));
    const targets = await resolveTargets(em, leaver, request);
    const customers = await em.find(
      Customer,
      { owner: leaver.id, status: CustomerStatus.OWNED },
      { orderBy: { id: 'asc' }, lockMode: LockMode.PESSIMISTIC_WRITE },
    );
    const picks = targets.length ? allocate(customers.length, targets) : customers.map(() => null);
    const counts = new Map<string, number>();
    for (const pick of picks) if (pick) counts.set(pick.id, (counts.get(pick.id) ?? 0) + 1);
    for (const { target } of [...targets].sort((a, b) => Number(a.target.id) - Number(b.target.id))) {
      const adding = counts.get(target.id) ?? 0;
      if (adding > 0) await assertMayReceive(em, settings, target, adding);
    }

    let sharesRemoved = 0;
    for (const [i, customer] of customers.entries()) {
      const to = picks[i] ?? null;
      // The shares end with the ownership (unless kept); the new owner is never a sharee of their own customer.
      const moved = await transferOwnership(em, customer, {
        transition: to ? SystemTransition.HANDOVER : SystemTransition.HANDOVER_TO_POOL,
        ...actedBy(viewer),
        to: to?.id,
        reason: request.reason ?? `${leaver.name} left`,
        keepShares: !!request.keepShares,
      });
      sharesRemoved += moved.sharesRemoved.length;
    }
    await em.flush();
    // The leaver's own access to colleagues' customers ends too; each customer's history says so.
    const unshared = await em.execute<{ customer_id: string }[]>(
      'DELETE FROM customer_share WHERE user_id = ?::bigint RETURNING customer_id::text',
      [leaver.id],
    );
    for (const { customer_id } of unshared) {
      recordEvent(em, em.getReference(Customer, customer_id), OwnershipEventAction.UNSHARE, {
        ...actedBy(viewer),
        reason: request.reason ?? `${leaver.name} left`,
        details: { userIds: [leaver.id] },
      });
    }
    sharesRemoved += unshared.length;

    // Their reports now report to the leaver's own manager, so managers above keep seeing them.
    const newManager = leaver.manager ? await em.findOne(User, { id: leaver.manager.id }) : null;
    const reports = await em.find(User, { manager: leaver.id });
    for (const report of reports) report.manager = newManager ? em.getReference(User, newManager.id, { wrapped: true }) : null;
    leaver.active = false;
    await em.flush();

    return {
      user: leaver,
      allocations: targets.map((t) => ({ user: t.target, count: counts.get(t.target.id) ?? 0 })),
      returnedToPool: targets.length ? 0 : customers.length,
      customersMoved: customers.length,
      sharesRemoved,
      reportsMovedTo: reports.length ? newManager : null,
      reportsMoved: reports.length,
    };
  });
}
