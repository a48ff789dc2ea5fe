import type { EntityManager } from '@mikro-orm/postgresql';
import { RequestError } from '../common/errors.js';
import { M } from '../common/messages.js';

// Password guessing is throttled in the database, so the limits hold across every instance. Three
// counters of failed sign-ins, each a row in login_throttle:
// - PAIR, one email from one client address: a hard limit (LOGIN_MAX_FAILURES). It stops a guesser
//   at their own address without touching the account's owner anywhere else.
// - ADDRESS, every email from one address: a hard limit (LOGIN_MAX_FAILURES_PER_IP) against one
//   address trying many accounts.
// - EMAIL, one email from every address the user has not signed in from lately: past
//   LOGIN_EMAIL_BACKOFF_AFTER failures, each further attempt waits twice as long as the one before
//   (up to LOGIN_EMAIL_BACKOFF_MAX_SECONDS), which slows a guesser spread over many addresses.
//   Addresses the user signed in from (KNOWN_DAYS) are exempt: however many addresses guess, the
//   user keeps signing in from theirs (OWASP Authentication Cheat Sheet: a lockout must not let an
//   attacker lock the account's owner out).
// A counter starts over once WINDOW_SECONDS have passed since its last failure.
//
// An attempt is counted before its password is checked, in one transaction that locks the three
// rows (always in the same order): parallel attempts queue on those locks, so no more of them
// reach the password check than the limits allow. A correct password takes its count back (and
// resets its PAIR); a refused attempt counts nowhere.

export const WINDOW_SECONDS = 15 * 60;
const KNOWN_DAYS = 30;

export interface SignInLimits {
  /** Failures per email and address pair in the window. */
  perPair: number;
  /** Failures per address in the window. */
  perAddress: number;
  /** Failures per email (from addresses the user has not signed in from) before the backoff starts. */
  emailBackoffAfter: number;
  emailBackoffMaxSeconds: number;
}

export type CounterScope = 'PAIR' | 'ADDRESS' | 'EMAIL';

export interface Counter {
  scope: CounterScope;
  failures: number;
  lastFailureAt: Date | null;
  /** PAIR: until when the address counts as the user's own. */
  knownUntil: Date | null;
}

export type Decision = { admitted: true; counted: CounterScope[] } | { admitted: false; retryAfterSeconds: number };

/** Whether an attempt may go ahead, given its three counters as they stand `now`, and what it counts. */
export function decide(counters: readonly Counter[], now: Date, limits: SignInLimits): Decision {
  const by = new Map(counters.map((c) => [c.scope, c]));
  const standing = (scope: CounterScope) => {
    const c = by.get(scope);
    const last = c?.lastFailureAt?.getTime();
    const live = last !== undefined && now.getTime() - last < WINDOW_SECONDS * 1000;
    return { failures: live ? c!.failures : 0, last: last ?? 0 };
  };
  const known = (by.get('PAIR')?.knownUntil?.getTime() ?? 0) > now.getTime();
  const waits: number[] = [];
  for (const [scope, limit] of [['PAIR', limits.perPair], ['ADDRESS', limits.perAddress]] as const) {
    const { failures, last } = standing(scope);
    if (failures >= limit) waits.push(last + WINDOW_SECONDS * 1000 - now.getTime());
  }
  if (!known) {
    const { failures, last } = standing('EMAIL');
    const over = failures - limits.emailBackoffAfter;
    if (over >= 0) {
      const delayMs = Math.min(2 ** Math.min(over, 30), limits.emailBackoffMaxSeconds) * 1000;
      if (now.getTime() < last + delayMs) waits.push(last + delayMs - now.getTime());
    }
  }
  if (waits.length > 0) return { admitted: false, retryAfterSeconds: Math.max(1, Math.ceil(Math.max(...waits) / 1000)) };
  return { admitted: true, counted: known ? ['PAIR', 'ADDRESS'] : ['PAIR', 'ADDRESS', 'EMAIL'] };
}

