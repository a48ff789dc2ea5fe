import {
  isObjectType,
  type GraphQLFieldResolver,
  type GraphQLObjectType,
  type GraphQLResolveInfo,
  type GraphQLSchema,
} from 'graphql';
import { getMetadataStorage, type ResolverData } from 'type-graphql';
import { mapRootError, toGraphQLError } from './common/error-mapping.js';
import { isPromise } from './common/maybe.js';
import { NOT_KEPT, ROOT, markLoading, markPlain, operationState, readAhead, recall } from './common/read-ahead.js';
import { assertKeyMay, scopeOfRootField } from './auth/policy.js';
import { requireViewer } from './auth/viewer.js';
import type { Context } from './context.js';

// How the fields of the schema run. type-graphql builds the schema from the classes and runs the
// root fields (Query, Mutation): there it converts and validates the arguments. Below the root
// every field resolver is called directly, with its parameters as the method declares them, so a
// field whose data is at hand answers synchronously: type-graphql's own wrapper makes every field
// that takes arguments asynchronous (its validation step is an async function), and a promise per
// nested connection costs more than the whole field. Nested fields take page arguments only,
// which the pagination checks at run time (keyset.ts).

/** Root fields anyone may call without a token. */
const PUBLIC_ROOT_FIELDS = new Set(['Mutation.login']);

type Resolver = GraphQLFieldResolver<unknown, Context>;

/**
 * Every root field: the viewer must be signed in unless the field is public (nothing can forget
 * it), a request made with an API key needs the scope the policy names for the field, errors become payloads or GraphQL errors in one place, and a query's result is read ahead
 * before GraphQL walks it (read-ahead.ts).
 */
function guardRoot(type: GraphQLObjectType, resolve: Resolver, fieldName: string): Resolver {
  const isPublic = PUBLIC_ROOT_FIELDS.has(`${type.name}.${fieldName}`);
  const isQuery = type.name === 'Query';
  const isMutation = type.name === 'Mutation';
  return async (root, args, ctx, info) => {
    // A query's root field runs once, whichever pass asks (see assemble.ts).
    const kept = isQuery ? recall(ctx, info.fieldNodes[0]!, ROOT) : NOT_KEPT;
    if (kept !== NOT_KEPT) return kept;
    try {
      if (!isPublic) assertKeyMay(requireViewer(ctx), type.name, fieldName);
      else if (ctx.viewer) assertKeyMay(ctx.viewer, type.name, fieldName);
      const value = await resolve(root, args, ctx, info);
      // What the request's loaders read before the change is out of date now.
      if (isMutation) ctx.forgetReads();
      if (isQuery) {
        await readAhead(ctx, info, value);
        operationState(ctx, info).keep(info.fieldNodes[0]!, [ROOT], [value]);
      }
      return value;
    } catch (error) {
      return mapRootError(error, ctx, info);
    }
  };
}

type Param = (root: unknown, args: Record<string, unknown>, ctx: Context, info: GraphQLResolveInfo) => unknown;

interface ParamMetadata {
  kind: string;
  index: number;
  propertyName?: string;
  name?: string;
  resolver?: (data: ResolverData<Context>) => unknown;
}

function paramOf(param: ParamMetadata, where: string): Param {
  switch (param.kind) {
    case 'root':
      return param.propertyName ? (root) => (root as Record<string, unknown>)[param.propertyName!] : (root) => root;
    case 'context':
      return param.propertyName ? (_r, _a, ctx) => (ctx as unknown as Record<string, unknown>)[param.propertyName!] : (_r, _a, ctx) => ctx;
    case 'info':
      return (_r, _a, _c, info) => info;
    case 'args':
      return (_r, args) => args;
    case 'arg':
      return (_r, args) => args[param.name!];
    case 'custom':
      return (root, args, context, info) => param.resolver!({ root, args, context, info });
    default:
      throw new Error(`${where}: ${param.kind} parameters are not supported below the root`);
  }
}

/** A getter of the object type itself (`get nodeId()`): read like a property. */
function getter(target: { prototype: object }, method: string): Resolver {
  const read = (root: unknown) => (asInstance(target, root) as Record<string, unknown>)[method];
  markPlain(read as GraphQLFieldResolver<unknown, unknown>);
  return read;
}

