/**
 * A real, throwaway PostgreSQL cluster for tests: initdb in a temporary folder, started with
 * pg_ctl on a free loopback port, stopped and removed afterwards. initdb and pg_ctl refuse to
 * run as root, so as root they run as the `postgres` user (runuser) in a folder it owns.
 *
 * Without any PostgreSQL binaries the tests are skipped with a message, except in CI
 * (CI=true), where .ci/run installs Debian's package and a missing PostgreSQL is a failure.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';

function findBinDir(): string | null {
  const candidates = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
  // Debian keeps the server binaries out of PATH, one folder per major version.
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian))
    candidates.push(
      ...readdirSync(debian)
        .filter((v) => /^\d+$/.test(v))
        .sort((a, b) => Number(b) - Number(a))
        .map((v) => path.join(debian, v, 'bin')),
    );
  return candidates.find((dir) => existsSync(path.join(dir, 'initdb')) && existsSync(path.join(dir, 'pg_ctl'))) ?? null;
}

const binDir = findBinDir();
const missingMessage =
  'PostgreSQL tests skipped: no initdb/pg_ctl found (PATH, /usr/lib/postgresql/*/bin). Install Debian\'s "postgresql" package to run them.';

if (!binDir && process.env.CI === 'true')
  throw new Error('PostgreSQL binaries (initdb, pg_ctl) are missing in CI: .ci/run must install the postgresql package.');
if (!binDir) console.warn(missingMessage);

/** False only when no PostgreSQL is installed (and never in CI, which fails instead). */
export const postgresAvailable = binDir !== null;

export interface PostgresCluster {
  port: number;
  /** A connection URL for `database` (default: postgres). */
  url(database?: string): string;
  /**
   * A connection URL to a new empty schema (its own search_path): as isolated as a new
   * database for our tables, and much faster to make.
   */
  freshDatabaseUrl(): Promise<string>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

const asRoot = process.getuid?.() === 0;

function run(command: string, args: string[]): void {
  const [file, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
  const result = spawnSync(file, argv, { encoding: 'utf8' });
  if (result.status !== 0)
    throw new Error(`${path.basename(command)} failed (${result.status}): ${result.stderr || result.stdout || result.error?.message}`);
}

let counter = 0;

export async function startPostgres(): Promise<PostgresCluster> {
  if (!binDir) throw new Error(missingMessage);
  const root = mkdtempSync(path.join(tmpdir(), 'depot-pg-'));
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(root, uid, gid);
  }
  const dataDir = path.join(root, 'data');
  const port = await freePort();
  // Checksums on, fsync on: the tests check durability claims against a cluster set up as in
  // production, not a tuned-for-speed one.
  run(path.join(binDir, 'initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-locale', '--data-checksums']);
  const options = `-p ${port} -k ${root} -c listen_addresses=127.0.0.1 -c max_connections=120`;
  run(path.join(binDir, 'pg_ctl'), ['-D', dataDir, '-l', path.join(root, 'server.log'), '-w', '-t', '60', '-o', options, 'start']);
  const url = (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`;
  let stopped = false;
  return {
    port,
    url,
    async freshDatabaseUrl() {
      const name = `t${process.pid}_${++counter}`;
      const client = new pg.Client({ connectionString: url() });
      await client.connect();
      try {
        await client.query(`CREATE SCHEMA ${name}`);
      } finally {
        await client.end();
      }
      return `${url()}?options=${encodeURIComponent(`-c search_path=${name}`)}`;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      try {
        run(path.join(binDir, 'pg_ctl'), ['-D', dataDir, '-m', 'fast', '-w', 'stop']);
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    },
  };
}
