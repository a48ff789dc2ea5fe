import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCustomer, makeUser, topLevelCode, unique } from './helpers/factories.js';
import { startTestApp, type TestApp, type TestUser } from './helpers/test-app.js';

// The duplicate check (同名检查) without the side door: it must not list the customers hidden from
// a salesperson one character at a time. The key keeps at least two letters or digits, matches the
// viewer can't see are capped, and each user has a number of checks per minute, counted in the
// database (parallel requests and a second instance included).

let app: TestApp;
let second: TestApp;
let viewer: TestUser;
let stranger: TestUser;
let owner: TestUser;
const LIMIT = 6;
const HIDDEN = 4;
const tag = unique('商策').replace('商策', '');

beforeAll(async () => {
  const env = { DUPLICATE_CHECK_LIMIT: String(LIMIT), DUPLICATE_CHECK_WINDOW_SECONDS: '3600', DUPLICATE_CHECK_HIDDEN_MATCHES: String(HIDDEN) };
  app = await startTestApp({ env });
  second = await startTestApp({ env, sameDatabaseAs: app });
  viewer = await makeUser(app, { name: unique('viewer') });
  stranger = await makeUser(app, { name: unique('stranger') });
  owner = await makeUser(app, { name: unique('owner') });
}, 120_000);
afterAll(async () => {
  await second.close();
  await app.close();
});

/** The customerDuplicates answer over plain HTTP: status, Retry-After and the body. */
async function rawCheck(target: TestApp, user: TestUser, name: string) {
  const res = await fetch(target.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${user.token}` },
    body: JSON.stringify({ query: 'query ($name: String) { customerDuplicates(name: $name) { name } }', variables: { name } }),
  });
  const body = (await res.json()) as { data?: unknown; errors?: { extensions: { code: string; retryAfter?: number } }[] };
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body };
}

describe('the duplicate check', () => {
  it('refuses keys of fewer than two letters or digits once normalised, before it looks anything up', async () => {
    const probe = await makeUser(app);
    await makeCustomer(app, { owner, name: `商${tag}甲` });
    for (const name of ['商', 'a', 'Ａ', '7', ' 商 ', '商。', '商有限公司', 'x Co., Ltd.', '-', '🙂商🙂']) {
      const code = await topLevelCode(probe.client.CustomerDuplicates({ name }));
      expect(code, name).toBe('VALIDATION_FAILED');
    }
    // Also with a phone beside it.
    expect(await topLevelCode(probe.client.CustomerDuplicates({ name: '商', phone: '13800138000' }))).toBe('VALIDATION_FAILED');
    // Refusals reveal nothing and don't use up the user's checks.
    for (let i = 0; i < LIMIT; i++) expect((await probe.client.CustomerDuplicates({ name: `商${tag}` })).customerDuplicates).toBeDefined();
  });

  it('still shows every customer the viewer can see whose name holds 商策, and at most the cap of the hidden ones, exact names first', async () => {
    const key = `商策${tag}`;
    const visible = [
      await makeCustomer(app, { name: `${key}咨询` }), // in the pool
      await makeCustomer(app, { name: `上海${key}` }),
      await makeCustomer(app, { owner: viewer, name: `${key}科技有限公司` }),
      await makeCustomer(app, { owner: viewer, name: `北京${key}顾问` }),
    ];
    const shared = await makeCustomer(app, { owner, name: `${key}传媒`, sharedWith: [viewer] });
    visible.push(shared);
    // Hidden from the viewer: more than the cap; the exact name sorts last by name but comes first.
    const hidden = [];
    for (let i = 0; i < HIDDEN + 3; i++) hidden.push(await makeCustomer(app, { owner, name: `阿${i}${key}` }));
    const exact = await makeCustomer(app, { owner, name: `${key}有限公司` });

    const { customerDuplicates } = await viewer.client.CustomerDuplicates({ name: key });
    const shown = customerDuplicates.filter((d) => d.customer);
    const withheld = customerDuplicates.filter((d) => !d.customer);
    expect(shown.map((d) => d.customer!.id).sort()).toEqual(visible.map((c) => c.id).sort());
    expect(withheld).toHaveLength(HIDDEN);
    expect(withheld[0]).toMatchObject({ name: exact.name, status: 'OWNED', ownerName: owner.name, canClaim: false });
    expect(customerDuplicates[0]!.name).toBe(exact.name);
    for (const d of withheld) expect([exact, ...hidden].map((c) => c.name)).toContain(d.name);

    // Who may see them all (the admin, the owner) gets them all.
    const { customerDuplicates: all } = await second.admin.client.CustomerDuplicates({ name: key });
    expect(all.every((d) => d.customer)).toBe(true);
    expect(all).toHaveLength(visible.length + hidden.length + 1);
  });

  it('counts the checks of each user atomically: parallel calls on two instances get exactly the limit', async () => {
    const user = await makeUser(app);
    const calls = await Promise.all(
      Array.from({ length: 3 * LIMIT }, (_, i) => rawCheck(i % 2 ? second : app, user, `商策${tag}`)),
    );
    const ok = calls.filter((c) => c.status === 200 && !c.body.errors);
    const refused = calls.filter((c) => c.status === 429);
    expect(ok).toHaveLength(LIMIT);
    expect(refused).toHaveLength(2 * LIMIT);
    for (const r of refused) {
      expect(r.body.errors![0]!.extensions.code).toBe('TOO_MANY_REQUESTS');
      expect(Number(r.retryAfter)).toBeGreaterThan(0);
      expect(r.body.errors![0]!.extensions.retryAfter).toBe(Number(r.retryAfter));
    }
    // Another user's checks are their own.
    expect((await rawCheck(app, stranger, `商策${tag}`)).status).toBe(200);
  });

  it('starts counting again in the next window', async () => {
    const quick = await startTestApp({ env: { DUPLICATE_CHECK_LIMIT: '2', DUPLICATE_CHECK_WINDOW_SECONDS: '2' } });
    try {
      const user = await makeUser(quick);
      // Start at the beginning of a window, so that three calls fall in the same one.
      await new Promise((resolve) => setTimeout(resolve, 2000 - (Date.now() % 2000) + 50));
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await rawCheck(quick, user, '商策')).status);
      expect(statuses).toEqual([200, 200, 429]);
      await new Promise((resolve) => setTimeout(resolve, 2100));
      expect((await rawCheck(quick, user, '商策')).status).toBe(200);
    } finally {
      await quick.close();
    }
  });
});
