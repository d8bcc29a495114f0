/**
 * Requests written by hand on a raw socket: a head and part of a body, then whatever the test
 * wants (nothing, a trickle). What a client library would never send, and what an attacker does.
 */
import net from 'node:net';

export interface HandRequest {
  method: string;
  path: string;
  headers: Record<string, string | number>;
  /** Bytes of the body sent at once after the head (the rest never comes unless trickled). */
  body?: Buffer;
}

export interface OpenRequest {
  socket: net.Socket;
  /** Everything the server wrote back so far. */
  received(): string;
  /** Resolves when the server closes the connection (or the test destroys it). */
  closed: Promise<void>;
  /** The status of the answer, once one came; null while none. */
  status(): number | null;
  /** The answer's JSON body (problem+json), once complete. */
  json<T = Record<string, unknown>>(): T;
}

function headOf(request: HandRequest, host: string): string {
  const lines = [`${request.method} ${request.path} HTTP/1.1`, `host: ${host}`];
  for (const [name, value] of Object.entries(request.headers)) lines.push(`${name}: ${value}`);
  return `${lines.join('\r\n')}\r\n\r\n`;
}

/** Sends the head (and `body` if any) and keeps the connection open, sending nothing more. */
export function openRequest(baseUrl: string, request: HandRequest): Promise<OpenRequest> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(url.port), url.hostname);
    let text = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (text += chunk));
    const closed = new Promise<void>((done) => socket.once('close', () => done()));
    socket.once('error', () => undefined);
    socket.once('connect', () => {
      socket.write(headOf(request, url.host));
      const sent = () =>
        resolve({
          socket,
          received: () => text,
          closed,
          status: () => {
            const m = /^HTTP\/1\.1 (\d{3})/.exec(text);
            return m ? Number(m[1]) : null;
          },
          json: <T>() => JSON.parse(Buffer.from(text.slice(text.indexOf('\r\n\r\n') + 4), 'latin1').toString('utf8')) as T,
        });
      if (request.body && request.body.length > 0) socket.write(request.body, sent);
      else sent();
    });
    socket.once('error', reject);
  });
}

/** Resolves true once `open` is closed by the server, false if still open after `ms`. */
export async function closedWithin(open: OpenRequest, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  const result = await Promise.race([open.closed.then(() => true as const), timeout]);
  clearTimeout(timer);
  return result;
}
