import { IsOptional, Length, MaxLength } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';
import { InteractionType } from './interaction.entity.js';
import { RecordVersionInput } from '../common/record-inputs.js';

@InputType({ description: '新建交往记录: a new interaction with a customer.' })
export class InteractionCreateInput {
  @Field(() => ID, { description: 'The customer it was with.' })
  customerId!: string;

  @Field(() => InteractionType, { description: 'Visit, call, email, meeting, message or other.' })
  type!: InteractionType;

  @Field(() => Date, { description: 'When it happened; not in the future.' })
  occurredAt!: Date;

  @Field(() => ID, { nullable: true, description: 'The contact involved: one of the same customer.' })
  contactId?: string | null;

  @Field(() => String, { description: 'What it was about, 1 to 200 characters.' })
  @Length(1, 200)
  subject!: string;

  @Field(() => String, { nullable: true, description: 'What was said or done, up to 20,000 characters.' })
  @IsOptional()
  @MaxLength(20000)
  content?: string | null;

  @Field(() => Date, { nullable: true, description: 'When to follow up next; after occurredAt.' })
  nextFollowUpAt?: Date | null;
}

@InputType({ description: 'Fields left out stay as they are; null clears an optional field.' })
export class InteractionUpdateInput {
  @Field(() => ID, { description: 'The interaction to change.' })
  id!: string;

  @Field(() => Int, { nullable: true, description: 'Refuse with STALE_VERSION unless the interaction is at this version.' })
  expectedVersion?: number | null;

  @Field(() => InteractionType, { nullable: true, description: 'New type; cannot be cleared.' })
  type?: InteractionType | null;

  @Field(() => Date, { nullable: true, description: 'When it happened; not in the future, cannot be cleared.' })
  occurredAt?: Date | null;

  @Field(() => ID, { nullable: true, description: 'The contact involved (one of the same customer); null: none.' })
  contactId?: string | null;

  @Field(() => String, { nullable: true, description: 'New subject, 1 to 200 characters.' })
  @IsOptional()
  @Length(1, 200)
  subject?: string | null;

  @Field(() => String, { nullable: true, description: 'New content, up to 20,000 characters.' })
  @IsOptional()
  @MaxLength(20000)
  content?: string | null;

  @Field(() => Date, { nullable: true, description: 'When to follow up next, after occurredAt; null: no follow-up planned.' })
  nextFollowUpAt?: Date | null;
}

@InputType({ description: 'The interaction to delete, at the version the client read.' })
export class InteractionDeleteInput extends RecordVersionInput {}
