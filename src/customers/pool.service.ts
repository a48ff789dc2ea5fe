import type { EntityManager } from '@mikro-orm/postgresql';
import { assertCan, mayAssignTo, type OwnerInfo } from '../auth/policy.js';
import { AppError, ErrorCode, validationFailed } from '../common/errors.js';
import { fromGlobalId } from '../common/ids.js';
import { sqlArray } from '../common/sql.js';
import { actedBy, requireViewer } from '../auth/viewer.js';
import type { Context } from '../context.js';
import { User } from '../users/user.entity.js';
import type { Customer } from './customer.entity.js';
import type {
  CustomersActionInput,
  CustomersAssignInput,
  CustomerSharesSetInput,
  CustomersShareInput,
} from './customer.inputs.js';
import { recordEvent } from './customer.service.js';
import { batchTargets, checkIds, forEachCustomer, type ActionResult } from './customer-batch.js';
import { OwnershipEventAction } from './ownership-event.entity.js';
import { assertMayClaim, assertMayReceive } from '../pool-rules/pool-limits.js';
import { loadPoolSettings } from '../pool-rules/pool-settings.js';
import { CustomerAction } from './pool.js';
import { addShares, removeShares, transferOwnership } from './ownership.js';
import { M } from '../common/messages.js';

// The pool actions. Each customer of a batch runs in its own transaction with its row locked
// (SELECT ... FOR UPDATE, customer-batch.ts): concurrent claims queue on the lock and exactly one
// finds the customer still in the pool. A customer is either fully changed (state, shares,
// history) or not at all.

export type { ActionResult };

/** Select-all (matching) is for the actions that move or share a list of one's own customers. */
function idsOnly(input: CustomersActionInput, action: string): string[] {
  if (input.matching) {
    throw validationFailed(['input', 'matching'], M.matchingNotFor({ action }));
  }
  return input.customerIds;
}

// The events that change who owns a customer; the latest one says how it came to its owner.
const OWNERSHIP_CHANGES = [
  OwnershipEventAction.CREATE,
  OwnershipEventAction.CLAIM,
  OwnershipEventAction.RETURN,
  OwnershipEventAction.ASSIGN,
  OwnershipEventAction.RECLAIM,
  OwnershipEventAction.AUTO_RETURN,
  OwnershipEventAction.HANDOVER,
  OwnershipEventAction.ARCHIVE,
  OwnershipEventAction.RESTORE,
];

/**
 * Who owns a customer, since when, and whether it left the pool within `raceWindowMs` (the longest
 * a claim sent while it was still there can have waited: its turn, then the row lock), in one
 * statement.
 */
async function ownerInfo(em: EntityManager, customer: Customer, raceWindowMs: number): Promise<OwnerInfo | undefined> {
  if (!customer.owner) return undefined;
  const [row] = await em.execute<{ name: string; just_left_pool: boolean | null }[]>(
    `SELECT u.name,
       (SELECT e.action IN ('CLAIM', 'ASSIGN') AND e.from_user_id IS NULL AND e.created_at > now() - make_interval(secs => ?)
        FROM ownership_event e WHERE e.customer_id = ?::bigint AND e.action = ANY(?::text[])
        ORDER BY e.created_at DESC, e.id DESC LIMIT 1) AS just_left_pool
     FROM app_user u WHERE u.id = ?::bigint`,
    [raceWindowMs / 1000, customer.id, sqlArray(OWNERSHIP_CHANGES), customer.owner.id],
  );
  return { name: row?.name ?? 'someone', claimedAt: customer.claimedAt ?? null, justLeftPool: row?.just_left_pool === true };
}

