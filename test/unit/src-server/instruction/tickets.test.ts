/** Download tickets of the staff exports (instruction/tickets.ts) through app.inject. */
import { describe, expect, it, beforeEach, afterEach } from 'vitest';
import { ERRORS, type ErrorCode } from '../../../../src-shared/errors';
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
});
