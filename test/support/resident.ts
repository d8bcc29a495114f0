/**
 * The `normalise` command with its resident engine, for the tests: the command run with the
 * resident engine on (in a socket directory of the test's own, saying who did the job), and
 * the resident engines it starts found, waited for and stopped, by polling with a deadline.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { connect } from 'node:net';
import type { Hello } from '../../src-engine/resident/connect';
import { FrameReader } from '../../src-engine/resident/frames';
import {
  buildId,
  NO_RESIDENT_ENV,
  RESIDENT_DEBUG_ENV,
  RESIDENT_DIR_ENV,
  RESIDENT_IDLE_ENV,
  socketName,
} from '../../src-engine/resident/place';

export interface Ran {
  status: number;
  stdout: string;
  stderr: string;
}

/** The command's environment with the resident engine on (the test setup turns it off). */
export function residentEnv(dir: string, idleMs = 60_000): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    [RESIDENT_DIR_ENV]: dir,
    [RESIDENT_DEBUG_ENV]: '1',
    [RESIDENT_IDLE_ENV]: String(idleMs),
  };
  delete env[NO_RESIDENT_ENV];
  return env;
}

export function runCommand(script: string, args: string[], env: NodeJS.ProcessEnv): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [script, ...args],
      { env, encoding: 'utf8' },
      (error, stdout, stderr) => {
        const code = (error as { code?: unknown } | null)?.code;
        resolve({ status: error ? (typeof code === 'number' ? code : -1) : 0, stdout, stderr });
      },
    );
  });
}

/** The socket of the resident engine of the build in `script`. */
export function residentSocket(dir: string, script: string): string {
  return path.join(dir, socketName(buildId(script)));
}

async function poll<T>(
  what: string,
  deadlineMs: number,
  attempt: () => Promise<T | undefined> | T | undefined,
): Promise<T> {
  const giveUpAt = Date.now() + deadlineMs;
  for (;;) {
    const value = await attempt();
    if (value !== undefined) return value;
    if (Date.now() > giveUpAt) throw new Error(`${what}: not within ${deadlineMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Its hello on a connection, closed again gracefully: once the engine's own end arrives it
 * has let this connection go, and the next command finds it free.
 */
function hello(socketPath: string): Promise<Hello | undefined> {
  return new Promise((resolve) => {
    const socket = connect(socketPath);
    const reader = new FrameReader();
    let said: Hello | undefined;
    socket.on('error', () => undefined);
    socket.on('data', (chunk: Buffer) => {
      said ??= reader.push(chunk)[0] as Hello | undefined;
      if (said) socket.end();
    });
    socket.on('close', () => resolve(said));
  });
}

/** The pid of the resident engine once it answers free on `socketPath`. */
export function waitForResident(socketPath: string, deadlineMs = 30_000): Promise<number> {
  return poll(`resident engine on ${socketPath}`, deadlineMs, async () => {
    const said = await hello(socketPath);
    return said?.free ? said.pid : undefined;
  });
}

/** Alive, and not a zombie waiting for a parent that does not reap (a container's init). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return process.platform !== 'linux';
  }
}

export function waitUntilGone(pid: number, deadlineMs = 30_000): Promise<true> {
  return poll(`process ${pid} to end`, deadlineMs, () => (isRunning(pid) ? undefined : true));
}

export async function stopResident(pid: number): Promise<void> {
  if (!isRunning(pid)) return;
  process.kill(pid, 'SIGTERM');
  await waitUntilGone(pid);
}
