import { validate, type ValidationError } from 'class-validator';
import { GraphQLError, coerceInputValue, type GraphQLInputType } from 'graphql';
import { getMetadataStorage } from 'type-graphql';
import { AppError, ErrorCode } from '../common/errors.js';
import { assertAcceptableInput } from '../common/input-text.js';
import { CustomersArgs } from '../customers/customer.inputs.js';
import { getSchema } from '../schema.js';

// The list parameters of a print or export URL (`?view=MINE&filter={...}&search=...&orderBy=[...]`)
// checked exactly as GraphQL checks the arguments of `customers`: coerced against the same schema
// types (enums, scalars, unknown fields), then turned into the same classes and run through the
// same class-validator rules, so a URL can express exactly what the API accepts.

/** The parameters as they travel in a URL: `filter` and `orderBy` are JSON text. */
export interface RawListParams {
  view?: string;
  filter?: string;
  search?: string;
  orderBy?: string;
}

export const LIST_PARAM_NAMES = ['view', 'filter', 'search', 'orderBy'] as const;

/** The validated parameters, and the JSON values as given (for the access log). */
export interface ListParams {
  args: Pick<CustomersArgs, 'view' | 'filter' | 'search' | 'orderBy'>;
  given: { filter: unknown; orderBy: unknown };
}

const invalid = (field: string[], message: string) => new AppError(ErrorCode.VALIDATION_FAILED, message, field);

async function argumentTypes(): Promise<Map<string, GraphQLInputType>> {
  const field = (await getSchema()).getQueryType()!.getFields().customers!;
  return new Map(field.args.map((arg) => [arg.name, arg.type]));
}

function parseJson(raw: string, name: string, expected: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw invalid([name], `${name} must be JSON: ${expected}`);
  }
  // What the JSON holds is checked as a GraphQL variable would be (escapes such as \u0000 too).
  assertAcceptableInput(value, [name]);
  return value;
}

function coerce(value: unknown, type: GraphQLInputType, name: string): unknown {
  let failure: AppError | undefined;
  const result = coerceInputValue(value, type, (path, _invalid, error: GraphQLError) => {
    failure ??= invalid([name, ...path.map(String)], `${[name, ...path].join('.')}: ${error.message}`);
  });
  if (failure) throw failure;
  return result;
}

/** The input (or args) class of a value, nested inputs as their classes too, as type-graphql builds them. */
function toInstance(target: unknown, value: unknown): unknown {
  if (value === null || value === undefined) return value;
  if (Array.isArray(value)) return value.map((item) => toInstance(target, item));
  const storage = getMetadataStorage();
  const classes = [...storage.inputTypes, ...storage.argumentTypes];
  const meta = classes.find((t) => t.target === target);
  if (!meta || typeof value !== 'object' || value instanceof Date) return value;
  const instance = Object.create((target as { prototype: object }).prototype) as Record<string, unknown>;
  for (let proto = target as { prototype?: object }; proto?.prototype; proto = Object.getPrototypeOf(proto)) {
    for (const field of classes.find((t) => t.target === proto)?.fields ?? []) {
      const fieldValue = (value as Record<string, unknown>)[field.name];
      if (fieldValue !== undefined && !(field.name in instance)) instance[field.name] = toInstance(field.getType(), fieldValue);
    }
  }
  return instance;
}

function firstMessage(errors: ValidationError[], path: string[] = []): AppError | undefined {
  for (const error of errors) {
    const field = [...path, error.property];
    const message = Object.values(error.constraints ?? {})[0];
    if (message) return invalid(field, message);
    const nested = firstMessage(error.children ?? [], field);
    if (nested) return nested;
  }
  return undefined;
}

/** Checks the parameters as GraphQL would; VALIDATION_FAILED naming the parameter otherwise. */
export async function parseListParams(raw: RawListParams): Promise<ListParams> {
  const types = await argumentTypes();
  if (raw.view === undefined || raw.view === '') throw invalid(['view'], 'view is required (POOL, MINE, SHARED_WITH_ME, SUBORDINATES, ALL or ARCHIVED)');
  const given = {
    filter: raw.filter === undefined ? null : parseJson(raw.filter, 'filter', 'a CustomerFilter object'),
    orderBy: raw.orderBy === undefined ? null : parseJson(raw.orderBy, 'orderBy', 'a list of CustomerOrder objects'),
  };
  const values = {
    view: coerce(raw.view, types.get('view')!, 'view'),
    filter: coerce(given.filter, types.get('filter')!, 'filter'),
    search: coerce(raw.search ?? null, types.get('search')!, 'search'),
    orderBy: coerce(given.orderBy, types.get('orderBy')!, 'orderBy'),
  };
  const args = toInstance(CustomersArgs, values) as CustomersArgs;
  // The settings of schema.ts and type-graphql's defaults for them.
  const errors = await validate(args, { forbidUnknownValues: false, skipMissingProperties: true, stopAtFirstError: false });
  const failure = firstMessage(errors);
  if (failure) throw failure;
  return { args, given };
}

/** The URL form of parameters given to the API (the link a mutation hands out). */
export function rawListParams(args: Pick<CustomersArgs, 'view' | 'filter' | 'search' | 'orderBy'>): RawListParams {
  const raw: RawListParams = { view: args.view };
  if (args.filter) raw.filter = JSON.stringify(args.filter);
  if (args.search !== undefined && args.search !== null) raw.search = args.search;
  if (args.orderBy) raw.orderBy = JSON.stringify(args.orderBy);
  return raw;
}
