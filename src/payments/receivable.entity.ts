import { BigIntType, Entity, ManyToOne, PrimaryKey, Property, type Opt, type Ref } from '@mikro-orm/core';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Contract } from '../contracts/contract.entity.js';
import { moneyColumn } from '../common/decimal-type.js';
import { toGlobalId } from '../common/ids.js';
import { Node } from '../common/node.js';
import { CustomerRecord } from '../customers/record-base.js';
import { DateScalar, DecimalScalar } from '../common/scalars.js';
import { Customer } from '../customers/customer.entity.js';

/** Follows from the receipts against the receivable and the company's date (never stored). */
export enum ReceivableStatus {
  OUTSTANDING = 'OUTSTANDING',
  PARTLY_RECEIVED = 'PARTLY_RECEIVED',
  RECEIVED = 'RECEIVED',
  OVERDUE = 'OVERDUE',
}

registerEnumType(ReceivableStatus, {
  name: 'ReceivableStatus',
  description: 'Where a receivable (应收) stands, always computed from the receipts against it and today\'s date.',
  valuesConfig: {
    OUTSTANDING: { description: '未收: nothing received yet, not due yet.' },
    PARTLY_RECEIVED: { description: '部分已收: some received, not due yet.' },
    RECEIVED: { description: '已收: fully received.' },
    OVERDUE: { description: '逾期: the due date has passed (company time zone) and it is not fully received.' },
  },
});

@ObjectType({ implements: Node, description: '应收: a planned payment of a contract.' })
@Entity({ tableName: 'receivable' })
export class Receivable extends CustomerRecord implements Node {
  @PrimaryKey({ type: new BigIntType('string') })
  id!: string;

  @Field(() => ID, { name: 'id', description: 'Global, opaque id of the receivable.' })
  get nodeId(): Opt<string> {
    return toGlobalId('Receivable', this.id);
  }

  /** The contract's customer, kept on the row for access checks and customer-wide sums. */
  @ManyToOne({ entity: () => Customer, ref: true, fieldName: 'customer_id' })
  customer!: Ref<Customer>;

  @ManyToOne({ entity: () => Contract, ref: true, fieldName: 'contract_id' })
  contract!: Ref<Contract>;

  @Field(() => DecimalScalar, { description: "In the contract's currency." })
  @Property({ type: moneyColumn() })
  amount!: string;

  @Field(() => DateScalar, { description: 'When the payment is due.' })
  @Property({ type: 'date' })
  dueDate!: string;

  @Field(() => String, { nullable: true, description: 'Free-text notes.' })
  @Property({ type: 'text', nullable: true })
  notes?: string | null;
}
