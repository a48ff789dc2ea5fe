import { IsOptional, MaxLength } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';
import { DateScalar, DecimalScalar } from '../common/scalars.js';
import { ReceiptMethod } from './receipt.entity.js';
import { RecordVersionInput } from '../common/record-inputs.js';

@InputType({ description: "A planned payment; amounts are in the contract's currency." })
export class ReceivableCreateInput {
  @Field(() => ID, { description: 'The contract the payment is planned for.' })
  contractId!: string;

  @Field(() => DecimalScalar, { description: 'Greater than 0; all receivables of a contract together at most its amount.' })
  amount!: string;

  @Field(() => DateScalar, { description: 'When the payment is due.' })
  dueDate!: string;

  @Field(() => String, { nullable: true, description: 'Free-text notes.' })
  @IsOptional()
  @MaxLength(5000)
  notes?: string | null;
}

@InputType({ description: 'Absent fields stay; null clears notes.' })
export class ReceivableUpdateInput {
  @Field(() => ID, { description: 'The receivable to change.' })
  id!: string;

  @Field(() => Int, { nullable: true, description: 'Refuse with STALE_VERSION unless the receivable is at this version.' })
  expectedVersion?: number | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'Not below what is received against it.' })
  amount?: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'New due date.' })
  dueDate?: string | null;

  @Field(() => String, { nullable: true, description: 'New notes; null clears them.' })
  @IsOptional()
  @MaxLength(5000)
  notes?: string | null;
}

@InputType({ description: 'The receivable to delete, at the version the client read.' })
export class ReceivableDeleteInput extends RecordVersionInput {}

@InputType({ description: 'The receipt to delete, at the version the client read.' })
export class ReceiptDeleteInput extends RecordVersionInput {}

@InputType({ description: "Money received; amounts are in the contract's currency." })
export class ReceiptCreateInput {
  @Field(() => ID, { description: 'The contract the money is for.' })
  contractId!: string;

  @Field(() => ID, { nullable: true, description: 'A receivable of the same contract that this receipt settles (in part).' })
  receivableId?: string | null;

  @Field(() => DecimalScalar, { description: 'Greater than 0; at most what is outstanding on the receivable and on the contract.' })
  amount!: string;

  @Field(() => DateScalar, { description: 'Not after today (company time zone).' })
  receivedOn!: string;

  @Field(() => ReceiptMethod, { description: 'How it was received.' })
  method!: ReceiptMethod;

  @Field(() => String, { nullable: true, description: 'Bank reference, cheque number, transaction id...' })
  @IsOptional()
  @MaxLength(200)
  reference?: string | null;

  @Field(() => String, { nullable: true, description: 'Free-text notes.' })
  @IsOptional()
  @MaxLength(5000)
  notes?: string | null;
}

@InputType({ description: 'Absent fields stay; null clears reference and notes.' })
export class ReceiptUpdateInput {
  @Field(() => ID, { description: 'The receipt to change.' })
  id!: string;

  @Field(() => Int, { nullable: true, description: 'Refuse with STALE_VERSION unless the receipt is at this version.' })
  expectedVersion?: number | null;

  @Field(() => ID, { nullable: true, description: 'Move the receipt to this receivable of the same contract.' })
  receivableId?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Detach the receipt from its receivable.' })
  clearReceivable?: boolean | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'New amount, greater than 0 and within what is outstanding.' })
  amount?: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'New date, not after today.' })
  receivedOn?: string | null;

  @Field(() => ReceiptMethod, { nullable: true, description: 'New method.' })
  method?: ReceiptMethod | null;

  @Field(() => String, { nullable: true, description: 'New reference; null clears it.' })
  @IsOptional()
  @MaxLength(200)
  reference?: string | null;

  @Field(() => String, { nullable: true, description: 'New notes; null clears them.' })
  @IsOptional()
  @MaxLength(5000)
  notes?: string | null;
}
