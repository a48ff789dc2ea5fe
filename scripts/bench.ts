/**
 * What the read path and a pool action cost, on the production build, under load.
 *
 *   npm run bench                                   # 100,000 customers, embedded PostgreSQL
 *   BENCH_CUSTOMERS=20000 npm run bench             # another size
 *   DATABASE_URL=postgres://u:p@host/db npm run bench   # on a server you run: a database
 *                                                   # crm_bench_<time> is made there, and dropped
 *
 * Settings (environment): BENCH_CONNECTIONS (concurrent clients, default "1,10,50"), BENCH_SECONDS
 * measured per level (15), BENCH_WARMUP seconds before each (3), BENCH_PAGE customers per page (50),
 * BENCH_CASES (names to run, comma separated; default all), BENCH_SERVER_CPUS (pin the servers
 * with taskset, e.g. "0"), BENCH_OUT (a JSON file for the results), BENCH_KEEP=1 (keep the database),
 * BENCH_DATABASE (the URL of a database an earlier run kept, to measure it again without loading a
 * dataset; it is left as it is, and BENCH_CUSTOMERS should say its size; the claim and return
 * cycle may meet its own cool-downs there), BENCH_CPU_PROF (a folder: the server runs with
 * `node --cpu-prof` and writes its profile of the whole run there when it stops), BENCH_NODE_FLAGS
 * (more flags for the server's node, e.g. "--max-semi-space-size=32").
 *
 * Steps: build (`npm run build`); make a fresh database and migrate it; load the dataset
 * (bench/dataset.ts: 100 staff, n customers with 3 contacts and their relations, 20 interactions,
 * 2 quotes, a contract with a receivable and 2 receipts each: about 33 rows per customer); start the
 * production server (`node dist/src/main.js`) and, beside it, the one-statement baseline
 * (bench/raw-server.mjs: the headline page as one SQL statement that builds the JSON); then for
 * every case and every concurrency level, autocannon for the measured seconds after a warm-up.
 *
 * Cases: the headline page (CustomersOverview, BENCH_PAGE customers with everything under them) in
 * each view, each as the user it is for (ALL: the admin; MINE and POOL, masked: a salesperson;
 * SUBORDINATES: a manager; SHARED_WITH_ME: a salesperson with shares); the quick search list
 * (科技, BENCH_PAGE rows with totalCount, the admin); one customer's full record (everything under
 * it, its history); a claim and a return by a salesperson (each client its own pool customer:
 * two mutations per cycle, counted as two requests); the smallest query (`viewer`) with a session
 * token and with an API key, each on the server and on a second instance of the same build with
 * rate limits off (RATE_LIMIT_*=off): what key authentication and rate accounting cost a request;
 * and the baseline (the admin's ALL page).
 *
 * Columns: requests per second; p50 and p99 latency (ms, as the client sees it); errors (non-2xx,
 * timeouts, or GraphQL errors in the first answer); Node CPU per request (ms of the server
 * process, user + system, from /proc); PostgreSQL CPU per request (ms of the database backends
 * serving this database, from /proc, when PostgreSQL runs on this machine); PostgreSQL execution
 * time per request and SQL statements per request (pg_stat_statements, when the server has it
 * loaded: the embedded one does; statements are counted over sequential requests); the server's
 * largest resident memory during the level (MB).
 */
import 'reflect-metadata';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { print } from 'graphql';
import pg from 'pg';
import {
  CustomerDocument,
  CustomerListDocument,
  CustomersClaimDocument,
  CustomersOverviewDocument,
  CustomersReturnDocument,
  ViewerDocument,
  ApiScope,
  createClient,
} from '../sdk/index.js';
import { PasswordHasher } from '../src/auth/password.js';
import { loadConfig } from '../src/config.js';
import { ensureDatabase, startEmbeddedPostgres, type EmbeddedDatabase } from '../src/db/embedded-postgres.js';
import { migrate, openOrm } from '../src/db/orm.js';
import { BENCH_PASSWORD, datasetSql } from './bench/dataset.js';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const env = process.env;
const CUSTOMERS = Number(env.BENCH_CUSTOMERS ?? 100_000);
const CONNECTIONS = (env.BENCH_CONNECTIONS ?? '1,10,50').split(',').map(Number);
const SECONDS = Number(env.BENCH_SECONDS ?? 15);
const WARMUP = Number(env.BENCH_WARMUP ?? 3);
const PAGE = Number(env.BENCH_PAGE ?? 50);
const ONLY = env.BENCH_CASES ? new Set(env.BENCH_CASES.split(',')) : undefined;
const STATEMENT_SAMPLES = 5;

