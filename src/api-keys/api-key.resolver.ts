import { Arg, Ctx, Field, FieldResolver, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../context.js';
import { UserError } from '../common/user-error.js';
import type { MaybePromise } from '../common/maybe.js';
import { DocumentAccess } from '../print/document-access.entity.js';
import { OwnershipEvent } from '../customers/ownership-event.entity.js';
import { User } from '../users/user.entity.js';
import { userOf } from '../users/user.loaders.js';
import { ApiKey } from './api-key.entity.js';
import { ApiKeyCreateInput, ApiKeyRevokeInput } from './api-key.inputs.js';
import { maybeApiKeyOf } from './api-key.loaders.js';
import * as apiKeys from './api-key.service.js';

@ObjectType({ description: 'A new API key and its secret (shown only here), or why not.' })
export class ApiKeyCreatePayload {
  @Field(() => ApiKey, { nullable: true, description: 'The new key; null when the mutation failed.' })
  apiKey?: ApiKey | null;

  @Field(() => String, {
    nullable: true,
    description: 'The secret to send as Authorization: Bearer <secret>. Shown here once: it is stored only as a hash.',
  })
  secret?: string | null;

  @Field(() => [UserError], { description: 'Why the mutation failed, as stable codes (empty on success); nothing was changed then.' })
  userErrors!: UserError[];
}

@ObjectType({ description: 'The outcome of revoking an API key.' })
export class ApiKeyRevokePayload {
  @Field(() => ApiKey, { nullable: true, description: 'The key, now revoked; null when the mutation failed.' })
  apiKey?: ApiKey | null;

  @Field(() => [UserError], { description: 'Why the mutation failed, as stable codes (empty on success); nothing was changed then.' })
  userErrors!: UserError[];
}

@Resolver(() => ApiKey)
export class ApiKeyResolver {
  @Query(() => [ApiKey], { description: 'Your API keys, newest first (an admin: everyone’s). Secrets are never listed.' })
  apiKeys(@Ctx() ctx: Context): Promise<ApiKey[]> {
    return apiKeys.listApiKeys(ctx);
  }

  @Mutation(() => ApiKeyCreatePayload, {
    description: 'A new API key of yours for a partner app, with the scopes it may use; its secret is in this payload only. Not with an API key. VALIDATION_FAILED (no scope, a scope beyond your role, expiresAt not in the future, a non-admin\'s rate limit above RATE_LIMIT_API_KEY).',
  })
  async apiKeyCreate(@Arg('input', () => ApiKeyCreateInput, { description: 'See ApiKeyCreateInput for what each field takes.' }) input: ApiKeyCreateInput, @Ctx() ctx: Context): Promise<ApiKeyCreatePayload> {
    return { ...(await apiKeys.createApiKey(ctx, input)), userErrors: [] };
  }

  @Mutation(() => ApiKeyRevokePayload, {
    description: 'Revoke one of your API keys (an admin: anyone’s); refused everywhere from the next request. Not with an API key. NOT_FOUND (unknown or someone else\'s key), INVALID_TRANSITION (revoked already).',
  })
  async apiKeyRevoke(@Arg('input', () => ApiKeyRevokeInput, { description: 'See ApiKeyRevokeInput for what each field takes.' }) input: ApiKeyRevokeInput, @Ctx() ctx: Context): Promise<ApiKeyRevokePayload> {
    return { apiKey: await apiKeys.revokeApiKey(ctx, input), userErrors: [] };
  }

  @FieldResolver(() => User, { description: 'Whose key it is: it acts as this user.' })
  user(@Root() key: ApiKey, @Ctx() ctx: Context): MaybePromise<User> {
    return userOf(ctx, key.user.id);
  }
}

@Resolver(() => OwnershipEvent)
export class OwnershipEventApiKeyResolver {
  @FieldResolver(() => ApiKey, { nullable: true, description: 'The API key the actor used; null when they acted in person (or the system).' })
  apiKey(@Root() event: OwnershipEvent, @Ctx() ctx: Context): MaybePromise<ApiKey | null> {
    return maybeApiKeyOf(ctx, event.apiKey?.id);
  }
}

@Resolver(() => DocumentAccess)
export class DocumentAccessApiKeyResolver {
  @FieldResolver(() => ApiKey, { nullable: true, description: 'The API key the request used; null when it was not made with one.' })
  apiKey(@Root() access: DocumentAccess, @Ctx() ctx: Context): MaybePromise<ApiKey | null> {
    return maybeApiKeyOf(ctx, access.apiKey?.id);
  }
}
