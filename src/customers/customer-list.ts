import { masksContactDetails, viewSql, type ViewCondition } from '../auth/policy.js';
import type { ConnectionResult } from '../common/connection.js';
import { AppError, ErrorCode } from '../common/errors.js';
import type { SortKey, SqlFragment } from '../common/keyset.js';
import { OrderDirection } from '../common/order.js';
import { and, paginate, type ListQuery } from '../common/pagination.js';
import { requireViewer } from '../auth/viewer.js';
import type { Context } from '../context.js';
import { protectionSql } from '../pool-rules/protection.js';
import { CustomerStatus, type Customer } from './customer.entity.js';
import { customerColumns, readCustomer } from './customer.loaders.js';
import { customerFilterSql, filterUses, type FilterScope } from './customer-filter.js';
import { CustomerOrderField, type CustomerOrder, type CustomersArgs } from './customer.inputs.js';
import { customerSearchSql, searchTerms } from './customer-search.js';
import { tallyCountSql } from './customer-tally.js';
import { M } from '../common/messages.js';

// The customer lists: a view (intersected with what the viewer may see), the combined filter, the
// quick search and the order, as one SQL query that GraphQL, select-all batches, printing and the
// CSV export all page through.

const ORDER_COLUMNS: Record<Exclude<CustomerOrderField, 'RETURNS_TO_POOL_AT'>, Omit<SortKey, 'desc'>> = {
  NAME: { sql: 'c.name COLLATE crm_zh', cast: 'text', nullable: false },
  OWNER_NAME: { sql: 'c.owner_name COLLATE crm_zh', cast: 'text', nullable: true },
  STATUS: { sql: 'c.status', cast: 'text', nullable: false },
  LEVEL: { sql: 'c.level', cast: 'text', nullable: true },
  INDUSTRY: { sql: 'c.industry COLLATE crm_zh', cast: 'text', nullable: true },
  REGION: { sql: 'c.region COLLATE crm_zh', cast: 'text', nullable: true },
  SOURCE: { sql: 'c.source COLLATE crm_zh', cast: 'text', nullable: true },
  CREATED_AT: { sql: 'c.created_at', cast: 'timestamptz', nullable: false },
  UPDATED_AT: { sql: 'c.updated_at', cast: 'timestamptz', nullable: false },
  CLAIMED_AT: { sql: 'c.claimed_at', cast: 'timestamptz', nullable: true },
  LAST_INTERACTION_AT: { sql: 'c.last_interaction_at', cast: 'timestamptz', nullable: true },
  NEXT_FOLLOW_UP_AT: { sql: 'c.next_follow_up_at', cast: 'timestamptz', nullable: true },
  RELEVANCE: { sql: 'c.__score', cast: 'int', nullable: false },
};

const DEFAULT_ORDER: CustomerOrder[] = [{ field: CustomerOrderField.UPDATED_AT, direction: OrderDirection.DESC }];
const RELEVANCE_ORDER: CustomerOrder[] = [{ field: CustomerOrderField.RELEVANCE, direction: OrderDirection.DESC }];

function orderColumn(field: CustomerOrderField, scope: FilterScope): Omit<SortKey, 'desc'> {
  if (field !== CustomerOrderField.RETURNS_TO_POOL_AT) return ORDER_COLUMNS[field];
  if (!scope.protection) throw new Error('The protection rules must be loaded to sort by RETURNS_TO_POOL_AT');
  return { sql: protectionSql(scope.protection).returnsAt, cast: 'timestamptz', nullable: true };
}

export function customerSortKeys(order: CustomerOrder[], scope: FilterScope): SortKey[] {
  const keys = order.map((o) => ({ ...orderColumn(o.field, scope), desc: o.direction === OrderDirection.DESC }));
  const last = order.at(-1)!;
  // The id breaks ties, in the direction of the last key, so cursors are stable under any order.
  keys.push({ sql: 'c.id', cast: 'bigint', nullable: false, desc: last.direction === OrderDirection.DESC });
  return keys;
}

/** Pool phones are masked for this viewer: filters and search must not probe them. */
export function filterScope(ctx: Context): FilterScope {
  const viewer = requireViewer(ctx);
  const pool = { status: CustomerStatus.IN_POOL, ownerId: null, sharedWithViewer: false };
  return { masksPoolPhones: masksContactDetails(viewer, pool, ctx.app.config.maskPoolContacts) };
}

/** What a list shows: the view, the combined filter and the quick search, as SQL over `c`. */
export async function customerListQuery(
  ctx: Context,
  args: Pick<CustomersArgs, 'view' | 'filter' | 'search' | 'orderBy'>,
): Promise<ListQuery> {
  const viewer = requireViewer(ctx);
  const scope = filterScope(ctx);
  if (filterUses(args.filter, 'returnsToPoolAt') || args.orderBy?.some((o) => o.field === CustomerOrderField.RETURNS_TO_POOL_AT)) {
    scope.protection = ctx.settings;
  }
  const view = viewSql(viewer, args.view, 'c');
  const conditions: SqlFragment[] = [view];
  if (args.filter) conditions.push(customerFilterSql(args.filter, scope));
  const terms = searchTerms(args.search);
  // A search applies the view and the filter inside, where it ranks its matches.
  const search = terms ? customerSearchSql(terms, scope, and(conditions)) : undefined;
  const where = search ? [] : conditions;
  const order = args.orderBy?.length ? args.orderBy : search ? RELEVANCE_ORDER : DEFAULT_ORDER;
  if (!search && order.some((o) => o.field === CustomerOrderField.RELEVANCE)) {
    throw new AppError(ErrorCode.VALIDATION_FAILED, M.relevanceNeedsSearch(), ['orderBy']);
  }
  return {
    select: customerColumns(ctx.reads, 'c'),
    from: search ? search.from.sql : 'customer c',
    fromParams: search?.from.params,
    alias: 'c',
    where,
    keys: customerSortKeys(order, scope),
    signature: `customers:${args.view}:${order.map((o) => `${o.field}.${o.direction}`).join(',')}`,
    count: listCount(view, args.filter, search?.ids),
    countWithPage: !!search,
    keyed: !search && !args.filter,
    table: search ? 'customer' : undefined,
  };
}

/**
 * What totalCount counts when cheaper than the list's rows: a search's ranked ids, or the tally by
 * status for an unfiltered view on the status alone (customer-tally.ts).
 */
function listCount(view: ViewCondition, filter: CustomersArgs['filter'], searchIds: SqlFragment | undefined): SqlFragment | undefined {
  if (searchIds) return { sql: `SELECT count(*)::int AS n FROM ${searchIds.sql}`, params: searchIds.params };
  return !filter && view.onStatusAlone ? tallyCountSql(view) : undefined;
}

export async function listCustomers(ctx: Context, args: CustomersArgs): Promise<ConnectionResult<Customer>> {
  return paginate(ctx.reads, await customerListQuery(ctx, args), args, (row) => readCustomer(ctx.reads, ctx.loaders, row));
}

