import type { EntityManager } from '@mikro-orm/postgresql';
import { Redis } from 'ioredis';

// Leaky buckets of cost points (the model of Shopify's calculated query cost): a bucket holds up
// to `size` points and refills at `restoreRate` points per second. A request takes its estimated
// cost before it runs and is refused when the bucket holds less; once it has run, the difference
// between the estimate and the objects it really returned is given back. Every take and give-back
// is one atomic step on a store all instances share, so parallel requests on several instances
// drain one bucket: PostgreSQL by default (no other service to run), Redis when REDIS_URL is set.
// Both stores read the time from the store itself, so instances need no common clock.

export interface BucketLimits {
  /** Points the bucket holds when full. */
  size: number;
  /** Points restored per second. */
  restoreRate: number;
}

export interface Taken {
  ok: boolean;
  /** Points in the bucket after the take (when refused: what it holds). */
  available: number;
}

export interface BucketStore {
  /** Takes `points` when the bucket holds them; otherwise takes nothing. A new bucket is full. */
  take(key: string, points: number, limits: BucketLimits): Promise<Taken>;
  /** Gives `points` back (negative: takes more), never above the size; the points now in it. */
  give(key: string, points: number, limits: BucketLimits): Promise<number>;
  close(): Promise<void>;
}

/** Seconds until a bucket holding `available` points holds `needed`. */
export function secondsUntil(needed: number, available: number, limits: BucketLimits): number {
  return Math.max(1, Math.ceil((needed - available) / limits.restoreRate));
}

// The points in a bucket now: what it held, refilled for the time since, up to its size.
const REFILLED = `least(excluded.size, b.available + excluded.restore_rate * extract(epoch FROM excluded.updated_at - b.updated_at))`;

/** Buckets as rows of `cost_bucket`, each step one statement (the upsert's row lock orders them). */
export class PgBucketStore implements BucketStore {
  constructor(private readonly em: () => EntityManager) {}

  async take(key: string, points: number, limits: BucketLimits): Promise<Taken> {
    const [row] = await this.em().execute<{ available: number; ok: boolean }[]>(
      `INSERT INTO cost_bucket AS b (key, available, size, restore_rate, wanted, ok, updated_at)
       SELECT k, CASE WHEN w <= s THEN s - w ELSE s END, s, r, w, w <= s, statement_timestamp()
       FROM (VALUES (?::text, ?::float8, ?::float8, ?::float8)) AS p (k, s, r, w)
       ON CONFLICT (key) DO UPDATE SET
         available = CASE WHEN ${REFILLED} >= excluded.wanted THEN ${REFILLED} - excluded.wanted ELSE ${REFILLED} END,
         ok = ${REFILLED} >= excluded.wanted,
         size = excluded.size, restore_rate = excluded.restore_rate, wanted = excluded.wanted, updated_at = excluded.updated_at
       RETURNING available, ok`,
      [key, limits.size, limits.restoreRate, points],
    );
    return { ok: row!.ok, available: row!.available };
  }

  async give(key: string, points: number, limits: BucketLimits): Promise<number> {
    const [row] = await this.em().execute<{ available: number }[]>(
      `UPDATE cost_bucket AS b SET
         available = least(?::float8, b.available + ?::float8 * extract(epoch FROM statement_timestamp() - b.updated_at) + ?::float8),
         updated_at = statement_timestamp()
       WHERE key = ? RETURNING available`,
      [limits.size, limits.restoreRate, points, key],
    );
    return row?.available ?? limits.size;
  }

  async close(): Promise<void> {}
}

// The same two steps as Lua scripts, which Redis runs atomically. A bucket is a hash {a, t}
// (points, time in ms), kept until it would be full again anyway.
const TAKE = `
local size, rate, want = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local t = redis.call('TIME'); local now = t[1] * 1000 + math.floor(t[2] / 1000)
local held = redis.call('HMGET', KEYS[1], 'a', 't')
local a = tonumber(held[1]) or size
if held[2] then a = math.min(size, a + rate * (now - tonumber(held[2])) / 1000) end
local ok = 0
if a >= want then a = a - want; ok = 1 end
redis.call('HSET', KEYS[1], 'a', tostring(a), 't', now)
redis.call('PEXPIRE', KEYS[1], math.ceil((size - a) / rate * 1000) + 1000)
return {ok, tostring(a)}`;

const GIVE = `
local size, rate, give = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local t = redis.call('TIME'); local now = t[1] * 1000 + math.floor(t[2] / 1000)
local held = redis.call('HMGET', KEYS[1], 'a', 't')
if not held[2] then return tostring(size) end
local a = math.min(size, tonumber(held[1]) + rate * (now - tonumber(held[2])) / 1000 + give)
redis.call('HSET', KEYS[1], 'a', tostring(a), 't', now)
redis.call('PEXPIRE', KEYS[1], math.ceil(math.max(0, size - a) / rate * 1000) + 1000)
return tostring(a)`;

type ScriptedRedis = Redis & {
  costTake(key: string, size: number, rate: number, want: number): Promise<[number, string]>;
  costGive(key: string, size: number, rate: number, give: number): Promise<string>;
};

/** Buckets in Redis under `prefix` (one server or a cluster's worth of keys). */
export class RedisBucketStore implements BucketStore {
  private readonly redis: ScriptedRedis;

  constructor(url: string, private readonly prefix = 'crm:cost:') {
    const redis = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 2, enableOfflineQueue: true });
    redis.defineCommand('costTake', { numberOfKeys: 1, lua: TAKE });
    redis.defineCommand('costGive', { numberOfKeys: 1, lua: GIVE });
    this.redis = redis as ScriptedRedis;
  }

  async take(key: string, points: number, limits: BucketLimits): Promise<Taken> {
    const [ok, available] = await this.redis.costTake(this.prefix + key, limits.size, limits.restoreRate, points);
    return { ok: ok === 1, available: Number(available) };
  }

  async give(key: string, points: number, limits: BucketLimits): Promise<number> {
    return Number(await this.redis.costGive(this.prefix + key, limits.size, limits.restoreRate, points));
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
