import { BigIntType, Entity, Enum, ManyToOne, PrimaryKey, Property, type Opt, type Ref } from '@mikro-orm/core';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Contract } from '../contracts/contract.entity.js';
import { moneyColumn } from '../common/decimal-type.js';
import { toGlobalId } from '../common/ids.js';
import { Node } from '../common/node.js';
import { CustomerRecord } from '../customers/record-base.js';
import { DateScalar, DecimalScalar } from '../common/scalars.js';
import { Customer } from '../customers/customer.entity.js';
import { Receivable } from './receivable.entity.js';

export enum ReceiptMethod {
  BANK_TRANSFER = 'BANK_TRANSFER',
  CASH = 'CASH',
  CHEQUE = 'CHEQUE',
  ALIPAY = 'ALIPAY',
  WECHAT_PAY = 'WECHAT_PAY',
  OTHER = 'OTHER',
}

registerEnumType(ReceiptMethod, {
  name: 'ReceiptMethod',
  description: 'How the money was received.',
  valuesConfig: {
    BANK_TRANSFER: { description: '银行转账: bank transfer.' },
    CASH: { description: '现金: cash.' },
    CHEQUE: { description: '支票: cheque.' },
    ALIPAY: { description: '支付宝: Alipay.' },
    WECHAT_PAY: { description: '微信支付: WeChat Pay.' },
    OTHER: { description: '其他: any other way.' },
  },
});

@ObjectType({ implements: Node, description: '已收: money received for a contract, optionally against one of its receivables.' })
@Entity({ tableName: 'receipt' })
export class Receipt extends CustomerRecord implements Node {
  @PrimaryKey({ type: new BigIntType('string') })
  id!: string;

  @Field(() => ID, { name: 'id', description: 'Global, opaque id of the receipt.' })
  get nodeId(): Opt<string> {
    return toGlobalId('Receipt', this.id);
  }

  /** The contract's customer, kept on the row for access checks and customer-wide sums. */
  @ManyToOne({ entity: () => Customer, ref: true, fieldName: 'customer_id' })
  customer!: Ref<Customer>;

  @ManyToOne({ entity: () => Contract, ref: true, fieldName: 'contract_id' })
  contract!: Ref<Contract>;

  @ManyToOne({ entity: () => Receivable, ref: true, nullable: true, fieldName: 'receivable_id' })
  receivable?: Ref<Receivable> | null;

  @Field(() => DecimalScalar, { description: "Greater than 0, in the contract's currency." })
  @Property({ type: moneyColumn() })
  amount!: string;

  @Field(() => DateScalar, { description: 'The day the money came in.' })
  @Property({ type: 'date' })
  receivedOn!: string;

  @Field(() => ReceiptMethod, { description: 'Bank transfer, cash, cheque, Alipay, WeChat Pay or other.' })
  @Enum({ items: () => ReceiptMethod, type: 'text' })
  method!: ReceiptMethod;

  @Field(() => String, { nullable: true, description: 'Bank reference, cheque number, transaction id...' })
  @Property({ type: 'text', nullable: true })
  reference?: string | null;

  @Field(() => String, { nullable: true, description: 'Free-text notes.' })
  @Property({ type: 'text', nullable: true })
  notes?: string | null;
}
