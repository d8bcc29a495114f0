/** The back office's client: URLs and methods from the route table, answers checked, errors in French. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { problemOf, StaffApi, StaffApiError } from '../../../src-backoffice/staff-api';

interface Sent {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: unknown;
}

let sent: Sent[];
let answers: Response[];

beforeEach(() => {
  sent = [];
  answers = [];
  vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
    sent.push({
      url,
      method: init.method ?? 'GET',
      headers: init.headers as Record<string, string>,
      body: init.body ? JSON.parse(init.body as string) : undefined,
    });
    const answer = answers.shift();
    if (!answer) throw new TypeError('Failed to fetch');
    return answer;
  });
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
});

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
const review = { decision: 'correction_requested', reason: 'Illisible.', reviewedAt: '2027-05-02T08:00:00.000Z', reviewer: 'i1' };

describe('the staff client', () => {
  it('builds each call from the table: method, path with its parameters encoded, query, token, If-Match', async () => {
    const api = new StaffApi('TOKEN', () => undefined);
    answers.push(json(200, { dossiers: [], next: null }), json(200, review));
    await api.listDossiers({ filter: 'correction', q: ' Dupré ', cursor: null });
    await api.review('A/B 1', 'identite', 'correction_requested', 'Illisible.', '"tag-1"');
    expect(sent).toEqual([
      {
        url: '/api/v1/staff/dossiers?state=correction&q=Dupr%C3%A9&limit=25',
        method: 'GET',
        headers: { authorization: 'Bearer TOKEN' },
        body: undefined,
      },
      {
        url: '/api/v1/staff/dossiers/A%2FB%201/pieces/identite/review',
        method: 'PUT',
        headers: { 'if-match': '"tag-1"', 'content-type': 'application/json', authorization: 'Bearer TOKEN' },
        body: { decision: 'correction_requested', reason: 'Illisible.' },
      },
    ]);
  });

  it('keeps the ETag of the pieces for the next review', async () => {
    answers.push(json(200, { pieces: [] }, { etag: '"abc"' }));
    expect(await new StaffApi('T', () => undefined).pieces('D-1')).toEqual({ pieces: [], etag: '"abc"' });
  });

  it('refuses an answer the table does not promise, saying so plainly', async () => {
    answers.push(json(200, { dossiers: 'not a list', next: null }));
    const error = await new StaffApi('T', () => undefined).listDossiers({ filter: 'closed', q: '', cursor: null }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StaffApiError);
    expect((error as StaffApiError).message).toMatch(/réponse inattendue/);
    expect(console.error).toHaveBeenCalledWith(expect.stringContaining('GET /staff/dossiers: /dossiers'));
  });

  it('goes back to the login when the token is no longer known', async () => {
    const lost = vi.fn();
    answers.push(json(401, { code: 'unauthenticated', detail: 'Votre session a expiré.' }));
    await expect(new StaffApi('T', lost).audit('D-1')).rejects.toMatchObject({ code: 'unauthenticated', status: 401 });
    expect(lost).toHaveBeenCalledOnce();
  });

  it('says the server is out of reach in words for staff, not for candidates', async () => {
    await expect(new StaffApi('T', () => undefined).dossier('D-1')).rejects.toMatchObject({
      code: 'network_unavailable',
      message: 'Le serveur ne répond pas. Vérifiez la connexion de ce poste, puis réessayez.',
    });
  });

  it('hands documents over as typed Blobs, checking the media type the table allows', async () => {
    answers.push(new Response(new Uint8Array([0xff, 0xd8, 0xff]), { status: 200, headers: { 'content-type': 'image/jpeg' } }));
    const blob = await new StaffApi('T', () => undefined).documentContent('doc-1', 'image/jpeg');
    expect(blob.type).toBe('image/jpeg');
    expect(new Uint8Array(await blob.arrayBuffer())).toEqual(new Uint8Array([0xff, 0xd8, 0xff]));
    answers.push(new Response('<html>', { status: 200, headers: { 'content-type': 'text/html' } }));
    await expect(new StaffApi('T', () => undefined).documentContent('doc-1', 'application/pdf')).rejects.toMatchObject({
      code: 'unexpected_answer',
    });
  });

  it('asks for the single-use address of a ZIP, never its bytes', async () => {
    const ticket = { url: '/api/v1/staff/campaigns/c%201/export.zip?state=closed&ticket=x', expiresAt: '2027-05-02T08:01:00.000Z' };
    answers.push(json(201, ticket), json(201, ticket), json(201, { url: 42 }));
    const api = new StaffApi('T', () => undefined);
    expect(await api.campaignZipTicket('c 1', 'closed')).toEqual(ticket);
    expect(await api.dossierZipTicket('D-1')).toEqual(ticket);
    expect(sent.map((s) => [s.method, s.url, s.body])).toEqual([
      ['POST', '/api/v1/staff/campaigns/c%201/export-ticket', { state: 'closed' }],
      ['POST', '/api/v1/staff/dossiers/D-1/export-ticket', undefined],
    ]);
    await expect(api.dossierZipTicket('D-1')).rejects.toMatchObject({ code: 'unexpected_answer' });
  });
});

describe('errors from the server', () => {
  const answer = (status: number, body: string) => new Response(body, { status, headers: { 'content-type': 'application/problem+json' } });

  it("shows the server's French sentence, and keeps its code", async () => {
    const error = await problemOf(answer(409, JSON.stringify({ code: 'piece_full', detail: 'Une phrase précise.' })));
    expect({ code: error.code, message: error.message, status: error.status }).toEqual({ code: 'piece_full', message: 'Une phrase précise.', status: 409 });
  });

  it("falls back on the code's own sentence, then on a plain one, never on raw text", async () => {
    expect((await problemOf(answer(403, JSON.stringify({ code: 'forbidden' })))).message).toBe(
      'Cette action est réservée au personnel du centre de gestion.',
    );
    const proxyPage = await problemOf(answer(502, '<html>Bad gateway</html>'));
    expect(proxyPage.code).toBe('internal_error');
    expect(proxyPage.message).not.toMatch(/html|gateway/i);
  });
});
