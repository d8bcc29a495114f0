/**
 * Idle request bodies (issue 14, item 2): connections that send their headers and then nothing
 * must never shed other candidates, and a body that stops arriving is cut with nothing kept.
 * Real sockets: inject cannot hold a body back.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AdvancedStartOptions, RunningServerWithContext } from '../../../src-server/server';
import { closedWithin, openRequest, type OpenRequest } from '../../support/idle-requests';
import { startTestServer } from '../../support/test-server';
import { sha256Header, tempDir, tinyPdf } from '../../support/server-helpers';

const API = '/api/v1';

describe('idle request bodies', () => {
  let server: RunningServerWithContext;
  let temp: { dir: string; remove(): void };
  const idle: OpenRequest[] = [];

  async function boot(options: Pick<AdvancedStartOptions, 'limits' | 'bodyDeadlines'>) {
    server = await startTestServer(temp.dir, options);
  }

  async function login(dossier: string, password: string): Promise<{ status: number; token?: string }> {
    const res = await fetch(`${server.url}${API}/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ dossier, password }),
    });
    const body = (await res.json()) as { token?: string };
    return { status: res.status, token: body.token };
  }

  async function upload(token: string, pieceId: string, bytes: Buffer): Promise<number> {
    const res = await fetch(`${server.url}${API}/pieces/${pieceId}/documents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/pdf', 'content-digest': sha256Header(bytes) },
      body: new Uint8Array(bytes),
    });
    await res.arrayBuffer();
    return res.status;
  }

  function uploadHead(token: string, declared: Buffer, length: number) {
    return {
      method: 'POST',
      path: `${API}/pieces/diplome/documents`,
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/pdf',
        'content-digest': sha256Header(declared),
        'content-length': length,
      },
    };
  }

  const tmpFiles = () => readdirSync(path.join(temp.dir, 'blobs', 'tmp'));
  /** The temporary files once the aborted upload has cleaned up after itself (a few ms after the close). */
  async function tmpFilesSettled(): Promise<string[]> {
    for (let i = 0; i < 50 && tmpFiles().length > 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    return tmpFiles();
  }

  beforeEach(() => {
    temp = tempDir();
  });
  afterEach(async () => {
    for (const open of idle.splice(0)) open.socket.destroy();
    await server?.close();
    temp.remove();
  });

  it('128 idle connections leave logins, uploads and closures of other candidates untouched', async () => {
    // Capacities below the number of idle connections, so that any idle request counted
    // against them would shed the candidate below; bodies are given a minute, so the idle
    // requests are all still open while the candidate works.
    await boot({
      limits: { maxUploads: 16, maxRequests: 32, maxClosures: 32 },
      bodyDeadlines: { idleMs: 60_000, jsonBodyMs: 60_000, graceMs: 60_000 },
    });
    const lea = await login('T-001', 'secret-lea');
    const attacker = await login('T-002', 'secret-paul');
    expect(lea.status).toBe(201);
    const never = Buffer.alloc(100_000, 0x25);
    const heads = [
      ...Array.from({ length: 48 }, () => ({
        method: 'POST',
        path: `${API}/session`,
        headers: { 'content-type': 'application/json', 'content-length': 60 },
      })),
      ...Array.from({ length: 40 }, () => uploadHead(attacker.token!, never, never.length)),
      ...Array.from({ length: 40 }, () => ({
        method: 'POST',
        path: `${API}/closure`,
        headers: { authorization: `Bearer ${attacker.token!}`, 'content-type': 'application/json', 'content-length': 10 },
      })),
    ];
    idle.push(...(await Promise.all(heads.map((head) => openRequest(server.url, head)))));
    expect(idle).toHaveLength(128);
    // Let the server take every head in before the candidate comes.
    await new Promise((resolve) => setTimeout(resolve, 1000));

    const again = await login('T-001', 'secret-lea');
    const outcome = {
      login: again.status,
      identite: await upload(lea.token!, 'identite', tinyPdf('identite')),
      diplome: await upload(lea.token!, 'diplome', tinyPdf('diplome')),
      closure: (await fetch(`${server.url}${API}/closure`, { method: 'POST', headers: { authorization: `Bearer ${lea.token!}` } })).status,
    };
    expect(outcome).toEqual({ login: 201, identite: 201, diplome: 201, closure: 201 });
    // The attacker's own token holds at most its share of the upload lane: the rest were
    // answered at once (503 overloaded), not left waiting.
    const answered = idle.filter((o) => o.status() !== null);
    expect(answered.length).toBeGreaterThanOrEqual(38);
    expect(answered.every((o) => o.status() === 503 && o.json<{ code: string }>().code === 'overloaded')).toBe(true);
  });

  it('an idle upload is cut after the idle time, answered 408 request_timeout, and leaves no temporary file', async () => {
    await boot({ bodyDeadlines: { idleMs: 1500, graceMs: 60_000 } });
    const lea = await login('T-001', 'secret-lea');
    const pdf = tinyPdf('idle');
    const open = await openRequest(server.url, { ...uploadHead(lea.token!, pdf, pdf.length), body: pdf.subarray(0, 100) });
    idle.push(open);
    // The upload is streaming to its temporary file: the check below can fail.
    await expect.poll(() => tmpFiles().length, { timeout: 1000, interval: 20 }).toBe(1);
    expect(await closedWithin(open, 5000)).toBe(true);
    expect(open.status()).toBe(408);
    expect(open.received()).toMatch(/content-type: application\/problem\+json/i);
    expect(open.json<{ code: string }>().code).toBe('request_timeout');
    expect(await tmpFilesSettled()).toEqual([]);
    const dossier = (await (await fetch(`${server.url}${API}/dossier`, { headers: { authorization: `Bearer ${lea.token!}` } })).json()) as {
      pieces: { documents: unknown[] }[];
    };
    expect(dossier.pieces.every((p) => p.documents.length === 0)).toBe(true);
  });

  it('a body trickling below the minimum rate is cut once its grace period is over', async () => {
    await boot({ bodyDeadlines: { idleMs: 10_000, graceMs: 500, minBytesPerSecond: 1000 } });
    const lea = await login('T-001', 'secret-lea');
    const pdf = tinyPdf('trickle');
    const open = await openRequest(server.url, { ...uploadHead(lea.token!, pdf, pdf.length), body: pdf.subarray(0, 10) });
    idle.push(open);
    let sent = 10;
    // 10 bytes every 100 ms: 100 bytes/s, never idle, far below the minimum rate.
    const trickle = setInterval(() => {
      if (sent < pdf.length && !open.socket.destroyed) open.socket.write(pdf.subarray(sent, (sent += 10)));
    }, 100);
    try {
      expect(await closedWithin(open, 4000)).toBe(true);
    } finally {
      clearInterval(trickle);
    }
    expect(open.status()).toBe(408);
    expect(open.json<{ code: string }>().code).toBe('request_timeout');
    expect(await tmpFilesSettled()).toEqual([]);
  });

  it('a JSON body that does not arrive in time is cut: the login answers 408 problem+json', async () => {
    await boot({ bodyDeadlines: { jsonBodyMs: 400 } });
    const body = Buffer.from(JSON.stringify({ dossier: 'T-001', password: 'secret-lea' }));
    const open = await openRequest(server.url, {
      method: 'POST',
      path: `${API}/session`,
      headers: { 'content-type': 'application/json', 'content-length': body.length },
      body: body.subarray(0, 10),
    });
    idle.push(open);
    expect(await closedWithin(open, 4000)).toBe(true);
    expect(open.status()).toBe(408);
    expect(open.json<{ code: string }>().code).toBe('request_timeout');
    expect((await login('T-001', 'secret-lea')).status).toBe(201);
  });
});
