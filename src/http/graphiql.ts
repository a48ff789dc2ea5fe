import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import type { FastifyReply, FastifyRequest } from 'fastify';

const DEFAULT_QUERY = `# Sign in first: run the login mutation below, copy the token into the
# Headers tab as {"Authorization": "Bearer <token>"}, then query away.
mutation Login {
  login(input: { email: "admin@example.com", password: "demo-password" }) {
    token
    user { name role }
    userErrors { code message }
  }
}

query MyCustomers {
  customers(view: MINE, first: 10) {
    totalCount
    nodes { id name status owner { name } allowedActions }
  }
}
`;

let page: string | undefined;

/** GraphiQL from the package itself (no CDN, works offline), rendered once. */
function graphiqlPage(): string {
  page ??= renderGraphiQL({
    endpoint: '/graphql',
    title: 'CRM GraphQL',
    defaultQuery: DEFAULT_QUERY,
    headers: JSON.stringify({ Authorization: 'Bearer <paste the token from login>' }, null, 2),
    isHeadersEditorEnabled: true,
    shouldPersistHeaders: true,
  });
  return page;
}

/**
 * A preHandler for GET /graphql: a browser asking for a page without a query gets GraphiQL;
 * everything else goes on to GraphQL over GET.
 */
export async function serveGraphiQL(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
  const query = request.query as Record<string, unknown> | undefined;
  const wantsHtml = (request.headers.accept ?? '').includes('text/html');
  if (!wantsHtml || query?.query) return undefined;
  return reply.type('text/html; charset=utf-8').send(graphiqlPage());
}
