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

@ObjectType()
export class UserPayload {
  @Field(() => User, { nullable: true })
  user?: User | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

export const UserConnection = ConnectionType('User', () => User);

@ArgsType()
class UsersArgs extends PageArgs {
  @Field(() => Boolean, { nullable: true, description: 'Only active (true) or deactivated (false) users.' })
  active?: boolean | null;

  @Field(() => Role, { nullable: true })
  role?: Role | null;
}

@Resolver(() => User)
export class UserResolver {
  @Query(() => User, { description: 'The signed-in user.' })
  viewer(@Ctx() ctx: Context): User {
    return requireViewer(ctx).user;
  }

  @Query(() => User, { nullable: true })
  user(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): MaybePromise<User | null> {
    return users.getUser(ctx, id);
  }

  @Query(() => UserConnection, { description: 'Colleagues, by name.' })
  users(@Args(() => UsersArgs) args: UsersArgs, @Ctx() ctx: Context) {
    return users.listUsers(ctx, args);
  }

  @Mutation(() => UserPayload, { description: 'ADMIN only.' })
  async userCreate(@Arg('input', () => UserCreateInput) input: UserCreateInput, @Ctx() ctx: Context): Promise<UserPayload> {
    return { user: await users.createUser(ctx, input), userErrors: [] };
  }

  @Mutation(() => UserPayload, {
    description: "ADMIN only: name, email, password, role, manager. A new password or role ends the user's sessions.",
  })
  async userUpdate(@Arg('input', () => UserUpdateInput) input: UserUpdateInput, @Ctx() ctx: Context): Promise<UserPayload> {
    return { user: await users.updateUser(ctx, input), userErrors: [] };
  }

  @Mutation(() => UserPayload, { description: 'ADMIN only. A deactivated user cannot sign in or act; their sessions end.' })
  async userDeactivate(@Arg('input', () => UserIdInput) input: UserIdInput, @Ctx() ctx: Context): Promise<UserPayload> {
    return { user: await users.setUserActive(ctx, input.id, false), userErrors: [] };
  }

  @Mutation(() => UserPayload, { description: 'ADMIN only.' })
  async userReactivate(@Arg('input', () => UserIdInput) input: UserIdInput, @Ctx() ctx: Context): Promise<UserPayload> {
    return { user: await users.setUserActive(ctx, input.id, true), userErrors: [] };
  }

  @FieldResolver(() => User, { nullable: true })
  manager(@Root() user: User, @Ctx() ctx: Context): MaybePromise<User | null> {
    return maybeUserOf(ctx, user.manager?.id);
  }

  @FieldResolver(() => [User], { description: 'Direct reports.' })
  reports(@Root() user: User, @Ctx() ctx: Context): MaybePromise<User[]> {
    return ctx.loaders.reportsByManagerId.get(user.id);
  }
}
