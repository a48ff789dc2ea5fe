import type { FastifyBaseLogger } from 'fastify';
import { atTime } from '../../common/clock.js';
import { contextFor, type AppDeps } from '../../context.js';
import { CustomerLevel, type Customer } from '../../customers/customer.entity.js';
import { createCustomer } from '../../customers/customer.service.js';
import { customerNameKey } from '../../customers/name-key.js';
import * as pool from '../../customers/pool.service.js';
import { updatePoolSettings } from '../../pool-rules/pool-settings.service.js';
import { Role, type User } from '../../users/user.entity.js';
import { createUser } from '../../users/user.service.js';
import { demoCalendar } from './demo-calendar.js';
import { seedDemoRecords } from './demo-records.js';
import type { DemoCustomerSpec, DemoRecordCounts } from './demo-world.js';
import { random } from './random.js';

// A demo company, the same on every run: a director, two managers with their sales teams, and
// 300 customers with Chinese company names, with a past. Customers arrived over the last half
// year; the pool keeps a real share of them unclaimed; claims, assignments, returns and reclaims
// are spread over the last three months, so the daily claim limit has room today and the
// protection period (switched on: 90 days without an interaction) shows a countdown on every
// owned customer, a few of them due within the week. Colleagues share customers, and one
// salesperson is leaving: an admin is to hand her customers over. Everything goes through the
// services (at the demo's past times, common/clock.ts), so the history is exactly what the
// product would write.

export const DEMO_PASSWORD = 'demo-password';

interface DemoPerson {
  key: string;
  name: string;
  email: string;
  role: Role;
  manager?: string;
  /** Leaving the company: her customers are to be handed over (userHandover). */
  leaving?: boolean;
}

export const DEMO_PEOPLE: readonly DemoPerson[] = [
  { key: 'director', name: '周建国', email: 'zhou.jianguo@example.com', role: Role.MANAGER },
  { key: 'east', name: '张伟', email: 'zhang.wei@example.com', role: Role.MANAGER, manager: 'director' },
  { key: 'south', name: '李娜', email: 'li.na@example.com', role: Role.MANAGER, manager: 'director' },
  { key: 'wangfang', name: '王芳', email: 'wang.fang@example.com', role: Role.SALES, manager: 'east' },
  { key: 'liuyang', name: '刘洋', email: 'liu.yang@example.com', role: Role.SALES, manager: 'east' },
  { key: 'chenjing', name: '陈静', email: 'chen.jing@example.com', role: Role.SALES, manager: 'east' },
  { key: 'yanglei', name: '杨磊', email: 'yang.lei@example.com', role: Role.SALES, manager: 'south' },
  { key: 'zhaomin', name: '赵敏', email: 'zhao.min@example.com', role: Role.SALES, manager: 'south' },
  { key: 'huangqiang', name: '黄强', email: 'huang.qiang@example.com', role: Role.SALES, manager: 'south' },
  { key: 'sunli', name: '孙丽', email: 'sun.li@example.com', role: Role.SALES, manager: 'south', leaving: true },
];

/** The protection period the demo switches on, and its reminder. */
export const DEMO_PROTECTION = { noInteractionDays: 90, reminderDays: 7 } as const;

const CITIES = [
  ['北京', '华北', ['朝阳', '海淀', '丰台', '东城']],
  ['上海', '华东', ['浦东新', '徐汇', '闵行', '静安']],
  ['深圳', '华南', ['南山', '福田', '宝安', '龙岗']],
  ['广州', '华南', ['天河', '越秀', '番禺', '黄埔']],
  ['杭州', '华东', ['西湖', '滨江', '余杭', '萧山']],
  ['南京', '华东', ['鼓楼', '江宁', '建邺', '玄武']],
  ['苏州', '华东', ['工业园', '姑苏', '吴中', '相城']],
  ['成都', '西南', ['高新', '武侯', '锦江', '成华']],
  ['武汉', '华中', ['江汉', '洪山', '武昌', '汉阳']],
  ['西安', '西北', ['雁塔', '碑林', '未央', '长安']],
  ['天津', '华北', ['和平', '南开', '河西', '滨海新']],
  ['重庆', '西南', ['渝中', '江北', '南岸', '渝北']],
] as const;

const BRANDS = [
  '华信', '恒通', '宏远', '金诚', '博源', '鼎盛', '瑞丰', '天成', '嘉禾', '永泰', '新锐', '中联',
  '汇智', '海川', '东方', '明达', '凯乐', '安捷', '盛世', '华章', '远航', '同创', '正大', '德润',
  '星河', '鑫源', 'beta', '锦程', '启航', '立信',
];

