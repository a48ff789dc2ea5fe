import { assertKeyMayRoute } from '../auth/policy.js';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { requireViewer } from '../auth/viewer.js';
import { knownError } from '../common/error-mapping.js';
import { negotiateLanguage } from '../common/language.js';
import { M, type Language, type Message } from '../common/messages.js';
import { assertStorableText } from '../common/text.js';
import { createContext, type AppDeps, type Context } from '../context.js';

// What the plain HTTP routes (attachments, print, export) share: the request's context from the
// bearer token, their parameters checked, and errors as JSON `{ error: { code, message } }` with
// the matching HTTP status (the same mapping as GraphQL's, common/error-mapping.ts).

/** The GraphQL endpoint: its own error format, not the plain routes'. */
export const GRAPHQL_PATH = '/graphql';

/** A refusal with its own HTTP status (other errors take theirs from common/error-mapping.ts). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly text: Message,
  ) {
    super(text.text('en'));
  }
}

/** The language of a plain route's messages, from its Accept-Language header (as GraphQL's context has it). */
export function requestLanguage(request: Pick<FastifyRequest, 'headers'>): Language {
  return negotiateLanguage(request.headers['accept-language']);
}

// What the multipart parser (busboy) throws for a body that is not a well-formed form: no or an
// unusable boundary, a body that ends before its closing delimiter or in the middle of a part. It
// gives these errors no code, only their messages.
const MALFORMED_MULTIPART = [
  /^Multipart: Boundary not found$/,
  /^Boundary required$/,
  /^The needle cannot (have a length bigger than \d+|be an empty String\/Buffer)\.$/,
  /^Unsupported Content-Type\.$/,
  /^Missing Content-Type-header\.$/,
  /unexpected end of multipart data$/i,
];

// A part's stream closed before its end: the parser gave up on a body that ended mid-part.
const PREMATURE_CLOSE = 'ERR_STREAM_PREMATURE_CLOSE';

function malformedMultipart(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const { code } = error as Partial<FastifyError>;
  if (code !== undefined) return code === PREMATURE_CLOSE;
  return MALFORMED_MULTIPART.some((pattern) => pattern.test(error.message));
}

/** The HTTP form of an expected error; undefined for anything else (a bug: 500, logged). */
export function toHttpError(error: unknown): HttpError | undefined {
  if (error instanceof HttpError) return error;
  const known = knownError(error);
  if (known) return new HttpError(known.status, known.code, known.message);
  if (malformedMultipart(error)) {
    return new HttpError(400, 'VALIDATION_FAILED', M.malformedMultipart());
  }
  const { statusCode: status } = (error ?? {}) as Partial<FastifyError>;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    // Fastify's own refusals (wrong media type, body too large, ...).
    const code = status === 413 ? 'PAYLOAD_TOO_LARGE' : 'VALIDATION_FAILED';
    return new HttpError(status, code, M.requestRefused({ detail: (error as Error).message }));
  }
  return undefined;
}

/** Answers with the error as JSON; logs what it does not know (as `what`) and masks it. */
export function sendError(request: FastifyRequest, reply: FastifyReply, error: unknown, what: string): FastifyReply {
  const known = toHttpError(error);
  if (!known) request.log.error({ err: error }, what);
  const status = known?.status ?? 500;
  const code = known?.code ?? 'INTERNAL_SERVER_ERROR';
  const message = (known?.text ?? M.internalError({ requestId: request.id })).text(requestLanguage(request));
  // A request refused before its body was read: close the connection rather than read the rest.
  if (!request.raw.complete) void reply.header('connection', 'close');
  return reply.code(status).type('application/json; charset=utf-8').send({ error: { code, message } });
}

/**
 * The parameters of every plain route (path and query string, as Fastify decoded them), checked
 * where they arrive: text PostgreSQL can't store is VALIDATION_FAILED (400) naming the parameter.
 * GraphQL checks its own input (input-text.ts), in its own error format.
 */
export async function refuseUnstorableParams(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
  if (request.routeOptions.url === GRAPHQL_PATH) return undefined;
  try {
    assertStorableText(request.params);
    assertStorableText(request.query);
  } catch (error) {
    // Answered here, in the plain routes' format, whichever scope (and error handler) the route has.
    return sendError(request, reply, error, 'request refused');
  }
  return undefined;
}

/** The request's context from its bearer token; no token, a bad one or a deactivated user's: 401. */
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
