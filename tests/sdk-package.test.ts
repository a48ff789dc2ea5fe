import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CrmError, ServerBusyError, ThrottledError, UnauthenticatedError, createClient, errorCode, isCrmError } from '../sdk/index.js';
import { makeCustomer, makeUser } from './helpers/factories.js';
import { packSdk, repoRoot, run, type PackedSdk } from './helpers/sdk-pack.js';
import { startTestApp, type TestApp, type TestUser } from './helpers/test-app.js';

// The SDK as a partner gets it: `npm pack` in sdk/, installed with npm into a new project, used
// from plain JavaScript (ESM and CommonJS) and from type-checked TypeScript against a running server:
// sign in (with an API key from JavaScript, with a password from TypeScript), list the pool, claim, read extensions.cost, and typed UNAUTHENTICATED and THROTTLED errors.

const tsc = path.join(repoRoot, 'node_modules/typescript/bin/tsc');
const tsx = path.join(repoRoot, 'node_modules/tsx/dist/loader.mjs');

const partnerJs = `
import { createClient, isCrmError, UnauthenticatedError } from '@crm/sdk';

// A partner app signs in with the API key its user made for it (as Authorization: Bearer).
const [url, apiKey] = process.argv.slice(2);
const crm = createClient({ url, token: apiKey });
const pool = await crm.withExtensions.Customers({ view: 'POOL', first: 10, orderBy: [{ field: 'NAME', direction: 'ASC' }] });
const target = pool.data.customers.edges[0].node;
const { customersClaim } = await crm.CustomersClaim({ input: { customerIds: [target.id] } });
const mine = await crm.Customers({ view: 'MINE', first: 10 });

let refusal;
try {
  await createClient({ url, token: 'not-a-token' }).Viewer();
} catch (error) {
  refusal = { name: error.name, code: error.code, status: error.status, typed: error instanceof UnauthenticatedError, is: isCrmError(error, 'UNAUTHENTICATED') };
}
let throttled;
try {
  await crm.CustomersOverview({ view: 'POOL', first: 100 }); // more points than this key's bucket holds
} catch (error) {
  throttled = { name: error.name, code: error.code, status: error.status, retryAfter: typeof error.retryAfter, cost: Object.keys(error.extensions?.cost ?? {}).sort() };
}
console.log(JSON.stringify({
  poolTotal: pool.data.customers.totalCount,
  poolExtensions: pool.extensions ?? null,
  lastExtensions: crm.lastExtensions ?? null,
  claimed: target.name,
  claimErrors: customersClaim.results[0].userErrors,
  claimedStatus: customersClaim.results[0].customer.status,
  mine: mine.customers.edges.map((e) => e.node.name),
  refusal,
  throttled,
}));
`;

const partnerCjs = `
const { createClient, CrmError } = require('@crm/sdk');
createClient({ url: process.argv[2], token: 'not-a-token' }).Viewer().then(
  () => console.log(JSON.stringify({ answered: true })),
  (error) => console.log(JSON.stringify({ crmError: error instanceof CrmError, code: error.code, status: error.status })),
);
`;

