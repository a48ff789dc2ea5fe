import { AsyncLocalStorage } from 'node:async_hooks';

// The time a change is recorded at: now, except inside `atTime`, which the demo company uses to
// build its past through the same services (claims months ago, returns since). Ownership changes
// and their history events read it; nothing else needs to.

const pinned = new AsyncLocalStorage<Date>();

/** The current time, or the time `atTime` runs its work at. */
export function now(): Date {
  const at = pinned.getStore();
  return at ? new Date(at.getTime()) : new Date();
}

/** Runs `work` with `now()` answering `at` (never in the future: that would be a history to come). */
export function atTime<T>(at: Date, work: () => Promise<T>): Promise<T> {
  if (at.getTime() > Date.now()) throw new Error(`atTime: ${at.toISOString()} is in the future`);
  return pinned.run(at, work);
}
