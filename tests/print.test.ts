import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import { toGlobalId } from '../src/common/ids.js';
import { maskPhone } from '../src/common/masking.js';
import { PrintKind, signLink, urlOf } from '../src/print/print-link.js';
import { launchChromium } from './helpers/browser.js';
import { makeAccessWorld, makeCustomer, makeUser, topLevelCode, type AccessWorld } from './helpers/factories.js';
import {
  accessLog,
  accessLogCount,
  errorOf,
  findChromium,
  getDoc,
  linkFor,
  linkToken,
  listQuery,
  type Doc,
} from './helpers/print-http.js';
import { INJECTED_NAME_PREFIX, RICH, makeRichCustomer, type RichCustomer } from './helpers/print-world.js';
import { startTestApp, type TestApp, type TestUser } from './helpers/test-app.js';

let app: TestApp;
let w: AccessWorld;
let rich: RichCustomer;

beforeAll(async () => {
  app = await startTestApp();
  w = await makeAccessWorld(app);
  rich = await makeRichCustomer(app, w.owner, [w.sharee]);
  // A contact on the pool customer, to see its details masked for SALES viewers.
  const { contactCreate } = await app.admin.client.ContactCreate({
    input: { customerId: w.pool.id, name: '池中联系人', mobile: '13511112222', email: 'pool.contact@example.com' },
  });
  expect(contactCreate.userErrors).toEqual([]);
});
afterAll(() => app.close());

const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";
const printPath = (customerId: string) => `/print/customers/${customerId}`;

/** The body every missing or invisible customer answers with. */
const NOT_FOUND_BODY = JSON.stringify({ error: { code: 'NOT_FOUND', message: 'Customer not found' } });

function expectHtml(doc: Doc): void {
  expect(doc.status).toBe(200);
  expect(doc.headers.get('content-type')).toBe('text/html; charset=utf-8');
  expect(doc.headers.get('content-security-policy')).toBe(CSP);
  expect(doc.headers.get('x-content-type-options')).toBe('nosniff');
  expect(doc.headers.get('cache-control')).toBe('private, no-store');
  expect(doc.headers.get('referrer-policy')).toBe('no-referrer');
}