const partnerTs = `
import { createClient, CrmError, type CrmErrorCode, type CustomersQuery, type ResponseExtensions, type WithExtensions } from '@crm/sdk';

/** What a partner app does with each refusal: the switch covers codes, narrowing the class. */
function advice(error: unknown): string {
  if (!(error instanceof CrmError)) throw error;
  const code: CrmErrorCode = error.code;
  switch (code) {
    case 'UNAUTHENTICATED':
      return 'sign in again';
    case 'THROTTLED':
    case 'SERVER_BUSY':
      return \`retry in \${error.retryAfter ?? 1} s\`;
    default:
      return code;
  }
}

// (no @types/node here: the SDK's declarations need only the DOM library's fetch types)
declare const process: { argv: string[] };
const [url, email, password] = process.argv.slice(2) as [string, string, string];
const crm = createClient({ url });
const token: string = await crm.signIn(email, password);
const page: WithExtensions<CustomersQuery> = await crm.withExtensions.Customers({ view: 'POOL', first: 5 });
const extensions: ResponseExtensions | undefined = page.extensions;
const requested: number | undefined = extensions?.cost?.requestedQueryCost;
const first = page.data.customers.edges[0]!.node;
const { customersClaim } = await crm.CustomersClaim({ input: { customerIds: [first.id] } });
const outcome = customersClaim.results[0]!;
const refusal = await createClient({ url, token: 'not-a-token' })
  .Viewer()
  .then(() => 'answered', advice);
const throttled = await crm.CustomersOverview({ view: 'POOL', first: 100 }).then(() => 'answered', advice);
console.log(JSON.stringify({ signedIn: token.length > 0, claimed: first.name, claimErrors: outcome.userErrors.map((e) => e.code), requested: requested ?? null, refusal, throttled }));
`;

// Each line is a mistake the types must catch (the test checks the lines tsc reports).
const partnerTsWrong = `
import { createClient, type CrmErrorCode } from '@crm/sdk';

const crm = createClient({ url: 'http://localhost:4000/graphql' });
const code: CrmErrorCode = 'NOT_A_CODE';
await crm.Customers({ view: 'EVERYWHERE' });
const name: number = (await crm.Viewer()).viewer.name;
export { code, name };
`;

