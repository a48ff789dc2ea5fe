import { IsInt, IsOptional, Min } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';

@InputType()
export class AttachmentDeleteInput {
  @Field(() => ID)
  id!: string;

  @Field(() => Int, { nullable: true, description: 'Refuse with STALE_VERSION unless the attachment is at this version.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  expectedVersion?: number | null;
}