describe('GET /print/customers/:id', () => {
  it("prints the whole record: fields, contacts and relations, interactions, quotes with items, contracts with receivables and receipts, files", async () => {
    const doc = await getDoc(app, printPath(rich.id), w.owner.token);
    expectHtml(doc);
    const html = doc.text;
    expect(html).toMatch(/^<!doctype html>\n<html lang="zh-CN">/);
    // Self-contained print CSS: A4, a page break between the major sections, repeated table headers.
    expect(html).toContain('@page { size: A4;');
    expect(html).toContain('section.major + section.major { break-before: page; }');
    expect(html).toContain('thead { display: table-header-group; }');
    expect(html).toMatch(/font-family: "Noto Sans CJK SC"[^;]*sans-serif;/);
    expect(html).not.toMatch(/<link|<script|@import|url\(/i);
    expect(html.match(/<section class="major"/g)).toHaveLength(6);
    for (const heading of ['客户信息', '联系人', '社会关系', '交往记录', '报价', '合同、应收与已收', '附件']) {
      expect(html).toContain(`>${heading}</h`);
    }
    // Unmasked for the owner.
    for (const value of [RICH.phone, RICH.email, RICH.address, RICH.contactA.mobile, RICH.contactA.email, RICH.spouse.phone]) {
      expect(html).toContain(value);
    }
    expect(html).toContain('王芳');
    expect(html).toContain('联系人：李娜'); // the linked relation
    expect(html).toContain(`报价 ${rich.quoteNumber}`);
    expect(html).toContain('服务器');
    expect(html).toContain('2U 机架式');
    expect(html).toContain(RICH.unitPrice);
    expect(html).toContain('>10%<'); // the discount
    expect(html).toContain(RICH.quoteSubtotal);
    expect(html).toContain(RICH.quoteTotal);
    expect(html).toContain(`合同 ${rich.contractNumber}`);
    expect(html).toContain(RICH.contractAmount);
    expect(html).toContain(`已收：${RICH.received}`);
    expect(html).toContain(`未收：${RICH.outstanding}`);
    expect(html).toContain('CNY 60,000.00'); // the receivable
    expect(html).toContain('部分已收');
    expect(html).toContain('TX-001');
    expect(html).toContain('银行转账');
    expect(html).toContain(RICH.attachmentName);
    expect(html).toContain(`打印人：${w.owner.name}`);
  });

  it('escapes every user-supplied value: names, notes, contact names and subjects stay text', async () => {
    const html = (await getDoc(app, printPath(rich.id), w.owner.token)).text;
    expect(html).toContain('<h1>华光&lt;script&gt;window.__pwned=1&lt;/script&gt;&quot;科技&quot;&#39;有限&#39; &amp; Co');
    expect(html).toContain('<title>华光&lt;script&gt;');
    expect(html).toContain('备注 &lt;img src=x onerror=&quot;window.__pwned=2&quot;&gt;<br>第二行');
    expect(html).toContain('张伟&lt;b&gt;粗&lt;/b&gt;');
    expect(html).toContain('电话沟通 &lt;i&gt;报价&lt;/i&gt;');
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>粗');
    expect(html).not.toContain('<i>报价');
  });

  it('masks contact details of a pool customer for a SALES viewer, as the API does; a MANAGER and an admin see them', async () => {
    const masked = await getDoc(app, printPath(w.pool.id), w.stranger.token);
    expectHtml(masked);
    expect(masked.text).toContain('联系方式已隐藏');
    expect(masked.text).toContain(maskPhone('13800138000')!);
    expect(masked.text).toContain(maskPhone('13511112222')!);
    expect(masked.text).not.toContain('13800138000');
    expect(masked.text).not.toContain('13511112222');
    expect(masked.text).not.toContain('pool.contact@example.com');
    // The API masks the same values for this viewer.
    const { customer } = await w.stranger.client.Customer({ id: w.pool.id });
    expect(customer!.phone).toBe(maskPhone('13800138000'));

    for (const viewer of [w.poolManager, app.admin]) {
      const full = await getDoc(app, printPath(w.pool.id), viewer.token);
      expectHtml(full);
      expect(full.text).toContain('13800138000');
      expect(full.text).toContain('13511112222');
      expect(full.text).not.toContain('联系方式已隐藏');
    }
  });

  const matrix: { who: string; actor: (w: AccessWorld) => TestUser | undefined; status: number }[] = [
    { who: 'the owner', actor: (w) => w.owner, status: 200 },
    { who: 'a sharee', actor: (w) => w.sharee, status: 200 },
    { who: "the owner's manager", actor: (w) => w.manager, status: 200 },
    { who: "the manager's manager", actor: (w) => w.topManager, status: 200 },
    { who: 'an admin', actor: (w) => w.admin, status: 200 },
    { who: 'an unrelated salesperson', actor: (w) => w.stranger, status: 404 },
    { who: 'an unrelated manager', actor: (w) => w.poolManager, status: 404 },
    { who: 'a deactivated user', actor: (w) => w.deactivated, status: 401 },
    { who: 'nobody (no token)', actor: () => undefined, status: 401 },
  ];

  for (const { who, actor, status } of matrix) {
    it(`answers ${status} to ${who}, and records only what it served`, async () => {
      const before = await accessLogCount(app);
      const doc = await getDoc(app, printPath(rich.id), actor(w)?.token);
      expect(doc.status).toBe(status);
      if (status === 200) {
        expect(doc.text).toContain(RICH.quoteTotal);
        const [row] = await accessLog(app, 1);
        expect(row).toMatchObject({
          kind: 'PRINT_CUSTOMER',
          via: 'TOKEN',
          user: { id: actor(w)!.id },
          customer: { id: rich.id },
          view: null,
          rowCount: 1,
          requestId: doc.headers.get('x-request-id'),
        });
        expect(row!.completedAt).not.toBeNull();
        expect(await accessLogCount(app)).toBe(before + 1);
        return;
      }
      if (status === 404) expect(doc.text).toBe(NOT_FOUND_BODY);
      else expect(errorOf(doc).code).toBe('UNAUTHENTICATED');
      expect(await accessLogCount(app)).toBe(before);
    });
  }

  it('answers an invisible, a missing, an archived (for non-admins) and a malformed id with the same 404 body', async () => {
    const archived = await makeCustomer(app, { archived: true });
    for (const id of [rich.id, toGlobalId('Customer', '999999999'), toGlobalId('Contact', '1'), 'not-an-id', archived.id]) {
      const doc = await getDoc(app, printPath(encodeURIComponent(id)), w.stranger.token);
      expect(doc.status).toBe(404);
      expect(doc.text).toBe(NOT_FOUND_BODY);
    }
    expect((await getDoc(app, printPath(archived.id), app.admin.token)).status).toBe(200);
  });

  it('refuses a link token as a bearer token, and a bearer token together with a link', async () => {
    const url = await linkFor(w.owner, { kind: 'CUSTOMER', customerId: rich.id });
    const asBearer = await getDoc(app, printPath(rich.id), linkToken(url));
    expect(asBearer.status).toBe(401);
    const both = await getDoc(app, url, w.owner.token);
    expect(both.status).toBe(400);
    expect(errorOf(both).code).toBe('VALIDATION_FAILED');
  });
});

describe('signed links (printLinkCreate)', () => {
  it('opens the page without a header, records the use as LINK, and expires after the configured time (10 minutes)', async () => {
    const before = Date.now();
    const { printLinkCreate } = await w.sharee.client.PrintLinkCreate({ input: { kind: 'CUSTOMER', customerId: rich.id } });
    expect(printLinkCreate.userErrors).toEqual([]);
    const url = printLinkCreate.url!;
    expect(url).toMatch(new RegExp(`^/print/customers/${rich.id}\\?link=[\\w.-]+$`));
    const expiresIn = new Date(printLinkCreate.expiresAt!).getTime() - before;
    expect(expiresIn).toBeGreaterThan(595_000);
    expect(expiresIn).toBeLessThan(605_000);

    const doc = await getDoc(app, url);
    expectHtml(doc);
    expect(doc.text).toContain(RICH.quoteTotal);
    const [row] = await accessLog(app, 1);
    expect(row).toMatchObject({ kind: 'PRINT_CUSTOMER', via: 'LINK', user: { id: w.sharee.id }, customer: { id: rich.id } });
  });

  it('can never call the API: GraphQL refuses the link token', async () => {
    const url = await linkFor(w.owner, { kind: 'CUSTOMER', customerId: rich.id });
    expect(await topLevelCode(app.client(linkToken(url)).Viewer())).toBe('UNAUTHENTICATED');
  });

  it('opens only its own document: another customer, another kind, other list parameters are 401', async () => {
    const other = await makeCustomer(app, { owner: w.owner });
    const customerLink = linkToken(await linkFor(w.owner, { kind: 'CUSTOMER', customerId: rich.id }));
    const listUrl = await linkFor(w.owner, { kind: 'LIST', view: 'MINE', filter: { name: { contains: '华光' } } });
    const listLink = linkToken(listUrl);
    const before = await accessLogCount(app);

    const attempts = [
      `${printPath(other.id)}?link=${customerLink}`,
      `/print/customers${listQuery({ view: 'MINE' })}&link=${customerLink}`,
      `/print/customers${listQuery({ view: 'MINE' })}&link=${listLink}`,
      `/print/customers${listQuery({ view: 'MINE', filter: { name: { contains: '客户' } } })}&link=${listLink}`,
      `/print/customers${listQuery({ view: 'POOL', filter: { name: { contains: '华光' } } })}&link=${listLink}`,
      `/print/customers${listQuery({ view: 'MINE', filter: { name: { contains: '华光' } }, search: 'x' })}&link=${listLink}`,
      `/export/customers.csv${listQuery({ view: 'MINE', filter: { name: { contains: '华光' } } })}&link=${listLink}`,
    ];
    for (const attempt of attempts) {
      const doc = await getDoc(app, attempt);
      expect(doc.status, attempt).toBe(401);
      expect(errorOf(doc)).toEqual({ code: 'UNAUTHENTICATED', message: 'This link was made for another document' });
    }
    expect((await getDoc(app, listUrl)).status).toBe(200);
    expect(await accessLogCount(app)).toBe(before + 1);
  });

  it('refuses a tampered or expired link (401), and records nothing', async () => {
    const url = await linkFor(w.owner, { kind: 'CUSTOMER', customerId: rich.id });
    const token = linkToken(url);
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const flipped = signature.slice(0, -2) + (signature.at(-2) === 'A' ? 'B' : 'A') + signature.at(-1);
    const forgedPayload = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), sub: w.admin.user.id }),
    ).toString('base64url');
    const expired = await signLink(app.deps.tokens, w.owner.user.id, { kind: PrintKind.CUSTOMER, customerId: rich.id, params: {} }, -60);
    const before = await accessLogCount(app);
    for (const bad of [
      `${printPath(rich.id)}?link=${header}.${payload}.${flipped}`,
      `${printPath(rich.id)}?link=${header}.${forgedPayload}.${signature}`,
      `${printPath(rich.id)}?link=garbage`,
      `${printPath(rich.id)}?link=`,
      expired.url,
    ]) {
      const doc = await getDoc(app, bad);
      expect(doc.status, bad).toBe(401);
      expect(errorOf(doc).code).toBe('UNAUTHENTICATED');
    }
    // A well-formed link of the same document, signed now, works: the refusals were the token's.
    const fresh = await signLink(app.deps.tokens, w.owner.user.id, { kind: PrintKind.CUSTOMER, customerId: rich.id, params: {} }, 60);
    expect(fresh.url).toBe(urlOf({ kind: PrintKind.CUSTOMER, customerId: rich.id, params: {} }, linkToken(fresh.url)));
    expect((await getDoc(app, fresh.url)).status).toBe(200);
    expect(await accessLogCount(app)).toBe(before + 1);
  });

  it("stops working when its user is deactivated, and applies the viewer's visibility when opened", async () => {
    const seller = await makeUser(app);
    const customer = await makeCustomer(app, { owner: seller });
    const first = await linkFor(seller, { kind: 'CUSTOMER', customerId: customer.id });
    const second = await linkFor(seller, { kind: 'CUSTOMER', customerId: customer.id });
    expect((await getDoc(app, first)).status).toBe(200);

    // Given to someone else in between: the seller's link now finds nothing.
    const colleague = await makeUser(app);
    const { customersAssign } = await app.admin.client.CustomersAssign({
      input: { customerIds: [customer.id], assigneeId: colleague.id },
    });
    expect(customersAssign.results[0]!.userErrors).toEqual([]);
    const reassigned = await getDoc(app, second);
    expect(reassigned.status).toBe(404);
    expect(reassigned.text).toBe(NOT_FOUND_BODY);

    const leaver = await makeUser(app);
    const own = await makeCustomer(app, { owner: leaver });
    const link = await linkFor(leaver, { kind: 'CUSTOMER', customerId: own.id });
    const { userDeactivate } = await app.admin.client.UserDeactivate({ input: { id: leaver.id } });
    expect(userDeactivate.userErrors).toEqual([]);
    const doc = await getDoc(app, link);
    expect(doc.status).toBe(401);
    expect(errorOf(doc).code).toBe('UNAUTHENTICATED');
  });

  const linkMatrix: { who: string; actor: (w: AccessWorld) => TestUser; outcome: 'ok' | 'NOT_FOUND' | 'UNAUTHENTICATED' }[] = [
    { who: 'the owner', actor: (w) => w.owner, outcome: 'ok' },
    { who: 'a sharee', actor: (w) => w.sharee, outcome: 'ok' },
    { who: "the owner's manager", actor: (w) => w.manager, outcome: 'ok' },
    { who: "the manager's manager", actor: (w) => w.topManager, outcome: 'ok' },
    { who: 'an admin', actor: (w) => w.admin, outcome: 'ok' },
    { who: 'an unrelated salesperson', actor: (w) => w.stranger, outcome: 'NOT_FOUND' },
    { who: 'a deactivated user', actor: (w) => w.deactivated, outcome: 'UNAUTHENTICATED' },
  ];
  for (const { who, actor, outcome } of linkMatrix) {
    it(`printLinkCreate for a customer: ${outcome} for ${who}`, async () => {
      const client = actor(w).client;
      if (outcome === 'UNAUTHENTICATED') {
        expect(await topLevelCode(client.PrintLinkCreate({ input: { kind: 'CUSTOMER', customerId: rich.id } }))).toBe(outcome);
        return;
      }
      const { printLinkCreate } = await client.PrintLinkCreate({ input: { kind: 'CUSTOMER', customerId: rich.id } });
      if (outcome === 'ok') {
        expect(printLinkCreate.userErrors).toEqual([]);
        expect((await getDoc(app, printLinkCreate.url!)).status).toBe(200);
      } else {
        expect(printLinkCreate.userErrors.map((e) => [e.code, e.field])).toEqual([['NOT_FOUND', ['input', 'customerId']]]);
        expect(printLinkCreate.url).toBeNull();
      }
    });
  }

  it('refuses inputs that do not name one document, and lists a viewer may not see', async () => {
    const cases: [Parameters<TestUser['client']['PrintLinkCreate']>[0]['input'], string[]][] = [
      [{ kind: 'CUSTOMER' }, ['input', 'customerId']],
      [{ kind: 'CUSTOMER', customerId: rich.id, view: 'MINE' }, ['input', 'view']],
      [{ kind: 'LIST' }, ['input', 'view']],
      [{ kind: 'CSV', view: 'MINE', customerId: rich.id }, ['input', 'customerId']],
      [{ kind: 'LIST', view: 'MINE', orderBy: [{ field: 'RELEVANCE', direction: 'DESC' }] }, ['input', 'orderBy']],
      [{ kind: 'LIST', view: 'MINE', search: 'x'.repeat(101) }, ['input', 'search']],
    ];
    for (const [input, field] of cases) {
      const { printLinkCreate } = await w.owner.client.PrintLinkCreate({ input });
      expect(printLinkCreate.userErrors.map((e) => [e.code, e.field])).toEqual([['VALIDATION_FAILED', field]]);
      expect(printLinkCreate.url).toBeNull();
    }
    // A list the role may never see is refused as the `customers` query refuses it.
    expect(await topLevelCode(w.owner.client.PrintLinkCreate({ input: { kind: 'CSV', view: 'ALL' } }))).toBe('FORBIDDEN');
    expect(await topLevelCode(w.owner.client.CustomerListRows({ view: 'ALL' }))).toBe('FORBIDDEN');
    expect(await topLevelCode(app.anonymous.PrintLinkCreate({ input: { kind: 'LIST', view: 'POOL' } }))).toBe('UNAUTHENTICATED');
  });
});