/** Active users by global id; a missing or deactivated one fails the whole request as input. */
async function activeUsers(ctx: Context, globalIds: string[], field: string): Promise<User[]> {
  if (new Set(globalIds).size !== globalIds.length) throw validationFailed(['input', field], M.userListedTwice({ field }));
  const ids = globalIds.map((g) => fromGlobalId('User', g));
  const found = await ctx.em.find(User, { id: { $in: ids.filter((i): i is string => !!i) } });
  const byId = new Map(found.map((u) => [u.id, u]));
  return ids.map((id, i) => {
    const user = id ? byId.get(id) : undefined;
    if (!user) throw validationFailed(['input', field, String(i)], M.userNotFound({ id: globalIds[i]! }));
    if (!user.active) throw validationFailed(['input', field, String(i)], M.userDeactivated({ name: user.name }));
    return user;
  });
}

/** 领用: take pool customers (within the pool rules: cool-down, daily limit, ownership cap). */
export async function claim(ctx: Context, input: CustomersActionInput): Promise<ActionResult[]> {
  const { user } = requireViewer(ctx);
  const settings = await loadPoolSettings(ctx.em);
  const me = { id: user.id, name: user.name };
  const { admission, limits } = ctx.app.config;
  const raceWindowMs = admission.waitMs + limits.statementTimeoutMs;
  return forEachCustomer(ctx, idsOnly(input, 'claim'), async ({ em, viewer, customer, facts }) => {
    assertCan(viewer, CustomerAction.CLAIM, facts, await ownerInfo(em, customer, raceWindowMs));
    await assertMayClaim(em, settings, me, customer.id);
    await transferOwnership(em, customer, { transition: CustomerAction.CLAIM, ...actedBy(viewer), to: viewer.id, reason: input.reason });
  });
}

/** 归还: the owner gives customers back to the pool; their shares end. */
export async function giveBack(ctx: Context, input: CustomersActionInput): Promise<ActionResult[]> {
  return forEachCustomer(ctx, await batchTargets(ctx, input), async ({ em, viewer, customer, facts }) => {
    assertCan(viewer, CustomerAction.RETURN, facts);
    await transferOwnership(em, customer, { transition: CustomerAction.RETURN, ...actedBy(viewer), reason: input.reason });
  });
}

/** 收回: a manager above the owner (or an admin) takes customers back to the pool. */
export async function reclaim(ctx: Context, input: CustomersActionInput): Promise<ActionResult[]> {
  return forEachCustomer(ctx, await batchTargets(ctx, input), async ({ em, viewer, customer, facts }) => {
    assertCan(viewer, CustomerAction.RECLAIM, facts);
    await transferOwnership(em, customer, { transition: CustomerAction.RECLAIM, ...actedBy(viewer), reason: input.reason });
  });
}

/** 指派: make `assigneeId` the owner. */
export async function assign(ctx: Context, input: CustomersAssignInput): Promise<ActionResult[]> {
  requireViewer(ctx);
  checkIds(input.customerIds);
  const [assignee] = await activeUsers(ctx, [input.assigneeId], 'assigneeId');
  const target = assignee!;
  const settings = await loadPoolSettings(ctx.em);
  return forEachCustomer(ctx, await batchTargets(ctx, input), async ({ em, viewer, customer, facts }) => {
    assertCan(viewer, CustomerAction.ASSIGN, facts);
    if (facts.ownerId === target.id) {
      throw new AppError(ErrorCode.INVALID_TRANSITION, M.alreadyOwns({ name: target.name }));
    }
    if (!mayAssignTo(viewer, facts, target.id)) {
      throw new AppError(ErrorCode.FORBIDDEN, M.assignOnlyBelow({ name: target.name }), [
        'input',
        'assigneeId',
      ]);
    }
    await assertMayReceive(em, settings, target);
    await transferOwnership(em, customer, {
      transition: CustomerAction.ASSIGN,
      ...actedBy(viewer),
      to: target.id,
      reason: input.reason,
      keepShares: !!input.keepShares,
      previousOwnerAsSharee: !!input.keepPreviousOwnerAsSharee,
    });
  });
}

function refuseOwnerAsSharee(customer: Customer, users: User[]): void {
  const owner = users.find((u) => u.id === customer.owner?.id);
  if (owner) throw new AppError(ErrorCode.VALIDATION_FAILED, M.ownerCannotShare({ name: owner.name }), ['input', 'userIds']);
}

