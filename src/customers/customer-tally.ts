import type { EntityManager } from '@mikro-orm/postgresql';
import type { FastifyBaseLogger } from 'fastify';
import type { SqlFragment } from '../common/keyset.js';
import { every, type Scheduled } from '../common/schedule.js';
import type { AppDeps } from '../context.js';

// The tally of customers by status (Migration20261207100001CustomerTally): the database adds a row
// per status that a statement changed, in that statement's transaction, so the sum of the rows a
// snapshot sees is the exact number of customers in each status for that snapshot, and a list on
// the status alone counts from it rather than scanning the customers. Here it is read, folded
// together, and checked against the customers themselves.

/** Folding and checking take this transaction-scoped lock, so they never undo each other's work. */
const TALLY_LOCK = 727_011;

/**
 * Folded every 10 s: a list reads as many rows as the statements of the last few seconds added
 * (a few thousand at most under hundreds of claims a second), never a day's worth.
 */
const FOLD_INTERVAL_MS = 10_000;
/** Checked against the customers a second after the server starts, and then hourly. */
const CHECK_EVERY_FOLDS = 360;

/** Runs `work` in a transaction holding the tally's lock; undefined when another holds it. */
async function underTallyLock<T>(em: EntityManager, work: (tem: EntityManager) => Promise<T>): Promise<T | undefined> {
  return em.transactional(async (tem) => {
    const [lock] = await tem.execute<{ locked: boolean }[]>('SELECT pg_try_advisory_xact_lock(?) AS locked', [TALLY_LOCK]);
    return lock?.locked ? work(tem as EntityManager) : undefined;
  });
}

/**
 * The number of customers meeting `condition`, a condition on the status alone over the alias `c`
 * (ViewCondition.onStatusAlone), as a statement answering `n`.
 */
export function tallyCountSql(condition: SqlFragment): SqlFragment {
  return { sql: `SELECT coalesce(sum(c.n), 0)::int AS n FROM customer_tally c WHERE ${condition.sql}`, params: condition.params };
}

/**
 * Folds the tally's rows into one per status (writers only ever add rows). Returns how many rows
 * were folded: none when another instance holds the lock, or when there is nothing to fold.
 */
export async function foldTally(em: EntityManager): Promise<number> {
  return (await underTallyLock(em, async (tem) => {
    // In one statement, so one snapshot: the rows it deletes are the rows it sums. Rows added by
    // transactions that commit later are not in the snapshot, so they are neither deleted nor summed.
    const [row] = await tem.execute<{ folded: number }[]>(
      `WITH folded AS (
         DELETE FROM customer_tally
         WHERE (SELECT count(*) FROM customer_tally) > (SELECT count(DISTINCT status) FROM customer_tally)
         RETURNING status, n
       ), kept AS (
         INSERT INTO customer_tally (status, n)
         SELECT status, sum(n) FROM folded GROUP BY status HAVING sum(n) <> 0
       )
       SELECT count(*)::int AS folded FROM folded`,
    );
    return row?.folded ?? 0;
  })) ?? 0;
}

export interface TallyCheck {
  /** False when another instance held the lock (nothing checked). */
  ran: boolean;
  /** The statuses whose tally differed from the customers, with both numbers; set right now. */
  corrected: { status: string; tallied: number; counted: number }[];
}

/**
 * Counts the customers by status and makes the tally say exactly that. It only ever differs when
 * rows changed behind the triggers' back (a restore that loads the tally's rows and then the
 * customers through the triggers again, or triggers disabled by hand during a bulk load).
 */
export async function checkTally(em: EntityManager): Promise<TallyCheck> {
  const corrected = await underTallyLock(em, async (tem) => {
    const rows = await tem.execute<{ status: string; tallied: string | null; counted: string | null }[]>(
      `WITH replaced AS (
         DELETE FROM customer_tally RETURNING status, n
       ), counted AS (
         SELECT status, count(*) AS n FROM customer GROUP BY status
       ), kept AS (
         INSERT INTO customer_tally (status, n) SELECT status, n FROM counted
       ), tallied AS (
         SELECT status, sum(n) AS n FROM replaced GROUP BY status
       )
       SELECT coalesce(t.status, c.status) AS status, t.n::text AS tallied, c.n::text AS counted
       FROM tallied t FULL JOIN counted c ON c.status = t.status
       WHERE coalesce(t.n, 0) <> coalesce(c.n, 0)`,
    );
    return rows.map((r) => ({ status: r.status, tallied: Number(r.tallied ?? 0), counted: Number(r.counted ?? 0) }));
  });
  return corrected ? { ran: true, corrected } : { ran: false, corrected: [] };
}

/** Keeps the tally folded and checked while the server runs. */
export function startTallyKeeper(app: AppDeps, log: FastifyBaseLogger): Scheduled {
  let runs = 0;
  return every(
    FOLD_INTERVAL_MS,
    async () => {
      const em = app.orm.em.fork() as EntityManager;
      if (runs++ % CHECK_EVERY_FOLDS !== 0) {
        await foldTally(em);
        return;
      }
      const check = await checkTally(em);
      if (check.corrected.length) log.warn({ corrected: check.corrected }, 'the customer tally differed from the customers (changed behind its triggers); corrected');
    },
    (error) => log.error({ err: error }, 'customer tally upkeep failed'),
    1_000,
  );
}
