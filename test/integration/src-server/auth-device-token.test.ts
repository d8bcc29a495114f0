/**
 * Nobody can keep a candidate out (issue 14, item 3; api-contract.md 5.6): each login hands out
 * a device token; a later login carrying it is not slowed by failures made without it, and staff
 * can lift a dossier's throttle (audited).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunningServerWithContext } from '../../../src-server/server';
import { startTestServer } from '../../support/test-server';
import { tempDir } from '../../support/server-helpers';

const API = '/api/v1';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('device tokens and throttle unlock', () => {
  let server: RunningServerWithContext;
  let temp: { dir: string; remove(): void };

  async function login(body: Record<string, unknown>): Promise<{ status: number; body: Record<string, unknown> }> {
    const res = await fetch(`${server.url}${API}/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }
  const lea = (deviceToken?: unknown) => login({ dossier: 'T-001', password: 'secret-lea', ...(deviceToken ? { deviceToken } : {}) });
  const guess = (deviceToken?: unknown) => login({ dossier: 'T-001', password: 'not-her-password', ...(deviceToken ? { deviceToken } : {}) });

  async function staffToken(): Promise<string> {
    const res = await fetch(`${server.url}${API}/staff/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: 'guichet1', password: 'secret-guichet' }),
    });
    return ((await res.json()) as { token: string }).token;
  }

  beforeEach(async () => {
    temp = tempDir();
    server = await startTestServer(temp.dir);
  });
  afterEach(async () => {
    await server.close();
    temp.remove();
  });

  it('two wrong guesses a second on a known dossier never refuse the candidate who logs in with her device token', async () => {
    const first = await lea();
    expect(first.status).toBe(201);
    const deviceToken = first.body.deviceToken;
    let attacking = true;
    const attack = (async () => {
      while (attacking) {
        await guess();
        await sleep(500);
      }
    })();
    const answers: number[] = [];
    try {
      // The attack runs a few seconds before she comes (five free attempts are gone in 2.5 s),
      // then she tries again every 1.5 s, as someone who is refused does.
      await sleep(3000);
      for (let i = 0; i < 8; i++) {
        answers.push((await lea(deviceToken)).status);
        await sleep(1500);
      }
    } finally {
      attacking = false;
      await attack;
    }
    expect(answers).toEqual(Array(8).fill(201));
    // The attack itself is throttled as before: without the device token, the dossier is slowed.
    expect((await lea()).status).toBe(429);
  });

  it('hands out an opaque device token, kept only as its hash', async () => {
    const first = await lea();
    const deviceToken = first.body.deviceToken as string;
    expect(deviceToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // A login with a valid device token keeps it; a login with none gets a new one.
    expect((await lea(deviceToken)).body.deviceToken).toBe(deviceToken);
    expect((await lea()).body.deviceToken).not.toBe(deviceToken);
    await server.close();
    const stored = readdirSync(temp.dir)
      .filter((name) => name.startsWith('depot.sqlite'))
      .map((name) => readFileSync(path.join(temp.dir, name)));
    expect(stored.length).toBeGreaterThan(0);
    expect(stored.some((bytes) => bytes.includes(Buffer.from(deviceToken)))).toBe(false);
    server = await startTestServer(temp.dir);
    expect((await lea(deviceToken)).body.deviceToken).toBe(deviceToken); // survives a restart
  });

  it("another dossier's device token, or a forged one, gives no way around the throttle", async () => {
    const paul = await login({ dossier: 'T-002', password: 'secret-paul' });
    const paulsDevice = paul.body.deviceToken as string;
    for (let i = 0; i < 6; i++) await guess(i % 2 === 0 ? paulsDevice : 'forged-device-token-forged-device-token-xx');
    expect((await lea()).status).toBe(429);
    expect((await lea(paulsDevice)).status).toBe(429);
  });

  it("failures made with the device token slow that device only, not the candidate's other logins", async () => {
    const deviceToken = (await lea()).body.deviceToken as string;
    for (let i = 0; i < 6; i++) await guess(deviceToken);
    expect((await lea(deviceToken)).status).toBe(429);
    expect((await lea()).status).toBe(201);
  });

  it("staff lift a dossier's throttle, and the unlock is in the audit trail", async () => {
    for (let i = 0; i < 6; i++) await guess();
    expect((await lea()).status).toBe(429);
    const staff = await staffToken();
    const candidate = (await login({ dossier: 'T-002', password: 'secret-paul' })).body.token as string;
    const unlock = (token: string, dossier = 'T-001') =>
      fetch(`${server.url}${API}/staff/dossiers/${dossier}/unlock`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    expect((await unlock(candidate)).status).toBe(403);
    const unknown = await unlock(staff, 'X-404');
    expect({ status: unknown.status, code: ((await unknown.json()) as { code: string }).code }).toEqual({ status: 404, code: 'not_found' });
    expect((await unlock(staff)).status).toBe(204);
    expect((await lea()).status).toBe(201);
    const audit = await server.context.storage.listAudit('T-001');
    expect(audit.map(({ staff: who, action, dossier, pieceId, documentId }) => ({ who, action, dossier, pieceId, documentId }))).toEqual([
      { who: 'guichet1', action: 'unlock', dossier: 'T-001', pieceId: null, documentId: null },
    ]);
  });
});
