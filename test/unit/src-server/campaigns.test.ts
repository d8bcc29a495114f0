/** Campaign files on the server: several campaigns, reload in place, hashes, the demo. */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CampaignRegistry } from '../../../src-server/campaigns';
import { hashPassword, verifyPassword, parsePasswordHash } from '../../../src-server/passwords';
import { API, FAST_SCRYPT, sha256Header, tempDir, testCampaign, tinyPdf } from '../../support/server-helpers';
import { buildApp } from '../../../src-server/app';
import { openContext } from '../../../src-server/context';

const temps: { remove(): void }[] = [];
afterEach(() => {
  for (const t of temps.splice(0)) t.remove();
});
function temp() {
  const t = tempDir();
  temps.push(t);
  return t.dir;
}

describe('campaign registry', () => {
  it('serves several campaigns, with dossier numbers unique across them', () => {
    const registry = new CampaignRegistry([
      { kind: 'object', value: testCampaign() },
      { kind: 'object', value: testCampaign({ id: 'autre', candidates: [{ dossier: 'A-1', lastName: 'B', firstName: 'C', password: 'p' }] }) },
    ]);
    expect(registry.list().map((c) => c.id)).toEqual(['test-2027', 'autre']);
    expect(registry.candidate('A-1')!.campaign.id).toBe('autre');
    expect(
      () => new CampaignRegistry([{ kind: 'object', value: testCampaign() }, { kind: 'object', value: testCampaign({ id: 'autre' }) }]),
    ).toThrow(/T-001.*existe déjà/);
  });

  it('gives staff the guichet role by default, and refuses one login with two roles', () => {
    const one = (login: string, role?: string) => ({ login, password: 'p', ...(role ? { role } : {}) });
    const registry = new CampaignRegistry([{ kind: 'object', value: testCampaign({ staff: [one('g'), one('i', 'instruction')] }) }]);
    expect(registry.staff('g')!.role).toBe('guichet');
    expect(registry.staff('i')!.role).toBe('instruction');
    expect(() => new CampaignRegistry([{ kind: 'object', value: testCampaign({ staff: [one('g', 'juge')] }) }])).toThrow(/role/);
    const other = { id: 'autre', candidates: [] };
    expect(
      () =>
        new CampaignRegistry([
          { kind: 'object', value: testCampaign({ staff: [one('g')] }) },
          { kind: 'object', value: testCampaign({ ...other, staff: [one('g', 'instruction')] }) },
        ]),
    ).toThrow(/« g » a le rôle « instruction » ici et « guichet »/);
  });

  it('refuses a passwordHash not in the format hash-password produces', () => {
    expect(
      () =>
        new CampaignRegistry([
          { kind: 'object', value: testCampaign({ candidates: [{ dossier: 'X', lastName: 'a', firstName: 'b', passwordHash: 'md5$abc' }] }) },
        ]),
    ).toThrow(/passwordHash/);
  });

  it('keeps the campaigns in service when a reload fails', () => {
    const file = path.join(temp(), 'c.json');
    writeFileSync(file, JSON.stringify(testCampaign()));
    const registry = new CampaignRegistry([{ kind: 'file', path: file }]);
    writeFileSync(file, JSON.stringify(testCampaign({ closesOn: '2027-05-02' })));
    registry.reload();
    expect(registry.campaign('test-2027')!.closesAtInstant.toISOString()).toBe('2027-05-02T22:00:00.000Z');
    writeFileSync(file, '{');
    expect(() => registry.reload()).toThrow(/pas du JSON/);
    expect(registry.campaign('test-2027')!.closesAtInstant.toISOString()).toBe('2027-05-02T22:00:00.000Z');
  });

  it('the demo campaign closes at midnight Paris time, 14 days after its first load in this data folder', () => {
    const dir = temp();
    // 23:30 UTC is already the 11th in Paris: the 14 days count from the Paris date.
    const first = new CampaignRegistry([{ kind: 'demo', dataDir: dir, now: () => new Date('2027-01-10T23:30:00Z') }]);
    expect(first.list()[0]!.closesAtInstant.toISOString()).toBe('2027-01-25T23:00:00.000Z');
    const later = new CampaignRegistry([{ kind: 'demo', dataDir: dir, now: () => new Date('2027-02-10T08:00:00Z') }]);
    expect(later.list()[0]!.closesAtInstant.toISOString()).toBe('2027-01-25T23:00:00.000Z');
    expect(JSON.parse(readFileSync(path.join(dir, 'demo-first-load.json'), 'utf8'))).toEqual({ firstLoadedAt: '2027-01-10T23:30:00.000Z' });
  });
});

