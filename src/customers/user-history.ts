import { Args, ArgsType, Ctx, Field, ID, Query, Resolver } from 'type-graphql';
import { assertMayReadUserHistory } from '../auth/policy.js';
import type { ConnectionResult } from '../common/connection.js';
import { PageArgs } from '../common/connection.js';
import { notFound } from '../common/errors.js';
import { fromGlobalId } from '../common/ids.js';
import { paginate } from '../common/pagination.js';
import { requireViewer } from '../auth/viewer.js';
import type { Context } from '../context.js';
import { Role } from '../users/user.entity.js';
import { OwnershipEventConnection } from './customer.resolver.js';
import { OwnershipEvent } from './ownership-event.entity.js';

// History per user: every event where the user acted, or gained or lost a customer. Readable by
// the user, their managers (any level) and admins; customers they can't see show as null.

@ArgsType()
class UserHistoryArgs extends PageArgs {
  @Field(() => ID, { description: 'The user whose history to read: yourself, someone below you (MANAGER), or anyone (ADMIN); others get a top-level FORBIDDEN.' })
  userId!: string;
}

export async function userHistory(ctx: Context, args: UserHistoryArgs): Promise<ConnectionResult<OwnershipEvent>> {
  const viewer = requireViewer(ctx);
  const userId = fromGlobalId('User', args.userId);
  if (!userId) throw notFound('User');
  assertMayReadUserHistory(viewer, userId);
  return paginate(
    ctx.reads,
    {
      select: ctx.reads.columns(OwnershipEvent, 'e'),
      from: 'ownership_event e',
      alias: 'e',
      where: [{ sql: '(e.actor_id = ?::bigint OR e.from_user_id = ?::bigint OR e.to_user_id = ?::bigint)', params: [userId, userId, userId] }],
      keys: [
        { sql: 'e.created_at', cast: 'timestamptz', desc: true, nullable: false },
        { sql: 'e.id', cast: 'bigint', desc: true, nullable: false },
      ],
      signature: `user-history:${userId}`,
    },
    args,
    (row) => ctx.reads.read(OwnershipEvent, row),
  );
}

@Resolver()
export class UserHistoryResolver {
  @Query(() => OwnershipEventConnection, {
    description:
      'A user’s history: what they did and the customers they gained or lost, newest first. For the user, their managers (any level) and admins; others get a top-level FORBIDDEN. ' +
      'Customers the viewer cannot see show as null. Pages of 1 to 100 (default 20), each event counting toward the query cost.',
  })
  userHistory(@Args(() => UserHistoryArgs) args: UserHistoryArgs, @Ctx() ctx: Context) {
    return userHistory(ctx, args);
  }
}
