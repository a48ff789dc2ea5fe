import { IsOptional, Length, MaxLength } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';
import { InteractionType } from './interaction.entity.js';
import { RecordVersionInput } from '../common/record-inputs.js';

@InputType()
export class InteractionCreateInput {
  @Field(() => ID)
  customerId!: string;

  @Field(() => InteractionType)
  type!: InteractionType;

  @Field(() => Date, { description: 'When it happened; not in the future.' })
  occurredAt!: Date;

  @Field(() => ID, { nullable: true, description: 'The contact involved: one of the same customer.' })
  contactId?: string | null;

  @Field(() => String)
  @Length(1, 200)
  subject!: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(20000)
  content?: string | null;

  @Field(() => Date, { nullable: true, description: 'When to follow up next; after occurredAt.' })
  nextFollowUpAt?: Date | null;
}

@InputType({ description: 'Fields left out stay as they are; null clears an optional field.' })
export class InteractionUpdateInput {
  @Field(() => ID)
  id!: string;

  @Field(() => Int, { nullable: true, description: 'Refuse with STALE_VERSION unless the interaction is at this version.' })
  expectedVersion?: number | null;

  @Field(() => InteractionType, { nullable: true })
  type?: InteractionType | null;

  @Field(() => Date, { nullable: true })
  occurredAt?: Date | null;

  @Field(() => ID, { nullable: true })
  contactId?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 200)
  subject?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(20000)
  content?: string | null;

  @Field(() => Date, { nullable: true })
  nextFollowUpAt?: Date | null;
}

@InputType()
export class InteractionDeleteInput extends RecordVersionInput {}
