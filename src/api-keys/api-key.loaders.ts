import type { RequestLoader } from '../common/batch-scheduler.js';
import type { MaybePromise } from '../common/maybe.js';
import type { Reads } from '../common/reads.js';
import { recordLoader } from '../common/record-loaders.js';
import type { Context } from '../context.js';
import { ApiKey } from './api-key.entity.js';

export interface ApiKeyLoaders {
  apiKeyById: RequestLoader<string, ApiKey | null>;
}

export function createApiKeyLoaders(reads: Reads): ApiKeyLoaders {
  return { apiKeyById: recordLoader(reads, ApiKey) };
}

/** The key a history event or an access-log row names, if any. */
export function maybeApiKeyOf(ctx: Context, id: string | null | undefined): MaybePromise<ApiKey | null> {
  return id ? ctx.loaders.apiKeyById.get(id) : null;
}
