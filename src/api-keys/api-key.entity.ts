import { ArrayType, BigIntType, Entity, ManyToOne, PrimaryKey, Property, type Opt, type Ref } from '@mikro-orm/core';
import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { ApiScope } from '../auth/api-scope.js';
import { toGlobalId } from '../common/ids.js';
import { User } from '../users/user.entity.js';

registerEnumType(ApiScope, {
  name: 'ApiScope',
  description: 'What an API key may do, always within what its user may do.',
  valuesConfig: {
    READ: { description: 'Queries: everything its user can see.' },
    WRITE: { description: 'Customer data and its records (contacts, interactions, quotes, contracts, payments); no pool actions.' },
    POOL: { description: 'Ownership and pool actions: claim, return, reclaim, assign, share, archive, restore, handover.' },
    ADMIN: { description: 'User and settings management; only for keys of admins.' },
  },
});

@ObjectType({ description: "An API key's own rate limit in cost points (otherwise RATE_LIMIT_API_KEY)." })
export class ApiKeyRateLimit {
  @Field(() => Int, { description: 'Points the bucket holds when full.' })
  points!: number;

  @Field(() => Float, { description: 'Points restored per second.' })
  restorePerSecond!: number;
}

/**
 * A key a partner app signs in with (Authorization: Bearer crm_<prefix>_<secret>). Its secret is
 * shown once, when it is created; the database keeps only its SHA-256 (secret_hash, not mapped).
 */
@ObjectType({ description: 'An API key of a partner app: it acts as its user, narrowed by its scopes.' })
@Entity({ tableName: 'api_key' })
export class ApiKey {
  @PrimaryKey({ type: new BigIntType('string') })
  id!: string;

  @Field(() => ID, { name: 'id', description: 'Global, opaque id of the key (for apiKeyRevoke).' })
  get nodeId(): Opt<string> {
    return toGlobalId('ApiKey', this.id);
  }

  @ManyToOne({ entity: () => User, ref: true, fieldName: 'user_id' })
  user!: Ref<User>;

  @Field(() => String, { description: 'What the key is for, as its user named it.' })
  @Property({ type: 'text' })
  name!: string;

  @Field(() => [ApiScope], { description: 'What the key may do, within what its user may do.' })
  @Property({ type: ArrayType, columnType: 'text[]' })
  scopes!: ApiScope[];

  @Field(() => String, { description: 'The public start of the secret (crm_<prefix>_…), to recognise the key.' })
  @Property({ type: 'text' })
  prefix!: string;

  @Property({ type: 'integer', nullable: true })
  rateLimitPoints?: number | null;

  @Property({ type: 'double', columnType: 'double precision', nullable: true })
  rateLimitRestore?: number | null;

  @Field(() => ApiKeyRateLimit, { nullable: true, name: 'rateLimit', description: 'Its own rate limit; null: RATE_LIMIT_API_KEY.' })
  get ownRateLimit(): ApiKeyRateLimit | null {
    return this.rateLimitPoints && this.rateLimitRestore ? { points: this.rateLimitPoints, restorePerSecond: this.rateLimitRestore } : null;
  }

  @Field(() => Date, { description: 'When the key was made.' })
  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date & Opt = new Date();

  @Field(() => Date, { nullable: true, description: 'After this the key is refused; null: never expires.' })
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  expiresAt?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Its last use, to the minute (API_KEY_LAST_USED_FLUSH_SECONDS).' })
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  lastUsedAt?: Date | null;

  @Field(() => Date, { nullable: true, description: 'When it was revoked; a revoked key is refused everywhere at once.' })
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  revokedAt?: Date | null;
}
