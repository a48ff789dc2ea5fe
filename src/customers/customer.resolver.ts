import { Arg, Args, Ctx, Field, FieldResolver, ID, Mutation, ObjectType, Query, Resolver, Root, registerEnumType } from 'type-graphql';
import { ConnectionType, PageArgs } from '../common/connection.js';
import { maskAddress, maskEmail, maskPhone } from '../common/masking.js';
import { andThen, type MaybePromise } from '../common/maybe.js';
import { UserError } from '../common/user-error.js';
import type { Context } from '../context.js';
import { User } from '../users/user.entity.js';
import { maybeUserOf, userOf, usersOf } from '../users/user.loaders.js';
import { pageUnderCustomer, UNDER_CUSTOMER } from './customer-records.js';
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

@ObjectType({ description: 'The outcome of creating or editing one customer: the customer, or why not (userErrors).' })
export class CustomerPayload {
  @Field(() => Customer, { nullable: true, description: 'The customer as saved; null when the mutation failed.' })
  customer?: Customer | null;

  @Field(() => [UserError], { description: 'Why the mutation failed (empty on success).' })
  userErrors!: UserError[];
}

@ObjectType({ description: 'The outcome for one customer of a pool action.' })
export class CustomerActionResult {
  @Field(() => ID, { description: 'The customer id as requested.' })
  customerId!: string;

  @Field(() => Customer, { nullable: true, description: 'The customer after the action, when the viewer can still see it.' })
  customer?: Customer | null;

  @Field(() => [UserError], { description: 'Why the action failed for this customer (empty on success).' })
  userErrors!: UserError[];
}

@ObjectType({ description: 'The outcome of a batch action on customers: one result per customer, each fully applied or not at all.' })
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
registerEnumType(DuplicateMatchField, {
  name: 'DuplicateMatchField',
  description: 'What made a customer a possible duplicate in the duplicate check (同名检查).',
  valuesConfig: {
    NAME: { description: 'The normalised name equals or contains the one checked.' },
    PHONE: { description: "The customer's phone has the same digits as the one checked." },
  },
});

@ObjectType({ description: 'A similar live customer: existence, state and owner only.' })
export class CustomerDuplicate {
  @Field(() => String, { description: 'The similar customer\'s name.' })
  name!: string;

  @Field(() => CustomerStatus, { description: 'Its state: in the pool (claimable), owned, or archived.' })
  status!: CustomerStatus;

  @Field(() => String, { nullable: true, description: 'Display name of its owner; null in the pool.' })
  ownerName?: string | null;

  @Field(() => Customer, { nullable: true, description: 'Null when the viewer may not see it.' })
  customer?: Customer | null;

  @Field(() => Boolean, { description: 'Whether the viewer could claim it now.' })
  canClaim!: boolean;

  @Field(() => [DuplicateMatchField], { description: 'Whether the name, the phone, or both matched.' })
  matchedOn!: DuplicateMatchField[];
}

const results = async (run: Promise<batch.ActionResult[]>): Promise<CustomersActionPayload> => ({
  results: await run,
  userErrors: [],
});

@Resolver(() => Customer)
export class CustomerResolver {
  @Query(() => Customer, {
    nullable: true,
    description:
      'One customer by id. Null when it does not exist or the viewer may not see it (pool customers: everyone; owned: owner, sharees, managers above the owner, admins; archived: admins).',
  })
  customer(@Arg('id', () => ID, { description: 'The customer\'s global id.' }) id: string, @Ctx() ctx: Context): MaybePromise<Customer | null> {
    return customers.getCustomer(ctx, id);
  }

  @Query(() => CustomerConnection, {
    description:
      'One customer list: 客户池 (POOL), 我的客户 (MINE), 共享客户 (SHARED_WITH_ME), 下级客户 (SUBORDINATES), or ALL / ARCHIVED for admins (others: FORBIDDEN), ' +
      'always limited to what the viewer may see; pool contact details are masked for SALES viewers (a setting, on by default). Default order: most recently updated first; ' +
      'pages of 1 to 100 (default 20), each customer counting toward the query cost.',
  })
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

  @Mutation(() => CustomerPayload, {
    description:
      '新建: create a pool customer (claim: false), or 新建并领用: create and own it (claim: true, within the claim rules: LIMIT_REACHED). ' +
      'Any active user; DUPLICATE_CUSTOMER when a live customer has the same normalised name, VALIDATION_FAILED for bad fields. Writes a CREATE history event.',
  })
  async customerCreate(@Arg('input', () => CustomerCreateInput, { description: 'See CustomerCreateInput for what each field takes.' }) input: CustomerCreateInput, @Ctx() ctx: Context): Promise<CustomerPayload> {
    return { customer: await customers.createCustomer(ctx, input), userErrors: [] };
  }

