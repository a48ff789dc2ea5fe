import type { EntityManager } from '@mikro-orm/postgresql';
import type { ConnectionResult } from '../common/connection.js';
import { nextDocumentNumber } from '../common/document-number.js';
import { companyTimeZone, companyTodayFor } from '../pool-rules/pool-settings.js';
import { AppError, ErrorCode, validationFailed } from '../common/errors.js';
import type { PageArgs } from '../common/keyset.js';
import { parseCurrency } from '../common/money.js';
import { andThen, type MaybePromise } from '../common/maybe.js';
import { assertTransition } from '../common/status-machine.js';
import { cleanText } from '../common/text.js';
import type { Context } from '../context.js';
import { assertVersion, deleteRecord, editCustomerRecordsById, editLiveRecord, pageUnderCustomer, readableRecord } from '../customers/customer-records.js';
import type { Customer } from '../customers/customer.entity.js';
import { User } from '../users/user.entity.js';
import { priceQuote, type PricedQuote } from './quote-pricing.js';
import { QuoteItem } from './quote-item.entity.js';
import { QUOTE_TRANSITIONS, isQuoteEditable } from './quote-status.js';
import { Quote, QuoteStatus } from './quote.entity.js';
import type { QuoteCreateInput, QuoteDeleteInput, QuoteStatusChangeInput, QuoteUpdateInput } from './quote.inputs.js';
import { M } from '../common/messages.js';

const ITEMS_PATH = ['input', 'items'];

function assertDates(quoteDate: string, validUntil: string | null | undefined): void {
  if (validUntil && validUntil < quoteDate) {
    throw validationFailed(['input', 'validUntil'], M.dateNotBefore({ field: 'validUntil', value: validUntil, other: 'quoteDate', otherValue: quoteDate }));
  }
}

/** Stores priced lines for a quote and its totals (the old lines, if any, are gone already). */
function storeItems(em: EntityManager, quote: Quote, priced: PricedQuote): void {
  for (const item of priced.items) em.create(QuoteItem, { ...item, quote });
  quote.subtotal = priced.subtotal;
  quote.total = priced.total;
}

/** 新建报价: a DRAFT quote with its lines; the server numbers it and computes the totals. */
export async function createQuote(ctx: Context, input: QuoteCreateInput): Promise<Quote> {
  return editCustomerRecordsById(ctx, input.customerId, async ({ em, viewer, customer }) => {
    const quoteDate = input.quoteDate ?? (await companyTodayFor(em));
    assertDates(quoteDate, input.validUntil);
    const currency = parseCurrency(input.currency, ['input', 'currency']);
    const priced = priceQuote(input.items ?? [], ITEMS_PATH); // every line is valid before a number is taken
    const quote = em.create(Quote, {
      customer,
      number: await nextDocumentNumber(em, 'QUOTE', await companyTimeZone(em)),
      title: cleanText(input.title) ?? null,
      quoteDate,
      validUntil: input.validUntil ?? null,
      currency,
      notes: cleanText(input.notes) ?? null,
      subtotal: '0.00',
      total: '0.00',
      createdBy: em.getReference(User, viewer.id),
    });
    storeItems(em, quote, priced);
    await em.flush();
    return quote;
  });
}

function assertEditable(quote: Quote): void {
  if (!isQuoteEditable(quote.status)) {
    throw new AppError(
      ErrorCode.INVALID_TRANSITION,
      M.quoteNotDraft({ number: quote.number, status: quote.status }),
    );
  }
}

/** 修改报价: fields and (when given) the full list of lines; only while DRAFT. */
export async function updateQuote(ctx: Context, input: QuoteUpdateInput): Promise<Quote> {
  return editLiveRecord(ctx, Quote, 'Quote', input.id, async ({ em }, quote) => {
    assertVersion(quote, input.expectedVersion, 'quote');
    assertEditable(quote);
    if (input.title !== undefined) quote.title = cleanText(input.title) ?? null;
    if (input.quoteDate) quote.quoteDate = input.quoteDate;
    if (input.validUntil !== undefined) quote.validUntil = input.validUntil;
    assertDates(quote.quoteDate, quote.validUntil);
    if (input.currency) quote.currency = parseCurrency(input.currency, ['input', 'currency']);
    if (input.notes !== undefined) quote.notes = cleanText(input.notes) ?? null;
    if (input.items) {
      const priced = priceQuote(input.items, ITEMS_PATH);
      // The lines are part of the quote: the new list replaces the old one.
      await em.nativeDelete(QuoteItem, { quote: quote.id });
      storeItems(em, quote, priced);
    }
    quote.updatedAt = new Date();
    await em.flush();
    return quote;
  });
}

/** 发送 / 接受 / 拒绝 / 过期: one step of the quote's status machine (quote-status.ts). */
export async function changeQuoteStatus(ctx: Context, input: QuoteStatusChangeInput): Promise<Quote> {
  return editLiveRecord(ctx, Quote, 'Quote', input.id, async ({ em }, quote) => {
    assertVersion(quote, input.expectedVersion, 'quote');
    assertTransition(QUOTE_TRANSITIONS, quote.status, input.status, 'quote');
    if (input.status === QuoteStatus.SENT) {
      const [row] = await em.execute<{ n: number }[]>('SELECT count(*)::int AS n FROM quote_item WHERE quote_id = ?::bigint', [quote.id]);
      if (!row?.n) throw validationFailed(['input', 'status'], M.quoteHasNoLines({ number: quote.number }));
    }
    quote.status = input.status;
    quote.updatedAt = new Date();
    await em.flush();
    return quote;
  });
}

/** 删除报价: soft; refused while a live contract was made from it. */
export async function deleteQuote(ctx: Context, input: QuoteDeleteInput): Promise<string> {
  return editLiveRecord(ctx, Quote, 'Quote', input.id, async (scope, quote) => {
    assertVersion(quote, input.expectedVersion, 'quote');
    const [contract] = await scope.em.execute<{ number: string }[]>(
      'SELECT number FROM contract WHERE source_quote_id = ?::bigint AND deleted_at IS NULL',
      [quote.id],
    );
    if (contract) {
      throw new AppError(
        ErrorCode.CONFLICT,
        M.quoteBecameContract({ quote: quote.number, contract: contract.number }),
        ['input', 'id'],
      );
    }
    deleteRecord(scope, quote, { type: 'Quote', summary: `${quote.number} (${quote.total} ${quote.currency})` });
    await scope.em.flush();
    return quote.nodeId;
  });
}

/** A customer's quotes, newest first (empty for a customer the viewer may not read). */
export function customerQuotes(ctx: Context, customer: Customer, args: PageArgs): MaybePromise<ConnectionResult<Quote>> {
  return pageUnderCustomer(ctx, customer, (id) => ctx.loaders.quotesPage(args).get(id));
}

/** A live quote the viewer may read; null exactly as for a missing one. */
export function readableQuote(ctx: Context, id: string): MaybePromise<Quote | null> {
  return readableRecord(ctx, ctx.loaders.quoteById.get(id));
}

/** A line of a live quote the viewer may read. */
export function readableQuoteItem(ctx: Context, id: string): MaybePromise<QuoteItem | null> {
  return andThen(ctx.loaders.quoteItemById.get(id), (item) => item && andThen(readableQuote(ctx, item.quote.id), (quote) => (quote ? item : null)));
}
