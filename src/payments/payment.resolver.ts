import { Arg, Args, Ctx, Field, FieldResolver, ID, Mutation, ObjectType, Resolver, Root } from 'type-graphql';
import { ConnectionType, PageArgs } from '../common/connection.js';
import { andThen, type MaybePromise } from '../common/maybe.js';
import { DecimalScalar } from '../common/scalars.js';
import { UserError } from '../common/user-error.js';
import type { Context } from '../context.js';
import { Contract } from '../contracts/contract.entity.js';
import { readableContract } from '../contracts/contract.service.js';
import { Customer } from '../customers/customer.entity.js';
import { EDIT_RECORDS, UNDER_CUSTOMER } from '../customers/customer-records.js';
import { User } from '../users/user.entity.js';
import { userOf } from '../users/user.loaders.js';
import { ContractTotals, MoneyTotals } from './money-totals.js';
import {
  ReceiptCreateInput,
  ReceiptUpdateInput,
  ReceivableCreateInput,
  ReceivableUpdateInput,
  ReceiptDeleteInput,
  ReceivableDeleteInput,
} from './payment.inputs.js';
import * as payments from './payment.service.js';
import * as paymentReads from './payment-reads.js';
import { Receipt } from './receipt.entity.js';
import { Receivable, ReceivableStatus } from './receivable.entity.js';

export const ReceivableConnection = ConnectionType('Receivable', () => Receivable);
export const ReceiptConnection = ConnectionType('Receipt', () => Receipt);

@ObjectType({ description: 'The outcome of creating or editing a receivable.' })
export class ReceivablePayload {
  @Field(() => Receivable, { nullable: true, description: 'The receivable as saved; null when the mutation failed.' })
  receivable?: Receivable | null;

  @Field(() => [UserError], { description: 'Why the mutation failed, as stable codes (empty on success); nothing was changed then.' })
  userErrors!: UserError[];
}

@ObjectType({ description: 'The outcome of deleting a receivable.' })
export class ReceivableDeletePayload {
  @Field(() => ID, { nullable: true, description: 'The id of the deleted receivable; null when the mutation failed.' })
  deletedReceivableId?: string | null;

  @Field(() => [UserError], { description: 'Why the mutation failed, as stable codes (empty on success); nothing was changed then.' })
  userErrors!: UserError[];
}

@ObjectType({ description: 'The outcome of creating or editing a receipt.' })
export class ReceiptPayload {
  @Field(() => Receipt, { nullable: true, description: 'The receipt as saved; null when the mutation failed.' })
  receipt?: Receipt | null;

  @Field(() => [UserError], { description: 'Why the mutation failed, as stable codes (empty on success); nothing was changed then.' })
  userErrors!: UserError[];
}

@ObjectType({ description: 'The outcome of deleting a receipt.' })
export class ReceiptDeletePayload {
  @Field(() => ID, { nullable: true, description: 'The id of the deleted receipt; null when the mutation failed.' })
  deletedReceiptId?: string | null;

  @Field(() => [UserError], { description: 'Why the mutation failed, as stable codes (empty on success); nothing was changed then.' })
  userErrors!: UserError[];
}


@Resolver(() => Receivable)
export class ReceivableResolver {
  @Mutation(() => ReceivablePayload, {
    description:
      `新建应收: plan a payment of a contract. ${EDIT_RECORDS}; VALIDATION_FAILED when the receivables together would exceed the contract amount. Writes no history event.`,
  })
  async receivableCreate(@Arg('input', () => ReceivableCreateInput, { description: 'See ReceivableCreateInput for what each field takes.' }) input: ReceivableCreateInput, @Ctx() ctx: Context): Promise<ReceivablePayload> {
    return { receivable: await payments.createReceivable(ctx, input), userErrors: [] };
  }

