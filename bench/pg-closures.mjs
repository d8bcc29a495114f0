// Closures under a deadline rush, side by side: SQLite with one API server against PostgreSQL
// with two servers behind a (client-side, round-robin) balancer. Every closure is a real first
// closure (row lock or SQLite transaction, receipt signed with Ed25519, commit to disk); then
// the same rush again, answered from the stored receipt.
//   node bench/pg-closures.mjs [--candidates N] [--connections C] [--rounds R]
// With several rounds the two set-ups alternate (a noisy shared machine then weighs on both)
// and the median of each figure is printed after the rounds.
// Needs PostgreSQL's initdb/pg_ctl (as test/support/postgres.ts finds them); starts and removes
// a throwaway cluster. Latency is measured per request by this script (one histogram over both
// servers), not per server.
import { Agent, request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { NODE_ESM_EXTERNAL_PACKAGES } from '../scripts/node-bundle.mjs';
import {
  buildTarget,
  labelledPdf,
  median,
  peakRssMb,
  readyCandidates,
  root,
  routeUrl,
  startProcess,
  stopProcess,
  writeRushCampaign,
} from './server-bench-lib.mjs';

const { values } = parseArgs({
  options: {
    candidates: { type: 'string', default: '2000' },
    connections: { type: 'string', default: '200' },
    rounds: { type: 'string', default: '1' },
  },
});
const N = Number(values.candidates);
const CONNECTIONS = Number(values.connections);
const ROUNDS = Number(values.rounds);

/** The test helper that starts a throwaway cluster, bundled so plain node can run it. */
async function loadClusterHelper() {
  const outfile = path.join(root, 'node_modules', '.cache', 'depot-bench', 'pg-cluster.mjs');
  await build({
    entryPoints: [path.join(root, 'test', 'support', 'postgres.ts')],
    outfile,
    ...NODE_ESM_EXTERNAL_PACKAGES,
  });
  return import(outfile);
}

const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });

function post(url, token) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'content-length': 2,
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode, ms: performance.now() - started }));
      },
    );
    req.on('error', reject);
    req.end('{}');
  });
}

/** CONNECTIONS clients closing every dossier once, candidate i through server i mod servers. */
async function rush(urls, tokens) {
  const latencies = [];
  const statuses = {};
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (next < tokens.length) {
        const i = next++;
        const { status, ms } = await post(routeUrl(urls[i % urls.length], 'closure'), tokens[i]);
        statuses[status] = (statuses[status] ?? 0) + 1;
        latencies.push(ms);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
  const ok = (statuses[200] ?? 0) + (statuses[201] ?? 0);
  return { perSecond: ok / seconds, p50: at(0.5), p99: at(0.99), max: latencies.at(-1), statuses };
}

const work = mkdtempSync(path.join(tmpdir(), 'depot-bench-pg-'));
let cluster = null;
try {
  const campaignFile = path.join(work, 'campaign.json');
  writeRushCampaign(campaignFile, N);
  const pdf = await labelledPdf('identite');
  const target = await buildTarget();
  const { startPostgres } = await loadClusterHelper();
  cluster = await startPostgres();
  const rows = [];
  for (let round = 1; round <= ROUNDS; round++)
    for (const scenario of [
      { name: 'SQLite, 1 server', servers: 1, databaseUrl: undefined },
      { name: 'PostgreSQL, 2 servers', servers: 2, databaseUrl: await cluster.freshDatabaseUrl() },
    ]) {
      const started = Array.from({ length: scenario.servers }, (_, k) =>
        startProcess(target, {
          BENCH_SERVER: JSON.stringify({
            dataDir: path.join(work, `${round}-${scenario.servers}-${k}`),
            campaignFiles: [campaignFile],
            databaseUrl: scenario.databaseUrl,
          }),
        }),
      );
      const urls = await Promise.all(started.map((s) => s.url));
      const tokens = await readyCandidates(urls, N, pdf, 16);
      console.error(`[${scenario.name}] ${N} candidates ready`);
      const first = await rush(urls, tokens);
      const again = await rush(urls, tokens);
      const rss = started.map((s) => peakRssMb(s.child.pid).toFixed(0)).join(' + ');
      rows.push({
        scenario: scenario.name,
        round,
        first,
        again,
        rss,
        load: (await import('node:os')).loadavg()[0].toFixed(1),
      });
      for (const s of started) await stopProcess(s.child);
    }
  console.log(
    `Closures: ${N} candidates, ${CONNECTIONS} concurrent clients, ${(await import('node:os')).cpus().length} CPU cores shared by clients, servers and PostgreSQL`,
  );
  console.log(
    'round | scenario | run | closures/s | p50 ms | p99 ms | max ms | statuses | server peak RSS MB | load avg',
  );
  for (const r of rows)
    for (const [run, res] of [
      ['first closure (201)', r.first],
      ['already closed (200)', r.again],
    ])
      console.log(
        [
          r.round,
          r.scenario,
          run,
          res.perSecond.toFixed(0),
          res.p50.toFixed(1),
          res.p99.toFixed(1),
          res.max.toFixed(1),
          JSON.stringify(res.statuses),
          r.rss,
          r.load,
        ].join(' | '),
      );
  if (ROUNDS > 1) {
    console.log(`median of ${ROUNDS} rounds | scenario | run | closures/s | p50 ms | p99 ms`);
    for (const name of ['SQLite, 1 server', 'PostgreSQL, 2 servers'])
      for (const run of ['first', 'again']) {
        const mine = rows.filter((r) => r.scenario === name).map((r) => r[run]);
        const m = (key) => median(mine.map((x) => x[key])).toFixed(key === 'perSecond' ? 0 : 1);
        console.log(
          [
            'median',
            name,
            run === 'first' ? 'first closure (201)' : 'already closed (200)',
            m('perSecond'),
            m('p50'),
            m('p99'),
          ].join(' | '),
        );
      }
  }
} finally {
  agent.destroy();
  await cluster?.stop();
  rmSync(work, { recursive: true, force: true });
}
