import net from 'node:net';
import {
  buildClientSchema,
  getIntrospectionQuery,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  type GraphQLInputType,
  type IntrospectionQuery,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiKeyCreateInput, ApiKeyFieldsFragment, ApiScope } from '../sdk/index.js';
import { makeCustomer, makeUser, topLevelCode, unique } from './helpers/factories.js';
import { errorOf, getDoc } from './helpers/print-http.js';
import { startTestApp, type TestApp, type TestUser } from './helpers/test-app.js';

// API keys for partner apps: made by their user, listed and revoked by them (an admin: all);
// the secret shown once; a key acts as its user narrowed by its scopes, refused on every instance
// once revoked, expired or its user deactivated; attributed in history and the access log; its own
// rate-limit bucket; its last use written without a write per request.

let app: TestApp;
let other: TestApp;
beforeAll(async () => {
  app = await startTestApp({ env: { API_KEY_LAST_USED_FLUSH_SECONDS: '1' } });
  other = await startTestApp({ sameDatabaseAs: app, env: { API_KEY_LAST_USED_FLUSH_SECONDS: '1' } });
});
afterAll(async () => {
  await other?.close();
  await app?.close();
});

async function createKey(
  owner: TestUser,
  scopes: ApiScope[] = ['READ'],
  extra: Partial<ApiKeyCreateInput> = {},
): Promise<{ key: ApiKeyFieldsFragment; secret: string }> {
  const { apiKeyCreate } = await owner.client.ApiKeyCreate({ input: { name: unique('app'), scopes, ...extra } });
  expect(apiKeyCreate.userErrors).toEqual([]);
  return { key: apiKeyCreate.apiKey!, secret: apiKeyCreate.secret! };
}

/** Whether a bearer value works, asked of both instances. */
async function works(secret: string): Promise<boolean[]> {
  return Promise.all(
    [app, other].map(async (instance) => {
      const code = await topLevelCode(instance.client(secret).Viewer());
      if (code && code !== 'UNAUTHENTICATED') throw new Error(`unexpected ${code}`);
      return code === undefined;
    }),
  );
}

async function sql<T = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> {
  return app.orm.em.fork().getConnection().execute<T[]>(text, params);
}

