import { ArgsType, Field, Int, ObjectType, type ClassType } from 'type-graphql';
import type { MaybePromise } from './maybe.js';

@ObjectType()
export class PageInfo {
  @Field(() => Boolean, { simple: true })
  hasNextPage!: boolean | (() => MaybePromise<boolean>);

  @Field(() => Boolean, { simple: true })
  hasPreviousPage!: boolean | (() => MaybePromise<boolean>);

  @Field(() => String, { nullable: true })
  startCursor!: string | null;

  @Field(() => String, { nullable: true })
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

  @Field(() => String, { nullable: true })
  after?: string | null;
}

@ArgsType()
export class PageArgs extends ForwardPageArgs {
  @Field(() => Int, { nullable: true, description: 'Page size from the end, 1 to 100; without before: the last page.' })
  last?: number | null;

  @Field(() => String, { nullable: true })
  before?: string | null;
}

/** A Relay connection type `${name}Connection` with its `${name}Edge`. */
export function ConnectionType<T extends object>(name: string, nodeType: () => ClassType<T>) {
  @ObjectType(`${name}Edge`)
  class EdgeType {
    @Field(() => String)
    cursor!: string;

    @Field(nodeType)
    node!: T;
  }

  @ObjectType(`${name}Connection`)
  class Connection implements ConnectionResult<T> {
    @Field(() => [EdgeType])
    edges!: EdgeType[];

    @Field(() => [nodeType()])
    nodes!: T[];

    @Field(() => PageInfo)
    pageInfo!: PageInfo;

    // simple: the default resolver calls the lazy count, so it runs only when asked for.
    @Field(() => Int, { simple: true, description: 'All records in the list (with its filters), for "page N of M".' })
    totalCount!: number | (() => MaybePromise<number>);
  }
  return Connection;
}
