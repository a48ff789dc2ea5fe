import { getMetadataStorage, type ValidationError } from 'class-validator';
import {
  GraphQLError,
  getNamedType,
  isListType,
  isNonNullType,
  isObjectType,
  type GraphQLErrorOptions,
  type GraphQLFormattedError,
  type GraphQLResolveInfo,
} from 'graphql';
import { ArgumentValidationError } from 'type-graphql';
import type { Context } from '../context.js';
import { AppError, ErrorCode, RequestError, type ErrorDetails, type TopLevelCode } from './errors.js';
import { DEFAULT_LANGUAGE } from './language.js';
import { M, type Language, type Message } from './messages.js';
import { UserError } from './user-error.js';

// The one place where errors become GraphQL: expected outcomes go into a mutation's `userErrors`,
// everything else becomes a top-level error with `extensions.code`; unknown errors are logged in
// full and masked. Messages are rendered here, in the request's language (messages.ts); codes,
// fields and extensions are the same in every language.

const PG_QUERY_CANCELED = '57014';

/** The bounds a decorator of `target`'s `property` was given (`@MaxLength(200)`: [200]), from class-validator's metadata. */
function constraintArgs(target: object | undefined, property: string, constraint: string): unknown[] {
  if (!target) return [];
  const metadata = getMetadataStorage().getTargetValidationMetadatas(target.constructor, '', true, false);
  return metadata.find((m) => m.propertyName === property && m.name === constraint)?.constraints ?? [];
}

/** The catalogue's message for one class-validator finding, by constraint name, with the decorator's bounds. */
function constraintMessage(constraint: string, field: string, args: unknown[], value: unknown): Message {
  const [first, second] = args as number[];
  switch (constraint) {
    case 'maxLength':
      return M.tooLong({ field, max: first! });
    case 'minLength':
      return M.tooShort({ field, min: first! });
    case 'isLength':
      // As class-validator words it: the bound the value misses.
      if (second === undefined || (typeof value === 'string' && value.length < first!)) return M.tooShort({ field, min: first! });
      return M.tooLong({ field, max: second });
    case 'min':
      return M.belowMin({ field, min: first! });
    case 'max':
      return M.aboveMax({ field, max: first! });
    case 'arrayMaxSize':
      return M.tooManyItems({ field, max: first! });
    case 'arrayMinSize':
      return M.tooFewItems({ field, min: first! });
    case 'isEmail':
      return M.notEmail({ field });
    case 'isUrl':
      return M.notUrl({ field });
    default:
      return M.invalidValue({ field });
  }
}

/** class-validator's findings (type-graphql's ArgumentValidationError) as VALIDATION_FAILED errors on their fields. */
export function flattenValidation(errors: ValidationError[], path: string[]): AppError[] {
  return errors.flatMap((e) => {
    const field = [...path, e.property];
    const own = Object.keys(e.constraints ?? {}).map((constraint) => {
      const message = constraintMessage(constraint, e.property, constraintArgs(e.target, e.property, constraint), e.value);
      return new AppError(ErrorCode.VALIDATION_FAILED, message, field);
    });
    return [...own, ...flattenValidation(e.children ?? [], field)];
  });
}

/** The English of the messages rendered here in another language: what the logs say. */
const ENGLISH = new WeakMap<GraphQLError, string>();

/** A GraphQLError with `message` in `language`, remembering its English for the logs. */
function rendered(message: Message, language: Language, options: GraphQLErrorOptions): GraphQLError {
  const error = new GraphQLError(message.text(language), options);
  if (language !== 'en') ENGLISH.set(error, message.text('en'));
  return error;
}

/** An error's message as the logs say it: in English, whatever language the client was answered in. */
export function englishMessage(error: GraphQLError): string {
  for (let e: unknown = error; e instanceof GraphQLError; e = e.originalError) {
    const english = ENGLISH.get(e);
    if (english !== undefined) return english;
  }
  return error.message;
}

/** A refusal raised before execution (a plugin's): the GraphQLError with the message in `language`. */
export function refusal(message: Message, language: Language | undefined, extensions: Record<string, unknown>): GraphQLError {
  return rendered(message, language ?? DEFAULT_LANGUAGE, { extensions });
}

/**
 * For a mutation whose payload has `userErrors`: the payload carrying these errors, with every
 * other list field empty and every other field null. Undefined for other fields.
 */
function errorPayload(info: GraphQLResolveInfo, errors: AppError[], language: Language): Record<string, unknown> | undefined {
  if (info.path.prev !== undefined || info.parentType.name !== 'Mutation') return undefined;
  const type = getNamedType(info.returnType);
  if (!isObjectType(type) || !('userErrors' in type.getFields())) return undefined;
  const payload: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(type.getFields())) {
    payload[name] = isNonNullType(field.type) && isListType(field.type.ofType) ? [] : null;
  }
  payload.userErrors = errors.map((e) => UserError.from(e, language));
  return payload;
}

/** What a client is told about an error it may meet, whichever protocol carries it. */
export interface KnownError {
  code: string;
  /** The message, to render in the reader's language. */
  message: Message;
  /** The HTTP status of a plain route's answer. */
  status: number;
  /** A status the whole GraphQL response takes (refusals of the request, not of a field). */
  responseStatus?: number;
  field?: string[];
  details?: ErrorDetails;
  /** The server's trouble rather than the client's: logged as a warning, answered with the request id. */
  serverSide?: boolean;
  /** When the client may try again (seconds): the Retry-After header and `extensions.retryAfter`. */
  retryAfter?: number;
}

