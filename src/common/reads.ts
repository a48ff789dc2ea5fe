import { ReferenceKind, type EntityClass, type EntityMetadata, type EntityProperty, type MetadataStorage, type Platform } from '@mikro-orm/core';
import { BatchScheduler, type ReadOptions, type Row } from './batch-scheduler.js';
import { compileFunction, literal } from './compile.js';

// The read path: rows that are only read (every GraphQL query, print page and export) never pass
// through the ORM. Writes load and change managed entities in transactions; reads select the
// entity's columns as JSON (see batch-scheduler.ts) and build plain instances of the same entity
// classes: no identity map, no change tracking, no per-row bookkeeping. Relations arrive as
// `{ id }`, which is all any reader of a relation uses (`record.customer.id`).

export type { Row };

interface Column {
  /** The property, and the column it is read from. */
  name: string;
  field: string;
  /** How the JSON value becomes the property's value. */
  convert: (value: unknown) => unknown;
}

const asIs = (value: unknown) => value;
/** Timestamps are read as epoch milliseconds (see `columns`); text and Dates are accepted too. */
const toDate = (value: unknown) => {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return new Date(value);
  return new Date(typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : (value as string | Date));
};
/**
 * A relation column's reader: the id as `{ id }`. Consecutive rows often name the same record (a
 * nested list's rows come grouped by their parent), so each column keeps its last reference, and
 * the references are frozen, since they are shared.
 */
function refReader(): Column['convert'] {
  let lastId: string | undefined;
  let lastRef: { readonly id: string } | undefined;
  return (value) => {
    if (value === null || value === undefined) return null;
    const id = String(value);
    if (id !== lastId) {
      lastId = id;
      lastRef = Object.freeze({ id });
    }
    return lastRef;
  };
}

function readable(prop: EntityProperty): boolean {
  if (prop.persist === false || prop.lazy || prop.formula || prop.fieldNames?.length !== 1) return false;
  return prop.kind === ReferenceKind.SCALAR || prop.kind === ReferenceKind.MANY_TO_ONE || (prop.kind === ReferenceKind.ONE_TO_ONE && !!prop.owner);
}

function converter(prop: EntityProperty, platform: Platform): Column['convert'] {
  if (prop.kind !== ReferenceKind.SCALAR) return refReader();
  if (prop.runtimeType === 'Date') return toDate;
  const custom = prop.customType;
  // Big integers arrive as text already (see columns) and JSON as parsed values.
  if (custom && custom.constructor.name !== 'BigIntType' && custom.constructor.name !== 'JsonType') {
    return (value) => (value === null || value === undefined ? null : custom.convertToJSValue(value, platform));
  }
  return asIs;
}

/** How one entity is read: its columns as JSON-safe SQL, and a row back into an instance. */
export class EntityReader<E> {
  private readonly selects = new Map<string, string>();
  /** A row into an instance, compiled once per entity (see compileRead). */
  readonly read: (row: Row) => E;

  constructor(
    private readonly meta: EntityMetadata<E>,
    platform: Platform,
  ) {
    const props = Object.values(meta.props).filter(readable);
    const columns = props.map((p) => ({ name: p.name, field: p.fieldNames[0]!, convert: converter(p, platform) }));
    // The entity class's prototype carries the ORM's accessors for its properties (they would make
    // every instance managed); plain data properties in between shadow them, and the instances
    // keep the class's getters (nodeId) and `instanceof`.
    const data = { value: undefined, writable: true, enumerable: true, configurable: true };
    const prototype = Object.create(
      (meta.class as { prototype: object }).prototype,
      Object.fromEntries(props.map((p) => [p.name, data])),
    ) as object;
    this.read = compileRead<E>(columns, prototype);
  }

  /**
   * `alias.column AS column, ...`; bigint and numeric as text, so no value passes through a float;
   * timestamps as whole epoch milliseconds (what a Date holds: shorter than ISO text in the JSON,
   * and turned into a Date without parsing).
   */
  columns(alias: string): string {
    let sql = this.selects.get(alias);
    if (!sql) {
      const meta = this.meta;
      sql = Object.values(meta.props)
        .filter(readable)
        .map((p) => {
          const field = p.fieldNames[0]!;
          const type = p.columnTypes?.[0] ?? '';
          if (p.runtimeType === 'Date' && type.startsWith('timestamp')) return `floor(extract(epoch from ${alias}.${field}) * 1000)::bigint AS ${field}`;
          const text = /^(bigint|numeric)/.test(type) ? '::text' : '';
          return `${alias}.${field}${text} AS ${field}`;
        })
        .join(', ');
      this.selects.set(alias, sql);
    }
    return sql;
  }

}

/**
 * `row => instance` for an entity's columns, as a constructor compiled from them (common/compile.ts):
 * every property is set by name in one fixed order, so every instance of an entity has one shape.
 */
function compileRead<E>(columns: readonly Column[], prototype: object): (row: Row) => E {
  const converts = columns.map((c) => c.convert);
  const body = columns
    .map((c, i) => {
      const value = `row[${literal(c.field)}]`;
      return `this[${literal(c.name)}] = ${c.convert === asIs ? value : `convert[${i}](${value})`};`;
    })
    .join('\n');
  const Instance = compileFunction<(convert: Column['convert'][]) => new (row: Row) => E>(['convert'], `return function Instance(row) {\n${body}\n};`)(converts);
  Instance.prototype = prototype;
  return (row) => new Instance(row);
}

const readers = new WeakMap<EntityMetadata, EntityReader<unknown>>();

/** What reading needs to know: the entities' metadata, and the platform (type conversions). */
export interface ReadModel {
  getMetadata(): MetadataStorage;
  getPlatform(): Platform;
}

/** The reader of an entity (built once per process). */
export function entityReader<E extends object>(model: ReadModel, entity: EntityClass<E>): EntityReader<E> {
  const meta = model.getMetadata().get<E>(entity.name);
  let reader = readers.get(meta as EntityMetadata) as EntityReader<E> | undefined;
  if (!reader) {
    reader = new EntityReader(meta, model.getPlatform());
    readers.set(meta as EntityMetadata, reader as EntityReader<unknown>);
  }
  return reader;
}

/** A request's reads: batched SQL (see BatchScheduler.rows) and entity readers. */
export class Reads {
  constructor(
    private readonly scheduler: BatchScheduler,
    private readonly model: ReadModel,
  ) {}

  /** Rows of a SELECT, read in the request's next round with its other reads. */
  rows(sql: string, params: unknown[] = [], options?: ReadOptions): Promise<Row[]> {
    return this.scheduler.rows(sql, params, options);
  }

  reader<E extends object>(entity: EntityClass<E>): EntityReader<E> {
    return entityReader(this.model, entity);
  }

  /** The entity's columns under `alias`, ready for `read`. */
  columns<E extends object>(entity: EntityClass<E>, alias: string): string {
    return this.reader(entity).columns(alias);
  }

  read<E extends object>(entity: EntityClass<E>, row: Row): E {
    return this.reader(entity).read(row);
  }

  /**
   * Reads over an EntityManager of their own (say, one in a snapshot transaction), batched apart
   * from the request's.
   */
  static over(em: ReadModel & { execute(sql: string, params: unknown[]): Promise<Row[]> }): Reads {
    return new Reads(new BatchScheduler((sql, params) => em.execute(sql, params)), em);
  }

  /** The table an entity lives in. */
  table<E extends object>(entity: EntityClass<E>): string {
    return this.model.getMetadata().get<E>(entity.name).tableName;
  }
}
