import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';

// `npm run bench` measures the production build under load on a dataset of the size it is given.
// Here it runs once on a tiny dataset, for a second per level, so that it never rots: every case
// answers without errors, and the headline page stays within its statements. The numbers that
// matter come from the full run (100,000 customers), not from here.

interface Result {
  case: string;
  connections: number;
  requestsPerSecond: number;
  errors: number;
  nodeCpuMs: number | null;
  statements: number | null;
}

describe('npm run bench', () => {
  it('runs every case at every level on a tiny dataset', async () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'crm-bench-test-')), 'results.json');
    const root = path.resolve(import.meta.dirname, '..');
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/bench.ts'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        TMPDIR: os.tmpdir(),
        DATABASE_URL: inject('adminUrl'),
        BENCH_CUSTOMERS: '60',
        BENCH_SECONDS: '1',
        BENCH_WARMUP: '0',
        BENCH_CONNECTIONS: '1,3',
        BENCH_PAGE: '20',
        BENCH_OUT: out,
      },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code, output).toBe(0);
    const { results } = JSON.parse(fs.readFileSync(out, 'utf8')) as { results: Result[] };
    const cases = [...new Set(results.map((r) => r.case))];
    expect(cases).toEqual([
      'headline ALL (admin)',
      'headline MINE (salesperson)',
      'headline SUBORDINATES (manager)',
      'headline SHARED_WITH_ME (salesperson)',
      'headline POOL (salesperson, masked)',
      'search 科技 (admin)',
      "one customer's full record",
      'claim + return (salesperson)',
      'viewer, session token, rate limits on',
      'viewer, API key, rate limits on',
      'viewer, session token, rate limits off',
      'viewer, API key, rate limits off',
      'baseline: one SQL statement (ALL, admin)',
    ]);
    for (const r of results) {
      expect([1, 3]).toContain(r.connections);
      expect(r.errors, r.case).toBe(0);
      expect(r.requestsPerSecond, r.case).toBeGreaterThan(0);
      if (process.platform === 'linux') expect(r.nodeCpuMs, r.case).toBeGreaterThan(0);
      if (r.case.startsWith('headline')) expect(r.statements ?? 0, r.case).toBeLessThanOrEqual(12);
      if (r.case.startsWith('baseline')) expect(r.statements ?? 1, r.case).toBe(1);
    }
    // Rate accounting is a statement of its own (the bucket lives in PostgreSQL without Redis).
    const statementsOf = (name: string) => results.find((r) => r.case === name)?.statements ?? null;
    if (statementsOf('viewer, session token, rate limits off') !== null) {
      expect(statementsOf('viewer, session token, rate limits on')).toBeGreaterThan(statementsOf('viewer, session token, rate limits off')!);
      expect(statementsOf('viewer, API key, rate limits on')).toBeGreaterThan(statementsOf('viewer, API key, rate limits off')!);
    }
    expect(output).toContain('| headline ALL (admin) | 1 |');
  }, 300_000);
});
