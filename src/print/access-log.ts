import { ApiKey } from '../api-keys/api-key.entity.js';
import { assertRole } from '../auth/policy.js';
import type { CustomerViewName } from '../auth/policy.js';
import type { ConnectionResult } from '../common/connection.js';
import { fromGlobalId } from '../common/ids.js';
import type { PageArgs, SqlFragment } from '../common/keyset.js';
import { paginate } from '../common/pagination.js';
import { requireViewer } from '../auth/viewer.js';
import type { Context } from '../context.js';
import { Customer } from '../customers/customer.entity.js';
import { Role, User } from '../users/user.entity.js';
import { DocumentAccess, DocumentAccessKind, DocumentAccessVia } from './document-access.entity.js';
import { M } from '../common/messages.js';

// Every print page and export served is recorded: who, what (a customer, or a list's view,
// filter, search and order), how many rows, how it was authenticated, the request id, when.
// Refused requests are not (they showed nothing). Admins read the log in GraphQL.

export interface AccessEntry {
  kind: DocumentAccessKind;
  via: DocumentAccessVia;
  customerId?: string;
  list?: { view: CustomerViewName; filter: unknown; search: string | null; orderBy: unknown };
  /** Rows shown; null for an export that is about to stream (completeAccess sets it). */
  rowCount: number | null;
}

/** Writes one log row, in its own statement (committed before the document goes out). */
export async function recordAccess(ctx: Context, entry: AccessEntry): Promise<DocumentAccess> {
  const em = ctx.em.fork();
  const viewer = requireViewer(ctx);
  const row = em.create(DocumentAccess, {
    user: em.getReference(User, viewer.id),
    apiKey: viewer.apiKey ? em.getReference(ApiKey, viewer.apiKey.id) : null,
    kind: entry.kind,
    via: entry.via,
    customer: entry.customerId ? em.getReference(Customer, entry.customerId) : null,
    view: entry.list?.view ?? null,
    filter: entry.list?.filter ?? null,
    search: entry.list?.search ?? null,
    orderBy: entry.list?.orderBy ?? null,
    rowCount: entry.rowCount,
    requestId: ctx.requestId,
    completedAt: entry.rowCount === null ? null : new Date(),
  });
  await em.flush();
  return row;
}

/** Closes the row of a streamed export: how many rows went out, and whether all of them did. */
export async function completeAccess(ctx: Context, access: DocumentAccess, rowCount: number, completed: boolean): Promise<void> {
  await ctx.em.execute(
    'UPDATE document_access_log SET row_count = ?, completed_at = CASE WHEN ? THEN now() END WHERE id = ?::bigint',
    [rowCount, completed, access.id],
  );
}

export interface AccessLogFilter {
  userId?: string | null;
  customerId?: string | null;
  kind?: DocumentAccessKind | null;
}

function assertAdmin(ctx: Context): void {
  assertRole(requireViewer(ctx), [Role.ADMIN], M.adminsOnly({ action: 'ACCESS_LOG' }));
}

/** The log, newest first (admins; others FORBIDDEN). */
export async function listAccessLog(ctx: Context, args: PageArgs & AccessLogFilter): Promise<ConnectionResult<DocumentAccess>> {
  assertAdmin(ctx);
  const where: SqlFragment[] = [];
  const byId = (column: string, id: string | undefined) =>
    where.push(id ? { sql: `${column} = ?::bigint`, params: [id] } : { sql: 'FALSE', params: [] });
  if (args.userId) byId('d.user_id', fromGlobalId('User', args.userId));
  if (args.customerId) byId('d.customer_id', fromGlobalId('Customer', args.customerId));
  if (args.kind) where.push({ sql: 'd.kind = ?', params: [args.kind] });
  return paginate(
    ctx.reads,
    {
      select: ctx.reads.columns(DocumentAccess, 'd'),
      from: 'document_access_log d',
      alias: 'd',
      where,
      keys: [
        { sql: 'd.created_at', cast: 'timestamptz', desc: true, nullable: false },
        { sql: 'd.id', cast: 'bigint', desc: true, nullable: false },
      ],
      signature: 'documentAccessLog',
    },
    args,
    (row) => ctx.reads.read(DocumentAccess, row),
  );
}

/** A log row by id for node(id): admins only, null for everyone else (as for a missing one). */
export async function findAccess(ctx: Context, id: string): Promise<DocumentAccess | null> {
  if (requireViewer(ctx).role !== Role.ADMIN) return null;
  return ctx.loaders.documentAccessById.get(id);
}
