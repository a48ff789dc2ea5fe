import { Field, Int, ObjectType } from 'type-graphql';
import { AppError, ErrorCode } from './errors.js';
import type { Language } from './messages.js';

@ObjectType({ description: 'An expected business outcome that prevented (part of) a mutation.' })
export class UserError {
  @Field(() => ErrorCode, { description: 'Stable code to branch on (the message may change).' })
  code!: ErrorCode;

  @Field(() => String, { description: 'Human-readable explanation, fit to show the salesperson.' })
  message!: string;

  @Field(() => [String], { nullable: true, description: 'Path to the input field at fault.' })
  field?: string[] | null;

  @Field(() => String, { nullable: true, description: 'ALREADY_CLAIMED: who owns the customer.' })
  ownerName?: string | null;

  @Field(() => Date, { nullable: true, description: 'ALREADY_CLAIMED: when they claimed it.' })
  claimedAt?: Date | null;

  @Field(() => Date, { nullable: true, description: 'COOLDOWN: when the viewer may claim again.' })
  until?: Date | null;

  @Field(() => Int, { nullable: true, description: 'LIMIT_REACHED: the limit in force.' })
  limit?: number | null;

  /** The error as the viewer reads it: its message in their language. */
  static from(error: AppError, language: Language): UserError {
    return Object.assign(new UserError(), {
      code: error.code,
      message: error.render(language),
      field: error.field ?? null,
      ...error.details,
    });
  }
}
