import type { EntityManager } from '@mikro-orm/postgresql';
import type DataLoader from 'dataloader';
import { requestLoader } from '../common/batch-scheduler.js';
import type { Viewer } from '../auth/policy.js';
import type { ConnectionResult } from '../common/connection.js';
import type { PageArgs } from '../common/keyset.js';
import { groupBy, pageLoaders } from '../common/page-loaders.js';
import { paginateByParent } from '../common/pagination.js';
import { Customer } from './customer.entity.js';
import { OwnershipEvent } from './ownership-event.entity.js';
import { sqlArray } from '../common/sql.js';

export interface CustomerLoaders {
  customerById: DataLoader<string, Customer | null>;
  eventById: DataLoader<string, OwnershipEvent | null>;
  /** User ids a customer is shared with. */
  shareUserIdsByCustomerId: DataLoader<string, string[]>;
  historyPage(args: PageArgs): DataLoader<string, ConnectionResult<OwnershipEvent>>;
}

export function createCustomerLoaders(em: EntityManager, _viewer: Viewer | null): CustomerLoaders {
  return {
    customerById: requestLoader(async (ids) => {
      const customers = await em.find(Customer, { id: { $in: [...ids] } });
      const byId = new Map(customers.map((c) => [c.id, c]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    eventById: requestLoader(async (ids) => {
      const events = await em.find(OwnershipEvent, { id: { $in: [...ids] } });
      const byId = new Map(events.map((e) => [e.id, e]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    shareUserIdsByCustomerId: requestLoader(async (ids) => {
      const rows = await em.execute<{ customer_id: string; user_id: string }[]>(
        `SELECT s.customer_id::text AS customer_id, s.user_id::text AS user_id
         FROM customer_share s JOIN app_user u ON u.id = s.user_id
         WHERE s.customer_id = ANY(?::bigint[]) ORDER BY u.name, u.id`,
        [sqlArray(ids)],
      );
      const byCustomer = groupBy(rows, (r) => r.customer_id);
      return ids.map((id) => (byCustomer.get(id) ?? []).map((r) => r.user_id));
    }),
    historyPage: pageLoaders((ids, args) =>
      paginateByParent(
        em,
        {
          select: 'e.*',
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
        (row) => em.map(OwnershipEvent, row),
      ),
    ),
  };
}
