import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCode } from '../sdk/index.js';
import { makeUser } from './helpers/factories.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';

let app: TestApp;
const logLines: string[] = [];
beforeAll(async () => {
  app = await startTestApp({ logLines });
});
afterAll(() => app.close());

describe('operations endpoints', () => {
  it('GET /health answers while the process is up; GET /ready checks the database', async () => {
    expect(await (await fetch(`${app.url}/health`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${app.url}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });
  });

  it('serves GraphiQL from the package to a browser, with nothing loaded from a CDN', async () => {
    const response = await fetch(`${app.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    const html = await response.text();
    expect(html).toContain('renderYogaGraphiQL');
    expect(html).not.toMatch(/<script[^>]+src=["']https?:/);
    expect(html).not.toMatch(/<link[^>]+href=["']https?:/);
    expect(html).toContain('Authorization');
  });

  it('still answers GraphQL over GET for programs', async () => {
    const response = await fetch(`${app.url}/graphql?query=${encodeURIComponent('{ __typename }')}`, {
      headers: { accept: 'application/graphql-response+json' },
    });
    // Every response says what it cost (nothing here: no objects; no bucket without a user).
    expect(await response.json()).toEqual({
      data: { __typename: 'Query' },
      extensions: { cost: { requestedQueryCost: 0, actualQueryCost: 0, throttleStatus: null } },
    });
  });
});

describe('the bytes of an answer', () => {
  it('is the JSON as UTF-8 and a newline, its length as sent, for answers, refusals and bad requests', async () => {
    const owner = await makeUser(app, { name: '王小明' });
    const asked = async (body: string, token?: string) => {
      const response = await fetch(app.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body,
      });
      const bytes = Buffer.from(await response.arrayBuffer());
      expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(response.headers.get('content-length')).toBe(String(bytes.length));
      const text = bytes.toString('utf8');
      expect(text.endsWith('}\n')).toBe(true);
      expect(text.slice(0, -1)).toBe(JSON.stringify(JSON.parse(text)));
      return { status: response.status, json: JSON.parse(text) as { data?: { viewer?: { name: string } }; errors?: { extensions: { code: string } }[] } };
    };
    const answer = await asked(JSON.stringify({ query: '{ viewer { name } }' }), owner.token);
    expect(answer).toMatchObject({ status: 200, json: { data: { viewer: { name: '王小明' } } } });
    const refused = await asked(JSON.stringify({ query: '{ viewer { name } }' }));
    expect(refused.json.errors?.[0]?.extensions.code).toBe('UNAUTHENTICATED');
    const bad = await asked('{"query": "{ viewer { name "}', owner.token);
    expect(bad.status).toBe(400);
  });
});

describe('logs and errors', () => {
  it('echoes the request id and puts it on every log line of the request', async () => {
    const user = await makeUser(app);
    const response = await fetch(app.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${user.token}`, 'x-request-id': 'trace-123' },
      body: JSON.stringify({ query: '{ viewer { id } }' }),
    });
    expect(response.headers.get('x-request-id')).toBe('trace-123');
    const lines = logLines.map((l) => JSON.parse(l)).filter((l) => l.reqId === 'trace-123');
    expect(lines.length).toBeGreaterThanOrEqual(2); // incoming request + request completed
    const generated = await fetch(`${app.url}/health`);
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('never writes a signed link’s token to the logs', async () => {
    await fetch(`${app.url}/print/customers?view=MINE&link=secret-token-value&x=1`, { headers: { 'x-request-id': 'redact-1' } });
    const lines = logLines.filter((l) => l.includes('redact-1'));
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join('\n')).not.toContain('secret-token-value');
    expect(lines.join('\n')).toContain('link=[redacted]');
  });

  it('masks internal errors (code and request id only) and logs them in full; /ready turns 503', async () => {
    const broken = await startTestApp({ logLines });
    const user = await makeUser(broken);
    await broken.orm.close(true); // the database goes away under the running server
    try {
      const failure = await user.client.Viewer().catch((e: unknown) => e);
      expect(errorCode(failure)).toBe('INTERNAL_SERVER_ERROR');
      const body = JSON.stringify((failure as { response: unknown }).response);
      expect(body).not.toMatch(/knex|pool|select|sql|Error:/i);
      const requestId = (failure as { response: { headers: Headers } }).response.headers.get('x-request-id');
      expect(requestId).toBeTruthy();
      const logged = logLines.map((l) => JSON.parse(l)).filter((l) => l.reqId === requestId && l.level >= 50);
      expect(logged.length).toBeGreaterThan(0);
      expect(JSON.stringify(logged)).toMatch(/pool|destroyed|closed|Knex|connection/i);
      expect((await fetch(`${broken.url}/ready`)).status).toBe(503);
      expect((await fetch(`${broken.url}/health`)).status).toBe(200);
    } finally {
      await broken.server.close();
    }
  });
});
