/**
 * What a quick search (搜索) costs with 100,000 customers and 200,000 contacts.
 *
 *   npm run bench:search                      # embedded PostgreSQL in a temporary folder
 *   DATABASE_URL=postgres://u:p@host/db npm run bench:search   # a server you run: a fresh
 *                                             # database crm_bench_<time> is made there and dropped
 *   BENCH_CUSTOMERS=20000 BENCH_RUNS=50 npm run bench:search    # other sizes
 *
 * Steps: migrate a fresh database; bulk-insert customers with realistic, unique Chinese company
 * names (city + two-character brand + trade + suffix, a few Latin ones), phones, owners, and two
 * contacts per customer on average; VACUUM ANALYZE; start the real server in this process
 * (buildServer) and search through the SDK over HTTP, as the list screen does: view ALL as an
 * admin (every customer visible: the widest search), and a salesperson's MINE and POOL views (where
 * pool phones are masked, so a phone search must not find pool customers); the first page of 20
 * ranked by relevance, with totalCount ("page 1 of M"). Every case runs 3 times to warm up, then
 * BENCH_RUNS times.
 *
 * The numbers: p50 / p95 / max are wall-clock milliseconds per request as the client sees them
 * (HTTP, GraphQL, both SQL statements: the page and the count, and the field resolvers), on
 * this machine, with a warm cache. "matches" is totalCount: how many customers the search finds.
 * Then the EXPLAIN (ANALYZE, BUFFERS) of the page statement of some searches (BENCH_EXPLAIN: labels
 * separated by ";", default "2 characters;phone, 8 digits") shows the indexes at work: Bitmap Index
 * Scans on customer_name_grams_idx / contact_name_grams_idx (GIN over character / character-pair
 * arrays) and customer_phone_key_trgm_idx / contact_*_digits_trgm_idx (pg_trgm), whose matching
 * ids are semi-joined to the view.
 * It takes a minute or two (most of it loading); it is not part of `npm test`.
 */
import 'reflect-metadata';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { pino } from 'pino';
import { createClient } from '../sdk/index.js';
import { PasswordHasher } from '../src/auth/password.js';
import { openSession } from '../src/auth/session.js';
import { TokenService } from '../src/auth/token.js';
import { loadConfig } from '../src/config.js';
import type { AppDeps } from '../src/context.js';
import { customerNameKey, phoneKey } from '../src/customers/name-key.js';
import { ensureDatabase, startEmbeddedPostgres, type EmbeddedDatabase } from '../src/db/embedded-postgres.js';
import { migrate, openOrm } from '../src/db/orm.js';
import { random, type Random } from '../src/db/seed/random.js';
import { buildServer } from '../src/server.js';

const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 100_000);
const CONTACTS = CUSTOMERS * 2;
const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const BATCH = 10_000;

