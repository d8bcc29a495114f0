/** Download tickets of the staff exports (instruction/tickets.ts) through app.inject. */
import { describe, expect, it, beforeEach, afterEach } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../../../src-shared/content-security-policy';
import { DOWNLOAD_REFUSED_PAGE, ERRORS, type ErrorCode } from '../../../../src-shared/errors';
import { SECURITY_HEADERS } from '../../../../src-server/security-headers';
import type { DownloadTicket } from '../../../../src-shared/instruction';
import { API, makeTestApp, otherInstructionCampaign, testCampaign, tinyPdf, type TestApp } from '../../../support/server-helpers';
import { readZip } from '../../../support/zip';

const otherCampaign = otherInstructionCampaign();

describe('download tickets', () => {
  let t: TestApp;
  let instructor: string;
  beforeEach(async () => {
    t = await makeTestApp({ campaigns: [testCampaign(), otherCampaign] });
    instructor = await t.staffLogin('instructeur1');
    const candidate = await t.login();
    await t.upload(candidate, 'identite', tinyPdf('identite'));
    await t.upload(candidate, 'diplome', tinyPdf('diplome'));
    await t.app.inject({ method: 'POST', url: `${API}/closure`, headers: { authorization: `Bearer ${candidate}` } });
  });
  afterEach(async () => {
    await t.close();
  });

  const post = (url: string, token: string | null, payload?: object) =>
    t.app.inject({
      method: 'POST',
      url: `${API}${url}`,
      headers: token ? { authorization: `Bearer ${token}` } : {},
      ...(payload ? { payload } : {}),
    });
  /** What the browser does with the ticket's address: a plain GET, no header. */
  const open = (url: string) => t.app.inject({ method: 'GET', url });
  const ticket = async (url: string, payload: object | undefined = {}, token = instructor) => {
    const res = await post(url, token, payload);
    expect(res.statusCode).toBe(201);
    return res.json<DownloadTicket>();
  };
  const expectProblem = (res: { statusCode: number; json: () => unknown }, code: ErrorCode) => {
    expect(res.json()).toMatchObject({ code, detail: ERRORS[code].message });
    expect(res.statusCode).toBe((ERRORS[code] as { status: number }).status);
  };

  it("opens the campaign's ZIP once, without the token, and records the export under the staff login", async () => {
    const given = await ticket('/staff/campaigns/test-2027/export-ticket', { state: 'closed' });
    expect(given.url).toMatch(/^\/api\/v1\/staff\/campaigns\/test-2027\/export\.zip\?state=closed&ticket=[A-Za-z0-9_-]{43}$/);
    expect(given.expiresAt).toBe('2027-04-01T10:01:00.000Z');
    const zip = await open(given.url);
    expect(zip.statusCode).toBe(200);
    expect(zip.headers['content-type']).toBe('application/zip');
    expect((await readZip(zip.rawPayload)).map((e) => e.name)).toContain('T-001/manifest.csv');
    expectProblem(await open(given.url), 'download_ticket_invalid');
    const audit = await t.app.inject({ method: 'GET', url: `${API}/staff/audit?dossier=T-001`, headers: { authorization: `Bearer ${instructor}` } });
    expect(audit.json<{ entries: { staff: string; action: string }[] }>().entries).toContainEqual(
      expect.objectContaining({ staff: 'instructeur1', action: 'export' }),
    );
  });

  it("opens a dossier's ZIP with its own ticket", async () => {
    const given = await ticket('/staff/dossiers/T-001/export-ticket', undefined);
    const zip = await open(given.url);
    expect(zip.statusCode).toBe(200);
    expect((await readZip(zip.rawPayload)).map((e) => e.name)).toContain('recu.json');
  });

  it('refuses a ticket past its minute, one for another export, and a made-up one', async () => {
    const late = await ticket('/staff/campaigns/test-2027/export-ticket');
    t.clock.set('2027-04-01T10:01:00Z');
    expectProblem(await open(late.url), 'download_ticket_expired');
    // Presented once, even too late, it is gone.
    expectProblem(await open(late.url), 'download_ticket_invalid');

    const closed = await ticket('/staff/campaigns/test-2027/export-ticket', { state: 'closed' });
    expectProblem(await open(closed.url.replace('state=closed', 'state=open')), 'download_ticket_mismatch');
    const dossier = await ticket('/staff/dossiers/T-001/export-ticket', undefined);
    const code = new URL(dossier.url, 'http://x').searchParams.get('ticket')!;
    expectProblem(await open(`${API}/staff/dossiers/T-002/export.zip?ticket=${code}`), 'download_ticket_mismatch');
    expectProblem(await open(`${API}/staff/dossiers/T-001/export.zip?ticket=${'A'.repeat(43)}`), 'download_ticket_invalid');
    expectProblem(await open(`${API}/staff/dossiers/T-001/export.zip?ticket=short`), 'download_ticket_invalid');
    // Without a ticket or a token, as before.
    expectProblem(await open(`${API}/staff/dossiers/T-001/export.zip`), 'unauthenticated');
  });

  it("gives tickets only for the instructor's own campaigns and dossiers, and only to instruction accounts", async () => {
    expectProblem(await post('/staff/campaigns/autre-2027/export-ticket', instructor, {}), 'not_found');
    expectProblem(await post('/staff/dossiers/A-001/export-ticket', instructor), 'not_found');
    expectProblem(await post('/staff/campaigns/test-2027/export-ticket', await t.staffLogin(), {}), 'forbidden');
    expectProblem(await post('/staff/campaigns/test-2027/export-ticket', null, {}), 'unauthenticated');
    const campaigns = await t.app.inject({ method: 'GET', url: `${API}/staff/campaigns`, headers: { authorization: `Bearer ${instructor}` } });
    expect(campaigns.json()).toEqual({
      campaigns: [{ id: 'test-2027', title: expect.any(String), counts: { open: 1, closed: 1, correction: 0, to_review: 0 } }],
    });
  });

  describe('opened by hand in a browser', () => {
    /** What Chromium sends when the address is typed, pasted or taken from the history. */
    const NAVIGATION = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7';
    const openWith = (url: string, accept: string) => t.app.inject({ method: 'GET', url, headers: { accept } });
    const expectPage = (res: Awaited<ReturnType<typeof open>>, code: ErrorCode) => {
      expect(res.statusCode).toBe((ERRORS[code] as { status: number }).status);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.body).toContain('<html lang="fr">');
      expect(res.body).toContain(`<h1>${DOWNLOAD_REFUSED_PAGE.title}</h1>`);
      expect(res.body).toContain(`<p>${ERRORS[code].message}</p>`);
      expect(res.body).toContain(`<a href="/instruction/">${DOWNLOAD_REFUSED_PAGE.back}</a>`);
      // The back office's own headers: its CSP, and the API's others.
      expect(res.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
      for (const [name, value] of Object.entries(SECURITY_HEADERS).filter(([name]) => name !== 'content-security-policy'))
        expect(res.headers[name]).toBe(value);
    };

    it('a used link shows a French page with the same status and the way back; programs keep the problem JSON', async () => {
      const given = await ticket('/staff/campaigns/test-2027/export-ticket', { state: 'closed' });
      expect((await openWith(given.url, NAVIGATION)).statusCode).toBe(200);
      expectPage(await openWith(given.url, NAVIGATION), 'download_ticket_invalid');
      for (const accept of ['application/json', 'application/problem+json', '*/*', 'text/html;q=0.5, application/json']) {
        const res = await openWith(given.url, accept);
        expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
        expect(res.json()).toEqual({
          type: 'about:blank',
          status: 401,
          title: 'Unauthorized',
          code: 'download_ticket_invalid',
          detail: ERRORS.download_ticket_invalid.message,
        });
      }
    });

    it('an expired link and one for another export say so on the page', async () => {
      const late = await ticket('/staff/dossiers/T-001/export-ticket', undefined);
      t.clock.set('2027-04-01T10:01:00Z');
      expectPage(await openWith(late.url, NAVIGATION), 'download_ticket_expired');
      const closed = await ticket('/staff/campaigns/test-2027/export-ticket', { state: 'closed' });
      expectPage(await openWith(closed.url.replace('state=closed', 'state=open'), NAVIGATION), 'download_ticket_mismatch');
    });

    it('other routes answer a browser with the problem JSON, as before', async () => {
      const res = await openWith(`${API}/staff/campaigns`, NAVIGATION);
      expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
      expect(res.json()).toMatchObject({ code: 'unauthenticated' });
    });
  });
});
