import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCustomer, makeUser } from './helpers/factories.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

describe('smoke', () => {
  it('creates and claims', async () => {
    const sales = await makeUser(app);
    const c = await makeCustomer(app);
    const { customersClaim } = await sales.client.CustomersClaim({ input: { customerIds: [c.id] } });
    expect(customersClaim.results[0]!.userErrors).toEqual([]);
    expect(customersClaim.results[0]!.customer!.owner!.name).toBe(sales.name);
  });
});
