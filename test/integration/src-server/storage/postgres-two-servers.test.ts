/**
 * Issue 8's proof: two API processes (the real command line) on one PostgreSQL, 200 candidates
 * uploading and closing at once through both. Every closure recorded exactly once with one
 * closedAt, every acknowledged upload present with its digest (in the database and served back
 * by the other server), receipts signed with the one shared key, no deadlock, no 5xx.
 *
 * One nuance on "no 5xx": past 48 uploads streaming at once, or when its event loop lags, a
 * server answers 503 with Retry-After to uploads and logins (load-shedding.ts, by design: the
 * desktop app waits and retries). The clients here do what the app does; any other 5xx, and
 * any 503 on a closure, fails the test.
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SignedReceipt } from '../../../../src-shared/contract';
import { hashPassword } from '../../../../src-server/passwords';
import { verifyReceipt } from '../../../../src-server/receipts';
import { FAST_SCRYPT, sha256Header, tempDir, tinyPdf } from '../../../support/server-helpers';
import { postgresAvailable, startPostgres, type PostgresCluster } from '../../../support/postgres';
import { buildServerCli, runServer, type ServerProcess } from '../../../support/server-process';

const CANDIDATES = 200;
const API = '/api/v1';

interface Acknowledged {
  dossier: string;
  id: string;
  sha256: string;
  bytes: number;
}

describe.runIf(postgresAvailable)('two API servers on one PostgreSQL', () => {
  let cluster: PostgresCluster;
  let databaseUrl: string;
  const servers: ServerProcess[] = [];
  const temp = tempDir('depot-pg-two-');

  beforeAll(async () => {
    [cluster] = await Promise.all([startPostgres(), buildServerCli()]);
    databaseUrl = await cluster.freshDatabaseUrl();
  }, 60_000);

  afterAll(async () => {
    for (const s of servers) {
      if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGTERM');
      await s.exited;
    }
    await cluster?.stop();
    temp.remove();
  });

  it('200 candidates uploading and closing at once through both servers', async () => {
    // Hashes at a low scrypt cost (the cost travels in the hash) keep 200 logins cheap.
    const password = 'mot-de-passe';
    const passwordHash = await hashPassword(password, FAST_SCRYPT);
    const campaignFile = path.join(temp.dir, 'campaign.json');
    writeFileSync(
      campaignFile,
      JSON.stringify({
        id: 'national-2099',
        title: 'Concours national',
        organiser: 'Centres de gestion',
        closesOn: '2099-12-31',
        timeZone: 'Europe/Paris',
        pieces: [
          { id: 'identite', label: "Pièce d'identité", required: true, lateAllowed: false, multiple: false },
          { id: 'annexes', label: 'Annexes', required: false, lateAllowed: false, multiple: true },
        ],
        candidates: Array.from({ length: CANDIDATES }, (_, i) => ({
          dossier: `N-${i}`,
          lastName: 'Nom',
          firstName: 'Prénom',
          passwordHash,
        })),
      }),
    );

    // Started together: both run the migrations and race to store the receipt key.
    const started = await Promise.all(
      ['a', 'b'].map((name) =>
        runServer(['--campaign', campaignFile, '--data', path.join(temp.dir, name), '--port', '0'], { DATABASE_URL: databaseUrl }),
      ),
    );
    servers.push(...started);
    const urls = started.map((s) => s.url);
    const keys = await Promise.all(urls.map(async (u) => (await (await fetch(`${u}${API}/keys/receipt`)).json()) as { publicKey: string }));
    expect(keys[0]).toEqual(keys[1]);

    // A JPEG of several 256 KiB chunks for every tenth candidate, through the chunked path.
    const jpeg = await sharp({ create: { width: 900, height: 900, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 50 } } })
      .jpeg({ quality: 95 })
      .toBuffer();
    expect(jpeg.length).toBeGreaterThan(2 * 256 * 1024);

    const statuses: number[] = [];
    const acknowledged: Acknowledged[] = [];
    const closures: { dossier: string; status: number; closedAt: string; receipt: SignedReceipt }[] = [];
    let shed = 0;
    const call = async (url: string, init: RequestInit): Promise<Response> => {
      for (let attempt = 0; ; attempt++) {
        const res = await fetch(url, init);
        const retryAfter = Number(res.headers.get('retry-after'));
        // Closures have their own allowance and are never shed: a 503 there is a failure.
        const sheddable = !url.endsWith('/closure');
        if (res.status === 503 && sheddable && retryAfter > 0 && attempt < 10) {
          shed++;
          await res.arrayBuffer();
          // Jitter, as the app does, so the retries do not all land on the same instant.
          await new Promise((r) => setTimeout(r, retryAfter * 1000 * (0.5 + Math.random() / 2)));
          continue;
        }
        statuses.push(res.status);
        return res;
      }
    };
    const upload = async (server: string, token: string, dossier: string, piece: string, bytes: Buffer, type: string) => {
      const res = await call(`${server}${API}/pieces/${piece}/documents`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': type, 'content-digest': sha256Header(bytes) },
        body: new Uint8Array(bytes),
      });
      expect(res.status, await res.clone().text()).toBe(201);
      const body = (await res.json()) as { id: string; sha256: string; bytes: number };
      acknowledged.push({ dossier, id: body.id, sha256: body.sha256, bytes: body.bytes });
      expect(body.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    };

    await Promise.all(
      Array.from({ length: CANDIDATES }, async (_, i) => {
        const dossier = `N-${i}`;
        const [mine, other] = i % 2 === 0 ? [urls[0]!, urls[1]!] : [urls[1]!, urls[0]!];
        const login = await call(`${mine}${API}/session`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ dossier, password }),
        });
        expect(login.status).toBe(201);
        const { token } = (await login.json()) as { token: string };
        // The session opened on one server is honoured by the other.
        await upload(other, token, dossier, 'identite', tinyPdf(`identite ${dossier}`), 'application/pdf');
        if (i % 10 === 0) await upload(mine, token, dossier, 'annexes', jpeg, 'image/jpeg');
        // The candidate's double click lands on both servers at once.
        const both = await Promise.all(
          [mine, other].map((u) => call(`${u}${API}/closure`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{}' })),
        );
        for (const res of both) {
          const body = (await res.json()) as { closedAt: string; receipt: SignedReceipt };
          closures.push({ dossier, status: res.status, closedAt: body.closedAt, receipt: body.receipt });
        }
      }),
    );

    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    console.info(`two servers, ${CANDIDATES} candidates: ${shed} requests (uploads, logins) shed with 503 + Retry-After and retried`);
    expect(acknowledged).toHaveLength(CANDIDATES + CANDIDATES / 10);

    // Exactly one first closure per dossier, the other answer the same closedAt and receipt.
    for (let i = 0; i < CANDIDATES; i++) {
      const mine = closures.filter((c) => c.dossier === `N-${i}`);
      expect(mine.map((c) => c.status).sort()).toEqual([200, 201]);
      expect(mine[0]!.closedAt).toBe(mine[1]!.closedAt);
      expect(mine[0]!.receipt).toEqual(mine[1]!.receipt);
      expect(verifyReceipt(mine[0]!.receipt, keys[0]!.publicKey)).toBe(true);
      expect(mine[0]!.receipt.receipt.documents).toHaveLength(i % 10 === 0 ? 2 : 1);
    }

    // What the database holds: one closure per dossier, each acknowledged document with bytes
    // whose digest is the acknowledged one.
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const dossiers = await client.query<{ dossier: string; closed_at: Date }>('SELECT dossier, closed_at FROM dossiers WHERE closed_at IS NOT NULL');
      expect(dossiers.rowCount).toBe(CANDIDATES);
      for (const row of dossiers.rows)
        expect(row.closed_at.toISOString()).toBe(closures.find((c) => c.dossier === row.dossier)!.closedAt);
      const stored = await client.query<{ id: string; dossier: string; sha256: string; bytes: string; actual: string; length: string }>(
        `SELECT d.id, d.dossier, d.sha256, d.bytes,
                encode(sha256(string_agg(c.data, ''::bytea ORDER BY c.seq)), 'hex') AS actual,
                sum(length(c.data)) AS length
           FROM documents d JOIN blob_chunks c ON c.blob_id = d.id
          GROUP BY d.id, d.dossier, d.sha256, d.bytes`,
      );
      const byId = new Map(stored.rows.map((r) => [r.id, r]));
      expect(byId.size).toBe(acknowledged.length);
      for (const ack of acknowledged) {
        const row = byId.get(ack.id)!;
        expect(row).toMatchObject({ dossier: ack.dossier, sha256: ack.sha256, actual: ack.sha256 });
        expect(Number(row.length)).toBe(ack.bytes);
      }
      const deadlocks = await client.query<{ deadlocks: string }>('SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()');
      expect(Number(deadlocks.rows[0]!.deadlocks)).toBe(0);
    } finally {
      await client.end();
    }

    // Served back by either server, byte for byte: the multi-chunk ones through the other one.
    const sample = acknowledged.filter((a) => a.bytes > 256 * 1024);
    expect(sample.length).toBe(CANDIDATES / 10);
    for (const ack of sample) {
      const i = Number(ack.dossier.slice(2));
      const server = i % 2 === 0 ? urls[1]! : urls[0]!;
      const login = await call(`${server}${API}/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ dossier: ack.dossier, password }),
      });
      const { token } = (await login.json()) as { token: string };
      const res = await call(`${server}${API}/documents/${ack.id}/content`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
      const bytes = Buffer.from(await res.arrayBuffer());
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(ack.sha256);
    }
  }, 90_000);
});
