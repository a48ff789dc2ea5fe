import { IsOptional, MaxLength, ArrayMaxSize } from 'class-validator';
import { Arg, Ctx, Field, ID, InputType, Int, Mutation, ObjectType, Resolver } from 'type-graphql';
import { UserError } from '../common/user-error.js';
import type { Context } from '../context.js';
import { User } from '../users/user.entity.js';
import { handover } from './handover.service.js';

@InputType({ description: 'A colleague who receives part of a leaver\'s customers.' })
export class HandoverTargetInput {
  @Field(() => ID, { description: 'An active colleague, not the leaver.' })
  userId!: string;

  @Field(() => Int, { nullable: true, defaultValue: 1, description: 'Relative share (weight); equal shares give round-robin.' })
  share?: number | null;
}

@InputType({ description: 'Hand every customer of a leaver to colleagues (to) or to the pool (toPool).' })
export class UserHandoverInput {
  @Field(() => ID, { description: 'The person who leaves; deactivated by the handover.' })
  userId!: string;

  @Field(() => [HandoverTargetInput], { nullable: true, description: 'Colleagues to share the customers among (up to 100); or use toPool.' })
  @IsOptional()
  @ArrayMaxSize(100)
  to?: HandoverTargetInput[] | null;

  @Field(() => Boolean, { nullable: true, defaultValue: false, description: 'Return every customer to the pool instead.' })
  toPool?: boolean | null;

  @Field(() => Boolean, { nullable: true, defaultValue: false, description: 'Keep the shares of the moved customers.' })
  keepShares?: boolean | null;

  @Field(() => String, { nullable: true, description: 'Why; kept in each customer\'s history (default: "<name> left").' })
  @IsOptional()
  @MaxLength(500)
  reason?: string | null;
}

@ObjectType({ description: 'How many customers one colleague received in a handover.' })
export class HandoverAllocation {
  @Field(() => User, { description: 'The colleague.' })
  user!: User;

  @Field(() => Int, { description: 'Customers they received.' })
  count!: number;
}

@ObjectType({ description: 'What a handover did.' })
export class HandoverReport {
  @Field(() => User, { description: 'The leaver, now deactivated.' })
  user!: User;

  @Field(() => [HandoverAllocation], { description: 'Per colleague, how many customers they received.' })
  allocations!: HandoverAllocation[];

  @Field(() => Int, { description: 'Customers returned to the pool (toPool).' })
  returnedToPool!: number;

  @Field(() => Int, { description: 'All customers the leaver owned.' })
  customersMoved!: number;

  @Field(() => Int, { description: 'Shares ended: of the moved customers, and the leaver’s own.' })
  sharesRemoved!: number;

  @Field(() => User, { nullable: true, description: 'Who the leaver’s reports report to now.' })
  reportsMovedTo!: User | null;

  @Field(() => Int, { description: 'How many of the leaver\'s reports got a new manager.' })
  reportsMoved!: number;
}

@ObjectType({ description: 'The outcome of a handover.' })
export class UserHandoverPayload {
  @Field(() => HandoverReport, { nullable: true, description: 'What the handover did; null when it failed.' })
  handover?: HandoverReport | null;

  @Field(() => [UserError], { description: 'Why the mutation failed, as stable codes (empty on success); nothing was changed then.' })
  userErrors!: UserError[];
}

@Resolver()
export class HandoverResolver {
  @Mutation(() => UserHandoverPayload, {
    description:
      'ADMIN only: 离职交接, all at once or not at all: the leaver\'s owned customers go to colleagues (by share) or to the pool, their own shares end, their reports move to their manager, and they are deactivated. ' +
      'NOT_FOUND for an unknown leaver, VALIDATION_FAILED (to and toPool both or neither, an unknown or deactivated colleague, yourself, an already deactivated leaver, the last active admin), LIMIT_REACHED (a colleague\'s ownership cap). Writes a HANDOVER history event per customer.',
  })
  async userHandover(@Arg('input', () => UserHandoverInput, { description: 'See UserHandoverInput for what each field takes.' }) input: UserHandoverInput, @Ctx() ctx: Context): Promise<UserHandoverPayload> {
    return { handover: await handover(ctx, input), userErrors: [] };
  }
}
