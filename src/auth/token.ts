import { randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { SignJWT, errors, jwtVerify } from 'jose';

const ISSUER = 'crm-server';
const SECRET_KEY = 'jwt_secret';

/** The claims of a valid token: it is signed by this server, names a subject and expires. */
export interface TokenClaims {
  sub: string;
  exp: number;
  [claim: string]: unknown;
}

/** Signs and verifies bearer tokens (HS256 JWT) with one server secret. */
export class TokenService {
  private readonly key: Uint8Array;

  constructor(
    secret: string,
    /** How long a session's token lasts. */
    readonly ttlSeconds: number,
  ) {
    this.key = new TextEncoder().encode(secret);
  }

  sign(userId: string, extra: Record<string, unknown> = {}, ttlSeconds = this.ttlSeconds): Promise<{ token: string; expiresAt: Date }> {
    return this.signUntil(userId, extra, new Date(Date.now() + ttlSeconds * 1000));
  }

  async signUntil(userId: string, extra: Record<string, unknown>, expiresAt: Date): Promise<{ token: string; expiresAt: Date }> {
    const token = await new SignJWT(extra)
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(userId)
      .setIssuer(ISSUER)
      .setIssuedAt()
      .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
      .sign(this.key);
    return { token, expiresAt };
  }

  /**
   * The claims of a valid token; undefined when it is malformed, not signed by this server,
   * expired, or lacks a subject or an expiry (a token without `exp` would never end).
   */
  async verify(token: string): Promise<TokenClaims | undefined> {
    try {
      const { payload } = await jwtVerify(token, this.key, { issuer: ISSUER, algorithms: ['HS256'], requiredClaims: ['sub', 'exp'] });
      const { sub, exp } = payload;
      return typeof sub === 'string' && typeof exp === 'number' ? { ...payload, sub, exp } : undefined;
    } catch (error) {
      if (error instanceof errors.JOSEError) return undefined;
      throw error;
    }
  }
}

/**
 * The signing secret: JWT_SECRET when configured, otherwise generated on first start and kept in
 * the database, so that every instance on one database shares it and restarts keep tokens valid.
 */
export async function loadSigningSecret(em: EntityManager, configured: string | undefined): Promise<string> {
  if (configured) return configured;
  await em.execute(
    `insert into app_setting (key, value) values (?, to_jsonb(?::text)) on conflict (key) do nothing`,
    [SECRET_KEY, randomBytes(48).toString('base64url')],
  );
  const [row] = await em.execute<{ value: string }[]>(`select value from app_setting where key = ?`, [SECRET_KEY]);
  if (!row) throw new Error('Could not load the token signing secret');
  return row.value;
}