/** A nested field resolver as a direct call of its method; errors mapped in the one place. */
function invoker(target: { prototype: object }, method: string, params: readonly ParamMetadata[], internal: boolean, where: string): Resolver {
  if (internal && params.length === 0 && Object.getOwnPropertyDescriptor(target.prototype, method)?.get) return getter(target, method);
  const extract = [...params].sort((a, b) => a.index - b.index).map((p) => paramOf(p, where));
  // External resolvers live on a resolver class (one instance serves all); internal ones are the
  // object type's own getters and methods.
  const instance = internal ? undefined : (new (target as new () => object)() as Record<string, unknown>);
  const call: Resolver = (root, args, ctx, info) => {
    const self = (internal ? asInstance(target, root) : instance) as Record<string, unknown>;
    const member = self[method];
    if (typeof member !== 'function') return member;
    const fn = member as (...a: unknown[]) => unknown;
    const a = args as Record<string, unknown>;
    // Most resolvers take (root, ctx) or (root, args, ctx): no array per call for those.
    switch (extract.length) {
      case 0:
        return fn.call(self);
      case 1:
        return fn.call(self, extract[0]!(root, a, ctx, info));
      case 2:
        return fn.call(self, extract[0]!(root, a, ctx, info), extract[1]!(root, a, ctx, info));
      case 3:
        return fn.call(self, extract[0]!(root, a, ctx, info), extract[1]!(root, a, ctx, info), extract[2]!(root, a, ctx, info));
      default:
        return fn.apply(
          self,
          extract.map((e) => e(root, a, ctx, info)),
        );
    }
  };
  const resolve: Resolver = (root, args, ctx, info) => {
    // The read-ahead ran this resolver for this object already (read-ahead.ts).
    const kept = recall(ctx, info.fieldNodes[0]!, root);
    if (kept !== NOT_KEPT) return kept;
    try {
      const result = call(root, args, ctx, info);
      return isPromise(result)
        ? result.then(undefined, (error: unknown) => {
            throw toGraphQLError(error, ctx);
          })
        : result;
    } catch (error) {
      throw toGraphQLError(error, ctx);
    }
  };
  if (!internal) markLoading(resolve as GraphQLFieldResolver<unknown, unknown>, call as GraphQLFieldResolver<unknown, unknown>);
  return resolve;
}

function asInstance(target: { prototype: object }, root: unknown): unknown {
  if (root === null || typeof root !== 'object' || root instanceof (target as unknown as abstract new () => object)) return root;
  return Object.assign(Object.create(target.prototype) as object, root);
}

/** Installs the root guards and the nested field invokers on a schema type-graphql built. */
export function installFieldExecution(schema: GraphQLSchema, resolverClasses: readonly Function[]): void {
  const metadata = getMetadataStorage();
  for (const root of [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]) {
    if (!root) continue;
    for (const field of Object.values(root.getFields())) {
      // Every root field has a scope in the policy's table (or building the schema fails here).
      scopeOfRootField(root.name, field.name);
      if (field.resolve) field.resolve = guardRoot(root, field.resolve as Resolver, field.name) as typeof field.resolve;
    }
  }
  const roots = new Set([schema.getQueryType()?.name, schema.getMutationType()?.name, schema.getSubscriptionType()?.name]);
  const typeNameOf = new Map(metadata.objectTypes.map((t) => [t.target, t.name]));
  const installed = new Set<string>();
  const fieldResolvers = metadata.fieldResolvers.filter((r) => r.kind === 'internal' || resolverClasses.includes(r.target));
  // First each resolver on its own type, then on the types of subclasses that have none of their own.
  for (const inherited of [false, true]) {
    for (const resolver of fieldResolvers) {
      const objectClass = resolver.getObjectType?.() as Function | undefined;
      const typeName = objectClass && typeNameOf.get(objectClass);
      if (!objectClass || !typeName || roots.has(typeName)) continue;
      for (const [cls, name] of typeNameOf) {
        if (inherited ? !(cls.prototype instanceof objectClass) : cls !== objectClass) continue;
        const type = schema.getType(name);
        const field = isObjectType(type) ? type.getFields()[resolver.schemaName] : undefined;
        const where = `${name}.${resolver.schemaName}`;
        if (!field || installed.has(where)) continue;
        const internal = resolver.kind === 'internal';
        const target = (internal ? objectClass : resolver.target) as { prototype: object };
        const resolve = invoker(target, resolver.methodName, (resolver.params ?? []) as ParamMetadata[], internal, where);
        field.resolve = resolve as typeof field.resolve;
        installed.add(where);
      }
    }
  }
  if (installed.size === 0) throw new Error('No field resolvers found: the schema was not built from these resolvers');

  // Plain fields read their property: GraphQL's default resolver, or a getter where the field is
  // named apart from its property.
  const byClass = new Map(metadata.objectTypes.map((t) => [t.target, t]));
  for (const objectType of metadata.objectTypes) {
    const type = schema.getType(objectType.name);
    if (!isObjectType(type) || roots.has(type.name)) continue;
    for (let cls: Function | undefined = objectType.target; cls && cls !== Object; cls = Object.getPrototypeOf(cls) as Function) {
      for (const field of byClass.get(cls)?.fields ?? []) {
        const graphqlField = type.getFields()[field.schemaName];
        if (!graphqlField?.resolve || installed.has(`${type.name}.${field.schemaName}`) || (field.middlewares?.length ?? 0) > 0) continue;
        const property = field.name;
        if (property === field.schemaName) {
          graphqlField.resolve = undefined;
        } else {
          const read = (root: unknown) => (root as Record<string, unknown>)[property];
          markPlain(read);
          graphqlField.resolve = read;
        }
      }
    }
  }
}
