import type { RequestLoader } from '../common/batch-scheduler.js';
import { found } from '../common/errors.js';
import { all, andThen, type MaybePromise } from '../common/maybe.js';
import type { Reads } from '../common/reads.js';
import { recordListLoader, recordLoader } from '../common/record-loaders.js';
import type { Context } from '../context.js';
import { User } from './user.entity.js';

export interface UserLoaders {
  userById: RequestLoader<string, User | null>;
  /** Direct reports of a manager, by name. */
  reportsByManagerId: RequestLoader<string, User[]>;
}

export function createUserLoaders(reads: Reads): UserLoaders {
  return {
    userById: recordLoader(reads, User),
    reportsByManagerId: recordListLoader(reads, User, { column: 'manager_id', orderBy: 'x.name, x.id' }),
  };
}

/** The user with this id: every record names its creator, who is never deleted. */
export function userOf(ctx: Context, id: string): MaybePromise<User> {
  return andThen(ctx.loaders.userById.get(id), (user) => found(user, 'User'));
}

/** The user with this id, if any. */
export function maybeUserOf(ctx: Context, id: string | null | undefined): MaybePromise<User | null> {
  return id ? ctx.loaders.userById.get(id) : null;
}

/** The users with these ids that exist, in order. */
export function usersOf(ctx: Context, ids: readonly string[]): MaybePromise<User[]> {
  return andThen(all(ids.map((id) => ctx.loaders.userById.get(id))), (users) => users.filter((u): u is User => u !== null));
}
