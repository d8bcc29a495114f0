/** The back office's files at /instruction/: what Vite built, with the app's CSP, and nothing else. */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../../src-shared/content-security-policy';
import { makeTestApp, problemOf, tempDir, type TestApp } from '../../support/server-helpers';

let built: ReturnType<typeof tempDir>;
let test: TestApp;
let bare: TestApp;

beforeAll(async () => {
  built = tempDir('backoffice-built-');
  mkdirSync(path.join(built.dir, 'assets'));
  writeFileSync(path.join(built.dir, 'index.html'), '<!doctype html><title>Instruction</title>');
  writeFileSync(path.join(built.dir, 'assets', 'index-abc123.js'), 'console.log(1)');
  writeFileSync(path.join(built.dir, 'assets', 'index-abc123.js.map'), '{}');
  writeFileSync(path.join(built.dir, 'notes.txt'), 'not served');
  test = await makeTestApp({ backofficeDir: built.dir });
  bare = await makeTestApp();
});

afterAll(async () => {
  await test?.close();
  await bare?.close();
  built?.remove();
});

describe('the back office at /instruction/', () => {
  it('serves its page with the app CSP (scripts from this origin only), never cached stale', async () => {
    const res = await test.app.inject({ url: '/instruction/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.body).toContain('<title>Instruction</title>');
    expect((await test.app.inject({ url: '/instruction' })).headers.location).toBe('/instruction/');
  });

  it('serves the built assets for good under their hashed names', async () => {
    const res = await test.app.inject({ url: '/instruction/assets/index-abc123.js' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('answers 404 problem+json for source maps, other files, and anything outside the folder', async () => {
    for (const url of [
      '/instruction/assets/index-abc123.js.map',
      '/instruction/notes.txt',
      '/instruction/../package.json',
      '/instruction/%2e%2e/%2e%2e/package.json',
      '/instruction/assets/../../index.html',
    ]) {
      const res = await test.app.inject({ url });
      if (res.statusCode === 200) expect(res.body, url).toContain('<title>Instruction</title>');
      else expect(problemOf(res).code, url).toBe('not_found');
    }
  });

  it('keeps the API strict: its answers keep their own CSP', async () => {
    const res = await test.app.inject({ url: '/api/v1/health' });
    expect(res.headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'; sandbox");
  });

  it('is simply absent from a server started without it', async () => {
    expect(problemOf(await bare.app.inject({ url: '/instruction/' })).code).toBe('not_found');
  });
});
