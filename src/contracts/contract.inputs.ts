import { IsOptional, Length, MaxLength } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';
import { DateScalar, DecimalScalar } from '../common/scalars.js';
import { ContractStatus } from './contract.entity.js';
import { RecordVersionInput } from '../common/record-inputs.js';

@InputType({ description: '新建合同: a new DRAFT contract of a customer.' })
export class ContractCreateInput {
  @Field(() => ID, { description: 'The customer of the contract.' })
  customerId!: string;

  @Field(() => String, { description: 'Contract title.' })
  @Length(1, 200)
  title!: string;

  @Field(() => DateScalar, { nullable: true, description: 'Date of signing.' })
  signedDate?: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'First day in force.' })
  startDate?: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'On or after startDate.' })
  endDate?: string | null;

  @Field(() => DecimalScalar, { description: 'At least 0, in cents ("120000.00").' })
  amount!: string;

  @Field(() => String, { nullable: true, description: 'ISO 4217 code; default CNY.' })
  @IsOptional()
  @MaxLength(3)
  currency?: string | null;

  @Field(() => String, { nullable: true, description: 'Free-text notes.' })
  @IsOptional()
  @MaxLength(5000)
  notes?: string | null;
}

@InputType({ description: 'Absent fields stay; null clears an optional one.' })
export class ContractUpdateInput {
  @Field(() => ID, { description: 'The contract to change.' })
  id!: string;

  @Field(() => Int, { nullable: true, description: 'Refuse with STALE_VERSION unless the contract is at this version.' })
  expectedVersion?: number | null;

  @Field(() => String, { nullable: true, description: 'New title.' })
  @IsOptional()
  @Length(1, 200)
  title?: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'Date of signing; null clears it.' })
  signedDate?: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'First day in force; null clears it.' })
  startDate?: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'Last day in force, on or after startDate; null clears it.' })
  endDate?: string | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'Not below what is received or planned as receivables.' })
  amount?: string | null;

  @Field(() => String, { nullable: true, description: 'Only while the contract has no receivables or receipts.' })
  @IsOptional()
  @MaxLength(3)
  currency?: string | null;

  @Field(() => String, { nullable: true, description: 'New notes.' })
  @IsOptional()
  @MaxLength(5000)
  notes?: string | null;
}

@InputType({ description: 'The contract, at the version the client read, and its next status.' })
export class ContractStatusChangeInput extends RecordVersionInput {

  @Field(() => ContractStatus, { description: 'DRAFT → ACTIVE → COMPLETED; DRAFT or ACTIVE → TERMINATED.' })
  status!: ContractStatus;
}

@InputType({ description: 'The contract to delete, at the version the client read.' })
export class ContractDeleteInput extends RecordVersionInput {}

@InputType({ description: 'Turns an ACCEPTED quote into a DRAFT contract with the quote total and currency.' })
export class QuoteToContractInput {
  @Field(() => ID, { description: 'The ACCEPTED quote.' })
  quoteId!: string;

  @Field(() => Int, { nullable: true, description: "The quote's version, as for quoteUpdate." })
  expectedVersion?: number | null;

  @Field(() => String, { nullable: true, description: "Default: the quote's title, else its number." })
  @IsOptional()
  @Length(1, 200)
  title?: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'Date of signing.' })
  signedDate?: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'First day in force.' })
  startDate?: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'Last day in force, on or after startDate.' })
  endDate?: string | null;

  @Field(() => String, { nullable: true, description: 'Free-text notes.' })
  @IsOptional()
  @MaxLength(5000)
  notes?: string | null;
}
