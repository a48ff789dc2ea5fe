import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerFilter, CustomerListRowsQuery, CustomerListRowsQueryVariables, CustomerOrder } from '../sdk/index.js';
import { PrintKind, signLink } from '../src/print/print-link.js';
import { makeCustomer, makeUser, unique } from './helpers/factories.js';
import { accessLog, accessLogCount, errorOf, getDoc, linkFor, linkToken, listQuery } from './helpers/print-http.js';
import { hoursAgo, hoursAhead } from './helpers/records-world.js';
import { startTestApp, type TestApp, type TestUser } from './helpers/test-app.js';

// The CSV export read back as Excel would: through a CSV parser, compared with the GraphQL list.

let app: TestApp;
let manager: TestUser;
let seller: TestUser;
let sharee: TestUser;
let stranger: TestUser;
let poolManager: TestUser;
let deactivated: TestUser;
const tag = unique('导出');

beforeAll(async () => {
  app = await startTestApp();
  manager = await makeUser(app, { role: 'MANAGER' });
  seller = await makeUser(app, { manager });
  sharee = await makeUser(app);
  stranger = await makeUser(app);
  poolManager = await makeUser(app, { role: 'MANAGER' });
  deactivated = await makeUser(app, { deactivated: true });

  // Cells a spreadsheet would run as formulas, Chinese text, and the other columns filled in.
  const owned = [
    { name: `=SUM(A1)${tag}甲`, industry: "=cmd|' /C calc'!A0", level: 'B' as const, source: '-来源', region: '华北' },
    { name: `+86${tag}乙`, industry: '制造业', level: 'A' as const, source: '@渠道', region: '华东' },
    { name: `-${tag}丙`, industry: '零售', source: '展会', region: '华南' },
    { name: `@${tag}丁`, industry: '+加号行业', level: 'C' as const },
    { name: `${tag}戊 "引号", 逗号\n换行`, industry: '软件' },
  ];
  for (const [i, fields] of owned.entries()) {
    const { customerCreate } = await seller.client.CustomerCreate({ input: { ...fields, phone: `1391234000${i}`, claim: true } });
    expect(customerCreate.userErrors).toEqual([]);
    if (i === 0) {
      const { interactionCreate } = await seller.client.InteractionCreate({
        input: { customerId: customerCreate.customer!.id, type: 'VISIT', occurredAt: hoursAgo(3), subject: '拜访', nextFollowUpAt: hoursAhead(30) },
      });
      expect(interactionCreate.userErrors).toEqual([]);
    }
    if (i === 1) {
      const { customersShare } = await seller.client.CustomersShare({ input: { customerIds: [customerCreate.customer!.id], userIds: [sharee.id] } });
      expect(customersShare.results[0]!.userErrors).toEqual([]);
    }
  }
  for (const suffix of ['池一', '池二', '池三']) await makeCustomer(app, { name: `${tag}${suffix}`, phone: '13800138000' });
});
afterAll(() => app.close());

const STATUS: Record<string, string> = { IN_POOL: '未领用', OWNED: '已领用', ARCHIVED: '已删除' };
const HEADERS = ['名称', '状态', '负责人', '电话', '行业', '级别', '来源', '地区', '最后跟进', '下次跟进', '创建时间', '更新时间'];
// sv-SE writes "2026-11-27 09:05": the company's time, minutes.
const companyTime = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
});
const time = (iso: string | null) => (iso ? companyTime.format(new Date(iso)) : '');
const plain = (cell: string) => (/^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell);

type ListNode = CustomerListRowsQuery['customers']['nodes'][number];

/** What a row of the export must hold for a node of the GraphQL list. */
function expectedRow(n: ListNode): string[] {
  return [
    n.name,
    STATUS[n.status]!,
    n.owner?.name ?? '',
    n.phone ?? '',
    n.industry ?? '',
    n.level ?? '',
    n.source ?? '',
    n.region ?? '',
    time(n.lastInteractionAt),
    time(n.nextFollowUpAt),
    time(n.createdAt),
    time(n.updatedAt),
  ].map(plain);
}

/** Every page of the GraphQL list, in order. */
async function graphqlList(user: TestUser, vars: Omit<CustomerListRowsQueryVariables, 'first' | 'after'>): Promise<ListNode[]> {
  const nodes: ListNode[] = [];
  let after: string | null | undefined;
  for (;;) {
    const { customers } = await user.client.CustomerListRows({ ...vars, first: 100, after });
    nodes.push(...customers.nodes);
    if (!customers.pageInfo.hasNextPage) return nodes;
    after = customers.pageInfo.endCursor;
  }
}

