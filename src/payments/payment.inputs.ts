import { IsOptional, MaxLength } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';
import { DateScalar, DecimalScalar } from '../common/scalars.js';
import { ReceiptMethod } from './receipt.entity.js';
import { RecordVersionInput } from '../common/record-inputs.js';

@InputType({ description: "A planned payment; amounts are in the contract's currency." })
export class ReceivableCreateInput {
  @Field(() => ID)
  contractId!: string;

  @Field(() => DecimalScalar, { description: 'Greater than 0; all receivables of a contract together at most its amount.' })
  amount!: string;

  @Field(() => DateScalar)
  dueDate!: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(5000)
  notes?: string | null;
}

@InputType({ description: 'Absent fields stay; null clears notes.' })
export class ReceivableUpdateInput {
  @Field(() => ID)
  id!: string;

  @Field(() => Int, { nullable: true })
  expectedVersion?: number | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'Not below what is received against it.' })
  amount?: string | null;

  @Field(() => DateScalar, { nullable: true })
  dueDate?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(5000)
  notes?: string | null;
}

@InputType()
export class ReceivableDeleteInput extends RecordVersionInput {}

@InputType()
export class ReceiptDeleteInput extends RecordVersionInput {}

@InputType({ description: "Money received; amounts are in the contract's currency." })
export class ReceiptCreateInput {
  @Field(() => ID)
  contractId!: string;

  @Field(() => ID, { nullable: true, description: 'A receivable of the same contract that this receipt settles (in part).' })
  receivableId?: string | null;

  @Field(() => DecimalScalar, { description: 'Greater than 0; at most what is outstanding on the receivable and on the contract.' })
  amount!: string;

  @Field(() => DateScalar, { description: 'Not after today (company time zone).' })
  receivedOn!: string;

  @Field(() => ReceiptMethod)
  method!: ReceiptMethod;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(200)
  reference?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(5000)
  notes?: string | null;
}

@InputType({ description: 'Absent fields stay; null clears reference and notes.' })
export class ReceiptUpdateInput {
  @Field(() => ID)
  id!: string;

  @Field(() => Int, { nullable: true })
  expectedVersion?: number | null;

  @Field(() => ID, { nullable: true, description: 'Move the receipt to this receivable of the same contract.' })
  receivableId?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Detach the receipt from its receivable.' })
  clearReceivable?: boolean | null;

  @Field(() => DecimalScalar, { nullable: true })
  amount?: string | null;

  @Field(() => DateScalar, { nullable: true })
  receivedOn?: string | null;

  @Field(() => ReceiptMethod, { nullable: true })
  method?: ReceiptMethod | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(200)
  reference?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(5000)
  notes?: string | null;
}
