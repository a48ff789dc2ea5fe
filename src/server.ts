import type { EntityManager } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { fastifyApolloHandler } from '@as-integrations/fastify';
import compress from '@fastify/compress';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { GatewayInterface, GatewaySchemaLoadOrUpdateCallback } from '@apollo/server-gateway-interface';
import { GraphQLError, printSchema, type GraphQLSchema } from 'graphql';
import { executeOperation, executeReference } from './common/assemble.js';
import { registerAttachmentRoutes } from './attachments/attachment.routes.js';
import { englishMessage, formatError, toGraphQLError } from './common/error-mapping.js';
import { AppError, RequestError } from './common/errors.js';
import { storableInputPlugin } from './common/input-text.js';
import { negotiateLanguage } from './common/language.js';
import { M } from './common/messages.js';
import { requestLimitsPlugin } from './common/request-limits.js';
import { createBucketStore } from './rate-limits/buckets.js';
import { ApiKeyUses, registerKeyUses } from './api-keys/last-used.js';
import { costLimitsPlugin } from './rate-limits/cost-limits.js';
import { createContext, type AppDeps, type Context } from './context.js';
import { Admission } from './http/admission.js';
import { graphiqlPreHandler } from './http/graphiql.js';
import { registerHealthRoutes } from './http/health.js';
import { GRAPHQL_PATH, refuseUnstorableParams, requestLanguage } from './http/routes.js';
import { registerPrintRoutes } from './print/print.routes.js';
import { getSchema } from './schema.js';

