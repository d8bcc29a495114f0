import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../support/paths';

const electronInstalled = existsSync(path.join(projectRoot, 'node_modules', 'electron', 'dist'));

describe('npm start without the Electron binary', () => {
  it.skipIf(electronInstalled)('says so in one plain sentence and names npm run browser', () => {
    const run = spawnSync(process.execPath, [path.join(projectRoot, 'dist', 'start.js')], { encoding: 'utf8', timeout: 20_000 });
    expect(run.status).toBe(1);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('npm run browser');
    expect(lines[0]).toContain("Electron n'est pas installé");
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
