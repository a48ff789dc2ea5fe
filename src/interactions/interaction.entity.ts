import { BigIntType, Entity, Enum, ManyToOne, PrimaryKey, Property, type Opt, type Ref } from '@mikro-orm/core';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { toGlobalId } from '../common/ids.js';
import { Node } from '../common/node.js';
import { CustomerRecord } from '../customers/record-base.js';
import { Contact } from '../contacts/contact.entity.js';
import { Customer } from '../customers/customer.entity.js';

export enum InteractionType {
  VISIT = 'VISIT',
  CALL = 'CALL',
  EMAIL = 'EMAIL',
  MEETING = 'MEETING',
  MESSAGE = 'MESSAGE',
  OTHER = 'OTHER',
}

registerEnumType(InteractionType, {
  name: 'InteractionType',
  description: 'What kind of contact with the customer an interaction (交往记录) was.',
  valuesConfig: {
    VISIT: { description: '拜访: a visit.' },
    CALL: { description: '电话: a phone call.' },
    EMAIL: { description: '邮件: an email.' },
    MEETING: { description: '会议: a meeting.' },
    MESSAGE: { description: '消息: a message (WeChat, SMS, ...).' },
    OTHER: { description: '其他: any other contact.' },
  },
});

/** 交往记录: one contact with a customer, written by its author (the user who recorded it). */
@ObjectType({ implements: Node, description: '交往记录: a visit, call, email, ... with a customer.' })
@Entity({ tableName: 'interaction' })
export class Interaction extends CustomerRecord implements Node {
  @PrimaryKey({ type: new BigIntType('string') })
  id!: string;

  @Field(() => ID, { name: 'id', description: 'Global, opaque id of the interaction.' })
  get nodeId(): Opt<string> {
    return toGlobalId('Interaction', this.id);
  }

  @ManyToOne({ entity: () => Customer, ref: true, fieldName: 'customer_id' })
  customer!: Ref<Customer>;

  /** The contact involved: one of the same customer's contacts. */
  @ManyToOne({ entity: () => Contact, ref: true, nullable: true, fieldName: 'contact_id' })
  contact?: Ref<Contact> | null;

  @Field(() => InteractionType, { description: 'Visit, call, email, meeting, message or other.' })
  @Enum({ items: () => InteractionType, type: 'text' })
  type!: InteractionType;

  @Field(() => Date, { description: 'When it happened.' })
  @Property({ type: 'datetime', columnType: 'timestamptz' })
  occurredAt!: Date;

  @Field(() => String, { description: 'Subject: what it was about.' })
  @Property({ type: 'text' })
  subject!: string;

  @Field(() => String, { nullable: true, description: 'What was said or done (内容), up to 20,000 characters.' })
  @Property({ type: 'text', nullable: true })
  content?: string | null;

  @Field(() => Date, { nullable: true, description: 'When to follow up next (after occurredAt).' })
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  nextFollowUpAt?: Date | null;

  /** The author: whoever recorded it. */
}
