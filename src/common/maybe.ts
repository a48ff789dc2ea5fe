// Values that are at hand now or later. Field resolvers return a plain value whenever their data
// is already loaded (the request's loaders keep what they loaded, and the read path loads each
// level of a query ahead of execution, see prefetch.ts); only a value that must still be fetched
// is a promise. GraphQL handles both, and a plain value costs it far less than a resolved promise.

export type MaybePromise<T> = T | Promise<T>;

export function isPromise<T>(value: MaybePromise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

/** `fn(value)` now when the value is at hand, after it arrives otherwise. */
export function andThen<T, R>(value: MaybePromise<T>, fn: (value: T) => MaybePromise<R>): MaybePromise<R> {
  return isPromise(value) ? value.then(fn) : fn(value);
}

/** All values, now when every one is at hand. */
export function all<T>(values: readonly MaybePromise<T>[]): MaybePromise<T[]> {
  return values.some(isPromise) ? Promise.all(values) : (values as T[]);
}
