import type { EntityManager } from '@mikro-orm/postgresql';
import { assertCan, canView, type Viewer } from '../auth/policy.js';
import { emptyConnection, type ConnectionResult } from '../common/connection.js';
import { notFound } from '../common/errors.js';
import { andThen, type MaybePromise } from '../common/maybe.js';
import { fromGlobalId, type NodeTypeName } from '../common/ids.js';
import { actedBy, requireViewer } from '../auth/viewer.js';
import type { Context } from '../context.js';
import type { Customer } from './customer.entity.js';
import { loadVisibleCustomer, lockCustomer, lockedFacts, recordEvent } from './customer.service.js';
import { OwnershipEventAction } from './ownership-event.entity.js';
import { CustomerAction } from './pool.js';

// The rule every sub-record of a customer (contact, relation, interaction, quote, contract,
// receivable, receipt, attachment) follows: whoever can see the customer can read it; whoever may
// EDIT the customer can create, change and delete it. Sub-record services go through these helpers
// and never decide access themselves.

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
