import { IsEmail, IsOptional, Length, MaxLength, MinLength } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';
import { MIN_PASSWORD_LENGTH } from '../auth/password.js';
import { Role } from './user.entity.js';

@InputType()
export class LoginInput {
  @Field(() => String)
  @MaxLength(254)
  email!: string;

  @Field(() => String)
  @MaxLength(200)
  password!: string;
}

@InputType()
export class PasswordChangeInput {
  @Field(() => String)
  @MaxLength(200)
  currentPassword!: string;

  @Field(() => String)
  @MinLength(MIN_PASSWORD_LENGTH)
  @MaxLength(200)
  newPassword!: string;
}

@InputType()
export class UserCreateInput {
  @Field(() => String)
  @Length(1, 100)
  name!: string;

  @Field(() => String)
  @IsEmail({}, { message: 'email must be a valid email address' })
  @MaxLength(254)
  email!: string;

  @Field(() => String)
  @MinLength(MIN_PASSWORD_LENGTH)
  @MaxLength(200)
  password!: string;

  @Field(() => Role)
  role!: Role;

  @Field(() => ID, { nullable: true })
  managerId?: string | null;
}

@InputType()
export class UserUpdateInput {
  @Field(() => ID)
  id!: string;

  @Field(() => Int, { nullable: true, description: 'Refuse with STALE_VERSION unless the user is at this version.' })
  expectedVersion?: number | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 100)
  name?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsEmail({}, { message: 'email must be a valid email address' })
  @MaxLength(254)
  email?: string | null;

  @Field(() => String, { nullable: true, description: 'Sets a new password.' })
  @IsOptional()
  @MinLength(MIN_PASSWORD_LENGTH)
  @MaxLength(200)
  password?: string | null;

  @Field(() => Role, { nullable: true })
  role?: Role | null;

  @Field(() => ID, { nullable: true, description: 'The new manager; see clearManager to remove it.' })
  managerId?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Remove the manager (top of the tree).' })
  clearManager?: boolean | null;
}

@InputType()
export class UserIdInput {
  @Field(() => ID)
  id!: string;
}
