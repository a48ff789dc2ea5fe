import { ArgsType, Field, Int, ObjectType, type ClassType } from 'type-graphql';
import type { MaybePromise } from './maybe.js';

@ObjectType({ description: 'Where a page sits in its list: whether more pages follow or precede it, and the cursors to ask for them.' })
export class PageInfo {
  @Field(() => Boolean, { simple: true, description: 'More records follow this page: ask again with `after: endCursor`.' })
  hasNextPage!: boolean | (() => MaybePromise<boolean>);

  @Field(() => Boolean, { simple: true, description: 'Records precede this page: ask again with `before: startCursor` and `last`.' })
  hasPreviousPage!: boolean | (() => MaybePromise<boolean>);

  @Field(() => String, { nullable: true, description: "The first record's cursor; null on an empty page." })
  startCursor!: string | null;

  @Field(() => String, { nullable: true, description: "The last record's cursor; null on an empty page." })
  endCursor!: string | null;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

/**
 * What a paginating service returns. Lazy members (functions, which GraphQL's default resolver
 * calls) run their query only when asked for, and answer synchronously once it has run.
 */
export interface ConnectionResult<T> {
  edges: Edge<T>[];
  nodes: T[];
  pageInfo: PageInfo;
  totalCount: number | (() => MaybePromise<number>);
}

/** The empty page of a nested list (a parent the viewer may not read). */
export function emptyConnection<T>(): ConnectionResult<T> {
  return {
    edges: [],
    nodes: [],
    pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
    totalCount: 0,
  };
}

@ArgsType()
export class ForwardPageArgs {
  @Field(() => Int, { nullable: true, description: 'Page size, 1 to 100 (default 20).' })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'Start after this cursor (an `endCursor` or edge `cursor` of the same list, with the same filter and order).' })
  after?: string | null;
}

@ArgsType()
export class PageArgs extends ForwardPageArgs {
  @Field(() => Int, { nullable: true, description: 'Page size from the end, 1 to 100; without before: the last page.' })
  last?: number | null;

  @Field(() => String, { nullable: true, description: 'End before this cursor (a `startCursor` or edge `cursor` of the same list), read backwards with `last`.' })
  before?: string | null;
}

/** A Relay connection type `${name}Connection` with its `${name}Edge`. */
export function ConnectionType<T extends object>(name: string, nodeType: () => ClassType<T>) {
  @ObjectType(`${name}Edge`, { description: `One ${name} in a page of ${name}Connection, with its cursor.` })
  class EdgeType {
    @Field(() => String, { description: `Opaque position of this ${name} in its list, for \`after\` or \`before\`.` })
    cursor!: string;

    @Field(nodeType, { description: `The ${name} itself.` })
    node!: T;
  }

  @ObjectType(`${name}Connection`, {
    description: `A page of ${name} records (cursor paging: \`first\` defaults to 20, at most 100). Each record the page may hold counts toward the query cost.`,
  })
  class Connection implements ConnectionResult<T> {
    @Field(() => [EdgeType], { description: 'The records of this page with their cursors (the same records as `nodes`).' })
    edges!: EdgeType[];

    @Field(() => [nodeType()], { description: 'The records of this page, without cursors.' })
    nodes!: T[];

    @Field(() => PageInfo, { description: 'Whether more pages exist, and the cursors to reach them.' })
    pageInfo!: PageInfo;

    // simple: the default resolver calls the lazy count, so it runs only when asked for.
    @Field(() => Int, { simple: true, description: 'All records in the list (with its filters), for "page N of M".' })
    totalCount!: number | (() => MaybePromise<number>);
  }
  return Connection;
}
