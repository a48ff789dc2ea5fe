import { createHash, randomBytes } from 'node:crypto';

// The secrets of API keys: `crm_<prefix>_<secret>`, the prefix public (it finds the key and is
// shown in lists), the rest 32 random bytes. Only the SHA-256 of the whole string is stored: a
// secret this random needs no slow hash, and a stolen table gives no key.

const SECRET = /^crm_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

export interface ApiKeySecret {
  prefix: string;
  secret: string;
}

export function newApiKeySecret(): ApiKeySecret {
  const prefix = randomBytes(6).toString('hex');
  return { prefix, secret: `crm_${prefix}_${randomBytes(32).toString('base64url')}` };
}

/** Whether a bearer value looks like an API key (rather than a session token). */
export function looksLikeApiKey(value: string): boolean {
  return value.startsWith('crm_');
}

/** The prefix and hash of a well-formed secret; undefined for anything else. */
export function parseApiKeySecret(value: string): { prefix: string; hash: Buffer } | undefined {
  const match = SECRET.exec(value);
  return match ? { prefix: match[1]!, hash: hashSecret(value) } : undefined;
}

export function hashSecret(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}
