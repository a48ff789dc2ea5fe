import { newApiKeySecret, hashSecret } from '../auth/api-key-secret.js';
import { type ApiScope, canManageKeysOf, scopesFor } from '../auth/policy.js';
import { requireViewer } from '../auth/viewer.js';
import { AppError, ErrorCode, notFound, validationFailed } from '../common/errors.js';
import { fromGlobalId } from '../common/ids.js';
import { requiredText } from '../common/text.js';
import type { Context } from '../context.js';
import { Role } from '../users/user.entity.js';
import { ApiKey } from './api-key.entity.js';
import type { ApiKeyCreateInput, ApiKeyRevokeInput } from './api-key.inputs.js';
import { M } from '../common/messages.js';

// API keys: any active user makes keys for themself; they list and revoke their own, an admin
// everyone's. The secret is returned once, by apiKeyCreate; the database keeps its hash.

function validName(name: string): string {
  const cleaned = requiredText(name, 'name');
  if (!/[\p{L}\p{N}]/u.test(cleaned)) throw validationFailed(['input', 'name'], M.keyNameNeedsLetters());
  return cleaned;
}

function validScopes(scopes: readonly ApiScope[], role: Role): ApiScope[] {
  const unique = [...new Set(scopes)];
  if (unique.length === 0) throw validationFailed(['input', 'scopes'], M.keyNeedsScope());
  const allowed = scopesFor(role);
  const beyond = unique.filter((s) => !allowed.includes(s));
  if (beyond.length > 0) throw validationFailed(['input', 'scopes'], M.scopesBeyondRole({ scopes: beyond }));
  return unique;
}

function validExpiry(expiresAt: Date | null | undefined): Date | null {
  if (!expiresAt) return null;
  if (Number.isNaN(expiresAt.getTime()) || expiresAt.getTime() <= Date.now()) {
    throw validationFailed(['input', 'expiresAt'], M.expiryInPast());
  }
  return expiresAt;
}

function validRateLimit(ctx: Context, input: ApiKeyCreateInput, role: Role): { points: number; restore: number } | null {
  const limit = input.rateLimit;
  if (!limit) return null;
  if (!Number.isInteger(limit.points) || limit.points < 1 || !(limit.restorePerSecond > 0) || !Number.isFinite(limit.restorePerSecond)) {
    throw validationFailed(['input', 'rateLimit'], M.keyRateLimitInvalid());
  }
  const fallback = ctx.app.config.costLimits.apiKey;
  if (role !== Role.ADMIN && fallback && (limit.points > fallback.size || limit.restorePerSecond > fallback.restoreRate)) {
    throw validationFailed(
      ['input', 'rateLimit'],
      M.keyRateLimitTooHigh({ size: fallback.size, rate: fallback.restoreRate }),
    );
  }
  return { points: limit.points, restore: limit.restorePerSecond };
}

export interface CreatedApiKey {
  apiKey: ApiKey;
  secret: string;
}

/** A new key of the viewer's; its secret is in the answer, and nowhere ever again. */
export async function createApiKey(ctx: Context, input: ApiKeyCreateInput): Promise<CreatedApiKey> {
  const viewer = requireViewer(ctx);
  const name = validName(input.name);
  const scopes = validScopes(input.scopes, viewer.role);
  const expiresAt = validExpiry(input.expiresAt);
  const limit = validRateLimit(ctx, input, viewer.role);
  const { prefix, secret } = newApiKeySecret();
  const reader = ctx.reads.reader(ApiKey);
  const [row] = await ctx.em.execute<Record<string, unknown>[]>(
    `INSERT INTO api_key (user_id, name, prefix, secret_hash, scopes, expires_at, rate_limit_points, rate_limit_restore)
     VALUES (?::bigint, ?, ?, ?, ?::text[], ?::timestamptz, ?, ?)
     RETURNING ${reader.columns('api_key')}`,
    [viewer.id, name, prefix, hashSecret(secret), `{${scopes.join(',')}}`, expiresAt, limit?.points ?? null, limit?.restore ?? null],
  );
  return { apiKey: reader.read(row!), secret };
}

/** The viewer's keys, newest first; an admin's list has everyone's. */
export async function listApiKeys(ctx: Context): Promise<ApiKey[]> {
  const viewer = requireViewer(ctx);
  const reader = ctx.reads.reader(ApiKey);
  const all = viewer.role === Role.ADMIN;
  const rows = await ctx.reads.rows(
    `SELECT ${reader.columns('k')} FROM api_key k ${all ? '' : 'WHERE k.user_id = ?::bigint'} ORDER BY k.created_at DESC, k.id DESC`,
    all ? [] : [viewer.id],
  );
  return rows.map((row) => reader.read(row));
}

/**
 * Revokes a key: refused on every instance from the next request on (the statement that loads
 * the viewer checks it). Someone else's key looks missing to anyone but an admin.
 */
export async function revokeApiKey(ctx: Context, input: ApiKeyRevokeInput): Promise<ApiKey> {
  const viewer = requireViewer(ctx);
  const id = fromGlobalId('ApiKey', input.id);
  const key = id ? await ctx.loaders.apiKeyById.get(id) : null;
  if (!key || !canManageKeysOf(viewer, key.user.id)) throw notFound('API key');
  if (key.revokedAt) throw new AppError(ErrorCode.INVALID_TRANSITION, M.keyRevoked());
  const reader = ctx.reads.reader(ApiKey);
  const [row] = await ctx.em.execute<Record<string, unknown>[]>(
    `UPDATE api_key SET revoked_at = now() WHERE id = ?::bigint AND revoked_at IS NULL RETURNING ${reader.columns('api_key')}`,
    [key.id],
  );
  if (!row) throw new AppError(ErrorCode.INVALID_TRANSITION, M.keyRevoked());
  return reader.read(row);
}