interface ListParams {
  view: CustomerListRowsQueryVariables['view'];
  filter?: CustomerFilter;
  search?: string;
  orderBy?: CustomerOrder[];
}

const csvPath = (params: ListParams) => `/export/customers.csv${listQuery(params)}`;

/** The export parsed: BOM checked and stripped, the header row checked, the data rows. */
function readCsv(bytes: Uint8Array): string[][] {
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const records = parse(Buffer.from(bytes), { bom: true }) as string[][];
  expect(records[0]).toEqual(HEADERS);
  return records.slice(1);
}

describe('GET /export/customers.csv', () => {
  it('is UTF-8 with a BOM and CRLF, named in Chinese, and round-trips through a CSV parser', async () => {
    const doc = await getDoc(app, csvPath({ view: 'MINE' }), seller.token);
    expect(doc.status).toBe(200);
    expect(doc.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(doc.headers.get('cache-control')).toBe('private, no-store');
    const disposition = doc.headers.get('content-disposition')!;
    expect(disposition).toMatch(/^attachment; filename="attachment\.csv"; filename\*=UTF-8''/);
    expect(decodeURIComponent(/filename\*=UTF-8''(.+)$/.exec(disposition)![1]!)).toMatch(/^客户列表-我的客户-\d{8}-\d{4}\.csv$/);
    expect(doc.text.startsWith('\uFEFF名称,状态,负责人,电话,行业,级别,来源,地区,最后跟进,下次跟进,创建时间,更新时间\r\n')).toBe(true);

    const rows = readCsv(doc.bytes);
    expect(rows).toHaveLength(5);
    const byName = new Map(rows.map((r) => [r[0], r]));
    // Formula cells are text; Chinese, quotes, commas and line breaks survive.
    expect(byName.get(`'=SUM(A1)${tag}甲`)).toBeDefined();
    expect(byName.get(`'+86${tag}乙`)).toBeDefined();
    expect(byName.get(`'-${tag}丙`)).toBeDefined();
    expect(byName.get(`'@${tag}丁`)).toBeDefined();
    expect(byName.get(`${tag}戊 "引号", 逗号\n换行`)).toBeDefined();
    const first = byName.get(`'=SUM(A1)${tag}甲`)!;
    expect(first.slice(1, 8)).toEqual(['已领用', seller.name, '13912340000', "'=cmd|' /C calc'!A0", 'B', "'-来源", '华北']);
    expect(first[8]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    expect(first[9]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    expect(byName.get(`'@${tag}丁`)![4]).toBe("'+加号行业");
    expect(byName.get(`'+86${tag}乙`)![6]).toBe("'@渠道");
    for (const row of rows) expect(row.every((cell) => !/^[=+\-@\t\r]/.test(cell))).toBe(true);

    const [log] = await accessLog(app, 1);
    expect(log).toMatchObject({ kind: 'EXPORT_CSV', via: 'TOKEN', user: { id: seller.id }, view: 'MINE', rowCount: 5, filter: null });
    expect(log!.completedAt).not.toBeNull();
    expect(log!.requestId).toBe(doc.headers.get('x-request-id'));
  });

  const scenarios: { who: string; user: () => TestUser; params: () => ListParams; rows: number }[] = [
    { who: 'the owner, MINE, default order', user: () => seller, params: () => ({ view: 'MINE' }), rows: 5 },
    {
      who: 'the owner, MINE, combined filter and name order',
      user: () => seller,
      params: () => ({ view: 'MINE', filter: { or: [{ level: { eq: 'B' } }, { region: { startsWith: '华' } }] }, orderBy: [{ field: 'NAME', direction: 'ASC' }] }),
      rows: 3,
    },
    { who: 'a sharee, SHARED_WITH_ME', user: () => sharee, params: () => ({ view: 'SHARED_WITH_ME' }), rows: 1 },
    { who: "the owner's manager, SUBORDINATES", user: () => manager, params: () => ({ view: 'SUBORDINATES', orderBy: [{ field: 'CREATED_AT', direction: 'DESC' }] }), rows: 5 },
    { who: 'a SALES user, POOL, quick search (masked phones)', user: () => stranger, params: () => ({ view: 'POOL', search: tag }), rows: 3 },
    { who: 'a MANAGER, POOL, quick search (full phones)', user: () => poolManager, params: () => ({ view: 'POOL', search: tag }), rows: 3 },
    { who: 'an unrelated salesperson, MINE', user: () => stranger, params: () => ({ view: 'MINE' }), rows: 0 },
    { who: 'an unrelated salesperson, SUBORDINATES', user: () => stranger, params: () => ({ view: 'SUBORDINATES' }), rows: 0 },
    {
      who: 'an admin, ALL, filter by name and industry',
      user: () => app.admin,
      params: () => ({ view: 'ALL', filter: { name: { contains: tag }, not: { industry: { is: 'NULL' } } }, orderBy: [{ field: 'INDUSTRY', direction: 'DESC' }] }),
      rows: 5,
    },
  ];

  for (const { who, user, params, rows: count } of scenarios) {
    it(`holds exactly the rows of the GraphQL list: ${who}`, async () => {
      const vars = params();
      const doc = await getDoc(app, csvPath(vars), user().token);
      expect(doc.status).toBe(200);
      const rows = readCsv(doc.bytes);
      const expected = (await graphqlList(user(), vars)).map(expectedRow);
      expect(rows).toEqual(expected);
      expect(rows).toHaveLength(count);
    });
  }

  it('masks pool phones for SALES viewers as the API does, and shows them to managers', async () => {
    const masked = readCsv((await getDoc(app, csvPath({ view: 'POOL', search: tag }), stranger.token)).bytes);
    expect(masked.map((r) => r[3])).toEqual(['138********', '138********', '138********']);
    expect(Buffer.from((await getDoc(app, csvPath({ view: 'POOL', search: tag }), stranger.token)).bytes).toString()).not.toContain('13800138000');
    const full = readCsv((await getDoc(app, csvPath({ view: 'POOL', search: tag }), poolManager.token)).bytes);
    expect(full.map((r) => r[3])).toEqual(['13800138000', '13800138000', '13800138000']);
    // A masked phone can't be probed through the filter either (the list's own rule).
    const probe = readCsv((await getDoc(app, csvPath({ view: 'POOL', filter: { phone: { eq: '13800138000' } } }), stranger.token)).bytes);
    expect(probe).toEqual([]);
  });

  it('refuses without valid credentials (401), views the role may never list (403), bad parameters (400), and records none of them', async () => {
    const before = await accessLogCount(app);
    const refusals: [string, string | undefined, number, string][] = [
      [csvPath({ view: 'MINE' }), undefined, 401, 'UNAUTHENTICATED'],
      [csvPath({ view: 'MINE' }), deactivated.token, 401, 'UNAUTHENTICATED'],
      [csvPath({ view: 'MINE' }), 'not-a-token', 401, 'UNAUTHENTICATED'],
      [csvPath({ view: 'ALL' }), seller.token, 403, 'FORBIDDEN'],
      [csvPath({ view: 'ARCHIVED' }), manager.token, 403, 'FORBIDDEN'],
      [csvPath({ view: 'MINE', filter: { level: { eq: 'Z' } } as unknown as CustomerFilter }), seller.token, 400, 'VALIDATION_FAILED'],
      [csvPath({ view: 'MINE', filter: { and: [{ and: [{ and: [{ and: [{ and: [{ and: [{}] }] }] }] }] }] } }), seller.token, 400, 'VALIDATION_FAILED'],
      ['/export/customers.csv', seller.token, 400, 'VALIDATION_FAILED'],
    ];
    for (const [path, token, status, code] of refusals) {
      const doc = await getDoc(app, path, token);
      expect(doc.status, path).toBe(status);
      expect(errorOf(doc).code).toBe(code);
    }
    expect(await accessLogCount(app)).toBe(before);
  });

  it('opens from a signed link (recorded as LINK) only with its own parameters', async () => {
    const params: ListParams = { view: 'MINE', filter: { name: { contains: tag } }, orderBy: [{ field: 'NAME', direction: 'DESC' }] };
    const url = await linkFor(seller, { kind: 'CSV', ...params });
    expect(url.startsWith(`/export/customers.csv?view=MINE&filter=`)).toBe(true);
    const doc = await getDoc(app, url);
    expect(doc.status).toBe(200);
    expect(readCsv(doc.bytes)).toEqual((await graphqlList(seller, params)).map(expectedRow));
    const [log] = await accessLog(app, 1);
    expect(log).toMatchObject({ kind: 'EXPORT_CSV', via: 'LINK', user: { id: seller.id }, rowCount: 5, orderBy: JSON.stringify(params.orderBy) });

    const token = linkToken(url);
    const others: ListParams[] = [
      { ...params, orderBy: [{ field: 'NAME', direction: 'ASC' }] },
      { ...params, filter: { name: { contains: '' } } },
      { ...params, view: 'POOL' as const },
      { view: 'MINE' },
    ];
    for (const other of others) {
      const refused = await getDoc(app, `${csvPath(other)}&link=${token}`);
      expect(refused.status).toBe(401);
    }
    expect((await getDoc(app, `/print/customers${new URL(url, 'http://x').search}`)).status).toBe(401); // a CSV link prints nothing
    const expired = await signLink(app.deps.tokens, seller.user.id, { kind: PrintKind.CSV, params: { view: 'MINE' } }, -1);
    expect((await getDoc(app, expired.url)).status).toBe(401);
  });
});

describe('a large export', () => {
  let bulkSeller: TestUser;
  const COUNT = 5000;

  beforeAll(async () => {
    bulkSeller = await makeUser(app);
    await app.orm.em.fork().execute(
      `INSERT INTO customer (name, name_key, status, owner_id, claimed_at, created_by_id, phone, phone_key, industry, region,
                             created_at, updated_at)
       SELECT '批量客户' || g || '号', 'bulkexport' || ?::text || 'n' || g, 'OWNED', ?::bigint, now(), ?::bigint,
              '1390000' || lpad(g::text, 4, '0'), '1390000' || lpad(g::text, 4, '0'),
              CASE WHEN g % 7 = 0 THEN '=危险' ELSE '行业' || (g % 5) END, '地区' || (g % 3),
              now() - make_interval(mins => g), now() - make_interval(secs => g)
       FROM generate_series(1, ?::int) g`,
      [bulkSeller.user.id, bulkSeller.user.id, bulkSeller.user.id, COUNT],
    );
  });

  it('streams 5,000 customers in many chunks, exactly the GraphQL list, and records the count when done', async () => {
    const res = await fetch(`${app.url}${csvPath({ view: 'MINE' })}`, { headers: { authorization: `Bearer ${bulkSeller.token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBeNull(); // streamed, not built first
    expect(res.headers.get('transfer-encoding')).toBe('chunked');
    const chunks: Uint8Array[] = [];
    const reader = res.body!.getReader();
    for (let part = await reader.read(); !part.done; part = await reader.read()) chunks.push(part.value);
    expect(chunks.length).toBeGreaterThan(5);
    const rows = readCsv(Buffer.concat(chunks));
    expect(rows).toHaveLength(COUNT);
    expect(rows).toEqual((await graphqlList(bulkSeller, { view: 'MINE' })).map(expectedRow));
    expect(rows.filter((r) => r[4] === "'=危险")).toHaveLength(Math.floor(COUNT / 7));

    const { documentAccessLog } = await app.admin.client.DocumentAccessLog({ first: 1, userId: bulkSeller.id });
    expect(documentAccessLog.nodes[0]).toMatchObject({ kind: 'EXPORT_CSV', rowCount: COUNT, requestId: res.headers.get('x-request-id') });
    expect(documentAccessLog.nodes[0]!.completedAt).not.toBeNull();
  });

  it('stops reading the database when the client goes away, and records how far it got', async () => {
    const controller = new AbortController();
    const res = await fetch(`${app.url}${csvPath({ view: 'MINE', orderBy: [{ field: 'NAME', direction: 'ASC' }] })}`, {
      headers: { authorization: `Bearer ${bulkSeller.token}` },
      signal: controller.signal,
    });
    expect(res.status).toBe(200);
    const requestId = res.headers.get('x-request-id')!;
    controller.abort();

    let row: { rowCount: number | null; completedAt: string | null } | undefined;
    for (let i = 0; i < 100 && !(row && row.rowCount !== null); i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      const { documentAccessLog } = await app.admin.client.DocumentAccessLog({ first: 5, userId: bulkSeller.id });
      row = documentAccessLog.nodes.find((n) => n.requestId === requestId);
    }
    expect(row!.completedAt).toBeNull();
    expect(row!.rowCount).toBeGreaterThan(0);
    expect(row!.rowCount).toBeLessThan(COUNT);
  });
});
