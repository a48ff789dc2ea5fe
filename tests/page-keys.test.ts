import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCustomer, makeUser } from './helpers/factories.js';
import { startTestApp, type TestApp, type TestUser } from './helpers/test-app.js';

// A page's rows carry their sort keys (the text its cursors are written from) only when the
// query asks for a cursor of that page: an edge's `cursor`, or `startCursor` / `endCursor`, as
// GraphQL collects the fields (fragments, aliases, @include and @skip). Pages whose cursors
// nobody asks for skip the keys; every cursor asked for still works.

let app: TestApp;
let owner: TestUser;
let customerId: string;

beforeAll(async () => {
  app = await startTestApp();
  owner = await makeUser(app);
  customerId = (await makeCustomer(app, { owner })).id;
  for (const name of ['甲', '乙', '丙', '丁']) {
    const { contactCreate } = await owner.client.ContactCreate({ input: { customerId, name } });
    expect(contactCreate.userErrors).toEqual([]);
  }
}, 60_000);
afterAll(() => app?.close());

interface Answer {
  data?: { customer: { contacts: Record<string, unknown> } };
  errors?: unknown[];
}

/** The answer, and whether the contacts' page statement read the sort keys. */
async function asked(selection: string, variables: Record<string, unknown> = {}, declared = ''): Promise<{ answer: Answer; keys: boolean }> {
  const log: NonNullable<typeof app.sql.log> = [];
  app.sql.log = log;
  try {
    const response = await fetch(app.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${owner.token}` },
      body: JSON.stringify({
        query: [
          `query Page($id: ID!${declared}) { customer(id: $id) { contacts(first: 2) { ${selection} } } }`,
          selection.includes('...Ends') ? 'fragment Ends on PageInfo { startCursor endCursor }' : '',
          selection.includes('...Cursors') ? 'fragment Cursors on ContactEdge { cursor }' : '',
        ].join('\n'),
        variables: { id: customerId, ...variables },
      }),
    });
    const answer = (await response.json()) as Answer;
    const page = log.find((s) => s.sql.includes('FROM contact ct'));
    expect(page, 'the contacts were read').toBeDefined();
    return { answer, keys: page!.sql.includes('__keys') };
  } finally {
    app.sql.log = undefined;
  }
}

describe('the sort keys of a page', () => {
  it('are not read when no cursor of the page is asked for', async () => {
    for (const selection of ['nodes { name }', 'totalCount edges { node { name } }', 'pageInfo { hasNextPage hasPreviousPage }']) {
      const { answer, keys } = await asked(selection);
      expect(answer.errors, selection).toBeUndefined();
      expect(keys, selection).toBe(false);
    }
    const skipped = await asked('edges { cursor @include(if: $c) node { name } }', { c: false }, ', $c: Boolean!');
    expect(skipped.keys).toBe(false);
    const edges = skipped.answer.data!.customer.contacts.edges as Record<string, unknown>[];
    expect(edges).toHaveLength(2);
    for (const edge of edges) expect(Object.keys(edge)).toEqual(['node']);
  });

  it('are read, and the cursors lead to the next page, whenever one is asked for', async () => {
    const cases: [string, Record<string, unknown>, string][] = [
      ['edges { cursor node { name } }', {}, ''],
      ['pageInfo { endCursor } nodes { name }', {}, ''],
      ['pageInfo { ...Ends } nodes { name }', {}, ''],
      ['edges { ...Cursors node { name } }', {}, ''],
      ['at: edges { where: cursor node { name } }', {}, ''],
      ['edges { cursor @include(if: $c) node { name } }', { c: true }, ', $c: Boolean!'],
      ['... on ContactConnection { pageInfo { startCursor } } nodes { name }', {}, ''],
    ];
    for (const [selection, variables, declared] of cases) {
      const { answer, keys } = await asked(selection, variables, declared);
      expect(answer.errors, selection).toBeUndefined();
      expect(keys, selection).toBe(true);
      const page = answer.data!.customer.contacts as { edges?: { cursor?: string; where?: string }[]; at?: { where: string }[]; pageInfo?: { endCursor?: string; startCursor?: string } };
      const cursor = page.pageInfo?.endCursor ?? page.edges?.at(-1)?.cursor ?? page.at?.at(-1)?.where ?? page.pageInfo?.startCursor;
      expect(typeof cursor, selection).toBe('string');
    }
    // The cursor of the second contact leads to the third and fourth.
    const first = await asked('edges { cursor node { name } }');
    const edges = first.answer.data!.customer.contacts.edges as { cursor: string; node: { name: string } }[];
    const { customer } = await owner.client.CustomerContacts({ id: customerId, first: 2, after: edges[1]!.cursor });
    const names = [...edges.map((e) => e.node.name), ...customer!.contacts.edges.map((e) => e.node.name)];
    expect(new Set(names).size).toBe(4);
  });
});
