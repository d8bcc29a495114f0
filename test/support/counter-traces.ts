/**
 * For the counter's wipe tests: every byte of every file under a folder, searched for a
 * candidate's traces, and a loopback proxy in front of the API that records the tokens it
 * hands out (the test cannot otherwise know what to look for).
 */
import { readdir, readFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';

export interface Needle {
  label: string;
  bytes: Buffer;
}

export const JPEG_SOI: Needle = { label: 'JPEG (FF D8 FF)', bytes: Buffer.from([0xff, 0xd8, 0xff]) };
export const PDF_MAGIC: Needle = { label: 'PDF (%PDF)', bytes: Buffer.from('%PDF', 'latin1') };

export function text(label: string, value: string): Needle {
  return { label, bytes: Buffer.from(value, 'utf8') };
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

/** Each file under `dir` that holds one of the needles, with what it holds. */
export async function tracesUnder(dir: string, needles: Needle[]): Promise<string[]> {
  const found: string[] = [];
  for (const file of await filesUnder(dir)) {
    // A file removed while we search (a discarded draft) holds nothing any more.
    const bytes = await readFile(file).catch(() => null);
    if (!bytes) continue;
    for (const needle of needles) if (bytes.includes(needle.bytes)) found.push(`${path.relative(dir, file)}: ${needle.label}`);
  }
  return found;
}

export interface TokenRecorder {
  url: string;
  /** Session tokens handed out, candidates' and staff's. */
  tokens: string[];
  /** Device tokens handed out at candidates' logins (api-contract.md 5.6): traces too. */
  deviceTokens: string[];
  /** The device token each candidate login presented, in order (null: none). */
  presented: (string | null)[];
  close(): Promise<void>;
}

/**
 * Forwards everything to `target` unchanged, and keeps the `token` (and `deviceToken`) of each
 * session opened, and the device token each login presented.
 */
export async function recordTokens(target: string): Promise<TokenRecorder> {
  const tokens: string[] = [];
  const deviceTokens: string[] = [];
  const presented: (string | null)[] = [];
  const upstream = new URL(target);
  const server = http.createServer((req, res) => {
    const sent: Buffer[] = [];
    if (req.method === 'POST' && /\/v1\/session$/.test(req.url ?? ''))
      req.on('data', (chunk: Buffer) => sent.push(chunk)).on('end', () => {
        try {
          const { deviceToken } = JSON.parse(Buffer.concat(sent).toString('utf8')) as { deviceToken?: unknown };
          presented.push(typeof deviceToken === 'string' ? deviceToken : null);
        } catch {
          /* not a login */
        }
      });
    const forward = http.request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () => {
          const body = Buffer.concat(chunks);
          if (req.method === 'POST' && /\/session$/.test(req.url ?? '')) {
            try {
              const session = JSON.parse(body.toString('utf8')) as { token?: unknown; deviceToken?: unknown };
              if (typeof session.token === 'string') tokens.push(session.token);
              if (typeof session.deviceToken === 'string') deviceTokens.push(session.deviceToken);
            } catch {
              /* not a session answer */
            }
          }
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          res.end(body);
        });
      },
    );
    forward.on('error', () => {
      res.writeHead(502);
      res.end();
    });
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    tokens,
    deviceTokens,
    presented,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
