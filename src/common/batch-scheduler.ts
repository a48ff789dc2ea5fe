import DataLoader from 'dataloader';

// When a request's DataLoaders dispatch their batches. DataLoader's default (the end of the
// current tick) lets the timing of database answers decide how keys group into batches: the users
// behind `Quote.createdBy` and `Contact.createdBy` share one query or need two, depending on which
// page query answered first. Here a request dispatches its pending batches only once none of its
// batches is running any more, level by level, so the statements a query issues depend on its shape
// alone, never on the page size or on timing.

export class BatchScheduler {
  private pending: (() => void)[] = [];
  private running = 0;
  private armed = false;
  private fallback: NodeJS.Timeout | undefined;

  schedule(dispatch: () => void): void {
    this.pending.push(dispatch);
    this.arm();
    // A safety net, never the normal path: should some batch wait on another loader, dispatch
    // anyway after a moment rather than hang the request.
    this.fallback ??= setTimeout(() => {
      this.fallback = undefined;
      this.flush();
    }, FALLBACK_MS);
  }

  private flush(): void {
    if (this.fallback) {
      clearTimeout(this.fallback);
      this.fallback = undefined;
    }
    const ready = this.pending;
    this.pending = [];
    for (const dispatch of ready) dispatch();
  }

  /**
   * The request's EntityManager with every query it runs counted as running work, so that the
   * queries a resolver runs outside any loader (a page's total count, say) hold back dispatch too.
   */
  trackQueries<E extends object>(em: E): E {
    return new Proxy(em, {
      get: (target, property, receiver) => {
        const value = Reflect.get(target, property, receiver);
        if (typeof value !== 'function') return value;
        if (typeof property === 'string' && TRACKED_QUERIES.has(property)) {
          return (...args: unknown[]) => this.track(Promise.resolve(value.apply(target, args)));
        }
        return value.bind(target);
      },
    });
  }

  /** Counts a batch as running until it settles. */
  track<T>(work: Promise<T>): Promise<T> {
    this.running += 1;
    return work.finally(() => {
      this.running -= 1;
      this.arm();
    });
  }

  private arm(): void {
    if (this.armed || this.running > 0 || this.pending.length === 0) return;
    this.armed = true;
    // After the current microtasks: resolvers continuing from the batches that just settled
    // enqueue their loads first.
    setImmediate(() => {
      this.armed = false;
      if (this.running === 0) this.flush();
    });
  }
}

const FALLBACK_MS = 2000;

const TRACKED_QUERIES = new Set(['execute', 'find', 'findOne', 'findOneOrFail', 'findAll', 'findAndCount', 'count']);

let current: BatchScheduler | undefined;

/** Builds a request's loaders so that they share `scheduler`. */
export function withBatchScheduler<T>(scheduler: BatchScheduler, build: () => T): T {
  const previous = current;
  current = scheduler;
  try {
    return build();
  } finally {
    current = previous;
  }
}

/** The scheduler of the loaders being built (for factories that create loaders later). */
export function currentBatchScheduler(): BatchScheduler | undefined {
  return current;
}

/**
 * A DataLoader on the request's scheduler. Batch functions must not wait for other loaders
 * (a running batch holds back every dispatch).
 */
export function requestLoader<K, V>(
  batch: DataLoader.BatchLoadFn<K, V>,
  options: DataLoader.Options<K, V> = {},
  scheduler: BatchScheduler | undefined = current,
): DataLoader<K, V> {
  if (!scheduler) return new DataLoader(batch, options);
  return new DataLoader((keys) => scheduler.track(Promise.resolve(batch(keys))), {
    ...options,
    batchScheduleFn: (dispatch) => scheduler.schedule(dispatch),
  });
}
