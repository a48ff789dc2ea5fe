import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createClient } from '../sdk/index.js';
import { ensureDatabase, freePort } from '../src/db/embedded-postgres.js';

// The memory a server process holds for uploads is bounded, whatever their size: eight parallel
// uploads of 19 MB (152 MB in all) used to raise the server's resident memory by about twice that,
// for good; streamed into PostgreSQL in chunks, they raise its peak by a fraction of their size.

const MB = 1024 * 1024;
let stopServer: (() => Promise<void>) | undefined;
afterAll(async () => stopServer?.(), 30_000);

/** The peak resident memory of a process so far (Linux: VmHWM), in bytes. */
function peakRss(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmHWM:'))!;
  return Number(line.replace(/\D+/g, '')) * 1024;
}

describe('uploads and the server’s memory', () => {
  it.skipIf(process.platform !== 'linux')(
    'eight parallel uploads of 19 MB raise the peak resident memory by well under their size',
    async () => {
      const url = await ensureDatabase(inject('adminUrl'), `${inject('templateDb').replace(/_template$/, '')}_mem_${process.pid}`, inject('templateDb'));
      const port = await freePort();
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
        cwd: path.resolve(import.meta.dirname, '..'),
        env: {
          ...process.env,
          DATABASE_URL: url,
          PORT: String(port),
          LOG_LEVEL: 'warn',
          DEMO_DATA: 'false',
          ADMIN_EMAIL: 'memory-admin@test.local',
          ADMIN_PASSWORD: 'memory-password',
          PASSWORD_HASH_MEMORY_KIB: '1024',
          POOL_SWEEP_INTERVAL_SECONDS: '0',
          MAX_UPLOAD_BYTES: String(20 * MB),
          MAX_ACTIVE_UPLOADS: '8',
        },
      });
      let output = '';
      child.stdout.on('data', (d: Buffer) => (output += d.toString()));
      child.stderr.on('data', (d: Buffer) => (output += d.toString()));
      const exited = new Promise((resolve) => child.on('exit', resolve));
      stopServer = async () => {
        if (child.exitCode === null) child.kill('SIGTERM');
        await exited;
      };
      const deadline = Date.now() + 120_000;
      while (!output.includes('CRM server ready')) {
        if (child.exitCode !== null || Date.now() > deadline) throw new Error(`server did not start:\n${output}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      const base = `http://127.0.0.1:${port}`;
      const admin = createClient({ url: `${base}/graphql` });
      const token = await admin.signIn('memory-admin@test.local', 'memory-password');
      const { customerCreate } = await admin.CustomerCreate({ input: { name: `内存测试${process.pid}` } });
      const customerId = customerCreate.customer!.id;
      const send = async (bytes: Buffer) => {
        const form = new FormData();
        form.append('customerId', customerId);
        form.append('file', new Blob([new Uint8Array(bytes)]), 'big.bin');
        const res = await fetch(`${base}/attachments`, { method: 'POST', body: form, headers: { authorization: `Bearer ${token}` } });
        return res.status;
      };
      // Warm up every path once, then take the peak so far as the baseline.
      expect(await send(randomBytes(2 * MB))).toBe(201);
      const before = peakRss(child.pid!);
      const files = Array.from({ length: 8 }, () => randomBytes(19 * MB));
      const statuses = await Promise.all(files.map(send));
      const growth = peakRss(child.pid!) - before;
      if (process.env.SHOW_MEMORY) console.log(`peak RSS grew by ${(growth / MB).toFixed(1)} MB for ${files.length * 19} MB of uploads`);
      expect(statuses).toEqual(Array(files.length).fill(201));
      // Holding the uploads would take at least their size (twice, as they were joined).
      expect(growth).toBeLessThan((files.length * 19 * MB) / 2);
    },
    180_000,
  );
});
