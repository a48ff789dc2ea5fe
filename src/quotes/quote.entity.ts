import { BigIntType, Entity, Enum, ManyToOne, PrimaryKey, Property, type Opt, type Ref } from '@mikro-orm/core';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { moneyColumn } from '../common/decimal-type.js';
import { toGlobalId } from '../common/ids.js';
import { Node } from '../common/node.js';
import { CustomerRecord } from '../customers/record-base.js';
import { DateScalar, DecimalScalar } from '../common/scalars.js';
import { Customer } from '../customers/customer.entity.js';

export enum QuoteStatus {
  DRAFT = 'DRAFT',
  SENT = 'SENT',
  ACCEPTED = 'ACCEPTED',
  REJECTED = 'REJECTED',
  EXPIRED = 'EXPIRED',
}

registerEnumType(QuoteStatus, {
  name: 'QuoteStatus',
  description: 'Where a quote (报价) stands: DRAFT → SENT → ACCEPTED / REJECTED / EXPIRED.',
  valuesConfig: {
    DRAFT: { description: '草稿: being written; the only status in which the quote can be edited.' },
    SENT: { description: '已发送: sent to the customer, waiting for an answer.' },
    ACCEPTED: { description: '已接受: the customer accepted; it can become a contract.' },
    REJECTED: { description: '已拒绝: the customer declined.' },
    EXPIRED: { description: '已过期: no answer before it ran out.' },
  },
});

@ObjectType({ implements: Node, description: '报价: a priced offer to a customer, numbered per year (Q2026-00042).' })
@Entity({ tableName: 'quote' })
export class Quote extends CustomerRecord implements Node {
  @PrimaryKey({ type: new BigIntType('string') })
  id!: string;

  @Field(() => ID, { name: 'id', description: 'Global, opaque id of the quote.' })
  get nodeId(): Opt<string> {
    return toGlobalId('Quote', this.id);
  }

  @ManyToOne({ entity: () => Customer, ref: true, fieldName: 'customer_id' })
  customer!: Ref<Customer>;

  @Field(() => String, { description: 'Assigned by the server: Q, the company year, a sequence number.' })
  @Property({ type: 'text' })
  number!: string;

  @Field(() => String, { nullable: true, description: 'A short title (标题).' })
  @Property({ type: 'text', nullable: true })
  title?: string | null;

  @Field(() => DateScalar, { description: 'Date of the quote.' })
  @Property({ type: 'date' })
  quoteDate!: string;

  @Field(() => DateScalar, { nullable: true, description: 'Last day the offer holds.' })
  @Property({ type: 'date', nullable: true })
  validUntil?: string | null;

  @Field(() => String, { description: 'ISO 4217 code, e.g. CNY.' })
  @Property({ type: 'text' })
  currency!: string;

  @Field(() => QuoteStatus, { description: 'DRAFT, SENT, ACCEPTED, REJECTED or EXPIRED.' })
  @Enum({ items: () => QuoteStatus, type: 'text' })
  status: QuoteStatus & Opt = QuoteStatus.DRAFT;

  @Field(() => String, { nullable: true, description: 'Free-text notes.' })
  @Property({ type: 'text', nullable: true })
  notes?: string | null;

  @Field(() => DecimalScalar, { description: 'Sum of quantity × unit price over the items, before discounts.' })
  @Property({ type: moneyColumn() })
  subtotal!: string;

  @Field(() => DecimalScalar, { description: 'Sum of the line totals: what the customer pays.' })
  @Property({ type: moneyColumn() })
  total!: string;
}
