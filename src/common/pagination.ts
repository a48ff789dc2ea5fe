import type { ConnectionResult, PageInfo } from './connection.js';
import {
  afterSql,
  cursorsAsked,
  encodeCursor,
  keyColumnsSql,
  orderBySql,
  planPage,
  rowKeyValues,
  type PageArgs,
  type PagePlan,
  type SortKey,
  type SqlFragment,
} from './keyset.js';
import { KEYED } from './batch-scheduler.js';
import { groupBy } from './page-loaders.js';
import { andThen, type MaybePromise } from './maybe.js';
import type { Reads, Row } from './reads.js';
import { sqlArray } from './sql.js';

export type { Row };

/**
 * A list as SQL: `SELECT select FROM from WHERE where ORDER BY keys`; the id must be the last key.
 * `select` is computed for the page's rows only, after the sort (see paginate).
 */
export interface ListQuery {
  select: string;
  /** A FROM item named `alias`, the only name `select`, `where` and `keys` use. */
  from: string;
  alias: string;
  /** Parameters of `?` placeholders in `from` (e.g. a scored subquery). */
  fromParams?: unknown[];
  where: SqlFragment[];
  keys: SortKey[];
  /** Names the list and its order; cursors of another list or order are refused. */
  signature: string;
  /**
   * A statement answering totalCount as `n`, when cheaper than counting `from` with `where`: a
   * search counts its ranked ids without reading the customers; a view on the status alone reads
   * the tally of customers by status. It runs as the list's statements do (`keyed`).
   */
  count?: SqlFragment;
  /**
   * The page reads every row of the list anyway (a search ranks all its matches before the sort):
   * the first page counts them in the same scan.
   */
  countWithPage?: boolean;
  /**
   * The list's statements need no plan of their own per request (a view without a filter or a
   * search; see ReadOptions.keyed).
   */
  keyed?: boolean;
  /**
   * The table whose rows `from` yields, its `id` the last key, when `from` is more than that table
   * (a search's ranked matches): the page is then found as its keys alone (all the matches go
   * through the sort and the count, so each should be small), and only the page's rows are read
   * back from the table for `select`.
   */
  table?: string;
}

/** A list under each of many parents (their ids in `parentColumn`), paged per parent. */
export type NestedListQuery = Omit<ListQuery, 'alias' | 'count'> & { parentColumn: string };

export function and(fragments: SqlFragment[]): SqlFragment {
  if (fragments.length === 0) return { sql: 'TRUE', params: [] };
  return {
    sql: fragments.map((f) => `(${f.sql})`).join(' AND '),
    params: fragments.flatMap((f) => f.params),
  };
}

/** An edge of a page; its cursor is written only when a client asks for it. */
class PageEdge<T> {
  constructor(
    private readonly signature: string,
    private readonly keys: (string | null)[] | undefined,
    readonly node: T,
  ) {}

  get cursor(): string {
    // The selection said no cursor would be asked (markNoCursors): a bug, never a wrong cursor.
    if (!this.keys) throw new Error(`A cursor of ${this.signature} was asked of a page read without its keys`);
    return encodeCursor(this.signature, this.keys);
  }
}

/** Where a page sits; like its edges' cursors, its own are written only when asked for. */
class EdgesPageInfo implements PageInfo {
  constructor(
    private readonly page: Page<unknown>,
    readonly hasNextPage: PageInfo['hasNextPage'],
    readonly hasPreviousPage: PageInfo['hasPreviousPage'],
  ) {}

  get startCursor(): string | null {
    return this.page.edges[0]?.cursor ?? null;
  }

  get endCursor(): string | null {
    return this.page.edges.at(-1)?.cursor ?? null;
  }
}

/**
 * A page of a list. Most nested pages are read through `nodes`: the edges, one object per row,
 * are made only when a client asks for them (and the page info when it is asked for).
 */
class Page<T> implements ConnectionResult<T> {
  private edgeList: PageEdge<T>[] | undefined;
  private info: EdgesPageInfo | undefined;

  constructor(
    readonly nodes: T[],
    /** Each node's sort keys; undefined when the page was read without them (see markNoCursors). */
    private readonly keys: (string | null)[][] | undefined,
    private readonly signature: string,
    private readonly hasNextPage: PageInfo['hasNextPage'],
    private readonly hasPreviousPage: PageInfo['hasPreviousPage'],
    readonly totalCount: () => MaybePromise<number>,
  ) {}

