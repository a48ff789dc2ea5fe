import { currentBatchScheduler, requestLoader, type RequestLoader } from './batch-scheduler.js';
import type { ConnectionResult } from './connection.js';
import { cursorsAsked, type PageArgs } from './keyset.js';

/**
 * Loaders for a nested connection: one loader per distinct page arguments, so that
 * `contacts(first: 5)` under a page of 50 customers is one batched read (see paginateByParent).
 */
export function pageLoaders<T>(
  load: (parentIds: readonly string[], args: PageArgs) => Promise<Map<string, ConnectionResult<T>>>,
): (args: PageArgs) => RequestLoader<string, ConnectionResult<T>> {
  const byArgs = new Map<string, RequestLoader<string, ConnectionResult<T>>>();
  const scheduler = currentBatchScheduler(); // the request's, captured while its loaders are built
  return (args) => {
    const key = JSON.stringify([args.first, args.after, args.last, args.before, cursorsAsked(args)]);
    let loader = byArgs.get(key);
    if (!loader) {
      loader = requestLoader<string, ConnectionResult<T>>(async (ids) => {
        const pages = await load(ids, args);
        return ids.map((id) => pages.get(id)!);
      }, scheduler);
      byArgs.set(key, loader);
    }
    return loader;
  };
}

/** Groups rows by a key, in order, for loaders that return a list per key. */
export function groupBy<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    const list = groups.get(k);
    if (list) list.push(row);
    else groups.set(k, [row]);
  }
  return groups;
}
