/** Starts the project's own commands as real processes and waits for their ready line. */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { projectRoot } from './paths';

export interface Running {
  process: ChildProcess;
  match: RegExpMatchArray;
  output: () => string;
  stop: (signal?: NodeJS.Signals) => Promise<number | null>;
}

export function startNode(script: string, args: string[], ready: RegExp, timeoutMs = 30_000): Promise<Running> {
  const child = spawn(process.execPath, [path.join(projectRoot, script), ...args], {
    cwd: projectRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_ENV: 'test' },
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`${script} not ready after ${timeoutMs} ms:\n${output}`)), timeoutMs);
    function fail(error: Error) {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    }
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = output.match(ready);
      if (match) {
        clearTimeout(timer);
        resolve({
          process: child,
          match,
          output: () => output,
          stop: async (signal = 'SIGTERM') => {
            if (child.exitCode === null && child.signalCode === null) child.kill(signal);
            return exited;
          },
        });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.once('exit', (code) => fail(new Error(`${script} exited with ${code} before ready:\n${output}`)));
  });
}

export interface RunningApi extends Running {
  url: string;
}

/** The companion API built in dist/, serving its demo campaign from `dataDir`; port 0: any free one. */
export async function startDemoApi(dataDir: string, port = 0): Promise<RunningApi> {
  const api = await startNode('dist/server/cli.js', ['--demo', '--port', String(port), '--data', dataDir], /listening (http:\/\/\S+)/);
  return { ...api, url: api.match[1]! };
}
