import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCounter, type CandidateSession, type Counter } from '../../../../../src-main/core/counter/counter';
import { MemoryCounterSettings, DEFAULT_COUNTER_SETTINGS } from '../../../../../src-main/core/counter/settings';
import { startServer, type RunningServer } from '../../../../../src-server/server';
import { DEMO_LEA, DEMO_PAUL, DEMO_STAFF as STAFF } from '../../../../support/demo';
import { FAST_SCRYPT } from '../../../../support/server-helpers';

let server: RunningServer;
let root: string;
const counters: Counter[] = [];

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'counter-service-'));
  server = await startServer({
    dataDir: path.join(root, 'api'),
    campaignFiles: [],
    demo: true,
    host: '127.0.0.1',
    port: 0,
    scryptCost: FAST_SCRYPT,
  });
});
afterAll(async () => {
  await server?.close();
  await rm(root, { recursive: true, force: true });
});
afterEach(async () => {
  await Promise.all(counters.splice(0).map((c) => c.close()));
});

/** A candidate whose pending sends the test controls. */
function fakeCandidate() {
  const state = { pending: 0, forgotten: 0 };
  const session: CandidateSession = {
    pendingSends: async () => state.pending,
    forget: async () => void (state.forgotten += 1),
  };
  return { state, session };
}

async function workspaceWithFiles(): Promise<string> {
  const workspace = await mkdtemp(path.join(root, 'ws-'));
  await mkdir(path.join(workspace, 'prepared'), { recursive: true });
  await writeFile(path.join(workspace, 'prepared', 'x.bin'), '%PDF-1.7');
  await mkdir(path.join(workspace, 'sources', 'abc'), { recursive: true });
  await writeFile(path.join(workspace, 'sources', 'abc', '0.bin'), Buffer.from([0xff, 0xd8, 0xff]));
  return workspace;
}

async function counter(options: Partial<Parameters<typeof createCounter>[0]> & { candidate: CandidateSession }) {
  const made = createCounter({
    apiUrl: server.url,
    settings: new MemoryCounterSettings(),
    candidateFolders: [],
    ...options,
  });
  counters.push(made);
  return made;
}

describe('counter mode: settings behind a staff code', () => {
  it('is off by default, and only a staff account turns it on', async () => {
    const settings = new MemoryCounterSettings();
    const c = await counter({ candidate: fakeCandidate().session, settings });
    expect((await c.counterStatus()).phase).toBe('off');
    await expect(c.newCandidate({})).rejects.toMatchObject({ code: 'counter_mode_off' });
    await expect(c.counterConfigure({ login: STAFF.login, password: 'faux-mot-de-passe', enabled: true })).rejects.toMatchObject({
      code: 'invalid_staff_credentials',
    });
    await expect(
      c.counterConfigure({ login: DEMO_LEA.dossier, password: DEMO_LEA.password, enabled: true }),
    ).rejects.toMatchObject({ code: 'invalid_staff_credentials' });
    expect((await settings.load()).enabled).toBe(false);
    const status = await c.counterConfigure({ ...STAFF, enabled: true, idleSeconds: 120 });
    expect(status).toMatchObject({ enabled: true, phase: 'active', idleSeconds: 120 });
    expect(await settings.load()).toMatchObject({ enabled: true, idleSeconds: 120 });
    // The staff code is checked, not kept: no staff session stays open.
    expect(status.staffLogin).toBeNull();
  });

  it('--counter turns it on for the run without saving it', async () => {
    const settings = new MemoryCounterSettings();
    const c = await counter({ candidate: fakeCandidate().session, settings, overrides: { enabled: true } });
    expect((await c.counterStatus()).enabled).toBe(true);
    expect((await settings.load()).enabled).toBe(false);
  });

  it('keeps large text as a setting of the desk', async () => {
    const settings = new MemoryCounterSettings({ ...DEFAULT_COUNTER_SETTINGS, enabled: true });
    const c = await counter({ candidate: fakeCandidate().session, settings });
    expect((await c.counterSetLargeText({ largeText: true })).largeText).toBe(true);
    expect((await settings.load()).largeText).toBe(true);
  });
});

