/**
 * The browser host's event stream as a real Chromium uses it: the page's EventSource is
 * accepted (same-origin proof from the browser itself), a page of another origin is not.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserHost, type BrowserHost } from '../../../../src-main/browser-host/host';
import { createEventHub } from '../../../../src-main/core/events';
import { launchChromium } from '../../../support/browser';

const hub = createEventHub();
/** Streams the host accepted (it subscribes once per accepted stream, whatever the browser then does). */
let accepted = 0;
const events = { ...hub, subscribe: (listener: Parameters<typeof hub.subscribe>[0]) => (accepted++, hub.subscribe(listener)) };
let host: BrowserHost;
let other: http.Server;
let otherUrl: string;
let browser: Browser;

beforeAll(async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'events-'));
  await writeFile(path.join(dir, 'index.html'), '<!doctype html><title>app</title>');
  host = await startBrowserHost({ rendererDir: dir, events, dispatch: async () => ({ ok: true, value: null }) });
  other = http.createServer((_req, res) => res.end('<!doctype html><title>elsewhere</title>'));
  await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
  otherUrl = `http://localhost:${(other.address() as { port: number }).port}/`;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await host?.close();
  other?.close();
});

describe('assistant events in Chromium', () => {
  it('reach our own page through EventSource, with their payload', async () => {
    const before = accepted;
    const page = await browser.newPage();
    await page.goto(host.url);
    const received = page.evaluate(
      () =>
        new Promise<string>((resolve, reject) => {
          const source = new EventSource('./bridge-events');
          source.addEventListener('queueChanged', (e) => resolve((e as MessageEvent<string>).data));
          source.onerror = () => reject(new Error('stream refused'));
        }),
    );
    // Emitted until the page has subscribed (the stream opens asynchronously).
    const timer = setInterval(() => events.emit('queueChanged', { dossier: 'D1', items: [], pending: 3 }), 100);
    try {
      expect(JSON.parse(await received)).toEqual({ dossier: 'D1', items: [], pending: 3 });
      expect(accepted).toBe(before + 1);
    } finally {
      clearInterval(timer);
      await page.close();
    }
  });

  it('are refused by the host to a page of another origin (not only hidden by CORS)', async () => {
    const before = accepted;
    const page = await browser.newPage();
    await page.goto(otherUrl);
    const outcome = await page.evaluate(
      (url) =>
        new Promise<string>((resolve) => {
          const source = new EventSource(url);
          source.onopen = () => resolve('opened');
          source.onerror = () => {
            source.close();
            resolve('refused');
          };
        }),
      `${host.url}bridge-events`,
    );
    expect(outcome).toBe('refused');
    expect(accepted).toBe(before);
    await page.close();
  });
});
