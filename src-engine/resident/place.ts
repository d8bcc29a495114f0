/**
 * Where the `normalise` command finds its resident engine: a Unix socket in a directory of
 * the user's own under the temporary directory, named after the engine's build so a command
 * never talks to an engine of another version. The directory is trusted only if it is a real
 * directory (not a link another user could point elsewhere) owned by this user and closed to
 * everyone else: otherwise another account could stand in for the engine and read the
 * candidates' documents, and the command does its job itself.
 *
 * Not on Windows: a named pipe can be created first by another user, and Node cannot tell
 * who serves a pipe, so there the command always works alone.
 */
import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Env: any non-empty value turns the resident engine off, like `--no-resident`. */
export const NO_RESIDENT_ENV = 'NORMALISE_NO_RESIDENT';
/** Env: the socket directory instead of the per-user default (the tests' own). */
export const RESIDENT_DIR_ENV = 'NORMALISE_RESIDENT_DIR';
/** Env: how long the resident engine waits for a next job, in milliseconds. */
export const RESIDENT_IDLE_ENV = 'NORMALISE_RESIDENT_IDLE_MS';
/** Env: the command says on stderr who did its job (the tests' and the benchmark's proof). */
export const RESIDENT_DEBUG_ENV = 'NORMALISE_RESIDENT_DEBUG';

export const DEFAULT_IDLE_MS = 10 * 60 * 1000;

export type Place = { ok: true; socketPath: string; dir: string } | { ok: false; reason: string };

/** Why a directory cannot hold the socket, or undefined when it can. */
export function unsafeDirectory(dir: string, uid: number): string | undefined {
  let found;
  try {
    found = lstatSync(dir);
  } catch {
    return 'directory missing';
  }
  if (found.isSymbolicLink()) return 'directory is a symbolic link';
  if (!found.isDirectory()) return 'not a directory';
  if (found.uid !== uid) return 'directory owned by another user';
  if ((found.mode & 0o077) !== 0) return 'directory open to other users';
  return undefined;
}

/**
 * A short name of the build: the hash of the command's bundle file, which is also the
 * resident engine's. The engine's code is in chunks whose names carry the hash of their
 * content (and of the chunks they import), so any change to it changes this file too.
 */
export function buildId(bundleFile: string): string {
  return createHash('sha256').update(readFileSync(bundleFile)).digest('hex').slice(0, 16);
}

/** Short: a socket's whole path must fit in about 100 bytes (104 on macOS, whose temporary directory is long). */
export function socketName(build: string): string {
  return `${build}.sock`;
}

export function idleMs(env: NodeJS.ProcessEnv = process.env): number {
  const value = Number(env[RESIDENT_IDLE_ENV]);
  return Number.isSafeInteger(value) && value > 0 ? value : DEFAULT_IDLE_MS;
}

/** The socket of this build's resident engine, the directory created (0700) if missing. */
export function residentPlace(bundleFile: string, env: NodeJS.ProcessEnv = process.env): Place {
  if (process.platform === 'win32' || !process.getuid)
    return { ok: false, reason: 'not on Windows' };
  const uid = process.getuid();
  const dir = env[RESIDENT_DIR_ENV] || path.join(tmpdir(), `assistant-depot-${uid}`);
  try {
    mkdirSync(dir, { mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST')
      return { ok: false, reason: 'directory cannot be created' };
  }
  const unsafe = unsafeDirectory(dir, uid);
  if (unsafe) return { ok: false, reason: unsafe };
  let build;
  try {
    build = buildId(bundleFile);
  } catch {
    return { ok: false, reason: 'build unreadable' };
  }
  return { ok: true, dir, socketPath: path.join(dir, socketName(build)) };
}
