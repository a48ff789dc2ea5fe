import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCustomer, makeUser } from './helpers/factories.js';
import { startTestApp, type TestApp, type TestUser } from './helpers/test-app.js';

// Exactly one owner, guaranteed by the database: many salespeople claim one customer at the same
// moment over HTTP; one wins, everyone else is told who won and when, and history has one claim.

let app: TestApp;
let sales: TestUser[];
beforeAll(async () => {
  app = await startTestApp();
  sales = await Promise.all(Array.from({ length: 25 }, () => makeUser(app)));
});
afterAll(() => app.close());

describe('the claim race', () => {
  it('25 concurrent claims of one customer: one winner, one history event, ALREADY_CLAIMED for the rest', async () => {
    for (let round = 0; round < 3; round++) {
      const customer = await makeCustomer(app);
      const outcomes = await Promise.all(
        sales.map(async (user) => ({ user, payload: (await user.client.CustomersClaim({ input: { customerIds: [customer.id] } })).customersClaim })),
      );
      const winners = outcomes.filter((o) => o.payload.results[0]!.userErrors.length === 0);
      const losers = outcomes.filter((o) => o.payload.results[0]!.userErrors.length > 0);
      expect(winners).toHaveLength(1);
      const winner = winners[0]!.user;
      const { customer: after } = await app.admin.client.Customer({ id: customer.id, historyFirst: 50 });
      expect(after!.owner!.id).toBe(winner.id);
      for (const loser of losers) {
        const [error] = loser.payload.results[0]!.userErrors;
        expect(error).toMatchObject({ code: 'ALREADY_CLAIMED', ownerName: winner.name, claimedAt: after!.claimedAt });
        expect(error!.message).toContain(winner.name);
        expect(loser.payload.results[0]!.customer).toBeNull();
      }
      const claims = after!.history.nodes.filter((e) => e.action === 'CLAIM');
      expect(claims).toHaveLength(1);
      expect(claims[0]!.toOwner!.id).toBe(winner.id);
    }
  });

  it('one salesperson claiming 20 customers in parallel requests gets all of them, without deadlocks', async () => {
    const customers = await Promise.all(Array.from({ length: 20 }, () => makeCustomer(app)));
    const [user] = sales;
    const payloads = await Promise.all(
      customers.map((c) => user!.client.CustomersClaim({ input: { customerIds: [c.id] } })),
    );
    expect(payloads.every((p) => p.customersClaim.results[0]!.userErrors.length === 0)).toBe(true);
    const { customers: mine } = await user!.client.Customers({ view: 'MINE', first: 100 });
    expect(mine.totalCount).toBeGreaterThanOrEqual(20);
  });

  it('a claim racing a reclaim and an assign leaves exactly one consistent state', async () => {
    const manager = await makeUser(app, { role: 'MANAGER' });
    const owner = await makeUser(app, { manager });
    const other = await makeUser(app, { manager });
    for (let round = 0; round < 5; round++) {
      const customer = await makeCustomer(app, { owner });
      await Promise.all([
        manager.client.CustomersReclaim({ input: { customerIds: [customer.id] } }),
        other.client.CustomersClaim({ input: { customerIds: [customer.id] } }),
        manager.client.CustomersAssign({ input: { customerIds: [customer.id], assigneeId: other.id } }),
      ]);
      const { customer: after } = await app.admin.client.Customer({ id: customer.id, historyFirst: 50 });
      // Replaying the history from the creation gives the final owner.
      const events = [...after!.history.nodes].reverse();
      let replayed: string | null = null;
      for (const e of events) {
        if (['CREATE', 'CLAIM', 'ASSIGN', 'RETURN', 'RECLAIM'].includes(e.action)) {
          expect(e.fromOwner?.id ?? null).toBe(e.action === 'CREATE' ? null : replayed);
          replayed = e.toOwner?.id ?? null;
        }
      }
      expect(after!.owner?.id ?? null).toBe(replayed);
      expect(after!.status).toBe(replayed ? 'OWNED' : 'IN_POOL');
    }
  });
});
