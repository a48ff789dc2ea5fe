import { BigIntType, Entity, Enum, ManyToOne, PrimaryKey, Property, type Opt, type Ref } from '@mikro-orm/core';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { toGlobalId } from '../common/ids.js';
import { Node } from '../common/node.js';
import { ApiKey } from '../api-keys/api-key.entity.js';
import { User } from '../users/user.entity.js';
import { Customer } from './customer.entity.js';

export enum OwnershipEventAction {
  CREATE = 'CREATE',
  CLAIM = 'CLAIM',
  RETURN = 'RETURN',
  ASSIGN = 'ASSIGN',
  RECLAIM = 'RECLAIM',
  SHARE = 'SHARE',
  UNSHARE = 'UNSHARE',
  UPDATE = 'UPDATE',
  ARCHIVE = 'ARCHIVE',
  RESTORE = 'RESTORE',
  RECORD_DELETED = 'RECORD_DELETED',
  AUTO_RETURN = 'AUTO_RETURN',
  HANDOVER = 'HANDOVER',
}

registerEnumType(OwnershipEventAction, {
  name: 'OwnershipEventAction',
  description: 'What happened to a customer in one history event.',
  valuesConfig: {
    CREATE: { description: '新建 (toOwner set when created and claimed).' },
    CLAIM: { description: '领用: taken from the pool by toOwner.' },
    RETURN: { description: '归还: given back to the pool by its owner.' },
    ASSIGN: { description: '指派: made toOwner the owner.' },
    RECLAIM: { description: '收回: taken back to the pool by a manager above the owner or an admin.' },
    SHARE: { description: '共享 (users: who got access).' },
    UNSHARE: { description: '取消共享 (users: who lost access).' },
    UPDATE: { description: '修改 (changedFields).' },
    ARCHIVE: { description: '删除: moved from the pool to the archive by an admin.' },
    RESTORE: { description: 'Restored from the archive to the pool.' },
    RECORD_DELETED: { description: 'A contact, interaction, quote, ... of the customer was deleted (recordType, recordSummary).' },
    AUTO_RETURN: { description: 'Returned to the pool by a protection-period rule (rule, reason).' },
    HANDOVER: { description: 'Moved when its owner left (人员离职交接).' },
  },
});

export interface OwnershipEventDetails {
  userIds?: string[];
  changedFields?: string[];
  /** RECORD_DELETED: which sub-record, e.g. { recordType: 'Contact', recordId: '12', summary: '王经理' }. */
  recordType?: string;
  recordId?: string;
  summary?: string;
  /** AUTO_RETURN: the protection rule, its number of days, and when it fell due. */
  rule?: string;
  ruleDays?: number;
  returnsAt?: string;
}

/** One immutable entry of a customer's history (the table refuses UPDATE and DELETE). */
@ObjectType({
  implements: Node,
  description: 'One immutable entry of a customer\'s history: who did what, from which owner to which, when and why.',
})
@Entity({ tableName: 'ownership_event' })
export class OwnershipEvent implements Node {
  @PrimaryKey({ type: new BigIntType('string') })
  id!: string;

  @Field(() => ID, { name: 'id', description: 'Global, opaque id of the event.' })
  get nodeId(): Opt<string> {
    return toGlobalId('OwnershipEvent', this.id);
  }

  @ManyToOne({ entity: () => Customer, ref: true, fieldName: 'customer_id' })
  customer!: Ref<Customer>;

  @Field(() => OwnershipEventAction, { description: 'What happened.' })
  @Enum({ items: () => OwnershipEventAction, type: 'text' })
  action!: OwnershipEventAction;

  @ManyToOne({ entity: () => User, ref: true, nullable: true, fieldName: 'from_user_id' })
  fromUser?: Ref<User> | null;

  @ManyToOne({ entity: () => User, ref: true, nullable: true, fieldName: 'to_user_id' })
  toUser?: Ref<User> | null;

  /** Null for the system (automatic rules). */
  @ManyToOne({ entity: () => User, ref: true, nullable: true, fieldName: 'actor_id' })
  actor?: Ref<User> | null;

  /** The API key the request used, if it was made with one. */
  @ManyToOne({ entity: () => ApiKey, ref: true, nullable: true, fieldName: 'api_key_id' })
  apiKey?: Ref<ApiKey> | null;

  @Field(() => String, { nullable: true, description: 'The reason the actor gave, or the rule that caused an automatic change.' })
  @Property({ type: 'text', nullable: true })
  reason?: string | null;

  @Property({ type: 'json', columnType: 'jsonb' })
  details: OwnershipEventDetails & Opt = {};

  @Field(() => Date, { description: 'When it happened.' })
  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date & Opt = new Date();
}