const INDUSTRIES = [
  ['科技', '信息技术'], ['软件', '信息技术'], ['电子', '电子制造'], ['机械', '装备制造'],
  ['贸易', '批发零售'], ['物流', '交通物流'], ['建材', '建筑建材'], ['医药', '医药健康'],
  ['食品', '食品饮料'], ['化工', '化工'], ['纺织', '纺织服装'], ['新能源', '能源'],
  ['环保', '节能环保'], ['教育咨询', '教育培训'],
] as const;

const SUFFIXES = ['有限公司', '有限公司', '有限公司', '股份有限公司', '集团有限公司'];
const SOURCES = ['展会', '官网咨询', '客户转介绍', '电话营销', '网络广告', '老客户'];
const ROADS = ['人民', '建设', '解放', '中山', '科技', '创业', '长江', '黄河', '和平', '新华'];

export type { DemoCustomerSpec };

/** The 300 demo customers (same list on every run). */
export function demoCustomerSpecs(count = 300): DemoCustomerSpec[] {
  const rnd = random(20261127);
  const specs: DemoCustomerSpec[] = [];
  const keys = new Set<string>();
  while (specs.length < count) {
    const [city, region, districts] = rnd.pick(CITIES);
    const brand = rnd.pick(BRANDS).replace('beta', '贝塔');
    const [word, industry] = rnd.pick(INDUSTRIES);
    const name = `${city}${brand}${word}${rnd.pick(SUFFIXES)}`;
    const key = customerNameKey(name);
    if (keys.has(key)) continue;
    keys.add(key);
    const n = specs.length + 1;
    specs.push({
      name,
      phone: `1${rnd.pick(['35', '38', '39', '50', '58', '86', '88'])}${String(rnd.int(0, 99999999)).padStart(8, '0')}`,
      email: `contact${n}@example.cn`,
      address: `${city}市${rnd.pick(districts)}区${rnd.pick(ROADS)}路${rnd.int(1, 999)}号`,
      website: `www.demo${n}.example.cn`,
      industry,
      level: rnd.pick([CustomerLevel.A, CustomerLevel.B, CustomerLevel.B, CustomerLevel.C, CustomerLevel.C, CustomerLevel.D]),
      source: rnd.pick(SOURCES),
      region,
    });
  }
  return specs;
}

export interface DemoResult {
  people: { name: string; email: string; role: Role; manager?: string; leaving?: boolean }[];
  customers: number;
  /** The records of the customers (contacts, interactions, quotes, ...) by kind. */
  records: DemoRecordCounts;
}

export interface DemoOptions {
  /** The moment the demo's dates are relative to (default: now); not in the future. */
  now?: Date;
}

async function expectOk(run: Promise<pool.ActionResult[]>): Promise<void> {
  for (const result of await run) {
    if (result.userErrors.length) throw new Error(`Demo data: ${result.userErrors[0]!.message}`);
  }
}

