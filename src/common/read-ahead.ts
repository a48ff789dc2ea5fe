import {
  defaultFieldResolver,
  getArgumentValues,
  getNamedType,
  isAbstractType,
  isCompositeType,
  isLeafType,
  isObjectType,
  type FieldNode,
  type GraphQLField,
  type GraphQLFieldResolver,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLResolveInfo,
} from 'graphql';
// graphql-js's own field collection (pinned version), so that the fields collected here are
// exactly those GraphQL executes, with fragments, @skip and @include.
import { collectSubfields } from 'graphql/execution/collectFields.js';
import { markNoCursors } from './keyset.js';
import { isPromise } from './maybe.js';

// Reading ahead. GraphQL resolves a query depth first, object by object; a field whose data must
// still be loaded returns a promise, and GraphQL's bookkeeping for a promise costs many times what
// a plain value costs. So before a query's response is assembled, this walks its selection set
// level by level, breadth first: it calls every field resolver (for all the objects of a level at
// once, so their loaders batch into one round), waits for the level before it goes down, and
// keeps what each resolver answered. Assembling the response (assemble.ts, or GraphQL itself)
// then finds every answer kept (`recall`) and never waits. Nothing here decides what a field
// returns: it only runs the resolvers early. Whatever it misses is resolved as usual; whatever
// fails here is not kept, and fails again, with its proper path, when GraphQL asks.

/**
 * Resolvers that may load data (the field resolvers of the schema), marked by execution.ts, each
 * with what the read-ahead calls in its place: the same resolver without its error mapping (what
 * fails here is not kept, and fails with its mapped error when GraphQL asks), which would cost a
 * promise per object for every field still loading.
 */
const loading = new WeakMap<GraphQLFieldResolver<unknown, unknown>, GraphQLFieldResolver<unknown, unknown>>();

export function markLoading(resolve: GraphQLFieldResolver<unknown, unknown>, unmapped: GraphQLFieldResolver<unknown, unknown>): void {
  loading.set(resolve, unmapped);
}

/** Resolvers that only read a property of their object (`(root) => root.x`), marked by execution.ts. */
const plain = new WeakSet<GraphQLFieldResolver<unknown, unknown>>();

export function markPlain(resolve: GraphQLFieldResolver<unknown, unknown>): void {
  plain.add(resolve);
}

export function isPlain(resolve: GraphQLFieldResolver<unknown, unknown>): boolean {
  return plain.has(resolve);
}

/** What the read-ahead has no answer for. */
export const NOT_KEPT: unique symbol = Symbol('not kept');

/** The parent of root fields in the answers (GraphQL's root value is undefined). */
export const ROOT = Object.freeze({});

const FAILED = Symbol('failed');

/**
 * One operation's execution state: its collected fields, arguments and resolve infos (all fixed
 * by the document and the variables) and the answers of its resolvers, per field node (the first
 * of a response key's nodes, which GraphQL passes as `info.fieldNodes[0]`) and parent object.
 */
export class OperationState {
  // Plain maps, not weak ones: the state lives as long as its request, and weak maps cost the
  // collector more (their entries are ephemerons, traced apart).
  private readonly subfieldsOf = new Map<readonly FieldNode[], Map<GraphQLObjectType, Map<string, readonly FieldNode[]>>>();
  private readonly argsOf = new Map<readonly FieldNode[], Record<string, unknown>>();
  private readonly infoOf = new Map<FieldNode, Map<GraphQLObjectType, GraphQLResolveInfo>>();
  private readonly answers = new Map<FieldNode, KeptAnswers>();

  constructor(readonly info: Pick<GraphQLResolveInfo, 'schema' | 'fragments' | 'variableValues' | 'operation' | 'rootValue'>) {}

  subfields(type: GraphQLObjectType, nodes: readonly FieldNode[]): Map<string, readonly FieldNode[]> {
    let byType = this.subfieldsOf.get(nodes);
    if (!byType) this.subfieldsOf.set(nodes, (byType = new Map()));
    let fields = byType.get(type);
    if (!fields) {
      const { schema, fragments, variableValues } = this.info;
      byType.set(type, (fields = collectSubfields(schema, fragments, variableValues, type, nodes) as Map<string, readonly FieldNode[]>));
    }
    return fields;
  }

  /**
   * The field's arguments (throws as GraphQL would when they don't coerce), for the response key's
   * field nodes; a connection's are marked when its selection asks for no cursor (markNoCursors).
   */
  args(field: GraphQLField<unknown, unknown>, nodes: readonly FieldNode[]): Record<string, unknown> {
    // By the nodes, not the first one alone: under two types, the same first node may come with
    // other nodes, and so with another selection.
    let args = this.argsOf.get(nodes);
    if (!args) {
      args = field.args.length ? getArgumentValues(field, nodes[0]!, this.info.variableValues) : {};
      if (field.args.length && !this.asksForCursors(field, nodes)) markNoCursors(args);
      this.argsOf.set(nodes, args);
    }
    return args;
  }

