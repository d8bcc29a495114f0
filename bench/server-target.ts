/**
 * The companion API as the benchmarks run it: a real server process with its real storage and
 * PDF worker threads (their own bundle, as in dist/), configured from the BENCH_SERVER environment variable (JSON). Only the
 * password cost is lowered, so that logging in thousands of benchmark candidates does not
 * dominate the run.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '../src-server';

async function main(): Promise<void> {
  const config = JSON.parse(process.env.BENCH_SERVER ?? '{}') as {
    dataDir: string;
    campaignFiles: string[];
    limits?: Record<string, number>;
    databaseUrl?: string;
  };
  const server = await startServer({
    dataDir: config.dataDir,
    campaignFiles: config.campaignFiles,
    demo: false,
    host: '127.0.0.1',
    port: 0,
    databaseUrl: config.databaseUrl,
    scryptCost: { ln: 4, r: 8, p: 1 },
    limits: config.limits,
    pdfWorkerScript: path.join(path.dirname(fileURLToPath(import.meta.url)), 'pdf-worker.js'),
  } as Parameters<typeof startServer>[0]);
  process.stdout.write(`listening ${server.url}\n`);
  process.once('SIGTERM', () => void server.close().then(() => process.exit(0)));
}

await main();
