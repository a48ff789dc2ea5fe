import type { EntityManager } from '@mikro-orm/postgresql';
import { RequestError } from '../common/errors.js';
import { entityReader } from '../common/reads.js';
import type { Context } from '../context.js';
import { POOL_SETTINGS_SQL, poolSettingsFrom, type PoolSettingsValues } from '../pool-rules/pool-settings.js';
import { User } from '../users/user.entity.js';
import { canManageOthers, type Viewer } from './policy.js';
import type { TokenService } from './token.js';

// Who is asking: from the credentials a request presents to the signed-in viewer, in one place.
// Everything a request knows about its viewer is loaded here, in one statement.

/** The signed-in user of a request: what the policy needs to know, and their row. */
export interface SignedInViewer extends Viewer {
  user: User;
}

/** The viewer of a request and the pool settings as it sees them (its rules, the company time zone). */
export interface ResolvedViewer {
  viewer: SignedInViewer;
  settings: PoolSettingsValues;
}

/**
 * The active user `userId`, with what the policy needs to know about them (everyone below them)
 * and the pool settings: one statement, at the start of every signed-in request.
 */
export async function findActiveViewer(em: EntityManager, userId: string): Promise<ResolvedViewer | undefined> {
  const reader = entityReader(em, User);
  const [row] = await em.execute<Record<string, unknown>[]>(
    `SELECT ${reader.columns('u')},
       ARRAY(WITH RECURSIVE below AS (
         SELECT b.id FROM app_user b WHERE b.manager_id = u.id
         UNION
         SELECT x.id FROM app_user x JOIN below ON x.manager_id = below.id
       ) SELECT id::text FROM below) AS subordinate_ids,
       ${POOL_SETTINGS_SQL} AS pool_settings
     FROM app_user u WHERE u.id = ?::bigint AND u.active`,
    [userId],
  );
  if (!row) return undefined;
  const user = reader.read(row);
  // Only a MANAGER or an ADMIN can be someone's manager; the tree says who is below them.
  const subordinateIds = new Set(canManageOthers(user.role) ? (row.subordinate_ids as string[]) : []);
  return {
    viewer: { id: user.id, role: user.role, subordinateIds, user },
    settings: poolSettingsFrom(row.pool_settings as Partial<PoolSettingsValues> | null),
  };
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/**
 * The viewer behind an `Authorization` header; undefined for no valid credentials (none, a bad
 * or expired token, a token of another kind such as a print link, or a deactivated user).
 */
export async function viewerFromAuthorization(
  em: EntityManager,
  tokens: TokenService,
  authorization: string,
): Promise<ResolvedViewer | undefined> {
  const token = BEARER.exec(authorization)?.[1];
  const claims = token ? await tokens.verify(token) : undefined;
  return claims && claims.scope === undefined ? findActiveViewer(em, claims.sub) : undefined;
}

/** The signed-in viewer; every operation but `login` needs one. */
export function requireViewer(ctx: Pick<Context, 'viewer' | 'authFailure'>): SignedInViewer {
  if (!ctx.viewer) {
    throw new RequestError('UNAUTHENTICATED', ctx.authFailure ?? 'Sign in first: send Authorization: Bearer <token>', 401);
  }
  return ctx.viewer;
}
