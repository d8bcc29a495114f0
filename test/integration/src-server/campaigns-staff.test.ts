/**
 * Staff accounts stay in their campaign (issue 14, item 4; api-contract.md 5.6): the same login
 * in two campaign files is refused when the files are loaded, with a message naming the login
 * and both files, so that centre A's password can never open centre B's dossiers.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startServer, type RunningServerWithContext } from '../../../src-server/server';
import { FAST_SCRYPT, tempDir, testCampaign } from '../../support/server-helpers';

const API = '/api/v1';

function campaignOf(centre: 'A' | 'B', staff: { login: string; password: string }) {
  return testCampaign({
    id: `centre-${centre.toLowerCase()}`,
    closesOn: '2099-01-01',
    candidates: [{ dossier: `${centre}-001`, lastName: 'Martin', firstName: 'Léa', password: `secret-${centre}` }],
    staff: [staff],
  });
}

describe('staff accounts per campaign', () => {
  let temp: { dir: string; remove(): void };
  let server: RunningServerWithContext | null = null;
  let fileA: string;
  let fileB: string;

  const start = (files: string[]) =>
    startServer({
      dataDir: path.join(temp.dir, 'data'),
      campaignFiles: files,
      demo: false,
      host: '127.0.0.1',
      port: 0,
      scryptCost: FAST_SCRYPT,
    } as Parameters<typeof startServer>[0]);

  async function staffLogin(login: string, password: string): Promise<{ status: number; token?: string }> {
    const res = await fetch(`${server!.url}${API}/staff/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login, password }),
    });
    return { status: res.status, token: ((await res.json()) as { token?: string }).token };
  }

  async function lookUp(token: string, dossier: string): Promise<number> {
    const res = await fetch(`${server!.url}${API}/staff/dossiers/${dossier}`, { headers: { authorization: `Bearer ${token}` } });
    await res.arrayBuffer();
    return res.status;
  }

  beforeEach(() => {
    temp = tempDir();
    fileA = path.join(temp.dir, 'centre-a.json');
    fileB = path.join(temp.dir, 'centre-b.json');
  });
  afterEach(async () => {
    await server?.close();
    server = null;
    temp.remove();
  });

  it('refuses the same login in two campaign files at load, naming the login and both files', async () => {
    writeFileSync(fileA, JSON.stringify(campaignOf('A', { login: 'guichet1', password: 'mot-de-passe-A' })));
    writeFileSync(fileB, JSON.stringify(campaignOf('B', { login: 'guichet1', password: 'mot-de-passe-B' })));
    const attempt = start([fileA, fileB]).then((running) => {
      server = running;
    });
    await expect(attempt).rejects.toThrow(/guichet1/);
    const message = await attempt.then(
      () => '',
      (err: Error) => err.message,
    );
    expect(message).toContain(fileA);
    expect(message).toContain(fileB);
  });

  it("A's password never opens B, and a reload that brings the conflict leaves both accounts as they were", async () => {
    writeFileSync(fileA, JSON.stringify(campaignOf('A', { login: 'guichet1', password: 'mot-de-passe-A' })));
    writeFileSync(fileB, JSON.stringify(campaignOf('B', { login: 'guichet2', password: 'mot-de-passe-B' })));
    server = await start([fileA, fileB]);
    const a = await staffLogin('guichet1', 'mot-de-passe-A');
    expect(a.status).toBe(201);
    expect({ own: await lookUp(a.token!, 'A-001'), other: await lookUp(a.token!, 'B-001') }).toEqual({ own: 200, other: 404 });

    // Centre B's file now also names guichet1: the reload is refused, the accounts stay apart.
    writeFileSync(fileB, JSON.stringify(campaignOf('B', { login: 'guichet1', password: 'mot-de-passe-B' })));
    expect(() => server!.reloadCampaigns()).toThrow(/guichet1.*centre-a\.json.*centre-b\.json/s);
    expect((await staffLogin('guichet1', 'mot-de-passe-B')).status).toBe(401);
    const again = await staffLogin('guichet1', 'mot-de-passe-A');
    expect({ own: await lookUp(again.token!, 'A-001'), other: await lookUp(again.token!, 'B-001') }).toEqual({ own: 200, other: 404 });
    const csv = await fetch(`${server.url}${API}/staff/closures.csv`, { headers: { authorization: `Bearer ${again.token!}` } });
    expect(await csv.text()).not.toContain('B-001');
  });
});
