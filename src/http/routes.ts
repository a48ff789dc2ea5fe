import { assertKeyMayRoute } from '../auth/policy.js';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, ErrorCode, RequestError } from '../common/errors.js';
import { requireViewer } from '../auth/viewer.js';
import { createContext, type AppDeps, type Context } from '../context.js';

// What the plain HTTP routes (attachments, print, export) share: the request's context from the
// bearer token, and errors as JSON `{ error: { code, message } }` with the matching HTTP status.

/** A refusal with its own HTTP status (the codes of AppError and RequestError map below). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const STATUS: Partial<Record<ErrorCode, number>> = {
  [ErrorCode.NOT_FOUND]: 404,
  [ErrorCode.FORBIDDEN]: 403,
  [ErrorCode.VALIDATION_FAILED]: 400,
  [ErrorCode.STALE_VERSION]: 409,
  [ErrorCode.INVALID_TRANSITION]: 409,
  [ErrorCode.CONFLICT]: 409,
};

const TOP_LEVEL_STATUS: Record<string, number> = { UNAUTHENTICATED: 401, FORBIDDEN: 403, NOT_FOUND: 404, VALIDATION_FAILED: 400, TIMEOUT: 503 };

const PG_QUERY_CANCELED = '57014';

/** The HTTP form of an expected error; undefined for anything else (a bug: 500, logged). */
export function toHttpError(error: unknown): HttpError | undefined {
  if (error instanceof HttpError) return error;
  if (error instanceof AppError) return new HttpError(STATUS[error.code] ?? 400, error.code, error.message);
  if (error instanceof RequestError) {
    return new HttpError(error.httpStatus ?? TOP_LEVEL_STATUS[error.code] ?? 400, error.code, error.message);
  }
  const { statusCode: status, code } = (error ?? {}) as Partial<FastifyError>;
  if (code === PG_QUERY_CANCELED) return new HttpError(503, 'TIMEOUT', 'The request took too long and was cancelled');
  if (typeof status === 'number' && status >= 400 && status < 500) {
    // Fastify's own refusals (wrong media type, body too large, ...).
    const code = status === 413 ? 'PAYLOAD_TOO_LARGE' : 'VALIDATION_FAILED';
    return new HttpError(status, code, (error as Error).message);
  }
  return undefined;
}

/** Answers with the error as JSON; logs what it does not know (as `what`) and masks it. */
export function sendError(request: FastifyRequest, reply: FastifyReply, error: unknown, what: string): FastifyReply {
  const known = toHttpError(error);
  if (!known) request.log.error({ err: error }, what);
  const status = known?.status ?? 500;
  const code = known?.code ?? 'INTERNAL_SERVER_ERROR';
  const message = known?.message ?? `Internal server error (request ${request.id})`;
  // A request refused before its body was read: close the connection rather than read the rest.
  if (!request.raw.complete) void reply.header('connection', 'close');
  return reply.code(status).type('application/json; charset=utf-8').send({ error: { code, message } });
}

/** The request's context from its bearer token or API key; none, a bad one or a deactivated user's: 401. */
export async function bearerContext(app: AppDeps, request: FastifyRequest): Promise<Context> {
  const ctx = await createContext(app, {
    requestId: request.id,
    log: request.log,
    authorization: request.headers.authorization,
  });
  // A request made with an API key needs its scope here as in GraphQL (the policy says which).
  assertKeyMayRoute(requireViewer(ctx), request.method);
  return ctx;
}