/** The HTTP status of each domain code (a plain route answers with it); 400 for the others. */
const DOMAIN_STATUS: Partial<Record<ErrorCode, number>> = {
  [ErrorCode.NOT_FOUND]: 404,
  [ErrorCode.FORBIDDEN]: 403,
  [ErrorCode.VALIDATION_FAILED]: 400,
  [ErrorCode.STALE_VERSION]: 409,
  [ErrorCode.INVALID_TRANSITION]: 409,
  [ErrorCode.CONFLICT]: 409,
};

/** The HTTP status of each top-level code, unless the error names its own; 400 for the others. */
const TOP_LEVEL_STATUS: Partial<Record<TopLevelCode, number>> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  VALIDATION_FAILED: 400,
  TIMEOUT: 503,
};

function pgCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * The one table of errors a client is told about: GraphQL (toGraphQLError) and the plain HTTP
 * routes (http/routes.ts) both read it. Anything else is a bug: logged in full and masked.
 */
const MAPPINGS: readonly ((error: unknown) => KnownError | undefined)[] = [
  (e) =>
    e instanceof AppError
      ? { code: e.code, message: e.text, status: DOMAIN_STATUS[e.code] ?? 400, field: e.field, details: e.details }
      : undefined,
  (e) =>
    e instanceof RequestError
      ? {
          code: e.code,
          message: e.text,
          status: e.httpStatus ?? TOP_LEVEL_STATUS[e.code] ?? 400,
          responseStatus: e.httpStatus,
          retryAfter: e.retryAfterSeconds,
        }
      : undefined,
  (e) => {
    if (!(e instanceof ArgumentValidationError)) return undefined;
    const first = flattenValidation(e.extensions.validationErrors as ValidationError[], ['input'])[0];
    return { code: ErrorCode.VALIDATION_FAILED, message: first?.text ?? M.invalidInput(), status: 400, field: first?.field };
  },
  (e) =>
    pgCode(e) === PG_QUERY_CANCELED
      ? { code: 'TIMEOUT', message: M.timeout(), status: 503, responseStatus: 503, serverSide: true }
      : undefined,
];

/** What a client is told about `error`; undefined for what it is not told (a bug). */
export function knownError(error: unknown): KnownError | undefined {
  for (const mapping of MAPPINGS) {
    const known = mapping(error);
    if (known) return known;
  }
  return undefined;
}

/** What error mapping needs of a request: its id, its log and the language of its messages. */
export type ErrorScope = Pick<Context, 'requestId' | 'log'> & Partial<Pick<Context, 'language'>>;

/** Converts any error to the GraphQLError a client sees; logs what it masks. */
export function toGraphQLError(error: unknown, ctx: ErrorScope): GraphQLError {
  const language = ctx.language ?? DEFAULT_LANGUAGE;
  const known = knownError(error);
  if (known) {
    if (known.serverSide) ctx.log.warn({ err: error }, 'statement timeout');
    const extensions: Record<string, unknown> = { code: known.code };
    if (known.field !== undefined) extensions.field = known.field;
    Object.assign(extensions, known.details);
    if (known.serverSide) extensions.requestId = ctx.requestId;
    if (known.retryAfter !== undefined) extensions.retryAfter = known.retryAfter;
    if (known.responseStatus) {
      // Apollo takes response headers as a Map (graphql-yoga's typings, loaded for GraphiQL, say a record).
      const headers = known.retryAfter === undefined ? {} : { headers: new Map([['retry-after', String(known.retryAfter)]]) };
      extensions.http = { status: known.responseStatus, ...headers };
    }
    return rendered(known.message, language, { extensions });
  }
  if (error instanceof GraphQLError) return error;
  ctx.log.error({ err: error }, 'internal error');
  return rendered(M.internalError({ requestId: ctx.requestId }), language, {
    extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: ctx.requestId, http: { status: 500 } },
  });
}

/**
 * An error of a root field: a mutation's expected outcomes (domain errors, invalid input) become
 * its payload's `userErrors`; everything else is thrown as the GraphQL error a client sees.
 */
export function mapRootError(error: unknown, ctx: ErrorScope, info: GraphQLResolveInfo): Record<string, unknown> {
  const expected =
    error instanceof AppError
      ? [error]
      : error instanceof ArgumentValidationError
        ? flattenValidation(error.extensions.validationErrors as ValidationError[], ['input'])
        : undefined;
  const payload = expected && errorPayload(info, expected, ctx.language ?? DEFAULT_LANGUAGE);
  if (payload) return payload;
  throw toGraphQLError(error, ctx);
}

/** Safety net for errors raised outside resolvers: never leak an internal message. */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && code !== 'INTERNAL_SERVER_ERROR') return formatted;
  const original = (error as { originalError?: unknown })?.originalError;
  if (original instanceof AppError || original instanceof RequestError) {
    return { ...formatted, extensions: { ...formatted.extensions, code: original.code } };
  }
  if (code === 'INTERNAL_SERVER_ERROR' && formatted.extensions?.requestId) return formatted;
  return {
    message: 'Internal server error',
    locations: formatted.locations,
    path: formatted.path,
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  };
}
