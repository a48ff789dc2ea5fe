import { IsOptional, MaxLength, ArrayMaxSize } from 'class-validator';
import { Arg, Ctx, Field, ID, InputType, Int, Mutation, ObjectType, Resolver } from 'type-graphql';
import { UserError } from '../common/user-error.js';
import type { Context } from '../context.js';
import { User } from '../users/user.entity.js';
import { handover } from './handover.service.js';

@InputType()
export class HandoverTargetInput {
  @Field(() => ID)
  userId!: string;

  @Field(() => Int, { nullable: true, defaultValue: 1, description: 'Relative share (weight); equal shares give round-robin.' })
  share?: number | null;
}

@InputType({ description: 'Hand every customer of a leaver to colleagues (to) or to the pool (toPool).' })
export class UserHandoverInput {
  @Field(() => ID, { description: 'The person who leaves; deactivated by the handover.' })
  userId!: string;

  @Field(() => [HandoverTargetInput], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(100)
  to?: HandoverTargetInput[] | null;

  @Field(() => Boolean, { nullable: true, defaultValue: false })
  toPool?: boolean | null;

  @Field(() => Boolean, { nullable: true, defaultValue: false, description: 'Keep the shares of the moved customers.' })
  keepShares?: boolean | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(500)
  reason?: string | null;
}

@ObjectType()
export class HandoverAllocation {
  @Field(() => User)
  user!: User;

  @Field(() => Int)
  count!: number;
}

@ObjectType({ description: 'What a handover did.' })
export class HandoverReport {
  @Field(() => User, { description: 'The leaver, now deactivated.' })
  user!: User;

  @Field(() => [HandoverAllocation])
  allocations!: HandoverAllocation[];

  @Field(() => Int)
  returnedToPool!: number;

  @Field(() => Int)
  customersMoved!: number;

  @Field(() => Int, { description: 'Shares ended: of the moved customers, and the leaver’s own.' })
  sharesRemoved!: number;

  @Field(() => User, { nullable: true, description: 'Who the leaver’s reports report to now.' })
  reportsMovedTo!: User | null;

  @Field(() => Int)
  reportsMoved!: number;
}

@ObjectType()
export class UserHandoverPayload {
  @Field(() => HandoverReport, { nullable: true })
  handover?: HandoverReport | null;

  @Field(() => [UserError], { description: 'Why the mutation failed, as stable codes (empty on success); nothing was changed then.' })
  userErrors!: UserError[];
}

@Resolver()
export class HandoverResolver {
  @Mutation(() => UserHandoverPayload, { description: 'ADMIN only: 离职交接, all at once or not at all.' })
  async userHandover(@Arg('input', () => UserHandoverInput, { description: 'See UserHandoverInput for what each field takes.' }) input: UserHandoverInput, @Ctx() ctx: Context): Promise<UserHandoverPayload> {
    return { handover: await handover(ctx, input), userErrors: [] };
  }
}
