import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../sdk/index.js';
import { companyToday } from '../src/common/company-calendar.js';
import { DEMO_PASSWORD, seedDemoData, type DemoResult } from '../src/db/seed/demo-data.js';
import { receivableStatus } from '../src/payments/receivable-status.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';

// The demo company that `npm start` builds on an empty database, built here into fresh test
// databases through the same function: its exact size, the product's invariants over all of
// it, and the same company on a second build.

const silent = pino({ level: 'silent' });
// Both builds are relative to the same moment, so their dates agree too.
const now = new Date();

let first: TestApp;
let built: DemoResult;
beforeAll(async () => {
  first = await startTestApp();
  built = await seedDemoData(first.deps, first.admin.user, silent, { now });
}, 240_000);
afterAll(() => first?.close());

type Row = Record<string, unknown>;
const rows = <T = Row>(app: TestApp, sql: string): Promise<T[]> => app.orm.em.fork().execute<T[]>(sql);

async function count(app: TestApp, sql: string): Promise<number> {
  const [row] = await rows<{ n: number }>(app, `SELECT count(*)::int AS n FROM (${sql}) s`);
  return row!.n;
}

/** The whole demo company as plain rows, ordered by id: what two equal builds must share. */
async function fingerprint(app: TestApp): Promise<Record<string, Row[]>> {
  // Users by e-mail; the test admin's address differs from build to build.
  const email = (column: string) => `(SELECT CASE WHEN u.role = 'ADMIN' THEN 'admin' ELSE u.email END FROM app_user u WHERE u.id = ${column})`;
  const tables: Record<string, string> = {
    users: `SELECT t.id, t.name, ${email('t.id')} AS email, t.role, ${email('t.manager_id')} AS manager FROM app_user t ORDER BY t.id`,
    customers: `SELECT t.id, t.name, t.phone, t.email, t.address, t.level, t.region, t.status, ${email('t.owner_id')} AS owner,
      t.last_interaction_at, t.next_follow_up_at FROM customer t ORDER BY t.id`,
    shares: `SELECT t.customer_id, ${email('t.user_id')} AS sharee FROM customer_share t ORDER BY t.customer_id, t.user_id`,
    history: `SELECT t.id, t.customer_id, t.action, ${email('t.from_user_id')} AS "from", ${email('t.to_user_id')} AS "to",
      ${email('t.actor_id')} AS actor, t.reason, t.details FROM ownership_event t ORDER BY t.id`,
    contacts: `SELECT t.id, t.customer_id, t.name, t.title, t.department, t.mobile, t.phone, t.email, t.im_handle, t.gender,
      t.birthday::text, t.address, t.notes, t.is_primary, ${email('t.created_by_id')} AS author FROM contact t ORDER BY t.id`,
    relations: `SELECT t.id, t.contact_id, t.related_contact_id, t.relationship, t.person_name, t.organization, t.position,
      t.phone, t.notes, ${email('t.created_by_id')} AS author FROM contact_relation t ORDER BY t.id`,
    interactions: `SELECT t.id, t.customer_id, t.contact_id, t.type, t.occurred_at, t.subject, t.content, t.next_follow_up_at,
      ${email('t.created_by_id')} AS author FROM interaction t ORDER BY t.id`,
    quotes: `SELECT t.id, t.customer_id, t.number, t.title, t.quote_date::text, t.valid_until::text, t.status, t.notes,
      t.subtotal::text, t.total::text FROM quote t ORDER BY t.id`,
    quoteItems: `SELECT t.quote_id, t.position, t.product, t.specification, t.quantity::text, t.unit, t.unit_price::text,
      t.discount::text, t.line_total::text FROM quote_item t ORDER BY t.quote_id, t.position`,
    contracts: `SELECT t.id, t.customer_id, t.number, t.title, t.source_quote_id, t.signed_date::text, t.start_date::text,
      t.end_date::text, t.amount::text, t.status FROM contract t ORDER BY t.id`,
    receivables: `SELECT t.id, t.contract_id, t.amount::text, t.due_date::text, t.notes FROM receivable t ORDER BY t.id`,
    receipts: `SELECT t.id, t.contract_id, t.receivable_id, t.amount::text, t.received_on::text, t.method, t.reference
      FROM receipt t ORDER BY t.id`,
    attachments: `SELECT t.id, t.customer_id, t.record_type, t.file_name, t.content_type, t.size, t.sha256,
      ${email('t.uploaded_by_id')} AS uploader FROM attachment t ORDER BY t.id`,
  };
  const result: Record<string, Row[]> = {};
  for (const [name, sql] of Object.entries(tables)) result[name] = await rows(app, sql);
  return result;
}

