import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Context } from '../context.js';
import { User } from '../users/user.entity.js';
import { Customer } from './customer.entity.js';
import { loadVisibleCustomer } from './customer.service.js';
import { OwnershipEvent } from './ownership-event.entity.js';

const user = (ctx: Context, id: string | undefined): Promise<User | null> | null =>
  id ? ctx.loaders.userById.load(id) : null;

@Resolver(() => OwnershipEvent)
export class OwnershipEventResolver {
  @FieldResolver(() => Customer, { nullable: true, description: 'Null when the viewer can no longer see it.' })
  customer(@Root() event: OwnershipEvent, @Ctx() ctx: Context): Promise<Customer | null> {
    return loadVisibleCustomer(ctx, event.customer.id);
  }

  @FieldResolver(() => User, { nullable: true, description: 'The owner before (null: the pool).' })
  fromOwner(@Root() event: OwnershipEvent, @Ctx() ctx: Context) {
    return user(ctx, event.fromUser?.id);
  }

  @FieldResolver(() => User, { nullable: true, description: 'The owner after (null: the pool).' })
  toOwner(@Root() event: OwnershipEvent, @Ctx() ctx: Context) {
    return user(ctx, event.toUser?.id);
  }

  @FieldResolver(() => User, { nullable: true, description: 'Who did it; null for the system.' })
  actor(@Root() event: OwnershipEvent, @Ctx() ctx: Context) {
    return user(ctx, event.actor?.id);
  }

  @FieldResolver(() => [User], { description: 'SHARE / UNSHARE: the colleagues concerned.' })
  async users(@Root() event: OwnershipEvent, @Ctx() ctx: Context): Promise<User[]> {
    const found = await ctx.loaders.userById.loadMany(event.details.userIds ?? []);
    return found.filter((u): u is User => u instanceof User);
  }

  @FieldResolver(() => [String], { description: 'UPDATE: the fields that changed.' })
  changedFields(@Root() event: OwnershipEvent): string[] {
    return event.details.changedFields ?? [];
  }

  @FieldResolver(() => String, { nullable: true, description: 'RECORD_DELETED: the kind of record (Contact, Quote, ...).' })
  recordType(@Root() event: OwnershipEvent): string | null {
    return event.details.recordType ?? null;
  }

  @FieldResolver(() => String, { nullable: true, description: 'RECORD_DELETED: what it was, e.g. the contact name or quote number.' })
  recordSummary(@Root() event: OwnershipEvent): string | null {
    return event.details.summary ?? null;
  }
}
