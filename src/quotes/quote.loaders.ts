import type { RequestLoader } from '../common/batch-scheduler.js';
import type { ConnectionResult } from '../common/connection.js';
import type { PageArgs } from '../common/keyset.js';
import { pageLoaders } from '../common/page-loaders.js';
import { paginateByParent } from '../common/pagination.js';
import type { Reads } from '../common/reads.js';
import { recordListLoader, recordLoader } from '../common/record-loaders.js';
import { QuoteItem } from './quote-item.entity.js';
import { Quote } from './quote.entity.js';

export interface QuoteLoaders {
  /** Live quotes by id (deleted ones are null). */
  quoteById: RequestLoader<string, Quote | null>;
  /** Items of live quotes by item id. */
  quoteItemById: RequestLoader<string, QuoteItem | null>;
  /** The lines of a quote, in order. */
  quoteItemsByQuoteId: RequestLoader<string, QuoteItem[]>;
  /** A customer's live quotes, newest first. */
  quotesPage(args: PageArgs): RequestLoader<string, ConnectionResult<Quote>>;
}

export function createQuoteLoaders(reads: Reads): QuoteLoaders {
  return {
    quoteById: recordLoader(reads, Quote, { where: 'x.deleted_at IS NULL' }),
    quoteItemById: recordLoader(reads, QuoteItem, {
      where: 'EXISTS (SELECT 1 FROM quote q WHERE q.id = x.quote_id AND q.deleted_at IS NULL)',
    }),
    quoteItemsByQuoteId: recordListLoader(reads, QuoteItem, { column: 'quote_id', orderBy: 'x.quote_id, x.position' }),
    quotesPage: pageLoaders((customerIds, args) =>
      paginateByParent(
        reads,
        {
          select: reads.columns(Quote, 'q'),
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
        (row) => reads.read(Quote, row),
      ),
    ),
  };
}
