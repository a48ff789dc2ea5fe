import type { GraphQLSchema } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeUser } from './helpers/factories.js';
import {
  databaseFingerprint,
  firstRecordIds,
  graphqlCorpus,
  inParallel,
  introspect,
  postGraphQL,
  type RecordIds,
} from './helpers/bad-input.js';
import { makeRichCustomer } from './helpers/print-world.js';
import { startTestApp, type TestApp, type TestUser } from './helpers/test-app.js';

// Malformed input sent to every mutation, every query argument and every HTTP route: nothing
// answers 5xx, nothing is logged as a server fault, and the database is exactly as it was. The
// GraphQL corpus is derived from the schema by introspection, so a new field is covered by itself.


let app: TestApp;
let owner: TestUser;
let ids: RecordIds;
let schema: GraphQLSchema;
const logLines: string[] = [];

beforeAll(async () => {
  app = await startTestApp({ logLines });
  owner = await makeUser(app);
  await makeRichCustomer(app, owner);
  ids = { ...(await firstRecordIds(app)), User: owner.id };
  schema = await introspect(app);
});
afterAll(() => app.close());

/** Server faults in the log since `from`: error level (50) and above. */
function faultsLogged(from: number): string[] {
  return logLines.slice(from).filter((line) => (JSON.parse(line) as { level: number }).level >= 50);
}

function changedTables(before: Record<string, string>, after: Record<string, string>): string[] {
  return Object.keys({ ...before, ...after }).filter((table) => before[table] !== after[table]);
}

/** What no bad request may get: a 5xx, an internal error at 200, or a body that is not JSON. */
function serverFault(status: number, codes: string[]): boolean {
  return status >= 500 || codes.includes('INTERNAL_SERVER_ERROR') || codes.includes('NOT_JSON');
}

describe('the GraphQL corpus', () => {
  it('covers every root field and every argument of the schema', () => {
    const corpus = graphqlCorpus(schema, ids);
    const fields = [...Object.keys(schema.getQueryType()!.getFields()), ...Object.keys(schema.getMutationType()!.getFields())];
    expect(corpus.size).toBe(fields.length);
    expect([...corpus.values()].every((cases) => cases.length > 0)).toBe(true);
    expect([...corpus.values()].flat().length).toBeGreaterThan(1000);
  });

  it('every root field refuses every malformed argument: no 5xx, no fault logged, nothing written', { timeout: 400_000 }, async () => {
    const corpus = graphqlCorpus(schema, ids);
    const failures: string[] = [];
    const logFrom = logLines.length;
    let before = await databaseFingerprint(app);
    for (const [field, cases] of corpus) {
      const token = field === 'Mutation.login' ? undefined : app.admin.token;
      const outcomes = await inParallel(
        cases.map((c) => () => postGraphQL(app, token, JSON.stringify({ query: c.query, variables: c.variables }))),
        6,
      );
      outcomes.forEach((outcome, i) => {
        if (serverFault(outcome.status, outcome.codes)) failures.push(`${cases[i]!.label}: ${outcome.status} ${outcome.body.slice(0, 300)}`);
      });
      const after = await databaseFingerprint(app);
      const changed = changedTables(before, after);
      if (changed.length) failures.push(`${field} changed ${changed.join(', ')}`);
      before = after;
    }
    expect(failures).toEqual([]);
    expect(faultsLogged(logFrom)).toEqual([]);
  });
});

// --- HTTP -------------------------------------------------------------------------------------

interface HttpCase {
  label: string;
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array<ArrayBuffer>;
}

/** The routes the server has, as `METHOD /path` (from Fastify's own route tree). */
function serverRoutes(): string[] {
  const routes: string[] = [];
  const tree = app.server.printRoutes({ commonPrefix: false });
  const stack: string[] = [];
  for (const line of tree.split('\n')) {
    const match = /^([│ ]*)(?:[├└]── )(\S+)(?: \(([^)]*)\))?/.exec(line);
    if (!match) continue;
    const depth = match[1]!.length / 4;
    stack.length = depth;
    stack.push(match[2]!);
    const methods = match[3]?.split(', ').filter((m) => m !== 'HEAD' && m !== 'OPTIONS') ?? [];
    for (const method of methods) routes.push(`${method} ${stack.join('').replace(/^\/?/, '/')}`);
  }
  return routes.sort();
}

