import type { ApolloServerPlugin, GraphQLRequestContext } from '@apollo/server';
import { objectsAssembled } from '../common/assemble.js';
import { refusal } from '../common/error-mapping.js';
import { M, type Language } from '../common/messages.js';
import type { Role } from '../users/user.entity.js';
import { secondsUntil, type BucketLimits, type BucketStore } from './cost-bucket.js';

// Rate limits in cost points. Every request of a signed-in user (or of an API key, on its own bucket) takes its
// estimated cost (request-limits.ts: the objects the response may hold; a mutation at least
// MUTATION_COST) from the bucket of that user before it runs; over the limit it is refused with
// THROTTLED, HTTP 429 and Retry-After. When it has run, the objects it really returned are its
// actual cost and the rest is given back. Every response says so in `extensions.cost`, as
// Shopify's calculated query cost does.

/** What a mutation costs at least, whatever little it returns: it writes. */
export const MUTATION_COST = 10;

export interface CostLimitSettings {
  /** Per role; null: that role's requests are counted but not limited. */
  byRole: Record<Role, BucketLimits | null>;
  /** Every API key's own bucket unless the key sets its own limit; null: keys are not limited. */
  apiKey: BucketLimits | null;
}

/** What a request's context tells the plugin. */
export interface CostCarrier {
  viewer: { id: string; role: Role; apiKey: { id: string; limits: BucketLimits | null } | null } | null;
  /** Set by the request limits (the estimate); absent when the request never got that far. */
  requestedCost?: number;
  log: { warn(obj: object, msg: string): void };
  /** The language of the refusal's message. */
  language?: Language;
}

interface CostState {
  key: string;
  limits: BucketLimits;
  requested: number;
  available: number;
}

export interface CostExtension {
  requestedQueryCost: number;
  actualQueryCost: number | null;
  throttleStatus: { maximumAvailable: number; currentlyAvailable: number; restoreRate: number } | null;
}

/** The objects a response's data holds, at any depth: its actual cost (the data itself is not one). */
export function objectsIn(data: unknown): number {
  if (data === null || typeof data !== 'object') return 0;
  let n = 0;
  for (const key in data) n += countObjects((data as Record<string, unknown>)[key]);
  return n;
}

function countObjects(value: unknown): number {
  if (value === null || typeof value !== 'object') return 0;
  if (Array.isArray(value)) {
    let n = 0;
    for (let i = 0; i < value.length; i++) n += countObjects(value[i]);
    return n;
  }
  let n = 1;
  for (const key in value) {
    const child = (value as Record<string, unknown>)[key];
    if (child !== null && typeof child === 'object') n += countObjects(child);
  }
  return n;
}

export function costLimitsPlugin<C extends CostCarrier>(store: BucketStore, settings: CostLimitSettings): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      let state: CostState | undefined;
      let requested = 0;
      let isMutation = false;
      let refused: CostExtension | undefined;
      return {
        // After the request limits, which set the estimate (plugins run in their order).
        async didResolveOperation(rc: GraphQLRequestContext<C>) {
          const ctx = rc.contextValue;
          isMutation = rc.operation?.operation === 'mutation';
          requested = Math.max(ctx.requestedCost ?? 0, isMutation ? MUTATION_COST : 0);
          const viewer = ctx.viewer;
          // A request with an API key draws on the key's own bucket, not its user's.
          const apiKey = viewer?.apiKey;
          const limits = apiKey ? (apiKey.limits ?? settings.apiKey) : viewer ? settings.byRole[viewer.role] : null;
          if (!viewer || !limits) return;
          const key = apiKey ? `key:${apiKey.id}` : `user:${viewer.id}`;
          const taken = await store.take(key, requested, limits);
          state = { key, limits, requested, available: taken.available };
          if (taken.ok) return;
          const retryAfter = secondsUntil(requested, taken.available, limits);
          rc.response.http.headers.set('retry-after', String(retryAfter));
          refused = { requestedQueryCost: requested, actualQueryCost: null, throttleStatus: status(limits, taken.available) };
          state = undefined; // nothing was taken: nothing to give back
          throw refusal(
            requested > limits.size
              ? M.costAboveBucket({ cost: requested, size: limits.size })
              : M.throttled({ cost: requested, available: Math.floor(taken.available), seconds: retryAfter }),
            ctx.language,
            { code: 'THROTTLED', retryAfter, http: { status: 429 } },
          );
        },
        async willSendResponse(rc: GraphQLRequestContext<C>) {
          const body = rc.response.body;
          if (body?.kind !== 'single') return;
          const result = body.singleResult;
          if (refused) {
            result.extensions = { ...result.extensions, cost: refused };
            return;
          }
          if (rc.contextValue.requestedCost === undefined) return; // refused before it was priced
          const executed = 'data' in result && result.data !== undefined;
          const objects = executed && result.data ? (objectsAssembled(result.data) ?? objectsIn(result.data)) : 0;
          const actual = executed ? Math.max(objects, isMutation ? MUTATION_COST : 0) : 0;
          let throttleStatus: CostExtension['throttleStatus'] = null;
          if (state) {
            const back = state.requested - actual;
            const { key, limits } = state;
            let available = Math.min(limits.size, state.available + back);
            // Given back before the answer leaves, so that the client's next request finds it.
            if (back !== 0) {
              available = await store.give(key, back, limits).catch((error: unknown) => {
                rc.contextValue.log.warn({ err: error }, 'rate limit: give-back failed');
                return available;
              });
            }
            throttleStatus = status(limits, available);
          }
          const cost: CostExtension = { requestedQueryCost: requested, actualQueryCost: executed ? actual : null, throttleStatus };
          result.extensions = { ...result.extensions, cost };
        },
      };
    },
  };
}

function status(limits: BucketLimits, available: number): CostExtension['throttleStatus'] {
  return { maximumAvailable: limits.size, currentlyAvailable: Math.max(0, Math.floor(available)), restoreRate: limits.restoreRate };
}
