import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCode } from '../sdk/index.js';
import { makeUser, topLevelCode, type UserSpec } from './helpers/factories.js';
import { startTestApp, type TestApp, type TestUser } from './helpers/test-app.js';

// Sessions end when they should: logout, the user's own "end my other sessions", a password
// change (by an admin or by the user), deactivation (for good: reactivation does not bring them
// back), a role change; on every instance on the database. Every malformed token is
// UNAUTHENTICATED, never a 500.

let app: TestApp;
let other: TestApp;
beforeAll(async () => {
  app = await startTestApp();
  other = await startTestApp({ sameDatabaseAs: app });
});
afterAll(async () => {
  await other?.close();
  await app?.close();
});

const PASSWORD = 'password-123';

/** A user and a fresh session of theirs from `login`, on the given instance. */
async function signedIn(on: TestApp, spec: UserSpec = {}): Promise<TestUser & { email: string }> {
  const user = await makeUser(app, spec);
  const email = `${user.name.toLowerCase()}@test.local`;
  const token = await signIn(on, email);
  return { ...user, email, token, client: on.client(token) };
}

async function signIn(on: TestApp, email: string, password = PASSWORD): Promise<string> {
  const { login } = await on.anonymous.Login({ input: { email, password } });
  expect(login.userErrors).toEqual([]);
  return login.token!;
}

/** Whether a token still works, asked of both instances. */
async function works(token: string): Promise<boolean[]> {
  return Promise.all(
    [app, other].map(async (instance) => {
      const code = await topLevelCode(instance.client(token).Viewer());
      if (code && code !== 'UNAUTHENTICATED') throw new Error(`unexpected ${code}`);
      return code === undefined;
    }),
  );
}

describe('logout', () => {
  it('ends the session of the token it is called with, on every instance; other sessions stay', async () => {
    const sales = await signedIn(app);
    const second = await signIn(other, sales.email);
    expect(await works(sales.token)).toEqual([true, true]);
    const { logout } = await sales.client.Logout();
    expect(logout.userErrors).toEqual([]);
    expect(await works(sales.token)).toEqual([false, false]);
    expect(await works(second)).toEqual([true, true]);
    // A second logout with the ended token is refused like any other call.
    expect(await topLevelCode(sales.client.Logout())).toBe('UNAUTHENTICATED');
    expect(await topLevelCode(app.anonymous.Logout())).toBe('UNAUTHENTICATED');
  });
});

describe('sessionsEndOthers', () => {
  it('ends every other session of the viewer and keeps this one; nobody else is affected', async () => {
    const sales = await signedIn(app);
    const colleague = await signedIn(app);
    const laptop = await signIn(app, sales.email);
    const phone = await signIn(other, sales.email);
    const { sessionsEndOthers } = await sales.client.SessionsEndOthers();
    expect(sessionsEndOthers).toEqual({ endedCount: 3, userErrors: [] }); // makeUser's own session too
    expect(await works(sales.token)).toEqual([true, true]);
    expect(await works(laptop)).toEqual([false, false]);
    expect(await works(phone)).toEqual([false, false]);
    expect(await works(colleague.token)).toEqual([true, true]);
    expect((await sales.client.SessionsEndOthers()).sessionsEndOthers.endedCount).toBe(0);
  });
});

