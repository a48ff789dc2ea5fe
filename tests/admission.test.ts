import { ClientError } from 'graphql-request';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Admission } from '../src/http/admission.js';
import { errorCode } from '../sdk/index.js';
import { makeCustomer, makeUser } from './helpers/factories.js';
import { startTestApp, type TestApp, type TestUser } from './helpers/test-app.js';

// Under overload the server degrades instead of collapsing: a bounded number of GraphQL requests
// run at once, a bounded number wait their turn, and the rest are refused at once with 503,
// SERVER_BUSY and Retry-After (nothing runs for them, so they change nothing).

describe('admission, by itself', () => {
  const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

  it('runs `active` at once, queues `queued` in order, refuses the rest', async () => {
    const admission = new Admission({ active: 2, queued: 2, waitMs: 10_000 });
    expect(admission.enter()).toBe(true);
    expect(admission.enter()).toBe(true);
    const order: number[] = [];
    const third = Promise.resolve(admission.enter()).then((ok) => (order.push(3), ok));
    const fourth = Promise.resolve(admission.enter()).then((ok) => (order.push(4), ok));
    expect(admission.enter()).toBe(false);
    await tick();
    expect(order).toEqual([]);
    admission.leave();
    expect(await third).toBe(true);
    admission.leave();
    expect(await fourth).toBe(true);
    expect(order).toEqual([3, 4]);
    // Two running (the third and the fourth): a new one waits again.
    admission.leave();
    admission.leave();
    expect(admission.enter()).toBe(true);
  });

  it('refuses a request that waited too long, and gives its place back', async () => {
    const admission = new Admission({ active: 1, queued: 1, waitMs: 100 });
    expect(admission.enter()).toBe(true);
    const waiting = admission.enter();
    expect(await waiting).toBe(false);
    expect(admission.retryAfterSeconds()).toBe(1);
    // The queue is free again, and the running slot still counts.
    const next = admission.enter();
    admission.leave();
    expect(await next).toBe(true);
  });
});

describe('admission, over HTTP', () => {
  let busy: TestApp;
  let roomy: TestApp;
  let viewer: TestUser;
  let roomyViewer: TestUser;

  beforeAll(async () => {
    busy = await startTestApp({ env: { MAX_ACTIVE_REQUESTS: '1', MAX_QUEUED_REQUESTS: '0', QUEUE_TIMEOUT_MS: '5000' } });
    viewer = await makeUser(busy, { role: 'MANAGER' });
    for (let i = 0; i < 5; i++) await makeCustomer(busy, { owner: viewer });
    roomy = await startTestApp({ env: { MAX_ACTIVE_REQUESTS: '2', MAX_QUEUED_REQUESTS: '100', QUEUE_TIMEOUT_MS: '30000' } });
    roomyViewer = await makeUser(roomy, { role: 'MANAGER' });
    for (let i = 0; i < 5; i++) await makeCustomer(roomy, { owner: roomyViewer });
  });
  afterAll(async () => {
    await busy?.close();
    await roomy?.close();
  });

  const page = (user: TestUser) => user.client.CustomersOverview({ view: 'MINE', first: 5 });

  it('refuses what it cannot queue with 503, SERVER_BUSY and Retry-After; the admitted ones answer in full', async () => {
    const outcomes = await Promise.all(Array.from({ length: 30 }, () => page(viewer).then((r) => r, (e: unknown) => e)));
    const refused = outcomes.filter((o) => o instanceof ClientError);
    const answered = outcomes.filter((o) => !(o instanceof Error));
    expect(refused.length + answered.length).toBe(30);
    expect(refused.length).toBeGreaterThan(0);
    expect(answered.length).toBeGreaterThan(0);
    for (const error of refused as ClientError[]) {
      expect(error.response.status).toBe(503);
      expect(errorCode(error)).toBe('SERVER_BUSY');
      expect(Number(error.response.headers.get('retry-after'))).toBe(5);
    }
    for (const result of answered as Awaited<ReturnType<typeof page>>[]) expect(result.customers.nodes).toHaveLength(5);
  });

  it('queues within its bounds: every request of a burst answers, in full', async () => {
    const results = await Promise.all(Array.from({ length: 30 }, () => page(roomyViewer)));
    for (const result of results) expect(result.customers.nodes).toHaveLength(5);
  });

  it('admits health checks and the other routes regardless', async () => {
    const pages = Array.from({ length: 10 }, () => page(viewer).catch(() => null));
    const health = await fetch(new URL('/ready', busy.url));
    expect(health.status).toBe(200);
    await Promise.all(pages);
  });
});
