import type { EntityManager } from '@mikro-orm/postgresql';
import type DataLoader from 'dataloader';
import { requestLoader } from '../common/batch-scheduler.js';
import type { ConnectionResult } from '../common/connection.js';
import type { PageArgs, SortKey } from '../common/keyset.js';
import { pageLoaders } from '../common/page-loaders.js';
import { paginateByParent } from '../common/pagination.js';
import type { Contact } from '../contacts/contact.entity.js';
import { liveContactLoader } from '../contacts/contact.loaders.js';
import { Interaction } from './interaction.entity.js';

export interface InteractionLoaders {
  /** Live interactions by id. Visibility is the caller's check. */
  interactionById: DataLoader<string, Interaction | null>;
  /**
   * Interaction.contact: live contacts by id, batched apart from `contactById`. Under a page of
   * customers the contacts of interactions and those of relations are asked for at moments that
   * depend on which query answers first; one loader would merge the two batches or not by chance,
   * so a page's statement count would vary from run to run.
   */
  interactionContactById: DataLoader<string, Contact | null>;
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
    interactionById: requestLoader(async (ids) => {
      const found = await em.find(Interaction, { id: { $in: [...ids] }, deletedAt: null });
      const byId = new Map(found.map((i) => [i.id, i]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    interactionContactById: liveContactLoader(em),
    interactionPage: byParent('i.customer_id', 'interactions'),
    contactInteractionPage: byParent('i.contact_id', 'contact-interactions'),
  };
}
