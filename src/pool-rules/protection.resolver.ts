import { Max, Min } from 'class-validator';
import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { UserError } from '../common/user-error.js';
import type { Context } from '../context.js';
import { Customer } from '../customers/customer.entity.js';
import { CustomerView } from '../customers/customer.inputs.js';
import { CustomerConnection } from '../customers/customer.resolver.js';
import { OwnershipEvent } from '../customers/ownership-event.entity.js';
import { ReturnRule } from './protection.js';
import * as protection from './protection.service.js';
import { PoolSettings, PoolSettingsInput } from './pool-settings.js';
import { andThen, type MaybePromise } from '../common/maybe.js';

@ArgsType()
class ReturningSoonArgs {
  @Field(() => Int, { description: 'Customers that return to the pool within this many days (overdue ones included).' })
  @Min(0)
  @Max(3650)
  withinDays!: number;

  @Field(() => CustomerView, { defaultValue: CustomerView.MINE, description: 'MINE, or SUBORDINATES for a manager.' })
  view!: CustomerView;

  @Field(() => Int, { nullable: true, description: 'Page size, 1 to 100 (default 20).' })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'Start after this cursor (an endCursor of the same list).' })
  after?: string | null;
}

@ObjectType({ description: 'What new pool settings would do at the next sweep.' })
export class PoolSettingsPreview {
  @Field(() => PoolSettings, { description: 'The settings as they would be saved.' })
  settings!: PoolSettings;

  @Field(() => Int, { description: 'Customers the next sweep would return to the pool.' })
  returnCount!: number;

  @Field(() => [Customer], { description: 'The first 100 of them, soonest due first.' })
  customers!: Customer[];

  @Field(() => Int, { description: 'Owners who would get a reminder (customers due within reminderDays).' })
  reminderCount!: number;
}

@ObjectType({ description: 'What one run of the automatic return did.' })
export class PoolSweepPayload {
  @Field(() => Boolean, { description: 'False when another server instance was sweeping at that moment.' })
  ran!: boolean;

  @Field(() => Int, { description: 'Customers returned to the pool.' })
  returned!: number;

  @Field(() => Int, { description: 'Reminders sent to owners.' })
  reminded!: number;

  @Field(() => [Customer], { description: 'The customers returned (now in the pool).' })
  customers!: Customer[];

  @Field(() => [UserError], { description: 'Why the mutation failed, as stable codes (empty on success); nothing was changed then.' })
  userErrors!: UserError[];
}

@Resolver(() => Customer)
export class CustomerProtectionResolver {
  @FieldResolver(() => Date, { nullable: true, description: 'When the protection period returns it to the pool; null when no rule applies.' })
  returnsToPoolAt(@Root() customer: Customer, @Ctx() ctx: Context): MaybePromise<Date | null> {
    return andThen(ctx.loaders.protectionByCustomerId.get(customer.id), (p) => p.returnsAt);
  }

  @FieldResolver(() => ReturnRule, { nullable: true, description: 'The rule that will return it (with returnsToPoolAt).' })
  returnRule(@Root() customer: Customer, @Ctx() ctx: Context): MaybePromise<ReturnRule | null> {
    return andThen(ctx.loaders.protectionByCustomerId.get(customer.id), (p) => p.rule);
  }
}

@Resolver(() => OwnershipEvent)
export class AutoReturnEventResolver {
  @FieldResolver(() => ReturnRule, { nullable: true, description: 'AUTO_RETURN: the rule that returned the customer.' })
  returnRule(@Root() event: OwnershipEvent): ReturnRule | null {
    return (event.details.rule as ReturnRule | undefined) ?? null;
  }

  @FieldResolver(() => Int, { nullable: true, description: 'AUTO_RETURN: the rule’s number of days.' })
  ruleDays(@Root() event: OwnershipEvent): number | null {
    return event.details.ruleDays ?? null;
  }
}

@Resolver()
export class ProtectionResolver {
  @Query(() => CustomerConnection, {
    description:
      'Your customers (MINE) or your subordinates\' (SUBORDINATES) that the protection period returns to the pool within withinDays, soonest first; VALIDATION_FAILED for another view. Pages of 1 to 100 (default 20).',
  })
  customersReturningSoon(@Args(() => ReturningSoonArgs) args: ReturningSoonArgs, @Ctx() ctx: Context) {
    return protection.returningSoon(ctx, args);
  }

  @Query(() => PoolSettingsPreview, { description: 'ADMIN only: how many and which customers new settings would return.' })
  poolSettingsPreview(@Arg('input', () => PoolSettingsInput, { description: 'See PoolSettingsInput for what each field takes.' }) input: PoolSettingsInput, @Ctx() ctx: Context): Promise<PoolSettingsPreview> {
    return protection.preview(ctx, input);
  }

  @Mutation(() => PoolSweepPayload, {
    description: 'ADMIN only: run the automatic return now (as the scheduled sweep does). Writes an AUTO_RETURN history event per returned customer and sends reminders.',
  })
  async poolSweepRun(@Ctx() ctx: Context): Promise<PoolSweepPayload> {
    return { ...(await protection.sweepNow(ctx)), userErrors: [] };
  }
}
