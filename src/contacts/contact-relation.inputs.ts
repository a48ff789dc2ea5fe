import { IsOptional, Length, MaxLength } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';
import { RelationshipType } from './contact-relation.entity.js';
import { RecordVersionInput } from '../common/record-inputs.js';

/** The editable details of a social relation, shared by create and update. */
@InputType({ description: 'The editable details of a social relation.' })
abstract class ContactRelationFieldsInput {
  @Field(() => String, { nullable: true, description: 'Where the related person works.' })
  @IsOptional()
  @MaxLength(200)
  organization?: string | null;

  @Field(() => String, { nullable: true, description: 'The related person\'s position, up to 100 characters.' })
  @IsOptional()
  @MaxLength(100)
  position?: string | null;

  @Field(() => String, { nullable: true, description: 'The related person\'s phone, up to 50 characters.' })
  @IsOptional()
  @MaxLength(50)
  phone?: string | null;

  @Field(() => String, { nullable: true, description: 'Free-text notes, up to 5,000 characters.' })
  @IsOptional()
  @MaxLength(5000)
  notes?: string | null;
}

@InputType({ description: '新建社会关系: a new social relation of a contact.' })
export class ContactRelationCreateInput extends ContactRelationFieldsInput {
  @Field(() => ID, { description: 'The contact whose relation this is.' })
  contactId!: string;

  @Field(() => RelationshipType, { description: 'How the person stands to the contact.' })
  relationship!: RelationshipType;

  @Field(() => String, { nullable: true, description: "The related person's name; defaults to the linked contact's name." })
  @IsOptional()
  @Length(1, 100)
  personName?: string | null;

  @Field(() => ID, { nullable: true, description: 'Link to another contact record (of any customer the viewer can see).' })
  relatedContactId?: string | null;
}

@InputType({ description: 'Fields left out stay as they are; null clears an optional field (relatedContactId: null unlinks).' })
export class ContactRelationUpdateInput extends ContactRelationFieldsInput {
  @Field(() => ID, { description: 'The relation to change.' })
  id!: string;

  @Field(() => Int, { nullable: true, description: 'Refuse with STALE_VERSION unless the relation is at this version.' })
  expectedVersion?: number | null;

  @Field(() => RelationshipType, { nullable: true, description: 'New relationship; cannot be cleared (VALIDATION_FAILED).' })
  relationship?: RelationshipType | null;

  @Field(() => String, { nullable: true, description: 'The related person\'s new name, 1 to 100 characters.' })
  @IsOptional()
  @Length(1, 100)
  personName?: string | null;

  @Field(() => ID, { nullable: true, description: 'Link to another contact the viewer can see; null unlinks.' })
  relatedContactId?: string | null;
}

@InputType({ description: 'The relation to delete, at the version the client read.' })
export class ContactRelationDeleteInput extends RecordVersionInput {}
