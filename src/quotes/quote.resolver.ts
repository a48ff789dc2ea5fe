import { Arg, Args, Ctx, Field, FieldResolver, ID, Mutation, ObjectType, Resolver, Root } from 'type-graphql';
import { ConnectionType, PageArgs } from '../common/connection.js';
import type { MaybePromise } from '../common/maybe.js';
import { UserError } from '../common/user-error.js';
import type { Context } from '../context.js';
import { EDIT_RECORDS, readableCustomer, UNDER_CUSTOMER } from '../customers/customer-records.js';
import { Customer } from '../customers/customer.entity.js';
import { User } from '../users/user.entity.js';
import { userOf } from '../users/user.loaders.js';
import { QuoteItem } from './quote-item.entity.js';
import { Quote } from './quote.entity.js';
import { MAX_QUOTE_ITEMS, QuoteCreateInput, QuoteDeleteInput, QuoteStatusChangeInput, QuoteUpdateInput } from './quote.inputs.js';
import * as quotes from './quote.service.js';

export const QuoteConnection = ConnectionType('Quote', () => Quote);

@ObjectType({ description: 'The outcome of creating, editing or moving a quote.' })
export class QuotePayload {
  @Field(() => Quote, { nullable: true, description: 'The quote as saved; null when the mutation failed.' })
  quote?: Quote | null;

  @Field(() => [UserError], { description: 'Why the mutation failed, as stable codes (empty on success); nothing was changed then.' })
  userErrors!: UserError[];
}

@ObjectType({ description: 'The outcome of deleting a quote.' })
export class QuoteDeletePayload {
  @Field(() => ID, { nullable: true, description: 'The id of the deleted quote; null when the mutation failed.' })
  deletedQuoteId?: string | null;

  @Field(() => [UserError], { description: 'Why the mutation failed, as stable codes (empty on success); nothing was changed then.' })
  userErrors!: UserError[];
}

@Resolver(() => Quote)
export class QuoteResolver {
  @Mutation(() => QuotePayload, {
    description:
      `新建报价: a DRAFT quote with its lines; numbered and priced by the server in exact decimals. ${EDIT_RECORDS}; VALIDATION_FAILED (validUntil before quoteDate, an unknown currency, amounts too large). Writes no history event.`,
  })
  async quoteCreate(@Arg('input', () => QuoteCreateInput, { description: 'See QuoteCreateInput for what each field takes.' }) input: QuoteCreateInput, @Ctx() ctx: Context): Promise<QuotePayload> {
    return { quote: await quotes.createQuote(ctx, input), userErrors: [] };
  }

  @Mutation(() => QuotePayload, {
    description:
      `修改报价: only a DRAFT quote (INVALID_TRANSITION otherwise); items, when given, replace all lines. ${EDIT_RECORDS}; STALE_VERSION, VALIDATION_FAILED. Writes no history event.`,
  })
  async quoteUpdate(@Arg('input', () => QuoteUpdateInput, { description: 'See QuoteUpdateInput for what each field takes.' }) input: QuoteUpdateInput, @Ctx() ctx: Context): Promise<QuotePayload> {
    return { quote: await quotes.updateQuote(ctx, input), userErrors: [] };
  }

  @Mutation(() => QuotePayload, {
    description:
      `Moves a quote along DRAFT → SENT → ACCEPTED / REJECTED / EXPIRED: INVALID_TRANSITION for any other step, VALIDATION_FAILED for sending a quote without lines. ${EDIT_RECORDS}; STALE_VERSION. Writes no history event.`,
  })
  async quoteStatusChange(
    @Arg('input', () => QuoteStatusChangeInput, { description: 'See QuoteStatusChangeInput for what each field takes.' }) input: QuoteStatusChangeInput,
    @Ctx() ctx: Context,
  ): Promise<QuotePayload> {
    return { quote: await quotes.changeQuoteStatus(ctx, input), userErrors: [] };
  }

  @Mutation(() => QuoteDeletePayload, {
    description:
      `删除报价: the quote leaves the API (kept in the database). CONFLICT while a live contract was made from it. ${EDIT_RECORDS}; STALE_VERSION. Writes a RECORD_DELETED history event.`,
  })
  async quoteDelete(@Arg('input', () => QuoteDeleteInput, { description: 'See QuoteDeleteInput for what each field takes.' }) input: QuoteDeleteInput, @Ctx() ctx: Context): Promise<QuoteDeletePayload> {
    return { deletedQuoteId: await quotes.deleteQuote(ctx, input), userErrors: [] };
  }

  @FieldResolver(() => [QuoteItem], {
    description: `The lines, in order: a plain list of at most ${MAX_QUOTE_ITEMS}, counted as 10 toward the query cost.`,
  })
  items(@Root() quote: Quote, @Ctx() ctx: Context): MaybePromise<QuoteItem[]> {
    return ctx.loaders.quoteItemsByQuoteId.get(quote.id);
  }

  @FieldResolver(() => Customer, { nullable: true, description: 'The customer the quote is for; it moves with the customer and is visible to whoever sees the customer.' })
  customer(@Root() quote: Quote, @Ctx() ctx: Context): MaybePromise<Customer | null> {
    return readableCustomer(ctx, quote.customer.id);
  }

  @FieldResolver(() => User, { description: 'Who created the record.' })
  createdBy(@Root() quote: Quote, @Ctx() ctx: Context): MaybePromise<User> {
    return userOf(ctx, quote.createdBy.id);
  }
}

@Resolver(() => QuoteItem)
export class QuoteItemResolver {
  @FieldResolver(() => Quote, { nullable: true, description: 'The quote this line belongs to.' })
  quote(@Root() item: QuoteItem, @Ctx() ctx: Context): MaybePromise<Quote | null> {
    return quotes.readableQuote(ctx, item.quote.id);
  }
}

@Resolver(() => Customer)
export class CustomerQuotesResolver {
  @FieldResolver(() => QuoteConnection, { description: `报价: the customer\'s live quotes, newest first. ${UNDER_CUSTOMER}` })
  quotes(@Root() customer: Customer, @Args(() => PageArgs) args: PageArgs, @Ctx() ctx: Context) {
    return quotes.customerQuotes(ctx, customer, args);
  }
}
