import { Arg, Ctx, Field, Int, Mutation, ObjectType, Resolver } from 'type-graphql';
import { UserError } from '../common/user-error.js';
import type { Context } from '../context.js';
import { User } from './user.entity.js';
import { LoginInput, PasswordChangeInput } from './user.inputs.js';
import * as signIn from './sign-in.service.js';

@ObjectType({ description: 'A new session, or why signing in failed.' })
export class LoginPayload {
  @Field(() => String, { nullable: true, description: 'Send as Authorization: Bearer <token>.' })
  token?: string | null;

  @Field(() => Date, { nullable: true, description: 'When the token stops working; sign in again then.' })
  expiresAt?: Date | null;

  @Field(() => User, { nullable: true, description: 'The signed-in user.' })
  user?: User | null;

  @Field(() => [UserError], { description: 'Why the mutation failed, as stable codes (empty on success); nothing was changed then.' })
  userErrors!: UserError[];
}

@ObjectType({ description: 'The outcome of changing your own password.' })
export class PasswordChangePayload {
  @Field(() => String, { nullable: true, description: 'The token of a new session: every earlier token of the viewer has ended.' })
  token?: string | null;

  @Field(() => Date, { nullable: true, description: 'When the new token stops working.' })
  expiresAt?: Date | null;

  @Field(() => User, { nullable: true, description: 'The viewer.' })
  user?: User | null;

  @Field(() => [UserError], { description: 'Why the mutation failed, as stable codes (empty on success); nothing was changed then.' })
  userErrors!: UserError[];
}

@ObjectType({ description: 'The outcome of ending this session.' })
export class LogoutPayload {
  @Field(() => [UserError], { description: 'Why the mutation failed, as stable codes (empty on success); nothing was changed then.' })
  userErrors!: UserError[];
}

@ObjectType({ description: 'The outcome of ending your other sessions.' })
export class SessionsEndOthersPayload {
  @Field(() => Int, { description: 'How many sessions ended.' })
  endedCount!: number;

  @Field(() => [UserError], { description: 'Why the mutation failed, as stable codes (empty on success); nothing was changed then.' })
  userErrors!: UserError[];
}

@Resolver()
export class SignInResolver {
  @Mutation(() => LoginPayload, {
    description:
      'Exchange email and password for a bearer token (a new session). INVALID_CREDENTIALS for an unknown email or a wrong password, ACCOUNT_DEACTIVATED; repeated failures are throttled (a top-level TOO_MANY_REQUESTS).',
  })
  async login(@Arg('input', () => LoginInput, { description: 'See LoginInput for what each field takes.' }) input: LoginInput, @Ctx() ctx: Context): Promise<LoginPayload> {
    return { ...(await signIn.login(ctx, input)), userErrors: [] };
  }

  @Mutation(() => PasswordChangePayload, {
    description:
      'Change your own password: every session of yours ends, and the payload carries a new token. INVALID_CREDENTIALS for a wrong current password, VALIDATION_FAILED for a new one that is too short or unchanged.',
  })
  async passwordChange(
    @Arg('input', () => PasswordChangeInput, { description: 'See PasswordChangeInput for what each field takes.' }) input: PasswordChangeInput,
    @Ctx() ctx: Context,
  ): Promise<PasswordChangePayload> {
    return { ...(await signIn.changeOwnPassword(ctx, input)), userErrors: [] };
  }

  @Mutation(() => LogoutPayload, {
    description: 'End the session of the token this request is sent with; VALIDATION_FAILED when it was not sent with a session token.',
  })
  async logout(@Ctx() ctx: Context): Promise<LogoutPayload> {
    await signIn.logout(ctx);
    return { userErrors: [] };
  }

  @Mutation(() => SessionsEndOthersPayload, {
    description:
      'End every other session of yours (other devices, old tokens); this one stays. VALIDATION_FAILED when the request was not sent with a session token.',
  })
  async sessionsEndOthers(@Ctx() ctx: Context): Promise<SessionsEndOthersPayload> {
    return { endedCount: await signIn.endOtherSessionsOfViewer(ctx), userErrors: [] };
  }
}