const BAD_SEGMENTS = ['%00', 'a%00b', '%ED%A0%80', '%C0%80', '%FF', '%', '%ZZ', 'x'.repeat(5000), '..%2F..%2Fetc', '0', '-1', 'Q3VzdG9tZXI6MA'];

const CRLF = '\r\n';

function multipart(boundary: string, parts: string[], close = true): string {
  return parts.map((p) => `--${boundary}${CRLF}${p}${CRLF}`).join('') + (close ? `--${boundary}--${CRLF}` : '');
}

function fieldPart(name: string, value: string): string {
  return `Content-Disposition: form-data; name="${name}"${CRLF}${CRLF}${value}`;
}

function filePart(disposition: string, content: string): string {
  return `Content-Disposition: form-data; name="file"; ${disposition}${CRLF}Content-Type: application/pdf${CRLF}${CRLF}${content}`;
}

function uploadCases(customerId: string): HttpCase[] {
  const b = 'corpusboundary';
  const form = (body: string, contentType = `multipart/form-data; boundary=${b}`): Pick<HttpCase, 'headers' | 'body'> => ({
    headers: { 'content-type': contentType },
    body,
  });
  const whole = multipart(b, [fieldPart('customerId', customerId), filePart('filename="a.pdf"', 'x'.repeat(5000))]);
  const cases: [string, Pick<HttpCase, 'headers' | 'body'>][] = [
    ['no boundary', form(whole, 'multipart/form-data')],
    ['an empty boundary', form(whole, 'multipart/form-data; boundary=')],
    ['a boundary of 300 characters', form(whole, `multipart/form-data; boundary=${'b'.repeat(300)}`)],
    ['another boundary than the body has', form(whole, 'multipart/form-data; boundary=other')],
    ['a body cut off mid-file', form(whole.slice(0, whole.length - 2000))],
    ['a body cut off in a part header', form(whole.slice(0, whole.indexOf('filename') + 5))],
    ['a body without its closing delimiter', form(multipart(b, [fieldPart('customerId', customerId), filePart('filename="a.pdf"', 'x')], false))],
    ['garbage', form('this is not multipart at all')],
    ['an empty body', form('')],
    ['a JSON body', { headers: { 'content-type': 'application/json' }, body: '{"customerId":1' }],
    ['text', { headers: { 'content-type': 'text/plain' }, body: 'hello' }],
    ['NUL in a field', form(multipart(b, [fieldPart('customerId', `${customerId}\u0000`), filePart('filename="a.pdf"', 'x')]))],
    ['NUL in recordType', form(multipart(b, [fieldPart('recordType', 'Quote\u0000'), fieldPart('recordId', customerId), filePart('filename="a.pdf"', 'x')]))],
    ['NUL in a file name', form(multipart(b, [fieldPart('customerId', customerId), filePart('filename="a\u0000.pdf"', 'x')]))],
    ['NUL in an encoded file name', form(multipart(b, [fieldPart('customerId', customerId), filePart("filename*=UTF-8''a%00.pdf", 'x')]))],
    ['an unknown field', form(multipart(b, [fieldPart('nope', 'x'), filePart('filename="a.pdf"', 'x')]))],
    ['a malformed id', form(multipart(b, [fieldPart('customerId', 'not an id'), filePart('filename="a.pdf"', 'x')]))],
    ['an empty file', form(multipart(b, [fieldPart('customerId', customerId), filePart('filename="a.pdf"', '')]))],
    ['two files', form(multipart(b, [fieldPart('customerId', customerId), filePart('filename="a.pdf"', 'x'), filePart('filename="b.pdf"', 'y')]))],
    ['a field too long', form(multipart(b, [fieldPart('customerId', 'x'.repeat(5000)), filePart('filename="a.pdf"', 'x')]))],
    ['a part without headers', form(multipart(b, [`${CRLF}x`]))],
  ];
  return cases.map(([label, request]) => ({ label: `POST /attachments with ${label}`, method: 'POST', path: '/attachments', ...request }));
}

