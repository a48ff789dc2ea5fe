import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createClient } from '../sdk/index.js';
import { ensureDatabase, freePort } from '../src/db/embedded-postgres.js';
import { fromGlobalId } from '../src/common/ids.js';

// The real process, as `npm start` runs it: start-up banner, demo data, reopening the data,
// graceful shutdown on SIGTERM with a request still running.

interface Running {
  child: ChildProcessWithoutNullStreams;
  output: () => string;
  exited: Promise<number | null>;
  url: string;
}

// A developer's shell may set any of the server's settings; the tests give the server every setting
// it depends on, so these must not matter.
const CALLERS_SETTINGS: Record<string, string> = {
  ADMIN_EMAIL: 'someone.else@example.com',
  ADMIN_PASSWORD: 'the-callers-password',
  ADMIN_NAME: 'Somebody Else',
  DEMO_DATA: 'false',
  JWT_SECRET: 'too-short',
  TOKEN_TTL_SECONDS: 'not-a-number',
};
const saved = Object.fromEntries(Object.keys(CALLERS_SETTINGS).map((key) => [key, process.env[key]]));
beforeAll(() => void Object.assign(process.env, CALLERS_SETTINGS));
afterAll(() => {
  for (const [key, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
});

const started: Running[] = [];
// A server still running after a failed test is stopped the way an operator would (SIGTERM), so
// that it stops its embedded PostgreSQL too; SIGKILL only if it doesn't exit.
afterAll(async () => {
  await Promise.all(
    started
      .filter((r) => r.child.exitCode === null && r.child.signalCode === null)
      .map(async (r) => {
        r.child.kill('SIGTERM');
        const exited = await Promise.race([r.exited.then(() => true), new Promise((resolve) => setTimeout(() => resolve(false), 15_000))]);
        if (!exited) r.child.kill('SIGKILL');
      }),
  );
}, 30_000);

/**
 * The server's whole environment: what a shell always has, and the settings each test gives. None
 * of the caller's settings (ADMIN_EMAIL, JWT_SECRET, ...) reach it.
 */
function processEnv(port: number, env: Record<string, string>): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TMPDIR: os.tmpdir(),
    PORT: String(port),
    LOG_LEVEL: 'warn',
    PASSWORD_HASH_MEMORY_KIB: '1024',
    ...env,
  };
}

async function startProcess(env: Record<string, string>): Promise<Running> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: path.resolve(import.meta.dirname, '..'),
    env: processEnv(port, env),
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const running = { child, output: () => output, exited, url: `http://127.0.0.1:${port}` };
  started.push(running);
  const deadline = Date.now() + 120_000;
  while (!output.includes('CRM server ready')) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${output}`);
    if (Date.now() > deadline) throw new Error(`server did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return running;
}

async function stop(running: Running): Promise<number | null> {
  running.child.kill('SIGTERM');
  return running.exited;
}

describe('npm start', () => {
  it('starts an embedded PostgreSQL with the demo company, and a second start reopens the same data', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'crm-start-'));
    try {
      const first = await startProcess({ DATA_DIR: dataDir, DATABASE_URL: '' });
      expect(first.output()).toContain(`${first.url.replace('127.0.0.1', 'localhost')}/graphql`);
      expect(first.output()).toContain('admin@example.com / demo-password');
      expect(first.output()).toContain('zhang.wei@example.com');
      expect(first.output()).toMatch(/with \d+ contacts \(\d+ social relations\), \d+ interactions, \d+ quotes/);
      const admin = createClient({ url: `${first.url}/graphql` });
      await admin.signIn('admin@example.com', 'demo-password');
      const all = (await admin.Customers({ view: 'ALL', first: 1 })).customers.totalCount;
      const archived = (await admin.Customers({ view: 'ARCHIVED', first: 1 })).customers.totalCount;
      expect(all + archived).toBe(300);
      expect(archived).toBe(8);
      expect(await stop(first)).toBe(0);

      const second = await startProcess({ DATA_DIR: dataDir, DATABASE_URL: '' });
      expect(second.output()).toContain('Existing data reopened');
      const sales = createClient({ url: `${second.url}/graphql` });
      await sales.signIn('wang.fang@example.com', 'demo-password');
      const mine = await sales.Customers({ view: 'MINE', first: 100 });
      expect(mine.customers.totalCount).toBeGreaterThan(10);
      const again = createClient({ url: `${second.url}/graphql` });
      await again.signIn('admin@example.com', 'demo-password');
      expect((await again.Customers({ view: 'ALL', first: 1 })).customers.totalCount).toBe(all);
      expect(await stop(second)).toBe(0);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
    // Two starts of the real process, the first one building the whole demo company.
  }, 180_000);
});

describe('graceful shutdown', () => {
  it('on SIGTERM stops taking requests, finishes the running one, closes the database and exits 0', async () => {
    const url = await ensureDatabase(inject('adminUrl'), `${inject('templateDb')}_shutdown_${process.pid}`, inject('templateDb'));
    const running = await startProcess({ DATABASE_URL: url, DEMO_DATA: 'false', ADMIN_PASSWORD: 'admin-password-1' });
    expect(running.output()).toContain('admin@example.com / admin-password-1');
    const client = createClient({ url: `${running.url}/graphql` });
    await client.signIn('admin@example.com', 'admin-password-1');
    const { customerCreate } = await client.CustomerCreate({ input: { name: '关机测试有限公司', claim: true } });
    const id = customerCreate.customer!.id;

    const blocker = new pg.Client({ connectionString: url });
    await blocker.connect();
    await blocker.query('BEGIN');
    await blocker.query('SELECT 1 FROM customer WHERE id = $1 FOR UPDATE', [fromGlobalId('Customer', id)]);
    const inFlight = client.CustomerUpdate({ input: { id, notes: 'finished during shutdown' } });
    await new Promise((r) => setTimeout(r, 300));
    running.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    // New connections are refused while the running request waits.
    await expect(fetch(`${running.url}/health`)).rejects.toThrow();
    await blocker.query('ROLLBACK');
    await blocker.end();
    const { customerUpdate } = await inFlight;
    expect(customerUpdate.userErrors).toEqual([]);
    expect(customerUpdate.customer!.notes).toBe('finished during shutdown');
    expect(await running.exited).toBe(0);
  });
});