describe('GET /print/customers (the list)', () => {
  it('prints the rows of the list with the CSV columns, escaped, and records the parameters', async () => {
    const filter = { name: { contains: '华光' } };
    const doc = await getDoc(app, `/print/customers${listQuery({ view: 'MINE', filter, orderBy: [{ field: 'NAME' }] })}`, w.owner.token);
    expectHtml(doc);
    expect(doc.text).toContain('<h1>客户列表 · 我的客户</h1>');
    expect(doc.text).toContain(
      '<thead><tr><th>名称</th><th>状态</th><th>负责人</th><th>电话</th><th>行业</th><th>级别</th><th>来源</th><th>地区</th><th>最后跟进</th><th>下次跟进</th><th>创建时间</th><th>更新时间</th></tr></thead>',
    );
    expect(doc.text.match(/<tbody>[\s\S]*<\/tbody>/)![0].match(/<tr>/g)).toHaveLength(1);
    expect(doc.text).toContain('<td>华光&lt;script&gt;');
    expect(doc.text).not.toContain('<script');
    expect(doc.text).toContain('<td>制造业</td>');
    expect(doc.text).toContain('组合查询：<code>{&quot;name&quot;:{&quot;contains&quot;:&quot;华光&quot;}}</code>');
    const [row] = await accessLog(app, 1);
    expect(row).toMatchObject({
      kind: 'PRINT_LIST',
      via: 'TOKEN',
      user: { id: w.owner.id },
      customer: null,
      view: 'MINE',
      filter: JSON.stringify(filter),
      search: null,
      orderBy: JSON.stringify([{ field: 'NAME' }]),
      rowCount: 1,
    });
  });

  it("lists only what the viewer's view shows: another salesperson's MINE is their own", async () => {
    const doc = await getDoc(app, `/print/customers${listQuery({ view: 'MINE' })}`, w.stranger.token);
    expectHtml(doc);
    expect(doc.text).toContain('没有符合条件的客户');
    expect(doc.text).not.toContain(INJECTED_NAME_PREFIX.slice(0, 2));
    const shared = await getDoc(app, `/print/customers${listQuery({ view: 'SHARED_WITH_ME' })}`, w.sharee.token);
    expect(shared.text).toContain('<td>华光&lt;script&gt;');
    const subordinates = await getDoc(app, `/print/customers${listQuery({ view: 'SUBORDINATES' })}`, w.topManager.token);
    expect(subordinates.text).toContain('<td>华光&lt;script&gt;');
    const pool = await getDoc(app, `/print/customers${listQuery({ view: 'POOL', filter: { name: { eq: w.pool.name } } })}`, w.stranger.token);
    expect(pool.text).toContain(`>${maskPhone('13800138000')}</td>`);
    expect(pool.text).not.toContain('13800138000');
  });

  it('validates the parameters as GraphQL does (400), refuses views the role may never list (403), and records no refusal', async () => {
    const before = await accessLogCount(app);
    const cases: [string, RegExp][] = [
      [listQuery({ view: 'MINE', filter: { name: { eq: 5 } } }), /^filter\.name\.eq: String cannot represent a non string value: 5$/],
      [listQuery({ view: 'MINE', filter: { nope: true } }), /^filter: Field "nope" is not defined by type "CustomerFilter"/],
      [listQuery({ view: 'MINE', filter: { createdAt: { gt: 'yesterday' } } }), /^filter\.createdAt\.gt: /],
      [listQuery({ view: 'MINE', orderBy: [{ field: 'COLOUR' }] }), /^orderBy\.0\.field: Value "COLOUR" does not exist/],
      [listQuery({ view: 'MINE', orderBy: [{ field: 'RELEVANCE' }] }), /RELEVANCE ordering needs a search/],
      [listQuery({ view: 'MINE', orderBy: Array(6).fill({ field: 'NAME' }) }), /orderBy must contain no more than 5 elements/],
      [listQuery({ view: 'MINE', search: 'x'.repeat(101) }), /search must be shorter than or equal to 100 characters/],
      [listQuery({ view: 'EVERYTHING' }), /^view: Value "EVERYTHING" does not exist in "CustomerView" enum/],
      ['?view=MINE&filter=%7Bnot-json', /^filter must be JSON/],
      ['?view=MINE&view=POOL', /^view given more than once$/],
      ['', /^view is required/],
    ];
    for (const [query, message] of cases) {
      const doc = await getDoc(app, `/print/customers${query}`, w.owner.token);
      expect(doc.status, query).toBe(400);
      const error = errorOf(doc);
      expect(error.code).toBe('VALIDATION_FAILED');
      expect(error.message).toMatch(message);
    }
    const all = await getDoc(app, `/print/customers${listQuery({ view: 'ALL' })}`, w.manager.token);
    expect(all.status).toBe(403);
    expect(errorOf(all).code).toBe('FORBIDDEN');
    expect((await getDoc(app, `/print/customers${listQuery({ view: 'MINE' })}`)).status).toBe(401);
    expect((await getDoc(app, `/print/customers${listQuery({ view: 'MINE' })}`, w.deactivated.token)).status).toBe(401);
    expect(await accessLogCount(app)).toBe(before);
    expect((await getDoc(app, `/print/customers${listQuery({ view: 'ALL' })}`, app.admin.token)).status).toBe(200);
    expect(await accessLogCount(app)).toBe(before + 1);
  });

  it('prints at most 1,000 rows and says so on the page', async () => {
    const seller = await makeUser(app);
    await app.orm.em.fork().execute(
      `INSERT INTO customer (name, name_key, status, owner_id, claimed_at, created_by_id, phone, phone_key)
       SELECT '批量' || g || '号', 'printcap' || ?::text || 'n' || g, 'OWNED', ?::bigint, now(), ?::bigint, '13900000000', '13900000000'
       FROM generate_series(1, 1003) g`,
      [seller.user.id, seller.user.id, seller.user.id],
    );
    const doc = await getDoc(app, `/print/customers${listQuery({ view: 'MINE' })}`, seller.token);
    expectHtml(doc);
    expect(doc.text).toContain('共 1003 条，仅打印前 1000 条');
    expect(doc.text.match(/<tbody>[\s\S]*<\/tbody>/)![0].match(/<tr>/g)).toHaveLength(1000);
    const [row] = await accessLog(app, 1);
    expect(row).toMatchObject({ kind: 'PRINT_LIST', user: { id: seller.id }, rowCount: 1000 });
  });
});