function listCases(path: string): HttpCase[] {
  const queries = [
    'view=%00',
    'view=MINE%00',
    'view=NOPE',
    'view=MINE&view=POOL',
    'view=MINE&search=%00',
    'view=%ED%A0%80',
    `view=MINE&search=${'x'.repeat(5000)}`,
    'view=MINE&filter=not-json',
    'view=MINE&filter=%00',
    `view=MINE&filter=${encodeURIComponent('{"name":{"eq":"\\u0000"}}')}`,
    `view=MINE&filter=${encodeURIComponent('{"name":{"eq":"\\ud800"}}')}`,
    `view=MINE&filter=${encodeURIComponent('{"createdAt":{"gt":"0000-01-01T00:00:00Z"}}')}`,
    `view=MINE&filter=${encodeURIComponent('{"createdAt":{"gt":"10000-01-01T00:00:00Z"}}')}`,
    `view=MINE&filter=${encodeURIComponent('{"nope":1}')}`,
    `view=MINE&filter=${encodeURIComponent('[]')}`,
    `view=MINE&filter=${encodeURIComponent('{"and":'.repeat(500) + '{}' + '}'.repeat(500))}`,
    `view=MINE&orderBy=${encodeURIComponent('[{"field":"NOPE"}]')}`,
    `view=MINE&orderBy=${encodeURIComponent('[{"field":"NAME","direction":"\\u0000"}]')}`,
    'view=MINE&link=garbage',
    'view=MINE&link=%00',
    'view=MINE&unknown=%00',
    'view=%',
  ];
  return queries.map((q) => ({ label: `GET ${path}?${q.slice(0, 80)}`, method: 'GET', path: `${path}?${q}` }));
}

function graphqlHttpCases(): HttpCase[] {
  const json = { 'content-type': 'application/json' };
  const bodies: [string, string, Record<string, string>?][] = [
    ['malformed JSON', '{"query": "{ viewer { id } }"'],
    ['a JSON array', '[{"query": "{ viewer { id } }"}]'],
    ['JSON null', 'null'],
    ['a JSON string', '"{ viewer { id } }"'],
    ['a number for the query', '{"query": 42}'],
    ['variables as a string', '{"query": "query($v: String) { viewer { id } }", "variables": "x"}'],
    ['variables as a list', '{"query": "query($v: String) { viewer { id } }", "variables": [1]}'],
    ['a NUL in the document', '{"query": "{ viewer\\u0000 { id } }"}'],
    ['a lone surrogate in the document', '{"query": "{ viewer { id } } # \\ud800"}'],
    ['a lone surrogate escape in a literal', `{"query": ${JSON.stringify('{ customers(view: MINE, search: "\\uD800") { totalCount } }')}}`],
    ['a NUL in an operation name', '{"query": "query A { viewer { id } }", "operationName": "A\\u0000"}'],
    ['a directive repeated 200 times', JSON.stringify({ query: `{ viewer ${'@include(if: true) '.repeat(200)}{ id } }` })],
    ['deep nesting', JSON.stringify({ query: `{ ${'viewer { manager { '.repeat(50)}id${' } }'.repeat(50)} }` })],
    ['a deeply nested variable', `{"query": "query($f: CustomerFilter) { customers(view: MINE, filter: $f) { totalCount } }", "variables": {"f": ${'{"and":['.repeat(3000)}{}${']}'.repeat(3000)}}}`],
    ['a form body', 'query=%7B+viewer+%7B+id+%7D+%7D', { 'content-type': 'application/x-www-form-urlencoded' }],
    ['text', '{ viewer { id } }', { 'content-type': 'text/plain' }],
  ];
  const posts: HttpCase[] = bodies.map(([label, body, headers]) => ({ label: `POST /graphql with ${label}`, method: 'POST', path: '/graphql', headers: headers ?? json, body }));
  posts.push({
    label: 'POST /graphql with invalid UTF-8',
    method: 'POST',
    path: '/graphql',
    headers: json,
    body: new Uint8Array(Buffer.concat([Buffer.from('{"query": "{ viewer { id } } # '), Buffer.from([0xff, 0xfe, 0xed, 0xa0, 0x80]), Buffer.from('"}')])),
  });
  const gets = [
    'query=%00',
    'query=%7B%20viewer%20%7B%20id%20%7D%20%7D&variables=not-json',
    `query=${encodeURIComponent('query($s: String) { customers(view: MINE, search: $s) { totalCount } }')}&variables=${encodeURIComponent('{"s":"\\u0000"}')}`,
    `query=${encodeURIComponent('mutation { customersClaim(input: { customerIds: [] }) { results { customerId } } }')}`,
    'query=%ED%A0%80',
  ].map((q): HttpCase => ({ label: `GET /graphql?${q.slice(0, 60)}`, method: 'GET', path: `/graphql?${q}`, headers: { accept: 'application/json' } }));
  return [...posts, ...gets];
}

