import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const run = promisify(execFile);

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const sdkDir = path.join(repoRoot, 'sdk');

/** Everything the tarball is made from: when none of it changed, the last tarball is reused. */
function sourceHash(): string {
  const hash = createHash('sha256');
  const files = ['package.json', 'build.mjs', 'tsconfig.build.json', 'README.md', ...readdirSync(sdkDir).filter((f) => f.endsWith('.ts'))];
  files.push(...readdirSync(path.join(sdkDir, 'operations')).map((f) => `operations/${f}`));
  for (const file of files.sort()) hash.update(file).update('\0').update(readFileSync(path.join(sdkDir, file))).update('\0');
  return hash.digest('hex').slice(0, 16);
}

/**
 * `npm pack` in sdk/ (its prepack script builds dist/), as a partner's release would do; the
 * tarball is kept in the temporary directory per content of the sources.
 */
export interface PackedSdk {
  tarball: string;
  /** Bytes of the tarball, and of the files in it. */
  size: number;
  unpackedSize: number;
  cached: boolean;
}

export async function packSdk(): Promise<PackedSdk> {
  const dir = path.join(os.tmpdir(), 'crm-sdk-pack', sourceHash());
  const done = path.join(dir, 'sdk.tgz');
  const about = path.join(dir, 'sdk.json');
  if (existsSync(done) && existsSync(about)) return { ...(JSON.parse(readFileSync(about, 'utf8')) as PackedSdk), tarball: done, cached: true };
  const work = `${dir}.${process.pid}`;
  mkdirSync(work, { recursive: true });
  try {
    const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', work], { cwd: sdkDir, maxBuffer: 64 * 1024 * 1024 });
    const [packed] = JSON.parse(stdout.slice(stdout.indexOf('['))) as { filename: string; size: number; unpackedSize: number }[];
    mkdirSync(dir, { recursive: true });
    renameSync(path.join(work, packed!.filename), done);
    writeFileSync(about, JSON.stringify({ size: packed!.size, unpackedSize: packed!.unpackedSize }));
    return { tarball: done, size: packed!.size, unpackedSize: packed!.unpackedSize, cached: false };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
