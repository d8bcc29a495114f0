// The back office's list and search of dossiers at 20,000 dossiers (goal: p99 under 50 ms),
// on SQLite and, when PostgreSQL's initdb/pg_ctl are installed, on PostgreSQL.
//   node bench/instruction-list.mjs [--dossiers 20000] [--requests 300]
// Half the dossiers are closed with a document per piece, one in twenty has a correction asked.
// Each scenario: 20 warm-up requests, then REQUESTS requests one after another (an instructor
// waits for each answer), latency measured by the client over a kept-alive connection.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildTarget, bundle, instructorToken, median, routeUrl, startProcess, stopProcess } from './server-bench-lib.mjs';

const { values } = parseArgs({ options: { dossiers: { type: 'string', default: '20000' }, requests: { type: 'string', default: '300' } } });
const N = Number(values.dossiers);
const REQUESTS = Number(values.requests);

const cursorOf = (dossier) => Buffer.from(dossier, 'utf8').toString('base64url');
const deep = `B-${String(Math.max(0, N - 50)).padStart(5, '0')}`;
const SCENARIOS = [
  ['first page (50)', 'instructionDossiers', ''],
  ['closed, 200 a page', 'instructionDossiers', '?state=closed&limit=200'],
  ['corrections waiting', 'instructionDossiers', '?state=correction'],
  ['new documents to check (none: all scanned)', 'instructionDossiers', '?state=to_review'],
  ['search "martin" (common name)', 'instructionDossiers', '?q=martin'],
  ['search "MARTIN léa" (2 words)', 'instructionDossiers', `?q=${encodeURIComponent('MARTIN léa')}`],
  ['search "12345" (number part)', 'instructionDossiers', '?q=12345'],
  ['search with no match (all scanned)', 'instructionDossiers', '?q=xyzzy'],
  [`last page (cursor ${deep})`, 'instructionDossiers', `?cursor=${cursorOf(deep)}`],
  // Asked each time the list screen opens: the count of every filter over the whole campaign.
  ['counts per filter (GET /staff/campaigns)', 'instructionCampaigns', ''],
];

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function measure(base, token) {
  const rows = [];
  for (const [name, route, query] of SCENARIOS) {
    const url = routeUrl(base, route, {}, query);
    const once = async () => {
      const started = performance.now();
      const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
      const body = await res.json();
      if (res.status !== 200) throw new Error(`${name}: ${res.status} ${JSON.stringify(body)}`);
      return { ms: performance.now() - started, count: (body.dossiers ?? body.campaigns).length };
    };
    for (let i = 0; i < 20; i++) await once();
    const times = [];
    let count = 0;
    for (let i = 0; i < REQUESTS; i++) {
      const r = await once();
      times.push(r.ms);
      count = r.count;
    }
    times.sort((a, b) => a - b);
    rows.push({ scenario: name, answered: count, 'p50 ms': +median(times).toFixed(1), 'p99 ms': +percentile(times, 99).toFixed(1), 'max ms': +times.at(-1).toFixed(1) });
  }
  return rows;
}

const seeder = await bundle('bench/instruction-seed.ts');
const target = await buildTarget();
const cluster = await bundle('test/support/postgres.ts');
const modes = ['SQLite', ...(cluster.postgresAvailable ? ['PostgreSQL'] : [])];
if (!cluster.postgresAvailable) console.warn('PostgreSQL not installed: SQLite only.');
let pg = null;
try {
  for (const mode of modes) {
    const work = mkdtempSync(path.join(tmpdir(), 'depot-bench-list-'));
    try {
      const dataDir = path.join(work, 'data');
      const campaignFile = path.join(work, 'campagne.json');
      const people = seeder.candidates(N);
      seeder.writeCampaign(campaignFile, 'banc', people);
      let databaseUrl;
      if (mode === 'PostgreSQL') {
        pg ??= await cluster.startPostgres();
        databaseUrl = await pg.freshDatabaseUrl();
      }
      const seedStart = performance.now();
      await seeder.seedList({ dataDir, databaseUrl, campaignId: 'banc', people });
      process.stderr.write(`${mode}: ${N} dossiers seeded in ${((performance.now() - seedStart) / 1000).toFixed(1)} s\n`);
      const { child, url } = startProcess(target, { BENCH_SERVER: JSON.stringify({ dataDir, campaignFiles: [campaignFile], databaseUrl }), LOG_LEVEL: 'warn' });
      const base = await url;
      try {
        const token = await instructorToken(base);
        console.log(`\n${mode}, ${N} dossiers, ${REQUESTS} requests per scenario`);
        console.table(await measure(base, token));
      } finally {
        await stopProcess(child);
      }
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }
} finally {
  await pg?.stop();
}