interface Case {
  name: string;
  /** The server it runs against. */
  target: 'server' | 'unlimited' | 'baseline';
  token?: string;
  /** One request, or a cycle of requests each connection repeats; `$ID` is its own customer. */
  bodies: string[];
  /** The customers each connection works on (one each), when the bodies name one. */
  perConnection?: string[];
}

interface Measured {
  case: string;
  connections: number;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
  nodeCpuMs: number | null;
  pgCpuMs: number | null;
  pgExecMs: number | null;
  statements: number | null;
  rssMb: number | null;
}

// ---- processes and /proc ----------------------------------------------------------------------

const TICK_MS = (() => {
  const out = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
  const hz = Number(out.stdout?.trim());
  return 1000 / (Number.isFinite(hz) && hz > 0 ? hz : 100);
})();

/** CPU ms used by a process so far (user + system), or null where /proc can't tell. */
function cpuMs(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return null;
  }
}

function rssMb(pid: number): number | null {
  try {
    const match = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
    probe.on('error', reject);
  });
}

function pinned(command: string, args: string[]): [string, string[]] {
  return env.BENCH_SERVER_CPUS ? ['taskset', ['-c', env.BENCH_SERVER_CPUS, command, ...args]] : [command, args];
}

async function waitFor(url: string, child: ChildProcess, output: () => string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`${url}: the process exited (${child.exitCode}):\n${output()}`);
    const ok = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{__typename}"}' })
      .then((r) => r.status < 500)
      .catch(() => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not come up:\n${output()}`);
}

function startProcess(command: string, args: string[], childEnv: NodeJS.ProcessEnv): { child: ChildProcess; output: () => string } {
  const [cmd, argv] = pinned(command, args);
  const child = spawn(cmd, argv, { cwd: ROOT, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-20_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  return { child, output: () => output };
}

/** The process that does the work (taskset execs it, so it is the same pid). */
const pidOf = (child: ChildProcess) => child.pid!;

// ---- the database -----------------------------------------------------------------------------

async function loadDataset(url: string, passwordHash: string): Promise<void> {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    const started = Date.now();
    for (const statement of datasetSql(CUSTOMERS, passwordHash)) await db.query(statement);
    await db.query('VACUUM ANALYZE');
    await db.query(fs.readFileSync(path.join(ROOT, 'scripts/bench/raw-helpers.sql'), 'utf8'));
    console.log(`Loaded ${CUSTOMERS} customers (about ${CUSTOMERS * 33} rows) in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  } finally {
    await db.end();
  }
}

class Statistics {
  private constructor(
    private readonly db: pg.Client,
    readonly hasStatements: boolean,
  ) {}

  static async open(url: string): Promise<Statistics> {
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    const hasStatements = await db
      .query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements')
      .then(() => db.query('SELECT pg_stat_statements_reset()'))
      .then(() => true)
      .catch(() => false);
    return new Statistics(db, hasStatements);
  }

  /** CPU ms of every backend of this database but this one (null when /proc can't see them). */
  async backendsCpu(): Promise<Map<number, number> | null> {
    const { rows } = await this.db.query<{ pid: number }>(
      'SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
    );
    const cpu = new Map<number, number>();
    for (const { pid } of rows) {
      const ms = cpuMs(pid);
      if (ms === null) return null;
      cpu.set(pid, ms);
    }
    return cpu;
  }

  /** Statements run and their execution time so far, in this database (not counting these). */
  async statements(): Promise<{ calls: number; ms: number } | null> {
    if (!this.hasStatements) return null;
    const { rows } = await this.db.query<{ calls: string; ms: string }>(
      `SELECT coalesce(sum(calls), 0) AS calls, coalesce(sum(total_exec_time), 0) AS ms
       FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
       WHERE d.datname = current_database() AND s.query NOT ILIKE '%pg_stat_%'`,
    );
    return { calls: Number(rows[0]!.calls), ms: Number(rows[0]!.ms) };
  }

