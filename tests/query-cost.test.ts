import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCustomer, makeUser } from './helpers/factories.js';
import { startTestApp, type TestApp, type TestUser } from './helpers/test-app.js';

// Speed is part of correctness: the SQL statements behind a page of customers with owner, shares,
// allowedActions and history must not grow with the page size (DataLoaders, batched nested pages).

let app: TestApp;
let manager: TestUser;

beforeAll(async () => {
  app = await startTestApp();
  manager = await makeUser(app, { role: 'MANAGER' });
  const team = await Promise.all(Array.from({ length: 5 }, () => makeUser(app, { manager })));
  for (let i = 0; i < 55; i++) {
    const owner = team[i % team.length]!;
    await makeCustomer(app, { owner, sharedWith: [team[(i + 1) % team.length]!, team[(i + 2) % team.length]!] });
  }
});
afterAll(() => app.close());

async function statementsFor(run: () => Promise<unknown>): Promise<number> {
  const before = app.sql.statements;
  await run();
  return app.sql.statements - before;
}

describe('SQL statements per request', () => {
  it('a page of 50 customers with owner, shares, allowedActions and history costs the same as a page of 5', async () => {
    const page = (first: number) => () =>
      manager.client.graphql.request(
        `query ($first: Int!) {
          customers(view: SUBORDINATES, first: $first) {
            totalCount
            pageInfo { hasNextPage hasPreviousPage endCursor }
            nodes {
              id name phone masked allowedActions
              owner { id name manager { id name } }
              createdBy { name }
              sharedWith { id name }
              history(first: 3) { totalCount nodes { action actor { name } toOwner { name } fromOwner { name } } }
            }
          }
        }`,
        { first },
      );
    const small = await statementsFor(page(5));
    const large = await statementsFor(page(50));
    if (process.env.SHOW_SQL_COUNTS) console.log(`customers page: ${small} statements for 5 customers, ${large} for 50`);
    expect(large).toBe(small);
    expect(small).toBeLessThanOrEqual(12);
  });

  it('node lookups of many customers are batched too', async () => {
    const { customers } = await manager.client.Customers({ view: 'SUBORDINATES', first: 50 });
    const ids = customers.edges.map((e) => e.node.id);
    const lookup = (n: number) => () =>
      manager.client.graphql.request(`query ($ids: [ID!]!) { nodes(ids: $ids) { id ... on Customer { name owner { name } sharedWith { name } allowedActions } } }`, {
        ids: ids.slice(0, n),
      });
    expect(await statementsFor(lookup(50))).toBe(await statementsFor(lookup(5)));
  });
});
