import { Arg, Ctx, Field, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { UserError } from '../common/user-error.js';
import type { Context } from '../context.js';
import { PoolSettings, PoolSettingsInput } from './pool-settings.js';
import * as settings from './pool-settings.service.js';

@ObjectType()
export class PoolSettingsPayload {
  @Field(() => PoolSettings, { nullable: true })
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

  @Mutation(() => PoolSettingsPayload, { description: 'ADMIN only: change the pool rules.' })
  async poolSettingsUpdate(
    @Arg('input', () => PoolSettingsInput, { description: 'See PoolSettingsInput for what each field takes.' }) input: PoolSettingsInput,
    @Ctx() ctx: Context,
  ): Promise<PoolSettingsPayload> {
    return { poolSettings: PoolSettings.from(await settings.updatePoolSettings(ctx, input)), userErrors: [] };
  }
}
