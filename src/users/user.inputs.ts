import { IsEmail, IsOptional, Length, MaxLength, MinLength } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';
import { MIN_PASSWORD_LENGTH } from '../auth/password.js';
import { Role } from './user.entity.js';

@InputType({ description: 'Credentials to sign in with.' })
export class LoginInput {
  @Field(() => String, { description: 'Sign-in email (case and surrounding spaces do not matter).' })
  @MaxLength(254)
  email!: string;

  @Field(() => String, { description: 'The password.' })
  @MaxLength(200)
  password!: string;
}

@InputType({ description: 'Your current password and the new one.' })
export class PasswordChangeInput {
  @Field(() => String, { description: 'Your password now (INVALID_CREDENTIALS when wrong).' })
  @MaxLength(200)
  currentPassword!: string;

  @Field(() => String, { description: 'At least 8 characters, different from the current one.' })
  @MinLength(MIN_PASSWORD_LENGTH)
  @MaxLength(200)
  newPassword!: string;
}

@InputType({ description: 'A new user account (admins only).' })
export class UserCreateInput {
  @Field(() => String, { description: 'Display name, 1 to 100 characters.' })
  @Length(1, 100)
  name!: string;

  @Field(() => String, { description: 'Sign-in email, unique (VALIDATION_FAILED when taken).' })
  @IsEmail({}, { message: 'email must be a valid email address' })
  @MaxLength(254)
  email!: string;

  @Field(() => String, { description: 'First password, at least 8 characters.' })
  @MinLength(MIN_PASSWORD_LENGTH)
  @MaxLength(200)
  password!: string;

  @Field(() => Role, { description: 'ADMIN, MANAGER or SALES.' })
  role!: Role;

  @Field(() => ID, { nullable: true, description: 'Their manager: an active MANAGER or ADMIN.' })
  managerId?: string | null;
}

@InputType({ description: 'Changes to a user account (admins only); fields left out stay as they are.' })
export class UserUpdateInput {
  @Field(() => ID, { description: 'The user to change.' })
  id!: string;

  @Field(() => Int, { nullable: true, description: 'Refuse with STALE_VERSION unless the user is at this version.' })
  expectedVersion?: number | null;

  @Field(() => String, { nullable: true, description: 'New display name, 1 to 100 characters.' })
  @IsOptional()
  @Length(1, 100)
  name?: string | null;

  @Field(() => String, { nullable: true, description: 'New sign-in email, unique.' })
  @IsOptional()
  @IsEmail({}, { message: 'email must be a valid email address' })
  @MaxLength(254)
  email?: string | null;

  @Field(() => String, { nullable: true, description: 'Sets a new password.' })
  @IsOptional()
  @MinLength(MIN_PASSWORD_LENGTH)
  @MaxLength(200)
  password?: string | null;

  @Field(() => Role, { nullable: true, description: 'New role; ends the user\'s sessions. Someone who manages others must keep a managing role.' })
  role?: Role | null;

  @Field(() => ID, { nullable: true, description: 'The new manager; see clearManager to remove it.' })
  managerId?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Remove the manager (top of the tree).' })
  clearManager?: boolean | null;
}

@InputType({ description: 'A user, by id.' })
export class UserIdInput {
  @Field(() => ID, { description: 'The user\'s global id.' })
  id!: string;
}
