import DataLoader from 'dataloader';
import { compileFunction, objectLiteral } from './compile.js';
import type { MaybePromise } from './maybe.js';

// When a request's loaders run, and how their SQL reaches PostgreSQL.
//
// DataLoader's default (dispatch at the end of the current tick) lets the timing of database
// answers decide how keys group into batches. Here a request dispatches its pending batches only
// once none of its reads is running any more, level by level: the loads that the answers of one
// round make possible are all queued before the next round starts. And a round is one SQL
// statement: every read its batches ask for (`rows`) becomes a subquery of one SELECT whose
// columns are the rows of each read as JSON. So the statements behind a query depend on how
// deep it goes, never on the page size, the number of record types under it, or timing.

export type Row = Record<string, unknown>;

/**
 * Runs one SQL statement with `?` placeholders (the request's EntityManager.execute); `keyed`
 * says that every read in it is keyed (see ReadOptions), so it may run as a prepared statement.
 */
export type Execute = (sql: string, params: unknown[], keyed: boolean) => Promise<Row[]>;

export interface ReadOptions {
  /**
   * The read looks rows up by the keys it is given (ids, parent ids) and its best plan does not
   * depend on their values: a round made only of such reads runs as a prepared statement, which
   * PostgreSQL plans once per connection rather than on every request. Leave it off for reads
   * whose plan should follow their values (a search text, a filter).
   */
  keyed?: boolean;
}

/** The options of a keyed read. */
export const KEYED: ReadOptions = Object.freeze({ keyed: true });

interface QueuedRead {
  sql: string;
  params: unknown[];
  keyed: boolean;
  resolve(rows: Row[]): void;
  reject(error: unknown): void;
}

export class BatchScheduler {
  private pending: (() => void)[] = [];
  private reads: QueuedRead[] = [];
  private running = 0;
  private armed = false;
  private fallback: NodeJS.Timeout | undefined;

  constructor(private readonly execute: Execute) {}

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

  /**
   * The rows of a SELECT (with `?` placeholders), read in the request's next round together with
   * every other read of that round. Values arrive as JSON: text, numbers, booleans, arrays and
   * objects; cast bigint and numeric columns to text, and parse timestamps (see reads.ts).
   */
  rows(sql: string, params: unknown[] = [], options: ReadOptions = {}): Promise<Row[]> {
    return new Promise<Row[]>((resolve, reject) => {
      this.reads.push({ sql, params, keyed: options.keyed ?? false, resolve, reject });
      this.arm();
    });
  }

  private flush(): void {
    if (this.fallback) {
      clearTimeout(this.fallback);
      this.fallback = undefined;
    }
    const ready = this.pending;
    this.pending = [];
    // DataLoader calls each batch function right away; they queue their reads synchronously.
    for (const dispatch of ready) dispatch();
    this.send();
  }

