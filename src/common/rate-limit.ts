import type { EntityManager } from '@mikro-orm/postgresql';
import { RequestError } from './errors.js';
import { M } from './messages.js';

// Per-user limits on requests that could be used to harvest data (a fixed window per key): one
// row per key in PostgreSQL, counted and checked in the one statement that records the request,
// so parallel requests and several server instances can't get past the limit together.

export interface RateLimit {
  /** What is limited and for whom, e.g. `duplicates:42`. */
  key: string;
  /** Requests allowed per window. */
  limit: number;
  windowSeconds: number;
  /** What the refusal says is limited. */
  what: string;
}

/** Counts one request against `rate`; beyond the limit: TOO_MANY_REQUESTS (429, Retry-After). */
export async function consumeRateLimit(em: EntityManager, rate: RateLimit): Promise<void> {
  // The window starts on a multiple of its length; a request of a newer window starts it again at
  // 1, a late one of an older window counts in the newer one.
  const [row] = await em.execute<{ hits: number; retry_after: number }[]>(
    `WITH t AS (SELECT to_timestamp(floor(extract(epoch FROM clock_timestamp()) / ?::int) * ?::int) AS window_start)
     INSERT INTO rate_limit AS r (key, window_start, hits)
     SELECT ?, t.window_start, 1 FROM t
     ON CONFLICT (key) DO UPDATE SET
       hits = CASE WHEN EXCLUDED.window_start > r.window_start THEN 1 ELSE r.hits + 1 END,
       window_start = GREATEST(r.window_start, EXCLUDED.window_start)
     RETURNING r.hits,
       ceil(extract(epoch FROM r.window_start + make_interval(secs => ?::int) - clock_timestamp()))::int AS retry_after`,
    [rate.windowSeconds, rate.windowSeconds, rate.key, rate.windowSeconds],
  );
  if (row && row.hits > rate.limit) {
    const retryAfter = Math.max(1, row.retry_after);
    throw new RequestError(
      'TOO_MANY_REQUESTS',
      M.tooManyRequests({ what: rate.what, limit: rate.limit, windowSeconds: rate.windowSeconds, seconds: retryAfter }),
      429,
      retryAfter,
    );
  }
}