  @Mutation(() => ReceivablePayload, {
    description:
      `修改应收: change a planned payment. ${EDIT_RECORDS}; STALE_VERSION, VALIDATION_FAILED (an amount below what is received against it, or a plan above the contract amount). Writes no history event.`,
  })
  async receivableUpdate(@Arg('input', () => ReceivableUpdateInput, { description: 'See ReceivableUpdateInput for what each field takes.' }) input: ReceivableUpdateInput, @Ctx() ctx: Context): Promise<ReceivablePayload> {
    return { receivable: await payments.updateReceivable(ctx, input), userErrors: [] };
  }

  @Mutation(() => ReceivableDeletePayload, {
    description:
      `删除应收: the receivable leaves the API (kept in the database); CONFLICT while receipts settle it. ${EDIT_RECORDS}; STALE_VERSION. Writes a RECORD_DELETED history event.`,
  })
  async receivableDelete(@Arg('input', () => ReceivableDeleteInput, { description: 'See ReceivableDeleteInput for what each field takes.' }) input: ReceivableDeleteInput, @Ctx() ctx: Context): Promise<ReceivableDeletePayload> {
    return { deletedReceivableId: await payments.deleteReceivable(ctx, input), userErrors: [] };
  }

  @FieldResolver(() => DecimalScalar, { description: 'Σ receipts against it.' })
  received(@Root() receivable: Receivable, @Ctx() ctx: Context): MaybePromise<string> {
    return andThen(paymentReads.receivableState(ctx, receivable), (state) => state.received);
  }

  @FieldResolver(() => DecimalScalar, { description: 'amount − received.' })
  outstanding(@Root() receivable: Receivable, @Ctx() ctx: Context): MaybePromise<string> {
    return andThen(paymentReads.receivableState(ctx, receivable), (state) => state.outstanding);
  }

  @FieldResolver(() => ReceivableStatus, { description: 'OUTSTANDING, PARTLY_RECEIVED, RECEIVED or OVERDUE, from the receipts against it and the due date.' })
  status(@Root() receivable: Receivable, @Ctx() ctx: Context): MaybePromise<ReceivableStatus> {
    return andThen(paymentReads.receivableState(ctx, receivable), (state) => state.status);
  }

  @FieldResolver(() => ReceiptConnection, { description: `Receipts against it, latest first. ${UNDER_CUSTOMER}` })
  receipts(@Root() receivable: Receivable, @Args(() => PageArgs) args: PageArgs, @Ctx() ctx: Context) {
    return paymentReads.receivableReceipts(ctx, receivable, args);
  }

  @FieldResolver(() => Contract, { nullable: true, description: 'The contract of the receivable.' })
  contract(@Root() receivable: Receivable, @Ctx() ctx: Context): MaybePromise<Contract | null> {
    return readableContract(ctx, receivable.contract.id);
  }

  @FieldResolver(() => User, { description: 'Who created the record.' })
  createdBy(@Root() receivable: Receivable, @Ctx() ctx: Context): MaybePromise<User> {
    return userOf(ctx, receivable.createdBy.id);
  }
}

@Resolver(() => Receipt)
export class ReceiptResolver {
  @Mutation(() => ReceiptPayload, {
    description:
      `新建已收: record money received for a contract. ${EDIT_RECORDS}; VALIDATION_FAILED (more than is outstanding on the contract or receivable, a receivedOn after today, a receivable of another contract). Writes no history event.`,
  })
  async receiptCreate(@Arg('input', () => ReceiptCreateInput, { description: 'See ReceiptCreateInput for what each field takes.' }) input: ReceiptCreateInput, @Ctx() ctx: Context): Promise<ReceiptPayload> {
    return { receipt: await payments.createReceipt(ctx, input), userErrors: [] };
  }

  @Mutation(() => ReceiptPayload, {
    description: `修改已收: change a receipt. ${EDIT_RECORDS}; STALE_VERSION, VALIDATION_FAILED (as for receiptCreate). Writes no history event.`,
  })
  async receiptUpdate(@Arg('input', () => ReceiptUpdateInput, { description: 'See ReceiptUpdateInput for what each field takes.' }) input: ReceiptUpdateInput, @Ctx() ctx: Context): Promise<ReceiptPayload> {
    return { receipt: await payments.updateReceipt(ctx, input), userErrors: [] };
  }

