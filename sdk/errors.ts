// Errors an SDK call throws: one class with a typed `code` to branch on, and a subclass for each
// refusal a partner app is expected to handle (sign in again, slow down, fix the input, ...).
import { ClientError, type GraphQLResponse } from 'graphql-request';
import { ErrorCode } from './generated.js';

/** Codes of top-level errors (`errors[].extensions.code`), beside the business codes of `ErrorCode`. */
export const REQUEST_ERROR_CODES = [
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'VALIDATION_FAILED',
  /** Over the rate limit (HTTP 429); `retryAfter` says when to try again. */
  'THROTTLED',
  /** The server's queue is full (HTTP 503); `retryAfter` says when to try again. */
  'SERVER_BUSY',
  /** Too many failed sign-ins (HTTP 429). */
  'TOO_MANY_REQUESTS',
  'QUERY_TOO_COMPLEX',
  'TIMEOUT',
  'PAYLOAD_TOO_LARGE',
  /** The document does not parse or validate against the server's schema. */
  'BAD_REQUEST',
  'INTERNAL_SERVER_ERROR',
  /** No usable HTTP answer (connection refused, DNS, CORS, a body that is not JSON); see `cause`. */
  'NETWORK_ERROR',
  /** A code this version of the SDK does not know; `serverCode` holds it. */
  'UNKNOWN',
] as const;

export type RequestErrorCode = (typeof REQUEST_ERROR_CODES)[number];
export type CrmErrorCode = RequestErrorCode | ErrorCode;

const KNOWN = new Set<string>([...REQUEST_ERROR_CODES, ...Object.values(ErrorCode)]);

// Codes of the GraphQL server library itself, in the SDK's terms.
const LIBRARY_CODES: Record<string, CrmErrorCode> = {
  GRAPHQL_PARSE_FAILED: 'BAD_REQUEST',
  GRAPHQL_VALIDATION_FAILED: 'BAD_REQUEST',
  OPERATION_RESOLUTION_FAILURE: 'BAD_REQUEST',
  PERSISTED_QUERY_NOT_FOUND: 'BAD_REQUEST',
  PERSISTED_QUERY_NOT_SUPPORTED: 'BAD_REQUEST',
  BAD_REQUEST: 'BAD_REQUEST',
  BAD_USER_INPUT: 'VALIDATION_FAILED',
};

// Answers without a code of their own (a proxy's page, the HTTP server's refusals), by status.
const STATUS_CODES: Record<number, CrmErrorCode> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  413: 'PAYLOAD_TOO_LARGE',
  429: 'THROTTLED',
  503: 'SERVER_BUSY',
};

type RequestContext = ClientError['request'];

/** A failed SDK call. Also a graphql-request `ClientError`: `response` and `request` are there too. */
export class CrmError extends ClientError {
  /** What went wrong, to branch on. */
  readonly code: CrmErrorCode;
  /** The code exactly as the server sent it (`extensions.code`), if it sent one. */
  readonly serverCode: string | undefined;
  /** The HTTP status; 0 when there was no answer. */
  readonly status: number;
  /** Seconds to wait before trying again, from the `Retry-After` header, when the server sent one. */
  readonly retryAfter: number | undefined;
  /** The server's request id (`x-request-id`), for support. */
  readonly requestId: string | undefined;
  /** The response's top-level `extensions` (e.g. `cost`), if any. */
  readonly extensions: Record<string, unknown> | undefined;

  constructor(response: GraphQLResponse, request: RequestContext, options: { code?: CrmErrorCode; message?: string; cause?: unknown } = {}) {
    super(response, request);
    Object.setPrototypeOf(this, new.target.prototype);
    const first = response.errors?.[0] as { message?: unknown } | undefined;
    const serverCode = serverCodeOf(response);
    this.name = new.target.name;
    this.serverCode = serverCode;
    this.code = options.code ?? codeOf(serverCode, response.status);
    this.status = response.status;
    this.retryAfter = parseRetryAfter(response.headers.get('retry-after'));
    this.requestId = response.headers.get('x-request-id') ?? undefined;
    this.extensions = isRecord(response.extensions) ? response.extensions : undefined;
    // graphql-request's message repeats the whole request (variables, passwords) and response.
    this.message =
      options.message ??
      (typeof first?.message === 'string' ? first.message : `${this.code}: HTTP ${response.status}`);
    if (options.cause !== undefined) Object.defineProperty(this, 'cause', { value: options.cause, enumerable: false });
  }
}

