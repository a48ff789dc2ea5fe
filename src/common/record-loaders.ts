import type { EntityClass } from '@mikro-orm/core';
import { KEYED, requestLoader, type RequestLoader } from './batch-scheduler.js';
import { groupBy } from './page-loaders.js';
import type { Reads, Row } from './reads.js';
import { sqlArray } from './sql.js';

// The loaders most record types need, over the batched read path (reads.ts): one record per key
// and the list of records per key. Visibility is always the caller's check.

export interface RecordQuery {
  /** Extra conditions on the row aliased `x`, e.g. `x.deleted_at IS NULL`. */
  where?: string;
  /** Extra columns (SQL over `x`), read with the row; see `withRow`. */
  extraColumns?: string;
  /** Called with every record and its row, e.g. to prime other loaders with what the row holds. */
  withRow?: (record: never, row: Row) => void;
}

function selectSql<E extends object>(reads: Reads, entity: EntityClass<E>, query: RecordQuery): string {
  const extra = query.extraColumns ? `, ${query.extraColumns}` : '';
  return `SELECT ${reads.columns(entity, 'x')}${extra} FROM ${reads.table(entity)} x`;
}

function reader<E extends object>(reads: Reads, entity: EntityClass<E>, query: RecordQuery): (row: Row) => E {
  const withRow = query.withRow as ((record: E, row: Row) => void) | undefined;
  return (row) => {
    const record = reads.read(entity, row);
    withRow?.(record, row);
    return record;
  };
}

/** Records by the value of a unique column (the id by default); null where none matches. */
export function recordLoader<E extends object>(
  reads: Reads,
  entity: EntityClass<E>,
  query: RecordQuery & { column?: string } = {},
): RequestLoader<string, E | null> {
  const column = query.column ?? 'id';
  const read = reader(reads, entity, query);
  return requestLoader(async (keys) => {
    const rows = await reads.rows(
      `${selectSql(reads, entity, query)} WHERE x.${column} = ANY(?::bigint[])${query.where ? ` AND (${query.where})` : ''}`,
      [sqlArray(keys)],
      KEYED,
    );
    const byKey = new Map<string, E>();
    for (const row of rows) byKey.set(String(row[column]), read(row));
    return keys.map((key) => byKey.get(key) ?? null);
  });
}

/** All records whose `column` holds the key, in `orderBy` order. */
export function recordListLoader<E extends object>(
  reads: Reads,
  entity: EntityClass<E>,
  query: RecordQuery & { column: string; orderBy: string },
): RequestLoader<string, E[]> {
  const read = reader(reads, entity, query);
  return requestLoader(async (keys) => {
    const rows = await reads.rows(
      `${selectSql(reads, entity, query)} WHERE x.${query.column} = ANY(?::bigint[])${query.where ? ` AND (${query.where})` : ''}
       ORDER BY ${query.orderBy}`,
      [sqlArray(keys)],
      KEYED,
    );
    const byKey = groupBy(rows, (row) => String(row[query.column]));
    return keys.map((key) => (byKey.get(key) ?? []).map(read));
  });
}
