import type { EntityManager } from '@mikro-orm/postgresql';
import type { ConnectionResult } from '../common/connection.js';
import { MAX_PAGE_SIZE } from '../common/keyset.js';
import { maskPhone } from '../common/masking.js';
import { paginate, type ListQuery } from '../common/pagination.js';
import { Reads } from '../common/reads.js';
import type { Context } from '../context.js';
import { Customer, type CustomerStatus } from '../customers/customer.entity.js';
import { masksFor } from '../customers/customer.service.js';
import { User } from '../users/user.entity.js';
import { formatTime } from './format.js';
import { CUSTOMER_STATUS } from './labels.js';

// A customer list as the printed list and the CSV show it: the same columns, the same rows in the
// same order as the GraphQL `customers` list (its own query, paged with its keyset pagination).

export const LIST_HEADERS = [
  '名称',
  '状态',
  '负责人',
  '电话',
  '行业',
  '级别',
  '来源',
  '地区',
  '最后跟进',
  '下次跟进',
  '创建时间',
  '更新时间',
] as const;

/** One customer's cells, in LIST_HEADERS order; the phone masked where the API masks it. */
export function listCells(ctx: Context, customer: Customer, ownerName: string | null, timeZone: string): string[] {
  const phone = masksFor(ctx, customer) ? maskPhone(customer.phone) : (customer.phone ?? null);
  return [
    customer.name,
    CUSTOMER_STATUS[customer.status as CustomerStatus],
    ownerName ?? '',
    phone ?? '',
    customer.industry ?? '',
    customer.level ?? '',
    customer.source ?? '',
    customer.region ?? '',
    formatTime(customer.lastInteractionAt, timeZone),
    formatTime(customer.nextFollowUpAt, timeZone),
    formatTime(customer.createdAt, timeZone),
    formatTime(customer.updatedAt, timeZone),
  ];
}

/** The owners' names of a page of customers, in one batch. */
export async function ownerNames(ctx: Context, customers: Customer[]): Promise<Map<string, string>> {
  const ids = [...new Set(customers.flatMap((c) => (c.owner ? [c.owner.id] : [])))];
  const users = await ctx.loaders.userById.loadMany(ids);
  return new Map(users.filter((u): u is User => u instanceof User).map((u) => [u.id, u.name]));
}

/**
 * The list's cells, page by page, in the list's order: `pageSize` rows per statement, read over
 * `em` (a fork in the list's snapshot transaction) without entering its identity map, so that a
 * long list never piles up in memory.
 */
export async function* listRows(
  ctx: Context,
  em: EntityManager,
  query: ListQuery,
  timeZone: string,
  pageSize = MAX_PAGE_SIZE,
): AsyncGenerator<string[][]> {
  let after: string | null = null;
  const reads = Reads.over(em);
  for (;;) {
    const page: ConnectionResult<Customer> = await paginate(reads, query, { first: pageSize, after }, (row) => reads.read(Customer, row));
    const owners = await ownerNames(ctx, page.nodes);
    const cells = page.nodes.map((c) => listCells(ctx, c, c.owner ? (owners.get(c.owner.id) ?? null) : null, timeZone));
    yield cells;
    const more = page.pageInfo.hasNextPage;
    if (!(typeof more === 'function' ? await more() : more) || !page.pageInfo.endCursor) return;
    after = page.pageInfo.endCursor;
  }
}
