import { ArrayMaxSize, IsOptional, MaxLength, ValidateNested } from 'class-validator';
import { Field, Float, ID, InputType, Int } from 'type-graphql';
import { ApiScope } from '../auth/api-scope.js';

@InputType({ description: "A key's own rate limit in cost points; a non-admin may set one at or below RATE_LIMIT_API_KEY." })
export class ApiKeyRateLimitInput {
  @Field(() => Int, { description: 'Points the bucket holds when full.' })
  points!: number;

  @Field(() => Float, { description: 'Points restored per second.' })
  restorePerSecond!: number;
}

@InputType({ description: 'A new API key of yours.' })
export class ApiKeyCreateInput {
  @Field(() => String, { description: 'What the key is for (e.g. the partner app), shown in lists.' })
  @MaxLength(200)
  name!: string;

  @Field(() => [ApiScope], { description: 'What the key may do, within what you may do; at least one.' })
  @ArrayMaxSize(10)
  scopes!: ApiScope[];

  @Field(() => Date, { nullable: true, description: 'When the key stops working (in the future); null: never.' })
  @IsOptional()
  expiresAt?: Date | null;

  @Field(() => ApiKeyRateLimitInput, { nullable: true, description: 'Its own rate limit; null: RATE_LIMIT_API_KEY.' })
  @IsOptional()
  @ValidateNested()
  rateLimit?: ApiKeyRateLimitInput | null;
}

@InputType({ description: 'The API key to revoke.' })
export class ApiKeyRevokeInput {
  @Field(() => ID, { description: 'The key\'s id (ApiKey.id).' })
  id!: string;
}