  get edges(): PageEdge<T>[] {
    return (this.edgeList ??= this.nodes.map((node, i) => new PageEdge(this.signature, this.keys?.[i], node)));
  }

  get pageInfo(): PageInfo {
    return (this.info ??= new EdgesPageInfo(this, this.hasNextPage, this.hasPreviousPage));
  }
}

/**
 * A value computed on first use, at most once: a promise until it arrives, the value itself from
 * then on (so resolvers reading it after the read path loaded it get it synchronously).
 */
export function lazy<T>(fn: () => Promise<T>): () => MaybePromise<T> {
  let promise: Promise<T> | undefined;
  let settled = false;
  let value: T;
  return () => {
    if (settled) return value;
    promise ??= fn().then((v) => {
      value = v;
      settled = true;
      return v;
    });
    return promise;
  };
}

function toConnection<T>(
  rows: Row[],
  plan: PagePlan,
  signature: string,
  map: (row: Row) => T,
  later: { totalCount: () => MaybePromise<number>; beyondStart: () => MaybePromise<boolean>; beyondEnd: () => MaybePromise<boolean> },
): ConnectionResult<T> {
  const hasMore = rows.length > plan.limit;
  const page = rows.slice(0, plan.limit);
  if (plan.backward) page.reverse();
  return new Page(
    page.map(map),
    // A page's rows all have their keys or none has.
    page.length > 0 && rowKeyValues(page[0]!) ? page.map((row) => rowKeyValues(row)!) : undefined,
    signature,
    // The side we paged towards is known from the extra row; the other side needs a query,
    // run only when the client asks for it.
    plan.backward ? (plan.cursor ? later.beyondEnd : false) : hasMore,
    plan.backward ? hasMore : plan.cursor ? later.beyondStart : false,
    later.totalCount,
  );
}

/**
 * A page found as its keys (`__k0`, … the id last) and then joined to `table`: what the sort and
 * the count carry per row is its keys, not the row.
 */
function pageByKeys(q: ListQuery, table: string, backward: boolean, total: string, page: string, cursors: boolean): string {
  const keys = q.keys.map((key, i) => ({ ...key, sql: `__page.__k${i}` }));
  const id = keys.at(-1)!.sql;
  return `SELECT ${q.select}${cursors ? `, ${keyColumnsSql(keys)}` : ''}${total ? ', __page.__total' : ''} FROM (
       SELECT ${q.keys.map((key, i) => `${key.sql} AS __k${i}`).join(', ')}${total} ${page}
     ) __page JOIN ${table} ${q.alias} ON ${q.alias}.id = ${id} ORDER BY ${orderBySql(keys, backward)}`;
}

/** One page of a top-level list. */
export async function paginate<T>(
  reads: Reads,
  q: ListQuery,
  args: PageArgs,
  map: (row: Row) => T,
): Promise<ConnectionResult<T>> {
  const plan = planPage(args, q.signature, q.keys);
  const base = and(q.where);
  const cursor = plan.cursor ? afterSql(q.keys, plan.cursor, plan.backward) : { sql: 'TRUE', params: [] };
  // The page's rows are found and sorted as they are, and only then given their columns: where the
  // order is a sort rather than an index, PostgreSQL would otherwise compute every column of every
  // row it sorts.
  const order = orderBySql(q.keys, plan.backward);
  const counted = !!q.countWithPage && !plan.cursor;
  const total = counted ? ', count(*) OVER ()::int AS __total' : '';
  const page = `FROM ${q.from} WHERE ${base.sql} AND ${cursor.sql} ORDER BY ${order} LIMIT ${plan.limit + 1}`;
  const keyed = { keyed: q.keyed ?? false };
  const cursors = cursorsAsked(args);
  const rows = await reads.rows(
    q.table
      ? pageByKeys(q, q.table, plan.backward, total, page, cursors)
      : `SELECT ${q.select}${cursors ? `, ${keyColumnsSql(q.keys)}` : ''}${counted ? `, ${q.alias}.__total` : ''} FROM (
       SELECT ${q.alias}.*${total} ${page}
     ) ${q.alias} ORDER BY ${order}`,
    [...(q.fromParams ?? []), ...base.params, ...cursor.params],
    keyed,
  );
  // Is there a row on the far side of the cursor (the cursor's own row included)?
  const beyond = (reverse: boolean) => async () => {
    const side = afterSql(q.keys, plan.cursor!, reverse, true);
    const found = await reads.rows(
      `SELECT 1 AS found FROM ${q.from} WHERE ${base.sql} AND ${side.sql} LIMIT 1`,
      [...(q.fromParams ?? []), ...base.params, ...side.params],
      keyed,
    );
    return found.length > 0;
  };
  const totalCount = lazy(async () => {
    if (counted) return Number(rows[0]?.__total ?? 0);
    const [row] = q.count
      ? await reads.rows(q.count.sql, q.count.params, keyed)
      : await reads.rows(`SELECT count(*)::int AS n FROM ${q.from} WHERE ${base.sql}`, [...(q.fromParams ?? []), ...base.params], keyed);
    return Number(row?.n ?? 0);
  });
  return toConnection(rows, plan, q.signature, map, {
    totalCount,
    beyondStart: lazy(beyond(true)),
    beyondEnd: lazy(beyond(false)),
  });
}

