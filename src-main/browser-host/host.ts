/**
 * The browser host: serves the renderer's files and the assistant API to a browser on
 * 127.0.0.1, for development and for end-to-end tests where the Electron binary is absent.
 * Each call is `POST /bridge/<method>` with the input as wire JSON; the answer is the Result.
 *
 * Any web page the person visits could send requests to a loopback port, so the bridge only
 * answers requests that carry our own Origin and a custom header (which a cross-site page
 * cannot add without a CORS preflight, which we never grant). Events stream as Server-Sent
 * Events from `GET /bridge-events`; an EventSource cannot add headers and a same-origin GET
 * carries no Origin, so there the browser's own `Sec-Fetch-Site: same-origin` stands in for
 * it. Every bridge request must also name our Host, which defeats DNS rebinding.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { fromWire, toWire } from '../../src-shared/wire';
import { CONTENT_SECURITY_POLICY } from '../../src-shared/content-security-policy';
import { UI_CONTENT_TYPES } from '../../src-shared/ui-files';
import type { Dispatch } from '../core/dispatch';
import type { EventHub } from '../core/events';

export const BRIDGE_PATH = '/bridge/';
export const BRIDGE_HEADER = 'x-assistant-bridge';
export const EVENTS_PATH = '/bridge-events';
/** Comments sent now and then keep idle proxies and the browser from closing the stream. */
const KEEPALIVE_MS = 25_000;
/** Inputs carry whole files (base64 on this bridge): bounded all the same. */
const MAX_BODY_BYTES = 200 * 1024 * 1024;

/** For development, the source maps too. */
const CONTENT_TYPES: Record<string, string> = {
  ...UI_CONTENT_TYPES,
  '.json': 'application/json',
  '.map': 'application/json',
};

export interface BrowserHost {
  url: string;
  close(): Promise<void>;
}

export async function startBrowserHost(options: {
  dispatch: Dispatch;
  rendererDir: string;
  port?: number;
  events?: EventHub;
}): Promise<BrowserHost> {
  let origin = '';
  let host = '';
  const streams = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', origin);
    if (url.pathname.startsWith(BRIDGE_PATH)) return bridge(req, res, url.pathname.slice(BRIDGE_PATH.length));
    if (url.pathname === EVENTS_PATH) return eventStream(req, res);
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain', 'Method Not Allowed');
    return serveFile(res, url.pathname);
  }

  async function bridge(req: http.IncomingMessage, res: http.ServerResponse, method: string): Promise<void> {
    if (req.method !== 'POST' || req.headers.host !== host || req.headers.origin !== origin || req.headers[BRIDGE_HEADER] !== '1')
      return send(res, 403, 'text/plain', 'Forbidden');
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) return send(res, 413, 'text/plain', 'Payload Too Large');
      chunks.push(chunk);
    }
    let input: unknown;
    try {
      input = fromWire(Buffer.concat(chunks).toString('utf8') || '{}');
    } catch {
      input = undefined; // the dispatch answers validation_failed
    }
    const result = await options.dispatch(method, input ?? Symbol('invalid'));
    send(res, 200, 'application/json; charset=utf-8', toWire(result));
  }

  function eventStream(req: http.IncomingMessage, res: http.ServerResponse): void {
    const sameOrigin =
      req.headers.origin === origin || (req.headers.origin === undefined && req.headers['sec-fetch-site'] === 'same-origin');
    if (req.method !== 'GET' || req.headers.host !== host || !sameOrigin) return send(res, 403, 'text/plain', 'Forbidden');
    res.writeHead(200, {
      ...securityHeaders(),
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
    });
    res.write(': ready\n\n');
    streams.add(res);
    const unsubscribe = options.events?.subscribe((event, payload) => {
      res.write(`event: ${event}\ndata: ${toWire(payload)}\n\n`);
    });
    const keepalive = setInterval(() => res.write(': keepalive\n\n'), KEEPALIVE_MS);
    req.on('close', () => {
      clearInterval(keepalive);
      unsubscribe?.();
      streams.delete(res);
    });
  }

  async function serveFile(res: http.ServerResponse, pathname: string): Promise<void> {
    const root = path.resolve(options.rendererDir);
    const wanted = pathname === '/' ? '/index.html' : decodeURIComponent(pathname);
    const file = path.resolve(root, '.' + wanted);
    if (!file.startsWith(root + path.sep)) return send(res, 404, 'text/plain', 'Not Found');
    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) return send(res, 404, 'text/plain', 'Not Found');
    res.writeHead(200, {
      ...securityHeaders(),
      'Content-Type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream',
      'Content-Length': info.size,
      'Cache-Control': 'no-store',
    });
    createReadStream(file).pipe(res);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  host = `127.0.0.1:${port}`;
  origin = `http://${host}`;
  return {
    url: `${origin}/`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const stream of streams) stream.end();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function securityHeaders(): Record<string, string> {
  return {
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
  };
}

function send(res: http.ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { ...securityHeaders(), 'Content-Type': type });
  res.end(body);
}
