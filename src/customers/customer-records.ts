import { LockMode, type EntityClass, type FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { assertCan, canView, type Viewer } from '../auth/policy.js';
import { emptyConnection, type ConnectionResult } from '../common/connection.js';
import { AppError, ErrorCode, notFound } from '../common/errors.js';
import { andThen, type MaybePromise } from '../common/maybe.js';
import { fromGlobalId, type NodeTypeName } from '../common/ids.js';
import { actedBy, requireViewer } from '../auth/viewer.js';
import type { Context } from '../context.js';
import type { Customer } from './customer.entity.js';
import { loadVisibleCustomer, lockCustomer, lockedFacts, recordEvent } from './customer.service.js';
import { OwnershipEventAction } from './ownership-event.entity.js';
import { User } from '../users/user.entity.js';
import { CustomerAction } from './pool.js';
import { M } from '../common/messages.js';

// The one module every sub-record of a customer (contact, relation, interaction, quote, contract,
// receivable, receipt, attachment) goes through: finding a record's customer, read and edit access
// through the policy (whoever can see the customer can read its records; whoever may EDIT the
// customer can create, change and delete them), the customer's lock, the record's lock, the version
// check, soft deletion and its history event. Sub-record services never decide access themselves;
// a new record type writes its entity, inputs and fields, not its access rules.

/** Who may change a customer's records, as the schema's descriptions say it (editCustomerRecords decides). */
export const EDIT_RECORDS =
  'Editors of the customer only (owner; a manager, for pool customers; admin): FORBIDDEN for sharees and managers above the owner, NOT_FOUND when the customer is not visible';

/** What every list of a customer's records says about who reads it and how it pages. */
export const UNDER_CUSTOMER = 'Readable by whoever may see the customer; pages of 1 to 100 (default 20), each record counting toward the query cost.';

/** The customer when the viewer may read its records; null exactly as for a missing one. */
export function readableCustomer(ctx: Context, customerId: string): MaybePromise<Customer | null> {
  return loadVisibleCustomer(ctx, customerId);
}

/** A record (as its loader answers) when the viewer may read its customer; null as for a missing one. */
export function readableRecord<R extends { customer: { id: string } }>(ctx: Context, record: MaybePromise<R | null>): MaybePromise<R | null> {
  return andThen(record, (found) => found && andThen(readableCustomer(ctx, found.customer.id), (customer) => (customer ? found : null)));
}

/**
 * A nested page under a customer (`page` reads it through its loader), empty should the customer
 * ever reach a resolver without being visible (defence in depth; every path checks before).
 */
export function pageUnderCustomer<T>(
  ctx: Context,
  customer: Customer,
  page: (customerId: string) => MaybePromise<ConnectionResult<T>>,
): MaybePromise<ConnectionResult<T>> {
  // The parent row is at hand: spare the checks of its records a query to load it again.
  ctx.loaders.customerById.prime(customer.id, customer);
  return andThen(readableCustomer(ctx, customer.id), (readable) => (readable ? page(customer.id) : emptyConnection<T>()));
}

export interface EditScope {
  em: EntityManager;
  viewer: Viewer;
  customer: Customer;
}

export interface EditOptions {
  /**
   * What a refusal for an invisible customer calls missing, e.g. 'Contact' when the record was
   * addressed by its own id: then it reads exactly like a missing contact.
   */
  notFound?: string;
}

/**
 * Runs `change` in one transaction with the customer row locked, after checking that the viewer
 * may edit the customer: NOT_FOUND when they can't see it, FORBIDDEN when they only read it.
 */
export async function editCustomerRecords<T>(
  ctx: Context,
  customerId: string | undefined,
  change: (scope: EditScope) => Promise<T>,
  options: EditOptions = {},
): Promise<T> {
  const viewer = requireViewer(ctx);
  const missing = () => notFound(options.notFound ?? 'Customer');
  if (!customerId) throw missing();
  const result = await ctx.em.transactional(async (em) => {
    const customer = await lockCustomer(em, customerId);
    if (!customer) throw missing();
    const facts = await lockedFacts(em, viewer, customer);
    if (!canView(viewer, facts)) throw missing();
    assertCan(viewer, CustomerAction.EDIT, facts);
    return change({ em, viewer, customer });
  });
  // What the request read before the change is out of date now.
  ctx.forgetReads();
  return result;
}

/** `editCustomerRecords` for a customer given by its global id. */
export function editCustomerRecordsById<T>(
  ctx: Context,
  customerGlobalId: string,
  change: (scope: EditScope) => Promise<T>,
): Promise<T> {
  return editCustomerRecords(ctx, fromGlobalId('Customer', customerGlobalId), change);
}

/** Soft deletes leave the row; the customer's history says who deleted what and when. */
export function recordDeletion(
  scope: EditScope,
  record: { type: NodeTypeName; id: string; summary: string },
): void {
  recordEvent(scope.em, scope.customer, OwnershipEventAction.RECORD_DELETED, {
    ...actedBy(scope.viewer),
    details: { recordType: record.type, recordId: record.id, summary: record.summary },
  });
}

/** What every soft-deletable, versioned sub-record has. */
export interface LiveRecord {
  id: string;
  version: number;
  deletedAt?: Date | null;
  deletedBy?: unknown;
}

/** How a refusal names a record that is missing (or whose customer is not visible). */
export interface Missing {
  /** The word in "… not found"; the record's type by default. */
  what?: string;
  /** The input field that addressed it, e.g. ['input', 'id']. */
  field?: string[];
}

const missing = (type: NodeTypeName, how: Missing = {}) => notFound(how.what ?? type, how.field);

/**
 * `editCustomerRecords` for a record reached by id (or a customer by id): a missing record and one
 * whose customer the viewer can't see give the same NOT_FOUND, naming the input field.
 */
export async function editRecordsOf<T>(
  ctx: Context,
  customerId: string | undefined,
  what: string,
  field: string[],
  change: (scope: EditScope) => Promise<T>,
): Promise<T> {
  if (!customerId || !(await readableCustomer(ctx, customerId))) {
    throw notFound(what, field);
  }
  return editCustomerRecords(ctx, customerId, change, { notFound: what });
}

/** The customer of a live (not deleted) record, read fresh from the database; undefined if none. */
export async function liveRecordCustomerId(em: EntityManager, entity: EntityClass<object>, id: string): Promise<string | undefined> {
  const table = em.getMetadata().get(entity.name).tableName;
  const [row] = await em.execute<{ customer_id: string }[]>(
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
  const customerId = id ? await liveRecordCustomerId(ctx.em, entity, id) : undefined;
  if (!customerId || !(await readableCustomer(ctx, customerId))) throw notFound(type);
  return editCustomerRecords(ctx, customerId, async (scope) => {
    const record = await lockLiveRecord(scope, entity, type, id!);
    return change(scope, record);
  });
}

/** Re-reads and locks a live record of the scope's customer; NOT_FOUND when it is gone. */
export async function lockLiveRecord<E extends LiveRecord>(
  scope: Pick<EditScope, 'em' | 'customer'>,
  entity: EntityClass<E>,
  type: NodeTypeName,
  id: string,
  how: Missing = {},
): Promise<E> {
  const where = { id, customer: scope.customer.id, deletedAt: null } as unknown as FilterQuery<E>;
  const record = await scope.em.findOne(entity, where, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
  if (!record) throw missing(type, how);
  return record;
}

/** STALE_VERSION when the client's expectedVersion is not the record's version; nothing changes. */
export function assertVersion(record: Pick<LiveRecord, 'version'>, expected: number | null | undefined, what: string): void {
  if (expected === null || expected === undefined || expected === record.version) return;
  throw new AppError(
    ErrorCode.STALE_VERSION,
    M.staleVersion({ what, expected, actual: record.version }),
    ['input', 'expectedVersion'],
  );
}

/**
 * Deletes a record softly (the row stays, every read filters it out) and writes the customer's
 * history event saying who deleted what and when.
 */
export function deleteRecord(
  scope: EditScope,
  record: LiveRecord,
  history: { type: NodeTypeName; summary: string },
  at: Date = new Date(),
): void {
  Object.assign(record, { deletedAt: at, deletedBy: scope.em.getReference(User, scope.viewer.id) });
  recordDeletion(scope, { type: history.type, id: record.id, summary: history.summary });
}
