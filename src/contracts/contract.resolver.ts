import { Arg, Args, Ctx, Field, FieldResolver, ID, Mutation, ObjectType, Resolver, Root } from 'type-graphql';
import { ConnectionType, PageArgs } from '../common/connection.js';
import type { MaybePromise } from '../common/maybe.js';
import { UserError } from '../common/user-error.js';
import type { Context } from '../context.js';
import { EDIT_RECORDS, readableCustomer, UNDER_CUSTOMER } from '../customers/customer-records.js';
import { Customer } from '../customers/customer.entity.js';
import { Quote } from '../quotes/quote.entity.js';
import { readableQuote } from '../quotes/quote.service.js';
import { User } from '../users/user.entity.js';
import { userOf } from '../users/user.loaders.js';
import { Contract } from './contract.entity.js';
import {
  ContractCreateInput,
  ContractDeleteInput,
  ContractStatusChangeInput,
  ContractUpdateInput,
  QuoteToContractInput,
} from './contract.inputs.js';
import * as contracts from './contract.service.js';

export const ContractConnection = ConnectionType('Contract', () => Contract);

@ObjectType({ description: 'The outcome of creating, editing or moving a contract.' })
export class ContractPayload {
  @Field(() => Contract, { nullable: true, description: 'The contract as saved; null when the mutation failed.' })
  contract?: Contract | null;

  @Field(() => [UserError], { description: 'Why the mutation failed, as stable codes (empty on success); nothing was changed then.' })
  userErrors!: UserError[];
}

@ObjectType({ description: 'The outcome of deleting a contract.' })
export class ContractDeletePayload {
  @Field(() => ID, { nullable: true, description: 'The id of the deleted contract; null when the mutation failed.' })
  deletedContractId?: string | null;

  @Field(() => [UserError], { description: 'Why the mutation failed, as stable codes (empty on success); nothing was changed then.' })
  userErrors!: UserError[];
}

@Resolver(() => Contract)
export class ContractResolver {
  @Mutation(() => ContractPayload, {
    description: `新建合同: a DRAFT contract of a customer, numbered by the server. ${EDIT_RECORDS}; VALIDATION_FAILED (endDate before startDate, an unknown currency). Writes no history event.`,
  })
  async contractCreate(@Arg('input', () => ContractCreateInput, { description: 'See ContractCreateInput for what each field takes.' }) input: ContractCreateInput, @Ctx() ctx: Context): Promise<ContractPayload> {
    return { contract: await contracts.createContract(ctx, input), userErrors: [] };
  }

  @Mutation(() => ContractPayload, {
    description:
      `An ACCEPTED quote becomes a DRAFT contract with its total and currency: INVALID_TRANSITION for a quote not ACCEPTED, CONFLICT when it already became a live contract. ${EDIT_RECORDS}; STALE_VERSION. Writes no history event.`,
  })
  async quoteToContract(@Arg('input', () => QuoteToContractInput, { description: 'See QuoteToContractInput for what each field takes.' }) input: QuoteToContractInput, @Ctx() ctx: Context): Promise<ContractPayload> {
    return { contract: await contracts.createContractFromQuote(ctx, input), userErrors: [] };
  }

  @Mutation(() => ContractPayload, {
    description:
      `修改合同: change a contract. ${EDIT_RECORDS}; STALE_VERSION, VALIDATION_FAILED (an amount below what is received or planned, a currency change once money is recorded, endDate before startDate). Writes no history event.`,
  })
  async contractUpdate(@Arg('input', () => ContractUpdateInput, { description: 'See ContractUpdateInput for what each field takes.' }) input: ContractUpdateInput, @Ctx() ctx: Context): Promise<ContractPayload> {
    return { contract: await contracts.updateContract(ctx, input), userErrors: [] };
  }

  @Mutation(() => ContractPayload, {
    description: `Moves a contract along DRAFT → ACTIVE → COMPLETED, or to TERMINATED: INVALID_TRANSITION for any other step. ${EDIT_RECORDS}; STALE_VERSION. Writes no history event.`,
  })
  async contractStatusChange(
    @Arg('input', () => ContractStatusChangeInput, { description: 'See ContractStatusChangeInput for what each field takes.' }) input: ContractStatusChangeInput,
    @Ctx() ctx: Context,
  ): Promise<ContractPayload> {
    return { contract: await contracts.changeContractStatus(ctx, input), userErrors: [] };
  }

  @Mutation(() => ContractDeletePayload, {
    description:
      `删除合同: the contract and its receivables leave the API (kept in the database); CONFLICT while it has receipts. ${EDIT_RECORDS}; STALE_VERSION. Writes RECORD_DELETED history events.`,
  })
  async contractDelete(@Arg('input', () => ContractDeleteInput, { description: 'See ContractDeleteInput for what each field takes.' }) input: ContractDeleteInput, @Ctx() ctx: Context): Promise<ContractDeletePayload> {
    return { deletedContractId: await contracts.deleteContract(ctx, input), userErrors: [] };
  }

  @FieldResolver(() => Quote, { nullable: true, description: 'The accepted quote it was made from (null when none or deleted).' })
  sourceQuote(@Root() contract: Contract, @Ctx() ctx: Context): MaybePromise<Quote | null> {
    return contract.sourceQuote ? readableQuote(ctx, contract.sourceQuote.id) : null;
  }

  @FieldResolver(() => Customer, { nullable: true, description: 'The customer of the contract; it moves with the customer and is visible to whoever sees the customer.' })
  customer(@Root() contract: Contract, @Ctx() ctx: Context): MaybePromise<Customer | null> {
    return readableCustomer(ctx, contract.customer.id);
  }

  @FieldResolver(() => User, { description: 'Who created the record.' })
  createdBy(@Root() contract: Contract, @Ctx() ctx: Context): MaybePromise<User> {
    return userOf(ctx, contract.createdBy.id);
  }
}

@Resolver(() => Quote)
export class QuoteContractResolver {
  @FieldResolver(() => Contract, { nullable: true, description: 'The live contract made from this quote, if any.' })
  contract(@Root() quote: Quote, @Ctx() ctx: Context): MaybePromise<Contract | null> {
    return contracts.contractOfQuote(ctx, quote);
  }
}

@Resolver(() => Customer)
export class CustomerContractsResolver {
  @FieldResolver(() => ContractConnection, { description: `合同: the customer\'s live contracts, newest first. ${UNDER_CUSTOMER}` })
  contracts(@Root() customer: Customer, @Args(() => PageArgs) args: PageArgs, @Ctx() ctx: Context) {
    return contracts.customerContracts(ctx, customer, args);
  }
}