  /** Waits until no statement ran in this database for a moment (the last level's stragglers). */
  async quiet(): Promise<void> {
    let last = await this.statements();
    for (let still = 0, i = 0; still < 3 && i < 100; i++) {
      await new Promise((r) => setTimeout(r, 200));
      const now = await this.statements();
      still = now?.calls === last?.calls ? still + 1 : 0;
      last = now;
    }
  }

  close(): Promise<void> {
    return this.db.end();
  }
}

// ---- load -------------------------------------------------------------------------------------

function run(url: string, c: Case, connections: number, seconds: number): Promise<autocannon.Result> {
  let next = 0;
  const headers = { 'content-type': 'application/json', ...(c.token ? { authorization: `Bearer ${c.token}` } : {}) };
  return autocannon({
    url,
    connections,
    duration: seconds,
    timeout: 60,
    headers,
    requests: c.bodies.map((body) => ({
      method: 'POST' as const,
      setupRequest: (request: autocannon.Request, context: Record<string, unknown>) => {
        if (!c.perConnection) return { ...request, body };
        context.id ??= c.perConnection[next++ % c.perConnection.length];
        return { ...request, body: body.replace('$ID', String(context.id)) };
      },
    })),
  } as autocannon.Options);
}

async function firstAnswerErrors(url: string, c: Case): Promise<string | undefined> {
  for (const body of c.bodies) {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(c.token ? { authorization: `Bearer ${c.token}` } : {}) },
      body: body.replace('$ID', c.perConnection?.[0] ?? ''),
    });
    const json = (await response.json()) as { errors?: unknown[]; data?: Record<string, { userErrors?: unknown[] }> };
    if (response.status !== 200 || json.errors) return `${response.status} ${JSON.stringify(json.errors).slice(0, 300)}`;
    const payload = Object.values(json.data ?? {})[0];
    if (payload?.userErrors?.length) return JSON.stringify(payload.userErrors).slice(0, 300);
  }
  return undefined;
}

async function measure(url: string, serverPid: number, stats: Statistics, c: Case, connections: number): Promise<Measured> {
  if (WARMUP > 0) await run(url, c, connections, WARMUP);
  const cpu0 = cpuMs(serverPid);
  const pg0 = await stats.backendsCpu();
  const st0 = await stats.statements();
  let rss = rssMb(serverPid);
  const sampler = setInterval(() => {
    const now = rssMb(serverPid);
    if (now !== null) rss = Math.max(rss ?? 0, now);
  }, 250);
  const result = await run(url, c, connections, SECONDS);
  clearInterval(sampler);
  const cpu1 = cpuMs(serverPid);
  const pg1 = await stats.backendsCpu();
  const st1 = await stats.statements();
  const requests = Math.max(1, result.requests.total);
  let pgCpu: number | null = null;
  if (pg0 && pg1) {
    pgCpu = 0;
    for (const [pid, ms] of pg1) pgCpu += ms - (pg0.get(pid) ?? 0);
  }
  return {
    case: c.name,
    connections,
    requestsPerSecond: result.requests.total / (result.duration || SECONDS),
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
    nodeCpuMs: cpu0 !== null && cpu1 !== null ? (cpu1 - cpu0) / requests : null,
    pgCpuMs: pgCpu === null ? null : pgCpu / requests,
    pgExecMs: st0 && st1 ? (st1.ms - st0.ms) / requests : null,
    statements: null,
    rssMb: rss,
  };
}

/** SQL statements per request, over sequential requests (concurrency does not change them). */
async function statementsPerRequest(url: string, stats: Statistics, c: Case): Promise<number | null> {
  await stats.quiet();
  const before = await stats.statements();
  if (!before) return null;
  const result = await autocannon({
    url,
    connections: 1,
    amount: STATEMENT_SAMPLES * c.bodies.length,
    headers: { 'content-type': 'application/json', ...(c.token ? { authorization: `Bearer ${c.token}` } : {}) },
    requests: c.bodies.map((body) => ({ method: 'POST' as const, body: body.replace('$ID', c.perConnection?.[0] ?? '') })),
  } as autocannon.Options);
  await stats.quiet();
  const after = await stats.statements();
  return (after!.calls - before.calls) / Math.max(1, result.requests.total);
}

