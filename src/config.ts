import path from 'node:path';
import type { SignInLimits } from './auth/login-throttle.js';
import type { BucketLimits } from './rate-limits/cost-bucket.js';
import type { CostLimitSettings } from './rate-limits/cost-limits.js';

/** Every setting the server reads; `loadConfig` is the only reader of `process.env`. */
export interface Config {
  /** An external PostgreSQL; absent: the embedded one in `dataDir`. */
  databaseUrl: string | undefined;
  dataDir: string;
  host: string;
  port: number;
  logLevel: string;
  admin: { email: string; password: string | undefined; name: string };
  demoData: boolean;
  /** Overrides the generated secret that is stored in the database. */
  jwtSecret: string | undefined;
  tokenTtlSeconds: number;
  /** Lifetime of the signed links that open a print page or an export in a browser tab. */
  printLinkTtlSeconds: number;
  /** Sign-in throttling (auth/login-throttle.ts). */
  loginThrottle: SignInLimits;
  /** Whose X-Forwarded-For gives the client address: nobody's, anyone's, or these proxies'. */
  trustProxy: boolean | string;
  /** How often the automatic return runs inside the server; 0 switches the schedule off. */
  poolSweepIntervalSeconds: number;
  passwordHash: { memoryKiB: number; iterations: number };
  limits: {
    bodyBytes: number;
    depth: number;
    aliases: number;
    tokens: number;
    cost: number;
    statementTimeoutMs: number;
    /** Largest attachment upload (POST /attachments); GraphQL bodies keep `bodyBytes`. */
    uploadBytes: number;
  };
  dbPoolSize: number;
  /** The read path's keyed rounds run as prepared statements (off behind a pooler that drops them). */
  dbPreparedStatements: boolean;
  /** GraphQL requests executing at once, waiting for a turn, and the longest wait (see admission.ts). */
  admission: { active: number; queued: number; waitMs: number };
  /** Mask phones, emails and addresses of pool customers for SALES users. */
  maskPoolContacts: boolean;
  /** GraphQL responses at least this large are compressed when the client accepts it; 0: never. */
  compressMinBytes: number;
  /** Rate limits in cost points (rate-limits/): per role, null where a role is not limited. */
  costLimits: CostLimitSettings;
  /** Where the rate-limit buckets live: Redis when set, else PostgreSQL. */
  redis: { url: string | undefined; keyPrefix: string };
  /** How often the API keys' last uses are written (one statement for all keys used since). */
  apiKeyLastUsedFlushSeconds: number;
  /**
   * 同名检查 (customerDuplicates): matches the viewer can't see shown at most (the rest are left
   * out), and checks per user per window (then TOO_MANY_REQUESTS).
   */
  duplicateCheck: { hiddenMatches: number; limit: number; windowSeconds: number };
  /** Uploads received at once by this instance; more answer 503 with Retry-After. */
  uploads: { maxActive: number; retryAfterSeconds: number };
}

class ConfigError extends Error {}

function int(env: NodeJS.ProcessEnv, key: string, fallback: number, min = 0): number {
  const raw = env[key];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw new ConfigError(`${key} must be an integer >= ${min}, got "${raw}"`);
  }
  return value;
}

