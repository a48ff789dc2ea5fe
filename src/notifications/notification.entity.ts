import { BigIntType, Entity, Enum, ManyToOne, PrimaryKey, Property, type Opt, type Ref } from '@mikro-orm/core';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { toGlobalId } from '../common/ids.js';
import { Node } from '../common/node.js';
import { Customer } from '../customers/customer.entity.js';
import { User } from '../users/user.entity.js';

export enum NotificationKind {
  RETURN_REMINDER = 'RETURN_REMINDER',
  AUTO_RETURNED = 'AUTO_RETURNED',
}

registerEnumType(NotificationKind, {
  name: 'NotificationKind',
  description: 'What a notification is about.',
  valuesConfig: {
    RETURN_REMINDER: { description: 'One of your customers returns to the pool soon (dueAt) unless you act.' },
    AUTO_RETURNED: { description: 'One of your customers returned to the pool by a protection-period rule.' },
  },
});

/** Something the server tells one user; written by the pool sweep. */
@ObjectType({ implements: Node, description: 'Something the server tells one user, e.g. that a customer returns to the pool soon; only its user sees it.' })
@Entity({ tableName: 'notification' })
export class Notification implements Node {
  @PrimaryKey({ type: new BigIntType('string') })
  id!: string;

  @Field(() => ID, { name: 'id', description: 'Global, opaque id of the notification.' })
  get nodeId(): Opt<string> {
    return toGlobalId('Notification', this.id);
  }

  @ManyToOne({ entity: () => User, ref: true, fieldName: 'user_id' })
  user!: Ref<User>;

  @Field(() => NotificationKind, { description: 'What it is about.' })
  @Enum({ items: () => NotificationKind, type: 'text' })
  kind!: NotificationKind;

  @ManyToOne({ entity: () => Customer, ref: true, nullable: true, fieldName: 'customer_id' })
  customer?: Ref<Customer> | null;

  @Field(() => String, { description: 'The text to show.' })
  @Property({ type: 'text' })
  message!: string;

  @Field(() => Date, { nullable: true, description: 'RETURN_REMINDER: when the customer returns to the pool.' })
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  dueAt?: Date | null;

  @Property({ type: 'text' })
  dedupeKey!: string;

  @Field(() => Date, { description: 'When it was sent.' })
  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date & Opt = new Date();

  @Field(() => Date, { nullable: true, description: 'When the user marked it read; null while unread.' })
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  readAt?: Date | null;
}