/** Query parameters that carry credentials (signed print links): never written to the logs. */
const SECRET_PARAMS = /([?&](?:link|token)=)[^&#]*/gi;

interface LoggedRequest {
  method: string;
  url: string;
  hostname?: string;
  ip?: string;
  socket?: { remotePort?: number };
}

/** How requests appear in the JSON logs: as Fastify logs them, minus secrets in the URL. */
export const logSerializers = {
  req(request: LoggedRequest) {
    return {
      method: request.method,
      url: request.url.replace(SECRET_PARAMS, '$1[redacted]'),
      host: request.hostname,
      remoteAddress: request.ip,
      remotePort: request.socket?.remotePort,
    };
  },
};

/** Response compression: brotli at quality 4 (the plugin's default, as fast as gzip) or gzip. */
const COMPRESSION = { encodings: ['br', 'gzip'] as ('br' | 'gzip')[] };

export interface ServerOptions {
  /** The process's logger (give it `logSerializers`); without it Fastify makes one at the configured level. */
  logger?: FastifyBaseLogger;
  /**
   * `reference` runs every operation through graphql-js's `execute` alone, without the assembler:
   * the yardstick the assembler's answers are checked against (tests/read-path-equivalence.test.ts).
   */
  execution?: 'assembled' | 'reference';
}

/**
 * Whether an error Apollo reports is the server's fault: unexpected, or masked as internal. A
 * client's bad request (a document that does not parse or validate, variables of the wrong type,
 * input refused with a code) is not.
 */
function isServerFault(error: GraphQLError): boolean {
  const original = error.originalError;
  if (original instanceof AppError || original instanceof RequestError) return false;
  const code = error.extensions?.code ?? (original instanceof GraphQLError ? original.extensions.code : undefined);
  return code === undefined || code === 'INTERNAL_SERVER_ERROR';
}

/**
 * Logs the errors of a request: each server fault at error level, with the request id; a
 * client's bad request once, at info (however many errors its document has: a directive repeated
 * a hundred times is one bad request, and nobody should be paged for it).
 */
const logErrors: ApolloServerPlugin<Context> = {
  async requestDidStart() {
    return {
      async didEncounterErrors({ errors, contextValue, operationName }) {
        const log = contextValue?.log;
        if (!log) return;
        const faults = errors.filter(isServerFault);
        for (const fault of faults) {
          // Masked by toGraphQLError, which logged it in full already.
          const masked = fault.originalError instanceof GraphQLError && fault.originalError.extensions.requestId !== undefined;
          if (!masked) log.error({ err: fault.originalError ?? fault }, 'unexpected error');
        }
        if (faults.length === errors.length) return;
        const refused = errors.filter((error) => !isServerFault(error));
        const codes = [...new Set(refused.map((e) => String(e.extensions?.code ?? (e.originalError as AppError | undefined)?.code)))];
        log.info({ operationName, errorCount: refused.length, codes, firstError: englishMessage(refused[0]!).slice(0, 200) }, 'request refused');
      },
    };
  },
};

/**
 * Apollo runs every operation through `executeOperation` (assemble.ts) instead of graphql-js's
 * `execute` directly: its gateway interface is the extension point for an executor of one's own.
 * The schema is this process's, built once; parsing, validation, limits, plugins and error
 * formatting stay Apollo's.
 */
function executorFor(schema: GraphQLSchema, execution: ServerOptions['execution']): GatewayInterface {
  const run = execution === 'reference' ? executeReference : executeOperation;
  let announce: GatewaySchemaLoadOrUpdateCallback | undefined;
  return {
    onSchemaLoadOrUpdate(callback) {
      announce = callback;
      return () => (announce = undefined);
    },
    async load() {
      announce?.({ apiSchema: schema, coreSupergraphSdl: printSchema(schema) });
      return {
        executor: async (request) => {
          // No operation of that name in the document (or several and no name): graphql-js's own
          // words; Apollo answers them as OPERATION_RESOLUTION_FAILURE (400).
          if (!request.operation) {
            const named = request.request.operationName;
            const message = named ? `Unknown operation named "${named.slice(0, 100)}".` : 'Must provide operation name if query contains multiple operations.';
            return { errors: [new GraphQLError(message)] };
          }
          return run({
            schema,
            document: request.document,
            operation: request.operation,
            operationName: request.operationName,
            variableValues: request.request.variables,
            contextValue: request.context,
          });
        },
      };
    },
    async stop() {},
  };
}

// Apollo's answers leave as bytes. Apollo writes a result as `JSON.stringify(result) + '\n'`, and
// Fastify, given a string, first counts its UTF-8 bytes (a pass over the whole text, about 0.6 ms
// for a 450 KB page, after V8 copies the text and its newline into one flat string), and the
// socket then encodes it. Here the result is stringified alone (`stringifyResult`), and encoded
// once, with the same newline, into a buffer Fastify only has to send (`asBytes`).

/** A result as JSON text, without Apollo's newline (asBytes adds it as a byte). */
function stringifyResult(result: unknown): string {
  return JSON.stringify(result);
}

/** The UTF-8 bytes of `text` and a newline: one pass, into room for the longest encoding. */
function utf8Line(text: string): Buffer {
  const bytes = Buffer.allocUnsafe(text.length * 3 + 1);
  const length = bytes.write(text, 0, 'utf8');
  bytes[length] = 0x0a;
  return bytes.subarray(0, length + 1);
}

function asBytes<H extends (this: FastifyInstance, ...args: never[]) => unknown>(handler: H): H {
  return async function bytes(this: FastifyInstance, ...args: Parameters<H>) {
    const body = await handler.apply(this, args);
    return typeof body === 'string' ? utf8Line(body) : body;
  } as H;
}

/**
 * The HTTP server: GraphQL (with GraphiQL for browsers) and the plain routes. Tests build it here;
 * `main.ts` adds the process around it (database, signals).
 */
export async function buildServer(app: AppDeps, options: ServerOptions = {}): Promise<FastifyInstance> {
  const { config } = app;
  const fastify = Fastify({
    ...(options.logger ? { loggerInstance: options.logger } : { logger: { level: config.logLevel, serializers: logSerializers } }),
    bodyLimit: config.limits.bodyBytes,
    // The client's address (sign-in throttling) from X-Forwarded-For, when behind a proxy.
    trustProxy: config.trustProxy,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
    },
    return503OnClosing: true,
  });
  // While closing, responses to requests still running end their keep-alive connection, so that
  // close() completes as soon as they are answered.
  let closing = false;
  fastify.addHook('preClose', async () => {
    closing = true;
  });
  fastify.addHook('onSend', async (request, reply) => {
    void reply.header('x-request-id', request.id);
    if (closing) void reply.header('connection', 'close');
  });

  const buckets = createBucketStore(app);
  const keyUses = new ApiKeyUses(() => app.orm.em.fork() as EntityManager, config.apiKeyLastUsedFlushSeconds, fastify.log);
  keyUses.start();
  registerKeyUses(app, keyUses);
  const apollo = new ApolloServer<Context>({
    gateway: executorFor(await getSchema(), options.execution),
    // The limits first: they price the operation, which the rate limits then take.
    // No cache hints: its per-field hooks would run on every field of every response.
    plugins: [
      storableInputPlugin,
      requestLimitsPlugin<Context>(config.limits),
      costLimitsPlugin<Context>(buckets, config.costLimits),
      logErrors,
      ApolloServerPluginCacheControlDisabled(),
    ],
    parseOptions: { maxTokens: config.limits.tokens },
    stringifyResult,
    formatError,
    includeStacktraceInErrorResponses: false,
    // Bearer tokens, not cookies: a cross-site form can't carry them.
    csrfPrevention: false,
    introspection: true,
    stopOnTerminationSignals: false,
  });
  await apollo.start();
  // fastify.close() stops listening and lets running requests finish before onClose runs.
  fastify.addHook('onClose', async () => {
    await apollo.stop();
    await buckets.close();
    await keyUses.stop();
  });

  const graphql = asBytes(fastifyApolloHandler(apollo, {
    context: async (request) => {
      const acceptLanguage = request.headers['accept-language'];
      const scope = { requestId: request.id, log: request.log, language: negotiateLanguage(acceptLanguage) };
      try {
        return await createContext(app, { ...scope, authorization: request.headers.authorization, ip: request.ip, acceptLanguage });
      } catch (error) {
        throw toGraphQLError(error, scope); // logs and masks what it does not know
      }
    },
  }));
  // At most a few GraphQL requests execute at once; the rest wait their turn, or are refused.
  const admission = new Admission(config.admission);
  const admitted = admission.guard(graphql, (reply, retryAfter) =>
    reply
      .code(503)
      .header('retry-after', String(retryAfter))
      .type('application/json; charset=utf-8')
      .send(JSON.stringify({ errors: [{ message: M.serverBusy({ seconds: retryAfter }).text(requestLanguage(reply.request)), extensions: { code: 'SERVER_BUSY' } }] })),
  );
  // Every plain route's parameters, checked where they arrive.
  fastify.addHook('preValidation', refuseUnstorableParams);
  // GraphQL answers above the threshold are compressed (brotli or gzip, as the client accepts);
  // the other routes (attachments, print, export) send their bytes as they are.
  const compressGraphQL = config.compressMinBytes > 0 ? { ...COMPRESSION, threshold: config.compressMinBytes } : false;
  await fastify.register(compress, { ...COMPRESSION, global: false, globalDecompression: false });
  fastify.get(GRAPHQL_PATH, { preHandler: graphiqlPreHandler(config), compress: compressGraphQL }, admitted);
  fastify.post(GRAPHQL_PATH, { compress: compressGraphQL }, admitted);
  fastify.options(GRAPHQL_PATH, graphql);
  registerHealthRoutes(fastify, app);
  registerAttachmentRoutes(fastify, app);
  registerPrintRoutes(fastify, app);
  return fastify;
}
