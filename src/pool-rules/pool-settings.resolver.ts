import { Arg, Ctx, Field, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { UserError } from '../common/user-error.js';
import type { Context } from '../context.js';
import { PoolSettings, PoolSettingsInput } from './pool-settings.js';
import * as settings from './pool-settings.service.js';

@ObjectType({ description: 'The outcome of changing the pool rules.' })
export class PoolSettingsPayload {
  @Field(() => PoolSettings, { nullable: true, description: 'The rules now in force; null when the mutation failed.' })
  poolSettings?: PoolSettings | null;

  @Field(() => [UserError], { description: 'Why the mutation failed, as stable codes (empty on success); nothing was changed then.' })
  userErrors!: UserError[];
}

@Resolver()
export class PoolSettingsResolver {
  @Query(() => PoolSettings, { description: 'ADMIN only: the pool rules in force.' })
  async poolSettings(@Ctx() ctx: Context): Promise<PoolSettings> {
    return PoolSettings.from(await settings.getPoolSettings(ctx));
  }

  @Mutation(() => PoolSettingsPayload, {
    description:
      'ADMIN only (others: top-level FORBIDDEN): change the pool rules; they apply from the next claim and sweep. STALE_VERSION, VALIDATION_FAILED (an unknown time zone, reminders without a protection period).',
  })
  async poolSettingsUpdate(
    @Arg('input', () => PoolSettingsInput, { description: 'See PoolSettingsInput for what each field takes.' }) input: PoolSettingsInput,
    @Ctx() ctx: Context,
  ): Promise<PoolSettingsPayload> {
    return { poolSettings: PoolSettings.from(await settings.updatePoolSettings(ctx, input)), userErrors: [] };
  }
}