  @Mutation(() => CustomerPayload, {
    description:
      '修改: change fields of one customer. The owner, a manager for pool customers, or an admin (FORBIDDEN otherwise; NOT_FOUND when invisible); ' +
      'STALE_VERSION when expectedVersion is old, DUPLICATE_CUSTOMER for a taken name. Writes an UPDATE history event naming the changed fields.',
  })
  async customerUpdate(@Arg('input', () => CustomerUpdateInput, { description: 'See CustomerUpdateInput for what each field takes.' }) input: CustomerUpdateInput, @Ctx() ctx: Context): Promise<CustomerPayload> {
    return { customer: await customers.updateCustomer(ctx, input), userErrors: [] };
  }

  @Mutation(() => CustomersActionPayload, {
    description:
      '批量修改: set level, industry, region or source on up to 100 customers, each needing edit rights (FORBIDDEN / NOT_FOUND per customer). Writes an UPDATE history event per changed customer.',
  })
  customersUpdate(@Arg('input', () => CustomersUpdateInput, { description: 'See CustomersUpdateInput for what each field takes.' }) input: CustomersUpdateInput, @Ctx() ctx: Context) {
    return results(batch.updateCustomers(ctx, input));
  }

  @Mutation(() => CustomersActionPayload, {
    description:
      '领用: take pool customers as their owner (any active user). Per customer: ALREADY_CLAIMED (someone won the race), INVALID_TRANSITION, COOLDOWN, LIMIT_REACHED (daily claim limit, ownership cap), NOT_FOUND. Writes a CLAIM history event.',
  })
  customersClaim(@Arg('input', () => CustomersActionInput, { description: 'See CustomersActionInput for what each field takes.' }) input: CustomersActionInput, @Ctx() ctx: Context) {
    return results(pool.claim(ctx, input));
  }

  @Mutation(() => CustomersActionPayload, {
    description:
      '归还: the owner gives own customers back to the pool; their shares end. Per customer: FORBIDDEN (not the owner), INVALID_TRANSITION (not owned), NOT_FOUND. Writes a RETURN history event.',
  })
  customersReturn(@Arg('input', () => CustomersActionInput, { description: 'See CustomersActionInput for what each field takes.' }) input: CustomersActionInput, @Ctx() ctx: Context) {
    return results(pool.giveBack(ctx, input));
  }

  @Mutation(() => CustomersActionPayload, {
    description:
      '指派: make assigneeId the owner. The owner (to anyone), a manager (pool or subordinates\' customers, to self or a subordinate), an admin (any). Per customer: FORBIDDEN, INVALID_TRANSITION (assignee owns it already), LIMIT_REACHED (assignee\'s ownership cap), NOT_FOUND. Shares end unless keepShares; writes an ASSIGN history event.',
  })
  customersAssign(@Arg('input', () => CustomersAssignInput, { description: 'See CustomersAssignInput for what each field takes.' }) input: CustomersAssignInput, @Ctx() ctx: Context) {
    return results(pool.assign(ctx, input));
  }

  @Mutation(() => CustomersActionPayload, {
    description:
      '收回: a manager above the owner (any level) or an admin takes owned customers back to the pool; their shares end. Per customer: FORBIDDEN, INVALID_TRANSITION, NOT_FOUND. Writes a RECLAIM history event.',
  })
  customersReclaim(@Arg('input', () => CustomersActionInput, { description: 'See CustomersActionInput for what each field takes.' }) input: CustomersActionInput, @Ctx() ctx: Context) {
    return results(pool.reclaim(ctx, input));
  }

  @Mutation(() => CustomersActionPayload, {
    description:
      '共享: give colleagues read-only access to owned customers (the owner or an admin). VALIDATION_FAILED for an unknown, deactivated or owning user; per customer FORBIDDEN, INVALID_TRANSITION (not owned), NOT_FOUND. Writes a SHARE history event when someone was added.',
  })
  customersShare(@Arg('input', () => CustomersShareInput, { description: 'See CustomersShareInput for what each field takes.' }) input: CustomersShareInput, @Ctx() ctx: Context) {
    return results(pool.share(ctx, input));
  }

