/** Real sockets against an in-process server: what inject cannot show. */
import http from 'node:http';
import net from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ERRORS, type ErrorCode } from '../../../src-shared/errors';
import { hashToken } from '../../../src-server/auth';
import type { RunningServerWithContext } from '../../../src-server/server';
import { sha256Header, tempDir, TestClock, testCampaign, tinyPdf } from '../../support/server-helpers';
import { startTestServer } from '../../support/test-server';

interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** Sends a request by hand, writing the body in chunks; resolves with whatever comes back. */
function raw(
  url: string,
  options: { method: string; path: string; headers?: Record<string, string | number>; chunks?: Buffer[]; delayMs?: number },
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${url}${options.path}`, { method: options.method, headers: options.headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    const chunks = [...(options.chunks ?? [])];
    const next = () => {
      const chunk = chunks.shift();
      if (!chunk) return req.end();
      req.write(chunk, () => (options.delayMs ? setTimeout(next, options.delayMs) : next()));
    };
    next();
  });
}

/** Writes `request` as is on a new connection and gives back everything the server answered. */
function exchange(url: string, request: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname);
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => (answer += d));
    socket.on('error', reject);
    socket.on('close', () => resolve(answer));
    socket.end(request);
  });
}

/** An answer written by hand: problem+json, with the code and French sentence the contract sets. */
function expectRawProblem(answer: string, status: number, code: ErrorCode) {
  const [head, body] = answer.split('\r\n\r\n', 2) as [string, string | undefined];
  expect(head).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
  expect(head).toMatch(/^content-type: application\/problem\+json/im);
  expect(head).toMatch(/^x-content-type-options: nosniff$/im);
  expect(JSON.parse(body ?? '')).toMatchObject({ status, code, detail: ERRORS[code].message });
}

describe('companion API over HTTP', () => {
  let server: RunningServerWithContext;
  let temp: { dir: string; remove(): void };
  let token: string;

  async function boot(limits = {}) {
    server = await startTestServer(temp.dir, { limits });
    const res = await fetch(`${server.url}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ dossier: 'T-001', password: 'secret-lea' }),
    });
    token = ((await res.json()) as { token: string }).token;
  }

  beforeEach(async () => {
    temp = tempDir();
    await boot();
  });
  afterEach(async () => {
    await server.close();
    temp.remove();
  });

  it('answers 413 at once for a declared oversized body, and closes the connection', async () => {
    const res = await raw(server.url, {
      method: 'POST',
      path: '/api/v1/pieces/cv/documents',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/pdf',
        'content-digest': sha256Header(Buffer.from('x')),
        'content-length': 50_000_000,
      },
      chunks: [Buffer.alloc(1000)],
    });
    expect(res.status).toBe(413);
    expect(res.headers.connection).toBe('close');
    expect(JSON.parse(res.body).code).toBe('file_too_large');
  });

  it('refuses a chunked body once it passes the limit, storing nothing', async () => {
    const chunks = Array.from({ length: 10 }, () => Buffer.alloc(5000, 0x41));
    const res = await raw(server.url, {
      method: 'POST',
      path: '/api/v1/pieces/cv/documents',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/pdf', 'content-digest': sha256Header(Buffer.concat(chunks)), 'transfer-encoding': 'chunked' },
      chunks,
    });
    expect(res.status).toBe(413);
    const dossier = await (await fetch(`${server.url}/api/v1/dossier`, { headers: { authorization: `Bearer ${token}` } })).json();
    expect(dossier.pieces.every((p: { documents: unknown[] }) => p.documents.length === 0)).toBe(true);
  });

  it('answers headers too large with a problem (431, headers_too_large), and keeps serving', async () => {
    // 20 kB: past Node's 16 kB limit, yet small enough that the server reads it all before it
    // closes, so the answer is not lost to a reset.
    const answer = await exchange(server.url, `GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    expectRawProblem(answer, 431, 'headers_too_large');
    expect(answer).toMatch(/^connection: close$/im);
    expect((await fetch(`${server.url}/api/v1/health`)).status).toBe(200);
  });

  it('answers a malformed URL and bytes that are not HTTP with a problem (400, validation_failed)', async () => {
    const badUrl = await exchange(server.url, 'GET /api/v1/documents/%E0%A4%A/content HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expectRawProblem(badUrl, 400, 'validation_failed');
    expect(badUrl).not.toContain('%E0%A4%A'); // the refused path is not echoed back
    expectRawProblem(await exchange(server.url, 'BLAH\r\n\r\n'), 400, 'validation_failed');
  });

  it('SIGTERM-style close lets an upload in flight finish and commit', async () => {
    const pdf = tinyPdf('slow');
    const parts = [pdf.subarray(0, 100), pdf.subarray(100, 200), pdf.subarray(200)];
    const pending = raw(server.url, {
      method: 'POST',
      path: '/api/v1/pieces/identite/documents',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/pdf', 'content-digest': sha256Header(pdf), 'content-length': pdf.length },
      chunks: parts,
      delayMs: 150,
    });
    await new Promise((r) => setTimeout(r, 100));
    const closing = server.close();
    const res = await pending;
    await closing;
    expect(res.status).toBe(201);
    await boot();
    const dossier = await (await fetch(`${server.url}/api/v1/dossier`, { headers: { authorization: `Bearer ${token}` } })).json();
    expect(dossier.pieces[0].documents).toHaveLength(1);
  });

  it('past capacity: 503 with Retry-After for uploads, while closure still answers', async () => {
    await server.close();
    await boot({ maxUploads: 1 });
    const pdf = tinyPdf('x');
    const slow = raw(server.url, {
      method: 'POST',
      path: '/api/v1/pieces/diplome/documents',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/pdf', 'content-digest': sha256Header(pdf), 'content-length': pdf.length },
      chunks: [pdf.subarray(0, 10), pdf.subarray(10)],
      delayMs: 400,
    });
    await new Promise((r) => setTimeout(r, 100));
    const shed = await fetch(`${server.url}/api/v1/pieces/diplome/documents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/pdf', 'content-digest': sha256Header(tinyPdf('y')) },
      body: new Uint8Array(tinyPdf("y")),
    });
    expect(shed.status).toBe(503);
    expect(Number(shed.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await shed.json()) as { code: string }).code).toBe('overloaded');
    const closure = await fetch(`${server.url}/api/v1/closure`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    expect(closure.status).toBe(422); // answered (pieces missing), not shed
    expect((await slow).status).toBe(201);
  });
});

