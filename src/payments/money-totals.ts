import { Field, Int, ObjectType } from 'type-graphql';
import { DecimalScalar } from '../common/scalars.js';

@ObjectType({ description: "A contract's money, always computed from its live receivables and receipts." })
export class ContractTotals {
  @Field(() => String, { description: 'ISO 4217 code of the contract.' })
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
  @Field(() => String, { description: 'ISO 4217 code these sums are in.' })
  currency!: string;

  @Field(() => Int, { description: 'Live contracts in this currency.' })
  contractCount!: number;

  @Field(() => DecimalScalar, { description: 'Σ contract amounts.' })
  contracted!: string;

  @Field(() => DecimalScalar, { description: 'Σ received over these contracts.' })
  received!: string;

  @Field(() => DecimalScalar, { description: 'Σ outstanding over these contracts.' })
  outstanding!: string;

  @Field(() => DecimalScalar, { description: 'Σ overdue over these contracts.' })
  overdue!: string;
}