describe('counter mode: "Nouveau candidat"', () => {
  it('forgets the candidate, empties the workspace and moves to a new generation', async () => {
    const workspace = await workspaceWithFiles();
    const { state, session } = fakeCandidate();
    let shellCleared = 0;
    const c = await counter({
      candidate: session,
      candidateFolders: [workspace],
      overrides: { enabled: true },
      onWipe: async () => void (shellCleared += 1),
    });
    await c.staffLogin(STAFF);
    const before = await c.counterStatus();
    expect(before.staffLogin).toBe(STAFF.login);
    expect(await c.newCandidate({})).toEqual({ wiped: true });
    expect(await readdir(workspace)).toEqual([]);
    expect(state.forgotten).toBe(1);
    expect(shellCleared).toBe(1);
    const after = await c.counterStatus();
    expect(after.generation).toBe(before.generation + 1);
    expect(after.staffLogin).toBeNull();
    await expect(c.staffLookup({ dossier: DEMO_LEA.dossier })).rejects.toMatchObject({ code: 'staff_not_logged_in' });
  });

  it('waits for pending sends, and answers how many remain instead of dropping them', async () => {
    const workspace = await workspaceWithFiles();
    const { state, session } = fakeCandidate();
    const c = await counter({ candidate: session, candidateFolders: [workspace], overrides: { enabled: true } });
    state.pending = 2;
    expect(await c.newCandidate({ waitMs: 300 })).toEqual({ wiped: false, pendingSends: 2 });
    expect(state.forgotten).toBe(0);
    expect((await readdir(workspace)).sort()).toEqual(['prepared', 'sources']);
    // The sends finish while "Nouveau candidat" waits: then the wipe goes on.
    setTimeout(() => (state.pending = 0), 300);
    expect(await c.newCandidate({ waitMs: 5000 })).toEqual({ wiped: true });
    expect(await readdir(workspace)).toEqual([]);
  });

  it('wipes with sends pending only when told to (the staff confirmed)', async () => {
    const workspace = await workspaceWithFiles();
    const { state, session } = fakeCandidate();
    const c = await counter({ candidate: session, candidateFolders: [workspace], overrides: { enabled: true } });
    state.pending = 1;
    expect(await c.newCandidate({ force: true })).toEqual({ wiped: true });
    expect(await readdir(workspace)).toEqual([]);
  });
});

describe('counter mode: inactivity', () => {
  it('warns, then wipes on its own once nobody touched the screen', async () => {
    let t = 0;
    const workspace = await workspaceWithFiles();
    const { state, session } = fakeCandidate();
    const c = await counter({
      candidate: session,
      candidateFolders: [workspace],
      overrides: { enabled: true, idleSeconds: 300 },
      now: () => t,
      tickMs: 10,
    });
    await c.counterActivity();
    t = 239_000;
    expect((await c.counterStatus()).phase).toBe('active');
    t = 250_000;
    const warning = await c.counterStatus();
    expect(warning).toMatchObject({ phase: 'warning', secondsLeft: 50 });
    // A touch during the warning keeps the session.
    await c.counterActivity();
    t = 400_000;
    expect((await c.counterStatus()).phase).toBe('active');
    t = 800_001;
    await expect.poll(async () => (await c.counterStatus()).generation).toBe(1);
    expect(state.forgotten).toBe(1);
    expect(await readdir(workspace)).toEqual([]);
    expect((await c.counterStatus()).phase).toBe('active');
  });

  it('does not wipe on its own while documents are still being sent, and says so', async () => {
    let t = 0;
    const { state, session } = fakeCandidate();
    const c = await counter({ candidate: session, overrides: { enabled: true, idleSeconds: 60 }, now: () => t, tickMs: 10 });
    await c.counterActivity();
    state.pending = 1;
    t = 61_000;
    await expect.poll(async () => (await c.counterStatus()).phase).toBe('waiting_sends');
    expect(state.forgotten).toBe(0);
    state.pending = 0;
    await expect.poll(async () => (await c.counterStatus()).generation).toBe(1);
    expect(state.forgotten).toBe(1);
  });

  it('leaves an untouched, empty screen alone', async () => {
    let t = 0;
    let clockReads = 0;
    const { state, session } = fakeCandidate();
    const c = await counter({
      candidate: session,
      overrides: { enabled: true, idleSeconds: 60 },
      now: () => (clockReads++, t),
      tickMs: 10,
    });
    await c.counterStatus(); // settings loaded: from here on only the ticker reads the clock
    t = 61_000;
    const readsAtExpiry = clockReads;
    // A tick reads the clock once, twice when it restarts it; ticks never overlap. Three reads
    // past the deadline: a second tick has begun, so the first one, and any wipe it started,
    // is over.
    await expect.poll(() => clockReads, { interval: 5 }).toBeGreaterThanOrEqual(readsAtExpiry + 3);
    expect(state.forgotten).toBe(0);
    expect((await c.counterStatus()).generation).toBe(0);
  });
});

describe('counter mode: staff look-up', () => {
  it('shows state and missing pieces with the staff account, never without it', async () => {
    const c = await counter({ candidate: fakeCandidate().session });
    await expect(c.staffLookup({ dossier: DEMO_LEA.dossier })).rejects.toMatchObject({ code: 'staff_not_logged_in' });
    await expect(c.staffLogin({ login: STAFF.login, password: 'non' })).rejects.toMatchObject({
      code: 'invalid_staff_credentials',
    });
    await c.staffLogin(STAFF);
    const found = await c.staffLookup({ dossier: ` ${DEMO_PAUL.dossier} ` });
    expect(found).toMatchObject({ dossier: DEMO_PAUL.dossier, state: 'open', closedAt: null });
    expect(found.missing.length).toBeGreaterThan(0);
    expect(JSON.stringify(found)).not.toMatch(/sha256|content/);
    await expect(c.staffLookup({ dossier: 'DEMO-99999' })).rejects.toMatchObject({ code: 'dossier_not_found' });
    await c.staffLogout();
    await expect(c.staffLookup({ dossier: DEMO_PAUL.dossier })).rejects.toMatchObject({ code: 'staff_not_logged_in' });
  });
});