describe('the demo company', () => {
  it('has exactly the expected number of everything, and says so', async () => {
    const live = (table: string) => count(first, `SELECT 1 FROM ${table} WHERE deleted_at IS NULL`);
    const byStatus = async (table: string) =>
      Object.fromEntries(
        (await rows<{ status: string; n: number }>(first, `SELECT status, count(*)::int AS n FROM ${table} GROUP BY status`)).map(
          (r) => [r.status, r.n],
        ),
      );
    expect(built.customers).toBe(300);
    expect(built.people).toHaveLength(10);
    expect(await count(first, `SELECT 1 FROM app_user WHERE email LIKE '%@example.com'`)).toBe(10);
    expect(await byStatus('customer')).toEqual({ OWNED: 200, IN_POOL: 92, ARCHIVED: 8 });
    expect(await count(first, 'SELECT 1 FROM customer_share')).toBe(EXPECTED.shares);
    expect(await count(first, 'SELECT 1 FROM ownership_event')).toBe(EXPECTED.historyEvents);

    const records = {
      contacts: await live('contact'),
      relations: await live('contact_relation'),
      interactions: await live('interaction'),
      quotes: await live('quote'),
      contracts: await live('contract'),
      receivables: await live('receivable'),
      receipts: await live('receipt'),
      attachments: await live('attachment'),
    };
    expect(records).toEqual(EXPECTED.records);
    expect(built.records).toEqual(records);
    expect(await count(first, 'SELECT 1 FROM quote_item')).toBe(EXPECTED.quoteItems);
    expect(await count(first, 'SELECT 1 FROM contact_relation WHERE related_contact_id IS NOT NULL')).toBe(EXPECTED.linkedRelations);
    expect(await byStatus('quote')).toEqual(EXPECTED.quoteStatuses);
    expect(await byStatus('contract')).toEqual(EXPECTED.contractStatuses);
    expect(await count(first, 'SELECT 1 FROM contract WHERE source_quote_id IS NOT NULL')).toBe(EXPECTED.contractsFromQuotes);
  });

  it('keeps ownership consistent: one owner for every owned customer, never a share with the owner', async () => {
    expect(await count(first, `SELECT 1 FROM customer WHERE (status = 'OWNED') <> (owner_id IS NOT NULL)`)).toBe(0);
    expect(await count(first, 'SELECT 1 FROM customer_share s JOIN customer c ON c.id = s.customer_id WHERE s.user_id = c.owner_id')).toBe(0);
    expect(await count(first, `SELECT 1 FROM customer_share s JOIN customer c ON c.id = s.customer_id WHERE c.status <> 'OWNED'`)).toBe(0);
    // Every salesperson owns some customers and shares some.
    const owners = await rows<{ email: string; owned: number }>(
      first,
      `SELECT u.email, count(c.id)::int AS owned FROM app_user u LEFT JOIN customer c ON c.owner_id = u.id
       WHERE u.role = 'SALES' GROUP BY u.email`,
    );
    expect(owners).toHaveLength(7);
    for (const o of owners) expect(o.owned).toBeGreaterThan(10);
  });

  it('has a history event for every ownership change: replaying the history gives the owners and shares of today', async () => {
    const events = await rows<{ customer_id: string; action: string; from: string | null; to: string | null; details: { userIds?: string[] } }>(
      first,
      `SELECT customer_id::text, action, from_user_id::text AS "from", to_user_id::text AS "to", details FROM ownership_event ORDER BY id`,
    );
    const replayed = new Map<string, { owner: string | null; archived: boolean; shares: Set<string> }>();
    for (const e of events) {
      if (e.action === 'CREATE') {
        expect(replayed.has(e.customer_id)).toBe(false);
        replayed.set(e.customer_id, { owner: e.to, archived: false, shares: new Set() });
        continue;
      }
      const state = replayed.get(e.customer_id)!;
      expect(state, `${e.action} before CREATE`).toBeDefined();
      switch (e.action) {
        case 'CLAIM':
          expect(state.owner).toBeNull();
          state.owner = e.to;
          break;
        case 'ASSIGN':
          expect(e.from).toBe(state.owner);
          state.owner = e.to;
          state.shares.clear();
          break;
        case 'RETURN':
        case 'RECLAIM':
          expect(e.from).toBe(state.owner);
          state.owner = null;
          state.shares.clear();
          break;
        case 'SHARE':
          for (const id of e.details.userIds ?? []) state.shares.add(id);
          break;
        case 'ARCHIVE':
          expect(state.owner).toBeNull();
          state.archived = true;
          break;
        default:
          throw new Error(`unexpected event ${e.action}`);
      }
    }
    const customers = await rows<{ id: string; status: string; owner_id: string | null; shares: string[] }>(
      first,
      `SELECT c.id::text, c.status, c.owner_id::text,
         coalesce((SELECT array_agg(s.user_id::text) FROM customer_share s WHERE s.customer_id = c.id), '{}') AS shares
       FROM customer c`,
    );
    expect(replayed.size).toBe(customers.length);
    for (const c of customers) {
      const state = replayed.get(c.id)!;
      expect(state.owner).toBe(c.owner_id);
      expect(state.archived).toBe(c.status === 'ARCHIVED');
      expect([...state.shares].sort()).toEqual([...c.shares].sort());
    }
  });

  it('writes every record as the user who may edit its customer, with at most one primary contact each', async () => {
    // Sub-records of owned customers are written by the owner; pool customers' contacts by a manager.
    for (const table of ['contact', 'interaction', 'quote', 'contract', 'receivable', 'receipt']) {
      const wrong = await count(
        first,
        `SELECT 1 FROM ${table} r JOIN customer c ON c.id = r.customer_id JOIN app_user u ON u.id = r.created_by_id
         WHERE CASE WHEN c.status = 'OWNED' THEN u.id <> c.owner_id ELSE u.role <> 'MANAGER' END`,
      );
      expect(wrong, table).toBe(0);
    }
    expect(await count(first, `SELECT 1 FROM attachment a JOIN customer c ON c.id = a.customer_id WHERE a.uploaded_by_id <> c.owner_id`)).toBe(0);
    expect(await count(first, `SELECT 1 FROM interaction i JOIN customer c ON c.id = i.customer_id WHERE c.status <> 'OWNED'`)).toBe(0);
    expect(await count(first, `SELECT 1 FROM contact c JOIN customer cu ON cu.id = c.customer_id WHERE cu.status = 'ARCHIVED'`)).toBe(0);
    expect(await count(first, `SELECT 1 FROM contact WHERE is_primary GROUP BY customer_id HAVING count(*) > 1`)).toBe(0);
    expect(await count(first, 'SELECT 1 FROM contact WHERE is_primary')).toBe(EXPECTED.primaryContacts);
    // An interaction's contact is one of its customer's; a relation links two different contacts.
    expect(await count(first, 'SELECT 1 FROM interaction i JOIN contact c ON c.id = i.contact_id WHERE c.customer_id <> i.customer_id')).toBe(0);
    expect(await count(first, 'SELECT 1 FROM contact_relation r JOIN contact c ON c.id = r.contact_id WHERE c.customer_id <> r.customer_id')).toBe(0);
  });

  it('gives customers varied interaction and follow-up times, derived as the product derives them', async () => {
    const mismatched = await count(
      first,
      `SELECT 1 FROM customer c WHERE c.last_interaction_at IS DISTINCT FROM
         (SELECT max(i.occurred_at) FROM interaction i WHERE i.customer_id = c.id AND i.deleted_at IS NULL)`,
    );
    expect(mismatched).toBe(0);
    const [times] = await rows<{ interacted: number; upcoming: number; overdue: number; last: string; first: string }>(
      first,
      `SELECT count(last_interaction_at)::int AS interacted,
         count(*) FILTER (WHERE next_follow_up_at > now())::int AS upcoming,
         count(*) FILTER (WHERE next_follow_up_at <= now())::int AS overdue,
         max(last_interaction_at) AS last, (SELECT min(occurred_at) FROM interaction) AS first
       FROM customer`,
    );
    expect(times).toMatchObject(EXPECTED.followUps);
    // Between 120 days ago and yesterday.
    expect(new Date(times!.last).getTime()).toBeLessThan(now.getTime());
    expect(now.getTime() - new Date(times!.first).getTime()).toBeLessThanOrEqual(121 * 86_400_000);
  });

  it('never receives more than is planned or contracted, and has overdue and partly received receivables', async () => {
    expect(
      await count(
        first,
        `SELECT 1 FROM receivable r WHERE r.amount < (SELECT coalesce(sum(p.amount), 0) FROM receipt p WHERE p.receivable_id = r.id)`,
      ),
    ).toBe(0);
    expect(
      await count(
        first,
        `SELECT 1 FROM contract c WHERE c.amount < (SELECT coalesce(sum(r.amount), 0) FROM receivable r WHERE r.contract_id = c.id)
           OR c.amount < (SELECT coalesce(sum(p.amount), 0) FROM receipt p WHERE p.contract_id = c.id)`,
      ),
    ).toBe(0);
    // A contract made from a quote carries the accepted quote's total.
    expect(
      await count(first, `SELECT 1 FROM contract c JOIN quote q ON q.id = c.source_quote_id WHERE q.status <> 'ACCEPTED' OR q.total <> c.amount`),
    ).toBe(0);
    // A completed contract is paid in full.
    expect(
      await count(
        first,
        `SELECT 1 FROM contract c WHERE c.status = 'COMPLETED' AND c.amount <> (SELECT sum(p.amount) FROM receipt p WHERE p.contract_id = c.id)`,
      ),
    ).toBe(0);
    const receivables = await rows<{ amount: string; received: string; due_date: string }>(
      first,
      `SELECT r.amount::text, (SELECT coalesce(sum(p.amount), 0) FROM receipt p WHERE p.receivable_id = r.id)::text AS received,
         r.due_date::text FROM receivable r`,
    );
    const statuses: Record<string, number> = {};
    for (const r of receivables) {
      const status = receivableStatus(r.amount, r.received, r.due_date, companyToday(now));
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
    expect(statuses).toEqual(EXPECTED.receivableStatuses);
  });

  it('numbers quotes and contracts in order, and stores the files it says it stores', async () => {
    const year = Number(companyToday().slice(0, 4));
    const numbers = async (table: string) => (await rows<{ number: string }>(first, `SELECT number FROM ${table} ORDER BY id`)).map((r) => r.number);
    const expected = (prefix: string, n: number) =>
      Array.from({ length: n }, (_, i) => `${prefix}${year}-${String(i + 1).padStart(5, '0')}`);
    expect(await numbers('quote')).toEqual(expected('Q', EXPECTED.records.quotes));
    expect(await numbers('contract')).toEqual(expected('C', EXPECTED.records.contracts));
    const files = await rows<{ size: string; length: number; same: boolean }>(
      first,
      `SELECT a.size::text, length(c.data) AS length, a.sha256 = encode(sha256(c.data), 'hex') AS same
       FROM attachment a JOIN attachment_content c ON c.attachment_id = a.id`,
    );
    expect(files).toHaveLength(EXPECTED.records.attachments);
    for (const f of files) expect(f).toEqual({ size: String(f.length), length: f.length, same: true });
  });

  it('reads through the API: a salesperson sees their contacts and interactions, pool contacts masked', async () => {
    const sales = createClient({ url: first.graphqlUrl });
    await sales.signIn('wang.fang@example.com', DEMO_PASSWORD);
    const mine = await sales.CustomersWithRecords({ view: 'MINE', first: 50 });
    const [db] = await rows<{ customers: number; contacts: number; interactions: number }>(
      first,
      `SELECT count(*)::int AS customers,
         (SELECT count(*) FROM contact k JOIN customer c ON c.id = k.customer_id JOIN app_user u ON u.id = c.owner_id WHERE u.email = 'wang.fang@example.com')::int AS contacts,
         (SELECT count(*) FROM interaction i JOIN customer c ON c.id = i.customer_id JOIN app_user u ON u.id = c.owner_id WHERE u.email = 'wang.fang@example.com')::int AS interactions
       FROM customer c JOIN app_user u ON u.id = c.owner_id WHERE u.email = 'wang.fang@example.com'`,
    );
    const nodes = mine.customers.nodes;
    expect(nodes).toHaveLength(db!.customers);
    expect(nodes.reduce((n, c) => n + c.contacts.totalCount, 0)).toBe(db!.contacts);
    expect(nodes.reduce((n, c) => n + c.interactions.totalCount, 0)).toBe(db!.interactions);
    const unmasked = nodes.flatMap((c) => c.contacts.nodes).map((c) => c.mobile);
    for (const mobile of unmasked) expect(mobile).toMatch(/^1\d\d-\d{4}-\d{4}$/);

    const pool = await sales.CustomersWithRecords({ view: 'POOL', first: 50 });
    const poolContacts = pool.customers.nodes.flatMap((c) => c.contacts.nodes);
    expect(poolContacts.length).toBeGreaterThan(0);
    for (const contact of poolContacts) {
      expect(contact.mobile).toMatch(/^1\d\d-\*{4}-\*{4}$/);
    }
  });

  it('tells the product’s story: a real pool, claims spread over months, owners near their deadline, shares, a leaver', async () => {
    // A real pool of unclaimed customers, nobody's yet.
    expect(await count(first, `SELECT 1 FROM customer WHERE status = 'IN_POOL'`)).toBe(EXPECTED.story.inPool);
    // Claims spread over the last three months, a few each week, not all today: the daily claim
    // limit has room. Each owned customer's claim time is its latest event that gave it its owner.
    const [claims] = await rows<{ oldest_days: number; weeks: number; today: number; future: number; mismatched: number }>(
      first,
      `SELECT (extract(epoch FROM now() - min(c.claimed_at)) / 86400)::int AS oldest_days,
         count(DISTINCT date_trunc('week', c.claimed_at))::int AS weeks,
         count(*) FILTER (WHERE c.claimed_at >= date_trunc('day', now() AT TIME ZONE 'Asia/Shanghai') AT TIME ZONE 'Asia/Shanghai')::int AS today,
         count(*) FILTER (WHERE c.claimed_at > now())::int AS future,
         count(*) FILTER (WHERE c.claimed_at IS DISTINCT FROM (SELECT max(e.created_at) FROM ownership_event e
           WHERE e.customer_id = c.id AND e.to_user_id = c.owner_id AND e.action IN ('CREATE', 'CLAIM', 'ASSIGN')))::int AS mismatched
       FROM customer c WHERE c.status = 'OWNED'`,
    );
    expect(claims).toMatchObject({ today: 0, future: 0, mismatched: 0 });
    expect(claims!.oldest_days).toBeGreaterThanOrEqual(85);
    expect(claims!.weeks).toBeGreaterThanOrEqual(12);
    // Each customer's history runs forward in time, and the customers arrived over half a year.
    expect(
      await count(
        first,
        `SELECT 1 FROM ownership_event e JOIN ownership_event f ON f.customer_id = e.customer_id AND f.id > e.id AND f.created_at < e.created_at`,
      ),
    ).toBe(0);
    const [arrivals] = await rows<{ oldest_days: number }>(first, `SELECT (extract(epoch FROM now() - min(created_at)) / 86400)::int AS oldest_days FROM customer`);
    expect(arrivals!.oldest_days).toBeGreaterThanOrEqual(175);

    // The protection period is on: nothing is overdue yet, and a few owners have customers due within the week.
    const director = createClient({ url: first.graphqlUrl });
    await director.signIn('zhou.jianguo@example.com', DEMO_PASSWORD);
    const soon = (withinDays: number) => director.CustomersReturningSoon({ withinDays, view: 'SUBORDINATES', first: 100 });
    expect((await soon(0)).customersReturningSoon.totalCount).toBe(0);
    const dueThisWeek = (await soon(7)).customersReturningSoon;
    expect(dueThisWeek.totalCount).toBe(EXPECTED.story.dueWithinAWeek);
    expect(new Set(dueThisWeek.nodes.map((c) => c.owner!.id)).size).toBeGreaterThan(1);
    for (const c of dueThisWeek.nodes) expect(c.returnRule).toBe('NO_INTERACTION');

    // Colleagues share customers.
    expect(await count(first, 'SELECT DISTINCT user_id FROM customer_share')).toBeGreaterThan(3);

    // One salesperson is leaving, still active, with customers of her own to hand over.
    const leavers = built.people.filter((p) => p.leaving);
    expect(leavers.map((p) => p.email)).toEqual(['sun.li@example.com']);
    const [leaver] = await rows<{ active: boolean; owned: number }>(
      first,
      `SELECT u.active, (SELECT count(*) FROM customer c WHERE c.owner_id = u.id AND c.status = 'OWNED')::int AS owned
       FROM app_user u WHERE u.email = 'sun.li@example.com'`,
    );
    expect(leaver).toEqual({ active: true, owned: EXPECTED.story.leaverOwns });
  });

  it('is the same company when built again into another database', async () => {
    const second = await startTestApp();
    try {
      const again = await seedDemoData(second.deps, second.admin.user, silent, { now });
      expect(again).toEqual(built);
      const [a, b] = [await fingerprint(first), await fingerprint(second)];
      for (const table of Object.keys(a)) expect(b[table], table).toEqual(a[table]);
    } finally {
      await second.close();
    }
  }, 240_000);
});

/** The demo's size: deterministic, so exact (a change to the demo data changes these on purpose). */
const EXPECTED = {
  shares: 40,
  historyEvents: 448,
  quoteItems: 219,
  linkedRelations: 26,
  primaryContacts: 136,
  contractsFromQuotes: 23,
  records: {
    contacts: 314,
    relations: 47,
    interactions: 274,
    quotes: 72,
    contracts: 36,
    receivables: 68,
    receipts: 42,
    attachments: 20,
  },
  quoteStatuses: { DRAFT: 8, SENT: 14, ACCEPTED: 31, REJECTED: 12, EXPIRED: 7 },
  contractStatuses: { ACTIVE: 31, COMPLETED: 5 },
  receivableStatuses: { OUTSTANDING: 22, PARTLY_RECEIVED: 7, RECEIVED: 24, OVERDUE: 15 },
  followUps: { interacted: 113, upcoming: 46, overdue: 26 },
  story: { inPool: 92, dueWithinAWeek: 3, leaverOwns: 29 },
};