// ---- the run ----------------------------------------------------------------------------------

const fmt = (v: number | null, digits = 1) => (v === null ? 'n/a' : v.toFixed(digits));

function table(rows: Measured[]): string {
  const head = '| case | clients | req/s | p50 ms | p99 ms | errors | Node CPU ms/req | PG CPU ms/req | PG exec ms/req | SQL statements/req | RSS MB |';
  const line = '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|';
  const body = rows.map(
    (r) =>
      `| ${r.case} | ${r.connections} | ${fmt(r.requestsPerSecond)} | ${r.p50} | ${r.p99} | ${r.errors} | ${fmt(r.nodeCpuMs)} | ${fmt(r.pgCpuMs)} | ${fmt(r.pgExecMs)} | ${fmt(r.statements)} | ${fmt(r.rssMb, 0)} |`,
  );
  return [head, line, ...body].join('\n');
}

async function main(): Promise<void> {
  if (!env.BENCH_SKIP_BUILD) {
    console.log('Building the production server (npm run build)...');
    const build = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
    if (build.status !== 0) throw new Error('npm run build failed');
  }
  const reused = env.BENCH_DATABASE;
  let embedded: EmbeddedDatabase | undefined;
  let adminUrl = env.DATABASE_URL;
  if (!adminUrl && !reused) {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-bench-'));
    embedded = await startEmbeddedPostgres({
      dataDir,
      ephemeral: true,
      settings: { shared_preload_libraries: 'pg_stat_statements', shared_buffers: '1GB', max_parallel_workers_per_gather: '0' },
    });
    adminUrl = embedded.url;
  }
  const dbName = `crm_bench_${Date.now()}`;
  const url = reused ?? (await ensureDatabase(adminUrl!, dbName));
  const children: ChildProcess[] = [];
  let stats: Statistics | undefined;
  try {
    const orm = await openOrm({ url, poolSize: 2, statementTimeoutMs: 0 });
    await migrate(orm);
    await orm.close();
    if (!reused) {
      const config = loadConfig({});
      await loadDataset(url, await new PasswordHasher(config.passwordHash).hash(BENCH_PASSWORD));
    }
    stats = await Statistics.open(url);

    const serverPort = await freePort();
    const baselinePort = await freePort();
    const base = { PATH: env.PATH, HOME: env.HOME, TMPDIR: env.TMPDIR ?? os.tmpdir(), LANG: env.LANG ?? 'C.UTF-8', TZ: env.TZ ?? 'UTC' };
    const serverEnv = {
      ...base,
      NODE_ENV: 'production',
      DATABASE_URL: url,
      DEMO_DATA: 'false',
      LOG_LEVEL: 'warn',
      POOL_SWEEP_INTERVAL_SECONDS: '0',
      JWT_SECRET: randomBytes(32).toString('hex'),
    };
    // Keys get a bucket the load cannot drain (the default, 1,000 points a second, throttles it).
    const profile = env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(env.BENCH_CPU_PROF)}`] : [];
    const flags = env.BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? [];
    const server = startProcess(process.execPath, [...flags, ...profile, 'dist/src/main.js'], { ...serverEnv, PORT: String(serverPort), RATE_LIMIT_API_KEY: '10000000/10000000' });
    // The same build with rate accounting switched off: what the buckets cost a request.
    const unlimitedPort = await freePort();
    const unlimited = startProcess(process.execPath, ['dist/src/main.js'], {
      ...serverEnv,
      PORT: String(unlimitedPort),
      RATE_LIMIT_ADMIN: 'off',
      RATE_LIMIT_MANAGER: 'off',
      RATE_LIMIT_SALES: 'off',
      RATE_LIMIT_API_KEY: 'off',
    });
    const baseline = startProcess(process.execPath, ['scripts/bench/raw-server.mjs'], { ...base, NODE_ENV: 'production', DATABASE_URL: url, PORT: String(baselinePort) });
    children.push(server.child, unlimited.child, baseline.child);
    const serverUrl = `http://127.0.0.1:${serverPort}/graphql`;
    const baselineUrl = `http://127.0.0.1:${baselinePort}/`;
    await waitFor(serverUrl, server.child, server.output);
    const unlimitedUrl = `http://127.0.0.1:${unlimitedPort}/graphql`;
    await waitFor(unlimitedUrl, unlimited.child, unlimited.output);
    await waitFor(baselineUrl, baseline.child, baseline.output);

    // Who asks: the admin, a manager, a salesperson with customers and shares.
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    const pick = async (sql: string) => (await db.query<{ email: string }>(sql)).rows[0]!.email;
    const manager = await pick(`SELECT email FROM app_user WHERE id = 2`);
    const sharee = await pick(
      `SELECT u.email FROM app_user u JOIN customer_share s ON s.user_id = u.id GROUP BY u.id ORDER BY count(*) DESC, u.id LIMIT 1`,
    );
    const sales = await pick(`SELECT u.email FROM app_user u WHERE u.role = 'SALES' ORDER BY u.id LIMIT 1`);
    const claimer = await pick(`SELECT u.email FROM app_user u WHERE u.role = 'SALES' ORDER BY u.id DESC LIMIT 1`);
    const pool = (await db.query<{ id: string }>(`SELECT id::text FROM customer WHERE status = 'IN_POOL' ORDER BY id DESC LIMIT 100`)).rows;
    const record = (await db.query<{ id: string }>(`SELECT id::text FROM customer WHERE status = 'OWNED' ORDER BY id LIMIT 1 OFFSET ${Math.floor(CUSTOMERS / 3)}`)).rows[0];
    await db.end();
    const tokenOf = async (email: string) => createClient({ url: serverUrl }).signIn(email, BENCH_PASSWORD);
    const tokens = { admin: await tokenOf('admin@bench.local'), manager: await tokenOf(manager), sharee: await tokenOf(sharee), sales: await tokenOf(sales), claimer: await tokenOf(claimer) };
    // A partner app's key of the admin (read scope, the instance's bucket for keys).
    const keyed = createClient({ url: serverUrl, token: tokens.admin });
    const created = await keyed.ApiKeyCreate({
      input: { name: 'bench', scopes: [ApiScope.READ] },
    });
    const apiKey = created.apiKeyCreate.secret!;
    const gid = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64url');

    const body = (query: string, variables: Record<string, unknown>) => JSON.stringify({ query, variables });
    const overview = print(CustomersOverviewDocument);
    const headline = (view: string, token: string, who: string): Case => ({
      name: `headline ${view} (${who})`,
      target: 'server',
      token,
      bodies: [body(overview, { view, first: PAGE })],
    });
    const fullRecord = fragmentsFor(
      `query FullRecord($id: ID!) {
      customer(id: $id) {
        ...CustomerFields lastInteractionAt nextFollowUpAt
        history(first: 20) { totalCount nodes { ...OwnershipEventFields } }
        contacts(first: 20) { totalCount nodes { ...ContactFields relations(first: 10) { totalCount edges { ...ContactRelationEdgeFields } } } }
        interactions(first: 20) { totalCount nodes { ...InteractionFields } }
        quotes(first: 10) { totalCount nodes { ...QuoteFields } }
        contracts(first: 10) { totalCount nodes { ...ContractFields receivables(first: 10) { totalCount nodes { ...ReceivableFields } }
                                                   receipts(first: 10) { totalCount nodes { ...ReceiptFields } } } }
        moneyTotals { ...MoneyTotalsFields }
        attachments(first: 20) { totalCount nodes { ...AttachmentFields } }
      }
    }`,
      overview,
      print(CustomerDocument),
    );
    const action = (document: string) => body(document, { input: { customerIds: ['$ID'], reason: 'bench' } });
    const all: Case[] = [
      headline('ALL', tokens.admin, 'admin'),
      headline('MINE', tokens.sales, 'salesperson'),
      headline('SUBORDINATES', tokens.manager, 'manager'),
      headline('SHARED_WITH_ME', tokens.sharee, 'salesperson'),
      headline('POOL', tokens.sales, 'salesperson, masked'),
      { name: 'search 科技 (admin)', target: 'server', token: tokens.admin, bodies: [body(print(CustomerListDocument), { view: 'ALL', search: '科技', first: PAGE })] },
      { name: "one customer's full record", target: 'server', token: tokens.admin, bodies: [body(fullRecord, { id: gid('Customer', record!.id) })] },
      {
        name: 'claim + return (salesperson)',
        target: 'server',
        token: tokens.claimer,
        bodies: [action(print(CustomersClaimDocument)), action(print(CustomersReturnDocument))],
        perConnection: pool.map((p) => gid('Customer', p.id)),
      },
      // What key authentication and rate accounting cost: the smallest query, four ways.
      ...(['server', 'unlimited'] as const).flatMap((target): Case[] => {
        const limits = target === 'server' ? 'rate limits on' : 'rate limits off';
        return [
          { name: `viewer, session token, ${limits}`, target, token: tokens.admin, bodies: [body(print(ViewerDocument), {})] },
          { name: `viewer, API key, ${limits}`, target, token: apiKey, bodies: [body(print(ViewerDocument), {})] },
        ];
      }),
      { name: 'baseline: one SQL statement (ALL, admin)', target: 'baseline', bodies: [body(overview, { view: 'ALL', first: PAGE })] },
    ];
    const cases = all.filter((c) => !ONLY || [...ONLY].some((o) => c.name.startsWith(o)));

    const results: Measured[] = [];
    for (const c of cases) {
      const target = {
        server: { url: serverUrl, pid: pidOf(server.child) },
        unlimited: { url: unlimitedUrl, pid: pidOf(unlimited.child) },
        baseline: { url: baselineUrl, pid: pidOf(baseline.child) },
      }[c.target];
      const problem = c.target === 'baseline' ? undefined : await firstAnswerErrors(target.url, c);
      if (problem) throw new Error(`${c.name}: the answer has errors: ${problem}`);
      const statements = await statementsPerRequest(target.url, stats, c);
      for (const connections of CONNECTIONS) {
        const m = await measure(target.url, target.pid, stats, c, connections);
        m.statements = statements;
        results.push(m);
        console.log(`${c.name}, ${connections} clients: ${fmt(m.requestsPerSecond)} req/s, p50 ${m.p50} ms, p99 ${m.p99} ms, ${m.errors} errors, Node ${fmt(m.nodeCpuMs)} ms/req`);
      }
    }
    console.log(`\n${CUSTOMERS} customers, page of ${PAGE}, ${SECONDS} s per level, Node ${process.version}, ${os.cpus().length} CPUs\n`);
    console.log(table(results));
    if (env.BENCH_OUT) fs.writeFileSync(env.BENCH_OUT, JSON.stringify({ customers: CUSTOMERS, page: PAGE, seconds: SECONDS, results }, null, 2));
  } finally {
    await stats?.close();
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(children.map((child) => (child.exitCode !== null ? undefined : new Promise((r) => child.once('exit', r)))));
    if (reused) console.log(`Measured the database: ${url}`);
    else if (!env.BENCH_KEEP) {
      if (embedded) await embedded.stop();
      else {
        const admin = new pg.Client({ connectionString: adminUrl });
        await admin.connect();
        await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
        await admin.end();
      }
    } else console.log(`Kept the database: ${url}`);
  }
}

/** The fragments `operation` uses (directly or through each other), defined in `documents`. */
function fragmentsFor(operation: string, ...documents: string[]): string {
  const defined = new Map<string, string>();
  for (const text of documents) {
    for (const match of text.matchAll(/^fragment (\w+) on [\s\S]*?^}/gm)) defined.set(match[1]!, match[0]);
  }
  const used = new Map<string, string>();
  const visit = (text: string) => {
    for (const [, name] of text.matchAll(/\.\.\.(\w+)/g)) {
      const fragment = defined.get(name!);
      if (fragment && !used.has(name!)) {
        used.set(name!, fragment);
        visit(fragment);
      }
    }
  };
  visit(operation);
  return [operation, ...used.values()].join('\n');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