  private send(): void {
    const reads = this.reads;
    this.reads = [];
    if (reads.length === 0) return;
    const layouts = reads.map((r) => layoutOf(r.sql));
    const columns = reads.map((r, i) => `${selectJson(r.sql, layouts[i])} AS r${i}`);
    const keyed = reads.every((r) => r.keyed);
    const statement = this.track(this.execute(`SELECT ${columns.join(', ')}`, reads.flatMap((r) => r.params), keyed));
    statement.then(
      ([row]) => reads.forEach((r, i) => r.resolve(rowsOf(r.sql, layouts[i], row?.[`r${i}`]))),
      (error: unknown) => reads.forEach((r) => r.reject(error)),
    );
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

  /** Counts a statement as running until it settles: no round starts while one runs. */
  track<T>(work: Promise<T>): Promise<T> {
    this.running += 1;
    return work.finally(() => {
      this.running -= 1;
      this.arm();
    });
  }

  private arm(): void {
    if (this.armed || this.running > 0 || (this.pending.length === 0 && this.reads.length === 0)) return;
    this.armed = true;
    // After the current microtasks: resolvers continuing from the round that just settled
    // enqueue their loads first.
    setImmediate(() => {
      this.armed = false;
      if (this.running === 0) this.flush();
    });
  }
}

const FALLBACK_MS = 2000;

// How a read's rows travel. As JSON objects, every row repeats every column's name: on a nested
// page that is about 40% of the text PostgreSQL builds and Node decodes and parses. So a read's
// rows come as arrays of values once its columns are known: the first time a SELECT's text is
// read (in this process), its rows come as objects, with the number of columns PostgreSQL sent
// per row; from then on as arrays, its columns renamed by position (`q(c0, c1, …)`, so that no
// name can be ambiguous), and they are turned back into the same objects: same keys, same order,
// same values. A text whose first rows' keys could not stand for its columns (a name repeated,
// or one JavaScript would not keep in place) keeps the objects.

interface Layout {
  /** `json_build_array(q.c0, …)` and `q(c0, …)`. */
  values: string;
  alias: string;
  /** A row's array back into its object. */
  row: (values: unknown[]) => Row;
}

/** Undefined: not learnt yet; null: this text keeps the objects. */
const layouts = new Map<string, Layout | null>();
/** Distinct SELECT texts are few (their values are parameters); this bounds them anyway. */
const MAX_LAYOUTS = 1000;

function layoutOf(sql: string): Layout | null | undefined {
  const layout = layouts.get(sql);
  // Once as many are learnt as may be, other texts keep the objects rather than ask again.
  return layout === undefined && layouts.size >= MAX_LAYOUTS ? null : layout;
}

function selectJson(sql: string, layout: Layout | null | undefined): string {
  if (layout) return `(SELECT coalesce(json_agg(${layout.values}), '[]'::json) FROM (${sql}) ${layout.alias})`;
  if (layout === null) return `(SELECT coalesce(json_agg(q), '[]'::json) FROM (${sql}) q)`;
  // Not learnt: the objects, and how many columns the first one has (duplicates counted).
  return `(SELECT json_build_array(coalesce(json_agg(q), '[]'::json), (SELECT count(*) FROM json_object_keys(json_agg(q) -> 0))) FROM (${sql}) q)`;
}

function rowsOf(sql: string, layout: Layout | null | undefined, value: unknown): Row[] {
  if (layout) {
    const rows = (value as unknown[][] | undefined) ?? [];
    const out = new Array<Row>(rows.length);
    for (let i = 0; i < rows.length; i++) out[i] = layout.row(rows[i]!);
    return out;
  }
  if (layout === null) return (value as Row[] | undefined) ?? [];
  const [rows = [], columns = 0] = (value as [Row[], number] | undefined) ?? [];
  if (rows.length > 0) layouts.set(sql, learn(Object.keys(rows[0]!), columns));
  return rows;
}

/** The layout of rows whose first one has `names` as keys and `columns` columns. */
function learn(names: string[], columns: number): Layout | null {
  // A repeated name is one key (JSON.parse keeps the last value); integer-like keys are listed
  // first whatever their place.
  if (names.length !== columns || names.some((n) => /^\d+$/.test(n))) return null;
  // A row's array back into its object: an object literal of the column names makes every row
  // of the layout one shape in one step (common/compile.ts).
  const row = objectLiteral(names, (i) => `v[${i}]`);
  if (!row) return null;
  const aliases = names.map((_, i) => `c${i}`);
  return {
    values: `json_build_array(${aliases.map((a) => `q.${a}`).join(', ')})`,
    alias: `q(${aliases.join(', ')})`,
    row: compileFunction(['v'], `return ${row};`),
  };
}

/** Forgets the layouts learnt (tests). */
export function forgetRowLayouts(): void {
  layouts.clear();
}

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
export function currentBatchScheduler(): BatchScheduler {
  if (!current) throw new Error('Loaders are built inside withBatchScheduler (context.ts)');
  return current;
}

/**
 * A DataLoader on the request's scheduler that also answers synchronously for what it has loaded
 * or been primed with (`get`), so that resolvers over loaded data never wait on a promise.
 * Batch functions read through `scheduler.rows` (or a tracked EntityManager) and must not wait
 * for other loaders.
 */
export class RequestLoader<K, V> extends DataLoader<K, V, K> {
  private readonly settled: Map<K, V>;
  private readonly promises: Map<K, Promise<V>>;

  constructor(batch: DataLoader.BatchLoadFn<K, V>, scheduler: BatchScheduler = currentBatchScheduler()) {
    const settled = new Map<K, V>();
    const promises = new Map<K, Promise<V>>();
    super(
      (keys) =>
        Promise.resolve(batch(keys)).then((values) => {
          for (let i = 0; i < values.length; i++) {
            const value = values[i]!;
            if (!(value instanceof Error)) settled.set(keys[i]!, value);
          }
          return values;
        }),
      { batchScheduleFn: (dispatch) => scheduler.schedule(dispatch), cacheMap: promises },
    );
    this.settled = settled;
    this.promises = promises;
  }

  /** The value now when it is loaded already; the promise of loading it otherwise. */
  get(key: K): MaybePromise<V> {
    // No value is undefined (DataLoader refuses it), so one lookup tells.
    const value = this.settled.get(key);
    return value !== undefined ? value : this.load(key);
  }

  /** Several values, now when all are loaded. */
  getMany(keys: readonly K[]): MaybePromise<V[]> {
    if (keys.every((k) => this.settled.has(k))) return keys.map((k) => this.settled.get(k)!);
    return Promise.all(keys.map((k) => this.load(k)));
  }

  override prime(key: K, value: V | PromiseLike<V> | Error): this {
    // Like DataLoader: a key it knows already keeps its value.
    if (!this.promises.has(key) && !(value instanceof Error) && !isThenable(value)) this.settled.set(key, value);
    return super.prime(key, value);
  }

  override clear(key: K): this {
    this.settled.delete(key);
    return super.clear(key);
  }

  override clearAll(): this {
    this.settled.clear();
    return super.clearAll();
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

/** A loader on the request's scheduler (see RequestLoader). */
export function requestLoader<K, V>(batch: DataLoader.BatchLoadFn<K, V>, scheduler?: BatchScheduler): RequestLoader<K, V> {
  return new RequestLoader(batch, scheduler);
}
