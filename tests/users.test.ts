import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeUser, topLevelCode, unique } from './helpers/factories.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

describe('login', () => {
  it('returns a token that works, and the viewer', async () => {
    const sales = await makeUser(app);
    const { login } = await app.anonymous.Login({
      input: { email: `${sales.name.toUpperCase()}@TEST.LOCAL`, password: 'password-123' },
    });
    expect(login.userErrors).toEqual([]);
    expect(login.user!.name).toBe(sales.name);
    const { viewer } = await app.client(login.token!).Viewer();
    expect(viewer.id).toBe(sales.id);
  });

  it('refuses a wrong password and an unknown email the same way', async () => {
    const sales = await makeUser(app);
    const wrong = await app.anonymous.Login({ input: { email: `${sales.name}@test.local`, password: 'nope-nope' } });
    const unknown = await app.anonymous.Login({ input: { email: 'nobody@test.local', password: 'password-123' } });
    for (const { login } of [wrong, unknown]) {
      expect(login.token).toBeNull();
      expect(login.userErrors.map((e) => e.code)).toEqual(['INVALID_CREDENTIALS']);
    }
  });

  it('refuses a deactivated user, and their existing token stops working', async () => {
    const sales = await makeUser(app, { deactivated: true });
    const { login } = await app.anonymous.Login({ input: { email: `${sales.name}@test.local`, password: 'password-123' } });
    expect(login.userErrors.map((e) => e.code)).toEqual(['ACCOUNT_DEACTIVATED']);
    expect(await topLevelCode(sales.client.Viewer())).toBe('UNAUTHENTICATED');
  });

  it('requires a token for everything but login, and rejects a forged one', async () => {
    expect(await topLevelCode(app.anonymous.Viewer())).toBe('UNAUTHENTICATED');
    expect(await topLevelCode(app.anonymous.Customers({ view: 'POOL' }))).toBe('UNAUTHENTICATED');
    expect(await topLevelCode(app.anonymous.CustomersClaim({ input: { customerIds: ['x'] } }))).toBe('UNAUTHENTICATED');
    const forged = app.client('eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl');
    expect(await topLevelCode(forged.Viewer())).toBe('UNAUTHENTICATED');
  });

  it('lets a client with a stale or placeholder token still sign in (GraphiQL keeps headers)', async () => {
    const sales = await makeUser(app);
    const stale = app.client('<paste the token from login>');
    const { login } = await stale.Login({ input: { email: `${sales.name}@test.local`, password: 'password-123' } });
    expect(login.token).toBeTruthy();
    expect(await topLevelCode(stale.Viewer())).toBe('UNAUTHENTICATED');
  });
});

