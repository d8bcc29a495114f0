/**
 * The `normalise` command's resident engine (issue 16's speed goal, help-desk batch use): the
 * first command does its job itself and starts it, the next one sends its job there and
 * writes the same bytes and the same answer; a busy one, another build's, or one in a
 * directory others could reach is not used; it ends after its idle time and when its command
 * leaves mid-job. Each test uses a socket directory of its own and stops what it started.
 */
import { connect } from 'node:net';
import {
  chmod,
  chown,
  copyFile,
  mkdtemp,
  readdir,
  readFile,
  rm,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findResident } from '../../../src-engine/resident/connect';
import { frameOf, FrameReader } from '../../../src-engine/resident/frames';
import { buildEngine, cliScript } from '../../support/engine-build';
import {
  residentEnv,
  residentSocket,
  runCommand,
  stopResident,
  waitForResident,
  waitUntilGone,
  type Ran,
} from '../../support/resident';
import { generatePhoto } from '../../support/scan-photos';

let root: string;
let photoPath: string;
let photoBytes: Uint8Array;
const started = new Set<number>();
const otherBuild = path.join(path.dirname(cliScript), 'cli-other-build.js');

/** A socket directory of this test's own, closed to others (mkdtemp makes it 0700). */
const socketDir = () => mkdtemp(path.join(root, 'sock-'));

async function resident(dir: string, script = cliScript): Promise<number> {
  const pid = await waitForResident(residentSocket(dir, script));
  started.add(pid);
  return pid;
}

const normalise = (dir: string, out: string, ...more: string[]): Promise<Ran> =>
  runCommand(cliScript, [photoPath, '--out', out, '--json', ...more], residentEnv(dir));