const CITIES = [
  '北京', '上海', '深圳', '广州', '杭州', '南京', '苏州', '成都', '武汉', '西安', '天津', '重庆', '长沙', '郑州', '济南',
  '青岛', '合肥', '福州', '厦门', '宁波', '无锡', '佛山', '东莞', '昆明', '南昌', '贵阳', '南宁', '太原', '石家庄', '沈阳',
  '大连', '长春', '哈尔滨', '兰州', '乌鲁木齐', '呼和浩特', '温州', '常州', '珠海', '中山',
];
const BRAND_CHARS = [...'华信恒通宏远金诚博源鼎盛瑞丰天成嘉禾永泰中联汇智海川东方明达凯乐安捷世章航同创正大德润星河鑫锦程启立新锐兴隆宇佳美康力峰云腾飞龙凤祥和'];
const TRADES = [
  '科技', '软件', '电子', '机械', '贸易', '物流', '建材', '医药', '食品', '化工', '纺织', '新能源', '环保', '教育咨询', '信息技术',
  '网络科技', '生物科技', '实业', '投资', '建设工程', '文化传媒', '餐饮管理', '供应链', '汽车服务', '智能制造',
];
const SUFFIXES = ['有限公司', '有限公司', '有限公司', '股份有限公司', '集团有限公司', '有限责任公司'];
const LATIN = ['Tech', 'Trading', 'Logistics', 'Software', 'Industrial', 'Medical', 'Foods', 'Energy'];
const SURNAMES = [...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈'];
const GIVEN = [...'伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国文辉鹏飞宇浩然晨阳欣怡佳琪子涵雨轩'];
const INDUSTRIES = ['信息技术', '电子制造', '装备制造', '批发零售', '交通物流', '建筑建材', '医药健康', '食品饮料', '化工', '能源'];
const SOURCES = ['展会', '官网咨询', '客户转介绍', '电话营销', '网络广告', '老客户'];
const REGIONS = ['华北', '华东', '华南', '华中', '西南', '西北', '东北'];

interface Generated {
  names: string[];
  phones: (string | null)[];
}

function mobile(rnd: Random): string {
  return `1${rnd.pick(['35', '36', '37', '38', '39', '50', '58', '86', '88'])}${String(rnd.int(0, 99_999_999)).padStart(8, '0')}`;
}

function customerPhone(rnd: Random): string | null {
  const r = rnd.next();
  if (r < 0.1) return null;
  if (r < 0.3) return `0${rnd.int(10, 999)}-${rnd.int(2_000_000, 89_999_999)}`;
  const m = mobile(rnd);
  return r < 0.45 ? `${m.slice(0, 3)}-${m.slice(3, 7)}-${m.slice(7)}` : m;
}

function companies(rnd: Random, count: number): Generated {
  const names: string[] = [];
  const phones: (string | null)[] = [];
  const keys = new Set<string>();
  while (names.length < count) {
    const brand = rnd.pick(BRAND_CHARS) + rnd.pick(BRAND_CHARS);
    const name = rnd.chance(0.03)
      ? `${rnd.pick(['Sino', 'Asia', 'China', 'Pacific', 'Golden', 'Star'])} ${rnd.pick(LATIN)} ${rnd.int(1, 999)} Co., Ltd.`
      : `${rnd.pick(CITIES)}${brand}${rnd.pick(TRADES)}${rnd.pick(SUFFIXES)}`;
    const key = customerNameKey(name);
    if (keys.has(key)) continue;
    keys.add(key);
    names.push(name);
    phones.push(customerPhone(rnd));
  }
  return { names, phones };
}

async function insertData(db: pg.Client, rnd: Random): Promise<{ adminId: string; sample: { name: string; phone: string; contact: string } }> {
  const users = await db.query<{ id: string }>(
    `INSERT INTO app_user (name, email, password_hash, role)
     SELECT 'Bench ' || i, 'bench' || i || '@bench.local', 'x', CASE WHEN i = 0 THEN 'ADMIN' WHEN i < 3 THEN 'MANAGER' ELSE 'SALES' END
     FROM generate_series(0, 22) i RETURNING id::text`,
  );
  const [adminId, ...staff] = users.rows.map((r) => r.id);
  const { names, phones } = companies(rnd, CUSTOMERS);
  const now = Date.now();
  for (let start = 0; start < CUSTOMERS; start += BATCH) {
    const cols: unknown[][] = Array.from({ length: 13 }, () => []);
    for (let i = start; i < Math.min(start + BATCH, CUSTOMERS); i++) {
      const owned = rnd.chance(0.7);
      const created = new Date(now - rnd.int(0, 3 * 365) * 86_400_000 - rnd.int(0, 86_399_999));
      const row = [
        names[i],
        customerNameKey(names[i]!),
        owned ? 'OWNED' : 'IN_POOL',
        owned ? rnd.pick(staff.slice(2)) : null,
        owned ? created : null,
        phones[i],
        phoneKey(phones[i]),
        rnd.pick(INDUSTRIES),
        rnd.pick(['A', 'B', 'C', 'D', null]),
        rnd.pick(SOURCES),
        rnd.pick(REGIONS),
        rnd.pick(staff),
        created,
      ];
      row.forEach((v, c) => cols[c]!.push(v));
    }
    await db.query(
      `INSERT INTO customer (name, name_key, status, owner_id, claimed_at, phone, phone_key, industry, level, source, region, created_by_id, created_at, updated_at)
       SELECT n, k, s, o, cl, p, pk, i, l, so, r, cb, ca, ca
       FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::timestamptz[], $6::text[], $7::text[], $8::text[], $9::text[],
                   $10::text[], $11::text[], $12::bigint[], $13::timestamptz[]) AS t(n, k, s, o, cl, p, pk, i, l, so, r, cb, ca)`,
      cols,
    );
    process.stdout.write(`\r  customers ${Math.min(start + BATCH, CUSTOMERS)} / ${CUSTOMERS}`);
  }
  process.stdout.write('\n');
  const ids = (await db.query<{ min: string; max: string }>('SELECT min(id)::text, max(id)::text FROM customer')).rows[0]!;
  const contactNames: string[] = [];
  for (let start = 0; start < CONTACTS; start += BATCH) {
    const cols: unknown[][] = [[], [], [], [], []];
    for (let i = start; i < Math.min(start + BATCH, CONTACTS); i++) {
      const name = rnd.pick(SURNAMES) + rnd.pick(GIVEN) + (rnd.chance(0.6) ? rnd.pick(GIVEN) : '');
      contactNames.push(name);
      cols[0]!.push(String(rnd.int(Number(ids.min), Number(ids.max))));
      cols[1]!.push(name);
      cols[2]!.push(rnd.chance(0.85) ? mobile(rnd) : null);
      cols[3]!.push(rnd.chance(0.3) ? `0${rnd.int(10, 999)}-${rnd.int(2_000_000, 89_999_999)}` : null);
      cols[4]!.push(rnd.pick(staff));
    }
    await db.query(
      `INSERT INTO contact (customer_id, name, mobile, phone, created_by_id)
       SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::bigint[])`,
      cols,
    );
    process.stdout.write(`\r  contacts ${Math.min(start + BATCH, CONTACTS)} / ${CONTACTS}`);
  }
  process.stdout.write('\n');
  const withPhone = phones.findIndex((p, i) => i > CUSTOMERS / 2 && p !== null && p.replace(/\D/g, '').length === 11);
  return { adminId: adminId!, sample: { name: names[Math.floor(CUSTOMERS / 3)]!, phone: phones[withPhone]!, contact: contactNames[777]! } };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function main(): Promise<void> {
  const started = Date.now();
  let embedded: EmbeddedDatabase | undefined;
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    embedded = await startEmbeddedPostgres({ dataDir: mkdtempSync(path.join(os.tmpdir(), 'crm-bench-')), ephemeral: true });
    adminUrl = embedded.url;
  }
  const dbName = `crm_bench_${Date.now()}`;
  const url = await ensureDatabase(adminUrl, dbName);
  const config = loadConfig({ DATABASE_URL: url, LOG_LEVEL: 'warn', DEMO_DATA: 'false' });
  const orm = await openOrm({ url, poolSize: 10, statementTimeoutMs: 60_000 });
  const db = new pg.Client({ connectionString: url });
  try {
    await migrate(orm);
    await db.connect();
    console.log(`Loading ${CUSTOMERS} customers and ${CONTACTS} contacts...`);
    const { adminId, sample } = await insertData(db, random(100_000));
    await db.query('VACUUM ANALYZE customer');
    await db.query('VACUUM ANALYZE contact');
    const loaded = Date.now();
    console.log(`Loaded and analysed in ${((loaded - started) / 1000).toFixed(1)} s`);

    const deps: AppDeps = {
      config,
      orm,
      tokens: new TokenService(randomBytes(32).toString('hex'), 3600),
      passwords: new PasswordHasher(config.passwordHash),
    };
    const server = await buildServer(deps, { logger: pino({ level: 'silent' }) });
    const base = await server.listen({ host: '127.0.0.1', port: 0 });
    const tokenOf = async (userId: string) => (await openSession(orm.em.fork(), deps.tokens, userId))!.token;
    const client = createClient({ url: `${base}/graphql`, token: await tokenOf(adminId) });
    const salesId = (await db.query<{ id: string }>(`SELECT owner_id::text AS id FROM customer WHERE owner_id IS NOT NULL ORDER BY id LIMIT 1`)).rows[0]!.id;
    const sales = createClient({ url: `${base}/graphql`, token: await tokenOf(salesId) });

    // The page statement of the last search, with its values inlined (as MikroORM sends it).
    let lastSql: string[] = [];
    orm.config.set('onQuery', (sql: string, params: readonly unknown[]) => {
      lastSql.push(orm.em.getPlatform().formatQuery(sql, params as unknown[]));
      return sql;
    });

    const digits = sample.phone.replace(/\D/g, '');
    type Case = [label: string, query: string, who?: 'SALES', view?: 'MINE' | 'POOL'];
    const cases: Case[] = [
      ['1 character', '华'],
      ['2 characters', '科技'],
      ['4+ characters (city + brand)', [...sample.name].slice(0, 4).join('')],
      ['exact full name', sample.name],
      ['name with another suffix', `${customerNameKey(sample.name)}股份有限公司`],
      ['phone, 8 digits', digits.slice(3)],
      ['phone, full, formatted', `+86 ${digits.slice(0, 3)} ${digits.slice(3, 7)} ${digits.slice(7)}`],
      ['contact name', sample.contact],
      ['SALES, MINE, 1 character', '华', 'SALES', 'MINE'],
      ['SALES, POOL, 2 characters', '科技', 'SALES', 'POOL'],
      ['SALES, POOL, phone (masked)', digits.slice(3), 'SALES', 'POOL'],
    ];
    const results: { label: string; query: string; matches: number; p50: number; p95: number; max: number }[] = [];
    const plans = new Map<string, string>();
    for (const [label, query, who, view] of cases) {
      const times: number[] = [];
      let matches = 0;
      for (let i = 0; i < RUNS + 3; i++) {
        lastSql = [];
        const t0 = performance.now();
        const { customers } = await (who ? sales : client).CustomerList({ view: view ?? 'ALL', search: query, first: 20 });
        const ms = performance.now() - t0;
        matches = customers.totalCount;
        if (i >= 3) times.push(ms);
      }
      const page = lastSql.find((s) => /ORDER BY/i.test(s) && /LIMIT \d+/i.test(s) && s.includes('customer'));
      if (page) plans.set(label, page);
      times.sort((a, b) => a - b);
      results.push({ label, query, matches, p50: percentile(times, 50), p95: percentile(times, 95), max: times.at(-1)! });
    }
    await server.close();

    console.log(`\nQuick search, ${CUSTOMERS} customers / ${CONTACTS} contacts, admin view ALL unless said, first 20 + totalCount, ${RUNS} runs each (ms):\n`);
    const w = Math.max(...results.map((r) => r.label.length + r.query.length + 3));
    console.log(`${'search'.padEnd(w)}  ${'matches'.padStart(7)}  ${'p50'.padStart(7)}  ${'p95'.padStart(7)}  ${'max'.padStart(7)}`);
    for (const r of results) {
      const name = `${r.label} "${r.query}"`;
      // CJK characters are two columns wide in a terminal
      const width = [...name].reduce((n, ch) => n + (/[\u3000-\u9fff\uff00-\uffef]/.test(ch) ? 2 : 1), 0);
      console.log(
        `${name}${' '.repeat(Math.max(0, w + 8 - width))}  ${String(r.matches).padStart(7)}  ${r.p50.toFixed(1).padStart(7)}  ${r.p95.toFixed(1).padStart(7)}  ${r.max.toFixed(1).padStart(7)}`,
      );
    }
    for (const label of (process.env.BENCH_EXPLAIN ?? '2 characters;phone, 8 digits').split(';')) {
      const sql = plans.get(label);
      if (!sql) continue;
      const { rows } = await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`);
      console.log(`\nEXPLAIN (ANALYZE, BUFFERS) of the page statement for "${label}":\n`);
      console.log(rows.map((r) => r['QUERY PLAN']).join('\n'));
    }
    console.log(`\nDone in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  } finally {
    await db.end().catch(() => {});
    await orm.close();
    if (embedded) await embedded.stop();
    else {
      const admin = new pg.Client({ connectionString: adminUrl });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
      await admin.end();
    }
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
