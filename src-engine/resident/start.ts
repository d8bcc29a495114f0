/**
 * Starts the resident engine for the next command, once this command has done its job: in
 * the background (its own process group, no terminal, not waited for), within the memory
 * budget a worker process gets, in the socket's directory so it holds no folder of the
 * person's (a USB stick) open.
 */
import { spawn } from 'node:child_process';
import { DEFAULT_MEMORY_LIMIT_MB } from '../client';
import { processLimits } from '../spawn';

/** The argument that makes the command's bundle the resident engine instead. */
export const RESIDENT_ENGINE_ARG = '--resident-engine';

/** Returns false when the process could not even be created (the next command then works alone again). */
export function startResidentEngine(bundleFile: string, dir: string): boolean {
  const { execArgv, env } = processLimits(DEFAULT_MEMORY_LIMIT_MB);
  try {
    const child = spawn(process.execPath, [...execArgv, bundleFile, RESIDENT_ENGINE_ARG], {
      cwd: dir,
      detached: true,
      stdio: 'ignore',
      env,
    });
    // A failure to start shows as no engine for the next command, which then works alone.
    child.on('error', () => undefined);
    child.unref();
    return true;
  } catch {
    return false;
  }
}
