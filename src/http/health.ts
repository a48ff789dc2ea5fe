import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../context.js';

/** GET /health: the process is up. GET /ready: and the database answers. */
export function registerHealthRoutes(fastify: FastifyInstance, app: AppDeps): void {
  fastify.get('/health', async () => ({ status: 'ok' }));
  fastify.get('/ready', async (request, reply) => {
    try {
      await app.orm.em.fork().execute('SELECT 1');
      return { status: 'ready' };
    } catch (error) {
      request.log.warn({ err: error }, 'database not ready');
      return reply.code(503).send({ status: 'unavailable', reason: 'database' });
    }
  });
}
