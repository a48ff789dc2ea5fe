import { BigIntType, Entity, Enum, ManyToOne, PrimaryKey, Property, type Opt, type Ref } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { CustomerViewName } from '../auth/policy.js';
import { toGlobalId } from '../common/ids.js';
import { Node } from '../common/node.js';
import { Customer } from '../customers/customer.entity.js';
import { ApiKey } from '../api-keys/api-key.entity.js';
import { User } from '../users/user.entity.js';

export enum DocumentAccessKind {
  PRINT_CUSTOMER = 'PRINT_CUSTOMER',
  PRINT_LIST = 'PRINT_LIST',
  EXPORT_CSV = 'EXPORT_CSV',
}

registerEnumType(DocumentAccessKind, {
  name: 'DocumentAccessKind',
  description: 'What kind of document was printed or exported (打印).',
  valuesConfig: {
    PRINT_CUSTOMER: { description: "打印客户信息: one customer's whole record." },
    PRINT_LIST: { description: '打印列表: a customer list.' },
    EXPORT_CSV: { description: '导出: a customer list as CSV.' },
  },
});

export enum DocumentAccessVia {
  TOKEN = 'TOKEN',
  LINK = 'LINK',
}

registerEnumType(DocumentAccessVia, {
  name: 'DocumentAccessVia',
  description: 'How a print or export request was authenticated.',
  valuesConfig: {
    TOKEN: { description: 'The bearer token of an API client.' },
    LINK: { description: 'A signed link from printLinkCreate, opened in a browser.' },
  },
});

/** 打印 / 导出 audit: one use of a print page or an export. Rows are never changed after completion. */
@ObjectType({ implements: Node, description: 'One print or export of customer data: who, what, when.' })
@Entity({ tableName: 'document_access_log' })
export class DocumentAccess implements Node {
  @PrimaryKey({ type: new BigIntType('string') })
  id!: string;

  @Field(() => ID, { name: 'id', description: 'Global, opaque id of the log entry.' })
  get nodeId(): Opt<string> {
    return toGlobalId('DocumentAccess', this.id);
  }

  /** Who printed or exported. */
  @ManyToOne({ entity: () => User, ref: true, fieldName: 'user_id' })
  user!: Ref<User>;

  /** The API key the request used, if it was made with one. */
  @ManyToOne({ entity: () => ApiKey, ref: true, nullable: true, fieldName: 'api_key_id' })
  apiKey?: Ref<ApiKey> | null;

  @Field(() => DocumentAccessKind, { description: 'A customer printed, a list printed, or a list exported as CSV.' })
  @Enum({ items: () => DocumentAccessKind, type: 'text' })
  kind!: DocumentAccessKind;

  @Field(() => DocumentAccessVia, { description: 'How the request was authenticated.' })
  @Enum({ items: () => DocumentAccessVia, type: 'text' })
  via!: DocumentAccessVia;

  /** PRINT_CUSTOMER: the customer printed. */
  @ManyToOne({ entity: () => Customer, ref: true, nullable: true, fieldName: 'customer_id' })
  customer?: Ref<Customer> | null;

  @Field(() => CustomerViewName, { nullable: true, description: 'Lists: the view.' })
  @Enum({ items: () => CustomerViewName, type: 'text', nullable: true })
  view?: CustomerViewName | null;

  /** Lists: the CustomerFilter as given (JSON). */
  @Property({ type: 'json', columnType: 'jsonb', nullable: true })
  filter?: unknown;

  @Field(() => String, { nullable: true, description: 'Lists: the quick search text.' })
  @Property({ type: 'text', nullable: true })
  search?: string | null;

  /** Lists: the [CustomerOrder] as given (JSON). */
  @Property({ type: 'json', columnType: 'jsonb', nullable: true })
  orderBy?: unknown;

  @Field(() => Int, { nullable: true, description: 'Customers printed or exported; null while an export is still streaming.' })
  @Property({ type: 'integer', nullable: true })
  rowCount?: number | null;

  @Field(() => String, { description: 'The x-request-id of the request, to find it in the server logs.' })
  @Property({ type: 'text' })
  requestId!: string;

  @Field(() => Date, { description: 'When the document was requested.' })
  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date & Opt = new Date();

  @Field(() => Date, {
    nullable: true,
    description: 'When the whole document was sent; null when the download was cut off (rowCount then says how far it got).',
  })
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  completedAt?: Date | null;
}