describe('documentAccessLog', () => {
  it('is for admins only; node(id) finds a row for admins and null for others', async () => {
    await getDoc(app, printPath(rich.id), w.manager.token);
    const { documentAccessLog } = await app.admin.client.DocumentAccessLog({ first: 5, userId: w.manager.id, customerId: rich.id, kind: 'PRINT_CUSTOMER' });
    expect(documentAccessLog.nodes.length).toBeGreaterThan(0);
    expect(documentAccessLog.nodes.every((n) => n.user.id === w.manager.id && n.customer?.id === rich.id)).toBe(true);
    const id = documentAccessLog.nodes[0]!.id;
    const { node } = await app.admin.client.DocumentAccessNode({ id });
    expect(node).toMatchObject({ __typename: 'DocumentAccess', id, kind: 'PRINT_CUSTOMER' });

    for (const user of [w.owner, w.manager, w.topManager, w.stranger, w.poolManager]) {
      expect(await topLevelCode(user.client.DocumentAccessLog({ first: 5 }))).toBe('FORBIDDEN');
      expect((await user.client.DocumentAccessNode({ id })).node).toBeNull();
    }
    expect(await topLevelCode(w.deactivated.client.DocumentAccessLog({ first: 5 }))).toBe('UNAUTHENTICATED');
    expect(await topLevelCode(app.anonymous.DocumentAccessLog({ first: 5 }))).toBe('UNAUTHENTICATED');
  });

  it('is append-only in the database', async () => {
    const em = app.orm.em.fork();
    const [row] = await em.execute<{ id: string }[]>('SELECT id::text AS id FROM document_access_log WHERE completed_at IS NOT NULL LIMIT 1');
    await expect(em.execute('UPDATE document_access_log SET row_count = 0 WHERE id = ?::bigint', [row!.id])).rejects.toThrow(/append-only/);
    await expect(em.execute('DELETE FROM document_access_log WHERE id = ?::bigint', [row!.id])).rejects.toThrow(/append-only/);
  });
});

