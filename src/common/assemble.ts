import {
  GraphQLBoolean,
  GraphQLID,
  GraphQLString,
  defaultFieldResolver,
  execute,
  getVariableValues,
  isAbstractType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  type DocumentNode,
  type ExecutionResult,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLLeafType,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { collectFields } from 'graphql/execution/collectFields.js';
import { compileFunction, literal, objectLiteral } from './compile.js';
import { isPromise } from './maybe.js';
import { isPlain, operationState, type OperationState } from './read-ahead.js';

// How an operation is executed. A query is resolved by its root fields' resolvers, which read
// ahead (read-ahead.ts): by the time they return, every resolver below them has answered. The
// response's data is then assembled from those answers in one synchronous pass, by the rules
// GraphQL executes with (the same field collection, default resolver, type resolution and
// serialisation) but without GraphQL's per-field machinery (a resolve info, a path and an
// arguments object per field, a promise check per value), which on a large page costs more than
// the data itself.
//
// The fast pass is only ever used for a clean result. At the first sign of anything else (an
// error, a null where the type forbids it, an answer that is not at hand, introspection) it gives
// up, and the operation runs through graphql-js's own `execute`, the reference implementation,
// which produces the exact data, errors and paths the specification asks for. Mutations and
// subscriptions always run through graphql-js.

export interface OperationArgs {
  schema: GraphQLSchema;
  document: DocumentNode;
  operation: OperationDefinitionNode;
  operationName?: string | null;
  variableValues?: Record<string, unknown> | null;
  contextValue: object;
}

/** Thrown inside the fast pass: leave it to graphql-js. */
const GIVE_UP: unique symbol = Symbol('give up');

/** How many queries this process answered each way (the tests check the fast pass is taken). */
export const executionCounts = { assembled: 0, reference: 0 };

/**
 * The objects in an assembled query's data, counted while it was assembled (the rate limits'
 * actual cost), so that nobody walks a large answer again to count them.
 */
const assembledObjects = new WeakMap<object, number>();

/** The objects in `data` if the assembler built it; undefined otherwise. */
export function objectsAssembled(data: object): number | undefined {
  return assembledObjects.get(data);
}

export async function executeOperation(args: OperationArgs): Promise<ExecutionResult> {
  if (args.operation.operation !== 'query') return executeReference(args);
  const data = await assembleQuery(args);
  if (data === GIVE_UP) return executeReference(args);
  executionCounts.assembled++;
  return { data };
}

/** graphql-js's own execution of the operation (resolvers still read ahead). */
export async function executeReference(args: OperationArgs): Promise<ExecutionResult> {
  executionCounts.reference++;
  return execute({
    schema: args.schema,
    document: args.document,
    operationName: args.operationName,
    variableValues: args.variableValues,
    contextValue: args.contextValue,
  });
}

async function assembleQuery(args: OperationArgs): Promise<Record<string, unknown> | typeof GIVE_UP> {
  const { schema, operation, contextValue } = args;
  const queryType = schema.getQueryType();
  if (!queryType) return GIVE_UP;
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], args.variableValues ?? {}, { maxErrors: 50 });
  if (coerced.errors) return GIVE_UP;
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const definition of args.document.definitions) {
    if (definition.kind === 'FragmentDefinition') fragments[definition.name.value] = definition;
  }
  const state = operationState(contextValue, { schema, fragments, variableValues: coerced.coerced, operation, rootValue: undefined });
  const rootFields = [...collectFields(schema, fragments, coerced.coerced, queryType, operation.selectionSet)];
  // Introspection is GraphQL's own business.
  if (rootFields.some(([, nodes]) => nodes[0]!.name.value.startsWith('__') && nodes[0]!.name.value !== '__typename')) return GIVE_UP;

  // The root fields, concurrently as GraphQL runs them; each reads ahead before it returns.
  const values = await Promise.allSettled(
    rootFields.map(async ([, nodes]) => {
      const field = queryType.getFields()[nodes[0]!.name.value];
      if (!field?.resolve) return undefined;
      return field.resolve(undefined, state.args(field, nodes), contextValue, state.resolveInfo(queryType, field, nodes));
    }),
  );
  if (values.some((v) => v.status === 'rejected')) return GIVE_UP;
  const assembler = new Assembler(state, contextValue);
  try {
    const data: Record<string, unknown> = {};
    rootFields.forEach(([key, nodes], i) => {
      const name = nodes[0]!.name.value;
      const field = queryType.getFields()[name];
      if (name === '__typename') data[key] = queryType.name;
      else if (field) data[key] = assembler.value(field.type, settled((values[i] as PromiseFulfilledResult<unknown>).value), nodes);
    });
    assembledObjects.set(data, assembler.objects);
    return data;
  } catch (error) {
    if (error === GIVE_UP) return GIVE_UP;
    throw error;
  }
}

