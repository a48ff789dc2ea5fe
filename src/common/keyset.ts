import { base64url } from './base64url.js';
import { AppError, ErrorCode } from './errors.js';
import { isStorableText } from './text.js';
import { M } from './messages.js';

// Keyset (cursor) pagination over any ordered SQL query. Sort values are selected as text so that
// timestamps keep their microseconds, and the id is always the final key, so cursors are stable
// under every order. Nulls sort last in both directions.

export type SqlCast = 'text' | 'timestamptz' | 'bigint' | 'int' | 'numeric' | 'date';

export interface SortKey {
  /** SQL expression of the key, e.g. `c.name`. */
  sql: string;
  cast: SqlCast;
  desc: boolean;
  nullable: boolean;
}

export interface PageArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

/**
 * Marks the arguments of a connection field whose selection asks for no cursor (no edge's
 * `cursor`, no `startCursor` or `endCursor`): its page's rows are then read without their sort
 * keys, the text PostgreSQL would otherwise build, send and have parsed for every row. The mark
 * is not enumerable, so arguments copied for another use lose it and read the keys again.
 */
const NO_CURSORS: unique symbol = Symbol('no cursors asked');

export function markNoCursors(args: object): void {
  Object.defineProperty(args, NO_CURSORS, { value: true, enumerable: false });
}

/** Whether a page read with these arguments must be able to write cursors (unless marked, it must). */
export function cursorsAsked(args: PageArgs): boolean {
  return (args as { [NO_CURSORS]?: true })[NO_CURSORS] !== true;
}

export interface PagePlan {
  limit: number;
  /** Paging backwards (`last`): the query runs in reverse order and the rows are flipped. */
  backward: boolean;
  cursor: (string | null)[] | undefined;
}

export interface SqlFragment {
  sql: string;
  params: unknown[];
}

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

function pageSize(value: number | null | undefined, name: string): number | undefined {
  if (value === null || value === undefined) return undefined;
  if (!Number.isInteger(value) || value < 1 || value > MAX_PAGE_SIZE) {
    throw new AppError(ErrorCode.VALIDATION_FAILED, M.pageSize({ field: name, max: MAX_PAGE_SIZE }), [name]);
  }
  return value;
}

export function encodeCursor(signature: string, values: (string | null)[]): string {
  return base64url(JSON.stringify([signature, ...values]));
}

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.\d{1,6})?(?:Z|[+-](\d{2})(?::?\d{2}){0,2})?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A day PostgreSQL reads back: the years 0001 to 9999 (it has no year 0000). */
function isCalendarDate(year: string, month: string, day: string): boolean {
  if (Number(year) < 1) return false;
  const d = new Date(0);
  d.setUTCFullYear(Number(year), Number(month) - 1, Number(day));
  return d.getUTCFullYear() === Number(year) && d.getUTCMonth() === Number(month) - 1 && d.getUTCDate() === Number(day);
}

/** Whether a cursor value casts to its key's type, so a tampered cursor never reaches SQL. */
function readsAs(cast: SqlCast, v: string): boolean {
  if (!isStorableText(v)) return false;
  switch (cast) {
    case 'text':
      return true;
    case 'bigint':
      return /^-?\d{1,18}$/.test(v);
    case 'int':
      return /^-?\d{1,9}$/.test(v);
    case 'numeric':
      return /^-?\d{1,40}(\.\d{1,40})?$/.test(v);
    case 'date': {
      const m = DATE.exec(v);
      return !!m && isCalendarDate(m[1]!, m[2]!, m[3]!);
    }
    case 'timestamptz': {
      const m = TIMESTAMP.exec(v);
      return !!m && isCalendarDate(m[1]!, m[2]!, m[3]!) && Number(m[4]) < 24 && Number(m[5]) < 60 && Number(m[6]) < 60 && Number(m[7] ?? 0) < 16;
    }
  }
}

function decodeCursor(cursor: string, signature: string, keys: readonly Pick<SortKey, 'cast'>[], name: string): (string | null)[] {
  const invalid = () => new AppError(ErrorCode.VALIDATION_FAILED, M.badCursor({ field: name }), [name]);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(parsed) || parsed[0] !== signature || parsed.length !== keys.length + 1) throw invalid();
  const values = parsed.slice(1);
  const valid = (v: unknown, i: number) => v === null || (typeof v === 'string' && v.length < 2000 && readsAs(keys[i]!.cast, v));
  if (!values.every(valid)) throw invalid();
  return values as (string | null)[];
}