describe('the SDK as an installable package', () => {
  let app: TestApp;
  let partner: TestUser;
  let apiKey: string;
  let project: string;
  let tarball: string;
  let packed: PackedSdk;
  let packTiming: string;

  beforeAll(async () => {
    // Small buckets for salespeople and keys, so that one large page is THROTTLED.
    app = await startTestApp({ env: { RATE_LIMIT_SALES: '2000/100', RATE_LIMIT_API_KEY: '2000/100' } });
    partner = await makeUser(app, { role: 'SALES' });
    const { apiKeyCreate } = await partner.client.ApiKeyCreate({ input: { name: 'Partner app', scopes: ['READ', 'WRITE', 'POOL'] } });
    expect(apiKeyCreate.userErrors).toEqual([]);
    apiKey = apiKeyCreate.secret!;
    expect(apiKey).toMatch(/^crm_/);
    for (const name of ['A partner pool', 'B partner pool', 'C partner pool']) await makeCustomer(app, { name });
    const started = Date.now();
    packed = await packSdk();
    tarball = packed.tarball;
    packTiming = `${packed.cached ? 'cached' : 'built'} in ${Date.now() - started} ms`;
    project = mkdtempSync(path.join(os.tmpdir(), 'crm-partner-'));
    writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'partner-app', private: true, type: 'module' }));
    await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball], { cwd: project });
    writeFileSync(path.join(project, 'partner.mjs'), partnerJs);
    writeFileSync(path.join(project, 'partner.cjs'), partnerCjs);
    writeFileSync(path.join(project, 'partner.ts'), partnerTs);
    writeFileSync(path.join(project, 'wrong.ts'), partnerTsWrong);
    writeFileSync(
      path.join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { target: 'ES2022', lib: ['ES2023', 'DOM'], module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, types: [] },
        files: ['partner.ts', 'wrong.ts'],
      }),
    );
  });
  afterAll(async () => {
    await app?.close();
    if (project) rmSync(project, { recursive: true, force: true });
  });

  const email = () => partner.user.email;

  it('packs to a tarball with ES modules, CommonJS and declarations, and nothing else', async () => {
    const { stdout } = await run('tar', ['-tzf', tarball]);
    const files = stdout.split('\n').filter(Boolean).sort();
    expect(files).toContain('package/dist/esm/index.js');
    expect(files).toContain('package/dist/esm/index.d.ts');
    expect(files).toContain('package/dist/cjs/index.js');
    expect(files).toContain('package/operations/headline.graphql');
    expect(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
    const installed = JSON.parse(readFileSync(path.join(project, 'node_modules/@crm/sdk/package.json'), 'utf8')) as { version: string };
    expect(installed.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(statSync(tarball).size).toBe(packed.size);
    console.info(`sdk tarball: ${packed.size} bytes packed, ${packed.unpackedSize} unpacked (${packTiming})`);
  });

  it('works from plain JavaScript: signs in, lists the pool, claims, reads extensions, gets typed errors', async () => {
    const { stdout } = await run(process.execPath, ['partner.mjs', app.graphqlUrl, apiKey], { cwd: project });
    const result = JSON.parse(stdout) as Record<string, unknown>;
    // The extensions are those the server sends (their names; the numbers differ per query).
    const raw = keysOf(await rawExtensions(app, partner.token));
    expect({ ...result, poolExtensions: keysOf(result.poolExtensions), lastExtensions: keysOf(result.lastExtensions) }).toEqual({
      poolTotal: 3,
      poolExtensions: raw,
      lastExtensions: raw,
      claimed: 'A partner pool',
      claimErrors: [],
      claimedStatus: 'OWNED',
      mine: ['A partner pool'],
      refusal: { name: 'UnauthenticatedError', code: 'UNAUTHENTICATED', status: expect.any(Number), typed: true, is: true },
      throttled: {
        name: 'ThrottledError',
        code: 'THROTTLED',
        status: 429,
        retryAfter: 'number',
        cost: ['actualQueryCost', 'requestedQueryCost', 'throttleStatus'],
      },
    });
  });

  it('works from CommonJS too', async () => {
    const { stdout } = await run(process.execPath, ['partner.cjs', app.graphqlUrl], { cwd: project });
    expect(JSON.parse(stdout)).toEqual({ crmError: true, code: 'UNAUTHENTICATED', status: expect.any(Number) });
  });

  it('type-checks a TypeScript partner app, reports its type errors, and runs it', async () => {
    const check = await run(process.execPath, [tsc, '-p', '.'], { cwd: project }).then(
      () => ({ stdout: '' }),
      (error: { stdout: string }) => ({ stdout: error.stdout }),
    );
    const reported = check.stdout.split('\n').filter((line) => /error TS\d+/.test(line));
    // Only the deliberate mistakes, each on its own line of wrong.ts; partner.ts is clean.
    expect(reported.map((line) => line.replace(/^(\S+)\((\d+),\d+\).*$/, '$1:$2'))).toEqual(['wrong.ts:5', 'wrong.ts:6', 'wrong.ts:7']);
    expect(reported.join('\n')).toContain(`'"NOT_A_CODE"' is not assignable to type 'CrmErrorCode'`);
    expect(reported.join('\n')).toContain(`'"EVERYWHERE"' is not assignable`);

    const { stdout } = await run(process.execPath, ['--import', tsx, 'partner.ts', app.graphqlUrl, email(), 'password-123'], { cwd: project });
    expect(JSON.parse(stdout)).toEqual({
      signedIn: true,
      claimed: expect.any(String),
      claimErrors: [],
      requested: expect.any(Number),
      refusal: 'sign in again',
      throttled: expect.stringMatching(/^retry in \d+ s$/),
    });
  });
});

function keysOf(value: unknown): string[] | null {
  return value && typeof value === 'object' ? Object.keys(value).sort() : null;
}

/** The top-level extensions the server itself sends for the pool list (none, or e.g. `cost`). */
async function rawExtensions(app: TestApp, token: string): Promise<unknown> {
  const response = await fetch(app.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: '{ customers(view: POOL, first: 10) { totalCount } }' }),
  });
  return ((await response.json()) as { extensions?: unknown }).extensions ?? null;
}

