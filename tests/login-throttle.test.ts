import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, errorCode, type CrmClient } from '../sdk/index.js';
import { decide, WINDOW_SECONDS, type Counter, type SignInLimits } from '../src/auth/login-throttle.js';
import { makeUser, unique } from './helpers/factories.js';
import { fetchFrom } from './helpers/from-address.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';

// Sign-in throttling holds under parallel attempts and across instances, and an attacker can't
// use it to lock a colleague out: the hard limits are per email and address pair and per address;
// per email there is only a backoff, and not from addresses the user signed in from.

const LIMITS = { perPair: 10, perAddress: 50, emailBackoffAfter: 10, emailBackoffMaxSeconds: 1 };

let app: TestApp;
let other: TestApp;
beforeAll(async () => {
  const env = {
    LOGIN_MAX_FAILURES: String(LIMITS.perPair),
    LOGIN_MAX_FAILURES_PER_IP: String(LIMITS.perAddress),
    LOGIN_EMAIL_BACKOFF_AFTER: String(LIMITS.emailBackoffAfter),
    LOGIN_EMAIL_BACKOFF_MAX_SECONDS: String(LIMITS.emailBackoffMaxSeconds),
    // Every attempt of a burst runs at once rather than four at a time.
    MAX_ACTIVE_REQUESTS: '100',
  };
  app = await startTestApp({ env });
  other = await startTestApp({ env, sameDatabaseAs: app });
});
afterAll(async () => {
  await other?.close();
  await app?.close();
});

// Each test uses addresses of its own (127.0.<test>.<n>), so that their counters don't meet.
let nextNet = 0;
function addresses(): (host: number) => string {
  const net = ++nextNet;
  return (host) => `127.0.${net}.${host}`;
}

function from(address: string, on: TestApp = app): CrmClient {
  return createClient({ url: on.graphqlUrl, fetch: fetchFrom(address) });
}

type Outcome = 'TOKEN' | 'INVALID_CREDENTIALS' | 'TOO_MANY_REQUESTS' | string;

async function attempt(client: CrmClient, email: string, password: string): Promise<Outcome> {
  try {
    const { login } = await client.Login({ input: { email, password } });
    return login.token ? 'TOKEN' : login.userErrors[0]!.code;
  } catch (error) {
    return errorCode(error) ?? `unexpected: ${String(error)}`;
  }
}

function tally(outcomes: Outcome[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const o of outcomes) counts[o] = (counts[o] ?? 0) + 1;
  return counts;
}

async function victim(): Promise<string> {
  const user = await makeUser(app);
  return `${user.name.toLowerCase()}@test.local`;
}

describe('parallel attempts', () => {
  it('30 wrong passwords at once from one address get exactly the 10 checks the limit allows', async () => {
    const at = addresses();
    const email = await victim();
    expect(await attempt(from(at(2)), email, 'password-123')).toBe('TOKEN'); // the user's own address
    const attacker = from(at(1));
    const outcomes = await Promise.all(Array.from({ length: 30 }, () => attempt(attacker, email, 'wrong-password')));
    expect(tally(outcomes)).toEqual({ INVALID_CREDENTIALS: 10, TOO_MANY_REQUESTS: 20 });
    // The attacker's address is stopped even with the right password...
    expect(await attempt(attacker, email, 'password-123')).toBe('TOO_MANY_REQUESTS');
    // ...the user, at theirs, is not.
    expect(await attempt(from(at(2)), email, 'password-123')).toBe('TOKEN');
  });

  it('holds across two instances on one database', async () => {
    const at = addresses();
    const email = await victim();
    const clients = [from(at(1), app), from(at(1), other)];
    const outcomes = await Promise.all(Array.from({ length: 30 }, (_, i) => attempt(clients[i % 2]!, email, 'wrong-password')));
    expect(tally(outcomes)).toEqual({ INVALID_CREDENTIALS: 10, TOO_MANY_REQUESTS: 20 });
  });

  it('80 attempts at once on different accounts from one address get exactly the 50 the address may try', async () => {
    const at = addresses();
    const attacker = from(at(1));
    const outcomes = await Promise.all(
      Array.from({ length: 80 }, () => attempt(attacker, `${unique('nobody')}@test.local`, 'wrong-password')),
    );
    expect(tally(outcomes)).toEqual({ INVALID_CREDENTIALS: 50, TOO_MANY_REQUESTS: 30 });
    // Another address is not affected.
    expect(await attempt(from(at(2)), await victim(), 'password-123')).toBe('TOKEN');
  });
});