/** Validates first/last/after/before (1..100, run time) and decides the direction. */
export function planPage(args: PageArgs, signature: string, keys: readonly Pick<SortKey, 'cast'>[]): PagePlan {
  const first = pageSize(args.first, 'first');
  const last = pageSize(args.last, 'last');
  if (first !== undefined && last !== undefined) {
    throw new AppError(ErrorCode.VALIDATION_FAILED, M.eitherNotBoth({ one: 'first', other: 'last' }), ['last']);
  }
  if (args.after && args.before) {
    throw new AppError(ErrorCode.VALIDATION_FAILED, M.eitherNotBoth({ one: 'after', other: 'before' }), ['before']);
  }
  const backward = last !== undefined || (first === undefined && !!args.before);
  const cursorArg = backward ? args.before : args.after;
  if (backward && args.after) {
    throw new AppError(ErrorCode.VALIDATION_FAILED, M.cursorPairing(), ['after']);
  }
  if (!backward && args.before) {
    throw new AppError(ErrorCode.VALIDATION_FAILED, M.cursorPairing(), ['before']);
  }
  const name = backward ? 'before' : 'after';
  return {
    limit: (backward ? last : first) ?? DEFAULT_PAGE_SIZE,
    backward,
    cursor: cursorArg ? decodeCursor(cursorArg, signature, keys, name) : undefined,
  };
}

interface Directed {
  key: SortKey;
  asc: boolean;
  nullsFirst: boolean;
}

function directed(keys: SortKey[], reverse: boolean): Directed[] {
  return keys.map((key) => ({ key, asc: key.desc === reverse, nullsFirst: reverse }));
}

export function orderBySql(keys: SortKey[], reverse: boolean): string {
  // Only nullable keys say where nulls go: a plain ASC/DESC on a NOT NULL column matches its
  // ordinary btree index in either direction.
  return directed(keys, reverse)
    .map((d) => `${d.key.sql} ${d.asc ? 'ASC' : 'DESC'}${d.key.nullable ? ` NULLS ${d.nullsFirst ? 'FIRST' : 'LAST'}` : ''}`)
    .join(', ');
}

/** Rows strictly after `values` in the (possibly reversed) order; `orEqual` includes the row itself. */
export function afterSql(keys: SortKey[], values: (string | null)[], reverse: boolean, orEqual = false): SqlFragment {
  const params: unknown[] = [];
  const eq = (d: Directed, v: string | null) => {
    if (v === null) return `${d.key.sql} IS NULL`;
    params.push(v);
    return `${d.key.sql} = ?::${d.key.cast}`;
  };
  const after = (d: Directed, v: string | null) => {
    if (v === null) return d.nullsFirst && d.key.nullable ? `${d.key.sql} IS NOT NULL` : 'FALSE';
    params.push(v);
    const cmp = `${d.key.sql} ${d.asc ? '>' : '<'} ?::${d.key.cast}`;
    return d.key.nullable && !d.nullsFirst ? `(${cmp} OR ${d.key.sql} IS NULL)` : cmp;
  };
  const dirs = directed(keys, reverse);
  const branches = dirs.map((d, i) => {
    const parts = dirs.slice(0, i).map((prev, j) => eq(prev, values[j] ?? null));
    parts.push(after(d, values[i] ?? null));
    return `(${parts.join(' AND ')})`;
  });
  if (orEqual) branches.push(`(${dirs.map((d, j) => eq(d, values[j] ?? null)).join(' AND ')})`);
  return { sql: `(${branches.join(' OR ')})`, params };
}

/** The sort values of each row as text (`__keys`), for its cursor. */
export function keyColumnsSql(keys: SortKey[]): string {
  return `json_build_array(${keys.map((k) => `(${k.sql})::text`).join(', ')}) AS __keys`;
}

/** A row's sort keys as text (undefined when its page was read without them: markNoCursors). */
export function rowKeyValues(row: Record<string, unknown>): (string | null)[] | undefined {
  return row.__keys as (string | null)[] | undefined;
}
