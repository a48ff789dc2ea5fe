import { BigIntType, Entity, Enum, ManyToOne, PrimaryKey, Property, type Opt, type Ref } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { toGlobalId } from '../common/ids.js';
import { Node } from '../common/node.js';
import { User } from '../users/user.entity.js';

export enum CustomerStatus {
  IN_POOL = 'IN_POOL',
  OWNED = 'OWNED',
  ARCHIVED = 'ARCHIVED',
}

registerEnumType(CustomerStatus, {
  name: 'CustomerStatus',
  description: 'Where a customer stands in the pool state machine: in the pool (未领用), owned (已领用) or archived.',
  valuesConfig: {
    IN_POOL: { description: '未领用: in the pool, nobody owns it.' },
    OWNED: { description: '已领用: exactly one owner.' },
    ARCHIVED: { description: 'Deleted from the pool; kept forever, restorable by an admin.' },
  },
});

export enum CustomerLevel {
  A = 'A',
  B = 'B',
  C = 'C',
  D = 'D',
}

registerEnumType(CustomerLevel, {
  name: 'CustomerLevel',
  description: 'Customer grade, A (best) to D.',
  valuesConfig: {
    A: { description: 'Grade A: the most valuable customers.' },
    B: { description: 'Grade B.' },
    C: { description: 'Grade C.' },
    D: { description: 'Grade D: the least valuable customers.' },
  },
});

@ObjectType({ implements: Node, description: 'A customer (客户), company property kept forever.' })
@Entity({ tableName: 'customer' })
export class Customer implements Node {
  @PrimaryKey({ type: new BigIntType('string') })
  id!: string;

  @Field(() => ID, { name: 'id', description: 'Global, opaque id of the customer (for node, customer and every customerId).' })
  get nodeId(): Opt<string> {
    return toGlobalId('Customer', this.id);
  }

  @Field(() => String, { description: 'Customer name (客户名称), unique among live customers after normalisation (case, width, punctuation, company suffixes such as 有限公司).' })
  @Property({ type: 'text' })
  name!: string;

  /** The normalised name; unique among live customers (see name-key.ts). */
  @Property({ type: 'text' })
  nameKey!: string;

  @Field(() => CustomerStatus, { description: '未领用 (IN_POOL), 已领用 (OWNED) or ARCHIVED; changes only through the pool actions, the handover and the automatic return.' })
  @Enum({ items: () => CustomerStatus, type: 'text' })
  status: CustomerStatus & Opt = CustomerStatus.IN_POOL;

  @ManyToOne({ entity: () => User, nullable: true, ref: true, fieldName: 'owner_id' })
  owner?: Ref<User> | null;

  @Field(() => Date, { nullable: true, description: 'When the current owner got the customer.' })
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  claimedAt?: Date | null;

  // Contact details: exposed through field resolvers that mask them in the pool for SALES users.
  @Property({ type: 'text', nullable: true })
  phone?: string | null;

  /** Digits of `phone`, for the duplicate check and phone search. */
  @Property({ type: 'text', nullable: true })
  phoneKey?: string | null;

  @Property({ type: 'text', nullable: true })
  email?: string | null;

  @Property({ type: 'text', nullable: true })
  address?: string | null;

  @Field(() => String, { nullable: true, description: 'Web site.' })
  @Property({ type: 'text', nullable: true })
  website?: string | null;

  @Field(() => String, { nullable: true, description: 'Industry, free text.' })
  @Property({ type: 'text', nullable: true })
  industry?: string | null;

  @Field(() => CustomerLevel, { nullable: true, description: 'Grade A to D.' })
  @Enum({ items: () => CustomerLevel, type: 'text', nullable: true })
  level?: CustomerLevel | null;

  @Field(() => String, { nullable: true, description: 'Where the lead came from.' })
  @Property({ type: 'text', nullable: true })
  source?: string | null;

  @Field(() => String, { nullable: true, description: 'Region, free text.' })
  @Property({ type: 'text', nullable: true })
  region?: string | null;

  @Field(() => String, { nullable: true, description: 'Free-text notes, up to 5,000 characters.' })
  @Property({ type: 'text', nullable: true })
  notes?: string | null;

  @ManyToOne({ entity: () => User, ref: true, fieldName: 'created_by_id' })
  createdBy!: Ref<User>;

  @Field(() => Date, { nullable: true, description: 'When an admin archived it (删除); null unless ARCHIVED.' })
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  archivedAt?: Date | null;

  /** Derived from the live interactions; see interactions/follow-up.ts. */
  @Field(() => Date, { nullable: true, description: 'When the latest (live) interaction took place.' })
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  lastInteractionAt?: Date | null;

  /** Derived from the live interactions; see interactions/follow-up.ts. */
  @Field(() => Date, {
    nullable: true,
    description: 'The earliest follow-up planned by an interaction that no later interaction has covered yet (may be overdue).',
  })
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  nextFollowUpAt?: Date | null;

  @Field(() => Date, { description: 'When the customer was created (新建).' })
  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date & Opt = new Date();

  @Field(() => Date, { description: 'When the customer itself last changed (fields, state or owner).' })
  @Property({ type: 'datetime', columnType: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date & Opt = new Date();

  @Field(() => Int, { description: 'Increments on every change; pass it back as expectedVersion.' })
  @Property({ type: 'integer', version: true })
  version!: number & Opt;
}
