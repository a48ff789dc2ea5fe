import { BigIntType, Entity, ManyToOne, PrimaryKey, Property, type Opt, type Ref } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { ExactDecimalType, moneyColumn } from '../common/decimal-type.js';
import { toGlobalId } from '../common/ids.js';
import { Node } from '../common/node.js';
import { DecimalScalar } from '../common/scalars.js';
import { Quote } from './quote.entity.js';

/** One line of a quote. Lines are part of the quote: saving the quote replaces them all. */
@ObjectType({ implements: Node, description: 'A line of a quote: product, quantity, price, discount.' })
@Entity({ tableName: 'quote_item' })
export class QuoteItem implements Node {
  @PrimaryKey({ type: new BigIntType('string') })
  id!: string;

  @Field(() => ID, { name: 'id', description: 'Global, opaque id of the line.' })
  get nodeId(): Opt<string> {
    return toGlobalId('QuoteItem', this.id);
  }

  @ManyToOne({ entity: () => Quote, ref: true, fieldName: 'quote_id' })
  quote!: Ref<Quote>;

  @Field(() => Int, { description: 'Order of the line in the quote, from 1.' })
  @Property({ type: 'integer' })
  position!: number;

  @Field(() => String, { description: 'Product or service name (产品).' })
  @Property({ type: 'text' })
  product!: string;

  @Field(() => String, { nullable: true, description: 'Specification (规格): model, size, version...' })
  @Property({ type: 'text', nullable: true })
  specification?: string | null;

  @Field(() => DecimalScalar, { description: 'Up to 4 decimals, e.g. "2.5".' })
  @Property({ type: new ExactDecimalType(18, 4, 0) })
  quantity!: string;

  @Field(() => String, { nullable: true, description: 'Unit of measure, e.g. 台, kg, hours.' })
  @Property({ type: 'text', nullable: true })
  unit?: string | null;

  @Field(() => DecimalScalar, { description: 'Price of one unit, up to 4 decimals.' })
  @Property({ type: new ExactDecimalType(18, 4, 2) })
  unitPrice!: string;

  @Field(() => DecimalScalar, { description: 'Fraction of the price taken off: "0" none, "0.15" 15 %, "1" free.' })
  @Property({ type: new ExactDecimalType(5, 4, 0) })
  discount!: string;

  @Field(() => DecimalScalar, { description: 'quantity × unitPrice × (1 − discount), rounded half-up to cents.' })
  @Property({ type: moneyColumn() })
  lineTotal!: string;
}