/** No token, an expired or revoked one, or a deactivated user's: sign in again. */
export class UnauthenticatedError extends CrmError {
  declare readonly code: 'UNAUTHENTICATED';
}
/** The viewer's role or key may never do this. */
export class ForbiddenError extends CrmError {
  declare readonly code: 'FORBIDDEN';
}
/** The record does not exist or is not visible to the viewer. */
export class NotFoundError extends CrmError {
  declare readonly code: 'NOT_FOUND';
}
/** The input is invalid; `field` names which, when the server said. */
export class ValidationFailedError extends CrmError {
  declare readonly code: 'VALIDATION_FAILED';
  get field(): string[] | undefined {
    const field = (this.response.errors?.[0] as { extensions?: { field?: unknown } } | undefined)?.extensions?.field;
    return Array.isArray(field) ? field.map(String) : undefined;
  }
}
/** Over the rate limit (HTTP 429): wait `retryAfter` seconds. */
export class ThrottledError extends CrmError {
  declare readonly code: 'THROTTLED';
}
/** The server is busy (HTTP 503): wait `retryAfter` seconds. */
export class ServerBusyError extends CrmError {
  declare readonly code: 'SERVER_BUSY';
}

const CLASSES: Partial<Record<CrmErrorCode, new (...args: ConstructorParameters<typeof CrmError>) => CrmError>> = {
  UNAUTHENTICATED: UnauthenticatedError,
  FORBIDDEN: ForbiddenError,
  NOT_FOUND: NotFoundError,
  VALIDATION_FAILED: ValidationFailedError,
  THROTTLED: ThrottledError,
  SERVER_BUSY: ServerBusyError,
};

function codeOf(serverCode: string | undefined, status: number): CrmErrorCode {
  if (serverCode !== undefined) {
    if (KNOWN.has(serverCode)) return serverCode as CrmErrorCode;
    return LIBRARY_CODES[serverCode] ?? 'UNKNOWN';
  }
  if (status === 0) return 'NETWORK_ERROR';
  return STATUS_CODES[status] ?? (status >= 500 ? 'INTERNAL_SERVER_ERROR' : 'UNKNOWN');
}

function serverCodeOf(response: GraphQLResponse): string | undefined {
  const code = (response.errors?.[0] as { extensions?: { code?: unknown } } | undefined)?.extensions?.code;
  return typeof code === 'string' ? code : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Seconds from a Retry-After header: a number of seconds or an HTTP date. */
function parseRetryAfter(header: string | null): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds));
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

/** The error an SDK call throws for whatever its request ran into (AbortError passes through). */
export function toCrmError(error: unknown, request: RequestContext): unknown {
  if (error instanceof CrmError) return error;
  if (error instanceof ClientError) {
    const code = codeOf(serverCodeOf(error.response), error.response.status);
    const Class = CLASSES[code] ?? CrmError;
    return new Class(error.response, error.request, { code, cause: error });
  }
  if (error instanceof Error && error.name === 'AbortError') return error;
  const response: GraphQLResponse = { status: 0, headers: new Headers(), body: '' };
  const message = error instanceof Error ? error.message : String(error);
  return new CrmError(response, request, { code: 'NETWORK_ERROR', message: `No usable answer from the server: ${message}`, cause: error });
}

/** Whether `error` is a CrmError, with that code when one is given. */
export function isCrmError<C extends CrmErrorCode>(error: unknown, code?: C): error is CrmError & { code: C } {
  return error instanceof CrmError && (code === undefined || error.code === code);
}
