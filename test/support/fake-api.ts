/**
 * A stand-in for the companion API on 127.0.0.1 that answers whatever a test scripts, right or
 * wrong: to see what the desktop's clients do with an answer the route table does not allow
 * (another server version, a proxy's or a captive portal's page). It records each request.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeAnswer {
  status: number;
  type?: string;
  body?: string | Buffer | object;
}

export interface SeenRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export interface FakeApi {
  url: string;
  /** The answer to `METHOD /api/v1/path`; anything not scripted answers 599. */
  answer(method: string, path: string, answer: FakeAnswer): void;
  seen: SeenRequest[];
  close(): Promise<void>;
}

export async function startFakeApi(): Promise<FakeApi> {
  const script = new Map<string, FakeAnswer>();
  const seen: SeenRequest[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const key = `${request.method} ${request.url}`;
      seen.push({
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks),
      });
      const scripted = script.get(key) ?? { status: 599, body: `not scripted: ${key}` };
      const body =
        typeof scripted.body === 'string' || Buffer.isBuffer(scripted.body)
          ? scripted.body
          : scripted.body === undefined
            ? ''
            : JSON.stringify(scripted.body);
      const type =
        scripted.type ??
        (typeof scripted.body === 'object' && !Buffer.isBuffer(scripted.body)
          ? 'application/json'
          : undefined);
      response.writeHead(scripted.status, type ? { 'content-type': type } : {});
      response.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    answer: (method, path, answer) => script.set(`${method} /api/v1${path}`, answer),
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
