import type { AppDeps } from '../context.js';
import { PgBucketStore, RedisBucketStore, type BucketStore } from './cost-bucket.js';

/** Redis when REDIS_URL is set (what operators run at scale), else the database every instance shares. */
export function createBucketStore(app: Pick<AppDeps, 'config' | 'orm'>): BucketStore {
  const { url, keyPrefix } = app.config.redis;
  return url ? new RedisBucketStore(url, `${keyPrefix}cost:`) : new PgBucketStore(() => app.orm.em.fork());
}