// Lanes are chosen by the route's name in the table: the clock and health never wait, closure
// keeps its own allowance, everything else is shed first when the event loop lags.
describe('load shedding by route', () => {
  it('when every ordinary request is shed, the clock, health and closure still answer', async () => {
    const temp = tempDir();
    const server = await startTestServer(temp.dir, { limits: { maxEventLoopDelayMs: -1 } });
    try {
      const token = 'lane-test-token-of-a-candidate';
      await server.context.storage.createSession(hashToken(token), {
        kind: 'candidate',
        subject: 'T-001',
        expiresAt: new Date(Date.now() + 3_600_000),
      });
      const auth = { authorization: `Bearer ${token}` };
      const get = (path: string) => fetch(`${server.url}/api/v1${path}`, { headers: auth });
      expect((await get('/time')).status).toBe(200);
      expect((await get('/health')).status).toBe(200);
      const dossier = await get('/dossier');
      expect(dossier.status).toBe(503);
      expect(((await dossier.json()) as { code: string }).code).toBe('overloaded');
      const upload = await fetch(`${server.url}/api/v1/pieces/diplome/documents`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/pdf', 'content-digest': sha256Header(tinyPdf('z')) },
        body: new Uint8Array(tinyPdf('z')),
      });
      expect(upload.status).toBe(503);
      const closure = await fetch(`${server.url}/api/v1/closure`, { method: 'POST', headers: auth });
      expect(closure.status).toBe(422); // answered (pieces missing), not shed
    } finally {
      await server.close();
      temp.remove();
    }
  });
});

// The throttle's two promises, through real sockets and the server's own clock moved by hand:
// a wait never longer than a minute (nobody can lock a candidate out for hours), and a
// successful login that wipes the failures before it.
describe('login throttle over HTTP', () => {
  let server: RunningServerWithContext;
  let temp: { dir: string; remove(): void };
  let clock: TestClock;

  beforeEach(async () => {
    temp = tempDir();
    clock = new TestClock(new Date('2027-04-01T10:00:00Z'));
    server = await startTestServer(temp.dir, { campaignValues: [testCampaign()], now: clock.now });
  });
  afterEach(async () => {
    await server.close();
    temp.remove();
  });

  async function login(password: string): Promise<{ status: number; retryAfter: number | null; code?: string }> {
    const res = await fetch(`${server.url}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ dossier: 'T-001', password }),
    });
    const body = (await res.json()) as { code?: string };
    const retryAfter = res.headers.get('retry-after');
    return { status: res.status, retryAfter: retryAfter === null ? null : Number(retryAfter), code: body.code };
  }
  const wait = (seconds: number) => clock.set(new Date(clock.now().getTime() + seconds * 1000).toISOString());

  it('never makes anyone wait more than a minute, however many wrong passwords', async () => {
    const waits: number[] = [];
    // Each refusal's Retry-After is waited out on the server's clock, then a new wrong try.
    for (let tries = 0; tries < 40 && waits.filter((w) => w === 60).length < 3; tries++) {
      const res = await login(`wrong-${tries}`);
      if (res.status === 429) {
        expect(res.code).toBe('too_many_attempts');
        waits.push(res.retryAfter!);
        wait(res.retryAfter!);
      } else expect(res).toMatchObject({ status: 401, code: 'invalid_credentials' });
    }
    expect(waits.length).toBeGreaterThan(0);
    // The wait grew up to the cap and stayed there: a minute exactly, never more.
    expect(Math.max(...waits)).toBe(60);
    expect(waits.slice(-3)).toEqual([60, 60, 60]);
    // Even after one more failure, the right password opens the dossier a minute later.
    expect((await login('wrong-again')).status).toBe(401);
    expect(await login('secret-lea')).toMatchObject({ status: 429, retryAfter: 60 });
    wait(60);
    expect((await login('secret-lea')).status).toBe(201);
  });

  it('forgets the failures once the right password is given', async () => {
    // Four free tries, then the right one: the count starts again from nothing.
    for (let i = 0; i < 4; i++) expect((await login(`wrong-${i}`)).status).toBe(401);
    expect((await login('secret-lea')).status).toBe(201);
    // Had the four failures been kept, the next wrong password would be the one that waits.
    for (let i = 0; i < 4; i++) expect(await login(`again-${i}`)).toMatchObject({ status: 401, retryAfter: null });
  });
});
