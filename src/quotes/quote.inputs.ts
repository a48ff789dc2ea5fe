import { ArrayMaxSize, IsOptional, Length, MaxLength, ValidateNested } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';
import { DateScalar, DecimalScalar } from '../common/scalars.js';
import { QuoteStatus } from './quote.entity.js';
import { RecordVersionInput } from '../common/record-inputs.js';

export const MAX_QUOTE_ITEMS = 200;

@InputType({ description: 'A quote line. The server computes its total; clients never send totals.' })
export class QuoteItemInput {
  @Field(() => String)
  @Length(1, 200)
  product!: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(500)
  specification?: string | null;

  @Field(() => DecimalScalar, { description: 'Greater than 0, up to 4 decimals.' })
  quantity!: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(20)
  unit?: string | null;

  @Field(() => DecimalScalar, { description: 'At least 0, up to 4 decimals.' })
  unitPrice!: string;

  @Field(() => DecimalScalar, { nullable: true, description: 'A fraction 0..1 (up to 4 decimals): "0.15" is 15 % off. Default "0".' })
  discount?: string | null;
}

@InputType()
export class QuoteCreateInput {
  @Field(() => ID)
  customerId!: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(200)
  title?: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'Default: today in the company time zone.' })
  quoteDate?: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'On or after quoteDate.' })
  validUntil?: string | null;

  @Field(() => String, { nullable: true, description: 'ISO 4217 code; default CNY.' })
  @IsOptional()
  @MaxLength(3)
  currency?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(5000)
  notes?: string | null;

  @Field(() => [QuoteItemInput], { nullable: true, description: `The lines, in order (at most ${MAX_QUOTE_ITEMS}).` })
  @IsOptional()
  @ArrayMaxSize(MAX_QUOTE_ITEMS)
  @ValidateNested()
  items?: QuoteItemInput[] | null;
}

@InputType({ description: 'Only a DRAFT quote can be changed. Absent fields stay; null clears an optional one.' })
export class QuoteUpdateInput {
  @Field(() => ID)
  id!: string;

  @Field(() => Int, { nullable: true, description: 'Refuse with STALE_VERSION unless the quote is at this version.' })
  expectedVersion?: number | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(200)
  title?: string | null;

  @Field(() => DateScalar, { nullable: true })
  quoteDate?: string | null;

  @Field(() => DateScalar, { nullable: true })
  validUntil?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(3)
  currency?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(5000)
  notes?: string | null;

  @Field(() => [QuoteItemInput], { nullable: true, description: 'When given, replaces every line of the quote.' })
  @IsOptional()
  @ArrayMaxSize(MAX_QUOTE_ITEMS)
  @ValidateNested()
  items?: QuoteItemInput[] | null;
}

@InputType()
export class QuoteStatusChangeInput extends RecordVersionInput {

  @Field(() => QuoteStatus, { description: 'DRAFT → SENT → ACCEPTED / REJECTED / EXPIRED.' })
  status!: QuoteStatus;
}

@InputType()
export class QuoteDeleteInput extends RecordVersionInput {}