  @Mutation(() => ReceiptDeletePayload, {
    description:
      `删除已收: the receipt leaves the API (kept in the database) and the totals follow. ${EDIT_RECORDS}; STALE_VERSION. Writes a RECORD_DELETED history event.`,
  })
  async receiptDelete(@Arg('input', () => ReceiptDeleteInput, { description: 'See ReceiptDeleteInput for what each field takes.' }) input: ReceiptDeleteInput, @Ctx() ctx: Context): Promise<ReceiptDeletePayload> {
    return { deletedReceiptId: await payments.deleteReceipt(ctx, input), userErrors: [] };
  }

  @FieldResolver(() => Contract, { nullable: true, description: 'The contract of the receipt.' })
  contract(@Root() receipt: Receipt, @Ctx() ctx: Context): MaybePromise<Contract | null> {
    return readableContract(ctx, receipt.contract.id);
  }

  @FieldResolver(() => Receivable, { nullable: true, description: 'The receivable it settles (in part), if any.' })
  receivable(@Root() receipt: Receipt, @Ctx() ctx: Context): MaybePromise<Receivable | null> {
    return receipt.receivable ? paymentReads.readableReceivable(ctx, receipt.receivable.id) : null;
  }

  @FieldResolver(() => User, { description: 'Who created the record.' })
  createdBy(@Root() receipt: Receipt, @Ctx() ctx: Context): MaybePromise<User> {
    return userOf(ctx, receipt.createdBy.id);
  }
}

@Resolver(() => Contract)
export class ContractPaymentsResolver {
  @FieldResolver(() => ReceivableConnection, { description: `应收: the contract\'s planned payments by due date. ${UNDER_CUSTOMER}` })
  receivables(@Root() contract: Contract, @Args(() => PageArgs) args: PageArgs, @Ctx() ctx: Context) {
    return paymentReads.contractReceivables(ctx, contract, args);
  }

  @FieldResolver(() => ReceiptConnection, { description: `已收: the contract\'s receipts, latest first. ${UNDER_CUSTOMER}` })
  receipts(@Root() contract: Contract, @Args(() => PageArgs) args: PageArgs, @Ctx() ctx: Context) {
    return paymentReads.contractReceipts(ctx, contract, args);
  }

  @FieldResolver(() => ContractTotals, { description: 'amount, received, outstanding, overdue: computed from the rows.' })
  totals(@Root() contract: Contract, @Ctx() ctx: Context): MaybePromise<ContractTotals> {
    return ctx.loaders.contractTotalsById.get(contract.id);
  }
}

@Resolver(() => Customer)
export class CustomerMoneyResolver {
  @FieldResolver(() => [MoneyTotals], { description: 'Contracted, received, outstanding and overdue per currency over live contracts.' })
  moneyTotals(@Root() customer: Customer, @Ctx() ctx: Context): MaybePromise<MoneyTotals[]> {
    return paymentReads.customerMoneyTotals(ctx, customer);
  }

  @FieldResolver(() => ReceivableConnection, { description: `应收 of all the customer\'s live contracts, by due date. ${UNDER_CUSTOMER}` })
  receivables(@Root() customer: Customer, @Args(() => PageArgs) args: PageArgs, @Ctx() ctx: Context) {
    return paymentReads.customerReceivables(ctx, customer, args);
  }

  @FieldResolver(() => ReceiptConnection, { description: `已收 of all the customer\'s live contracts, latest first. ${UNDER_CUSTOMER}` })
  receipts(@Root() customer: Customer, @Args(() => PageArgs) args: PageArgs, @Ctx() ctx: Context) {
    return paymentReads.customerReceipts(ctx, customer, args);
  }
}

