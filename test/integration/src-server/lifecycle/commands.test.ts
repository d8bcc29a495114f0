/**
 * The data lifecycle commands as processes (api-contract.md 5.5): backup while the server runs
 * and takes uploads, verify of the copy (and of a damaged copy), purge and its refusals.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { blobFile } from '../../../../src-server/blobs';
import type { Dossier } from '../../../../src-shared/contract';
import { sha256Header, tempDir, testCampaign, tinyPdf } from '../../../support/server-helpers';
import { buildServerCli, runServer, type ServerProcess } from '../../../support/server-process';

let cli: string;
const running: ServerProcess[] = [];
const temps: { remove(): void }[] = [];

beforeAll(async () => {
  cli = await buildServerCli();
}, 60_000);

afterEach(async () => {
  for (const s of running.splice(0)) {
    s.child.kill('SIGKILL');
    await s.exited;
  }
  for (const t of temps.splice(0)) t.remove();
});

function command(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env: { ...process.env, DATABASE_URL: '', ...env } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

async function startWithDocuments(count: number) {
  const t = tempDir();
  temps.push(t);
  const data = path.join(t.dir, 'data');
  const campaign = path.join(t.dir, 'campagne.json');
  writeFileSync(campaign, JSON.stringify(testCampaign({ closesOn: '2099-04-27' })));
  const server = await runServer(['--campaign', campaign, '--data', data, '--port', '0']);
  running.push(server);
  const login = await fetch(`${server.url}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ dossier: 'T-001', password: 'secret-lea' }),
  });
  const { token } = (await login.json()) as { token: string };
  const upload = (label: string) => {
    const bytes = tinyPdf(label);
    return fetch(`${server.url}/api/v1/pieces/diplome/documents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/pdf', 'content-digest': sha256Header(bytes) },
      body: new Uint8Array(bytes),
    });
  };
  for (let i = 0; i < count; i++) expect((await upload(`document ${i}`)).status).toBe(201);
  const dossier = async () =>
    (await (await fetch(`${server.url}/api/v1/dossier`, { headers: { authorization: `Bearer ${token}` } })).json()) as Dossier;
  return { t, data, server, upload, dossier };
}

describe('data lifecycle commands', () => {
  it('backs up a running server consistently, and verify finds damaged or missing copies', async () => {
    const { t, data, upload } = await startWithDocuments(5);
    const target = path.join(t.dir, 'copie');
    // Uploads go on while the copy is taken: the copy holds a consistent state all the same.
    const during = Promise.all([1, 2, 3].map((i) => upload(`pendant ${i}`)));
    const saved = command(['backup', target, '--data', data]);
    await during;
    expect(saved.stderr).toBe('');
    expect(saved.status).toBe(0);
    expect(saved.stdout).toMatch(/Sauvegarde écrite dans/);
    expect(saved.stdout).toMatch(/clé de signature des reçus/);
    expect(existsSync(path.join(target, 'receipt-key.pem'))).toBe(true);

    const checked = command(['verify', target]);
    expect(checked.status).toBe(0);
    expect(checked.stdout).toMatch(/document\(s\) vérifié\(s\).*0 problème/);
    const total = Number(/(\d+) document\(s\) vérifié/.exec(checked.stdout)![1]);
    expect(total).toBeGreaterThanOrEqual(5);

    const blobs = path.join(target, 'blobs');
    const ids = readdirSync(blobs).flatMap((folder) => readdirSync(path.join(blobs, folder)));
    writeFileSync(blobFile(blobs, ids[0]!), tinyPdf('autre chose'));
    spawnSync('rm', [blobFile(blobs, ids[1]!)]);
    const damaged = command(['verify', target]);
    expect(damaged.status).toBe(1);
    expect(damaged.stdout).toContain(`ALTÉRÉ : dossier T-001, pièce diplome, document ${ids[0]}`);
    expect(damaged.stdout).toContain(`ABSENT : dossier T-001, pièce diplome, document ${ids[1]}`);
    expect(damaged.stdout).toMatch(/2 problème\(s\)/);

    expect(command(['backup', target, '--data', data]).stderr).toMatch(/n'est pas vide/);
    const pg = command(['backup', path.join(t.dir, 'autre'), '--data', data], { DATABASE_URL: 'postgres://nowhere.invalid/depot' });
    expect(pg.status).toBe(2);
    expect(pg.stderr).toMatch(/pg_dump/);
    expect(command(['verify', path.join(t.dir, 'rien')]).status).toBe(2);
  });

  it('purges a campaign before a date, after refusing a future date, an unknown campaign and missing arguments', async () => {
    const { data, dossier } = await startWithDocuments(3);
    const before = new Date(Date.now() + 5).toISOString();
    await new Promise((resolve) => setTimeout(resolve, 20));

    const future = command(['purge', '--campaign', 'test-2027', '--before', '2999-01-01', '--data', data]);
    expect(future.status).toBe(2);
    expect(future.stderr).toMatch(/dans le futur.*Rien n'a été supprimé/);
    const unknown = command(['purge', '--campaign', 'inconnue', '--before', '2020-01-01', '--data', data]);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/Campagne inconnue.*Rien n'a été supprimé/);
    expect(command(['purge', '--campaign', 'test-2027', '--data', data]).status).toBe(2);
    expect(command(['purge', '--campaign', 'test-2027', '--before', 'hier', '--data', data]).stderr).toMatch(/Date invalide/);

    const dry = command(['purge', '--campaign', 'test-2027', '--before', before, '--dry-run', '--data', data]);
    expect(dry.status).toBe(0);
    expect(dry.stdout).toMatch(/Simulation/);
    expect(dry.stdout).toMatch(/seraient supprimés :\n {2}documents : 3 /);
    expect((await dossier()).pieces.find((p) => p.id === 'diplome')!.documents).toHaveLength(3);

    const done = command(['purge', '--campaign', 'test-2027', '--before', before, '--data', data]);
    expect(done.stderr).toBe('');
    expect(done.status).toBe(0);
    expect(done.stdout).toMatch(/ont été supprimés :\n {2}documents : 3 /);
    expect(done.stdout).toMatch(/sessions de candidats : 1\n/);
    expect(done.stdout).toMatch(/appareils reconnus des candidats : 1\n/);
    const blobs = path.join(data, 'blobs');
    expect(readdirSync(blobs).filter((f) => f !== 'tmp').flatMap((f) => readdirSync(path.join(blobs, f)))).toEqual([]);
  });
});