function httpCorpus(customerId: string): Map<string, HttpCase[]> {
  const corpus = new Map<string, HttpCase[]>();
  corpus.set('POST /attachments', uploadCases(customerId));
  for (const [route, prefix] of [
    ['GET /attachments/:id', '/attachments/'],
    ['GET /print/customers/:id', '/print/customers/'],
  ] as const) {
    corpus.set(
      route,
      [...BAD_SEGMENTS, `${customerId}?link=%00`, `${customerId}?link=${'x'.repeat(3000)}`].map((s) => ({ label: `GET ${prefix}${s.slice(0, 60)}`, method: 'GET', path: `${prefix}${s}` })),
    );
  }
  corpus.set('GET /print/customers', listCases('/print/customers'));
  corpus.set('GET /export/customers.csv', listCases('/export/customers.csv'));
  corpus.set('POST /graphql', graphqlHttpCases().filter((c) => c.method === 'POST'));
  corpus.set('GET /graphql', graphqlHttpCases().filter((c) => c.method === 'GET'));
  for (const route of ['GET /health', 'GET /ready']) {
    const path = route.slice(4);
    corpus.set(route, ['%00', 'a=%00', 'a=%ED%A0%80', `a=${'x'.repeat(5000)}`].map((q) => ({ label: `${route}?${q.slice(0, 40)}`, method: 'GET', path: `${path}?${q}` })));
  }
  return corpus;
}

describe('the HTTP corpus', () => {
  it('covers every route the server has', () => {
    expect([...httpCorpus(ids.Customer!).keys()].sort()).toEqual(serverRoutes());
  });

  it('every route refuses malformed requests: no 5xx, no fault logged, nothing written', async () => {
    const failures: string[] = [];
    const logFrom = logLines.length;
    const before = await databaseFingerprint(app);
    for (const [, cases] of httpCorpus(ids.Customer!)) {
      for (const token of [owner.token, undefined]) {
        const outcomes = await inParallel(
          cases.map((c) => async () => {
            const res = await fetch(`${app.url}${c.path}`, {
              method: c.method,
              headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...c.headers },
              body: c.body,
            });
            return { status: res.status, text: await res.text() };
          }),
          4,
        );
        outcomes.forEach((o, i) => {
          if (o.status >= 500) failures.push(`${cases[i]!.label}${token ? '' : ' (no token)'}: ${o.status} ${o.text.slice(0, 200)}`);
        });
      }
    }
    expect(failures).toEqual([]);
    expect(changedTables(before, await databaseFingerprint(app))).toEqual([]);
    expect(faultsLogged(logFrom)).toEqual([]);
  });
});
