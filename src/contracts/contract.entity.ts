import { BigIntType, Entity, Enum, ManyToOne, PrimaryKey, Property, type Opt, type Ref } from '@mikro-orm/core';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { moneyColumn } from '../common/decimal-type.js';
import { toGlobalId } from '../common/ids.js';
import { Node } from '../common/node.js';
import { CustomerRecord } from '../customers/record-base.js';
import { DateScalar, DecimalScalar } from '../common/scalars.js';
import { Customer } from '../customers/customer.entity.js';
import { Quote } from '../quotes/quote.entity.js';

export enum ContractStatus {
  DRAFT = 'DRAFT',
  ACTIVE = 'ACTIVE',
  COMPLETED = 'COMPLETED',
  TERMINATED = 'TERMINATED',
}

registerEnumType(ContractStatus, {
  name: 'ContractStatus',
  description: 'Where a contract (合同) stands: DRAFT → ACTIVE → COMPLETED, or TERMINATED.',
  valuesConfig: {
    DRAFT: { description: '草稿: not in force yet.' },
    ACTIVE: { description: '执行中: signed and in force.' },
    COMPLETED: { description: '已完成: fulfilled.' },
    TERMINATED: { description: '已终止: ended early or cancelled.' },
  },
});

@ObjectType({ implements: Node, description: '合同: a contract with a customer, numbered per year (C2026-00001).' })
@Entity({ tableName: 'contract' })
export class Contract extends CustomerRecord implements Node {
  @PrimaryKey({ type: new BigIntType('string') })
  id!: string;

  @Field(() => ID, { name: 'id', description: 'Global, opaque id of the contract.' })
  get nodeId(): Opt<string> {
    return toGlobalId('Contract', this.id);
  }

  @ManyToOne({ entity: () => Customer, ref: true, fieldName: 'customer_id' })
  customer!: Ref<Customer>;

  @Field(() => String, { description: 'Assigned by the server: C, the company year, a sequence number.' })
  @Property({ type: 'text' })
  number!: string;

  @Field(() => String, { description: 'Contract title.' })
  @Property({ type: 'text' })
  title!: string;

  /** The accepted quote it was made from, if any. */
  @ManyToOne({ entity: () => Quote, ref: true, nullable: true, fieldName: 'source_quote_id' })
  sourceQuote?: Ref<Quote> | null;

  @Field(() => DateScalar, { nullable: true, description: 'Date of signing.' })
  @Property({ type: 'date', nullable: true })
  signedDate?: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'First day in force.' })
  @Property({ type: 'date', nullable: true })
  startDate?: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'On or after startDate.' })
  @Property({ type: 'date', nullable: true })
  endDate?: string | null;

  @Field(() => DecimalScalar, { description: 'The contract value.' })
  @Property({ type: moneyColumn() })
  amount!: string;

  @Field(() => String, { description: 'ISO 4217 code, e.g. CNY; receivables and receipts are in it too.' })
  @Property({ type: 'text' })
  currency!: string;

  @Field(() => ContractStatus, { description: 'DRAFT, ACTIVE, COMPLETED or TERMINATED.' })
  @Enum({ items: () => ContractStatus, type: 'text' })
  status: ContractStatus & Opt = ContractStatus.DRAFT;

  @Field(() => String, { nullable: true, description: 'Free-text notes.' })
  @Property({ type: 'text', nullable: true })
  notes?: string | null;
}
