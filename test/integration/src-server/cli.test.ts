/**
 * The server as a process: the command line, graceful SIGTERM, SIGHUP reload, and kill -9
 * right after an acknowledged upload or closure: nothing acknowledged may be lost.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isPasswordHash, verifyPassword } from '../../../src-server/passwords';
import { corpusFile, sha256Header, tempDir, testCampaign, tinyPdf } from '../../support/server-helpers';
import { buildServerCli, runServer, type ServerProcess } from '../../support/server-process';

const running: ServerProcess[] = [];
const temps: { remove(): void }[] = [];

async function start(args: string[]): Promise<ServerProcess> {
  const server = await runServer(args);
  running.push(server);
  return server;
}

function kill9(server: ServerProcess) {
  server.child.kill('SIGKILL');
  return server.exited;
}

async function json(res: Response) {
  return (await res.json()) as Record<string, unknown>;
}

async function login(url: string, dossier: string, password: string): Promise<string> {
  const res = await fetch(`${url}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ dossier, password }),
  });
  expect(res.status).toBe(201);
  return (await json(res)).token as string;
}

function upload(url: string, token: string, piece: string, bytes: Buffer) {
  return fetch(`${url}/api/v1/pieces/${piece}/documents`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/pdf', 'content-digest': sha256Header(bytes) },
    body: new Uint8Array(bytes),
  });
}

beforeAll(async () => {
  await buildServerCli();
}, 60_000);

afterEach(async () => {
  for (const s of running.splice(0)) {
    if (s.child.exitCode === null && s.child.signalCode === null) {
      s.child.kill('SIGKILL');
      await s.exited;
    }
  }
  for (const t of temps.splice(0)) t.remove();
});

function campaignFile(dir: string, overrides: Record<string, unknown> = {}): string {
  const file = path.join(dir, 'campagne.json');
  writeFileSync(file, JSON.stringify(testCampaign({ closesOn: '2099-04-27', ...overrides })));
  return file;
}

describe('server process', () => {
  it('hash-password prints a hash the server accepts in a campaign file', async () => {
    const cli = await buildServerCli();
    const result = spawnSync(process.execPath, [cli, 'hash-password'], { input: 'mot de passe été\n', encoding: 'utf8' });
    expect(result.status).toBe(0);
    const hash = result.stdout.trim();
    expect(hash).toMatch(/^scrypt\$ln=15,r=8,p=3\$/);
    expect(isPasswordHash(hash)).toBe(true);
    expect(await verifyPassword({ hash }, 'mot de passe été', { ln: 4, r: 8, p: 1 })).toBe(true);

    const t = tempDir();
    temps.push(t);
    const file = campaignFile(t.dir, {
      candidates: [{ dossier: 'H-1', lastName: 'Hash', firstName: 'Anne', passwordHash: hash }],
    });
    const server = await start(['--campaign', file, '--data', path.join(t.dir, 'data'), '--port', '0']);
    await login(server.url, 'H-1', 'mot de passe été');
  });

  it('--demo: the deadline is 14 days after the first load, and stays so across restarts', async () => {
    const t = tempDir();
    temps.push(t);
    const data = path.join(t.dir, 'data');
    const first = await start(['--demo', '--data', data, '--port', '0']);
    const [campaign] = (await (await fetch(`${first.url}/api/v1/campaigns`)).json()) as { closesAt: string }[];
    const days = (Date.parse(campaign!.closesAt) - Date.now()) / 86_400_000;
    // Midnight Paris time at the end of the 14th day from today.
    expect(days).toBeGreaterThan(13.9);
    expect(days).toBeLessThanOrEqual(15);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    const second = await start(['--demo', '--data', data, '--port', '0']);
    const [again] = (await (await fetch(`${second.url}/api/v1/campaigns`)).json()) as { closesAt: string }[];
    expect(again!.closesAt).toBe(campaign!.closesAt);
  });

  it('kill -9 right after a 201 and after a closure: everything acknowledged is there after restart', async () => {
    const t = tempDir();
    temps.push(t);
    const data = path.join(t.dir, 'data');
    const file = campaignFile(t.dir);
    const args = ['--campaign', file, '--data', data, '--port', '0'];
    let server = await start(args);
    let token = await login(server.url, 'T-001', 'secret-lea');
    const identite = tinyPdf('identite');
    const res = await upload(server.url, token, 'identite', identite);
    expect(res.status).toBe(201);
    const doc = await json(res);
    await kill9(server);

    server = await start(args);
    token = await login(server.url, 'T-001', 'secret-lea');
    const content = await fetch(`${server.url}/api/v1/documents/${doc.id as string}/content`, { headers: { authorization: `Bearer ${token}` } });
    expect(content.status).toBe(200);
    expect(Buffer.from(await content.arrayBuffer()).equals(identite)).toBe(true);
    expect((await upload(server.url, token, 'diplome', tinyPdf('diplome'))).status).toBe(201);
    const closure = await fetch(`${server.url}/api/v1/closure`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    expect(closure.status).toBe(201);
    const closed = await json(closure);
    await kill9(server);

    server = await start(args);
    token = await login(server.url, 'T-001', 'secret-lea');
    const again = await fetch(`${server.url}/api/v1/closure`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    expect(again.status).toBe(200);
    expect(await json(again)).toEqual(closed);
  });

  it('checks PDFs in worker threads: hostile ones refused, good ones stored', async () => {
    const t = tempDir();
    temps.push(t);
    const server = await start(['--campaign', campaignFile(t.dir), '--data', path.join(t.dir, 'data'), '--port', '0']);
    const token = await login(server.url, 'T-001', 'secret-lea');
    const cases: [string, number, string | null][] = [
      ['pdf/pdf-javascript-document-level.pdf', 422, 'pdf_active_content'],
      ['pdf/pdf-encrypted-user-password-aes256.pdf', 422, 'pdf_encrypted'],
      ['bad/pdf-truncated-no-xref-no-eof.pdf', 422, 'file_corrupt'],
      ['pdf/pdf-encrypted-owner-password-only-acrobat.pdf', 201, null],
      ['pdf/pdf-many-pages-117-thesis.pdf', 201, null],
    ];
    const results = await Promise.all(cases.map(([file]) => upload(server.url, token, 'diplome', corpusFile(file))));
    for (const [i, res] of results.entries()) {
      expect(res.status).toBe(cases[i]![1]);
      if (cases[i]![2]) expect(((await res.json()) as { code: string }).code).toBe(cases[i]![2]);
    }
  });

  it('SIGHUP reloads the campaign file: a moved deadline applies at once, nothing is lost', async () => {
    const t = tempDir();
    temps.push(t);
    const file = campaignFile(t.dir, { closesOn: '2020-01-01' });
    const server = await start(['--campaign', file, '--data', path.join(t.dir, 'data'), '--port', '0']);
    const token = await login(server.url, 'T-001', 'secret-lea');
    expect((await upload(server.url, token, 'identite', tinyPdf())).status).toBe(403);
    campaignFile(t.dir, { closesAt: '2099-01-01T00:00:00Z', closesOn: undefined });
    server.child.kill('SIGHUP');
    await expect
      .poll(async () => (await upload(server.url, token, 'identite', tinyPdf())).status, { timeout: 5000 })
      .toBe(201);
    // A broken file is refused and the campaign in service stays.
    writeFileSync(file, '{ broken');
    server.child.kill('SIGHUP');
    await expect.poll(() => server.stderr(), { timeout: 5000 }).toMatch(/reload refused/);
    const dossier = await json(await fetch(`${server.url}/api/v1/dossier`, { headers: { authorization: `Bearer ${token}` } }));
    expect((dossier.campaign as { closesAt: string }).closesAt).toBe('2099-01-01T00:00:00.000Z');
  });

  it('refuses to start on a bad campaign file, with a French message', async () => {
    const t = tempDir();
    temps.push(t);
    const file = path.join(t.dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ id: 'x' }));
    const cli = await buildServerCli();
    const result = spawnSync(process.execPath, [cli, '--campaign', file, '--data', t.dir, '--port', '0'], { encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/Fichier de campagne invalide/);
  });
});
