import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import { startBrowserHost, type BrowserHost } from '../../../../src-main/browser-host/host';
import { createEventHub } from '../../../../src-main/core/events';
import { fromWire, toWire } from '../../../../src-shared/wire';

let host: BrowserHost;
const events = createEventHub();
const calls: [string, unknown][] = [];

beforeAll(async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'host-'));
  await mkdir(path.join(dir, 'assets'));
  await writeFile(path.join(dir, 'index.html'), '<p>accueil</p>');
  await writeFile(path.join(dir, 'assets', 'app.js'), 'console.log(1)');
  await writeFile(path.join(path.dirname(dir), 'secret.txt'), 'secret');
  host = await startBrowserHost({
    rendererDir: dir,
    events,
    dispatch: async (method, input) => {
      calls.push([method, input]);
      return { ok: true, value: { echoed: input } };
    },
  });
});
afterAll(() => host.close());

const origin = () => host.url.replace(/\/$/, '');

function bridge(method: string, body: string, headers: Record<string, string>) {
  return fetch(`${host.url}bridge/${method}`, { method: 'POST', body, headers });
}

describe('browser host', () => {
  it('listens on loopback only', () => {
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  });

  it('serves the UI with its security headers', async () => {
    const page = await fetch(host.url);
    expect(page.status).toBe(200);
    expect(await page.text()).toBe('<p>accueil</p>');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    const script = await fetch(`${host.url}assets/app.js`);
    expect(script.headers.get('content-type')).toContain('text/javascript');
  });

  it.each(['../secret.txt', '..%2Fsecret.txt', '%2e%2e/secret.txt', 'nothing.html'])('answers 404 for %s', async (p) => {
    expect((await fetch(host.url + p)).status).toBe(404);
  });

  it('carries calls with bytes to the dispatch and back', async () => {
    calls.length = 0;
    const bytes = new Uint8Array([0, 255, 37, 80, 68, 70]);
    const response = await bridge('prepareDocument', toWire({ pieceId: 'cv', files: [{ name: 'a.pdf', bytes }] }), {
      Origin: origin(),
      'X-Assistant-Bridge': '1',
      'Content-Type': 'application/json',
    });
    expect(response.status).toBe(200);
    const result = fromWire(await response.text()) as { ok: true; value: { echoed: { files: { bytes: Uint8Array }[] } } };
    expect([...result.value.echoed.files[0]!.bytes]).toEqual([...bytes]);
    expect(calls[0]![0]).toBe('prepareDocument');
  });

  it.each([
    ['another site', { Origin: 'https://evil.example', 'X-Assistant-Bridge': '1' }],
    ['no custom header', { Origin: 'SELF' }],
    ['no origin', { 'X-Assistant-Bridge': '1' }],
  ])('refuses calls from %s', async (_name, headers) => {
    calls.length = 0;
    const h = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, v === 'SELF' ? origin() : v]));
    const response = await bridge('getDossier', '{}', h);
    expect(response.status).toBe(403);
    expect(calls).toHaveLength(0);
  });

  it('turns malformed JSON into a call the dispatch refuses, not a crash', async () => {
    calls.length = 0;
    const response = await bridge('login', '{not json', { Origin: origin(), 'X-Assistant-Bridge': '1' });
    expect(response.status).toBe(200);
    expect(typeof calls[0]![1]).toBe('symbol');
  });
});

/** A raw GET, so that the test controls every header (fetch adds its own Sec-Fetch-*). */
function rawGet(pathname: string, headers: Record<string, string>): Promise<http.IncomingMessage> {
  const url = new URL(pathname, host.url);
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers }, resolve);
    req.on('error', reject);
  });
}

async function readEvents(res: http.IncomingMessage, count: number): Promise<string[]> {
  const blocks: string[] = [];
  let buffer = '';
  for await (const chunk of res as AsyncIterable<Buffer>) {
    buffer += chunk.toString('utf8');
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      if (!block.startsWith(':')) blocks.push(block);
    }
    if (blocks.length >= count) break;
  }
  res.destroy();
  return blocks;
}

describe('browser host events', () => {
  const self = () => ({ Host: new URL(host.url).host, 'Sec-Fetch-Site': 'same-origin' });

  it('streams assistant events as Server-Sent Events, bytes included', async () => {
    const res = await rawGet('/bridge-events', self());
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/event-stream');
    const received = readEvents(res, 2);
    // The stream is subscribed once its headers are out.
    events.emit('progress', { operation: 'inspect', done: 1, total: 2 });
    events.emit('queueChanged', { dossier: 'D1', items: [], pending: 0 });
    const blocks = await received;
    expect(blocks[0]).toBe(`event: progress\ndata: ${toWire({ operation: 'inspect', done: 1, total: 2 })}`);
    expect(blocks[1]!.split('\n')[0]).toBe('event: queueChanged');
    expect(fromWire(blocks[1]!.split('\n')[1]!.slice('data: '.length))).toEqual({ dossier: 'D1', items: [], pending: 0 });
  });

  it.each([
    ['another site', { 'Sec-Fetch-Site': 'cross-site', Origin: 'https://evil.example' }],
    ['a page of another origin', { Origin: 'https://evil.example' }],
    ['no browser proof of origin', {}],
    ['a rebound host name', { 'Sec-Fetch-Site': 'same-origin', Host: 'evil.example:80' }],
  ])('refuses the stream to %s', async (_name, headers) => {
    const res = await rawGet('/bridge-events', { Host: new URL(host.url).host, ...headers });
    expect(res.statusCode).toBe(403);
    res.destroy();
  });

  it('refuses bridge calls that name another host (DNS rebinding)', async () => {
    const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
      const req = http.request(new URL('bridge/getDossier', host.url), {
        method: 'POST',
        headers: { Host: 'evil.example', Origin: origin(), 'X-Assistant-Bridge': '1' },
      }, resolve);
      req.on('error', reject);
      req.end('{}');
    });
    expect(res.statusCode).toBe(403);
    res.destroy();
  });
});