describe('a password change', () => {
  it('by an admin (on another instance) ends every earlier session of the user', async () => {
    const sales = await signedIn(app);
    const second = await signIn(other, sales.email);
    const { userUpdate } = await other.admin.client.UserUpdate({ input: { id: sales.id, password: 'new-password-1' } });
    expect(userUpdate.userErrors).toEqual([]);
    expect(await works(sales.token)).toEqual([false, false]);
    expect(await works(second)).toEqual([false, false]);
    const fresh = await signIn(app, sales.email, 'new-password-1');
    expect(await works(fresh)).toEqual([true, true]);
    // The admin's own sessions are untouched.
    expect(await works(other.admin.token)).toEqual([true, true]);
  });

  it('racing a sign-in with the old password never leaves a session that outlives the change', async () => {
    const sales = await signedIn(app);
    await app.admin.client.UserUpdate({ input: { id: sales.id, password: 'password-0' } });
    for (let round = 0; round < 20; round++) {
      // Sign-ins that lose the race fail, and enough failures are throttled: either way, no token.
      const tokenFrom = (on: TestApp) =>
        on.anonymous
          .Login({ input: { email: sales.email, password: `password-${round}` } })
          .then(({ login }) => login.token)
          .catch((error: unknown) => {
            if (errorCode(error) !== 'TOO_MANY_REQUESTS') throw error;
            return null;
          });
      const [before, , after] = await Promise.all([
        tokenFrom(app),
        other.admin.client.UserUpdate({ input: { id: sales.id, password: `password-${round + 1}` } }),
        tokenFrom(other),
      ]);
      for (const token of [before, after]) {
        if (token) expect(await works(token), `round ${round}`).toEqual([false, false]);
      }
    }
  });

  it('by the user ends every session of theirs, this one too, and answers with a new token', async () => {
    const sales = await signedIn(app);
    const second = await signIn(other, sales.email);
    const { passwordChange } = await sales.client.PasswordChange({
      input: { currentPassword: PASSWORD, newPassword: 'my-new-password' },
    });
    expect(passwordChange.userErrors).toEqual([]);
    expect(passwordChange.user!.id).toBe(sales.id);
    expect(await works(sales.token)).toEqual([false, false]);
    expect(await works(second)).toEqual([false, false]);
    expect(await works(passwordChange.token!)).toEqual([true, true]);
    const { login } = await app.anonymous.Login({ input: { email: sales.email, password: PASSWORD } });
    expect(login.userErrors.map((e) => e.code)).toEqual(['INVALID_CREDENTIALS']);
    expect(await works(await signIn(other, sales.email, 'my-new-password'))).toEqual([true, true]);
  });

  it('by the user needs the current password; refused, it changes nothing', async () => {
    const sales = await signedIn(app);
    const wrong = await sales.client.PasswordChange({ input: { currentPassword: 'not-my-password', newPassword: 'my-new-password' } });
    expect(wrong.passwordChange.token).toBeNull();
    expect(wrong.passwordChange.userErrors[0]).toMatchObject({ code: 'INVALID_CREDENTIALS', field: ['input', 'currentPassword'] });
    const short = await sales.client.PasswordChange({ input: { currentPassword: PASSWORD, newPassword: 'short' } });
    expect(short.passwordChange.userErrors[0]).toMatchObject({ code: 'VALIDATION_FAILED', field: ['input', 'newPassword'] });
    const same = await sales.client.PasswordChange({ input: { currentPassword: PASSWORD, newPassword: PASSWORD } });
    expect(same.passwordChange.userErrors[0]).toMatchObject({ code: 'VALIDATION_FAILED', field: ['input', 'newPassword'] });
    expect(await works(sales.token)).toEqual([true, true]);
    await signIn(app, sales.email, PASSWORD);
    expect(await topLevelCode(app.anonymous.PasswordChange({ input: { currentPassword: PASSWORD, newPassword: 'my-new-password' } }))).toBe(
      'UNAUTHENTICATED',
    );
  });
});

describe('deactivation', () => {
  it('ends every session for good: after reactivation the old tokens stay ended and a new sign-in works', async () => {
    const sales = await signedIn(app);
    const second = await signIn(other, sales.email);
    await other.admin.client.UserDeactivate({ input: { id: sales.id } });
    expect(await works(sales.token)).toEqual([false, false]);
    const { userReactivate } = await app.admin.client.UserReactivate({ input: { id: sales.id } });
    expect(userReactivate.userErrors).toEqual([]);
    expect(await works(sales.token)).toEqual([false, false]);
    expect(await works(second)).toEqual([false, false]);
    expect(await works(await signIn(app, sales.email))).toEqual([true, true]);
  });

  it('by a handover ends the leaver’s sessions too, for good', async () => {
    const leaver = await signedIn(app);
    const { userHandover } = await app.admin.client.UserHandover({ input: { userId: leaver.id, toPool: true } });
    expect(userHandover.userErrors).toEqual([]);
    await app.admin.client.UserReactivate({ input: { id: leaver.id } });
    expect(await works(leaver.token)).toEqual([false, false]);
  });
});