describe('user administration', () => {
  it('is for admins only: managers and sales get FORBIDDEN and nothing changes', async () => {
    const manager = await makeUser(app, { role: 'MANAGER' });
    const sales = await makeUser(app, { manager });
    for (const actor of [manager, sales]) {
      const email = `${unique('x')}@test.local`;
      expect(
        await topLevelCode(actor.client.UserCreate({ input: { name: 'X', email, password: 'password-123', role: 'SALES' } })),
      ).toBe('FORBIDDEN');
      expect(await topLevelCode(actor.client.UserUpdate({ input: { id: sales.id, role: 'ADMIN' } }))).toBe('FORBIDDEN');
      expect(await topLevelCode(actor.client.UserDeactivate({ input: { id: sales.id } }))).toBe('FORBIDDEN');
      const { users } = await app.admin.client.Users({ first: 100 });
      expect(users.nodes.some((u) => u.email === email)).toBe(false);
    }
    const { user } = await app.admin.client.User({ id: sales.id });
    expect(user).toMatchObject({ role: 'SALES', active: true });
  });

  it('validates input: email format and uniqueness, password length, manager role', async () => {
    const sales = await makeUser(app);
    const cases = [
      { email: 'not-an-email', password: 'password-123', field: 'email' },
      { email: `${sales.name}@test.local`, password: 'password-123', field: 'email' },
      { email: `${unique('p')}@test.local`, password: 'short', field: 'password' },
    ];
    for (const c of cases) {
      const { userCreate } = await app.admin.client.UserCreate({
        input: { name: 'Someone', email: c.email, password: c.password, role: 'SALES' },
      });
      expect(userCreate.user).toBeNull();
      expect(userCreate.userErrors[0]).toMatchObject({ code: 'VALIDATION_FAILED', field: ['input', c.field] });
    }
    const { userCreate } = await app.admin.client.UserCreate({
      input: { name: 'Someone', email: `${unique('m')}@test.local`, password: 'password-123', role: 'SALES', managerId: sales.id },
    });
    expect(userCreate.userErrors[0]).toMatchObject({ code: 'VALIDATION_FAILED', field: ['input', 'managerId'] });
  });

  it('keeps the manager tree free of cycles', async () => {
    const top = await makeUser(app, { role: 'MANAGER' });
    const middle = await makeUser(app, { role: 'MANAGER', manager: top });
    const bottom = await makeUser(app, { role: 'MANAGER', manager: middle });
    for (const managerId of [bottom.id, middle.id, top.id]) {
      const { userUpdate } = await app.admin.client.UserUpdate({ input: { id: top.id, managerId } });
      expect(userUpdate.userErrors[0]?.code).toBe('VALIDATION_FAILED');
    }
    const { user } = await app.admin.client.User({ id: top.id });
    expect(user!.manager).toBeNull();
    expect(user!.reports.map((r) => r.id)).toEqual([middle.id]);
  });

  it('changes role and manager, and refuses to demote someone who still manages others', async () => {
    const manager = await makeUser(app, { role: 'MANAGER' });
    const other = await makeUser(app, { role: 'MANAGER' });
    const sales = await makeUser(app, { manager });
    const demote = await app.admin.client.UserUpdate({ input: { id: manager.id, role: 'SALES' } });
    expect(demote.userUpdate.userErrors[0]).toMatchObject({ code: 'VALIDATION_FAILED', field: ['input', 'role'] });
    const move = await app.admin.client.UserUpdate({ input: { id: sales.id, managerId: other.id } });
    expect(move.userUpdate.user!.manager!.id).toBe(other.id);
    const demoted = await app.admin.client.UserUpdate({ input: { id: manager.id, role: 'SALES' } });
    expect(demoted.userUpdate.user!.role).toBe('SALES');
    const top = await app.admin.client.UserUpdate({ input: { id: sales.id, clearManager: true } });
    expect(top.userUpdate.user!.manager).toBeNull();
  });

  it('honours expectedVersion', async () => {
    const sales = await makeUser(app);
    const { user } = await app.admin.client.User({ id: sales.id });
    const ok = await app.admin.client.UserUpdate({ input: { id: sales.id, expectedVersion: user!.version, name: 'Renamed' } });
    expect(ok.userUpdate.userErrors).toEqual([]);
    const stale = await app.admin.client.UserUpdate({ input: { id: sales.id, expectedVersion: user!.version, name: 'Again' } });
    expect(stale.userUpdate.userErrors[0]?.code).toBe('STALE_VERSION');
    expect((await app.admin.client.User({ id: sales.id })).user!.name).toBe('Renamed');
  });

  it('lets an admin reset a password, deactivate and reactivate, but never deactivate themselves', async () => {
    const sales = await makeUser(app);
    await app.admin.client.UserUpdate({ input: { id: sales.id, password: 'new-password-1' } });
    const { login } = await app.anonymous.Login({ input: { email: `${sales.name}@test.local`, password: 'new-password-1' } });
    expect(login.userErrors).toEqual([]);
    const self = await app.admin.client.UserDeactivate({ input: { id: app.admin.id } });
    expect(self.userDeactivate.userErrors[0]?.code).toBe('VALIDATION_FAILED');
    const signedIn = app.client(login.token!);
    await app.admin.client.UserDeactivate({ input: { id: sales.id } });
    expect(await topLevelCode(signedIn.Viewer())).toBe('UNAUTHENTICATED');
    await app.admin.client.UserReactivate({ input: { id: sales.id } });
    // Deactivation ended the sessions for good (sessions.test.ts): the user signs in again.
    expect(await topLevelCode(signedIn.Viewer())).toBe('UNAUTHENTICATED');
    const again = await app.anonymous.Login({ input: { email: `${sales.name}@test.local`, password: 'new-password-1' } });
    expect((await app.client(again.login.token!).Viewer()).viewer.active).toBe(true);
  });

  it('lists users with paging and filters', async () => {
    await makeUser(app, { deactivated: true });
    const { users } = await app.admin.client.Users({ first: 2 });
    expect(users.nodes).toHaveLength(2);
    expect(users.totalCount).toBeGreaterThan(2);
    expect(users.pageInfo.hasNextPage).toBe(true);
    const next = await app.admin.client.Users({ first: 2, after: users.pageInfo.endCursor });
    expect(next.users.nodes[0]!.id).not.toBe(users.nodes[1]!.id);
    const inactive = await app.admin.client.Users({ first: 100, active: false });
    expect(inactive.users.nodes.every((u) => !u.active)).toBe(true);
    expect(inactive.users.nodes.length).toBeGreaterThan(0);
  });
});