/** Completes one value of a field's type; GIVE_UP wherever GraphQL would report an error. */
type Complete = (value: unknown) => unknown;

interface FieldPlan {
  key: string;
  /** The field's value for a parent object (what GraphQL's resolve step gives). */
  answer: (parent: Record<string, unknown>) => unknown;
  complete: Complete;
}

/**
 * Assembles a query's data. Each (type, selection) gets a plan once per operation: per field, how
 * its value is found and how its type is completed, as small functions chosen up front, so that
 * the per-field work is a property read or a lookup of a kept answer, and a serialisation.
 */
class Assembler {
  /** The objects completed so far (every object of the data, as no scalar serialises to one). */
  objects = 0;
  private readonly plans = new Map<Map<string, readonly FieldNode[]>, Map<GraphQLObjectType, Build>>();

  constructor(
    private readonly state: OperationState,
    private readonly context: object,
  ) {}

  value(type: GraphQLOutputType, value: unknown, nodes: readonly FieldNode[]): unknown {
    return this.completer(type, nodes)(value);
  }

  private completer(type: GraphQLOutputType, nodes: readonly FieldNode[]): Complete {
    if (isNonNullType(type)) {
      // A leaf checks its own nullness: one step per value, the commonest in a response.
      if (isLeafType(type.ofType)) return leafCompleter(type.ofType, true);
      const inner = this.completer(type.ofType, nodes);
      return (value) => {
        if (value === null || value === undefined) throw GIVE_UP;
        return inner(value);
      };
    }
    if (isListType(type)) {
      let item: Complete | undefined;
      return (value) => {
        if (value === null || value === undefined) return null;
        if (!Array.isArray(value)) throw GIVE_UP;
        item ??= this.completer(type.ofType, nodes);
        const items: unknown[] = [];
        for (let i = 0; i < value.length; i++) items.push(item(settled(value[i])));
        return items;
      };
    }
    if (isLeafType(type)) return leafCompleter(type, false);
    const { schema } = this.state.info;
    const info = this.state.info as GraphQLResolveInfo;
    if (isAbstractType(type)) {
      const buildsByType = new Map<GraphQLObjectType, Build>();
      return (value) => {
        if (value === null || value === undefined) return null;
        const name = type.resolveType?.(value, this.context, info, type);
        const concrete = typeof name === 'string' ? schema.getType(name) : undefined;
        if (!isObjectType(concrete) || !schema.isSubType(type, concrete)) throw GIVE_UP;
        let build = buildsByType.get(concrete);
        if (!build) buildsByType.set(concrete, (build = this.planOf(concrete, this.state.subfields(concrete, nodes))));
        return this.object(concrete, value as Record<string, unknown>, build);
      };
    }
    // The plan of the type's selection here, found once for all the objects this completes.
    let build: Build | undefined;
    return (value) =>
      value === null || value === undefined
        ? null
        : this.object(type, value as Record<string, unknown>, (build ??= this.planOf(type, this.state.subfields(type, nodes))));
  }

  private object(type: GraphQLObjectType, value: Record<string, unknown>, build: Build): Record<string, unknown> {
    if (type.isTypeOf && type.isTypeOf(value, this.context, this.state.info as GraphQLResolveInfo) !== true) throw GIVE_UP;
    this.objects += 1;
    return build(value);
  }

  private planOf(type: GraphQLObjectType, fields: Map<string, readonly FieldNode[]>): Build {
    let byType = this.plans.get(fields);
    if (!byType) this.plans.set(fields, (byType = new Map()));
    let build = byType.get(type);
    if (!build) {
      const plans: FieldPlan[] = [];
      const defs = type.getFields();
      for (const [key, nodes] of fields) {
        const name = nodes[0]!.name.value;
        if (name === '__typename') {
          plans.push({ key, answer: () => type.name, complete: (name) => name });
          continue;
        }
        const field = defs[name];
        // A field the type lacks is skipped, as GraphQL does (validation rules it out anyway).
        if (!field) continue;
        plans.push({ key, answer: this.answerer(type, field, nodes), complete: this.completer(field.type, nodes) });
      }
      byType.set(type, (build = builder(plans)));
    }
    return build;
  }