describe('creating, listing and revoking keys', () => {
  it('shows the secret once; the key works as a bearer token and acts as its user', async () => {
    const sales = await makeUser(app);
    const { key, secret } = await createKey(sales, ['READ']);
    expect(secret).toMatch(/^crm_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
    expect(secret.startsWith(`crm_${key.prefix}_`)).toBe(true);
    expect(key).toMatchObject({ scopes: ['READ'], revokedAt: null, lastUsedAt: null, expiresAt: null, user: { id: sales.id } });
    const { viewer } = await app.client(secret).Viewer();
    expect(viewer.id).toBe(sales.id);
    // Listed without the secret; stored only as a hash.
    const listed = await sales.client.ApiKeys();
    expect(JSON.stringify(listed)).not.toContain(secret.slice(17));
    expect(listed.apiKeys.map((k) => k.id)).toEqual([key.id]);
    const [row] = await sql<{ secret_hash: Buffer }>('SELECT secret_hash FROM api_key WHERE prefix = ?', [key.prefix]);
    expect(row!.secret_hash.length).toBe(32);
    expect(row!.secret_hash.toString('utf8')).not.toContain(secret.slice(17, 30));
  });

  it('lists own keys only to salespeople and managers; an admin lists and revokes everyone’s', async () => {
    const manager = await makeUser(app, { role: 'MANAGER' });
    const sales = await makeUser(app, { manager });
    const colleague = await makeUser(app);
    const own = await createKey(sales);
    const managers = await createKey(manager);
    expect((await sales.client.ApiKeys()).apiKeys.map((k) => k.id)).toEqual([own.key.id]);
    expect((await colleague.client.ApiKeys()).apiKeys).toEqual([]);
    // A manager sees and revokes their own keys only, not those of their reports.
    expect((await manager.client.ApiKeys()).apiKeys.map((k) => k.id)).toEqual([managers.key.id]);
    for (const stranger of [colleague, manager]) {
      const { apiKeyRevoke } = await stranger.client.ApiKeyRevoke({ input: { id: own.key.id } });
      expect(apiKeyRevoke.userErrors.map((e) => e.code)).toEqual(['NOT_FOUND']);
    }
    expect(await works(own.secret)).toEqual([true, true]);
    const all = (await app.admin.client.ApiKeys()).apiKeys;
    expect(all.find((k) => k.id === own.key.id)?.user.id).toBe(sales.id);
    expect(all.find((k) => k.id === managers.key.id)?.user.id).toBe(manager.id);
    const { apiKeyRevoke } = await app.admin.client.ApiKeyRevoke({ input: { id: own.key.id } });
    expect(apiKeyRevoke.userErrors).toEqual([]);
    expect(apiKeyRevoke.apiKey!.revokedAt).not.toBeNull();
    expect(await works(own.secret)).toEqual([false, false]);
  });

  it('a revoked key is UNAUTHENTICATED on every instance at once; revoking twice is refused', async () => {
    const sales = await makeUser(app);
    const { key, secret } = await createKey(sales);
    expect(await works(secret)).toEqual([true, true]);
    const { apiKeyRevoke } = await sales.client.ApiKeyRevoke({ input: { id: key.id } });
    expect(apiKeyRevoke.userErrors).toEqual([]);
    expect(await works(secret)).toEqual([false, false]);
    const again = await sales.client.ApiKeyRevoke({ input: { id: key.id } });
    expect(again.apiKeyRevoke.userErrors.map((e) => e.code)).toEqual(['INVALID_TRANSITION']);
  });

  it('an expired key and the key of a deactivated user are UNAUTHENTICATED', async () => {
    const sales = await makeUser(app);
    const expiring = await createKey(sales, ['READ'], { expiresAt: new Date(Date.now() + 3600_000).toISOString() });
    expect(expiring.key.expiresAt).not.toBeNull();
    expect(await works(expiring.secret)).toEqual([true, true]);
    await sql(`UPDATE api_key SET expires_at = now() - interval '1 second' WHERE prefix = ?`, [expiring.key.prefix]);
    expect(await works(expiring.secret)).toEqual([false, false]);

    const leaving = await makeUser(app);
    const { secret } = await createKey(leaving);
    expect(await works(secret)).toEqual([true, true]);
    const { userDeactivate } = await app.admin.client.UserDeactivate({ input: { id: leaving.id } });
    expect(userDeactivate.userErrors).toEqual([]);
    expect(await works(secret)).toEqual([false, false]);
  });

  it('refuses a key without a name, without scopes, expiring in the past, or with ADMIN for a non-admin', async () => {
    const sales = await makeUser(app);
    const bad: [Partial<ApiKeyCreateInput>, string][] = [
      [{ name: '   ' }, 'name'],
      [{ scopes: [] }, 'scopes'],
      [{ expiresAt: new Date(Date.now() - 1000).toISOString() }, 'expiresAt'],
      [{ scopes: ['READ', 'ADMIN'] }, 'scopes'],
      [{ rateLimit: { points: 1_000_000, restorePerSecond: 1 } }, 'rateLimit'],
      [{ rateLimit: { points: 0, restorePerSecond: 1 } }, 'rateLimit'],
    ];
    for (const [input, field] of bad) {
      const { apiKeyCreate } = await sales.client.ApiKeyCreate({ input: { name: 'partner', scopes: ['READ'], ...input } });
      expect(apiKeyCreate.userErrors.map((e) => [e.code, e.field?.at(-1)])).toEqual([['VALIDATION_FAILED', field]]);
      expect(apiKeyCreate.secret).toBeNull();
    }
    expect((await sales.client.ApiKeys()).apiKeys).toEqual([]);
    // An admin may give a key ADMIN and a limit above the default.
    const { key } = await createKey(app.admin, ['READ', 'ADMIN'], { rateLimit: { points: 1_000_000, restorePerSecond: 5000 } });
    expect(key.rateLimit).toEqual({ points: 1_000_000, restorePerSecond: 5000 });
  });

  it('malformed keys are UNAUTHENTICATED, never a 500', async () => {
    const sales = await makeUser(app);
    const { secret } = await createKey(sales);
    const malformed = [
      `crx_${secret.slice(4)}`,
      secret.slice(0, -1),
      `${secret}x`,
      `crm_${'0'.repeat(12)}_${secret.slice(-43)}`,
      `crm_${secret.slice(4, 16).toUpperCase()}_${secret.slice(-43)}`,
      'crm_',
      'crm___',
      `crm_${'a'.repeat(8000)}`,
    ];
    for (const value of malformed) {
      expect(await topLevelCode(app.client(value).Viewer()), value.slice(0, 40)).toBe('UNAUTHENTICATED');
    }
    // A NUL byte in the header: refused by the HTTP parser (400) or as UNAUTHENTICATED, never a 500.
    const status = await rawStatus(`Bearer ${secret.slice(0, 20)}\u0000${secret.slice(21)}`);
    expect([400, 401]).toContain(status);
  });
});

/** The status of a GraphQL request sent byte for byte (clients refuse to send a NUL byte). */
function rawStatus(authorization: string): Promise<number> {
  const { hostname, port } = new URL(app.url);
  const body = JSON.stringify({ query: '{ viewer { id } }' });
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => {
      socket.write(
        `POST /graphql HTTP/1.1\r\nHost: ${hostname}\r\nContent-Type: application/json\r\nAuthorization: ${authorization}\r\n` +
          `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
        'latin1',
      );
    });
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString('latin1')));
    socket.on('end', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0)));
    socket.on('error', reject);
  });
}

// A value of an input type good enough for GraphQL to accept the arguments (the scope check comes
// before the resolver, which would validate them).
function sample(type: GraphQLInputType): unknown {
  if (isNonNullType(type)) return sample(type.ofType);
  if (isListType(type)) return [sample(type.ofType)];
  if (isEnumType(type)) return type.getValues()[0]!.value;
  if (isInputObjectType(type)) {
    const fields = Object.values(type.getFields()).filter((f) => isNonNullType(f.type));
    return Object.fromEntries(fields.map((f) => [f.name, sample(f.type)]));
  }
  if (isScalarType(type)) {
    switch (type.name) {
      case 'Int':
      case 'Float':
        return 1;
      case 'Boolean':
        return false;
      case 'DateTime':
        return new Date(Date.now() + 86400_000).toISOString();
      case 'Date':
        return '2030-01-01';
      case 'Decimal':
        return '1.00';
      default:
        return 'x';
    }
  }
  throw new Error(`no sample for ${String(getNamedType(type))}`);
}

async function post(token: string, query: string, variables: Record<string, unknown> = {}) {
  const res = await fetch(app.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, body: (await res.json()) as { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] } };
}

/** Rows in the tables a mutation could change. */
async function footprint(): Promise<string> {
  const tables = ['api_key', 'app_user', 'customer', 'customer_share', 'ownership_event', 'contact', 'interaction', 'quote', 'contract', 'receivable', 'receipt', 'notification', 'user_session', 'app_setting'];
  const [row] = await sql(`SELECT ${tables.map((t) => `(SELECT count(*) FROM ${t})::text AS ${t}`).join(', ')},
    (SELECT max(updated_at)::text FROM customer) AS customer_updated, (SELECT max(updated_at)::text FROM app_user) AS user_updated`);
  return JSON.stringify(row);
}

describe('scopes', () => {
  it('a READ key is FORBIDDEN every mutation of the schema, naming what it lacks, and changes nothing', async () => {
    const introspection = await post(app.admin.token, getIntrospectionQuery());
    const schema = buildClientSchema(introspection.body.data as IntrospectionQuery);
    const mutations = Object.values(schema.getMutationType()!.getFields());
    expect(mutations.length).toBeGreaterThan(40);
    const { secret } = await createKey(app.admin, ['READ']);
    const before = await footprint();
    for (const field of mutations) {
      const args = field.args.filter((a) => isNonNullType(a.type));
      const defs = args.map((a) => `$${a.name}: ${String(a.type)}`).join(', ');
      const call = args.map((a) => `${a.name}: $${a.name}`).join(', ');
      const query = `mutation${defs ? `(${defs})` : ''} { ${field.name}${call ? `(${call})` : ''} { __typename } }`;
      const variables = Object.fromEntries(args.map((a) => [a.name, sample(a.type)]));
      const { body } = await post(secret, query, variables);
      expect(body.errors?.map((e) => e.extensions?.code), `${field.name}: ${JSON.stringify(body.errors)}`).toEqual(['FORBIDDEN']);
      expect(body.errors![0]!.message).toMatch(/scope|API key cannot/);
    }
    expect(await footprint()).toBe(before);
  });

  it('each scope allows its mutations and no others; a key never does more than its user', async () => {
    const sales = await makeUser(app);
    const write = await createKey(sales, ['READ', 'WRITE']);
    const pool = await createKey(sales, ['READ', 'POOL']);
    const writer = app.client(write.secret);
    const pooler = app.client(pool.secret);

    const { customerCreate } = await writer.CustomerCreate({ input: { name: unique('客户'), phone: '13800138000' } });
    expect(customerCreate.userErrors).toEqual([]);
    const id = customerCreate.customer!.id;
    expect(await topLevelCode(writer.CustomersClaim({ input: { customerIds: [id] } }))).toBe('FORBIDDEN');
    expect(await topLevelCode(pooler.CustomerUpdate({ input: { id, notes: 'x' } }))).toBe('FORBIDDEN');
    const { customersClaim } = await pooler.CustomersClaim({ input: { customerIds: [id] } });
    expect(customersClaim.results[0]!.userErrors).toEqual([]);
    const { customerUpdate } = await writer.CustomerUpdate({ input: { id, notes: 'from the partner app' } });
    expect(customerUpdate.userErrors).toEqual([]);

    // A WRITE-only key cannot read.
    const writeOnly = await createKey(sales, ['WRITE']);
    expect(await topLevelCode(app.client(writeOnly.secret).Viewer())).toBe('FORBIDDEN');

    // Keys, passwords and sessions are the person's own business.
    const all = app.client((await createKey(app.admin, ['READ', 'WRITE', 'POOL', 'ADMIN'])).secret);
    expect(await topLevelCode(all.ApiKeyCreate({ input: { name: 'more', scopes: ['READ'] } }))).toBe('FORBIDDEN');
    expect(await topLevelCode(all.ApiKeyRevoke({ input: { id: write.key.id } }))).toBe('FORBIDDEN');
    expect(await topLevelCode(all.PasswordChange({ input: { currentPassword: 'admin-password', newPassword: 'new-password-1' } }))).toBe('FORBIDDEN');
    expect(await topLevelCode(all.Logout())).toBe('FORBIDDEN');
    // ADMIN with an admin's key: user management works.
    const { userCreate } = await all.UserCreate({
      input: { name: unique('viaKey'), email: `${unique('viakey')}@test.local`, password: 'password-123', role: 'SALES' },
    });
    expect(userCreate.userErrors).toEqual([]);
    // A salesperson's POOL key still may not do what the salesperson may not (reclaim).
    const owner = await makeUser(app);
    const owned = await makeCustomer(app, { owner });
    const { customersReclaim } = await pooler.CustomersReclaim({ input: { customerIds: [owned.id] } });
    expect(customersReclaim.results[0]!.userErrors[0]?.code).toMatch(/FORBIDDEN|NOT_FOUND/);
  });

  it('the plain HTTP routes need READ to read', async () => {
    const sales = await makeUser(app);
    const customer = await makeCustomer(app, { owner: sales });
    const writeOnly = await createKey(sales, ['WRITE']);
    const refused = await getDoc(app, `/print/customers/${customer.id}`, writeOnly.secret);
    expect(refused.status).toBe(403);
    expect(errorOf(refused).code).toBe('FORBIDDEN');
    const reader = await createKey(sales, ['READ']);
    expect((await getDoc(app, `/print/customers/${customer.id}`, reader.secret)).status).toBe(200);
  });
});

describe('attribution', () => {
  it('history events and the document access log name the key; in person they name none', async () => {
    const sales = await makeUser(app);
    const { key, secret } = await createKey(sales, ['READ', 'WRITE', 'POOL']);
    const partner = app.client(secret);
    const { customerCreate } = await partner.CustomerCreate({ input: { name: unique('客户'), phone: '13800138000', claim: true } });
    expect(customerCreate.userErrors).toEqual([]);
    const id = customerCreate.customer!.id;
    const { customersReturn } = await sales.client.CustomersReturn({ input: { customerIds: [id], reason: 'in person' } });
    expect(customersReturn.results[0]!.userErrors).toEqual([]);
    const { customersClaim } = await partner.CustomersClaim({ input: { customerIds: [id] } });
    expect(customersClaim.results[0]!.userErrors).toEqual([]);
    const { customer } = await sales.client.CustomerHistoryKeys({ id });
    const events = customer!.history.nodes.map((e) => [e.action, e.actor?.id, e.apiKey?.name ?? null]);
    expect(events).toEqual(
      expect.arrayContaining([
        ['CREATE', sales.id, key.name],
        ['RETURN', sales.id, null],
        ['CLAIM', sales.id, key.name],
      ]),
    );

    expect((await getDoc(app, `/print/customers/${id}`, secret)).status).toBe(200);
    expect((await getDoc(app, `/print/customers/${id}`, sales.token)).status).toBe(200);
    const { documentAccessLog } = await app.admin.client.DocumentAccessKeys({ first: 2 });
    expect(documentAccessLog.nodes.map((n) => [n.kind, n.via, n.apiKey?.id ?? null])).toEqual([
      ['PRINT_CUSTOMER', 'TOKEN', null],
      ['PRINT_CUSTOMER', 'TOKEN', key.id],
    ]);
  });
});

describe('lastUsedAt', () => {
  it('is kept in memory and written in one statement per interval, and when the server stops', async () => {
    const sales = await makeUser(app);
    const { key, secret } = await createKey(sales);
    const lastUsed = async () =>
      (await sql<{ at: Date | null }>('SELECT last_used_at AS at FROM api_key WHERE prefix = ?', [key.prefix]))[0]!.at;
    await app.client(secret).Viewer();
    // The request itself wrote nothing: one statement loads the viewer with the key.
    expect(await lastUsed()).toBeNull();
    await new Promise((r) => setTimeout(r, 1600));
    expect(await lastUsed()).not.toBeNull();
    expect((await sales.client.ApiKeys()).apiKeys[0]!.lastUsedAt).not.toBeNull();

    // Uses of the print and export routes count too.
    const printer = await createKey(sales);
    const customer = await makeCustomer(app, { owner: sales });
    expect((await getDoc(app, `/print/customers/${customer.id}`, printer.secret)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1600));
    const [printed] = await sql<{ at: Date | null }>('SELECT last_used_at AS at FROM api_key WHERE prefix = ?', [printer.key.prefix]);
    expect(printed!.at).not.toBeNull();

    // An instance that stops writes what it remembers.
    const third = await startTestApp({ sameDatabaseAs: app, env: { API_KEY_LAST_USED_FLUSH_SECONDS: '3600' } });
    const fresh = await createKey(sales);
    await third.client(fresh.secret).Viewer();
    const freshUsed = async () =>
      (await sql<{ at: Date | null }>('SELECT last_used_at AS at FROM api_key WHERE prefix = ?', [fresh.key.prefix]))[0]!.at;
    expect(await freshUsed()).toBeNull();
    await third.close();
    expect(await freshUsed()).not.toBeNull();
  });
});

describe('rate limits', () => {
  it('a key draws on its own bucket: throttled there while its user goes on', async () => {
    const sales = await makeUser(app);
    const { secret } = await createKey(sales, ['READ'], { rateLimit: { points: 10, restorePerSecond: 0.01 } });
    let answer: Awaited<ReturnType<typeof post>> | undefined;
    for (let i = 0; i < 30; i++) {
      answer = await post(secret, '{ viewer { id } }');
      if (answer.status !== 200) break;
    }
    expect(answer!.status).toBe(429);
    expect(answer!.body.errors?.[0]?.extensions?.code).toBe('THROTTLED');
    // The user's own bucket is untouched.
    const { viewer } = await sales.client.Viewer();
    expect(viewer.id).toBe(sales.id);
    const [bucket] = await sql<{ key: string }>('SELECT key FROM cost_bucket WHERE key LIKE ?', ['key:%']);
    expect(bucket?.key).toMatch(/^key:\d+$/);
  });

  it('without its own limit a key has RATE_LIMIT_API_KEY', async () => {
    const sales = await makeUser(app);
    const { secret } = await createKey(sales);
    const { body } = await post(secret, '{ viewer { id } }');
    const cost = (body as { extensions?: { cost?: { throttleStatus?: { maximumAvailable: number; restoreRate: number } } } }).extensions?.cost;
    expect(cost?.throttleStatus).toMatchObject({ maximumAvailable: 20000, restoreRate: 1000 });
  });
});

