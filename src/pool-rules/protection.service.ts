import { assertRole } from '../auth/policy.js';
import type { ConnectionResult } from '../common/connection.js';
import { AppError, ErrorCode } from '../common/errors.js';
import { OrderDirection } from '../common/order.js';
import { actedBy, requireViewer } from '../auth/viewer.js';
import type { Context } from '../context.js';
import { Customer } from '../customers/customer.entity.js';
import { CustomerOrderField, CustomerView } from '../customers/customer.inputs.js';
import { listCustomers } from '../customers/customer-list.js';
import { Role } from '../users/user.entity.js';
import { protectionSql } from './protection.js';
import { applySettingsInput } from './pool-settings.service.js';
import { PoolSettings, loadPoolSettings, type PoolSettingsInput } from './pool-settings.js';
import { runSweep } from './sweep.js';
import { M } from '../common/messages.js';

const DAY_MS = 24 * 3600 * 1000;

/** "My customers returning within N days": the list with a returnsToPoolAt filter, soonest first. */
export function returningSoon(
  ctx: Context,
  args: { withinDays: number; view: CustomerView; first?: number | null; after?: string | null },
): Promise<ConnectionResult<Customer>> {
  if (args.view !== CustomerView.MINE && args.view !== CustomerView.SUBORDINATES) {
    throw new AppError(ErrorCode.VALIDATION_FAILED, M.protectionView(), ['view']);
  }
  return listCustomers(ctx, {
    view: args.view,
    filter: { returnsToPoolAt: { lte: new Date(Date.now() + args.withinDays * DAY_MS) } },
    orderBy: [{ field: CustomerOrderField.RETURNS_TO_POOL_AT, direction: OrderDirection.ASC }],
    first: args.first,
    after: args.after,
  });
}

/** What new settings would do at the next sweep, without saving them. */
export async function preview(ctx: Context, input: PoolSettingsInput) {
  assertRole(requireViewer(ctx), [Role.ADMIN], M.adminsOnly({ action: 'PREVIEW_SETTINGS' }));
  const next = applySettingsInput(await loadPoolSettings(ctx.em), input);
  const sql = protectionSql(next, 'c');
  const [counts] = await ctx.em.execute<{ due: number; soon: number }[]>(
    `SELECT count(*) FILTER (WHERE d.returns_at <= now())::int AS due,
            count(*) FILTER (WHERE d.returns_at > now() AND d.returns_at <= now() + make_interval(days => ?))::int AS soon
     FROM (SELECT ${sql.returnsAt} AS returns_at FROM customer c WHERE c.status = 'OWNED') d`,
    [next.reminderDays ?? 0],
  );
  const rows = await ctx.em.execute<Record<string, unknown>[]>(
    `SELECT c.* FROM customer c WHERE c.status = 'OWNED' AND ${sql.returnsAt} <= now()
     ORDER BY ${sql.returnsAt}, c.id LIMIT 100`,
  );
  return {
    settings: PoolSettings.from(next),
    returnCount: counts?.due ?? 0,
    customers: rows.map((row) => ctx.em.map(Customer, row)),
    reminderCount: next.reminderDays === null ? 0 : (counts?.soon ?? 0),
  };
}

/** The admin's "run the automatic return now". */
export async function sweepNow(ctx: Context) {
  const viewer = requireViewer(ctx);
  assertRole(viewer, [Role.ADMIN], M.adminsOnly({ action: 'RUN_SWEEP' }));
  const report = await runSweep(ctx.app, actedBy(viewer));
  const customers = report.customerIds.length ? await ctx.em.find(Customer, { id: { $in: report.customerIds } }, { orderBy: { id: 'asc' } }) : [];
  return { ran: report.ran, returned: report.returned, reminded: report.reminded, customers };
}
