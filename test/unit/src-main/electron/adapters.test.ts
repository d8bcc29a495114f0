import { existsSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('../../../support/fake-electron'));

import * as fake from '../../../support/fake-electron';
import { createEngine } from '../../../../src-engine';
import { sealedSessionFile } from '../../../../src-main/core/session-keeper';
import { safeStorageBox } from '../../../../src-main/electron/secret-box';
import { spawnUtilityWorker } from '../../../../src-main/electron/utility-engine';

describe('engine in a utilityProcess', () => {
  beforeEach(() => {
    fake.utilityProcess.forked.length = 0;
  });

  it('forks the worker script with a heap limit and the memory budget, relays messages, exit and kill', () => {
    const handle = spawnUtilityWorker({ script: '/app/engine-worker.js', memoryLimitMb: 1024 });
    const child = fake.utilityProcess.forked[0]!;
    expect(child.script).toBe('/app/engine-worker.js');
    expect(child.options.execArgv).toEqual(['--max-old-space-size=512']);
    expect((child.options.env as Record<string, string>).ENGINE_MEMORY_LIMIT_MB).toBe('1024');
    expect(child.options.stdio).toBe('ignore');
    const seen: unknown[] = [];
    handle.onMessage((m) => seen.push(m));
    child.emit('message', { kind: 'ready' });
    expect(seen).toEqual([{ kind: 'ready' }]);
    handle.send({ id: 1 });
    expect(child.posted).toEqual([{ id: 1 }]);
    fake.app.metrics = [{ pid: 4242, memory: { workingSetSize: 2048 } }];
    expect(handle.residentBytes()).toBe(2048 * 1024);
    const exits: unknown[] = [];
    handle.onExit((code, signal) => exits.push([code, signal]));
    handle.kill();
    expect(child.killed).toBe(true);
    child.emit('exit', 9);
    expect(exits).toEqual([[9, null]]);
    handle.send({ id: 2 });
    expect(child.posted).toHaveLength(1);
  });

  it('is what the engine client uses when given, end to end through its protocol', async () => {
    const engine = createEngine({ spawn: spawnUtilityWorker, workerScript: '/app/engine-worker.js' });
    const child = fake.utilityProcess.forked[0]!;
    child.emit('message', { id: 0, kind: 'ready' });
    const progress: number[] = [];
    const pending = engine.inspect([{ name: 'a.jpg', bytes: new Uint8Array([1]) }], (done) => progress.push(done));
    await vi.waitFor(() => expect(child.posted).toHaveLength(1));
    const request = child.posted[0] as { id: number; op: string };
    expect(request.op).toBe('inspect');
    child.emit('message', { id: request.id, kind: 'progress', done: 1, total: 1 });
    child.emit('message', { id: request.id, kind: 'result', value: [] });
    await expect(pending).resolves.toEqual([]);
    expect(progress).toEqual([1]);
    await engine.close();
    expect(child.killed).toBe(true);
  });
});

describe('session token sealed with safeStorage', () => {
  beforeEach(() => {
    fake.safeStorage.available = true;
    fake.safeStorage.backend = 'gnome_libsecret';
  });

  it('is never written in plain text, and comes back in the next run', async () => {
    const file = path.join(await mkdtemp(path.join(os.tmpdir(), 'seal-')), 'session.sealed');
    const keeper = sealedSessionFile(file, safeStorageBox(fake.safeStorage as never));
    await keeper.save({ dossier: 'D-1', token: 'tok-SECRET-123', expiresAt: '2030-01-01T00:00:00Z' });
    const onDisk = await readFile(file);
    expect(onDisk.includes(Buffer.from('tok-SECRET-123'))).toBe(false);
    expect(onDisk.includes(Buffer.from('D-1'))).toBe(false);
    const again = sealedSessionFile(file, safeStorageBox(fake.safeStorage as never));
    expect(await again.load()).toEqual({ dossier: 'D-1', token: 'tok-SECRET-123', expiresAt: '2030-01-01T00:00:00Z' });
    await again.save(null);
    expect(existsSync(file)).toBe(false);
  });

  it.each([
    ['no key store at all', false, 'gnome_libsecret'],
    ['a Linux without keyring (basic_text)', true, 'basic_text'],
  ])('with %s, keeps the token in memory only', async (_name, available, backend) => {
    fake.safeStorage.available = available;
    fake.safeStorage.backend = backend;
    const restore = Object.getOwnPropertyDescriptor(process, 'platform')!;
    Object.defineProperty(process, 'platform', { value: 'linux' });
    try {
      const file = path.join(await mkdtemp(path.join(os.tmpdir(), 'seal-')), 'session.sealed');
      const keeper = sealedSessionFile(file, safeStorageBox(fake.safeStorage as never));
      await keeper.save({ dossier: 'D-1', token: 'tok', expiresAt: '2030-01-01T00:00:00Z' });
      expect(existsSync(file)).toBe(false);
      expect((await keeper.load())?.token).toBe('tok');
    } finally {
      Object.defineProperty(process, 'platform', restore);
    }
  });

  it('a file sealed elsewhere (another account) is ignored, not a crash', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'seal-'));
    const file = path.join(dir, 'session.sealed');
    await (await import('node:fs/promises')).writeFile(file, 'garbage');
    expect(await sealedSessionFile(file, safeStorageBox(fake.safeStorage as never)).load()).toBeNull();
  });
});

describe('reminders as system notifications', () => {
  it('shows the reminder, urgent near the end, and a click brings the window back', async () => {
    const { notifier } = await import('../../../../src-main/electron/notify');
    const window = new fake.FakeBrowserWindow({});
    window.minimized = true;
    fake.Notification.shown.length = 0;
    const notify = notifier(fake.Notification as never, () => window as never);
    notify({ id: '2h', title: 'Clôturez votre inscription', body: 'Il reste moins de 2 heures…', closesAt: '2027-04-27T22:00:00.000Z' });
    const shown = fake.Notification.shown[0]!;
    expect(shown.options).toEqual({ title: 'Clôturez votre inscription', body: 'Il reste moins de 2 heures…', urgency: 'critical' });
    shown.emit('click');
    expect(window.minimized).toBe(false);
    expect(window.focused).toBe(true);
    fake.Notification.supported = false;
    notify({ id: '48h', title: 't', body: 'b', closesAt: '2027-04-27T22:00:00.000Z' });
    expect(fake.Notification.shown).toHaveLength(1);
    fake.Notification.supported = true;
  });
});
