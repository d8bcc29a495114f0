/** The update feed at /updates/ through real sockets: what electron-updater will ask of it. */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../../../src-server/server';
import { FAST_SCRYPT, tempDir } from '../../../support/server-helpers';

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** A GET with the path sent byte for byte (no client-side `..` clean-up, as fetch would do). */
function get(base: string, rawPath: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(base);
    const req = http.request({ host: hostname, port, path: rawPath, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

const SECRET = 'mot-de-passe-du-serveur';
const installer = randomBytes(200_000);
const INSTALLER = 'Assistant-Depot-Setup-0.2.0.exe';
let temp: { dir: string; remove(): void };
let server: RunningServer;
let bare: RunningServer;

beforeAll(async () => {
  temp = tempDir('updates-');
  const feed = path.join(temp.dir, 'feed');
  mkdirSync(feed);
  writeFileSync(path.join(feed, 'latest.yml'), `version: 0.2.0\npath: ${INSTALLER}\n`);
  writeFileSync(path.join(feed, 'latest-linux.yml'), 'version: 0.2.0\n');
  writeFileSync(path.join(feed, INSTALLER), installer);
  writeFileSync(path.join(feed, '.env'), SECRET);
  // Beside the feed, where a traversal would land.
  writeFileSync(path.join(temp.dir, 'secret.txt'), SECRET);
  const common = { campaignFiles: [], demo: true, host: '127.0.0.1', port: 0, scryptCost: FAST_SCRYPT };
  server = await startServer({ ...common, dataDir: path.join(temp.dir, 'data'), updatesDir: feed });
  bare = await startServer({ ...common, dataDir: path.join(temp.dir, 'data2') });
});
afterAll(async () => {
  await server?.close();
  await bare?.close();
  temp?.remove();
});

describe('update feed at /updates/', () => {
  it.each(['latest.yml', 'latest-linux.yml'])('serves %s to be read again every time, with an ETag that answers 304', async (name) => {
    const first = await get(server.url, `/updates/${name}`);
    expect(first.status).toBe(200);
    expect(first.body.toString()).toMatch(/^version: 0\.2\.0/);
    expect(first.headers['cache-control']).toBe('no-cache');
    expect(first.headers.etag).toBeTruthy();
    const again = await get(server.url, `/updates/${name}`, { 'if-none-match': first.headers.etag! });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
  });

  it('serves a versioned installer for long caching, and any byte range of it', async () => {
    const whole = await get(server.url, `/updates/${INSTALLER}`);
    expect(whole.status).toBe(200);
    expect(whole.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(whole.headers['accept-ranges']).toBe('bytes');
    expect(Buffer.compare(whole.body, installer)).toBe(0);

    const part = await get(server.url, `/updates/${INSTALLER}`, { range: 'bytes=1000-1999' });
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 1000-1999/${installer.length}`);
    expect(Buffer.compare(part.body, installer.subarray(1000, 2000))).toBe(0);

    const tail = await get(server.url, `/updates/${INSTALLER}`, { range: 'bytes=-500' });
    expect(tail.status).toBe(206);
    expect(Buffer.compare(tail.body, installer.subarray(-500))).toBe(0);

    const beyond = await get(server.url, `/updates/${INSTALLER}`, { range: `bytes=${installer.length + 10}-` });
    expect(beyond.status).toBe(416);
    expect(beyond.headers['content-range']).toBe(`bytes */${installer.length}`);
    expect(JSON.parse(beyond.body.toString())).toMatchObject({ code: 'range_not_satisfiable' });
  });

  it.each([
    '/updates/../secret.txt',
    '/updates/%2e%2e/secret.txt',
    '/updates/..%2fsecret.txt',
    '/updates/%2e%2e%2fsecret.txt',
    '/updates/..\\secret.txt',
    '/updates/.env',
    '/updates/',
    '/updates/absent.yml',
  ])('answers 404 (problem+json, nothing leaked) for %s', async (rawPath) => {
    const answer = await get(server.url, rawPath);
    expect(answer.status).toBe(404);
    expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(answer.body.toString())).toMatchObject({ code: 'not_found' });
    expect(answer.body.toString()).not.toContain(SECRET);
  });

  it('is the route table\'s updateFile, documented as served from the root', async () => {
    const doc = JSON.parse((await get(server.url, '/api/v1/openapi.json')).body.toString());
    expect(doc.paths['/updates/{file}']).toMatchObject({ servers: [{ url: '/' }], get: { responses: { 200: {}, 206: {}, 404: {}, 416: {} } } });
  });

  it('is absent from a server started without --updates', async () => {
    const answer = await get(bare.url, '/updates/latest.yml');
    expect(answer.status).toBe(404);
  });

  it('leaves the API answers as they were (no-store)', async () => {
    const answer = await get(server.url, '/api/v1/time');
    expect(answer.status).toBe(200);
    expect(answer.headers['cache-control']).toBe('no-store');
  });
});
