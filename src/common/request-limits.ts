import type { ApolloServerPlugin } from '@apollo/server';
import {
  Kind,
  getNamedType,
  getNullableType,
  isListType,
  isObjectType,
  isInterfaceType,
  isUnionType,
  valueFromASTUntyped,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type FieldNode,
} from 'graphql';
import { refusal } from './error-mapping.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './keyset.js';
import { M, type Language, type Message } from './messages.js';

// Bounds on one operation, checked after parsing and validation, with the variable values in hand
// (so `first: $n` counts as n, and a variable left out counts as its default): depth, aliases and an
// estimated cost, the number of objects the response may hold (each object field counts once per
// parent object, a list field once per item it may hold: a page counts as its size, whether it is
// read through `nodes` or `edges { node }`). Introspection is bounded by the schema and not counted.

export interface RequestLimits {
  depth: number;
  aliases: number;
  cost: number;
}

/** A list field without a page size (e.g. `sharedWith`) is assumed to hold this many items. */
const PLAIN_LIST_ESTIMATE = 10;

interface Measure {
  depth: number;
  aliases: number;
  cost: number;
  /** A `first`/`last` outside 1..100 (checked here, before the cost, so it reads as what it is). */
  badPageSize?: { field: string; arg: string; value: number };
}

function argNumber(node: FieldNode, names: string[], variables: Record<string, unknown>): number | undefined {
  for (const arg of node.arguments ?? []) {
    if (!names.includes(arg.name.value)) continue;
    const value = valueFromASTUntyped(arg.value, variables);
    if (typeof value === 'number' && Number.isFinite(value)) return Math.max(0, value);
    if (Array.isArray(value)) return value.length;
  }
  return undefined;
}

function fieldsOf(type: GraphQLOutputType): Record<string, GraphQLField<unknown, unknown>> {
  const named = getNamedType(type);
  return isObjectType(named) || isInterfaceType(named) ? named.getFields() : {};
}

export function measureOperation(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: Record<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
): Measure {
  const total: Measure = { depth: 0, aliases: 0, cost: 0 };
  const root =
    operation.operation === 'mutation' ? schema.getMutationType() : operation.operation === 'subscription' ? schema.getSubscriptionType() : schema.getQueryType();
  if (!root) return total;

  const visit = (
    selectionSet: SelectionSetNode,
    parentType: GraphQLOutputType,
    depth: number,
    multiplier: number,
    pageHint: number | undefined,
    seen: Set<string>,
  ) => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const name = selection.name.value;
        const fragment = fragments[name];
        if (!fragment || seen.has(name)) continue;
        const typeCondition = schema.getType(fragment.typeCondition.name.value) as GraphQLOutputType | undefined;
        visit(fragment.selectionSet, typeCondition ?? parentType, depth, multiplier, pageHint, new Set([...seen, name]));
        continue;
      }
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const typeCondition = selection.typeCondition ? (schema.getType(selection.typeCondition.name.value) as GraphQLOutputType) : parentType;
        visit(selection.selectionSet, typeCondition, depth, multiplier, pageHint, seen);
        continue;
      }
      const name = selection.name.value;
      if (name.startsWith('__')) continue; // __typename, introspection
      if (selection.alias) total.aliases += 1;
      const field = fieldsOf(parentType)[name];
      const fieldDepth = depth + 1;
      total.depth = Math.max(total.depth, fieldDepth);
      // Like the public APIs that price queries, objects cost and scalars are free: the cost is
      // the number of objects the response may hold.
      if (!field || !selection.selectionSet) continue;
      const returns = getNullableType(field.type);
      const ownPage = argNumber(selection, ['first', 'last'], variables);
      for (const arg of selection.arguments ?? []) {
        if (arg.name.value !== 'first' && arg.name.value !== 'last') continue;
        const value = valueFromASTUntyped(arg.value, variables);
        if (typeof value === 'number' && (value < 1 || value > MAX_PAGE_SIZE)) {
          total.badPageSize ??= { field: name, arg: arg.name.value, value };
        }
      }
      // A list field returns as many objects as it may hold (a connection's `nodes` and `edges` as
      // its page, `nodes(ids:)` as its ids, other lists an estimate), each of them per parent object.
      let childMultiplier = multiplier;
      if (isListType(returns)) {
        const size = pageHint ?? argNumber(selection, ['ids', 'customerIds'], variables) ?? PLAIN_LIST_ESTIMATE;
        childMultiplier = multiplier * Math.max(1, size);
      }
      total.cost += childMultiplier;
      const named = getNamedType(returns);
      const childHint = ownPage ?? (isObjectType(named) && named.name.endsWith('Connection') ? DEFAULT_PAGE_SIZE : undefined);
      const next = isUnionType(named) ? named : returns;
      visit(selection.selectionSet, next as GraphQLOutputType, fieldDepth, childMultiplier, childHint, seen);
    }
  };
  visit(operation.selectionSet, root, 0, 1, undefined, new Set());
  return total;
}

/** The request's context, which learns the estimated cost (the rate limits take it). */
export interface PricedRequest {
  requestedCost?: number;
  /** The language of the refusal's message. */
  language?: Language;
}

export function requestLimitsPlugin<C extends PricedRequest>(limits: RequestLimits): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, operation, document, request, contextValue }) {
          if (!operation) return;
          const fragments: Record<string, FragmentDefinitionNode> = {};
          for (const def of document.definitions) {
            if (def.kind === Kind.FRAGMENT_DEFINITION) fragments[def.name.value] = def;
          }
          // Variables left out take their declared defaults (`$first: Int = 5` counts as 5).
          const variables: Record<string, unknown> = { ...request.variables };
          for (const definition of operation.variableDefinitions ?? []) {
            const name = definition.variable.name.value;
            if (variables[name] === undefined && definition.defaultValue) {
              variables[name] = valueFromASTUntyped(definition.defaultValue);
            }
          }
          const refuse = (message: Message, code = 'QUERY_TOO_COMPLEX'): never => {
            throw refusal(message, contextValue.language, { code, http: { status: 400 } });
          };
          const m = measureOperation(schema, operation, fragments, variables);
          if (m.badPageSize) {
            const { field, arg, value } = m.badPageSize;
            refuse(M.pageSizeInQuery({ arg, max: MAX_PAGE_SIZE, field, value }), 'VALIDATION_FAILED');
          }
          if (m.depth > limits.depth) refuse(M.queryTooDeep({ depth: m.depth, limit: limits.depth }));
          if (m.aliases > limits.aliases) refuse(M.tooManyAliases({ aliases: m.aliases, limit: limits.aliases }));
          if (m.cost > limits.cost) {
            refuse(M.queryTooCostly({ cost: m.cost, limit: limits.cost }));
          }
          contextValue.requestedCost = m.cost;
        },
      };
    },
  };
}