  /** How a field's value is found: its kept answer, its property, or its resolver called now. */
  private answerer(type: GraphQLObjectType, field: GraphQLField<unknown, unknown>, nodes: readonly FieldNode[]): FieldPlan['answer'] {
    const { state, context } = this;
    const node = nodes[0]!;
    const resolve = field.resolve;
    const name = field.name;
    const call = (run: (parent: Record<string, unknown>) => unknown) => (parent: Record<string, unknown>) => {
      try {
        return run(parent);
      } catch {
        throw GIVE_UP;
      }
    };
    // The field's arguments and resolve info are the same for every parent: found on first use.
    let args: Record<string, unknown> | undefined;
    let info: GraphQLResolveInfo | undefined;
    const argsOf = () => (args ??= state.args(field, nodes));
    const infoOf = () => (info ??= state.resolveInfo(type, field, nodes));
    if (resolve === undefined) {
      // GraphQL's default resolver: the property, called when it is a function.
      return propertyOf(name, call((parent) => defaultFieldResolver(parent, argsOf(), context, infoOf())));
    }
    if (isPlain(resolve)) return (parent) => resolve(parent, undefined, context, undefined as never);
    const now = call((parent) => resolve(parent, argsOf(), context, infoOf()));
    // The read-ahead is over: what it kept for the field is all there will be.
    const kept = state.answersFor(node);
    if (!kept) return now;
    return (parent) => {
      const answer = kept.get(parent);
      return answer === undefined ? now(parent) : answer;
    };
  }
}

/** Completes a leaf value: serialised by its type; null only where the type allows it. */
function leafCompleter(type: GraphQLLeafType, required: boolean): Complete {
  // The built-in String and ID give a string back as it is, and Boolean a boolean (their serialize
  // does too, after its checks): the commonest values of a page need no call.
  const unchanged = type === GraphQLString || type === GraphQLID ? 'string' : type === GraphQLBoolean ? 'boolean' : undefined;
  return (value) => {
    if (value === null || value === undefined) {
      if (required) throw GIVE_UP;
      return null;
    }
    if (typeof value === unchanged) return value;
    let serialized: unknown;
    try {
      serialized = type.serialize(value);
    } catch {
      throw GIVE_UP;
    }
    if (serialized === null || serialized === undefined) throw GIVE_UP;
    return serialized;
  };
}

/** Builds the response object of one parent object, by the plans of its fields. */
type Build = (value: Record<string, unknown>) => Record<string, unknown>;

// The per-object and per-field steps are compiled (common/compile.ts), once per process for each
// list of response keys and each property name: an object literal of the keys makes every
// response object of a selection in one step, with one shape, and a property read by its own code
// learns the few classes it meets. Queries of ever new shapes use the generic steps beyond a bound.
const MAX_COMPILED = 2000;
type BuilderFactory = (answers: FieldPlan['answer'][], completes: Complete[], at: typeof settled) => Build;
type PropertyFactory = (viaDefault: FieldPlan['answer']) => FieldPlan['answer'];
const builders = new Map<string, BuilderFactory | null>();
const properties = new Map<string, PropertyFactory>();

function builder(plans: readonly FieldPlan[]): Build {
  const answers = plans.map((p) => p.answer);
  const completes = plans.map((p) => p.complete);
  const keys = plans.map((p) => p.key);
  const source = keys.join(',');
  let compiled = builders.get(source);
  if (compiled === undefined && builders.size < MAX_COMPILED) {
    const object = objectLiteral(keys, (i) => `c[${i}](at(a[${i}](v)))`);
    compiled = object ? compileFunction<BuilderFactory>(['a', 'c', 'at'], `return function build(v) {\nreturn ${object};\n};`) : null;
    builders.set(source, compiled);
  }
  if (compiled) return compiled(answers, completes, settled);
  // Keys as own properties, whatever they are called (`__proto__` included).
  return (value) => {
    const out: Record<string, unknown> = {};
    for (let k = 0; k < keys.length; k++) Object.defineProperty(out, keys[k]!, { value: completes[k]!(settled(answers[k]!(value))), enumerable: true, writable: true, configurable: true });
    return out;
  };
}

/** A field's value by GraphQL's default resolver: the property, or `viaDefault` when it is a function. */
function propertyOf(name: string, viaDefault: FieldPlan['answer']): FieldPlan['answer'] {
  let compiled = properties.get(name);
  if (!compiled && properties.size < MAX_COMPILED) {
    compiled = compileFunction<PropertyFactory>(['viaDefault'], `return function property(p) {\nconst v = p[${literal(name)}];\nreturn typeof v === 'function' ? viaDefault(p) : v;\n};`);
    properties.set(name, compiled);
  }
  if (compiled) return compiled(viaDefault);
  return (parent) => {
    const property = parent[name];
    return typeof property === 'function' ? viaDefault(parent) : property;
  };
}

/** A value that is at hand: an error or a pending promise means GraphQL's way. */
function settled(value: unknown): unknown {
  // Most values are scalars: no property lookups for them.
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return value;
  if (isPromise(value)) {
    // GraphQL runs the resolver again and reports what this one does.
    value.then(undefined, () => undefined);
    throw GIVE_UP;
  }
  if (value instanceof Error) throw GIVE_UP;
  return value;
}
