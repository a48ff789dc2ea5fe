import { IsEmail, IsOptional, Length, MaxLength } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';
import { DateScalar } from '../common/scalars.js';
import { Gender } from './contact.entity.js';
import { RecordVersionInput } from '../common/record-inputs.js';

/** The editable details of a contact, shared by create and update. */
@InputType({ description: 'The editable details of a contact.' })
abstract class ContactFieldsInput {
  @Field(() => String, { nullable: true, description: 'Job title (职务).' })
  @IsOptional()
  @MaxLength(100)
  title?: string | null;

  @Field(() => String, { nullable: true, description: 'Department, up to 100 characters.' })
  @IsOptional()
  @MaxLength(100)
  department?: string | null;

  @Field(() => String, { nullable: true, description: 'Mobile phone, up to 50 characters; searchable by its digits.' })
  @IsOptional()
  @MaxLength(50)
  mobile?: string | null;

  @Field(() => String, { nullable: true, description: 'Office phone, up to 50 characters.' })
  @IsOptional()
  @MaxLength(50)
  phone?: string | null;

  @Field(() => String, { nullable: true, description: 'Email address.' })
  @IsOptional()
  @IsEmail({}, { message: 'email must be a valid email address' })
  @MaxLength(254)
  email?: string | null;

  @Field(() => String, { nullable: true, description: 'Instant messaging handle, e.g. a WeChat id.' })
  @IsOptional()
  @MaxLength(100)
  imHandle?: string | null;

  @Field(() => Gender, { nullable: true, description: 'Gender.' })
  gender?: Gender | null;

  @Field(() => DateScalar, { nullable: true, description: 'Not in the future.' })
  birthday?: string | null;

  @Field(() => String, { nullable: true, description: 'Address, up to 300 characters.' })
  @IsOptional()
  @MaxLength(300)
  address?: string | null;

  @Field(() => String, { nullable: true, description: 'Free-text notes, up to 5,000 characters.' })
  @IsOptional()
  @MaxLength(5000)
  notes?: string | null;
}

@InputType({ description: '新建联系人: a new contact of a customer.' })
export class ContactCreateInput extends ContactFieldsInput {
  @Field(() => ID, { description: 'The customer the contact belongs to.' })
  customerId!: string;

  @Field(() => String, { description: 'The contact\'s name, 1 to 100 characters.' })
  @Length(1, 100)
  name!: string;

  @Field(() => Boolean, {
    nullable: true,
    defaultValue: false,
    description: 'Make it the primary contact; the previous primary contact stops being primary.',
  })
  isPrimary?: boolean | null;
}

@InputType({ description: 'Fields left out stay as they are; null clears an optional field.' })
export class ContactUpdateInput extends ContactFieldsInput {
  @Field(() => ID, { description: 'The contact to change.' })
  id!: string;

  @Field(() => Int, { nullable: true, description: 'Refuse with STALE_VERSION unless the contact is at this version.' })
  expectedVersion?: number | null;

  @Field(() => String, { nullable: true, description: 'New name, 1 to 100 characters.' })
  @IsOptional()
  @Length(1, 100)
  name?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'true: make it the primary contact (the previous one stops being primary); false: no longer primary.',
  })
  isPrimary?: boolean | null;
}

@InputType({ description: 'The contact to delete, at the version the client read.' })
export class ContactDeleteInput extends RecordVersionInput {}

@InputType({ description: 'The contacts to delete.' })
export class ContactsDeleteInput {
  @Field(() => [ID], { description: '1 to 100 contacts.' })
  contactIds!: string[];
}
