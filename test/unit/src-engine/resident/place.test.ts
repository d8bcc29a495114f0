/** Where the command looks for its resident engine: a directory of this user's alone, a socket named after the build. */
import { chmodSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  RESIDENT_DIR_ENV,
  residentPlace,
  unsafeDirectory,
} from '../../../../src-engine/resident/place';

let root: string;
beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'resident-place-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const bundle = (name: string, text: string) => {
  const file = path.join(root, name);
  writeFileSync(file, text);
  return file;
};

describe.skipIf(process.platform === 'win32')('residentPlace', () => {
  it('creates its directory closed to others and names the socket after the build', () => {
    const dir = path.join(root, 'sockets');
    const env = { [RESIDENT_DIR_ENV]: dir };
    const one = residentPlace(bundle('a.js', 'build one'), env);
    expect(one.ok).toBe(true);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    const same = residentPlace(bundle('b.js', 'build one'), env);
    const other = residentPlace(bundle('c.js', 'build two'), env);
    if (!one.ok || !same.ok || !other.ok) throw new Error('expected a place');
    expect(same.socketPath).toBe(one.socketPath);
    expect(other.socketPath).not.toBe(one.socketPath);
    expect(path.dirname(one.socketPath)).toBe(dir);
  });

  it('refuses a directory others can read or write, a link, or a file', () => {
    const uid = process.getuid!();
    const shared = path.join(root, 'shared');
    const mine = mkdtempSync(path.join(root, 'mine-'));
    expect(unsafeDirectory(mine, uid)).toBeUndefined();
    for (const mode of [0o750, 0o705, 0o770]) {
      chmodSync(mine, mode);
      expect(unsafeDirectory(mine, uid)).toBe('directory open to other users');
    }
    chmodSync(mine, 0o700);
    symlinkSync(mine, shared);
    expect(unsafeDirectory(shared, uid)).toBe('directory is a symbolic link');
    expect(unsafeDirectory(bundle('plain', ''), uid)).toBe('not a directory');
    expect(unsafeDirectory(mine, uid + 1)).toBe('directory owned by another user');
    expect(residentPlace(bundle('d.js', 'x'), { [RESIDENT_DIR_ENV]: shared })).toEqual({
      ok: false,
      reason: 'directory is a symbolic link',
    });
  });
});
