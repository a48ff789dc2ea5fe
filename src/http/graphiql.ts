import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { negotiate } from '@fastify/accept-negotiator';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { print } from 'graphql';
import { CustomersOverviewDocument } from '../../sdk/generated.js';
import type { Config } from '../config.js';
import { DEMO_PASSWORD } from '../db/seed/demo-data.js';

// GraphiQL from the package itself (no CDN, works offline), opening with two tabs: one that signs
// in, one with the frontends' headline query. The page is about 9 MB, so it is compressed once
// (brotli or gzip, whichever the browser takes) and the compressed bytes are served from then on.

const TOKEN_PLACEHOLDER = '<paste the token from the Login tab>';

/** The first admin's credentials as the start-up banner shows them (never a configured password). */
function signInExample(config: Config): string {
  const password = !config.admin.password && config.demoData ? DEMO_PASSWORD : '<your password>';
  return `# Step 1: run this (the ▶ button) to sign in as the first admin of \`npm start\`.
# Copy the "token" from the answer, then open the CustomersOverview tab.
mutation Login {
  login(input: { email: ${JSON.stringify(config.admin.email)}, password: ${JSON.stringify(password)} }) {
    token
    expiresAt
    user { name role }
    userErrors { code message }
  }
}
`;
}

/** The headline customer query of sdk/operations/headline.graphql, fragments included. */
const HEADLINE_EXAMPLE = `# Step 2: paste the token from the Login tab into Headers below, replacing the placeholder:
#   { "Authorization": "Bearer <token>" }
# then run it. The headline customer query of the SDK (sdk/operations/headline.graphql): a page
# of customers with their contacts, interactions, quotes, contracts, payments and attachments.
# In Variables, try "view": "MINE", "POOL" or "SUBORDINATES".
${print(CustomersOverviewDocument)}
`;

function renderPage(config: Config): string {
  const headers = JSON.stringify({ Authorization: `Bearer ${TOKEN_PLACEHOLDER}` }, null, 2);
  return renderGraphiQL({
    endpoint: '/graphql',
    title: 'CRM GraphQL',
    defaultTabs: [
      { query: signInExample(config), variables: null, headers: '{}' },
      { query: HEADLINE_EXAMPLE, variables: JSON.stringify({ view: 'ALL', first: 5 }, null, 2), headers },
    ],
    defaultHeaders: headers,
    defaultEditorToolsVisibility: 'headers',
    isHeadersEditorEnabled: true,
    shouldPersistHeaders: true,
  });
}

type Encoding = 'br' | 'gzip' | 'identity';

const ENCODERS: Record<Exclude<Encoding, 'identity'>, (page: Buffer) => Promise<Buffer>> = {
  // Quality 6 of 11: within a few percent of the best for this page, at a twentieth of its time.
  br: (page) =>
    promisify(zlib.brotliCompress)(page, {
      params: {
        [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
        [zlib.constants.BROTLI_PARAM_QUALITY]: 6,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: page.length,
      },
    }),
  gzip: (page) => promisify(zlib.gzip)(page, { level: 9 }),
};

/**
 * A preHandler for GET /graphql: a browser asking for a page without a query gets GraphiQL;
 * everything else goes on to GraphQL over GET.
 */
export function graphiqlPreHandler(config: Config) {
  let page: Buffer | undefined;
  const encoded = new Map<Encoding, Promise<Buffer>>();
  // Compressed in the background (zlib's thread pool), once per encoding, on first demand.
  const body = (encoding: Encoding): Promise<Buffer> => {
    page ??= Buffer.from(renderPage(config));
    if (encoding === 'identity') return Promise.resolve(page);
    let bytes = encoded.get(encoding);
    if (!bytes) {
      bytes = ENCODERS[encoding](page);
      encoded.set(encoding, bytes);
      bytes.catch(() => encoded.delete(encoding));
    }
    return bytes;
  };

  return async function serveGraphiQL(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
    const query = request.query as Record<string, unknown> | undefined;
    const wantsHtml = (request.headers.accept ?? '').includes('text/html');
    if (!wantsHtml || query?.query) return undefined;
    const encoding = (negotiate(request.headers['accept-encoding'] ?? '', ['br', 'gzip']) ?? 'identity') as Encoding;
    const bytes = await body(encoding);
    void reply.type('text/html; charset=utf-8').header('vary', 'accept-encoding');
    if (encoding !== 'identity') void reply.header('content-encoding', encoding);
    return reply.send(bytes);
  };
}
