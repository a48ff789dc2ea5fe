import { LockMode, type EntityClass, type FilterQuery } from '@mikro-orm/core';
import type { ConnectionResult } from './connection.js';
import { AppError, ErrorCode, notFound } from './errors.js';
import { fromGlobalId, type NodeTypeName } from './ids.js';
import { editCustomerRecords, readableCustomer, type EditScope } from '../customers/customer-records.js';
import type { Context } from '../context.js';
import { User } from '../users/user.entity.js';

// Shared plumbing of the quote, contract, receivable and receipt services: finding the customer of
// a record given by id, editing it under the customer's lock, versions and soft deletion. Access
// is decided only by the helpers of customer-records.ts.

/** What every soft-deletable, versioned sub-record has. */
export interface LiveRecord {
  id: string;
  version: number;
  deletedAt?: Date | null;
  deletedBy?: unknown;
}

/** The customer of a live (not deleted) record, read fresh from the database; undefined if none. */
export async function liveRecordCustomerId(ctx: Context, entity: EntityClass<object>, id: string): Promise<string | undefined> {
  const table = ctx.em.getMetadata().get(entity.name).tableName;
  const [row] = await ctx.em.execute<{ customer_id: string }[]>(
    `SELECT customer_id::text AS customer_id FROM ${table} WHERE id = ?::bigint AND deleted_at IS NULL`,
    [id],
  );
  return row?.customer_id;
}

/**
 * Runs `change` on a live record given by its global id, in one transaction with its customer
 * locked and the record itself locked and re-read. A missing record and one whose customer the
 * viewer can't see give the same NOT_FOUND; a read-only viewer gets FORBIDDEN.
 */
export async function editLiveRecord<E extends LiveRecord, T>(
  ctx: Context,
  entity: EntityClass<E>,
  type: NodeTypeName,
  globalId: string,
  change: (scope: EditScope, record: E) => Promise<T>,
): Promise<T> {
  const id = fromGlobalId(type, globalId);
  const customerId = id ? await liveRecordCustomerId(ctx, entity, id) : undefined;
  if (!customerId || !(await readableCustomer(ctx, customerId))) throw notFound(type);
  return editCustomerRecords(ctx, customerId, async (scope) => {
    const record = await lockLiveRecord(scope, entity, type, id!);
    return change(scope, record);
  });
}

/** Re-reads and locks a live record of the scope's customer; NOT_FOUND when it is gone. */
export async function lockLiveRecord<E extends LiveRecord>(
  scope: EditScope,
  entity: EntityClass<E>,
  type: NodeTypeName,
  id: string,
): Promise<E> {
  const where = { id, customer: scope.customer.id, deletedAt: null } as unknown as FilterQuery<E>;
  const record = await scope.em.findOne(entity, where, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
  if (!record) throw notFound(type);
  return record;
}

/** STALE_VERSION when the client's expectedVersion is not the record's version; nothing changes. */
export function assertVersion(record: LiveRecord, expected: number | null | undefined, what: string): void {
  if (expected === null || expected === undefined || expected === record.version) return;
  throw new AppError(
    ErrorCode.STALE_VERSION,
    `The ${what} changed since version ${expected} (now ${record.version}); reload and try again`,
    ['input', 'expectedVersion'],
  );
}

/** Marks a record deleted: the row stays, every read filters it out. */
export function softDelete(scope: EditScope, record: LiveRecord, at: Date = new Date()): void {
  Object.assign(record, { deletedAt: at, deletedBy: scope.em.getReference(User, scope.viewer.id) });
}