describe('passwords', () => {
  it('hashes with a salt, verifies, and refuses a wrong password', async () => {
    const a = await hashPassword('Été 2027 !', FAST_SCRYPT);
    const b = await hashPassword('Été 2027 !', FAST_SCRYPT);
    expect(a).not.toBe(b);
    expect(parsePasswordHash(a)!.cost).toEqual(FAST_SCRYPT);
    expect(await verifyPassword({ hash: a }, 'Été 2027 !', FAST_SCRYPT)).toBe(true);
    // Same text in another Unicode normal form (as typed on a Mac) still matches.
    expect(await verifyPassword({ hash: a }, 'Été 2027 !'.normalize('NFD'), FAST_SCRYPT)).toBe(true);
    expect(await verifyPassword({ hash: a }, 'ete 2027 !', FAST_SCRYPT)).toBe(false);
    expect(await verifyPassword(null, 'x', FAST_SCRYPT)).toBe(false);
    expect(await verifyPassword({ plain: 'abc' }, 'abc', FAST_SCRYPT)).toBe(true);
    expect(await verifyPassword({ plain: 'abc' }, 'abd', FAST_SCRYPT)).toBe(false);
  });

  it('refuses hashes asking for absurd costs', () => {
    expect(parsePasswordHash('scrypt$ln=30,r=8,p=1$c2FsdHNhbHQ=$' + 'A'.repeat(43) + '=')).toBeNull();
  });
});

describe('reloading in place', () => {
  let close: (() => Promise<void>) | null = null;
  afterEach(async () => {
    await close?.();
    close = null;
  });

  it('keeps documents and moves the deadline for a running app', async () => {
    const dir = temp();
    const file = path.join(dir, 'c.json');
    writeFileSync(file, JSON.stringify(testCampaign({ closesOn: '2027-04-01' })));
    const context = await openContext({ dataDir: dir, campaignFiles: [file], now: () => new Date('2027-04-01T21:00:00Z'), scryptCost: FAST_SCRYPT });
    const app = await buildApp({ context });
    close = async () => {
      await app.close();
      await context.storage.close();
    };
    const login = await app.inject({ method: 'POST', url: `${API}/session`, payload: { dossier: 'T-001', password: 'secret-lea' } });
    const token = login.json().token as string;
    const up = (label: string) =>
      app.inject({
        method: 'POST',
        url: `${API}/pieces/diplome/documents`,
        payload: tinyPdf(label),
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/pdf', 'content-digest': sha256Header(tinyPdf(label)) },
      });
    expect((await up('a')).statusCode).toBe(201);
    // Deadline passed at 22:00Z (midnight CEST); at 21:00Z it is still open. Move it earlier:
    writeFileSync(file, JSON.stringify(testCampaign({ closesOn: '2027-03-31' })));
    context.campaigns.reload();
    expect((await up('b')).statusCode).toBe(403);
    // The last-night extension: one more day.
    writeFileSync(file, JSON.stringify(testCampaign({ closesOn: '2027-04-02', pieces: testCampaign().pieces })));
    context.campaigns.reload();
    expect((await up('b')).statusCode).toBe(201);
    const dossier = (await app.inject({ method: 'GET', url: `${API}/dossier`, headers: { authorization: `Bearer ${token}` } })).json();
    expect(dossier.pieces.find((p: { id: string }) => p.id === 'diplome').documents).toHaveLength(2);
  });
});

