import { Arg, Args, Ctx, Field, FieldResolver, ID, Mutation, ObjectType, Query, Resolver, Root, registerEnumType } from 'type-graphql';
import { ConnectionType, PageArgs } from '../common/connection.js';
import { maskAddress, maskEmail, maskPhone } from '../common/masking.js';
import { andThen, type MaybePromise } from '../common/maybe.js';
import { UserError } from '../common/user-error.js';
import type { Context } from '../context.js';
import { User } from '../users/user.entity.js';
import { maybeUserOf, userOf, usersOf } from '../users/user.loaders.js';
import { pageUnderCustomer } from './customer-records.js';
import { Customer, CustomerStatus } from './customer.entity.js';
import {
  CustomerCreateInput,
  CustomerDuplicatesArgs,
  CustomersActionInput,
  CustomersArgs,
  CustomersAssignInput,
  CustomerSharesSetInput,
  CustomersShareInput,
  CustomerUpdateInput,
  CustomersUpdateInput,
} from './customer.inputs.js';
import * as batch from './customer-batch.js';
import { listCustomers } from './customer-list.js';
import * as customers from './customer.service.js';
import { OwnershipEvent } from './ownership-event.entity.js';
import { ClaimBlock } from '../pool-rules/pool-limits.js';
import { CustomerAction } from './pool.js';
import * as pool from './pool.service.js';

export const CustomerConnection = ConnectionType('Customer', () => Customer);
export const OwnershipEventConnection = ConnectionType('OwnershipEvent', () => OwnershipEvent);

@ObjectType()
export class CustomerPayload {
  @Field(() => Customer, { nullable: true })
  customer?: Customer | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@ObjectType({ description: 'The outcome for one customer of a pool action.' })
export class CustomerActionResult {
  @Field(() => ID)
  customerId!: string;

  @Field(() => Customer, { nullable: true, description: 'The customer after the action, when the viewer can still see it.' })
  customer?: Customer | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@ObjectType()
export class CustomersActionPayload {
  @Field(() => [CustomerActionResult], { description: 'One per requested id, in order.' })
  results!: CustomerActionResult[];

  @Field(() => [UserError], { description: 'Errors of the request as a whole (then results is empty).' })
  userErrors!: UserError[];
}

export enum DuplicateMatchField {
  NAME = 'NAME',
  PHONE = 'PHONE',
}
registerEnumType(DuplicateMatchField, { name: 'DuplicateMatchField' });

@ObjectType({ description: 'A similar live customer: existence, state and owner only.' })
export class CustomerDuplicate {
  @Field(() => String)
  name!: string;

  @Field(() => CustomerStatus)
  status!: CustomerStatus;

  @Field(() => String, { nullable: true })
  ownerName?: string | null;

  @Field(() => Customer, { nullable: true, description: 'Null when the viewer may not see it.' })
  customer?: Customer | null;

  @Field(() => Boolean, { description: 'Whether the viewer could claim it now.' })
  canClaim!: boolean;

  @Field(() => [DuplicateMatchField])
  matchedOn!: DuplicateMatchField[];
}

const results = async (run: Promise<batch.ActionResult[]>): Promise<CustomersActionPayload> => ({
  results: await run,
  userErrors: [],
});

@Resolver(() => Customer)
export class CustomerResolver {
  @Query(() => Customer, { nullable: true, description: 'Null when it does not exist or is not visible.' })
  customer(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): MaybePromise<Customer | null> {
    return customers.getCustomer(ctx, id);
  }

  @Query(() => CustomerConnection)
  customers(@Args(() => CustomersArgs) args: CustomersArgs, @Ctx() ctx: Context) {
    return listCustomers(ctx, args);
  }

  @Query(() => [CustomerDuplicate], {
    description:
      '同名检查: similar live customers by name or phone. The name must keep at least 2 letters or digits once normalised; ' +
      'matches the viewer cannot see are capped (exact names first); checks per user are rate-limited (TOO_MANY_REQUESTS).',
  })
  async customerDuplicates(
    @Args(() => CustomerDuplicatesArgs) args: CustomerDuplicatesArgs,
    @Ctx() ctx: Context,
  ): Promise<CustomerDuplicate[]> {
    const matches = await customers.findDuplicates(ctx, args.name, args.phone);
    return matches.map((m) => ({
      name: m.customer.name,
      status: m.customer.status,
      ownerName: m.ownerName,
      customer: m.visible ? m.customer : null,
      canClaim: m.canClaim,
      matchedOn: m.matchedOn.map((f) => DuplicateMatchField[f]),
    }));
  }

  @Mutation(() => CustomerPayload, { description: '新建 (claim: false) or 新建并领用 (claim: true).' })
  async customerCreate(@Arg('input', () => CustomerCreateInput) input: CustomerCreateInput, @Ctx() ctx: Context): Promise<CustomerPayload> {
    return { customer: await customers.createCustomer(ctx, input), userErrors: [] };
  }

  @Mutation(() => CustomerPayload)
  async customerUpdate(@Arg('input', () => CustomerUpdateInput) input: CustomerUpdateInput, @Ctx() ctx: Context): Promise<CustomerPayload> {
    return { customer: await customers.updateCustomer(ctx, input), userErrors: [] };
  }

  @Mutation(() => CustomersActionPayload, { description: '批量修改: level, industry, region, source of up to 100 customers.' })
  customersUpdate(@Arg('input', () => CustomersUpdateInput) input: CustomersUpdateInput, @Ctx() ctx: Context) {
    return results(batch.updateCustomers(ctx, input));
  }

