import { BigIntType, Entity, Enum, ManyToOne, PrimaryKey, Property, type Opt, type Ref } from '@mikro-orm/core';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { toGlobalId } from '../common/ids.js';
import { Node } from '../common/node.js';
import { CustomerRecord } from '../customers/record-base.js';
import { Customer } from '../customers/customer.entity.js';
import { Contact } from './contact.entity.js';

export enum RelationshipType {
  SPOUSE = 'SPOUSE',
  RELATIVE = 'RELATIVE',
  FRIEND = 'FRIEND',
  CLASSMATE = 'CLASSMATE',
  FORMER_COLLEAGUE = 'FORMER_COLLEAGUE',
  COLLEAGUE = 'COLLEAGUE',
  OTHER = 'OTHER',
}

registerEnumType(RelationshipType, {
  name: 'RelationshipType',
  description: 'How the related person stands to the contact (社会关系 type).',
  valuesConfig: {
    SPOUSE: { description: '配偶: spouse.' },
    RELATIVE: { description: '亲属: relative.' },
    FRIEND: { description: '朋友: friend.' },
    CLASSMATE: { description: '同学: classmate.' },
    FORMER_COLLEAGUE: { description: '前同事: former colleague.' },
    COLLEAGUE: { description: '同事: colleague.' },
    OTHER: { description: '其他: another relationship.' },
  },
});

/**
 * 社会关系: a person a contact knows. Recorded on `contact` (whose customer owns it); optionally
 * linked to another contact record, so relations form a graph walked from both ends.
 */
@ObjectType({ implements: Node, description: '社会关系: a person a contact knows, optionally linked to another contact.' })
@Entity({ tableName: 'contact_relation' })
export class ContactRelation extends CustomerRecord implements Node {
  @PrimaryKey({ type: new BigIntType('string') })
  id!: string;

  @Field(() => ID, { name: 'id', description: 'Global, opaque id of the social relation.' })
  get nodeId(): Opt<string> {
    return toGlobalId('ContactRelation', this.id);
  }

  /** The customer of `contact` (relations never move), for access checks and history. */
  @ManyToOne({ entity: () => Customer, ref: true, fieldName: 'customer_id' })
  customer!: Ref<Customer>;

  @ManyToOne({ entity: () => Contact, ref: true, fieldName: 'contact_id' })
  contact!: Ref<Contact>;

  @ManyToOne({ entity: () => Contact, ref: true, nullable: true, fieldName: 'related_contact_id' })
  relatedContact?: Ref<Contact> | null;

  @Field(() => RelationshipType, { description: 'Spouse, relative, friend, classmate, colleague, former colleague or other.' })
  @Enum({ items: () => RelationshipType, type: 'text' })
  relationship!: RelationshipType;

  @Field(() => String, { description: "The related person's name." })
  @Property({ type: 'text' })
  personName!: string;

  @Field(() => String, { nullable: true, description: 'Where the related person works.' })
  @Property({ type: 'text', nullable: true })
  organization?: string | null;

  @Field(() => String, { nullable: true, description: 'The related person\'s position.' })
  @Property({ type: 'text', nullable: true })
  position?: string | null;

  // Exposed through a field resolver that masks it in the pool for SALES users.
  @Property({ type: 'text', nullable: true })
  phone?: string | null;

  @Field(() => String, { nullable: true, description: 'Free-text notes.' })
  @Property({ type: 'text', nullable: true })
  notes?: string | null;

}

/** How a relation stands to the contact it is listed under. */
export enum RelationDirection {
  OUTGOING = 'OUTGOING',
  INCOMING = 'INCOMING',
}

registerEnumType(RelationDirection, {
  name: 'RelationDirection',
  description: 'How a relation stands to the contact it is listed under.',
  valuesConfig: {
    OUTGOING: { description: 'Recorded on this contact; the counterpart is the linked contact, if any.' },
    INCOMING: { description: "Recorded on another contact and linked to this one; the counterpart is that contact." },
  },
});
