import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCustomer, makeUser, topLevelCode } from './helpers/factories.js';
import { startTestApp, type TestApp, type TestUser } from './helpers/test-app.js';

// Every request is bounded; exceeding a bound is a clear error with its code, never a 500 or a hang.

let app: TestApp;
let sales: TestUser;

beforeAll(async () => {
  app = await startTestApp({ env: { STATEMENT_TIMEOUT_MS: '500', MAX_QUERY_COST: '25000', MAX_BODY_BYTES: '65536' } });
  sales = await makeUser(app);
});
afterAll(() => app.close());

/** A raw POST, to see status codes and bodies exactly as a client would. */
async function post(body: string, token = sales.token, contentType = 'application/json') {
  const response = await fetch(app.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': contentType, authorization: `Bearer ${token}`, accept: 'application/graphql-response+json' },
    body,
  });
  const text = await response.text();
  let json: { errors?: { extensions?: { code?: string }; message: string }[]; data?: unknown } | undefined;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, json, text };
}

const query = (q: string, variables: Record<string, unknown> = {}) => post(JSON.stringify({ query: q, variables }));

describe('page sizes and id lists, checked at run time', () => {
  it.each([0, 101, -1])('first: %i is VALIDATION_FAILED, also through a variable', async (n) => {
    expect(await topLevelCode(sales.client.Customers({ view: 'POOL', first: n }))).toBe('VALIDATION_FAILED');
    expect(await topLevelCode(sales.client.Customers({ view: 'POOL', last: n }))).toBe('VALIDATION_FAILED');
    expect(await topLevelCode(app.admin.client.Users({ first: n }))).toBe('VALIDATION_FAILED');
  });

  it('nested pages are bounded the same way', async () => {
    const customer = await makeCustomer(app, { owner: sales });
    expect(await topLevelCode(sales.client.CustomerHistory({ id: customer.id, first: 101 }))).toBe('VALIDATION_FAILED');
  });

  it('nodes(ids) takes 1 to 100 ids', async () => {
    const customer = await makeCustomer(app, { owner: sales });
    expect(await topLevelCode(sales.client.Nodes({ ids: [] }))).toBe('VALIDATION_FAILED');
    expect(await topLevelCode(sales.client.Nodes({ ids: Array(101).fill(customer.id) }))).toBe('VALIDATION_FAILED');
    expect((await sales.client.Nodes({ ids: Array(100).fill(customer.id) })).nodes).toHaveLength(100);
  });

  it('a malformed or foreign cursor is VALIDATION_FAILED', async () => {
    const { customers } = await sales.client.Customers({ view: 'POOL', first: 1, orderBy: [{ field: 'NAME' }] });
    for (const after of ['garbage', customers.pageInfo.endCursor ?? 'x']) {
      expect(await topLevelCode(sales.client.Customers({ view: 'POOL', first: 1, after }))).toBe('VALIDATION_FAILED');
    }
  });
});

describe('query shape', () => {
  it('refuses a query deeper than the limit with QUERY_TOO_COMPLEX and HTTP 400', async () => {
    const deep = '{ viewer { manager { manager { manager { manager { manager { manager { manager { manager { manager { manager { manager { name } } } } } } } } } } } } }';
    const result = await query(deep);
    expect(result.status).toBe(400);
    expect(result.json!.errors![0]!.extensions!.code).toBe('QUERY_TOO_COMPLEX');
    const ok = await query('{ viewer { manager { manager { manager { name } } } } }');
    expect(ok.status).toBe(200);
  });

  it('refuses too many aliases', async () => {
    const aliases = Array.from({ length: 31 }, (_, i) => `a${i}: viewer { id }`).join(' ');
    const result = await query(`{ ${aliases} }`);
    expect(result.status).toBe(400);
    expect(result.json!.errors![0]!.extensions!.code).toBe('QUERY_TOO_COMPLEX');
  });

  it('refuses too many tokens at parse time with a 400, not a 500', async () => {
    const fields = Array.from({ length: 6000 }, () => "a").join(" ");
    const result = await query(`{ ${fields} }`);
    expect(result.status).toBe(400);
    expect(result.json!.errors![0]!.extensions!.code).toBe('GRAPHQL_PARSE_FAILED');
  });

  it('estimates cost from variable values: first: $n counts as n', async () => {
    const q = `query ($n: Int!, $m: Int!) { customers(view: POOL, first: $n) { nodes { history(first: $m) { nodes { users { name manager { name } } } } } } }`;
    const cheap = await query(q, { n: 10, m: 10 });
    expect(cheap.status).toBe(200);
    const expensive = await query(q, { n: 100, m: 100 });
    expect(expensive.status).toBe(400);
    expect(expensive.json!.errors![0]!.extensions!.code).toBe('QUERY_TOO_COMPLEX');
    expect(expensive.json!.errors![0]!.message).toMatch(/cost/);
  });

  it('lets GraphiQL’s introspection query through (it is bounded by the schema)', async () => {
    const { getIntrospectionQuery } = await import('graphql');
    const result = await query(getIntrospectionQuery());
    expect(result.status).toBe(200);
    expect(result.json!.errors).toBeUndefined();
  });
});

describe('HTTP and database bounds', () => {
  it('answers 413 for a body over the limit', async () => {
    const big = JSON.stringify({ query: '{ viewer { id } }', variables: { pad: 'x'.repeat(70_000) } });
    const result = await post(big);
    expect(result.status).toBe(413);
  });

  it('answers malformed JSON with 400', async () => {
    const result = await post('{ "query": ');
    expect(result.status).toBe(400);
  });

  it('cancels a statement that runs past the timeout and answers TIMEOUT, leaving the data unchanged', async () => {
    const customer = await makeCustomer(app, { owner: sales });
    // Another session holds the customer's row lock, so the update must wait past the timeout.
    const blocker = new pg.Client({ connectionString: app.orm.config.get('clientUrl') });
    await blocker.connect();
    try {
      await blocker.query('BEGIN');
      const { fromGlobalId } = await import('../src/common/ids.js');
      await blocker.query('SELECT 1 FROM customer WHERE id = $1 FOR UPDATE', [fromGlobalId('Customer', customer.id)]);
      const started = Date.now();
      const code = await topLevelCode(sales.client.CustomerUpdate({ input: { id: customer.id, notes: 'blocked' } }));
      expect(code).toBe('TIMEOUT');
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      await blocker.query('ROLLBACK');
      await blocker.end();
    }
    const { customer: after } = await sales.client.Customer({ id: customer.id });
    expect(after!.notes).toBeNull();
  });
});
