import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { MaybePromise } from '../common/maybe.js';
import type { Context } from '../context.js';
import { User } from '../users/user.entity.js';
import { maybeUserOf, usersOf } from '../users/user.loaders.js';
import { Customer } from './customer.entity.js';
import { loadVisibleCustomer } from './customer.service.js';
import { OwnershipEvent } from './ownership-event.entity.js';

@Resolver(() => OwnershipEvent)
export class OwnershipEventResolver {
  @FieldResolver(() => Customer, { nullable: true, description: 'Null when the viewer can no longer see it.' })
  customer(@Root() event: OwnershipEvent, @Ctx() ctx: Context): MaybePromise<Customer | null> {
    return loadVisibleCustomer(ctx, event.customer.id);
  }

  @FieldResolver(() => User, { nullable: true, description: 'The owner before (null: the pool).' })
  fromOwner(@Root() event: OwnershipEvent, @Ctx() ctx: Context) {
    return maybeUserOf(ctx, event.fromUser?.id);
  }

  @FieldResolver(() => User, { nullable: true, description: 'The owner after (null: the pool).' })
  toOwner(@Root() event: OwnershipEvent, @Ctx() ctx: Context) {
    return maybeUserOf(ctx, event.toUser?.id);
  }

  @FieldResolver(() => User, { nullable: true, description: 'Who did it; null for the system.' })
  actor(@Root() event: OwnershipEvent, @Ctx() ctx: Context) {
    return maybeUserOf(ctx, event.actor?.id);
  }

  @FieldResolver(() => [User], { description: 'SHARE / UNSHARE: the colleagues concerned.' })
  users(@Root() event: OwnershipEvent, @Ctx() ctx: Context): MaybePromise<User[]> {
    return usersOf(ctx, event.details.userIds ?? []);
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