/**
 * The same page of a nested list for many parents in one statement (a LATERAL join per parent
 * over the index on the parent column), so a page of parents never issues a query per parent.
 * Counts and the far-side checks are batched the same way, on first use.
 */
export async function paginateByParent<T>(
  reads: Reads,
  q: NestedListQuery,
  parentIds: readonly string[],
  args: PageArgs,
  map: (row: Row) => T,
): Promise<Map<string, ConnectionResult<T>>> {
  const plan = planPage(args, q.signature, q.keys);
  const base = and(q.where);
  const cursor = plan.cursor ? afterSql(q.keys, plan.cursor, plan.backward) : { sql: 'TRUE', params: [] };
  const ids = [...new Set(parentIds)];
  const rows = await reads.rows(
    `SELECT p.parent_id::text AS __parent, x.* FROM unnest(?::bigint[]) AS p(parent_id)
     CROSS JOIN LATERAL (
       SELECT ${q.select}${cursorsAsked(args) ? `, ${keyColumnsSql(q.keys)}` : ''} FROM ${q.from}
       WHERE ${q.parentColumn} = p.parent_id AND ${base.sql} AND ${cursor.sql}
       ORDER BY ${orderBySql(q.keys, plan.backward)} LIMIT ${plan.limit + 1}
     ) x`,
    [sqlArray(ids), ...base.params, ...cursor.params],
    KEYED,
  );
  const grouped = groupBy(rows, (row) => String(row.__parent));

  const counts = lazy(async () => {
    const found = await reads.rows(
      `SELECT ${q.parentColumn}::text AS parent, count(*)::int AS n FROM ${q.from}
       WHERE ${q.parentColumn} = ANY(?::bigint[]) AND ${base.sql} GROUP BY 1`,
      [sqlArray(ids), ...base.params],
      KEYED,
    );
    return new Map(found.map((r) => [String(r.parent), Number(r.n)]));
  });
  const beyond = (reverse: boolean) =>
    lazy(async () => {
      const side = afterSql(q.keys, plan.cursor!, reverse, true);
      const found = await reads.rows(
        `SELECT DISTINCT ${q.parentColumn}::text AS parent FROM ${q.from}
         WHERE ${q.parentColumn} = ANY(?::bigint[]) AND ${base.sql} AND ${side.sql}`,
        [sqlArray(ids), ...base.params, ...side.params],
        KEYED,
      );
      return new Set(found.map((r) => String(r.parent)));
    });
  const start = beyond(true);
  const end = beyond(false);
  const result = new Map<string, ConnectionResult<T>>();
  for (const id of ids) {
    result.set(
      id,
      toConnection(grouped.get(id) ?? [], plan, q.signature, map, {
        totalCount: () => andThen(counts(), (n) => n.get(id) ?? 0),
        beyondStart: () => andThen(start(), (found) => found.has(id)),
        beyondEnd: () => andThen(end(), (found) => found.has(id)),
      }),
    );
  }
  return result;
}
