import { AppError, ErrorCode } from './errors.js';
import { M } from './messages.js';

/** A record's status machine: for each status, the statuses it may move to (none: final). */
export type Transitions<S extends string> = Readonly<Record<S, readonly S[]>>;

export function canTransition<S extends string>(table: Transitions<S>, from: S, to: S): boolean {
  return table[from].includes(to);
}

/** INVALID_TRANSITION unless `from → to` is in the table. */
export function assertTransition<S extends string>(table: Transitions<S>, from: S, to: S, what: string): void {
  if (canTransition(table, from, to)) return;
  const refused = M.invalidStatusChange({ what, from, to, allowed: table[from] });
  throw new AppError(ErrorCode.INVALID_TRANSITION, refused, ['input', 'status']);
}
