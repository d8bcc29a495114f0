import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserHost, type BrowserHost } from '../../src-main/browser-host/host';
import { fromWire, toWire } from '../../src-shared/wire';

let host: BrowserHost;
const calls: [string, unknown][] = [];

beforeAll(async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'host-'));
  await mkdir(path.join(dir, 'assets'));
  await writeFile(path.join(dir, 'index.html'), '<p>accueil</p>');
  await writeFile(path.join(dir, 'assets', 'app.js'), 'console.log(1)');
  await writeFile(path.join(path.dirname(dir), 'secret.txt'), 'secret');
  host = await startBrowserHost({
    rendererDir: dir,
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
