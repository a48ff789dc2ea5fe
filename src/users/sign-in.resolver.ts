import { Arg, Ctx, Field, Int, Mutation, ObjectType, Resolver } from 'type-graphql';
import { UserError } from '../common/user-error.js';
import type { Context } from '../context.js';
import { User } from './user.entity.js';
import { LoginInput, PasswordChangeInput } from './user.inputs.js';
import * as signIn from './sign-in.service.js';

@ObjectType()
export class LoginPayload {
  @Field(() => String, { nullable: true, description: 'Send as Authorization: Bearer <token>.' })
  token?: string | null;

  @Field(() => Date, { nullable: true })
  expiresAt?: Date | null;

  @Field(() => User, { nullable: true })
  user?: User | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@ObjectType()
export class PasswordChangePayload {
  @Field(() => String, { nullable: true, description: 'The token of a new session: every earlier token of the viewer has ended.' })
  token?: string | null;

  @Field(() => Date, { nullable: true })
  expiresAt?: Date | null;

  @Field(() => User, { nullable: true })
  user?: User | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@ObjectType()
export class LogoutPayload {
  @Field(() => [UserError])
  userErrors!: UserError[];
}

@ObjectType()
export class SessionsEndOthersPayload {
  @Field(() => Int, { description: 'How many sessions ended.' })
  endedCount!: number;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@Resolver()
export class SignInResolver {
  @Mutation(() => LoginPayload, { description: 'Exchange email and password for a bearer token (a new session).' })
  async login(@Arg('input', () => LoginInput) input: LoginInput, @Ctx() ctx: Context): Promise<LoginPayload> {
    return { ...(await signIn.login(ctx, input)), userErrors: [] };
  }

  @Mutation(() => PasswordChangePayload, {
    description: 'Change your own password: every session of yours ends, and the payload carries a new token.',
  })
  async passwordChange(
    @Arg('input', () => PasswordChangeInput) input: PasswordChangeInput,
    @Ctx() ctx: Context,
  ): Promise<PasswordChangePayload> {
    return { ...(await signIn.changeOwnPassword(ctx, input)), userErrors: [] };
  }

  @Mutation(() => LogoutPayload, { description: 'End the session of the token this request is sent with.' })
  async logout(@Ctx() ctx: Context): Promise<LogoutPayload> {
    await signIn.logout(ctx);
    return { userErrors: [] };
  }

  @Mutation(() => SessionsEndOthersPayload, { description: 'End every other session of yours (other devices, old tokens); this one stays.' })
  async sessionsEndOthers(@Ctx() ctx: Context): Promise<SessionsEndOthersPayload> {
    return { endedCount: await signIn.endOtherSessionsOfViewer(ctx), userErrors: [] };
  }
}