/** An attempt that may check its password: tell it whether the password was right. */
export interface SignInAttempt {
  succeeded(): Promise<void>;
}

interface CounterRow {
  scope: CounterScope;
  failures: number;
  last_failure_at: Date | null;
  known_until: Date | null;
  now: Date;
}

function keysOf(email: string, address: string): Record<CounterScope, [string, string]> {
  return { PAIR: [email, address], ADDRESS: ['', address], EMAIL: [email, ''] };
}

/** (scope, email, address) IN (...) for the given scopes, with its parameters. */
function keyList(keys: Record<CounterScope, [string, string]>, scopes: readonly CounterScope[], more = ''): { sql: string; params: string[] } {
  return { sql: scopes.map(() => `(?, ?, ?${more})`).join(', '), params: scopes.flatMap((s) => [s, ...keys[s]]) };
}

const ORDER: readonly CounterScope[] = ['PAIR', 'ADDRESS', 'EMAIL'];

/**
 * Counts a sign-in attempt for `email` from `address`, or refuses it with TOO_MANY_REQUESTS (HTTP
 * 429, Retry-After) when a limit is reached. The attempt stays counted as a failure unless
 * `succeeded()` is called.
 */
export async function startSignInAttempt(
  em: EntityManager,
  email: string,
  address: string | undefined,
  limits: SignInLimits,
): Promise<SignInAttempt> {
  const keys = keysOf(email, address ?? '');
  const all = keyList(keys, ORDER, ', 0');
  const decision = await em.transactional(async (tx) => {
    // Creates the missing counters and locks all three, in the same order in every attempt.
    const rows = await tx.execute<CounterRow[]>(
      `INSERT INTO login_throttle AS t (scope, email, address, failures) VALUES ${all.sql}
       ON CONFLICT (scope, email, address) DO UPDATE SET failures = t.failures
       RETURNING scope, failures, last_failure_at, known_until, now() AS now`,
      all.params,
    );
    const now = new Date(rows[0]!.now);
    const counters = rows.map((r) => ({
      scope: r.scope,
      failures: r.failures,
      lastFailureAt: r.last_failure_at && new Date(r.last_failure_at),
      knownUntil: r.known_until && new Date(r.known_until),
    }));
    const decided = decide(counters, now, limits);
    if (decided.admitted) {
      const counted = keyList(keys, decided.counted);
      await tx.execute(
        `UPDATE login_throttle SET
           failures = CASE WHEN last_failure_at > now() - make_interval(secs => ?) THEN failures + 1 ELSE 1 END,
           last_failure_at = now()
         WHERE (scope, email, address) IN (${counted.sql})`,
        [WINDOW_SECONDS, ...counted.params],
      );
    }
    return decided;
  });
  if (!decision.admitted) {
    throw new RequestError(
      'TOO_MANY_REQUESTS',
      M.tooManySignIns({ seconds: decision.retryAfterSeconds }),
      429,
      decision.retryAfterSeconds,
    );
  }
  const counted = keyList(keys, decision.counted);
  return {
    async succeeded() {
      // The address becomes the user's own; this attempt was no failure.
      await em.execute(
        `UPDATE login_throttle SET
           failures = CASE WHEN scope = 'PAIR' THEN 0 ELSE greatest(failures - 1, 0) END,
           known_until = CASE WHEN scope = 'PAIR' THEN now() + make_interval(days => ?) ELSE known_until END
         WHERE (scope, email, address) IN (${counted.sql})`,
        [KNOWN_DAYS, ...counted.params],
      );
      // Counters nobody has failed on for a day, and addresses no longer known.
      await em.execute(
        `DELETE FROM login_throttle
         WHERE (last_failure_at IS NULL OR last_failure_at < now() - interval '1 day')
           AND (known_until IS NULL OR known_until < now())`,
      );
    },
  };
}
