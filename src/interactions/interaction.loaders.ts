import type { RequestLoader } from '../common/batch-scheduler.js';
import type { ConnectionResult } from '../common/connection.js';
import type { PageArgs, SortKey } from '../common/keyset.js';
import { pageLoaders } from '../common/page-loaders.js';
import { paginateByParent } from '../common/pagination.js';
import type { Reads } from '../common/reads.js';
import { recordLoader } from '../common/record-loaders.js';
import { Interaction } from './interaction.entity.js';

export interface InteractionLoaders {
  /** Live interactions by id. Visibility is the caller's check. */
  interactionById: RequestLoader<string, Interaction | null>;
  /** Customer.interactions, by customer id: newest first. */
  interactionPage(args: PageArgs): RequestLoader<string, ConnectionResult<Interaction>>;
  /** Contact.interactions, by contact id: newest first. */
  contactInteractionPage(args: PageArgs): RequestLoader<string, ConnectionResult<Interaction>>;
}

const NEWEST_FIRST: SortKey[] = [
  { sql: 'i.occurred_at', cast: 'timestamptz', desc: true, nullable: false },
  { sql: 'i.id', cast: 'bigint', desc: true, nullable: false },
];

export function createInteractionLoaders(reads: Reads): InteractionLoaders {
  const byParent = (parentColumn: string, signature: string) =>
    pageLoaders((ids, args) =>
      paginateByParent(
        reads,
        {
          select: reads.columns(Interaction, 'i'),
          from: 'interaction i',
          parentColumn,
          where: [{ sql: 'i.deleted_at IS NULL', params: [] }],
          keys: NEWEST_FIRST,
          signature,
        },
        ids,
        args,
        (row) => reads.read(Interaction, row),
      ),
    );
  return {
    interactionById: recordLoader(reads, Interaction, { where: 'x.deleted_at IS NULL' }),
    interactionPage: byParent('i.customer_id', 'interactions'),
    contactInteractionPage: byParent('i.contact_id', 'contact-interactions'),
  };
}