  /**
   * Whether the selection of a field asks for a cursor: true unless it is a connection (`edges`
   * and `pageInfo`) and neither an edge's `cursor` nor the page's `startCursor` or `endCursor` is
   * among its fields as GraphQL collects them (fragments, @skip and @include applied).
   */
  private asksForCursors(field: GraphQLField<unknown, unknown>, nodes: readonly FieldNode[]): boolean {
    const connection = getNamedType(field.type);
    if (!isObjectType(connection)) return true;
    const members = connection.getFields();
    if (!members.edges || !members.pageInfo) return true;
    for (const selected of this.subfields(connection, nodes).values()) {
      const member = members[selected[0]!.name.value];
      if (member !== members.edges && member !== members.pageInfo) continue;
      const inner = getNamedType(member.type);
      if (!isObjectType(inner)) return true;
      for (const leaf of this.subfields(inner, selected).values()) {
        const name = leaf[0]!.name.value;
        if (name === 'cursor' || name === 'startCursor' || name === 'endCursor') return true;
      }
    }
    return false;
  }

  /** A resolve info for the field under `parentType` (the path is not tracked: resolvers don't use it). */
  resolveInfo(parentType: GraphQLObjectType, field: GraphQLField<unknown, unknown>, nodes: readonly FieldNode[]): GraphQLResolveInfo {
    let byType = this.infoOf.get(nodes[0]!);
    if (!byType) this.infoOf.set(nodes[0]!, (byType = new Map()));
    let info = byType.get(parentType);
    if (!info) {
      info = {
        ...this.info,
        fieldName: field.name,
        fieldNodes: nodes,
        returnType: field.type,
        parentType,
        path: { prev: undefined, key: field.name, typename: parentType.name },
      };
      byType.set(parentType, info);
    }
    return info;
  }

  recall(node: FieldNode, parent: unknown): unknown {
    const answer = this.answers.get(node)?.get(parent as object);
    return answer === undefined ? NOT_KEPT : answer;
  }

  /** The answers kept for the field, by parent (undefined for a parent: none kept). */
  answersFor(node: FieldNode): Pick<KeptAnswers, 'get'> | undefined {
    return this.answers.get(node);
  }

  /**
   * Keeps the answers `values[i]` for `parents[i]`. Both arrays are kept as they are, not copied
   * (the read-ahead made them for this and leaves them alone); what is no answer (a failure, a
   * promise, an error) becomes undefined in `values`.
   */
  keep(node: FieldNode, parents: readonly object[], values: unknown[]): void {
    let kept = this.answers.get(node);
    if (!kept) this.answers.set(node, (kept = new KeptAnswers()));
    for (let i = 0; i < values.length; i++) {
      const value = values[i];
      if (value === FAILED || isPromise(value) || value instanceof Error) values[i] = undefined;
    }
    kept.add(parents, values);
  }
}

/**
 * A field's answers, in the order its parents were visited: the parents and answers of each visit
 * as they were kept (most fields have one). Assembling a response visits a field's parents in
 * that same order (level by level is depth first restricted to one level), so each lookup is the
 * next entry; a map by parent is built only if one is asked out of order.
 */
class KeptAnswers {
  private readonly parents: (readonly object[])[] = [];
  private readonly values: (readonly unknown[])[] = [];
  /** The next entry: its visit, and its place in that visit. */
  private visit = 0;
  private next = 0;
  private byParent: Map<object, unknown> | undefined;

  add(parents: readonly object[], values: readonly unknown[]): void {
    this.parents.push(parents);
    this.values.push(values);
    if (this.byParent) for (let k = 0; k < parents.length; k++) if (values[k] !== undefined) this.byParent.set(parents[k]!, values[k]);
  }

  /** The answer kept for `parent`; undefined when there is none. */
  get(parent: object): unknown {
    let visit = this.visit;
    let i = this.next;
    // Past the end of a visit, the next entry is the first of the next visit.
    while (visit < this.parents.length && i >= this.parents[visit]!.length) {
      visit += 1;
      i = 0;
    }
    if (visit < this.parents.length && this.parents[visit]![i] === parent) {
      this.visit = visit;
      this.next = i + 1;
      return this.values[visit]![i];
    }
    if (!this.byParent) {
      this.byParent = new Map();
      for (let v = 0; v < this.parents.length; v++) {
        const parents = this.parents[v]!;
        const values = this.values[v]!;
        for (let k = 0; k < parents.length; k++) if (values[k] !== undefined) this.byParent.set(parents[k]!, values[k]);
      }
    }
    return this.byParent.get(parent);
  }
}

const states = new WeakMap<object, OperationState>();

/** The state of the operation a context executes (a context runs one operation). */
export function operationState(context: object, info: OperationState['info']): OperationState {
  let state = states.get(context);
  if (!state) states.set(context, (state = new OperationState(info)));
  return state;
}

/** What the read-ahead of this context answered for the field, or NOT_KEPT. */
export function recall(context: object, node: FieldNode, parent: unknown): unknown {
  const state = states.get(context);
  return state ? state.recall(node, parent) : NOT_KEPT;
}

