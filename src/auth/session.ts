import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Role } from '../users/user.entity.js';
import type { TokenService } from './token.js';

// Sessions: every sign-in opens one (a row in user_session), and its bearer token names it (the
// `sid` claim). A token works only while its session is live, which the statement that loads the
// viewer checks (viewer.ts), so ending a session ends its token on every instance at once.
// The database ends all of a user's sessions itself when their password, role or active flag
// changes (trigger app_user_end_sessions), whichever code path or instance makes the change.

/** The claim of a session token that names its session. */
export const SESSION_CLAIM = 'sid';

/** Why a session ended (user_session.end_reason). */
export enum SessionEndReason {
  LOGOUT = 'LOGOUT',
  ENDED_ELSEWHERE = 'ENDED_ELSEWHERE',
  PASSWORD_CHANGED = 'PASSWORD_CHANGED',
  ROLE_CHANGED = 'ROLE_CHANGED',
  DEACTIVATED = 'DEACTIVATED',
}

export interface OpenedSession {
  id: string;
  token: string;
  expiresAt: Date;
}

/** What the sign-in checked: the session opens only if the user's row is still exactly so. */
export interface SessionGuard {
  passwordHash: string;
  role: Role;
}

/**
 * Opens a session for an active user and signs its token. With a guard, the user's row must still
 * have that password hash and role: it is read with a share lock, so a password change, role
 * change or deactivation running at the same moment either ends this session too or makes this
 * return undefined, never leaves a session opened with the old password.
 */
export async function openSession(
  em: EntityManager,
  tokens: TokenService,
  userId: string,
  guard?: SessionGuard,
): Promise<OpenedSession | undefined> {
  const id = randomUUID();
  const expiresAt = new Date(Date.now() + tokens.ttlSeconds * 1000);
  const conditions = guard ? ' AND u.password_hash = ? AND u.role = ?' : '';
  const rows = await em.execute<{ id: string }[]>(
    `WITH expired AS (DELETE FROM user_session WHERE user_id = ?::bigint AND expires_at < now())
     INSERT INTO user_session (id, user_id, expires_at)
     SELECT ?::uuid, u.id, ?::timestamptz FROM app_user u
     WHERE u.id = ?::bigint AND u.active${conditions}
     FOR SHARE
     RETURNING id`,
    [userId, id, expiresAt, userId, ...(guard ? [guard.passwordHash, guard.role] : [])],
  );
  if (rows.length === 0) return undefined;
  const { token } = await tokens.signUntil(userId, { [SESSION_CLAIM]: id }, expiresAt);
  return { id, token, expiresAt };
}

/** Ends one session of a user; false when it had ended already. */
export async function endSession(em: EntityManager, userId: string, sessionId: string, reason: SessionEndReason): Promise<boolean> {
  const rows = await em.execute<{ id: string }[]>(
    `UPDATE user_session SET ended_at = now(), end_reason = ?
     WHERE id = ?::uuid AND user_id = ?::bigint AND ended_at IS NULL RETURNING id`,
    [reason, sessionId, userId],
  );
  return rows.length > 0;
}

/** Ends every live session of a user but `keep`; how many it ended. */
export async function endOtherSessions(em: EntityManager, userId: string, keep: string): Promise<number> {
  const rows = await em.execute<{ id: string }[]>(
    `UPDATE user_session SET ended_at = now(), end_reason = ?
     WHERE user_id = ?::bigint AND id <> ?::uuid AND ended_at IS NULL AND expires_at > now() RETURNING id`,
    [SessionEndReason.ENDED_ELSEWHERE, userId, keep],
  );
  return rows.length;
}
