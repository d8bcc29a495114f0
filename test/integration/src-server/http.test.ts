/** Real sockets against an in-process server: what inject cannot show. */
import http from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startServer, type RunningServerWithContext } from '../../../src-server/server';
import { FAST_SCRYPT, sha256Header, tempDir, testCampaign, tinyPdf } from '../../support/server-helpers';

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

describe('companion API over HTTP', () => {
  let server: RunningServerWithContext;
  let temp: { dir: string; remove(): void };
  let token: string;

  async function boot(limits = {}) {
    server = await startServer({
      dataDir: temp.dir,
      campaignFiles: [],
      campaignValues: [testCampaign({ closesOn: '2099-01-01' })],
      demo: false,
      host: '127.0.0.1',
      port: 0,
      scryptCost: FAST_SCRYPT,
      limits,
    } as Parameters<typeof startServer>[0]);
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

  it('answers 431 to huge headers without crashing, and keeps serving', async () => {
    const res = await raw(server.url, { method: 'GET', path: '/api/v1/health', headers: { 'x-big': 'a'.repeat(100_000) } }).catch(
      () => ({ status: 431 }) as RawResponse,
    );
    expect(res.status).toBe(431);
    expect((await fetch(`${server.url}/api/v1/health`)).status).toBe(200);
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
