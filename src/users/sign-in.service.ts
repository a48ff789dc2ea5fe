import type { EntityManager } from '@mikro-orm/postgresql';
import { startSignInAttempt } from '../auth/login-throttle.js';
import { endOtherSessions, endSession, openSession, SessionEndReason, type OpenedSession } from '../auth/session.js';
import { requireViewer } from '../auth/viewer.js';
import type { Context } from '../context.js';
import { AppError, ErrorCode, validationFailed } from '../common/errors.js';
import { User } from './user.entity.js';
import type { LoginInput, PasswordChangeInput } from './user.inputs.js';
import { M } from '../common/messages.js';

// Signing in and out: sessions (auth/session.ts) opened by a correct password, within the sign-in
// throttle (auth/login-throttle.ts), and ended by the user.

export interface SignInResult {
  token: string;
  expiresAt: Date;
  user: User;
}

const normalEmail = (email: string) => email.trim().toLowerCase();

/**
 * Checks `password` for `email` within the sign-in throttle: the user when it is right (active or
 * not), undefined when the email is unknown or the password wrong.
 */
async function checkPassword(ctx: Context, email: string, password: string): Promise<User | undefined> {
  const attempt = await startSignInAttempt(ctx.em, email, ctx.ip, ctx.app.config.loginThrottle);
  const user = await ctx.em.findOne(User, { email }, { populate: ['passwordHash'] });
  // An unknown email is checked against a dummy hash: it takes as long as a wrong password.
  const ok = await ctx.app.passwords.verify(user?.passwordHash, password);
  if (!user || !ok) return undefined;
  await attempt.succeeded();
  return user;
}

async function open(em: EntityManager, ctx: Context, user: User): Promise<OpenedSession> {
  const session = await openSession(em, ctx.app.tokens, user.id, { passwordHash: user.passwordHash, role: user.role });
  // The password, the role or the active flag changed while signing in.
  if (!session) throw new AppError(ErrorCode.INVALID_CREDENTIALS, M.accountChangedWhileSigningIn());
  return session;
}

export async function login(ctx: Context, input: LoginInput): Promise<SignInResult> {
  const user = await checkPassword(ctx, normalEmail(input.email), input.password);
  if (!user) throw new AppError(ErrorCode.INVALID_CREDENTIALS, M.invalidCredentials());
  if (!user.active) throw new AppError(ErrorCode.ACCOUNT_DEACTIVATED, M.accountDeactivated());
  const { token, expiresAt } = await open(ctx.em, ctx, user);
  return { token, expiresAt, user };
}

/**
 * The viewer changes their own password: every session of theirs ends (the database does it when
 * the hash changes), and the payload carries the token of a new one.
 */
export async function changeOwnPassword(ctx: Context, input: PasswordChangeInput): Promise<SignInResult> {
  const viewer = requireViewer(ctx);
  if (input.newPassword === input.currentPassword) {
    throw validationFailed(['input', 'newPassword'], M.samePassword());
  }
  const user = await checkPassword(ctx, viewer.user.email, input.currentPassword);
  if (!user || user.id !== viewer.id) {
    throw new AppError(ErrorCode.INVALID_CREDENTIALS, M.wrongCurrentPassword(), ['input', 'currentPassword']);
  }
  const passwordHash = await ctx.app.passwords.hash(input.newPassword);
  const { token, expiresAt } = await ctx.em.transactional(async (em) => {
    const own = await em.findOneOrFail(User, { id: viewer.id }, { populate: ['passwordHash'] });
    own.passwordHash = passwordHash;
    await em.flush();
    return open(em, ctx, own);
  });
  return { token, expiresAt, user };
}

function sessionOf(ctx: Context): { userId: string; sessionId: string } {
  const viewer = requireViewer(ctx);
  if (!viewer.sessionId) throw new AppError(ErrorCode.VALIDATION_FAILED, M.notSessionToken());
  return { userId: viewer.id, sessionId: viewer.sessionId };
}

/** Ends the session of the token the request was sent with. */
export async function logout(ctx: Context): Promise<void> {
  const { userId, sessionId } = sessionOf(ctx);
  await endSession(ctx.em, userId, sessionId, SessionEndReason.LOGOUT);
}

/** Ends every other session of the viewer (other devices, forgotten tabs); how many it ended. */
export async function endOtherSessionsOfViewer(ctx: Context): Promise<number> {
  const { userId, sessionId } = sessionOf(ctx);
  return endOtherSessions(ctx.em, userId, sessionId);
}
