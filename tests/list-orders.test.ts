import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CustomerOrderField } from '../src/customers/customer.inputs.js';
import type { CustomerView, OrderDirection } from '../sdk/index.js';
import { makeCustomer, makeUser, unique } from './helpers/factories.js';
import { startTestApp, type TestApp, type TestUser } from './helpers/test-app.js';

// Every order a list offers has an index in both directions, so no page sorts the whole table:
// each page's statement is planned with sorting switched off, and the plan must hold no Sort.
// (The owner views find a few thousand rows through the owner indexes, where the planner may prefer
// sorting them; what is checked here is that an ordered path exists for every view.)

let app: TestApp;
let manager: TestUser;
let alice: TestUser;
let bob: TestUser;

beforeAll(async () => {
  app = await startTestApp();
  manager = await makeUser(app, { role: 'MANAGER' });
  alice = await makeUser(app, { manager });
  bob = await makeUser(app, { manager });
  for (let i = 0; i < 6; i++) {
    await makeCustomer(app, { owner: i % 2 ? alice : bob, sharedWith: i % 2 ? [bob] : [alice] });
    await makeCustomer(app);
  }
  await makeCustomer(app, { archived: true });
});
afterAll(() => app.close());

/** Orders computed per request (the pool rules) or per search (the rank) cannot be indexed. */
const COMPUTED = new Set<string>([CustomerOrderField.RETURNS_TO_POOL_AT, CustomerOrderField.RELEVANCE]);
const ORDERS = Object.values(CustomerOrderField).filter((f) => !COMPUTED.has(f));

const VIEWERS: [CustomerView, () => TestUser][] = [
  ['ALL', () => app.admin],
  ['ARCHIVED', () => app.admin],
  ['POOL', () => alice],
  ['MINE', () => alice],
  ['SHARED_WITH_ME', () => alice],
  ['SUBORDINATES', () => manager],
];

/** The plan of each statement a request issued, with sorting switched off. */
async function plansOf(run: () => Promise<unknown>): Promise<PlanNode[]> {
  const log: NonNullable<TestApp['sql']['log']> = [];
  app.sql.log = log;
  await run().finally(() => (app.sql.log = undefined));
  const statements = log.filter((s) => /ORDER BY/i.test(s.sql));
  const em = app.orm.em.fork();
  return em.transactional(async (tx) => {
    await tx.execute('SET LOCAL enable_sort = off');
    await tx.execute('SET LOCAL enable_incremental_sort = off');
    const plans: PlanNode[] = [];
    for (const statement of statements) {
      // (as sent: numbered placeholders, back to the ? of execute)
      const sql = `EXPLAIN (FORMAT JSON) ${statement.sql.replace(/\$\d+/g, '?')}`;
      const [row] = await tx.execute<{ 'QUERY PLAN': [{ Plan: PlanNode }] }[]>(sql, [...statement.params]);
      plans.push(row!['QUERY PLAN'][0].Plan);
    }
    return plans;
  });
}

interface PlanNode {
  'Node Type': string;
  Plans?: PlanNode[];
}

/** The page is sorted: a LIMIT reads a sort (of every row the list has) instead of an index. */
function sortsThePage(plan: PlanNode): boolean {
  const limits: PlanNode[] = [];
  const walk = (node: PlanNode) => {
    if (node['Node Type'] === 'Limit') limits.push(node);
    node.Plans?.forEach(walk);
  };
  walk(plan);
  if (limits.length === 0) throw new Error(`Not a page's plan: ${JSON.stringify(plan)}`);
  return limits.some((l) => /Sort/.test(l.Plans?.[0]?.['Node Type'] ?? ''));
}

describe('list orders', () => {
  for (const [view, viewer] of VIEWERS) {
    it(`${view}: every order, both directions, forwards and backwards, reads an index in order`, async () => {
      const unsorted: string[] = [];
      for (const field of ORDERS) {
        for (const direction of ['ASC', 'DESC'] as OrderDirection[]) {
          for (const page of [{ first: 10 }, { last: 10 }] as { first?: number; last?: number }[]) {
            const plans = await plansOf(() =>
              viewer().client.graphql.request(
                `query ($view: CustomerView!, $orderBy: [CustomerOrder!], $first: Int, $last: Int) {
                  customers(view: $view, orderBy: $orderBy, first: $first, last: $last) { nodes { id } }
                }`,
                { view, orderBy: [{ field, direction }], ...page },
              ),
            );
            expect(plans.length).toBeGreaterThan(0);
            if (plans.some(sortsThePage)) unsorted.push(`${field} ${direction} ${Object.keys(page)[0]}`);
          }
        }
      }
      expect(unsorted).toEqual([]);
    });
  }

  it('the owner name order follows claims, handovers and renames', async () => {
    const names = async () => {
      const { customers } = await manager.client.Customers({
        view: 'SUBORDINATES',
        first: 50,
        orderBy: [{ field: 'OWNER_NAME', direction: 'ASC' }],
      });
      return customers.edges.map((e) => e.node.owner?.name);
    };
    const before = await names();
    // Renaming bob to a name before alice's moves his customers first.
    const renamed = `0${unique('bob')}`;
    const { userUpdate } = await app.admin.client.UserUpdate({ input: { id: bob.id, name: renamed } });
    expect(userUpdate.userErrors).toEqual([]);
    const after = await names();
    expect(after[0]).toBe(renamed);
    expect(after.filter((n) => n === renamed)).toHaveLength(before.filter((n) => n === bob.name).length);
    // A claim writes the new owner's name.
    const { customers: pool } = await manager.client.Customers({ view: 'POOL', first: 1 });
    const { customersClaim } = await manager.client.CustomersClaim({ input: { customerIds: [pool.edges[0]!.node.id] } });
    expect(customersClaim.userErrors).toEqual([]);
    const { customers: mine } = await manager.client.Customers({ view: 'MINE', first: 50, orderBy: [{ field: 'OWNER_NAME', direction: 'DESC' }] });
    expect(mine.edges.map((e) => e.node.owner?.name)).toEqual([manager.name]);
  });
});
