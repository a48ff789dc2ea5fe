import { ArrayMaxSize, IsOptional, Length, MaxLength, ValidateNested } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';
import { DateScalar, DecimalScalar } from '../common/scalars.js';
import { QuoteStatus } from './quote.entity.js';
import { RecordVersionInput } from '../common/record-inputs.js';

export const MAX_QUOTE_ITEMS = 200;

@InputType({ description: 'A quote line. The server computes its total; clients never send totals.' })
export class QuoteItemInput {
  @Field(() => String, { description: 'Product or service name, 1 to 200 characters.' })
  @Length(1, 200)
  product!: string;

  @Field(() => String, { nullable: true, description: 'Specification (规格), up to 500 characters.' })
  @IsOptional()
  @MaxLength(500)
  specification?: string | null;

  @Field(() => DecimalScalar, { description: 'Greater than 0, up to 4 decimals.' })
  quantity!: string;

  @Field(() => String, { nullable: true, description: 'Unit of measure, up to 20 characters.' })
  @IsOptional()
  @MaxLength(20)
  unit?: string | null;

  @Field(() => DecimalScalar, { description: 'At least 0, up to 4 decimals.' })
  unitPrice!: string;

  @Field(() => DecimalScalar, { nullable: true, description: 'A fraction 0..1 (up to 4 decimals): "0.15" is 15 % off. Default "0".' })
  discount?: string | null;
}

@InputType({ description: '新建报价: a new DRAFT quote for a customer.' })
export class QuoteCreateInput {
  @Field(() => ID, { description: 'The customer the quote is for.' })
  customerId!: string;

  @Field(() => String, { nullable: true, description: 'A short title, up to 200 characters.' })
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

  @Field(() => String, { nullable: true, description: 'Free-text notes, up to 5,000 characters.' })
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
  @Field(() => ID, { description: 'The quote to change (a DRAFT one).' })
  id!: string;

  @Field(() => Int, { nullable: true, description: 'Refuse with STALE_VERSION unless the quote is at this version.' })
  expectedVersion?: number | null;

  @Field(() => String, { nullable: true, description: 'New title, up to 200 characters.' })
  @IsOptional()
  @MaxLength(200)
  title?: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'New quote date.' })
  quoteDate?: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'Last day the offer holds, on or after quoteDate; null: open.' })
  validUntil?: string | null;

  @Field(() => String, { nullable: true, description: 'New ISO 4217 currency code.' })
  @IsOptional()
  @MaxLength(3)
  currency?: string | null;

  @Field(() => String, { nullable: true, description: 'New notes, up to 5,000 characters.' })
  @IsOptional()
  @MaxLength(5000)
  notes?: string | null;

  @Field(() => [QuoteItemInput], { nullable: true, description: 'When given, replaces every line of the quote.' })
  @IsOptional()
  @ArrayMaxSize(MAX_QUOTE_ITEMS)
  @ValidateNested()
  items?: QuoteItemInput[] | null;
}

@InputType({ description: 'The quote, at the version the client read, and its next status.' })
export class QuoteStatusChangeInput extends RecordVersionInput {

  @Field(() => QuoteStatus, { description: 'DRAFT → SENT → ACCEPTED / REJECTED / EXPIRED.' })
  status!: QuoteStatus;
}

@InputType({ description: 'The quote to delete, at the version the client read.' })
export class QuoteDeleteInput extends RecordVersionInput {}
