import { Field, Int, ObjectType } from 'type-graphql';
import { DecimalScalar } from '../common/scalars.js';

@ObjectType({ description: "A contract's money, always computed from its live receivables and receipts." })
export class ContractTotals {
  @Field(() => String)
  currency!: string;

  @Field(() => DecimalScalar, { description: 'The contract amount.' })
  amount!: string;

  @Field(() => DecimalScalar, { description: 'Σ receipts.' })
  received!: string;

  @Field(() => DecimalScalar, { description: 'amount − received.' })
  outstanding!: string;

  @Field(() => DecimalScalar, {
    description:
      'What is past due: Σ over receivables due before today (company time zone) of amount − received against them, ' +
      'capped at outstanding (money received without a receivable still counts against it).',
  })
  overdue!: string;
}

@ObjectType({ description: "A customer's money in one currency: the sums of its live contracts' totals." })
export class MoneyTotals {
  @Field(() => String)
  currency!: string;

  @Field(() => Int, { description: 'Live contracts in this currency.' })
  contractCount!: number;

  @Field(() => DecimalScalar, { description: 'Σ contract amounts.' })
  contracted!: string;

  @Field(() => DecimalScalar)
  received!: string;

  @Field(() => DecimalScalar)
  outstanding!: string;

  @Field(() => DecimalScalar)
  overdue!: string;
}
