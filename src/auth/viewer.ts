import type { EntityManager } from '@mikro-orm/postgresql';
import { RequestError } from '../common/errors.js';
import { entityReader } from '../common/reads.js';
import type { Context } from '../context.js';
import { POOL_SETTINGS_SQL, poolSettingsFrom, type PoolSettingsValues } from '../pool-rules/pool-settings.js';
import { User } from '../users/user.entity.js';
import { canManageOthers, type Viewer } from './policy.js';
import { SESSION_CLAIM } from './session.js';
import type { TokenService } from './token.js';

// Who is asking: from the credentials a request presents to the signed-in viewer, in one place.
// Everything a request knows about its viewer, and whether its credentials still hold, is read
// here in one statement.

/** The signed-in user of a request: what the policy needs to know, their row, how they signed in. */
export interface SignedInViewer extends Viewer {
  user: User;
  /** The session of the request's bearer token; null when it was authenticated otherwise. */
  sessionId: string | null;
}

/** The viewer of a request and the pool settings as it sees them (its rules, the company time zone). */
export interface ResolvedViewer {
  viewer: SignedInViewer;
  settings: PoolSettingsValues;
}

/** What a request presents as proof of who it is, once its signature has been checked. */
export type Credential =
  /** A bearer token from `login`: good while its session is live. */
  | { kind: 'session'; userId: string; sessionId: string }
  /** A user the caller vouches for: a signed print link, a job or script acting as the user. */
  | { kind: 'user'; userId: string };

const MAX_BIGINT = 9223372036854775807n;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function isUserId(value: string): boolean {
  return /^[1-9][0-9]{0,18}$/.test(value) && BigInt(value) <= MAX_BIGINT;
}

/** The credential's own condition on the user row `u`, beside "active". */
function credentialSql(credential: Credential): { sql: string; params: string[] } {
  switch (credential.kind) {
    case 'session':
      return {
        sql: `EXISTS (SELECT 1 FROM user_session s
                WHERE s.id = ?::uuid AND s.user_id = u.id AND s.ended_at IS NULL AND s.expires_at > now())`,
        params: [credential.sessionId],
      };
    case 'user':
      return { sql: 'TRUE', params: [] };
  }
}

/**
 * The viewer a credential stands for: an active user (and for a session token, a live session),
 * with what the policy needs to know about them (everyone below them) and the pool settings. One
 * statement, at the start of every signed-in request; undefined when the credential does not
 * (or no longer) hold, including any malformed id in it.
 */
export async function resolveViewer(em: EntityManager, credential: Credential): Promise<ResolvedViewer | undefined> {
  if (!isUserId(credential.userId)) return undefined;
  if (credential.kind === 'session' && !UUID.test(credential.sessionId)) return undefined;
  const reader = entityReader(em, User);
  const holds = credentialSql(credential);
  const [row] = await em.execute<Record<string, unknown>[]>(
    `SELECT ${reader.columns('u')},
       ARRAY(WITH RECURSIVE below AS (
         SELECT b.id FROM app_user b WHERE b.manager_id = u.id
         UNION
         SELECT x.id FROM app_user x JOIN below ON x.manager_id = below.id
       ) SELECT id::text FROM below) AS subordinate_ids,
       ${POOL_SETTINGS_SQL} AS pool_settings
     FROM app_user u WHERE u.id = ?::bigint AND u.active AND ${holds.sql}`,
    [credential.userId, ...holds.params],
  );
  if (!row) return undefined;
  const user = reader.read(row);
  // Only a MANAGER or an ADMIN can be someone's manager; the tree says who is below them.
  const subordinateIds = new Set(canManageOthers(user.role) ? (row.subordinate_ids as string[]) : []);
  return {
    viewer: { id: user.id, role: user.role, subordinateIds, user, sessionId: credential.kind === 'session' ? credential.sessionId : null },
    settings: poolSettingsFrom(row.pool_settings as Partial<PoolSettingsValues> | null),
  };
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/**
 * The credential an `Authorization` header carries: a session token signed by this server,
 * unexpired. Undefined for anything else: no bearer token, a bad signature, no expiry, a token of
 * another kind (a print link) or without a session.
 */
export async function credentialOf(tokens: TokenService, authorization: string): Promise<Credential | undefined> {
  const token = BEARER.exec(authorization)?.[1];
  const claims = token ? await tokens.verify(token) : undefined;
  if (!claims || claims.scope !== undefined) return undefined;
  const sessionId = claims[SESSION_CLAIM];
  return typeof sessionId === 'string' ? { kind: 'session', userId: claims.sub, sessionId } : undefined;
}

/** The viewer behind an `Authorization` header; undefined without valid credentials. */
export async function viewerFromAuthorization(
  em: EntityManager,
  tokens: TokenService,
  authorization: string,
): Promise<ResolvedViewer | undefined> {
  const credential = await credentialOf(tokens, authorization);
  return credential ? resolveViewer(em, credential) : undefined;
}

/** The signed-in viewer; every operation but `login` needs one. */
export function requireViewer(ctx: Pick<Context, 'viewer' | 'authFailure'>): SignedInViewer {
  if (!ctx.viewer) {
    throw new RequestError('UNAUTHENTICATED', ctx.authFailure ?? 'Sign in first: send Authorization: Bearer <token>', 401);
  }
  return ctx.viewer;
}