describe('the SDK client (from source)', () => {
  // A server that answers every request with the extensions named in its query string, so that
  // what each call reports can be told apart; and refusals as the API sends them.
  const answering =
    (respond: (url: URL) => Response): typeof fetch =>
    async (input) =>
      respond(new URL(input instanceof Request ? input.url : String(input)));
  const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

  it('gives each call its own extensions, and the latest response’s on the client', async () => {
    let n = 0;
    const crm = createClient({
      url: 'http://crm.test/graphql',
      fetch: answering(() => {
        const mark = ++n;
        return json({ data: { viewer: null }, extensions: { mark, cost: { requestedQueryCost: mark } } });
      }),
    });
    const [a, b] = await Promise.all([crm.withExtensions.Viewer(), crm.withExtensions.Viewer()]);
    expect([a.extensions?.mark, b.extensions?.mark].sort()).toEqual([1, 2]);
    expect(a.extensions?.cost?.requestedQueryCost).toBe(a.extensions?.mark);
    await crm.Viewer();
    expect(crm.lastExtensions).toEqual({ mark: 3, cost: { requestedQueryCost: 3 } });
  });

  it('throws typed errors: THROTTLED with Retry-After and extensions, SERVER_BUSY, by code or by status', async () => {
    const refusing = (status: number, body: unknown, headers: Record<string, string> = {}) =>
      createClient({ url: 'http://crm.test/graphql', fetch: answering(() => json(body, status, headers)) });

    const throttled = await refusing(
      429,
      { errors: [{ message: 'Over the limit', extensions: { code: 'THROTTLED' } }], extensions: { cost: { requestedQueryCost: 50 } } },
      { 'retry-after': '7', 'x-request-id': 'req-1' },
    )
      .Viewer()
      .catch((e: unknown) => e);
    expect(throttled).toBeInstanceOf(ThrottledError);
    expect(throttled).toMatchObject({ code: 'THROTTLED', status: 429, retryAfter: 7, requestId: 'req-1', message: 'Over the limit' });
    expect((throttled as ThrottledError).extensions).toEqual({ cost: { requestedQueryCost: 50 } });

    const busy = await refusing(503, { errors: [{ message: 'busy', extensions: { code: 'SERVER_BUSY' } }] }, { 'retry-after': '5' })
      .Viewer()
      .catch((e: unknown) => e);
    expect(busy).toBeInstanceOf(ServerBusyError);
    expect(busy).toMatchObject({ code: 'SERVER_BUSY', retryAfter: 5 });
    expect(errorCode(busy)).toBe('SERVER_BUSY');

    // A proxy's 429 without a GraphQL body is still THROTTLED; a code this SDK does not know is UNKNOWN.
    const proxied = await createClient({
      url: 'http://crm.test/graphql',
      fetch: answering(() => new Response('Too Many Requests', { status: 429, headers: { 'retry-after': '3' } })),
    })
      .Viewer()
      .catch((e: unknown) => e);
    expect(proxied).toMatchObject({ code: 'THROTTLED', retryAfter: 3 });
    const unknown = await refusing(200, { errors: [{ message: 'new', extensions: { code: 'SOMETHING_NEW' } }], data: null })
      .Viewer()
      .catch((e: unknown) => e);
    expect(unknown).toMatchObject({ code: 'UNKNOWN', serverCode: 'SOMETHING_NEW' });
    expect(isCrmError(unknown)).toBe(true);
  });

  it('sends the token as a bearer header, and says NETWORK_ERROR when nothing answers', async () => {
    const seen: (string | null)[] = [];
    const crm = createClient({
      url: 'http://crm.test/graphql',
      token: 'crm_secret',
      fetch: async (_input, init) => {
        seen.push(new Headers(init?.headers).get('authorization'));
        return json({ data: { viewer: null } });
      },
    });
    await crm.Viewer();
    crm.setToken(undefined);
    await crm.Viewer();
    expect(seen).toEqual(['Bearer crm_secret', null]);

    const down = await createClient({ url: 'http://127.0.0.1:1/graphql' })
      .Viewer()
      .catch((e: unknown) => e);
    expect(down).toBeInstanceOf(CrmError);
    expect(down).toMatchObject({ code: 'NETWORK_ERROR', status: 0 });
    expect(down).not.toBeInstanceOf(UnauthenticatedError);
  });
});
