import { KEYED, requestLoader, type RequestLoader } from '../common/batch-scheduler.js';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { canReadAccessList, viewReasons, type Relation, type Viewer } from '../auth/policy.js';
import { groupBy } from '../common/page-loaders.js';
import type { Reads } from '../common/reads.js';
import { sqlArray } from '../common/sql.js';
import { requireViewer } from '../auth/viewer.js';
import type { Context } from '../context.js';
import { CustomerStatus, type Customer } from './customer.entity.js';
import { customerFacts } from './customer.service.js';
import { Role, User } from '../users/user.entity.js';

// Customer.access: who can see a customer and why. The candidates (owner, sharees, managers above
// the owner, admins) are each run through the policy's own view rules, so the list can't disagree
// with what the server actually lets them do.

export enum AccessReason {
  OWNER = 'OWNER',
  SHARE = 'SHARE',
  MANAGER_OF_OWNER = 'MANAGER_OF_OWNER',
  ADMIN = 'ADMIN',
}
registerEnumType(AccessReason, {
  name: 'AccessReason',
  description: 'Why a user can see a customer.',
  valuesConfig: {
    OWNER: { description: '领用人: they own it.' },
    SHARE: { description: '共享: it is shared with them (read-only).' },
    MANAGER_OF_OWNER: { description: 'They are a MANAGER above the owner in the manager tree (any level).' },
    ADMIN: { description: 'They are an admin, who sees every customer.' },
  },
});

const REASON_OF: Partial<Record<Relation, AccessReason>> = {
  OWNER: AccessReason.OWNER,
  SHAREE: AccessReason.SHARE,
  MANAGER_ABOVE: AccessReason.MANAGER_OF_OWNER,
  ANY: AccessReason.ADMIN,
};

@ObjectType({ description: 'One user who can see a customer, and why.' })
export class AccessEntry {
  @Field(() => User, { description: 'The user.' })
  user!: User;

  @Field(() => [AccessReason], { description: 'Every reason that holds (an admin who is also the owner has both).' })
  reasons!: AccessReason[];
}

@ObjectType({ description: 'Who can see a customer and why.' })
export class CustomerAccess {
  @Field(() => Boolean, { description: 'In the pool: every active user can see it (contact details masked for SALES).' })
  everyone!: boolean;

  @Field(() => [AccessEntry], { description: 'Named users with their reasons (active users only).' })
  entries!: AccessEntry[];
}

export interface AccessLoaders {
  /** Every manager above a user, nearest first. */
  managersAbove: RequestLoader<string, string[]>;
  activeAdmins: RequestLoader<'all', string[]>;
}

export function createAccessLoaders(reads: Reads): AccessLoaders {
  return {
    managersAbove: requestLoader(async (ids) => {
      const rows = (await reads.rows(
        `WITH RECURSIVE up AS (
           SELECT id AS start, manager_id, 1 AS depth FROM app_user WHERE id = ANY(?::bigint[]) AND manager_id IS NOT NULL
           UNION
           SELECT up.start, u.manager_id, up.depth + 1 FROM up JOIN app_user u ON u.id = up.manager_id
           WHERE u.manager_id IS NOT NULL AND up.depth < 100
         ) SELECT start::text AS start, manager_id::text AS manager_id, depth FROM up ORDER BY start, depth`,
        [sqlArray(ids)],
        KEYED,
      )) as { start: string; manager_id: string; depth: number }[];
      const grouped = groupBy(rows, (r) => r.start);
      return ids.map((id) => (grouped.get(id) ?? []).map((r) => r.manager_id));
    }),
    activeAdmins: requestLoader(async (keys) => {
      const admins = await reads.rows(`SELECT u.id::text AS id FROM app_user u WHERE u.role = ? AND u.active ORDER BY u.name, u.id`, [Role.ADMIN]);
      return keys.map(() => admins.map((a) => a.id as string));
    }),
  };
}

/** Null when the viewer may not read the list (only the owner, managers above and admins may). */
export async function customerAccess(ctx: Context, customer: Customer): Promise<CustomerAccess | null> {
  const viewer = requireViewer(ctx);
  const facts = await customerFacts(ctx, customer);
  if (!canReadAccessList(viewer, facts)) return null;
  const ownerId = facts.ownerId;
  const [shareIds, managerIds, adminIds] = await Promise.all([
    ctx.loaders.shareUserIdsByCustomerId.load(customer.id),
    ownerId ? ctx.loaders.managersAbove.load(ownerId) : Promise.resolve([]),
    ctx.loaders.activeAdmins.load('all'),
  ]);
  const candidateIds = [...new Set([...(ownerId ? [ownerId] : []), ...shareIds, ...managerIds, ...adminIds])];
  const users = (await ctx.loaders.userById.loadMany(candidateIds)).filter((u): u is User => u instanceof User && u.active);
  const entries: AccessEntry[] = [];
  for (const user of users) {
    // The candidate as the policy sees them; for the manager relation only whether the owner is
    // below them matters, which managersAbove answered.
    const asViewer: Viewer = {
      id: user.id,
      role: user.role,
      subordinateIds: new Set(ownerId && managerIds.includes(user.id) ? [ownerId] : []),
    };
    const reasons = viewReasons(asViewer, { ...facts, sharedWithViewer: shareIds.includes(user.id) })
      .map((r) => REASON_OF[r])
      .filter((r): r is AccessReason => !!r);
    if (reasons.length) entries.push({ user, reasons });
  }
  return { everyone: customer.status === CustomerStatus.IN_POOL, entries };
}