  @Mutation(() => CustomersActionPayload, {
    description:
      '取消共享: take read-only access away (the owner or an admin). Per customer: FORBIDDEN, INVALID_TRANSITION (not owned), NOT_FOUND. Writes an UNSHARE history event when someone was removed.',
  })
  customersUnshare(@Arg('input', () => CustomersShareInput, { description: 'See CustomersShareInput for what each field takes.' }) input: CustomersShareInput, @Ctx() ctx: Context) {
    return results(pool.unshare(ctx, input));
  }

  @Mutation(() => CustomersActionPayload, {
    description:
      '变更共享: replace the sharees of one customer with userIds (the owner or an admin). Same errors as customersShare; writes UNSHARE and SHARE history events for who was removed and added.',
  })
  async customerSharesSet(@Arg('input', () => CustomerSharesSetInput, { description: 'See CustomerSharesSetInput for what each field takes.' }) input: CustomerSharesSetInput, @Ctx() ctx: Context) {
    return { results: [await pool.setShares(ctx, input)], userErrors: [] };
  }

  @Mutation(() => CustomersActionPayload, {
    description:
      '删除: an admin archives pool customers (kept forever, restorable). Per customer: INVALID_TRANSITION (not in the pool), FORBIDDEN (not an admin), NOT_FOUND. Writes an ARCHIVE history event.',
  })
  customersArchive(@Arg('input', () => CustomersActionInput, { description: 'See CustomersActionInput for what each field takes.' }) input: CustomersActionInput, @Ctx() ctx: Context) {
    return results(pool.archive(ctx, input));
  }

  @Mutation(() => CustomersActionPayload, {
    description:
      'An admin brings archived customers back to the pool. Per customer: DUPLICATE_CUSTOMER (a live customer took the name meanwhile), INVALID_TRANSITION, NOT_FOUND for others. Writes a RESTORE history event.',
  })
  customersRestore(@Arg('input', () => CustomersActionInput, { description: 'See CustomersActionInput for what each field takes.' }) input: CustomersActionInput, @Ctx() ctx: Context) {
    return results(pool.restore(ctx, input));
  }

  @FieldResolver(() => User, { nullable: true, description: '领用人: the user who owns the customer; null in the pool and in the archive.' })
  owner(@Root() customer: Customer, @Ctx() ctx: Context): MaybePromise<User | null> {
    return maybeUserOf(ctx, customer.owner?.id);
  }

  @FieldResolver(() => User, { description: 'Who created the customer.' })
  createdBy(@Root() customer: Customer, @Ctx() ctx: Context): MaybePromise<User> {
    return userOf(ctx, customer.createdBy.id);
  }

  @FieldResolver(() => Boolean, { description: 'Contact details are masked for the viewer (pool, SALES).' })
  masked(@Root() customer: Customer, @Ctx() ctx: Context): boolean {
    return customers.masksFor(ctx, customer);
  }

  @FieldResolver(() => String, { nullable: true, description: 'Phone. Masked in the pool for SALES viewers (only its first 3 digits shown).' })
  phone(@Root() customer: Customer, @Ctx() ctx: Context): string | null {
    return customers.masksFor(ctx, customer) ? maskPhone(customer.phone) : (customer.phone ?? null);
  }

  @FieldResolver(() => String, { nullable: true, description: 'Email address. Masked in the pool for SALES viewers.' })
  email(@Root() customer: Customer, @Ctx() ctx: Context): string | null {
    return customers.masksFor(ctx, customer) ? maskEmail(customer.email) : (customer.email ?? null);
  }

  @FieldResolver(() => String, { nullable: true, description: 'Address. Masked in the pool for SALES viewers.' })
  address(@Root() customer: Customer, @Ctx() ctx: Context): string | null {
    return customers.masksFor(ctx, customer) ? maskAddress(customer.address) : (customer.address ?? null);
  }

  @FieldResolver(() => [User], {
    description: '共享: the colleagues the customer is shared with (read-only); a plain list, counted as 10 toward the query cost.',
  })
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

  @FieldResolver(() => OwnershipEventConnection, {
    description: `The customer\'s history: every ownership change, share, edit and deleted record, newest first. ${UNDER_CUSTOMER}`,
  })
  history(@Root() customer: Customer, @Args(() => PageArgs) args: PageArgs, @Ctx() ctx: Context) {
    return pageUnderCustomer(ctx, customer, (id) => ctx.loaders.historyPage(args).get(id));
  }
}
