import { HeaderMap } from '@apollo/server';
import type { ValidationError } from 'class-validator';
import {
  GraphQLError,
  getNamedType,
  isListType,
  isNonNullType,
  isObjectType,
  type GraphQLFormattedError,
  type GraphQLResolveInfo,
} from 'graphql';
import { ArgumentValidationError } from 'type-graphql';
import type { Context } from '../context.js';
import { AppError, ErrorCode, RequestError } from './errors.js';
import { UserError } from './user-error.js';

// The one place where errors become GraphQL: expected outcomes go into a mutation's `userErrors`,
// everything else becomes a top-level error with `extensions.code`; unknown errors are logged in
// full and masked.

const PG_QUERY_CANCELED = '57014';

function flattenValidation(errors: ValidationError[], path: string[]): AppError[] {
  return errors.flatMap((e) => {
    const field = [...path, e.property];
    const own = Object.values(e.constraints ?? {}).map(
      (message) => new AppError(ErrorCode.VALIDATION_FAILED, message, field),
    );
    return [...own, ...flattenValidation(e.children ?? [], field)];
  });
}

/**
 * For a mutation whose payload has `userErrors`: the payload carrying these errors, with every
 * other list field empty and every other field null. Undefined for other fields.
 */
function errorPayload(info: GraphQLResolveInfo, errors: AppError[]): Record<string, unknown> | undefined {
  if (info.path.prev !== undefined || info.parentType.name !== 'Mutation') return undefined;
  const type = getNamedType(info.returnType);
  if (!isObjectType(type) || !('userErrors' in type.getFields())) return undefined;
  const payload: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(type.getFields())) {
    payload[name] = isNonNullType(field.type) && isListType(field.type.ofType) ? [] : null;
  }
  payload.userErrors = errors.map((e) => UserError.from(e));
  return payload;
}

function pgCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Converts any error to the GraphQLError a client sees; logs what it masks. */
export function toGraphQLError(error: unknown, ctx: Pick<Context, 'requestId' | 'log'>): GraphQLError {
  if (error instanceof AppError) {
    return new GraphQLError(error.message, {
      extensions: { code: error.code, field: error.field, ...error.details },
    });
  }
  if (error instanceof RequestError) {
    const retryAfter = error.retryAfterSeconds;
    // Apollo takes response headers as a Map (graphql-yoga's typings, loaded for GraphiQL, say a record).
    const headers = retryAfter === undefined ? {} : { headers: new Map([['retry-after', String(retryAfter)]]) };
    const http = error.httpStatus ? { http: { status: error.httpStatus, ...headers } as { status: number } } : {};
    return new GraphQLError(error.message, {
      extensions: { code: error.code, ...(retryAfter === undefined ? {} : { retryAfter }), ...http },
    });
  }
  if (error instanceof ArgumentValidationError) {
    const first = flattenValidation(error.extensions.validationErrors as ValidationError[], ['input'])[0];
    return new GraphQLError(first?.message ?? 'Invalid input', {
      extensions: { code: ErrorCode.VALIDATION_FAILED, field: first?.field },
    });
  }
  if (error instanceof GraphQLError) return error;
  if (pgCode(error) === PG_QUERY_CANCELED) {
    ctx.log.warn({ err: error }, 'statement timeout');
    return new GraphQLError('The request took too long and was cancelled', {
      extensions: { code: 'TIMEOUT', requestId: ctx.requestId, http: { status: 503 } },
    });
  }
  ctx.log.error({ err: error }, 'internal error');
  return new GraphQLError(`Internal server error (request ${ctx.requestId})`, {
    extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: ctx.requestId, http: { status: 500 } },
  });
}

/**
 * An error of a root field: a mutation's expected outcomes (domain errors, invalid input) become
 * its payload's `userErrors`; everything else is thrown as the GraphQL error a client sees.
 */
export function mapRootError(error: unknown, ctx: Pick<Context, 'requestId' | 'log'>, info: GraphQLResolveInfo): Record<string, unknown> {
  const expected =
    error instanceof AppError
      ? [error]
      : error instanceof ArgumentValidationError
        ? flattenValidation(error.extensions.validationErrors as ValidationError[], ['input'])
        : undefined;
  const payload = expected && errorPayload(info, expected);
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