function bool(env: NodeJS.ProcessEnv, key: string, fallback: boolean): boolean {
  const raw = env[key]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['true', '1', 'yes', 'on'].includes(raw)) return true;
  if (['false', '0', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(`${key} must be true or false, got "${env[key]}"`);
}

function str(env: NodeJS.ProcessEnv, key: string): string | undefined {
  const raw = env[key];
  return raw === undefined || raw === '' ? undefined : raw;
}

/** Uploads are stored in chunks; the cap keeps every size a GraphQL Int and a download reasonable. */
const MAX_UPLOAD_LIMIT = 512 * 1024 * 1024;

function uploadLimit(env: NodeJS.ProcessEnv): number {
  const value = int(env, 'MAX_UPLOAD_BYTES', 20 * 1024 * 1024, 1);
  if (value > MAX_UPLOAD_LIMIT) throw new ConfigError(`MAX_UPLOAD_BYTES must be at most ${MAX_UPLOAD_LIMIT}`);
  return value;
}

/** Fastify's `trustProxy`: true/false, or the proxies' addresses and CIDRs, comma-separated. */
function trustProxy(env: NodeJS.ProcessEnv): boolean | string {
  const raw = str(env, 'TRUST_PROXY')?.trim();
  if (raw === undefined) return false;
  if (['true', 'false'].includes(raw.toLowerCase())) return raw.toLowerCase() === 'true';
  const parts = raw.split(',').map((p) => p.trim());
  if (parts.some((p) => !/^[0-9a-fA-F.:]+(\/\d{1,3})?$/.test(p))) {
    throw new ConfigError(`TRUST_PROXY must be true, false or the proxies' addresses/CIDRs, got "${raw}"`);
  }
  return parts.join(',');
}

/** Print links are for opening a page now, not for sharing: a day at most. */
const MAX_PRINT_LINK_TTL = 24 * 3600;

function printLinkTtl(env: NodeJS.ProcessEnv): number {
  const value = int(env, 'PRINT_LINK_TTL_SECONDS', 10 * 60, 10);
  if (value > MAX_PRINT_LINK_TTL) throw new ConfigError(`PRINT_LINK_TTL_SECONDS must be at most ${MAX_PRINT_LINK_TTL}`);
  return value;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const jwtSecret = str(env, 'JWT_SECRET');
  if (jwtSecret !== undefined && jwtSecret.length < 32) {
    throw new ConfigError('JWT_SECRET must be at least 32 characters');
  }
  return {
    databaseUrl: str(env, 'DATABASE_URL'),
    dataDir: path.resolve(str(env, 'DATA_DIR') ?? '.data'),
    host: str(env, 'HOST') ?? '127.0.0.1',
    port: int(env, 'PORT', 4000),
    logLevel: str(env, 'LOG_LEVEL') ?? 'info',
    admin: {
      email: (str(env, 'ADMIN_EMAIL') ?? 'admin@example.com').toLowerCase(),
      password: str(env, 'ADMIN_PASSWORD'),
      name: str(env, 'ADMIN_NAME') ?? 'Administrator',
    },
    demoData: bool(env, 'DEMO_DATA', true),
    jwtSecret,
    tokenTtlSeconds: int(env, 'TOKEN_TTL_SECONDS', 12 * 3600, 60),
    printLinkTtlSeconds: printLinkTtl(env),
    poolSweepIntervalSeconds: int(env, 'POOL_SWEEP_INTERVAL_SECONDS', 600),
    loginThrottle: {
      perPair: int(env, 'LOGIN_MAX_FAILURES', 10, 1),
      perAddress: int(env, 'LOGIN_MAX_FAILURES_PER_IP', 50, 1),
      emailBackoffAfter: int(env, 'LOGIN_EMAIL_BACKOFF_AFTER', 10, 1),
      emailBackoffMaxSeconds: int(env, 'LOGIN_EMAIL_BACKOFF_MAX_SECONDS', 300, 1),
    },
    trustProxy: trustProxy(env),
    passwordHash: {
      memoryKiB: int(env, 'PASSWORD_HASH_MEMORY_KIB', 19456, 1024),
      iterations: int(env, 'PASSWORD_HASH_ITERATIONS', 2, 1),
    },
    limits: {
      bodyBytes: int(env, 'MAX_BODY_BYTES', 1024 * 1024, 1024),
      depth: int(env, 'MAX_QUERY_DEPTH', 12, 2),
      aliases: int(env, 'MAX_QUERY_ALIASES', 30, 1),
      tokens: int(env, 'MAX_QUERY_TOKENS', 5000, 100),
      cost: int(env, 'MAX_QUERY_COST', 50000, 10),
      statementTimeoutMs: int(env, 'STATEMENT_TIMEOUT_MS', 10000, 100),
      uploadBytes: uploadLimit(env),
    },
    dbPoolSize: int(env, 'DB_POOL_SIZE', 10, 1),
    dbPreparedStatements: bool(env, 'DB_PREPARED_STATEMENTS', true),
    admission: {
      active: int(env, 'MAX_ACTIVE_REQUESTS', 4, 1),
      queued: int(env, 'MAX_QUEUED_REQUESTS', 200, 0),
      waitMs: int(env, 'QUEUE_TIMEOUT_MS', 15_000, 100),
    },
    maskPoolContacts: bool(env, 'MASK_POOL_CONTACTS', true),
    compressMinBytes: int(env, 'COMPRESS_MIN_BYTES', 8192),
    costLimits: {
      byRole: {
        ADMIN: bucket(env, 'RATE_LIMIT_ADMIN', DEFAULT_BUCKET),
        MANAGER: bucket(env, 'RATE_LIMIT_MANAGER', DEFAULT_BUCKET),
        SALES: bucket(env, 'RATE_LIMIT_SALES', DEFAULT_BUCKET),
      },
      apiKey: bucket(env, 'RATE_LIMIT_API_KEY', DEFAULT_API_KEY_BUCKET),
    },
    redis: { url: str(env, 'REDIS_URL'), keyPrefix: str(env, 'REDIS_KEY_PREFIX') ?? 'crm:' },
    apiKeyLastUsedFlushSeconds: int(env, 'API_KEY_LAST_USED_FLUSH_SECONDS', 60, 1),
    duplicateCheck: {
      hiddenMatches: int(env, 'DUPLICATE_CHECK_HIDDEN_MATCHES', 10, 0),
      limit: int(env, 'DUPLICATE_CHECK_LIMIT', 30, 1),
      windowSeconds: int(env, 'DUPLICATE_CHECK_WINDOW_SECONDS', 60, 1),
    },
    uploads: {
      maxActive: int(env, 'MAX_ACTIVE_UPLOADS', 8, 1),
      retryAfterSeconds: int(env, 'UPLOAD_RETRY_AFTER_SECONDS', 5, 1),
    },
  };
}

/**
 * A person's bucket: about 80 headline pages at once and 80 a second, several times what one
 * instance serves (about 20): a guard against a runaway client on several instances, never the
 * limit of one instance's own capacity (admission is, http/admission.ts). Set lower per role.
 */
const DEFAULT_BUCKET = '400000/400000';

/** A partner app's key: a few headline pages at once, one a second or so, by default. */
const DEFAULT_API_KEY_BUCKET = '20000/1000';

/** `<points>/<restored per second>`, or `off`. */
function bucket(env: NodeJS.ProcessEnv, key: string, fallback: string): BucketLimits | null {
  const raw = (env[key] ?? '').trim() || fallback;
  if (raw.toLowerCase() === 'off') return null;
  const match = /^(\d+)\s*\/\s*(\d+(?:\.\d+)?)$/.exec(raw);
  const size = Number(match?.[1]);
  const restoreRate = Number(match?.[2]);
  if (!match || size < 1 || !(restoreRate > 0)) {
    throw new ConfigError(`${key} must be "<points>/<points restored per second>" (e.g. 100000/5000) or "off", got "${raw}"`);
  }
  return { size, restoreRate };
}

export { ConfigError };
