/** Property-based fuzzing of every input the API reads: whatever arrives, never a 5xx. */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API, makeTestApp, sha256Header, tinyPdf, type TestApp } from '../../support/server-helpers';

let t: TestApp;
let token: string;

beforeAll(async () => {
  t = await makeTestApp();
  token = await t.login();
});
afterAll(async () => {
  await t.close();
});

function assertClean(res: { statusCode: number; headers: Record<string, unknown>; body: string }) {
  expect(res.statusCode).toBeLessThan(500);
  if (res.statusCode >= 400 && res.body.length > 0) {
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const problem = JSON.parse(res.body) as { code: string; detail: string };
    expect(typeof problem.code).toBe('string');
    expect(problem.detail).not.toMatch(/\n\s+at /);
  }
}

const headerText = fc.string({ unit: 'binary-ascii', maxLength: 200 }).map((s) => s.replace(/[\r\n\0]/g, ''));

describe('fuzzing', () => {
  it('POST /session with any JSON or text body', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.jsonValue().map((v) => JSON.stringify(v)),
          fc.record({ dossier: fc.anything(), password: fc.anything() }).map((v) => JSON.stringify(v)),
          fc.string({ maxLength: 300 }),
        ),
        fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1'),
        async (payload, contentType) => {
          const res = await t.app.inject({ method: 'POST', url: `${API}/session`, payload, headers: { 'content-type': contentType } });
          assertClean(res);
          expect([400, 401, 429]).toContain(res.statusCode);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('uploads with any bytes, digests, types and file names', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 3000 }).map((a) => Buffer.from(a)),
          // Valid-looking starts with garbage after them reach the deeper checks.
          fc.uint8Array({ maxLength: 2000 }).map((a) => Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.from(a)])),
          fc.uint8Array({ maxLength: 2000 }).map((a) => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from(a)])),
          fc.nat(400).map((n) => tinyPdf().subarray(0, n)),
        ),
        fc.boolean(),
        headerText,
        fc.oneof(headerText, fc.string({ maxLength: 80 }).map((s) => `attachment; filename*=UTF-8''${encodeURIComponent(s)}`)),
        fc.constantFrom('application/pdf', 'image/jpeg', 'application/octet-stream', 'text/html', 'multipart/form-data; boundary=x'),
        fc.constantFrom('diplome', 'identite', 'nope', '..%2F..%2Fetc', '%00'),
        async (bytes, goodDigest, digest, disposition, contentType, piece) => {
          const res = await t.app.inject({
            method: 'POST',
            url: `${API}/pieces/${piece}/documents`,
            payload: bytes,
            headers: {
              authorization: `Bearer ${token}`,
              'content-type': contentType,
              'content-digest': goodDigest ? sha256Header(bytes) : digest,
              'content-disposition': disposition,
            },
          });
          assertClean(res);
          if (res.statusCode < 300) {
            const doc = res.json() as { filename: string; id: string };
            expect(doc.filename).not.toMatch(/[/\\\0]/);
            await t.app.inject({ method: 'DELETE', url: `${API}/documents/${doc.id}`, headers: { authorization: `Bearer ${token}` } });
          }
        },
      ),
      { numRuns: 250 },
    );
  });

  it('any path, method and token', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'POST', 'DELETE', 'PUT', 'PATCH', 'OPTIONS', 'HEAD'),
        fc.oneof(
          fc.webPath(),
          fc.string({ maxLength: 60 }).map((s) => `/documents/${encodeURIComponent(s)}/content`),
          fc.string({ maxLength: 60 }).map((s) => `/staff/dossiers/${encodeURIComponent(s)}`),
        ),
        fc.oneof(fc.constant(`Bearer ${token}`), headerText),
        async (method, path, authorization) => {
          const res = await t.app.inject({ method: method as 'GET', url: `${API}${path}`, headers: { authorization } });
          assertClean(res);
        },
      ),
      { numRuns: 200 },
    );
  });
});
