/**
 * Device tokens and the staff unlock on PostgreSQL (issue 14, item 3), through two servers
 * sharing one database: a device token handed out by one server lets the candidate in through
 * the other while a guesser keeps her dossier throttled, and an unlock made on one server, with
 * its audit line, holds for both.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServerWithContext } from '../../../../src-server/server';
import { postgresAvailable, startPostgres, type PostgresCluster } from '../../../support/postgres';
import { startTestServer } from '../../../support/test-server';
import { tempDir } from '../../../support/server-helpers';

const API = '/api/v1';

describe.runIf(postgresAvailable)('device tokens and unlock on PostgreSQL', () => {
  let cluster: PostgresCluster;
  const temp = tempDir('depot-pg-device-');
  let a: RunningServerWithContext;
  let b: RunningServerWithContext;

  beforeAll(async () => {
    cluster = await startPostgres();
    const databaseUrl = await cluster.freshDatabaseUrl();
    a = await startTestServer(path.join(temp.dir, 'a'), { databaseUrl });
    b = await startTestServer(path.join(temp.dir, 'b'), { databaseUrl });
  }, 60_000);

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await cluster?.stop();
    temp.remove();
  });

  async function post(server: RunningServerWithContext, route: string, body?: object, token?: string) {
    const res = await fetch(`${server.url}${API}${route}`, {
      method: 'POST',
      headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : {}) as Record<string, string> };
  }

  it('a device token from one server opens the other during an attack; an unlock on one holds for both, audited', async () => {
    const first = await post(a, '/session', { dossier: 'T-001', password: 'secret-lea' });
    expect(first.status).toBe(201);
    const deviceToken = first.body.deviceToken!;
    let throttled = false;
    for (let i = 0; i < 20 && !throttled; i++)
      throttled = (await post(i % 2 ? a : b, '/session', { dossier: 'T-001', password: 'a guess' })).status === 429;
    expect(throttled).toBe(true);
    expect((await post(b, '/session', { dossier: 'T-001', password: 'secret-lea' })).status).toBe(429);
    const withDevice = await post(b, '/session', { dossier: 'T-001', password: 'secret-lea', deviceToken });
    expect({ status: withDevice.status, deviceToken: withDevice.body.deviceToken }).toEqual({ status: 201, deviceToken });

    const staff = (await post(a, '/staff/session', { login: 'guichet1', password: 'secret-guichet' })).body.token!;
    expect((await post(a, '/staff/dossiers/T-001/unlock', undefined, staff)).status).toBe(204);
    expect((await post(b, '/session', { dossier: 'T-001', password: 'secret-lea' })).status).toBe(201);
    const audit = await b.context.storage.listAudit('T-001');
    expect(audit.map((e) => [e.staff, e.action, e.dossier])).toEqual([['guichet1', 'unlock', 'T-001']]);
  });
});