  @Mutation(() => CustomersActionPayload, { description: '领用' })
  customersClaim(@Arg('input', () => CustomersActionInput) input: CustomersActionInput, @Ctx() ctx: Context) {
    return results(pool.claim(ctx, input));
  }

  @Mutation(() => CustomersActionPayload, { description: '归还' })
  customersReturn(@Arg('input', () => CustomersActionInput) input: CustomersActionInput, @Ctx() ctx: Context) {
    return results(pool.giveBack(ctx, input));
  }

  @Mutation(() => CustomersActionPayload, { description: '指派' })
  customersAssign(@Arg('input', () => CustomersAssignInput) input: CustomersAssignInput, @Ctx() ctx: Context) {
    return results(pool.assign(ctx, input));
  }

  @Mutation(() => CustomersActionPayload, { description: '收回' })
  customersReclaim(@Arg('input', () => CustomersActionInput) input: CustomersActionInput, @Ctx() ctx: Context) {
    return results(pool.reclaim(ctx, input));
  }

  @Mutation(() => CustomersActionPayload, { description: '共享' })
  customersShare(@Arg('input', () => CustomersShareInput) input: CustomersShareInput, @Ctx() ctx: Context) {
    return results(pool.share(ctx, input));
  }

  @Mutation(() => CustomersActionPayload, { description: '取消共享' })
  customersUnshare(@Arg('input', () => CustomersShareInput) input: CustomersShareInput, @Ctx() ctx: Context) {
    return results(pool.unshare(ctx, input));
  }

  @Mutation(() => CustomersActionPayload, { description: '变更共享: replace the sharees of one customer.' })
  async customerSharesSet(@Arg('input', () => CustomerSharesSetInput) input: CustomerSharesSetInput, @Ctx() ctx: Context) {
    return { results: [await pool.setShares(ctx, input)], userErrors: [] };
  }

  @Mutation(() => CustomersActionPayload, { description: '删除: archive pool customers (admins).' })
  customersArchive(@Arg('input', () => CustomersActionInput) input: CustomersActionInput, @Ctx() ctx: Context) {
    return results(pool.archive(ctx, input));
  }

  @Mutation(() => CustomersActionPayload, { description: 'Restore archived customers to the pool (admins).' })
  customersRestore(@Arg('input', () => CustomersActionInput) input: CustomersActionInput, @Ctx() ctx: Context) {
    return results(pool.restore(ctx, input));
  }

  @FieldResolver(() => User, { nullable: true })
  owner(@Root() customer: Customer, @Ctx() ctx: Context): MaybePromise<User | null> {
    return maybeUserOf(ctx, customer.owner?.id);
  }

  @FieldResolver(() => User)
  createdBy(@Root() customer: Customer, @Ctx() ctx: Context): MaybePromise<User> {
    return userOf(ctx, customer.createdBy.id);
  }

  @FieldResolver(() => Boolean, { description: 'Contact details are masked for the viewer (pool, SALES).' })
  masked(@Root() customer: Customer, @Ctx() ctx: Context): boolean {
    return customers.masksFor(ctx, customer);
  }

  @FieldResolver(() => String, { nullable: true, description: 'Masked in the pool for SALES viewers.' })
  phone(@Root() customer: Customer, @Ctx() ctx: Context): string | null {
    return customers.masksFor(ctx, customer) ? maskPhone(customer.phone) : (customer.phone ?? null);
  }

  @FieldResolver(() => String, { nullable: true, description: 'Masked in the pool for SALES viewers.' })
  email(@Root() customer: Customer, @Ctx() ctx: Context): string | null {
    return customers.masksFor(ctx, customer) ? maskEmail(customer.email) : (customer.email ?? null);
  }

  @FieldResolver(() => String, { nullable: true, description: 'Masked in the pool for SALES viewers.' })
  address(@Root() customer: Customer, @Ctx() ctx: Context): string | null {
    return customers.masksFor(ctx, customer) ? maskAddress(customer.address) : (customer.address ?? null);
  }

  @FieldResolver(() => [User], { description: 'Colleagues with read-only access.' })
  sharedWith(@Root() customer: Customer, @Ctx() ctx: Context): MaybePromise<User[]> {
    return andThen(ctx.loaders.shareUserIdsByCustomerId.get(customer.id), (ids) => usersOf(ctx, ids));
  }

  @FieldResolver(() => [CustomerAction], {
    description:
      'What the viewer may do now (buttons to show). CLAIM only where the pool rules (cool-down, daily claim limit, ownership cap) let the claim through now; claimBlockedBy says which rule stops it otherwise.',
  })
  allowedActions(@Root() customer: Customer, @Ctx() ctx: Context): MaybePromise<CustomerAction[]> {
    return customers.allowedActionsFor(ctx, customer);
  }

  @FieldResolver(() => ClaimBlock, {
    nullable: true,
    description:
      'Why the viewer cannot claim this pool customer now although it is in the pool: the first pool rule a claim would fail (then allowedActions leaves CLAIM out). Null when a claim would pass them, and for customers not in the pool.',
  })
  claimBlockedBy(@Root() customer: Customer, @Ctx() ctx: Context): MaybePromise<ClaimBlock | null> {
    return customers.claimBlockFor(ctx, customer);
  }

  @FieldResolver(() => OwnershipEventConnection, { description: 'Every change, newest first.' })
  history(@Root() customer: Customer, @Args(() => PageArgs) args: PageArgs, @Ctx() ctx: Context) {
    return pageUnderCustomer(ctx, customer, (id) => ctx.loaders.historyPage(args).get(id));
  }
}
