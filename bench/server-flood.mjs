// Upload flood for bench/server-closures.mjs, in its own process so that the closure client's
// latency figures are not the flood client's. Prints autocannon's result as JSON.
//   node bench/server-flood.mjs UPLOAD_URL TOKEN FILE SECONDS   (UPLOAD_URL: the route table's addDocument)
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

const [uploadUrl, token, file, seconds] = process.argv.slice(2);
const body = readFileSync(file);
const result = await autocannon({
  url: uploadUrl,
  connections: 64,
  duration: Number(seconds),
  method: 'POST',
  body,
  headers: {
    authorization: `Bearer ${token}`,
    'content-type': 'image/jpeg',
    'content-digest': `sha-256=:${createHash('sha256').update(body).digest('base64')}:`,
  },
});
process.stdout.write(JSON.stringify(result));