/** Runs ahead of GraphQL over `value`, the result of the root field `info` describes. */
export async function readAhead(context: object, info: GraphQLResolveInfo, value: unknown): Promise<void> {
  const state = operationState(context, info);
  try {
    await visit(state, context, info.returnType, [value], info.fieldNodes);
  } catch {
    // Reading ahead only warms loaders: GraphQL reports any error where it belongs.
  }
}

function objectsIn(values: readonly unknown[], into: object[] = []): object[] {
  for (const value of values) {
    if (value === null || value === undefined || value === FAILED || value instanceof Error) continue;
    if (Array.isArray(value)) objectsIn(value, into);
    else if (typeof value === 'object') into.push(value);
  }
  return into;
}

async function visit(
  state: OperationState,
  context: object,
  type: GraphQLOutputType,
  values: readonly unknown[],
  nodes: readonly FieldNode[],
): Promise<void> {
  const named = getNamedType(type);
  if (!isCompositeType(named)) return;
  const objects = objectsIn(values);
  if (objects.length === 0) return;
  if (!isAbstractType(named)) {
    if (isObjectType(named)) await visitObjects(state, context, named, objects, nodes);
    return;
  }
  // Interfaces and unions: each concrete type with its own objects.
  const byType = new Map<string, object[]>();
  for (const object of objects) {
    const typeName = named.resolveType?.(object, context, state.info as GraphQLResolveInfo, named);
    if (typeof typeName !== 'string') continue;
    const group = byType.get(typeName);
    if (group) group.push(object);
    else byType.set(typeName, [object]);
  }
  await Promise.all(
    [...byType].map(([typeName, group]) => {
      const concrete = state.info.schema.getType(typeName);
      return isObjectType(concrete) ? visitObjects(state, context, concrete, group, nodes) : undefined;
    }),
  );
}

function visitObjects(
  state: OperationState,
  context: object,
  type: GraphQLObjectType,
  objects: readonly object[],
  nodes: readonly FieldNode[],
): Promise<unknown> {
  const work: Promise<void>[] = [];
  for (const fieldNodes of state.subfields(type, nodes).values()) {
    const field = type.getFields()[fieldNodes[0]!.name.value];
    if (!field) continue; // __typename
    const leaf = isLeafType(getNamedType(field.type));
    // A leaf is worth running ahead when its resolver may load, or its value is a lazy one.
    if (leaf && !(field.resolve && loading.has(field.resolve)) && !(field.resolve === undefined && anyLazy(objects, field.name))) {
      continue;
    }
    const results = run(state, context, type, field, fieldNodes, objects);
    if (!results) continue;
    const next = (settled: unknown[]) => {
      if (field.resolve) state.keep(fieldNodes[0]!, objects, settled);
      return leaf ? undefined : visit(state, context, field.type, settled, fieldNodes);
    };
    if (results.some(isPromise)) {
      work.push(settle(results).then(next));
    } else {
      const deeper = next(results);
      if (deeper) work.push(deeper);
    }
  }
  return Promise.all(work);
}

function anyLazy(objects: readonly object[], name: string): boolean {
  return objects.some((o) => typeof (o as Record<string, unknown>)[name] === 'function');
}

/** The field's resolver for every object; undefined when its arguments don't even coerce. */
function run(
  state: OperationState,
  context: object,
  parentType: GraphQLObjectType,
  field: GraphQLField<unknown, unknown>,
  fieldNodes: readonly FieldNode[],
  objects: readonly object[],
): unknown[] | undefined {
  let args: Record<string, unknown>;
  try {
    args = state.args(field, fieldNodes);
  } catch {
    return undefined;
  }
  const info = state.resolveInfo(parentType, field, fieldNodes);
  const resolve = field.resolve ? (loading.get(field.resolve) ?? field.resolve) : defaultFieldResolver;
  return objects.map((object) => {
    try {
      return resolve(object, args, context, info);
    } catch {
      return FAILED;
    }
  });
}

/**
 * The results once every promise among them settled, in place (FAILED where one rejected): one
 * Promise.all over the promises rather than a reaction of ours on each; should one reject, each is
 * waited for on its own, to tell which.
 */
function settle(results: unknown[]): Promise<unknown[]> {
  const at: number[] = [];
  const promises: unknown[] = [];
  for (let i = 0; i < results.length; i++) {
    if (!isPromise(results[i])) continue;
    at.push(i);
    promises.push(results[i]);
  }
  return Promise.all(promises).then(
    (values) => {
      for (let k = 0; k < at.length; k++) results[at[k]!] = values[k];
      return results;
    },
    () => settleEach(results),
  );
}

/** The results once every promise among them settled (FAILED where one rejected). */
function settleEach(results: readonly unknown[]): Promise<unknown[]> {
  const settled = results.slice();
  let waiting = 0;
  return new Promise((resolve) => {
    const done = () => {
      if (--waiting === 0) resolve(settled);
    };
    for (let i = 0; i < settled.length; i++) {
      const result = settled[i];
      if (!isPromise(result)) continue;
      waiting += 1;
      result.then(
        (value) => {
          settled[i] = value;
          done();
        },
        () => {
          settled[i] = FAILED;
          done();
        },
      );
    }
    if (waiting === 0) resolve(settled);
  });
}
