import { Kind, parse, type FragmentDefinitionNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { measureOperation } from '../src/common/request-limits.js';
import { getSchema } from '../src/schema.js';
import { makeUser } from './helpers/factories.js';
import { startTestApp, type TestApp, type TestUser } from './helpers/test-app.js';

// The cost estimate prices every list by what it can return, whatever its shape: a connection's
// `nodes` as its page, `edges { node }` the same, plain lists by their estimate, all multiplied
// down the nesting, through fragments and aliases too. Three nested pages of 100 may return a
// million objects and are refused; the headline page stays accepted.

let schema: GraphQLSchema;
let app: TestApp;
let sales: TestUser;

beforeAll(async () => {
  schema = await getSchema();
  app = await startTestApp();
  sales = await makeUser(app);
});
afterAll(() => app.close());

function cost(source: string, variables: Record<string, unknown> = {}): number {
  const document = parse(source);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;
  const withDefaults = { ...variables };
  for (const v of operation.variableDefinitions ?? []) {
    const name = v.variable.name.value;
    if (withDefaults[name] === undefined && v.defaultValue && 'value' in v.defaultValue) withDefaults[name] = Number(v.defaultValue.value);
  }
  return measureOperation(schema, operation, fragments, withDefaults).cost;
}

// 1 connection + 100 customers + 100 connections + 10,000 contacts + 10,000 connections + 1,000,000 interactions.
const MILLION = 1 + 100 + 100 + 10_000 + 10_000 + 1_000_000;

const shapes: [string, string][] = [
  ['nodes', `{ customers(view: ALL, first: 100) { nodes { contacts(first: 100) { nodes { interactions(first: 100) { nodes { id } } } } } } }`],
  [
    'edges { node }',
    `{ customers(view: ALL, first: 100) { edges { node { contacts(first: 100) { edges { node { interactions(first: 100) { edges { node { id } } } } } } } } } }`,
  ],
  [
    'fragments',
    `query { customers(view: ALL, first: 100) { ...Page } }
     fragment Page on CustomerConnection { nodes { ...Contacts } }
     fragment Contacts on Customer { contacts(first: 100) { nodes { ... on Contact { interactions(first: 100) { ...Ids } } } } }
     fragment Ids on InteractionConnection { nodes { id } }`,
  ],
  [
    'aliases and variables',
    `query ($n: Int!) { a: customers(view: ALL, first: $n) { list: nodes { people: contacts(first: $n) { items: nodes { calls: interactions(first: $n) { them: nodes { id } } } } } } }`,
  ],
];

describe('every list shape is priced by what it can return', () => {
  it.each(shapes)('three nested pages of 100 through %s: about a million', (shape, source) => {
    const priced = cost(source, { n: 100 });
    // Through edges, each edge is an object beside its node.
    const objectsPerItem = shape === 'edges { node }' ? 2 : 1;
    expect(priced).toBeGreaterThanOrEqual(objectsPerItem * MILLION * 0.99);
    expect(priced).toBeLessThan(objectsPerItem * MILLION * 1.02);
  });

  it.each(shapes)('through %s the server refuses it as QUERY_TOO_COMPLEX', async (_shape, source) => {
    const res = await fetch(app.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${sales.token}` },
      body: JSON.stringify({ query: source, variables: source.includes('$n') ? { n: 100 } : {} }),
    });
    const body = (await res.json()) as { errors?: { message: string; extensions: { code: string } }[] };
    expect(res.status).toBe(400);
    expect(body.errors![0]!.extensions.code).toBe('QUERY_TOO_COMPLEX');
    const [, priced] = /cost (\d+)/.exec(body.errors![0]!.message)!;
    expect(Number(priced)).toBeGreaterThanOrEqual(MILLION);
  });

  it('counts a page as its size, the same through nodes as through edges, and plain lists by their estimate', () => {
    expect(cost(`{ customers(view: POOL, first: 7) { nodes { id } } }`)).toBe(1 + 7);
    // An edge is an object of its own, and so is its node.
    expect(cost(`{ customers(view: POOL, first: 7) { edges { node { id } } } }`)).toBe(1 + 7 + 7);
    // No first: the default page of 20; sharedWith (a plain list) as 10 per customer.
    expect(cost(`{ customers(view: POOL) { nodes { sharedWith { id } } } }`)).toBe(1 + 20 + 20 * 10);
    expect(cost(`{ a: customers(view: POOL, first: 2) { nodes { id } } b: customers(view: POOL, first: 3) { nodes { id } } }`)).toBe(3 + 4);
  });

  it('keeps the headline page of 100 customers, with its nested pages, within the default limit', async () => {
    expect(app.deps.config.limits.cost).toBe(50_000);
    for (const client of [sales.client, app.admin.client]) {
      const { customers } = await client.CustomersOverview({ view: client === sales.client ? 'POOL' : 'ALL', first: 100 });
      expect(customers.nodes).toBeDefined();
    }
  });
});