describe('a role change', () => {
  it('ends every earlier session of the user; other edits (name, manager) do not', async () => {
    const manager = await makeUser(app, { role: 'MANAGER' });
    const sales = await signedIn(app);
    const renamed = await app.admin.client.UserUpdate({ input: { id: sales.id, name: `${sales.name} Renamed`, managerId: manager.id } });
    expect(renamed.userUpdate.userErrors).toEqual([]);
    expect(await works(sales.token)).toEqual([true, true]);
    const promoted = await other.admin.client.UserUpdate({ input: { id: sales.id, role: 'MANAGER' } });
    expect(promoted.userUpdate.userErrors).toEqual([]);
    expect(await works(sales.token)).toEqual([false, false]);
    const { viewer } = await app.client(await signIn(app, sales.email)).Viewer();
    expect(viewer.role).toBe('MANAGER');
  });
});

describe('malformed tokens', () => {
  const key = () => new TextEncoder().encode(app.tokenSecret);

  async function jwt(claims: Record<string, unknown>, build: (j: SignJWT) => SignJWT = (j) => j.setExpirationTime('1h')): Promise<string> {
    return build(new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuer('crm-server').setIssuedAt()).sign(key());
  }

  /** The HTTP status and error code a token gets, from GraphQL and from a plain HTTP route. */
  async function answer(token: string): Promise<{ status: number; code: string | undefined; route: number }> {
    const response = await fetch(app.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ viewer { id } }' }),
    });
    const body = (await response.json()) as { errors?: { extensions?: { code?: string } }[] };
    const route = await fetch(`${app.url}/export/customers.csv?view=MINE`, { headers: { authorization: `Bearer ${token}` } });
    return { status: response.status, code: body.errors?.[0]?.extensions?.code, route: route.status };
  }

  it('is UNAUTHENTICATED (401) without exp, with a bad subject, without or with an unknown or foreign session', async () => {
    const sales = await signedIn(app);
    const colleague = await signedIn(app);
    const userId = sales.user.id;
    const sid = JSON.parse(Buffer.from(sales.token.split('.')[1]!, 'base64url').toString()).sid as string;
    expect(await answer(await jwt({ sub: userId, sid }))).toEqual({ status: 200, code: undefined, route: 200 });
    const cases: Record<string, string> = {
      'no exp': await jwt({ sub: userId, sid }, (j) => j),
      'subject not a number': await jwt({ sub: 'abc', sid }),
      'subject zero': await jwt({ sub: '0', sid }),
      'subject beyond bigint': await jwt({ sub: '99999999999999999999', sid }),
      'subject a number, not a string': await jwt({ sub: Number(userId), sid }),
      'subject of someone else': await jwt({ sub: colleague.user.id, sid }),
      'no subject': await jwt({ sid }),
      'no session': await jwt({ sub: userId }),
      'session not a uuid': await jwt({ sub: userId, sid: "x' OR 1=1 --" }),
      'session a number': await jwt({ sub: userId, sid: 42 }),
      'unknown session': await jwt({ sub: userId, sid: '00000000-0000-4000-8000-000000000000' }),
      expired: await jwt({ sub: userId, sid }, (j) => j.setExpirationTime(Math.floor(Date.now() / 1000) - 60)),
      'print link': await jwt({ sub: userId, scope: 'print', kind: 'CSV', bind: 'x' }),
      'another issuer': await new SignJWT({ sub: userId, sid }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('1h').sign(key()),
      'another key': await new SignJWT({ sub: userId, sid })
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer('crm-server')
        .setExpirationTime('1h')
        .sign(new TextEncoder().encode('x'.repeat(64))),
      'not a jwt': 'definitely-not-a-token',
      'alg none': `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: userId, sid, exp: 9e9, iss: 'crm-server' })).toString('base64url')}.`,
    };
    for (const [name, token] of Object.entries(cases)) {
      expect(await answer(token), name).toEqual({ status: 401, code: 'UNAUTHENTICATED', route: 401 });
    }
  });

  it('lets a client with a malformed token still sign in', async () => {
    const sales = await signedIn(app);
    const client = app.client(await jwt({ sub: 'abc' }));
    const { login } = await client.Login({ input: { email: sales.email, password: PASSWORD } });
    expect(login.token).toBeTruthy();
    expect(errorCode(await client.Viewer().catch((e: unknown) => e))).toBe('UNAUTHENTICATED');
  });
});
