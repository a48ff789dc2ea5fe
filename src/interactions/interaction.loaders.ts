import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import type { ConnectionResult } from '../common/connection.js';
import type { PageArgs, SortKey } from '../common/keyset.js';
import { pageLoaders } from '../common/page-loaders.js';
import { paginateByParent } from '../common/pagination.js';
import { Interaction } from './interaction.entity.js';

export interface InteractionLoaders {
  /** Live interactions by id. Visibility is the caller's check. */
  interactionById: DataLoader<string, Interaction | null>;
  /** Customer.interactions, by customer id: newest first. */
  interactionPage(args: PageArgs): DataLoader<string, ConnectionResult<Interaction>>;
  /** Contact.interactions, by contact id: newest first. */
  contactInteractionPage(args: PageArgs): DataLoader<string, ConnectionResult<Interaction>>;
}

const NEWEST_FIRST: SortKey[] = [
  { sql: 'i.occurred_at', cast: 'timestamptz', desc: true, nullable: false },
  { sql: 'i.id', cast: 'bigint', desc: true, nullable: false },
];

export function createInteractionLoaders(em: EntityManager): InteractionLoaders {
  const byParent = (parentColumn: string, signature: string) =>
    pageLoaders((ids, args) =>
      paginateByParent(
        em,
        {
          select: 'i.*',
          from: 'interaction i',
          parentColumn,
          where: [{ sql: 'i.deleted_at IS NULL', params: [] }],
          keys: NEWEST_FIRST,
          signature,
        },
        ids,
        args,
        (row) => em.map(Interaction, row),
      ),
    );
  return {
    interactionById: new DataLoader(async (ids) => {
      const found = await em.find(Interaction, { id: { $in: [...ids] }, deletedAt: null });
      const byId = new Map(found.map((i) => [i.id, i]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    interactionPage: byParent('i.customer_id', 'interactions'),
    contactInteractionPage: byParent('i.contact_id', 'contact-interactions'),
  };
}