/** 共享: read-only access for colleagues. */
export async function share(ctx: Context, input: CustomersShareInput): Promise<ActionResult[]> {
  requireViewer(ctx);
  checkIds(input.customerIds);
  const users = await activeUsers(ctx, input.userIds, 'userIds');
  return forEachCustomer(ctx, await batchTargets(ctx, input), async ({ em, viewer, customer, facts }) => {
    assertCan(viewer, CustomerAction.SHARE, facts);
    refuseOwnerAsSharee(customer, users);
    const added = await addShares(em, customer.id, users.map((u) => u.id), viewer.id);
    if (added.length > 0) {
      recordEvent(em, customer, OwnershipEventAction.SHARE, { ...actedBy(viewer), reason: input.reason, details: { userIds: added } });
    }
  });
}

/** 取消共享. */
export async function unshare(ctx: Context, input: CustomersShareInput): Promise<ActionResult[]> {
  requireViewer(ctx);
  checkIds(input.customerIds);
  checkIds(input.userIds, 'userIds');
  const userIds = input.userIds.map((g) => fromGlobalId('User', g)).filter((i): i is string => !!i);
  return forEachCustomer(ctx, await batchTargets(ctx, input), async ({ em, viewer, customer, facts }) => {
    assertCan(viewer, CustomerAction.SHARE, facts);
    const removed = await removeShares(em, customer.id, userIds);
    if (removed.length > 0) {
      recordEvent(em, customer, OwnershipEventAction.UNSHARE, { ...actedBy(viewer), reason: input.reason, details: { userIds: removed } });
    }
  });
}

/** 变更共享: replace the sharees of one customer. */
export async function setShares(ctx: Context, input: CustomerSharesSetInput): Promise<ActionResult> {
  requireViewer(ctx);
  const users = await activeUsers(ctx, input.userIds, 'userIds');
  const wanted = users.map((u) => u.id);
  const [result] = await forEachCustomer(ctx, [input.customerId], async ({ em, viewer, customer, facts }) => {
    assertCan(viewer, CustomerAction.SHARE, facts);
    refuseOwnerAsSharee(customer, users);
    const current = (
      await em.execute<{ user_id: string }[]>('SELECT user_id::text FROM customer_share WHERE customer_id = ?::bigint', [customer.id])
    ).map((r) => r.user_id);
    const removed = await removeShares(em, customer.id, current.filter((u) => !wanted.includes(u)));
    const added = await addShares(em, customer.id, wanted, viewer.id);
    if (removed.length > 0) recordEvent(em, customer, OwnershipEventAction.UNSHARE, { ...actedBy(viewer), details: { userIds: removed } });
    if (added.length > 0) recordEvent(em, customer, OwnershipEventAction.SHARE, { ...actedBy(viewer), details: { userIds: added } });
  });
  return result!;
}

/** 删除: an admin archives pool customers; kept forever. */
export async function archive(ctx: Context, input: CustomersActionInput): Promise<ActionResult[]> {
  return forEachCustomer(ctx, idsOnly(input, 'archive'), async ({ em, viewer, customer, facts }) => {
    assertCan(viewer, CustomerAction.ARCHIVE, facts);
    await transferOwnership(em, customer, { transition: CustomerAction.ARCHIVE, ...actedBy(viewer), reason: input.reason });
  });
}

/** An admin brings archived customers back to the pool (refused if the name is taken meanwhile). */
export async function restore(ctx: Context, input: CustomersActionInput): Promise<ActionResult[]> {
  return forEachCustomer(ctx, idsOnly(input, 'restore'), async ({ em, viewer, customer, facts }) => {
    assertCan(viewer, CustomerAction.RESTORE, facts);
    await transferOwnership(em, customer, { transition: CustomerAction.RESTORE, ...actedBy(viewer), reason: input.reason });
  });
}
