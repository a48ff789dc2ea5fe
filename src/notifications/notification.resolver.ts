import { ArrayMaxSize, IsOptional } from 'class-validator';
import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, ID, InputType, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { ConnectionType, PageArgs } from '../common/connection.js';
import type { MaybePromise } from '../common/maybe.js';
import { UserError } from '../common/user-error.js';
import type { Context } from '../context.js';
import { Customer } from '../customers/customer.entity.js';
import { loadVisibleCustomer } from '../customers/customer.service.js';
import { Notification } from './notification.entity.js';
import * as notifications from './notification.service.js';

export const NotificationConnection = ConnectionType('Notification', () => Notification);

@ArgsType()
class NotificationsArgs extends PageArgs {
  @Field(() => Boolean, { nullable: true, defaultValue: false, description: 'Only the unread ones.' })
  unreadOnly?: boolean | null;
}

@InputType({ description: 'Which of your notifications to mark read: ids, or all.' })
export class NotificationsMarkReadInput {
  @Field(() => [ID], { nullable: true, description: 'Up to 100 notification ids.' })
  @IsOptional()
  @ArrayMaxSize(100)
  ids?: string[] | null;

  @Field(() => Boolean, { nullable: true, description: 'Mark every notification of the viewer as read.' })
  all?: boolean | null;
}

@ObjectType({ description: 'The outcome of marking notifications read.' })
export class NotificationsMarkReadPayload {
  @Field(() => Int, { description: 'How many notifications changed from unread to read.' })
  marked!: number;

  @Field(() => [UserError], { description: 'Why the mutation failed, as stable codes (empty on success); nothing was changed then.' })
  userErrors!: UserError[];
}

@Resolver(() => Notification)
export class NotificationResolver {
  @Query(() => NotificationConnection, {
    description:
      'The viewer’s own notifications (reminders, automatic returns), newest first. Pages of 1 to 100 (default 20), each counting toward the query cost.',
  })
  notifications(@Args(() => NotificationsArgs) args: NotificationsArgs, @Ctx() ctx: Context) {
    return notifications.listNotifications(ctx, args);
  }

  @Query(() => Int, { description: 'How many of the viewer\'s notifications are unread (for a badge).' })
  unreadNotificationCount(@Ctx() ctx: Context): Promise<number> {
    return notifications.unreadCount(ctx);
  }

  @Mutation(() => NotificationsMarkReadPayload, {
    description: 'Mark your own notifications read (others\' ids are ignored); VALIDATION_FAILED when neither ids nor all: true is given.',
  })
  async notificationsMarkRead(
    @Arg('input', () => NotificationsMarkReadInput, { description: 'See NotificationsMarkReadInput for what each field takes.' }) input: NotificationsMarkReadInput,
    @Ctx() ctx: Context,
  ): Promise<NotificationsMarkReadPayload> {
    return { marked: await notifications.markRead(ctx, input), userErrors: [] };
  }

  @FieldResolver(() => Customer, { nullable: true, description: 'Null when the viewer can no longer see it (e.g. back in the pool and claimed).' })
  customer(@Root() notification: Notification, @Ctx() ctx: Context): MaybePromise<Customer | null> {
    return notification.customer ? loadVisibleCustomer(ctx, notification.customer.id) : null;
  }
}
