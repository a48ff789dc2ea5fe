import { randomBytes } from 'node:crypto';
import { ClientError } from 'graphql-request';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { objectsIn, type CostExtension } from '../src/rate-limits/cost-limits.js';
import { errorCode } from '../sdk/index.js';
import { makeCustomer, makeUser } from './helpers/factories.js';
import { startTestApp, type TestApp, type TestUser } from './helpers/test-app.js';

// Rate limits in cost points: every request takes its estimated cost from its user's bucket,
// gets back what it did not return, and says so in extensions.cost; over the limit it is THROTTLED
// (HTTP 429, Retry-After). The bucket is shared by every instance: in PostgreSQL by default, in
// Redis (127.0.0.1:6379, running on this machine) when REDIS_URL is set.

const PAGE = `query ($first: Int!) { customers(view: POOL, first: $first) { totalCount nodes { id name } } }`;

interface Answer {
  status: number;
  code?: string;
  retryAfter?: string | null;
  cost: CostExtension;
  data?: unknown;
}

async function ask(user: TestUser, first: number): Promise<Answer> {
  try {
    const { data, extensions, status } = await user.client.graphql.rawRequest<unknown>(PAGE, { first });
    return { status, cost: (extensions as { cost: CostExtension }).cost, data };
  } catch (error) {
    if (!(error instanceof ClientError)) throw error;
    return {
      status: error.response.status,
      code: errorCode(error),
      retryAfter: error.response.headers?.get('retry-after'),
      cost: (error.response.extensions as { cost: CostExtension }).cost,
    };
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Five pool customers: a page of them is 1 connection + 5 nodes = 6 objects. */
async function fillPool(app: TestApp) {
  for (let i = 0; i < 5; i++) await makeCustomer(app);
}

function suite(store: 'PostgreSQL' | 'Redis', env: () => Record<string, string>) {
  describe(`cost buckets in ${store}`, () => {
    let app: TestApp;
    let second: TestApp;
    beforeAll(async () => {
      app = await startTestApp({ env: { ...env(), RATE_LIMIT_SALES: '300/20', RATE_LIMIT_MANAGER: '10/1', RATE_LIMIT_ADMIN: 'off' } });
      second = await startTestApp({ sameDatabaseAs: app, env: { ...env(), RATE_LIMIT_SALES: '300/20', RATE_LIMIT_MANAGER: '10/1', RATE_LIMIT_ADMIN: 'off' } });
      await fillPool(app);
    });
    afterAll(async () => {
      await second?.close();
      await app?.close();
    });

    it('every response says what it was estimated at, what it returned, and what is left', async () => {
      const user = await makeUser(app);
      const first = await ask(user, 50);
      expect(first.status).toBe(200);
      expect(first.cost.actualQueryCost).toBe(6);
      expect(first.cost.actualQueryCost).toBe(objectsIn(first.data));
      expect(first.cost.requestedQueryCost).toBeGreaterThan(0);
      // What was not returned came back at once.
      // (Less what it returned, plus what the restore rate added while it ran.)
      expect(first.cost.throttleStatus).toMatchObject({ maximumAvailable: 300, restoreRate: 20 });
      expect(first.cost.throttleStatus!.currentlyAvailable).toBeGreaterThanOrEqual(294);
      expect(first.cost.throttleStatus!.currentlyAvailable).toBeLessThanOrEqual(300);
      // ... and the next request's bucket holds it (less what it spent, plus what was restored).
      const next = await ask(user, 50);
      expect(next.cost.throttleStatus!.currentlyAvailable).toBeGreaterThanOrEqual(288);
      expect(next.cost.throttleStatus!.currentlyAvailable).toBeLessThanOrEqual(300);
    });

    it('refuses what the bucket does not hold with THROTTLED, 429 and Retry-After, and refills', async () => {
      const user = await makeUser(app);
      // Ask for pages until the bucket can't pay for one: the refusal says when it can.
      let refusal: Answer | undefined;
      for (let i = 0; i < 400 && !refusal; i++) {
        const answer = await ask(user, 100);
        if (answer.status !== 200) refusal = answer;
      }
      expect(refusal).toBeDefined();
      expect(refusal!.status).toBe(429);
      expect(refusal!.code).toBe('THROTTLED');
      expect(Number(refusal!.retryAfter)).toBeGreaterThanOrEqual(1);
      expect(refusal!.cost.actualQueryCost).toBeNull();
      expect(refusal!.cost.throttleStatus!.currentlyAvailable).toBeLessThan(refusal!.cost.requestedQueryCost);
      await sleep(Number(refusal!.retryAfter) * 1000 + 100);
      expect((await ask(user, 100)).status).toBe(200);
    });

    it('holds for parallel requests, on two instances, draining one bucket', async () => {
      // Managers here: 10 points, 1 a second; `viewer { id }` costs exactly 1 (estimated and returned).
      const manager = await makeUser(app, { role: 'MANAGER' });
      const onSecond = { ...manager, client: second.client(manager.token) };
      const one = async (user: TestUser) => {
        try {
          const r = await user.client.graphql.rawRequest(`{ viewer { id } }`);
          expect((r.extensions as { cost: CostExtension }).cost).toMatchObject({ requestedQueryCost: 1, actualQueryCost: 1 });
          return 'ok';
        } catch (error) {
          return errorCode(error);
        }
      };
      const started = Date.now();
      const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => one(i % 2 ? manager : onSecond)));
      const seconds = (Date.now() - started) / 1000;
      const admitted = answers.filter((a) => a === 'ok').length;
      expect(answers.filter((a) => a !== 'ok').every((a) => a === 'THROTTLED')).toBe(true);
      // The full bucket, and what it restored while the 40 ran: not one more.
      expect(admitted).toBeGreaterThanOrEqual(10);
      expect(admitted).toBeLessThanOrEqual(10 + Math.ceil(seconds));
    });

    it('leaves a role with "off" unlimited, and still prices its requests', async () => {
      for (let i = 0; i < 5; i++) {
        const answer = await ask(app.admin, 100);
        expect(answer.status).toBe(200);
        expect(answer.cost.throttleStatus).toBeNull();
        expect(answer.cost.actualQueryCost).toBe(6);
      }
    });

    it('charges a mutation at least 10 points', async () => {
      const user = await makeUser(app);
      const customer = await makeCustomer(app);
      const result = await user.client.graphql.rawRequest(
        `mutation ($id: ID!) { customersClaim(input: { customerIds: [$id] }) { results { customer { id } userErrors { code } } } }`,
        { id: customer.id },
      );
      const cost = (result.extensions as { cost: CostExtension }).cost;
      expect(cost.requestedQueryCost).toBeGreaterThanOrEqual(10);
      expect(cost.actualQueryCost).toBe(10);
    });
  });
}

suite('PostgreSQL', () => ({}));
const prefix = `crm-test-${randomBytes(4).toString('hex')}:`;
suite('Redis', () => ({ REDIS_URL: 'redis://127.0.0.1:6379', REDIS_KEY_PREFIX: prefix }));

describe('rate limit settings', () => {
  it('read "<points>/<per second>" or "off" per role, and refuse anything else', () => {
    const config = loadConfig({ RATE_LIMIT_SALES: '5000/250', RATE_LIMIT_ADMIN: 'off' });
    expect(config.costLimits.byRole.SALES).toEqual({ size: 5000, restoreRate: 250 });
    expect(config.costLimits.byRole.ADMIN).toBeNull();
    expect(config.costLimits.byRole.MANAGER).toEqual({ size: 400000, restoreRate: 400000 });
    for (const bad of ['5000', '0/10', '10/0', 'lots', '-5/1']) {
      expect(() => loadConfig({ RATE_LIMIT_SALES: bad })).toThrow(/RATE_LIMIT_SALES/);
    }
  });
});
