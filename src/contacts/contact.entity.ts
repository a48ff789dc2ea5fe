import { BigIntType, Entity, Enum, ManyToOne, PrimaryKey, Property, type Opt, type Ref } from '@mikro-orm/core';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { toGlobalId } from '../common/ids.js';
import { Node } from '../common/node.js';
import { CustomerRecord } from '../customers/record-base.js';
import { DateScalar } from '../common/scalars.js';
import { Customer } from '../customers/customer.entity.js';

export enum Gender {
  MALE = 'MALE',
  FEMALE = 'FEMALE',
}

registerEnumType(Gender, {
  name: 'Gender',
  description: "A contact's gender.",
  valuesConfig: {
    MALE: { description: 'Male.' },
    FEMALE: { description: 'Female.' },
  },
});

/** 联系人: a person at a customer. Soft-deleted rows stay in the table and out of the API. */
@ObjectType({ implements: Node, description: '联系人: a person at a customer.' })
@Entity({ tableName: 'contact' })
export class Contact extends CustomerRecord implements Node {
  @PrimaryKey({ type: new BigIntType('string') })
  id!: string;

  @Field(() => ID, { name: 'id', description: 'Global, opaque id of the contact.' })
  get nodeId(): Opt<string> {
    return toGlobalId('Contact', this.id);
  }

  @ManyToOne({ entity: () => Customer, ref: true, fieldName: 'customer_id' })
  customer!: Ref<Customer>;

  @Field(() => String, { description: 'The contact\'s name.' })
  @Property({ type: 'text' })
  name!: string;

  @Field(() => String, { nullable: true, description: 'Job title (职务).' })
  @Property({ type: 'text', nullable: true })
  title?: string | null;

  @Field(() => String, { nullable: true, description: 'Department.' })
  @Property({ type: 'text', nullable: true })
  department?: string | null;

  // Contact details: exposed through field resolvers that mask them in the pool for SALES users.
  @Property({ type: 'text', nullable: true })
  mobile?: string | null;

  @Property({ type: 'text', nullable: true })
  phone?: string | null;

  @Property({ type: 'text', nullable: true })
  email?: string | null;

  @Property({ type: 'text', nullable: true })
  imHandle?: string | null;

  @Property({ type: 'text', nullable: true })
  address?: string | null;

  @Field(() => Gender, { nullable: true, description: 'Gender.' })
  @Enum({ items: () => Gender, type: 'text', nullable: true })
  gender?: Gender | null;

  @Field(() => DateScalar, { nullable: true, description: 'Birthday.' })
  @Property({ type: 'date', nullable: true })
  birthday?: string | null;

  @Field(() => String, { nullable: true, description: 'Free-text notes.' })
  @Property({ type: 'text', nullable: true })
  notes?: string | null;

  @Field(() => Boolean, { description: 'The primary contact; at most one per customer.' })
  @Property({ type: 'boolean' })
  isPrimary: boolean & Opt = false;
}
