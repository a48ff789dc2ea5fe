import type { EntityManager } from '@mikro-orm/postgresql';
import type { FastifyBaseLogger } from 'fastify';
import { every, type Scheduled } from '../common/schedule.js';
import type { AppDeps } from '../context.js';
import { Customer } from '../customers/customer.entity.js';
import { transferOwnership } from '../customers/ownership.js';
import { SystemTransition } from '../customers/pool.js';
import { protectionSql, ReturnRule } from './protection.js';
import { loadPoolSettings, type PoolSettingsValues } from './pool-settings.js';

// The automatic return (自动退回): customers past their protection period go back to the pool,
// with an AUTO_RETURN event naming the rule and its numbers, their shares removed and their owner
// told. Owners are reminded `reminderDays` before. Several instances may sweep at once: a
// transaction-scoped advisory lock lets one sweep at a time, and each due customer is taken with
// its row locked (FOR UPDATE SKIP LOCKED) and re-checked, so each is returned exactly once.

const SWEEP_LOCK = 727_003;
const BATCH = 200;

export interface SweepReport {
  /** False when another instance was sweeping (nothing done here). */
  ran: boolean;
  returned: number;
  reminded: number;
  customerIds: string[];
}

interface DueRow {
  id: string;
  owner_id: string;
  name: string;
  claimed_at: Date;
  last_interaction_at: Date | null;
  returns_at: Date;
  rule: ReturnRule;
}

function explain(row: DueRow, settings: PoolSettingsValues): { reason: string; days: number } {
  if (row.rule === ReturnRule.NO_INTERACTION) {
    const days = settings.noInteractionDays!;
    const since = row.last_interaction_at && row.last_interaction_at > row.claimed_at ? '最后交往' : '领用';
    return { days, reason: `保护期到期：${days} 天无交往记录（${since}于 ${formatDay(row.last_interaction_at ?? row.claimed_at, settings)}）` };
  }
  const days = settings.noContractDays!;
  return { days, reason: `保护期到期：领用 ${days} 天内未签合同（领用于 ${formatDay(row.claimed_at, settings)}）` };
}

function formatDay(at: Date, settings: PoolSettingsValues): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: settings.timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(at));
}

/** Returns one batch of due customers; null when another instance holds the sweep. */
async function returnBatch(em: EntityManager, settings: PoolSettingsValues, actor: Actor): Promise<DueRow[] | null> {
  return em.transactional(async (tem) => {
    const [lock] = await tem.execute<{ locked: boolean }[]>('SELECT pg_try_advisory_xact_lock(?) AS locked', [SWEEP_LOCK]);
    if (!lock?.locked) return null;
    const sql = protectionSql(settings, 'c');
    const due = await tem.execute<DueRow[]>(
      `SELECT c.id::text AS id, c.owner_id::text AS owner_id, c.name, c.claimed_at, c.last_interaction_at,
              ${sql.returnsAt} AS returns_at, ${sql.rule} AS rule
       FROM customer c
       WHERE c.status = 'OWNED' AND ${sql.returnsAt} <= now()
       ORDER BY c.id LIMIT ${BATCH}
       FOR UPDATE OF c SKIP LOCKED`,
    );
    const customers = new Map(
      due.length ? (await tem.find(Customer, { id: { $in: due.map((r) => r.id) } })).map((c) => [c.id, c]) : [],
    );
    for (const row of due) {
      const { reason, days } = explain(row, settings);
      await transferOwnership(tem, customers.get(row.id)!, {
        transition: SystemTransition.AUTO_RETURN,
        ...actor,
        reason,
        details: { rule: row.rule, ruleDays: days, returnsAt: new Date(row.returns_at).toISOString() },
      });
      await tem.execute(
        `INSERT INTO notification (user_id, kind, customer_id, message, due_at, dedupe_key)
         VALUES (?::bigint, 'AUTO_RETURNED', ?::bigint, ?, ?::timestamptz, ?) ON CONFLICT (user_id, dedupe_key) DO NOTHING`,
        [row.owner_id, row.id, `客户「${row.name}」已自动退回客户池。${reason}`, new Date(row.returns_at).toISOString(), `returned:${row.id}:${new Date(row.returns_at).toISOString()}`],
      );
    }
    await tem.flush();
    return due;
  });
}

/** Tells owners once per customer and return date, `reminderDays` ahead. */
async function remind(em: EntityManager, settings: PoolSettingsValues): Promise<number> {
  if (settings.reminderDays === null) return 0;
  const sql = protectionSql(settings, 'c');
  const rows = await em.execute<{ id: string }[]>(
    `INSERT INTO notification (user_id, kind, customer_id, message, due_at, dedupe_key)
     SELECT d.owner_id, 'RETURN_REMINDER', d.id,
            format('客户「%s」将于 %s 自动退回客户池（%s），请及时跟进。', d.name,
                   to_char(d.returns_at AT TIME ZONE ?, 'YYYY-MM-DD HH24:MI'),
                   CASE d.rule WHEN 'NO_INTERACTION' THEN ? ELSE ? END),
            d.returns_at, 'reminder:' || d.id || ':' || to_char(d.returns_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI')
     FROM (SELECT c.id, c.owner_id, c.name, ${sql.returnsAt} AS returns_at, ${sql.rule} AS rule
           FROM customer c WHERE c.status = 'OWNED') d
     WHERE d.returns_at > now() AND d.returns_at <= now() + make_interval(days => ?)
     ON CONFLICT (user_id, dedupe_key) DO NOTHING
     RETURNING id::text AS id`,
    [
      settings.timeZone,
      `${settings.noInteractionDays} 天无交往记录`,
      `领用 ${settings.noContractDays} 天内未签合同`,
      settings.reminderDays,
    ],
  );
  return rows.length;
}

/** One sweep: every due customer back to the pool, then the reminders. */
/** Who runs a sweep by hand (an admin, perhaps with an API key); nobody for the schedule. */
interface Actor {
  actorId: string | null;
  apiKeyId: string | null;
}

export async function runSweep(app: AppDeps, options: Partial<Actor> = {}): Promise<SweepReport> {
  const em = app.orm.em.fork() as EntityManager;
  const settings = await loadPoolSettings(em);
  const report: SweepReport = { ran: true, returned: 0, reminded: 0, customerIds: [] };
  if (settings.noInteractionDays === null && settings.noContractDays === null) return report;
  for (;;) {
    const batch = await returnBatch(em, settings, { actorId: options.actorId ?? null, apiKeyId: options.apiKeyId ?? null });
    if (batch === null) return { ...report, ran: false };
    report.returned += batch.length;
    report.customerIds.push(...batch.map((r) => r.id));
    if (batch.length < BATCH) break;
  }
  report.reminded = await remind(em, settings);
  return report;
}

/** Sweeps on a schedule inside the server; `stop` waits for a sweep under way. */
export function startPoolSweeper(app: AppDeps, log: FastifyBaseLogger, intervalMs: number): Scheduled {
  return every(
    intervalMs,
    async () => {
      const report = await runSweep(app);
      if (report.returned || report.reminded) log.info({ sweep: { ...report, customerIds: undefined } }, 'pool sweep');
    },
    (error) => log.error({ err: error }, 'pool sweep failed'),
  );
}
