import { AppError, ErrorCode } from './errors.js';

/** A record's status machine: for each status, the statuses it may move to (none: final). */
export type Transitions<S extends string> = Readonly<Record<S, readonly S[]>>;

export function canTransition<S extends string>(table: Transitions<S>, from: S, to: S): boolean {
  return table[from].includes(to);
}

/** INVALID_TRANSITION unless `from → to` is in the table. */
export function assertTransition<S extends string>(table: Transitions<S>, from: S, to: S, what: string): void {
  if (canTransition(table, from, to)) return;
  const allowed = table[from];
  const hint = allowed.length ? `; from ${from} it can go to ${allowed.join(', ')}` : `; ${from} is final`;
  throw new AppError(ErrorCode.INVALID_TRANSITION, `A ${what} cannot go from ${from} to ${to}${hint}`, ['input', 'status']);
}
