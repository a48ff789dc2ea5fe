import type { EntityManager } from '@mikro-orm/postgresql';
import type { AppDeps } from '../context.js';
import type { FastifyBaseLogger } from 'fastify';
import { sqlArray } from '../common/sql.js';

// When each API key was last used, without a write per request: each instance remembers the
// uses it served and writes them every API_KEY_LAST_USED_FLUSH_SECONDS (and when it shuts down),
// in one statement for all the keys used since. Several instances may write the same key: the
// latest use wins.

export class ApiKeyUses {
  private pending = new Map<string, Date>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly em: () => EntityManager,
    private readonly intervalSeconds: number,
    private readonly log: FastifyBaseLogger,
  ) {}

  /** A use of the key now (in memory only). */
  touch(keyId: string): void {
    this.pending.set(keyId, new Date());
  }

  start(): void {
    this.timer ??= setInterval(() => void this.flush(), this.intervalSeconds * 1000);
    this.timer.unref();
  }

  /** Writes the uses remembered so far; a failed write keeps them for the next time. */
  async flush(): Promise<void> {
    if (this.pending.size === 0) return;
    const uses = this.pending;
    this.pending = new Map();
    try {
      await this.em().execute(
        `UPDATE api_key k SET last_used_at = GREATEST(k.last_used_at, u.at)
         FROM unnest(?::bigint[], ?::timestamptz[]) AS u(id, at) WHERE k.id = u.id`,
        [sqlArray(uses.keys()), sqlArray([...uses.values()].map((d) => d.toISOString()))],
      );
    } catch (error) {
      this.log.warn({ err: error }, 'API keys: writing last uses failed');
      for (const [id, at] of uses) if (!this.pending.has(id)) this.pending.set(id, at);
    }
  }

  /** Stops the schedule and writes what is left. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
  }
}

/** Each server's record of key uses, found by its dependencies (a request's context knows those). */
const usesOf = new WeakMap<AppDeps, ApiKeyUses>();

export function registerKeyUses(app: AppDeps, uses: ApiKeyUses): void {
  usesOf.set(app, uses);
}

/** Remembers a use of a key on the server of `app` (every request signed in with a key, GraphQL or not). */
export function touchKey(app: AppDeps, keyId: string): void {
  usesOf.get(app)?.touch(keyId);
}