describe('no lockout of a colleague', () => {
  it('guesses from many addresses back off, while the user signs in from their own address', async () => {
    const at = addresses();
    const email = await victim();
    const home = from(at(1));
    expect(await attempt(home, email, 'password-123')).toBe('TOKEN');
    // Six addresses guess twelve times each, one after the other.
    const outcomes: Outcome[] = [];
    const started = Date.now();
    for (let host = 10; host < 16; host++) {
      const attacker = from(at(host));
      for (let i = 0; i < 12; i++) outcomes.push(await attempt(attacker, email, 'wrong-password'));
    }
    const seconds = (Date.now() - started) / 1000;
    const { INVALID_CREDENTIALS: checked = 0, TOO_MANY_REQUESTS: refused = 0 } = tally(outcomes);
    expect(checked + refused).toBe(72);
    // The first address gets its ten; past ten per email, one guess per backoff period (1 s here).
    expect(checked).toBeGreaterThanOrEqual(LIMITS.emailBackoffAfter);
    expect(checked).toBeLessThanOrEqual(LIMITS.emailBackoffAfter + Math.ceil(seconds / LIMITS.emailBackoffMaxSeconds) + 1);

    // The user is never refused at home: not even after mistyping.
    expect(await attempt(home, email, 'mistyped-password')).toBe('INVALID_CREDENTIALS');
    expect(await attempt(home, email, 'password-123')).toBe('TOKEN');

    // From a new address the user waits like everyone else, but only for the backoff, not 15 minutes.
    const attacker = from(at(20));
    let guessed: Outcome;
    do guessed = await attempt(attacker, email, 'wrong-password');
    while (guessed === 'TOO_MANY_REQUESTS' && (await sleep(100)));
    expect(guessed).toBe('INVALID_CREDENTIALS');
    const response = await rawLogin(at(21), email, 'password-123');
    expect(response.status).toBe(429);
    const retryAfter = Number(response.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(LIMITS.emailBackoffMaxSeconds);
    await sleep(retryAfter * 1000 + 100);
    expect(await attempt(from(at(21)), email, 'password-123')).toBe('TOKEN');
  });
});

describe('counting', () => {
  it('a success resets the pair and takes its attempt back; refused attempts count nowhere', async () => {
    const at = addresses();
    const email = await victim();
    const client = from(at(1));
    for (let i = 0; i < 9; i++) expect(await attempt(client, email, 'wrong-password')).toBe('INVALID_CREDENTIALS');
    expect(await attempt(client, email, 'password-123')).toBe('TOKEN');
    for (let i = 0; i < 10; i++) expect(await attempt(client, email, 'wrong-password')).toBe('INVALID_CREDENTIALS');
    const refused = await rawLogin(at(1), email, 'password-123');
    expect(refused.status).toBe(429);
    const body = (await refused.json()) as { errors: { extensions: { code: string; retryAfter: number } }[] };
    expect(body.errors[0]!.extensions.code).toBe('TOO_MANY_REQUESTS');
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBe(body.errors[0]!.extensions.retryAfter);
    expect(retryAfter).toBeGreaterThan(WINDOW_SECONDS - 60);
    expect(retryAfter).toBeLessThanOrEqual(WINDOW_SECONDS);
    // 19 failures and 11 refusals from this address so far: the address limit (50) is far away,
    // and another account signs in from it.
    for (let i = 0; i < 10; i++) expect(await attempt(client, email, 'wrong-password')).toBe('TOO_MANY_REQUESTS');
    expect(await attempt(client, await victim(), 'password-123')).toBe('TOKEN');
  });

  it('a wrong current password in passwordChange counts like a failed sign-in', async () => {
    const sales = await makeUser(app);
    const outcomes = await Promise.all(
      Array.from({ length: 15 }, () =>
        sales.client
          .PasswordChange({ input: { currentPassword: 'wrong-password', newPassword: 'new-password-1' } })
          .then(({ passwordChange }) => passwordChange.userErrors[0]!.code as string)
          .catch((error: unknown) => errorCode(error) ?? String(error)),
      ),
    );
    expect(tally(outcomes)).toEqual({ INVALID_CREDENTIALS: 10, TOO_MANY_REQUESTS: 5 });
  });
});

describe('the client address', () => {
  const forwardedFrom = (on: TestApp, client: string, address: string) =>
    createClient({ url: on.graphqlUrl, fetch: fetchFrom(address), headers: { 'x-forwarded-for': client } });

  it('is not taken from X-Forwarded-For unless TRUST_PROXY says so', async () => {
    const at = addresses();
    const email = await victim();
    // Every attempt claims another address: they all count for the one they come from.
    const outcomes: Outcome[] = [];
    for (let i = 1; i <= 12; i++) outcomes.push(await attempt(forwardedFrom(app, `10.1.0.${i}`, at(1)), email, 'wrong-password'));
    expect(tally(outcomes)).toEqual({ INVALID_CREDENTIALS: 10, TOO_MANY_REQUESTS: 2 });
  });

  it('behind a trusted proxy is the forwarded one, so one client cannot lock out the others', async () => {
    const at = addresses();
    const proxied = await startTestApp({ env: { TRUST_PROXY: at(1), LOGIN_MAX_FAILURES: '3' }, sameDatabaseAs: app });
    try {
      const email = await victim();
      expect(await attempt(forwardedFrom(proxied, '10.2.0.2', at(1)), email, 'password-123')).toBe('TOKEN');
      const attacker = forwardedFrom(proxied, '10.2.0.1', at(1));
      const outcomes = await Promise.all(Array.from({ length: 5 }, () => attempt(attacker, email, 'wrong-password')));
      expect(tally(outcomes)).toEqual({ INVALID_CREDENTIALS: 3, TOO_MANY_REQUESTS: 2 });
      expect(await attempt(forwardedFrom(proxied, '10.2.0.2', at(1)), email, 'password-123')).toBe('TOKEN');
      // A proxy it does not trust can't choose the address.
      const untrusted = forwardedFrom(proxied, '10.2.0.2', at(2));
      for (let i = 0; i < 3; i++) expect(await attempt(untrusted, email, 'wrong-password')).toBe('INVALID_CREDENTIALS');
      expect(await attempt(untrusted, email, 'password-123')).toBe('TOO_MANY_REQUESTS');
      expect(await attempt(forwardedFrom(proxied, '10.2.0.2', at(1)), email, 'password-123')).toBe('TOKEN');
    } finally {
      await proxied.close();
    }
  });
});

describe('decide', () => {
  const now = new Date('2026-12-02T10:00:00Z');
  const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000);
  const limits: SignInLimits = { perPair: 3, perAddress: 5, emailBackoffAfter: 4, emailBackoffMaxSeconds: 60 };
  const counters = (pair: number, address: number, email: number, last = ago(1), known = false): Counter[] => [
    { scope: 'PAIR', failures: pair, lastFailureAt: last, knownUntil: known ? ago(-3600) : null },
    { scope: 'ADDRESS', failures: address, lastFailureAt: last, knownUntil: null },
    { scope: 'EMAIL', failures: email, lastFailureAt: last, knownUntil: null },
  ];

  it('admits below every limit and counts all three (the email only from an unknown address)', () => {
    expect(decide(counters(2, 4, 3), now, limits)).toEqual({ admitted: true, counted: ['PAIR', 'ADDRESS', 'EMAIL'] });
    expect(decide(counters(2, 4, 99, ago(1), true), now, limits)).toEqual({ admitted: true, counted: ['PAIR', 'ADDRESS'] });
  });

  it('refuses at the pair or address limit until the window has passed since the last failure', () => {
    expect(decide(counters(3, 0, 0, ago(100)), now, limits)).toEqual({ admitted: false, retryAfterSeconds: WINDOW_SECONDS - 100 });
    expect(decide(counters(0, 5, 0, ago(100)), now, limits)).toEqual({ admitted: false, retryAfterSeconds: WINDOW_SECONDS - 100 });
    expect(decide(counters(3, 5, 0, ago(WINDOW_SECONDS)), now, limits).admitted).toBe(true);
  });

  it('backs off per email: 1 s after the threshold, doubling, capped', () => {
    expect(decide(counters(0, 0, 4, ago(0.5)), now, limits)).toEqual({ admitted: false, retryAfterSeconds: 1 });
    expect(decide(counters(0, 0, 4, ago(1)), now, limits).admitted).toBe(true);
    expect(decide(counters(0, 0, 7, ago(5)), now, limits)).toEqual({ admitted: false, retryAfterSeconds: 3 });
    expect(decide(counters(0, 0, 40, ago(10)), now, limits)).toEqual({ admitted: false, retryAfterSeconds: 50 });
    expect(decide(counters(0, 0, 40, ago(60)), now, limits).admitted).toBe(true);
  });
});

async function sleep(ms: number): Promise<true> {
  await new Promise((resolve) => setTimeout(resolve, ms));
  return true;
}

function rawLogin(address: string, email: string, password: string): Promise<Response> {
  return fetchFrom(address)(app.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      query: 'mutation($input: LoginInput!) { login(input: $input) { token } }',
      variables: { input: { email, password } },
    }),
  });
}