// What a person sees: the page opened from a signed link in a new tab of headless Chromium.
const chromium = findChromium();
const browserSuite = chromium
  ? 'in headless Chromium'
  : 'in headless Chromium (SKIPPED: Chromium is not installed; apt-get install chromium, or set CHROMIUM_PATH)';

if (!chromium) console.warn(`print.test.ts: the headless Chromium tests are SKIPPED: Chromium is not installed (apt-get install chromium, or set CHROMIUM_PATH)`);

describe.skipIf(!chromium)(browserSuite, () => {
  let browser: BrowserContext;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ browser, close } = await launchChromium(chromium!));
  });
  afterAll(async () => {
    await close?.();
  });

  it('shows the record as a person reads it, runs no injected markup, and keeps the sections on their own pages in print', async () => {
    const url = await linkFor(w.owner, { kind: 'CUSTOMER', customerId: rich.id });
    const page = await browser.newPage();
    const failed: string[] = [];
    page.on('requestfailed', (request) => failed.push(request.url()));
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    const response = await page.goto(`${app.url}${url}`);
    expect(response!.status()).toBe(200);

    await expect(page.locator('h1').innerText()).resolves.toBe(rich.name);
    expect(await page.title()).toBe(rich.name);
    // Nothing injected ran or became an element; nothing was loaded besides the page.
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('script, img, b, i').count()).toBe(0);
    expect(requests).toEqual([`${app.url}${url}`]);
    expect(failed).toEqual([]);

    const contactRows = page.locator('#contacts table').first().locator('tbody tr');
    expect(await contactRows.count()).toBe(2);
    expect(await contactRows.nth(0).innerText()).toContain(`${RICH.contactA.name}\n（主联系人）`);
    expect(await contactRows.nth(0).innerText()).toContain(RICH.contactA.mobile);
    expect(await contactRows.nth(1).innerText()).toContain(RICH.contactB.name);

    const quote = page.locator('#quotes .quote').first();
    expect(await quote.locator('h3').innerText()).toBe(`报价 ${rich.quoteNumber} · 年度采购`);
    const items = await quote.locator('tbody tr').allInnerTexts();
    expect(items.map((row) => row.split('\t'))).toEqual([
      ['1', '服务器', '2U 机架式', '2', '台', RICH.unitPrice, '10%', 'CNY 2,222,221.50'],
      ['2', '安装服务', '', '1', '次', 'CNY 800.00', '', 'CNY 800.00'],
    ]);
    expect(await quote.locator('.totals span').allInnerTexts()).toEqual([`小计：${RICH.quoteSubtotal}`, `合计：${RICH.quoteTotal}`]);

    await page.emulateMedia({ media: 'print' });
    const sections = await page.locator('section.major').evaluateAll((nodes) =>
      nodes.map((n) => ({ id: n.id, breakBefore: getComputedStyle(n).breakBefore, height: (n as HTMLElement).offsetHeight })),
    );
    expect(sections.map((s) => s.id)).toEqual(['customer', 'contacts', 'interactions', 'quotes', 'contracts', 'attachments']);
    expect(sections.map((s) => s.breakBefore)).toEqual(['auto', 'page', 'page', 'page', 'page', 'page']);
    expect(sections.every((s) => s.height > 0)).toBe(true);
    const headerGroups = await page.locator('thead').evaluateAll((nodes) => nodes.map((n) => getComputedStyle(n).display));
    expect(new Set(headerGroups)).toEqual(new Set(['table-header-group']));

    const pdf = await page.pdf({ format: 'A4' });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const pages = pdf.toString('latin1').match(/\/Type\s*\/Page(?![s\w])/g) ?? [];
    expect(pages.length).toBeGreaterThanOrEqual(6); // one page (at least) per section
    await page.close();
  });

  it('shows a SALES viewer of a pool customer the masked phone, never the real one', async () => {
    const url = await linkFor(w.stranger, { kind: 'CUSTOMER', customerId: w.pool.id });
    const page = await browser.newPage();
    await page.goto(`${app.url}${url}`);
    const text = await page.locator('body').innerText();
    expect(text).toContain(maskPhone('13800138000'));
    expect(text).toContain(maskPhone('13511112222'));
    expect(text).not.toContain('13800138000');
    expect(text).not.toContain('13511112222');
    expect(text).toContain('联系方式已隐藏');
    await page.close();
  });

  it('answers a link for another customer with the 401 message, not a page', async () => {
    const url = await linkFor(w.owner, { kind: 'CUSTOMER', customerId: rich.id });
    const page = await browser.newPage();
    const response = await page.goto(`${app.url}${printPath(w.owned.id)}?link=${linkToken(url)}`);
    expect(response!.status()).toBe(401);
    expect(await page.locator('body').innerText()).toContain('This link was made for another document');
    await page.close();
  });
});
