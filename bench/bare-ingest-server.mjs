// The baseline for upload ingest: a bare Node http server that pipes each body to a file and
// fsyncs it before answering 201. What the companion API adds (digest, checks, database) is
// measured against this. With BARE_HASH set it also computes each body's SHA-256 on its event
// loop, the one thing the contract makes any server add (Content-Digest): the reference for
// what is left of the goal once the digest is paid for.
import { createHash } from 'node:crypto';
import { createWriteStream, mkdirSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';

const dir = process.env.BARE_DIR;
mkdirSync(dir, { recursive: true });
let n = 0;
const server = http.createServer(async (req, res) => {
  const file = path.join(dir, `upload-${n++}`);
  try {
    if (process.env.BARE_HASH) {
      const hash = createHash('sha256');
      req.on('data', (chunk) => hash.update(chunk));
      req.once('end', () => hash.digest());
    }
    await pipeline(req, createWriteStream(file, { flush: true, highWaterMark: 1024 * 1024 }));
    res.writeHead(201, { 'content-type': 'application/json' }).end('{}');
  } catch {
    res.writeHead(500).end();
  }
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`listening http://127.0.0.1:${server.address().port}\n`));
process.once('SIGTERM', () => server.close(() => process.exit(0)));
