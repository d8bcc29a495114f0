/** A companion API with the demo campaign, in this process, on a free loopback port, in a temporary folder. */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startServer, type AdvancedStartOptions, type RunningServer } from '../../src-server/server';
import { FAST_SCRYPT } from './server-helpers';

export interface DemoServer {
  server: RunningServer;
  /** The temporary folder (the server's data is in `api/` under it); removed by `stop`. */
  root: string;
  stop(): Promise<void>;
}

export async function startDemoServer(prefix: string, options: Partial<AdvancedStartOptions> = {}): Promise<DemoServer> {
  const root = await mkdtemp(path.join(os.tmpdir(), prefix));
  const server = await startServer({
    dataDir: path.join(root, 'api'),
    campaignFiles: [],
    demo: true,
    host: '127.0.0.1',
    port: 0,
    scryptCost: FAST_SCRYPT,
    ...options,
  });
  return {
    server,
    root,
    async stop() {
      await server.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}
