import {
  coerceInputValue,
  execute,
  parse,
  type GraphQLError,
  type GraphQLInputType,
  type GraphQLSchema,
} from 'graphql';
import { ArgumentValidationError, Args, Ctx, Query, Resolver, buildSchema } from 'type-graphql';
import type { ValidationError } from 'class-validator';
import { flattenValidation } from '../common/error-mapping.js';
import { AppError, ErrorCode } from '../common/errors.js';
import { assertAcceptableInput } from '../common/input-text.js';
import { INPUT_OPTIONS } from '../common/schema-options.js';
import { CustomersArgs } from '../customers/customer.inputs.js';
import { M, type Message } from '../common/messages.js';

// The list parameters of a print or export URL (`?view=MINE&filter={...}&search=...&orderBy=[...]`)
// go through GraphQL itself, as the arguments of the `customers` query do: the values are
// variables of an operation whose one field takes the same `CustomersArgs`, so GraphQL coerces
// them (enums, scalars, unknown fields) and type-graphql builds the same classes and runs the same
// class-validator rules, with the API's settings. A URL can express exactly what the API accepts.

/** The parameters as they travel in a URL: `filter` and `orderBy` are JSON text. */
export interface RawListParams {
  view?: string;
  filter?: string;
  search?: string;
  orderBy?: string;
}

export const LIST_PARAM_NAMES = ['view', 'filter', 'search', 'orderBy'] as const;

export type ListArgs = Pick<CustomersArgs, 'view' | 'filter' | 'search' | 'orderBy'>;

/** The validated parameters, and the JSON values as given (for the access log). */
export interface ListParams {
  args: ListArgs;
  given: { filter: unknown; orderBy: unknown };
}

const invalid = (field: string[], message: Message) => new AppError(ErrorCode.VALIDATION_FAILED, message, field);

interface Checked {
  args?: CustomersArgs;
}

@Resolver()
class ListParamsResolver {
  @Query(() => Boolean, { description: 'Hands the list parameters back as `customers` receives them.' })
  listParams(@Args(() => CustomersArgs) args: CustomersArgs, @Ctx() checked: Checked): boolean {
    checked.args = args;
    return true;
  }
}

let built: Promise<GraphQLSchema> | undefined;

/** A schema of the one field, built once, with the API's scalars and validation settings. */
function paramsSchema(): Promise<GraphQLSchema> {
  built ??= buildSchema({ ...INPUT_OPTIONS, resolvers: [ListParamsResolver], emitSchemaFile: false });
  return built;
}

const CHECK = parse(`query ($view: CustomerView!, $filter: CustomerFilter, $search: String, $orderBy: [CustomerOrder!]) {
  listParams(view: $view, filter: $filter, search: $search, orderBy: $orderBy)
}`);

function parseJson(raw: string, name: string, expected: 'CUSTOMER_FILTER' | 'CUSTOMER_ORDERS'): unknown {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw invalid([name], M.paramNotJson({ field: name, expected }));
  }
  // What the JSON holds is checked as a GraphQL variable would be (escapes such as \u0000 too).
  assertAcceptableInput(value, [name]);
  return value;
}

/**
 * GraphQL's own coercion of one variable, for an error that names the parameter and the path in
 * it (an operation's variable errors say it in prose only).
 */
function assertCoerces(value: unknown, type: GraphQLInputType, name: string): void {
  let failure: AppError | undefined;
  coerceInputValue(value, type, (path, _invalid, error: GraphQLError) => {
    failure ??= invalid([name, ...path.map(String)], M.paramInvalid({ field: [name, ...path].join('.'), detail: error.message }));
  });
  if (failure) throw failure;
}

/** Checks the parameters as GraphQL checks those of `customers`; VALIDATION_FAILED naming the parameter otherwise. */
export async function parseListParams(raw: RawListParams): Promise<ListParams> {
  if (raw.view === undefined || raw.view === '') throw invalid(['view'], M.viewRequired());
  const given = {
    filter: raw.filter === undefined ? null : parseJson(raw.filter, 'filter', 'CUSTOMER_FILTER'),
    orderBy: raw.orderBy === undefined ? null : parseJson(raw.orderBy, 'orderBy', 'CUSTOMER_ORDERS'),
  };
  const variables: Record<string, unknown> = { view: raw.view, filter: given.filter, search: raw.search ?? null, orderBy: given.orderBy };
  const schema = await paramsSchema();
  for (const arg of schema.getQueryType()!.getFields().listParams!.args) {
    if (arg.name in variables) assertCoerces(variables[arg.name], arg.type, arg.name);
  }
  const checked: Checked = {};
  const result = await execute({ schema, document: CHECK, variableValues: variables, contextValue: checked });
  const [error] = result.errors ?? [];
  if (error) {
    const original = error.originalError;
    if (original instanceof ArgumentValidationError) {
      const [first] = flattenValidation(original.extensions.validationErrors as ValidationError[], []);
      throw first ?? invalid([], M.invalidListParams());
    }
    throw original ?? invalid([], M.listParamsRefused({ detail: error.message }));
  }
  return { args: checked.args!, given };
}

/** The URL form of parameters given to the API (the link a mutation hands out). */
export function rawListParams(args: ListArgs): RawListParams {
  const raw: RawListParams = { view: args.view };
  if (args.filter) raw.filter = JSON.stringify(args.filter);
  if (args.search !== undefined && args.search !== null) raw.search = args.search;
  if (args.orderBy) raw.orderBy = JSON.stringify(args.orderBy);
  return raw;
}
