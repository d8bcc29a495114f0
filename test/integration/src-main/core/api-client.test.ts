/**
 * The desktop's API clients against a server that answers what the route table does not allow:
 * each such answer is the AppError `unexpected_answer`, reported once for the log, never data
 * handed on to the screens. Right answers, URLs and problems go through as before.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiClient } from '../../../../src-main/core/api-client';
import { StaffClient } from '../../../../src-main/core/counter/staff-client';
import { AppError, ERRORS } from '../../../../src-shared/errors';
import { createLogBook, type LogBook } from '../../../../src-shared/log';
import { startFakeApi, type FakeApi } from '../../../support/fake-api';

const NOW = { now: '2027-04-01T10:00:00.000Z' };
const SESSION = { token: 't'.repeat(43), expiresAt: '2027-04-01T18:00:00.000Z' };

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe('API clients and answers outside the route table', () => {
  let api: FakeApi;
  let log: LogBook;
  /** What the log noted of answers outside the table. */
  const reported = () => log.recent().filter((e) => e.event === 'api.unexpected_answer');
  let client: ApiClient;
  beforeEach(async () => {
    api = await startFakeApi();
    log = createLogBook();
    client = new ApiClient({
      baseUrl: api.url,
      retries: 0,
      log,
    });
  });
  afterEach(async () => {
    await api.close();
  });

  it('passes an answer that matches its schema', async () => {
    api.answer('GET', '/time', { status: 200, body: NOW });
    expect(await client.time()).toEqual(NOW);
    expect(reported()).toEqual([]);
  });

  it('refuses a dossier of the wrong shape with unexpected_answer, and reports where it differs', async () => {
    api.answer('POST', '/session', { status: 201, body: SESSION });
    await client.login('T-001', 'secret');
    api.answer('GET', '/dossier', { status: 200, body: { dossier: 'T-001', pieces: 'none' } });
    const error = await rejection(client.dossier());
    expect(error.code).toBe('unexpected_answer');
    expect(error.message).toBe(ERRORS.unexpected_answer.message);
    expect(reported()).toHaveLength(1);
    expect(reported()[0]).toMatchObject({ level: 'warn', code: 'unexpected_answer', route: 'dossier', status: 200 });
    expect(error.extra?.mismatch).toMatch(/^\/\w+/);
  });

  it('refuses a captive portal page answered with 200 in place of JSON', async () => {
    api.answer('GET', '/time', {
      status: 200,
      type: 'text/html',
      body: '<html><body>Connectez-vous au Wi-Fi</body></html>',
    });
    expect((await rejection(client.time())).code).toBe('unexpected_answer');
    expect(reported().map((r) => r.route)).toEqual(['time']);
  });

  it('refuses a success status the table does not list for the route', async () => {
    api.answer('POST', '/closure', { status: 202, body: {} });
    expect((await rejection(client.close())).code).toBe('unexpected_answer');
    expect(reported()[0]).toMatchObject({ route: 'closure', status: 202 });
  });

  it('refuses a date that is not an instant', async () => {
    api.answer('GET', '/time', { status: 200, body: { now: 'demain' } });
    const error = await rejection(client.time());
    expect(error.code).toBe('unexpected_answer');
    expect(error.extra?.mismatch).toContain('/now');
    // The log names the route, never the value the server sent.
    expect(JSON.stringify(reported())).not.toContain('demain');
  });

  it('refuses bytes of a media type the route does not answer', async () => {
    api.answer('GET', '/receipt.pdf', { status: 200, type: 'text/html', body: '<html></html>' });
    expect((await rejection(client.receiptPdf())).code).toBe('unexpected_answer');
    api.answer('GET', '/receipt.pdf', {
      status: 200,
      type: 'application/pdf',
      body: Buffer.from('%PDF-1.7\n'),
    });
    expect(Buffer.from(await client.receiptPdf()).toString()).toBe('%PDF-1.7\n');
  });

  it("reads a bytes route's problem: its code and French sentence, not an internal error", async () => {
    const detail = ERRORS.not_closed.message;
    api.answer('GET', '/receipt.pdf', {
      status: 404,
      type: 'application/problem+json',
      body: JSON.stringify({ status: 404, title: 'Not Found', code: 'not_closed', detail }),
    });
    const error = await rejection(client.receiptPdf());
    expect(error.code).toBe('not_closed');
    expect(reported()).toEqual([]);
  });

  it('builds URLs from the table, path parameters encoded, and sends no body type where there is no body', async () => {
    const document = {
      id: 'd1',
      filename: 'a.pdf',
      mediaType: 'application/pdf',
      bytes: 3,
      sha256: 'a'.repeat(64),
      uploadedAt: NOW.now,
      late: false,
    };
    api.answer('POST', '/pieces/a%2Fb%20%C3%A9/documents', { status: 201, body: document });
    api.answer('DELETE', '/documents/d%3F1', { status: 204 });
    api.answer('POST', '/closure', {
      status: 422,
      type: 'application/problem+json',
      body: { status: 422, title: 'x', code: 'pieces_missing', detail: 'x', missing: ['identite'] },
    });
    expect(
      await client.upload('a/b é', {
        filename: 'a.pdf',
        mediaType: 'application/pdf',
        bytes: new Uint8Array([1, 2, 3]),
      }),
    ).toEqual(document);
    await client.deleteDocument('d?1');
    expect((await rejection(client.close())).code).toBe('pieces_missing');
    const [upload, deletion, closure] = api.seen;
    expect(upload!.headers['content-digest']).toMatch(/^sha-256=:[A-Za-z0-9+/]+=*:$/);
    expect([...upload!.body]).toEqual([1, 2, 3]);
    expect(deletion!.method).toBe('DELETE');
    expect(closure!.headers['content-type']).toBeUndefined();
  });

  it('staff client: a look-up of the wrong shape is unexpected_answer too', async () => {
    const staff = new StaffClient(api.url, log, 5_000);
    api.answer('POST', '/staff/session', { status: 201, body: SESSION });
    api.answer('DELETE', '/session', { status: 204 });
    await staff.open('guichet1', 'secret');
    api.answer('GET', '/staff/dossiers/T-001', {
      status: 200,
      body: { dossier: 'T-001', state: 'ouvert' },
    });
    expect((await rejection(staff.lookup('T-001'))).code).toBe('unexpected_answer');
    expect(reported()[0]).toMatchObject({ route: 'staffDossier', status: 200 });
    const lookup = api.seen.find((r) => r.url === '/api/v1/staff/dossiers/T-001');
    expect(lookup!.headers.authorization).toBe(`Bearer ${SESSION.token}`);
  });
});
