import { KEYED, requestLoader, type RequestLoader } from '../common/batch-scheduler.js';
import type { ConnectionResult } from '../common/connection.js';
import type { PageArgs } from '../common/keyset.js';
import { pageLoaders } from '../common/page-loaders.js';
import { paginateByParent } from '../common/pagination.js';
import type { Reads, Row } from '../common/reads.js';
import { recordLoader } from '../common/record-loaders.js';
import { sqlArray } from '../common/sql.js';
import { Customer } from './customer.entity.js';
import { OwnershipEvent } from './ownership-event.entity.js';

export interface CustomerLoaders {
  customerById: RequestLoader<string, Customer | null>;
  eventById: RequestLoader<string, OwnershipEvent | null>;
  /** User ids a customer is shared with, by the users' names. */
  shareUserIdsByCustomerId: RequestLoader<string, string[]>;
  /** What the policy answered this request on whether the viewer may see a customer, by id. */
  customerVisible: Map<string, boolean>;
  historyPage(args: PageArgs): RequestLoader<string, ConnectionResult<OwnershipEvent>>;
}

/** The sharees of the customer row aliased `alias`, by name: read with every customer. */
const sharesSql = (alias: string) =>
  `ARRAY(SELECT s.user_id::text FROM customer_share s JOIN app_user u ON u.id = s.user_id
         WHERE s.customer_id = ${alias}.id ORDER BY u.name, u.id)`;

/** A customer's columns under `alias` as `readCustomer` reads them (its sharees included). */
export function customerColumns(reads: Reads, alias = 'c'): string {
  return `${reads.columns(Customer, alias)}, ${sharesSql(alias)} AS __share_ids`;
}

/**
 * A customer from a row of `customerColumns`. The request's loaders learn it and its sharees, so
 * that everything asked of it next (visibility, allowedActions, masking of its records) is at hand.
 */
export function readCustomer(reads: Reads, loaders: CustomerLoaders, row: Row): Customer {
  const customer = reads.read(Customer, row);
  loaders.customerById.prime(customer.id, customer);
  loaders.shareUserIdsByCustomerId.prime(customer.id, (row.__share_ids as string[] | undefined) ?? []);
  return customer;
}

export function createCustomerLoaders(reads: Reads): CustomerLoaders {
  const loaders: CustomerLoaders = {
    customerById: recordLoader(reads, Customer, {
      extraColumns: `${sharesSql('x')} AS __share_ids`,
      withRow: (customer: Customer, row: Row) => loaders.shareUserIdsByCustomerId.prime(customer.id, (row.__share_ids as string[]) ?? []),
    }),
    eventById: recordLoader(reads, OwnershipEvent),
    shareUserIdsByCustomerId: sharesLoader(reads),
    customerVisible: new Map(),
    historyPage: pageLoaders((ids, args) =>
      paginateByParent(
        reads,
        {
          select: reads.columns(OwnershipEvent, 'e'),
          from: 'ownership_event e',
          parentColumn: 'e.customer_id',
          where: [],
          keys: [
            { sql: 'e.created_at', cast: 'timestamptz', desc: true, nullable: false },
            { sql: 'e.id', cast: 'bigint', desc: true, nullable: false },
          ],
          signature: 'history',
        },
        ids,
        args,
        (row) => reads.read(OwnershipEvent, row),
      ),
    ),
  };
  return loaders;
}

/** Sharees of customers not read through `customerColumns` (say, one a mutation just changed). */
function sharesLoader(reads: Reads): RequestLoader<string, string[]> {
  return requestLoader(async (ids) => {
    const rows = await reads.rows(`SELECT c.id::text AS id, ${sharesSql('c')} AS share_ids FROM customer c WHERE c.id = ANY(?::bigint[])`, [sqlArray(ids)], KEYED);
    const byId = new Map(rows.map((r) => [r.id as string, r.share_ids as string[]]));
    return ids.map((id) => byId.get(id) ?? []);
  });
}