/** Builds the demo company; `admin` must exist. */
export async function seedDemoData(
  app: AppDeps,
  admin: User,
  log: FastifyBaseLogger,
  options: DemoOptions = {},
): Promise<DemoResult> {
  const asAdmin = await contextFor(app, admin.id, log);
  const people = new Map<string, User>();
  for (const p of DEMO_PEOPLE) {
    const manager = p.manager ? people.get(p.manager) : undefined;
    const user = await createUser(asAdmin, {
      name: p.name,
      email: p.email,
      password: DEMO_PASSWORD,
      role: p.role,
      managerId: manager?.nodeId ?? null,
    });
    people.set(p.key, user);
  }
  // A fresh context for every action, as a request would have: a long-lived one would carry every
  // entity it ever loaded into each later transaction, and slow each flush down.
  const as = (key: string) => contextFor(app, people.get(key)!.id, log);
  const calendar = demoCalendar(options.now ?? new Date());
  // Each step happens at its day in the past (offset from today), at a fixed time of day.
  const on = <T>(day: number, hour: number, work: () => Promise<T>) => atTime(calendar.at(day, hour), work);
  const sales = DEMO_PEOPLE.filter((p) => p.role === Role.SALES).map((p) => p.key);
  const rnd = random(7);

  const created: Customer[] = [];
  // Who owns what, and since which day, as the steps below change it (entities of earlier steps
  // are not refreshed).
  const ownerOf = new Map<string, string>();
  const ownedSince = new Map<string, number>();
  const specs = demoCustomerSpecs();
  for (const [i, spec] of specs.entries()) {
    // Two in five are created and claimed at once by a salesperson in the last three months; the
    // rest arrived in the pool before that.
    const claimNow = i % 5 < 2;
    const creator = claimNow ? rnd.pick(sales) : rnd.pick(['east', 'south', 'director', ...sales]);
    const day = claimNow ? -88 + Math.floor((i * 87) / specs.length) : -180 + Math.floor((i * 88) / specs.length);
    const customer = await on(day, 9, async () => createCustomer(await as(creator), { ...spec, claim: claimNow }));
    created.push(customer);
    if (claimNow) {
      ownerOf.set(customer.id, creator);
      ownedSince.set(customer.id, day);
    }
  }
  const inPool = created.filter((_, i) => i % 5 >= 2);

  // Salespeople claim from the pool; managers assign some pool customers to their teams.
  const claimed = inPool.slice(0, 60);
  for (const [i, customer] of claimed.entries()) {
    const who = sales[i % sales.length]!;
    const day = -85 + Math.floor((i * 84) / claimed.length);
    await on(day, 10, async () => expectOk(pool.claim(await as(who), { customerIds: [customer.nodeId] })));
    ownerOf.set(customer.id, who);
    ownedSince.set(customer.id, day);
  }
  const assigned = inPool.slice(60, 90);
  for (const [i, customer] of assigned.entries()) {
    const manager = i % 2 === 0 ? 'east' : 'south';
    const team = DEMO_PEOPLE.filter((p) => p.manager === manager).map((p) => p.key);
    const who = team[i % team.length]!;
    const day = -80 + 2 * i;
    await on(day, 11, async () =>
      expectOk(
        pool.assign(await as(manager), {
          customerIds: [customer.nodeId],
          assigneeId: people.get(who)!.nodeId,
          keepShares: false,
          keepPreviousOwnerAsSharee: false,
          reason: '按区域分配',
        }),
      ),
    );
    ownerOf.set(customer.id, who);
    ownedSince.set(customer.id, day);
  }
  // Some go back: returned by their owner, or reclaimed by the owner's manager, weeks later.
  for (const customer of claimed.slice(0, 6)) {
    const owner = ownerOf.get(customer.id)!;
    await on(ownedSince.get(customer.id)! + 10, 15, async () =>
      expectOk(pool.giveBack(await as(owner), { customerIds: [customer.nodeId], reason: '暂无合作意向' })),
    );
    ownerOf.delete(customer.id);
  }
  for (const customer of assigned.slice(0, 4)) {
    const owner = DEMO_PEOPLE.find((p) => p.key === ownerOf.get(customer.id))!;
    await on(ownedSince.get(customer.id)! + 15, 16, async () =>
      expectOk(pool.reclaim(await as(owner.manager!), { customerIds: [customer.nodeId], reason: '长期未跟进' })),
    );
    ownerOf.delete(customer.id);
  }
  // Shares between colleagues, for the "shared with me" view, a day after the owner got it.
  const owned = created.filter((c) => ownerOf.has(c.id));
  for (const [i, customer] of owned.slice(0, 40).entries()) {
    const owner = ownerOf.get(customer.id)!;
    const colleague = sales[(sales.indexOf(owner) + 1 + (i % 3)) % sales.length]!;
    if (colleague === owner) continue;
    await on(Math.min(ownedSince.get(customer.id)! + 1, -1), 17, async () =>
      expectOk(
        pool.share(await as(owner), { customerIds: [customer.nodeId], userIds: [people.get(colleague)!.nodeId], reason: '协同跟进' }),
      ),
    );
  }
  // A few stale pool customers are archived by the admin.
  const stale = inPool.slice(-8).map((c) => c.nodeId);
  await on(-40, 18, () => expectOk(pool.archive(asAdmin, { customerIds: stale, reason: '信息无效' })));
  // The protection period is on: every owned customer shows when it returns to the pool.
  await updatePoolSettings(asAdmin, { ...DEMO_PROTECTION });

  // The customers' records, as their owners (and, in the pool, managers) write them.
  const records = await seedDemoRecords(
    { app, log, people, calendar },
    created.map((customer, i) => ({
      customer,
      spec: specs[i]!,
      n: i + 1,
      owner: ownerOf.get(customer.id),
      since: ownerOf.has(customer.id) ? ownedSince.get(customer.id) : undefined,
      archived: stale.includes(customer.nodeId),
    })),
  );

  return {
    people: DEMO_PEOPLE.map((p) => ({
      name: p.name,
      email: p.email,
      role: p.role,
      manager: p.manager ? DEMO_PEOPLE.find((m) => m.key === p.manager)!.name : undefined,
      ...(p.leaving ? { leaving: true } : {}),
    })),
    customers: created.length,
    records,
  };
}
