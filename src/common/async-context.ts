import { AsyncLocalStorage } from 'node:async_hooks';

// Async contexts that cost nothing when none is open.
//
// On Node 20 an AsyncLocalStorage is implemented with async hooks: while any storage is enabled,
// Node runs a hook for every promise the process creates (to carry the stores along), and a
// storage stays enabled for good once it has run. The ORM runs its storages (a transaction's
// EntityManager, a flush, raw SQL fragments) around writes only, but after the first write the
// hook would run on every promise of every request: on a nested page, about 5% of its CPU time
// and of what it allocates. So every storage is disabled again when the last of its runs is over
// (its callback returned, or the promise it returned settled); its next run enables it again.
// Outside its runs a storage has no store to give anyway, so nothing can tell the difference.
// Node 22's async context frames make this unnecessary; it changes nothing there either.
//
// A storage entered with `enterWith` (which has no end) stays enabled, as Node has it.

const openRuns = new WeakMap<AsyncLocalStorage<unknown>, number>();
let installed = false;

function close(storage: AsyncLocalStorage<unknown>): void {
  const open = (openRuns.get(storage) ?? 1) - 1;
  openRuns.set(storage, open);
  if (open === 0) storage.disable();
}

/** Makes every AsyncLocalStorage of the process turn itself off when none of its runs is open. */
export function releaseIdleAsyncContexts(): void {
  if (installed) return;
  installed = true;
  const run = AsyncLocalStorage.prototype.run;
  AsyncLocalStorage.prototype.run = function runThenRelease<R, A extends unknown[]>(
    this: AsyncLocalStorage<unknown>,
    store: unknown,
    callback: (...args: A) => R,
    ...args: A
  ): R {
    openRuns.set(this, (openRuns.get(this) ?? 0) + 1);
    let result: R;
    try {
      result = run.call(this, store, callback, ...args) as R;
    } catch (error) {
      close(this);
      throw error;
    }
    if (result instanceof Promise) return result.finally(() => close(this)) as R;
    close(this);
    return result;
  } as typeof run;
}

/** Whether the storage is on (what the tests check): Node's own flag, not part of its types. */
export function isEnabled(storage: AsyncLocalStorage<unknown>): boolean {
  return (storage as unknown as { enabled: boolean }).enabled === true;
}
