import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, ID, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { ConnectionType, PageArgs } from '../common/connection.js';
import { UserError } from '../common/user-error.js';
import { requireViewer } from '../auth/viewer.js';
import type { Context } from '../context.js';
import { Role, User } from './user.entity.js';
import { UserCreateInput, UserIdInput, UserUpdateInput } from './user.inputs.js';
import * as users from './user.service.js';
import { maybeUserOf } from './user.loaders.js';
import type { MaybePromise } from '../common/maybe.js';

@ObjectType({ description: 'The outcome of creating or changing a user account.' })
export class UserPayload {
  @Field(() => User, { nullable: true, description: 'The user as saved; null when the mutation failed.' })
  user?: User | null;

  @Field(() => [UserError], { description: 'Why the mutation failed, as stable codes (empty on success); nothing was changed then.' })
  userErrors!: UserError[];
}

export const UserConnection = ConnectionType('User', () => User);

@ArgsType()
class UsersArgs extends PageArgs {
  @Field(() => Boolean, { nullable: true, description: 'Only active (true) or deactivated (false) users.' })
  active?: boolean | null;

  @Field(() => Role, { nullable: true, description: 'Only users with this role.' })
  role?: Role | null;
}

@Resolver(() => User)
export class UserResolver {
  @Query(() => User, { description: 'The signed-in user.' })
  viewer(@Ctx() ctx: Context): User {
    return requireViewer(ctx).user;
  }

  @Query(() => User, { nullable: true, description: 'One colleague by id; null for an unknown id. Any signed-in user.' })
  user(@Arg('id', () => ID, { description: 'The user\'s global id.' }) id: string, @Ctx() ctx: Context): MaybePromise<User | null> {
    return users.getUser(ctx, id);
  }

  @Query(() => UserConnection, {
    description:
      'Every user (colleagues, for assigning and sharing), by name; any signed-in user. Pages of 1 to 100 (default 20), each user counting toward the query cost.',
  })
  users(@Args(() => UsersArgs) args: UsersArgs, @Ctx() ctx: Context) {
    return users.listUsers(ctx, args);
  }

  @Mutation(() => UserPayload, {
    description:
      'ADMIN only (others: top-level FORBIDDEN): create an account. VALIDATION_FAILED for a taken email, a short password, or a manager that is unknown, deactivated or not a MANAGER/ADMIN.',
  })
  async userCreate(@Arg('input', () => UserCreateInput, { description: 'See UserCreateInput for what each field takes.' }) input: UserCreateInput, @Ctx() ctx: Context): Promise<UserPayload> {
    return { user: await users.createUser(ctx, input), userErrors: [] };
  }

  @Mutation(() => UserPayload, {
    description:
      "ADMIN only: name, email, password, role, manager. A new password or role ends the user's sessions. STALE_VERSION, NOT_FOUND, VALIDATION_FAILED (taken email, a manager below the user, demoting someone who manages others or the last active admin).",
  })
  async userUpdate(@Arg('input', () => UserUpdateInput, { description: 'See UserUpdateInput for what each field takes.' }) input: UserUpdateInput, @Ctx() ctx: Context): Promise<UserPayload> {
    return { user: await users.updateUser(ctx, input), userErrors: [] };
  }

  @Mutation(() => UserPayload, {
    description:
      'ADMIN only. A deactivated user cannot sign in or act; their sessions end (their customers stay theirs until a handover). VALIDATION_FAILED when deactivating yourself or the last active admin; NOT_FOUND.',
  })
  async userDeactivate(@Arg('input', () => UserIdInput, { description: 'See UserIdInput for what each field takes.' }) input: UserIdInput, @Ctx() ctx: Context): Promise<UserPayload> {
    return { user: await users.setUserActive(ctx, input.id, false), userErrors: [] };
  }

  @Mutation(() => UserPayload, { description: 'ADMIN only: let a deactivated user sign in again. NOT_FOUND for an unknown id.' })
  async userReactivate(@Arg('input', () => UserIdInput, { description: 'See UserIdInput for what each field takes.' }) input: UserIdInput, @Ctx() ctx: Context): Promise<UserPayload> {
    return { user: await users.setUserActive(ctx, input.id, true), userErrors: [] };
  }

  @FieldResolver(() => User, { nullable: true, description: 'The user\'s manager, null at the top of the tree.' })
  manager(@Root() user: User, @Ctx() ctx: Context): MaybePromise<User | null> {
    return maybeUserOf(ctx, user.manager?.id);
  }

  @FieldResolver(() => [User], { description: 'Direct reports.' })
  reports(@Root() user: User, @Ctx() ctx: Context): MaybePromise<User[]> {
    return ctx.loaders.reportsByManagerId.get(user.id);
  }
}