/** What the command told the person, without its debug line. */
const told = (ran: Ran) => ran.stderr.replace(/^resident engine: .*\n/m, '');
const answer = (ran: Ran) => JSON.parse(ran.stdout.replace(/"out":"[^"]*"/, '"out":""')) as unknown;

beforeAll(async () => {
  await buildEngine();
  root = await mkdtemp(path.join(tmpdir(), 'resident-'));
  photoBytes = (await generatePhoto(4, { kind: 'page' })).bytes;
  photoPath = path.join(root, 'photo.jpg');
  await writeFile(photoPath, photoBytes);
}, 60_000);

afterAll(async () => {
  for (const pid of started) await stopResident(pid);
  await rm(otherBuild, { force: true });
  await rm(root, { recursive: true, force: true });
});

describe('normalise with its resident engine', () => {
  it('does the first job itself and starts it; the next command sends its job there and writes the same bytes', async () => {
    const dir = await socketDir();
    const first = await normalise(dir, path.join(root, 'first.jpg'));
    expect(first.status).toBe(0);
    expect(first.stderr).toContain(
      'resident engine: none, job done here, one started for the next command',
    );
    const pid = await resident(dir);

    const second = await normalise(dir, path.join(root, 'second.jpg'));
    expect(second.status).toBe(0);
    expect(second.stderr).toContain(`resident engine: used (pid ${pid})`);
    const alone = await normalise(dir, path.join(root, 'alone.jpg'), '--no-resident');
    expect(alone.stderr).toContain('resident engine: not used');

    const bytes = await readFile(path.join(root, 'second.jpg'));
    expect(bytes.equals(await readFile(path.join(root, 'first.jpg')))).toBe(true);
    expect(bytes.equals(await readFile(path.join(root, 'alone.jpg')))).toBe(true);
    expect(answer(second)).toEqual(answer(first));
    expect(answer(second)).toEqual(answer(alone));
    expect(told(second)).toBe(told(alone));
  }, 120_000);

  it('gives a refused file the same exit code and French message through it, and stays', async () => {
    const dir = await socketDir();
    const bad = path.join(root, 'truncated.jpg');
    await writeFile(bad, new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 2]));
    await normalise(dir, path.join(root, 'warm.jpg'));
    const pid = await resident(dir);

    const there = await runCommand(
      cliScript,
      [bad, '--out', path.join(root, 'bad.jpg')],
      residentEnv(dir),
    );
    const here = await runCommand(
      cliScript,
      [bad, '--out', path.join(root, 'bad.jpg'), '--no-resident'],
      residentEnv(dir),
    );
    expect(there.stderr).toContain(`resident engine: used (pid ${pid})`);
    expect(there.status).toBe(2);
    expect(here.status).toBe(2);
    expect(told(there)).toBe(told(here));
    expect(told(there)).toMatch(/^file_corrupt: .+/);
    const json = await runCommand(
      cliScript,
      [bad, '--out', path.join(root, 'bad.jpg'), '--json'],
      residentEnv(dir),
    );
    expect(JSON.parse(json.stdout)).toEqual({
      ok: false,
      code: 'file_corrupt',
      message: told(here)
        .replace(/^file_corrupt: /, '')
        .trim(),
    });
    // A refusal is the file's, not a fault of the engine: it is still there for the next one.
    expect(await waitForResident(residentSocket(dir, cliScript))).toBe(pid);
  }, 120_000);

  it('is not waited for while busy: the command does its job itself', async () => {
    const dir = await socketDir();
    await normalise(dir, path.join(root, 'warm.jpg'));
    const pid = await resident(dir);
    const holder = await findResident(residentSocket(dir, cliScript), 5000);
    expect(holder.kind).toBe('free');
    try {
      const ran = await normalise(dir, path.join(root, 'busy.jpg'));
      expect(ran.status).toBe(0);
      expect(ran.stderr).toContain('resident engine: busy, job done here\n');
      expect(
        (await readFile(path.join(root, 'busy.jpg'))).equals(
          await readFile(path.join(root, 'warm.jpg')),
        ),
      ).toBe(true);
    } finally {
      if (holder.kind === 'free') holder.handle.kill();
    }
    const after = await normalise(dir, path.join(root, 'after.jpg'));
    expect(after.stderr).toContain(`resident engine: used (pid ${pid})`);
  }, 120_000);

  it('ends when its command leaves mid-job', async () => {
    const dir = await socketDir();
    await normalise(dir, path.join(root, 'warm.jpg'));
    const pid = await resident(dir);
    // The request sent whole, then the connection closed while the engine works on it.
    const socket = connect(residentSocket(dir, cliScript));
    const reader = new FrameReader();
    const hello = await new Promise<unknown>((resolve) =>
      socket.on('data', (chunk: Buffer) => reader.push(chunk).forEach(resolve)),
    );
    expect(hello).toEqual({ kind: 'hello', pid, free: true });
    for (const part of frameOf({
      id: 1,
      op: 'normalise',
      request: { files: [{ name: 'p.jpg', bytes: photoBytes }], maxBytes: 1e7 },
    }))
      socket.write(part);
    socket.end();
    await waitUntilGone(pid);
    expect(existsSync(residentSocket(dir, cliScript))).toBe(false);
  }, 120_000);

  it('ends after its idle time and removes its socket', async () => {
    const dir = await socketDir();
    await runCommand(
      cliScript,
      [photoPath, '--out', path.join(root, 'idle.jpg')],
      residentEnv(dir, 1500),
    );
    const pid = await resident(dir);
    await waitUntilGone(pid);
    expect(await readdir(dir)).toEqual([]);
  }, 120_000);

  it('does not use the resident engine of another build', async () => {
    const dir = await socketDir();
    await copyFile(cliScript, otherBuild);
    await writeFile(otherBuild, '\n// another build\n', { flag: 'a' });
    await runCommand(
      otherBuild,
      [photoPath, '--out', path.join(root, 'other.jpg')],
      residentEnv(dir),
    );
    const otherPid = await resident(dir, otherBuild);

    const ran = await normalise(dir, path.join(root, 'this.jpg'));
    expect(ran.status).toBe(0);
    expect(ran.stderr).toContain(
      'resident engine: none, job done here, one started for the next command',
    );
    const pid = await resident(dir);
    expect(pid).not.toBe(otherPid);
  }, 120_000);

  it('refuses a socket directory others could reach, and starts nothing there', async () => {
    const open = await socketDir();
    await chmod(open, 0o770);
    const safe = await socketDir();
    const link = path.join(root, 'link');
    await symlink(safe, link);
    const cases: Array<[string, string]> = [
      [open, 'directory open to other users'],
      [link, 'directory is a symbolic link'],
    ];
    if (process.getuid?.() === 0) {
      const foreign = await socketDir();
      await chown(foreign, 65534, 65534);
      cases.push([foreign, 'directory owned by another user']);
    }
    for (const [dir, reason] of cases) {
      const ran = await normalise(dir, path.join(root, 'unsafe.jpg'));
      expect(ran.status).toBe(0);
      expect(ran.stderr).toContain(`resident engine: not used (${reason})`);
    }
    expect(await readdir(open)).toEqual([]);
    expect(await readdir(safe)).toEqual([]);
  }, 120_000);
});
