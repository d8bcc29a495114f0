import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../support/paths';

const electronInstalled = existsSync(path.join(projectRoot, 'node_modules', 'electron', 'dist'));
// An empty cache: an archive cached by an earlier real download would otherwise be installed.
const cache = mkdtempSync(path.join(os.tmpdir(), 'electron-cache-'));
afterAll(() => rmSync(cache, { recursive: true, force: true }));

function start(env: Record<string, string>) {
  const clean = { ...process.env };
  delete clean.ELECTRON_SKIP_BINARY_DOWNLOAD;
  return spawnSync(process.execPath, [path.join(projectRoot, 'dist', 'start.js')], {
    encoding: 'utf8',
    timeout: 30_000,
    env: { ...clean, electron_config_cache: cache, ...env },
  });
}

describe('npm start without the Electron binary', () => {
  it.skipIf(electronInstalled)('with downloads switched off: one plain sentence naming npm run browser', () => {
    const run = start({ ELECTRON_SKIP_BINARY_DOWNLOAD: '1' });
    expect(run.status).toBe(1);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('« npm run browser »');
    expect(lines[0]).toContain("Electron n'est pas installé");
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it.skipIf(electronInstalled)('when the connection is refused (nobody listening): says so, names npm run browser', async () => {
    // A loopback port just freed: refused at once, as by a firewall or an offline proxy.
    const probe = net.createServer().listen(0, '127.0.0.1');
    await once(probe, 'listening');
    const { port } = probe.address() as net.AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    const run = start({ ELECTRON_MIRROR: `http://127.0.0.1:${port}/` });
    expect(run.status).toBe(1);
    const lines = run.stderr.trim().split('\n');
    expect(lines[0]).toMatch(/^Première ouverture : téléchargement/);
    expect(lines.at(-1)).toMatch(/faute de connexion à Internet ; lancez plutôt « npm run browser »/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(path.join(projectRoot, 'node_modules', 'electron', 'path.txt'))).toBe(false);
  });
});
