import { ManyToOne, Property, type Opt, type Ref } from '@mikro-orm/core';
import { Field, Int, ObjectType } from 'type-graphql';
import { User } from '../users/user.entity.js';

// The system fields every record of a customer carries (contacts, relations, interactions, quotes,
// contracts, receivables, receipts, attachments): when it was made and changed, its version for
// optimistic concurrency, and its soft deletion (the row stays; the API no longer shows it).

/** Not a GraphQL type of its own: its fields appear on each record type that extends it. */
@ObjectType()
export abstract class RecordSystemFields {
  @Field(() => Date, { description: 'When the record was created.' })
  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date & Opt = new Date();

  @Field(() => Date, { description: 'When the record last changed.' })
  @Property({ type: 'datetime', columnType: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date & Opt = new Date();

  @Field(() => Int, { description: 'Increments on every change; pass it back as expectedVersion.' })
  @Property({ type: 'integer', version: true })
  version!: number & Opt;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  deletedAt?: Date | null;

  @ManyToOne({ entity: () => User, ref: true, nullable: true, fieldName: 'deleted_by_id' })
  deletedBy?: Ref<User> | null;
}

/** A record someone created (createdBy; GraphQL resolves it per record type). */
@ObjectType()
export abstract class CustomerRecord extends RecordSystemFields {
  @ManyToOne({ entity: () => User, ref: true, fieldName: 'created_by_id' })
  createdBy!: Ref<User>;
}
