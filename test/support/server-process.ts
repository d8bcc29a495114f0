/** Builds the server command once and runs it as a real process, as `npm run server` would. */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import { build } from 'esbuild';
import { NODE_ESM_EXTERNAL_PACKAGES } from '../../scripts/node-bundle.mjs';
import { projectRoot } from './paths';

// Inside node_modules so that the bundle resolves its external packages like dist/ does.
const OUT_DIR = path.join(projectRoot, 'node_modules', '.cache', 'depot-server-test');
let built: Promise<string> | null = null;

export function buildServerCli(): Promise<string> {
  built ??= build({
    // The PDF-check worker is its own bundle, found next to cli.js as in dist/server.
    entryPoints: { cli: path.join(projectRoot, 'src-server', 'cli.ts'), 'pdf-worker': path.join(projectRoot, 'src-server', 'pdf-worker.ts') },
    outdir: OUT_DIR,
    ...NODE_ESM_EXTERNAL_PACKAGES,
  }).then(() => path.join(OUT_DIR, 'cli.js'));
  return built;
}

export interface ServerProcess {
  url: string;
  child: ChildProcessWithoutNullStreams;
  stderr: () => string;
  exited: Promise<number | null>;
}

export async function runServer(args: string[], env: Record<string, string> = {}): Promise<ServerProcess> {
  const cli = await buildServerCli();
  const child = spawn(process.execPath, [cli, ...args], {
    cwd: projectRoot,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
  });
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^listening (http:\/\/\S+)\n/.exec(out);
      if (m) resolve(m[1]!);
    });
    void exited.then((code) => reject(new Error(`server exited (${code}): ${err}`)));
  });
  return { url, child, stderr: () => err, exited };
}
