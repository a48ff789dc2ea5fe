import type { EntityManager } from '@mikro-orm/postgresql';
import { RequestError } from '../common/errors.js';
import { entityReader } from '../common/reads.js';
import type { Context } from '../context.js';
import { POOL_SETTINGS_SQL, poolSettingsFrom, type PoolSettingsValues } from '../pool-rules/pool-settings.js';
import { User } from '../users/user.entity.js';
import type { BucketLimits } from '../rate-limits/cost-bucket.js';
import { parseApiKeySecret, looksLikeApiKey } from './api-key-secret.js';
import { canManageOthers, type ApiScope, type KeyGrant, type Viewer } from './policy.js';
import { SESSION_CLAIM } from './session.js';
import type { TokenService } from './token.js';
import { M } from '../common/messages.js';

// Who is asking: from the credentials a request presents to the signed-in viewer, in one place.
// Everything a request knows about its viewer, and whether its credentials still hold, is read
// here in one statement.

/** The signed-in user of a request: what the policy needs to know, their row, how they signed in. */
export interface SignedInViewer extends Viewer {
  user: User;
  /** The session of the request's bearer token; null when it was authenticated otherwise. */
  sessionId: string | null;
  /** The API key of the request; null when it was authenticated otherwise. */
  apiKey: ApiKeyGrant | null;
}

/** A request's API key: its scopes, and its own rate limit (null: the API keys' default). */
export interface ApiKeyGrant extends KeyGrant {
  limits: BucketLimits | null;
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
  | { kind: 'user'; userId: string }
  /** An API key's secret (`crm_…`): good while the key is neither revoked nor expired. */
  | { kind: 'apiKey'; prefix: string; hash: Buffer };

const MAX_BIGINT = 9223372036854775807n;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function isUserId(value: string): boolean {
  return /^[1-9][0-9]{0,18}$/.test(value) && BigInt(value) <= MAX_BIGINT;
}

/** Where the user row `u` comes from for a credential, and the credential's own condition. */
function credentialSql(credential: Credential): { from: string; where: string; params: unknown[]; key: string } {
  const noKey = 'NULL::bigint AS key_id, NULL::text[] AS key_scopes, NULL::integer AS key_points, NULL::float8 AS key_restore';
  switch (credential.kind) {
    case 'session':
      return {
        from: 'app_user u',
        where: `u.id = ?::bigint AND EXISTS (SELECT 1 FROM user_session s
                WHERE s.id = ?::uuid AND s.user_id = u.id AND s.ended_at IS NULL AND s.expires_at > now())`,
        params: [credential.userId, credential.sessionId],
        key: noKey,
      };
    case 'user':
      return { from: 'app_user u', where: 'u.id = ?::bigint', params: [credential.userId], key: noKey };
    case 'apiKey':
      return {
        from: 'api_key k JOIN app_user u ON u.id = k.user_id',
        where: `k.prefix = ? AND k.secret_hash = ? AND k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > now())`,
        params: [credential.prefix, credential.hash],
        key: 'k.id::text AS key_id, k.scopes AS key_scopes, k.rate_limit_points AS key_points, k.rate_limit_restore AS key_restore',
      };
  }
}

/** Whether a credential's ids are well-formed (a malformed one never reaches the database). */
function wellFormed(credential: Credential): boolean {
  switch (credential.kind) {
    case 'session':
      return isUserId(credential.userId) && UUID.test(credential.sessionId);
    case 'user':
      return isUserId(credential.userId);
    case 'apiKey':
      return true;
  }
}

/**
 * The viewer a credential stands for: an active user (for a session token, a live session; for an
 * API key, a key neither revoked nor expired), with what the policy needs to know about them
 * (everyone below them) and the pool settings. One statement, at the start of every signed-in
 * request; undefined when the credential does not (or no longer) hold, including any malformed id
 * in it.
 */
export async function resolveViewer(em: EntityManager, credential: Credential): Promise<ResolvedViewer | undefined> {
  if (!wellFormed(credential)) return undefined;
  const reader = entityReader(em, User);
  const holds = credentialSql(credential);
  const [row] = await em.execute<Record<string, unknown>[]>(
    `SELECT ${reader.columns('u')},
       ARRAY(WITH RECURSIVE below AS (
         SELECT b.id FROM app_user b WHERE b.manager_id = u.id
         UNION
         SELECT x.id FROM app_user x JOIN below ON x.manager_id = below.id
       ) SELECT id::text FROM below) AS subordinate_ids,
       ${holds.key},
       ${POOL_SETTINGS_SQL} AS pool_settings
     FROM ${holds.from} WHERE ${holds.where} AND u.active`,
    holds.params,
  );
  if (!row) return undefined;
  const user = reader.read(row);
  // Only a MANAGER or an ADMIN can be someone's manager; the tree says who is below them.
  const subordinateIds = new Set(canManageOthers(user.role) ? (row.subordinate_ids as string[]) : []);
  return {
    viewer: {
      id: user.id,
      role: user.role,
      subordinateIds,
      user,
      sessionId: credential.kind === 'session' ? credential.sessionId : null,
      apiKey: row.key_id ? keyGrant(row) : null,
    },
    settings: poolSettingsFrom(row.pool_settings as Partial<PoolSettingsValues> | null),
  };
}

function keyGrant(row: Record<string, unknown>): ApiKeyGrant {
  const points = row.key_points as number | null;
  const restore = row.key_restore as number | null;
  return {
    id: row.key_id as string,
    scopes: new Set(row.key_scopes as ApiScope[]),
    limits: points && restore ? { size: points, restoreRate: Number(restore) } : null,
  };
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/**
 * The credential an `Authorization` header carries: an API key's secret (`crm_…`, well-formed),
 * or a session token signed by this server, unexpired. Undefined for anything else: no bearer
 * token, a malformed key, a bad signature, no expiry, a token of another kind (a print link) or
 * without a session.
 */
export async function credentialOf(tokens: TokenService, authorization: string): Promise<Credential | undefined> {
  const token = BEARER.exec(authorization)?.[1];
  if (token && looksLikeApiKey(token)) {
    const key = parseApiKeySecret(token);
    return key ? { kind: 'apiKey', ...key } : undefined;
  }
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
    throw new RequestError('UNAUTHENTICATED', ctx.authFailure ?? M.signInFirst(), 401);
  }
  return ctx.viewer;
}

/** Who acted, for a record of it (history events): the user, and the API key if they used one. */
export function actedBy(viewer: Viewer): { actorId: string; apiKeyId: string | null } {
  return { actorId: viewer.id, apiKeyId: viewer.apiKey?.id ?? null };
}
