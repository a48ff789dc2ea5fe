import { BigIntType, Entity, Enum, ManyToOne, PrimaryKey, Property, type Opt, type Ref } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { toGlobalId } from '../common/ids.js';
import { Node } from '../common/node.js';
import { RecordSystemFields } from '../customers/record-base.js';
import { Customer } from '../customers/customer.entity.js';
import { User } from '../users/user.entity.js';

/** The kinds of record a file can be attached to; the values are their node type names. */
export enum AttachmentRecordType {
  CUSTOMER = 'Customer',
  QUOTE = 'Quote',
  CONTRACT = 'Contract',
  INTERACTION = 'Interaction',
}

registerEnumType(AttachmentRecordType, {
  name: 'AttachmentRecordType',
  description: 'What a file is attached to: the customer itself or one of its records.',
  valuesConfig: {
    CUSTOMER: { description: 'The customer itself.' },
    QUOTE: { description: 'One of its quotes.' },
    CONTRACT: { description: 'One of its contracts.' },
    INTERACTION: { description: 'One of its interactions.' },
  },
});

/** 附件: a file on a customer, or on one of its quotes, contracts or interactions. */
@ObjectType({ implements: Node, description: '附件: a file on a customer or on one of its quotes, contracts or interactions.' })
@Entity({ tableName: 'attachment' })
export class Attachment extends RecordSystemFields implements Node {
  @PrimaryKey({ type: new BigIntType('string') })
  id!: string;

  @Field(() => ID, { name: 'id', description: 'Global, opaque id of the attachment; also the download path /attachments/<id>.' })
  get nodeId(): Opt<string> {
    return toGlobalId('Attachment', this.id);
  }

  /** Always set, also for files on a quote, contract or interaction: access follows it. */
  @ManyToOne({ entity: () => Customer, ref: true, fieldName: 'customer_id' })
  customer!: Ref<Customer>;

  @Field(() => AttachmentRecordType, { description: 'What the file is attached to (see record).' })
  @Enum({ items: () => AttachmentRecordType, type: 'text' })
  recordType!: AttachmentRecordType;

  /** Internal id of the record; for CUSTOMER the customer's id. */
  @Property({ type: new BigIntType('string') })
  recordId!: string;

  @Field(() => String, { description: 'The original file name, sanitised.' })
  @Property({ type: 'text' })
  fileName!: string;

  @Field(() => String, { description: 'As the uploader declared it; downloads of risky types are served as application/octet-stream.' })
  @Property({ type: 'text' })
  contentType!: string;

  // PostgreSQL caps a bytea value at 1 GB, so the size always fits a GraphQL Int.
  @Field(() => Int, { description: 'Bytes.' })
  @Property({ type: new BigIntType('number') })
  size!: number;

  @Field(() => String, { description: 'SHA-256 of the content, lower-case hex.' })
  @Property({ type: 'text' })
  sha256!: string;

  @ManyToOne({ entity: () => User, ref: true, fieldName: 'uploaded_by_id' })
  uploadedBy!: Ref<User>;
}
