import type { ConnectionResult } from '../common/connection.js';
import { fromGlobalId } from '../common/ids.js';
import type { PageArgs } from '../common/keyset.js';
import { paginate } from '../common/pagination.js';
import { sqlArray } from '../common/sql.js';
import { AppError, ErrorCode } from '../common/errors.js';
import { requireViewer } from '../auth/viewer.js';
import type { Context } from '../context.js';
import { Notification } from './notification.entity.js';
import { M } from '../common/messages.js';

/** The viewer's own notifications, newest first. Nobody reads anyone else's. */
export function listNotifications(ctx: Context, args: PageArgs & { unreadOnly?: boolean | null }): Promise<ConnectionResult<Notification>> {
  const viewer = requireViewer(ctx);
  const where = [{ sql: 'n.user_id = ?::bigint', params: [viewer.id] }];
  if (args.unreadOnly) where.push({ sql: 'n.read_at IS NULL', params: [] });
  return paginate(
    ctx.reads,
    {
      select: ctx.reads.columns(Notification, 'n'),
      from: 'notification n',
      alias: 'n',
      where,
      keys: [
        { sql: 'n.created_at', cast: 'timestamptz', desc: true, nullable: false },
        { sql: 'n.id', cast: 'bigint', desc: true, nullable: false },
      ],
      signature: `notifications:${args.unreadOnly ? 'unread' : 'all'}`,
    },
    args,
    (row) => ctx.reads.read(Notification, row),
  );
}

export async function unreadCount(ctx: Context): Promise<number> {
  const viewer = requireViewer(ctx);
  const [row] = await ctx.em.execute<{ n: number }[]>(
    'SELECT count(*)::int AS n FROM notification WHERE user_id = ?::bigint AND read_at IS NULL',
    [viewer.id],
  );
  return row?.n ?? 0;
}

/** Marks the given notifications (or all) of the viewer as read; others' ids are ignored. */
export async function markRead(ctx: Context, input: { ids?: string[] | null; all?: boolean | null }): Promise<number> {
  const viewer = requireViewer(ctx);
  if (!input.all && !input.ids?.length) {
    throw new AppError(ErrorCode.VALIDATION_FAILED, M.notificationsIdsOrAll(), ['input', 'ids']);
  }
  const ids = (input.ids ?? []).map((g) => fromGlobalId('Notification', g)).filter((i): i is string => !!i);
  const rows = await ctx.em.execute<{ id: string }[]>(
    `UPDATE notification SET read_at = now() WHERE user_id = ?::bigint AND read_at IS NULL
     ${input.all ? '' : 'AND id = ANY(?::bigint[])'} RETURNING id::text`,
    input.all ? [viewer.id] : [viewer.id, sqlArray(ids)],
  );
  return rows.length;
}

export async function findOwnNotification(ctx: Context, id: string): Promise<Notification | null> {
  const viewer = requireViewer(ctx);
  return ctx.em.findOne(Notification, { id, user: viewer.id });
}
