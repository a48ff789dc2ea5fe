import type { EntityManager } from '@mikro-orm/postgresql';
import type DataLoader from 'dataloader';
import { requestLoader } from '../common/batch-scheduler.js';
import type { ConnectionResult } from '../common/connection.js';
import type { PageArgs } from '../common/keyset.js';
import { groupBy, pageLoaders } from '../common/page-loaders.js';
import { paginateByParent } from '../common/pagination.js';
import { sqlArray } from '../common/sql.js';
import { QuoteItem } from './quote-item.entity.js';
import { Quote } from './quote.entity.js';

export interface QuoteLoaders {
  /** Live quotes by id (deleted ones are null). */
  quoteById: DataLoader<string, Quote | null>;
  /** Items of live quotes by item id. */
  quoteItemById: DataLoader<string, QuoteItem | null>;
  /** The lines of a quote, in order. */
  quoteItemsByQuoteId: DataLoader<string, QuoteItem[]>;
  /** A customer's live quotes, newest first. */
  quotesPage(args: PageArgs): DataLoader<string, ConnectionResult<Quote>>;
}

type Row = Record<string, unknown>;

export function createQuoteLoaders(em: EntityManager): QuoteLoaders {
  return {
    quoteById: requestLoader(async (ids) => {
      const rows = await em.execute<Row[]>(
        'SELECT q.* FROM quote q WHERE q.id = ANY(?::bigint[]) AND q.deleted_at IS NULL',
        [sqlArray(ids)],
      );
      const byId = new Map(rows.map((r) => [String(r.id), em.map(Quote, r)]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    quoteItemById: requestLoader(async (ids) => {
      const rows = await em.execute<Row[]>(
        `SELECT i.* FROM quote_item i JOIN quote q ON q.id = i.quote_id
         WHERE i.id = ANY(?::bigint[]) AND q.deleted_at IS NULL`,
        [sqlArray(ids)],
      );
      const byId = new Map(rows.map((r) => [String(r.id), em.map(QuoteItem, r)]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    quoteItemsByQuoteId: requestLoader(async (ids) => {
      const rows = await em.execute<Row[]>(
        'SELECT i.* FROM quote_item i WHERE i.quote_id = ANY(?::bigint[]) ORDER BY i.quote_id, i.position',
        [sqlArray(ids)],
      );
      const byQuote = groupBy(rows, (r) => String(r.quote_id));
      return ids.map((id) => (byQuote.get(id) ?? []).map((r) => em.map(QuoteItem, r)));
    }),
    quotesPage: pageLoaders((customerIds, args) =>
      paginateByParent(
        em,
        {
          select: 'q.*',
          from: 'quote q',
          parentColumn: 'q.customer_id',
          where: [{ sql: 'q.deleted_at IS NULL', params: [] }],
          keys: [
            { sql: 'q.created_at', cast: 'timestamptz', desc: true, nullable: false },
            { sql: 'q.id', cast: 'bigint', desc: true, nullable: false },
          ],
          signature: 'quotes',
        },
        customerIds,
        args,
        (row) => em.map(Quote, row),
      ),
    ),
  };
}
