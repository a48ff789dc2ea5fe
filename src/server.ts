import type { EntityManager } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { fastifyApolloHandler } from '@as-integrations/fastify';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { GatewayInterface, GatewaySchemaLoadOrUpdateCallback } from '@apollo/server-gateway-interface';
import { GraphQLError, printSchema, type GraphQLSchema } from 'graphql';
import { executeOperation, executeReference } from './common/assemble.js';
import { registerAttachmentRoutes } from './attachments/attachment.routes.js';
import { formatError, toGraphQLError } from './common/error-mapping.js';
import { AppError, RequestError } from './common/errors.js';
import { requestLimitsPlugin } from './common/request-limits.js';
import { createBucketStore } from './rate-limits/buckets.js';
import { ApiKeyUses, registerKeyUses } from './api-keys/last-used.js';
import { costLimitsPlugin } from './rate-limits/cost-limits.js';
import { createContext, type AppDeps, type Context } from './context.js';
import { Admission } from './http/admission.js';
import { serveGraphiQL } from './http/graphiql.js';
import { registerHealthRoutes } from './http/health.js';
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

export interface ServerOptions {
  /** The process's logger (give it `logSerializers`); without it Fastify makes one at the configured level. */
  logger?: FastifyBaseLogger;
  /**
   * `reference` runs every operation through graphql-js's `execute` alone, without the assembler:
   * the yardstick the assembler's answers are checked against (tests/read-path-equivalence.test.ts).
   */
  execution?: 'assembled' | 'reference';
}

/** Logs every error Apollo reports that was not an expected, coded one, with the request id. */
const logUnexpectedErrors: ApolloServerPlugin<Context> = {
  async requestDidStart() {
    return {
      async didEncounterErrors({ errors, contextValue }) {
        for (const error of errors) {
          const original = error.originalError;
          const expected =
            !original ||
            original instanceof AppError ||
            original instanceof RequestError ||
            (original instanceof GraphQLError &&
              original.extensions.code !== undefined &&
              original.extensions.code !== 'INTERNAL_SERVER_ERROR');
          if (!expected) contextValue?.log?.error({ err: original }, 'unexpected error');
        }
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
        executor: (request) =>
          run({
            schema,
            document: request.document,
            operation: request.operation,
            operationName: request.operationName,
            variableValues: request.request.variables,
            contextValue: request.context,
          }),
      };
    },
    async stop() {},
  };
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
      requestLimitsPlugin<Context>(config.limits),
      costLimitsPlugin<Context>(buckets, config.costLimits),
      logUnexpectedErrors,
      ApolloServerPluginCacheControlDisabled(),
    ],
    parseOptions: { maxTokens: config.limits.tokens },
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

  const graphql = fastifyApolloHandler(apollo, {
    context: async (request) => {
      const scope = { requestId: request.id, log: request.log };
      try {
        return await createContext(app, { ...scope, authorization: request.headers.authorization, ip: request.ip });
      } catch (error) {
        throw toGraphQLError(error, scope); // logs and masks what it does not know
      }
    },
  });
  // At most a few GraphQL requests execute at once; the rest wait their turn, or are refused.
  const admission = new Admission(config.admission);
  const admitted = admission.guard(graphql, (reply, retryAfter) =>
    reply
      .code(503)
      .header('retry-after', String(retryAfter))
      .type('application/json; charset=utf-8')
      .send(JSON.stringify({ errors: [{ message: `The server is busy; retry in ${retryAfter} s`, extensions: { code: 'SERVER_BUSY' } }] })),
  );
  fastify.get('/graphql', { preHandler: serveGraphiQL }, admitted);
  fastify.post('/graphql', admitted);
  fastify.options('/graphql', graphql);
  registerHealthRoutes(fastify, app);
  registerAttachmentRoutes(fastify, app);
  registerPrintRoutes(fastify, app);
  return fastify;
}
