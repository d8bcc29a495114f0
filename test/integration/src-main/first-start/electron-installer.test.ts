/**
 * `npm start` on a fresh clone, against a local Electron mirror: the real installer path
 * (@electron/get with progress, then Electron's own install.js unpacking from the cache) in a
 * copy of the project whose `electron` package is its own, so the shared one is never touched.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../../support/paths';
import { zip } from '../../../support/zip';

const version = (JSON.parse(readFileSync(path.join(projectRoot, 'node_modules', 'electron', 'package.json'), 'utf8')) as { version: string }).version;
const platformFile = { darwin: 'Electron.app/Contents/MacOS/Electron', win32: 'electron.exe' }[process.platform as string] ?? 'electron';
const archiveName = `electron-v${version}-${process.platform}-${process.arch}.zip`;

let work: string;
let mirror: http.Server;
let mirrorUrl: string;
const requested: string[] = [];

beforeAll(async () => {
  work = mkdtempSync(path.join(os.tmpdir(), 'first-start-'));
  // The project: its built start and assets, every dependency linked but `electron`, copied.
  const project = path.join(work, 'project');
  mkdirSync(path.join(project, 'node_modules'), { recursive: true });
  for (const entry of ['package.json', 'assets', 'dist']) symlinkSync(path.join(projectRoot, entry), path.join(project, entry));
  for (const entry of readdirSync(path.join(projectRoot, 'node_modules')))
    if (entry !== 'electron') symlinkSync(path.join(projectRoot, 'node_modules', entry), path.join(project, 'node_modules', entry));
  cpSync(path.join(projectRoot, 'node_modules', 'electron'), path.join(project, 'node_modules', 'electron'), {
    recursive: true,
    filter: (source) => !source.includes(`${path.sep}dist`) && !source.endsWith('path.txt'),
  });
  // A start script inside the copy, so that `electron` resolves to the copy.
  const start = path.join(project, 'start.js');
  writeFileSync(start, readFileSync(path.join(projectRoot, 'dist', 'start.js')));

  const archive = await zip([
    { name: platformFile, data: Buffer.from('#!/bin/sh\necho "ELECTRON STARTED $*"\n'), mode: 0o755 },
    { name: 'version', data: Buffer.from(`v${version}`) },
    { name: 'filler', data: Buffer.alloc(2 * 1024 * 1024, 7) },
  ]);
  const sums = `${createHash('sha256').update(archive).digest('hex')} *${archiveName}\n`;
  mirror = http.createServer((request, response) => {
    requested.push(request.url ?? '');
    if (request.url === `/v${version}/${archiveName}`) return response.writeHead(200, { 'content-length': archive.length }).end(archive);
    if (request.url === `/v${version}/SHASUMS256.txt`) return response.end(sums);
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => mirror.listen(0, '127.0.0.1', resolve));
  mirrorUrl = `http://127.0.0.1:${(mirror.address() as AddressInfo).port}/`;
});
afterAll(async () => {
  await new Promise((resolve) => mirror?.close(resolve));
  rmSync(work, { recursive: true, force: true });
});

function runStart(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const clean = { ...process.env };
  delete clean.ELECTRON_SKIP_BINARY_DOWNLOAD;
  const child = spawn(process.execPath, [path.join(work, 'project', 'start.js')], {
    env: { ...clean, electron_config_cache: path.join(work, 'cache'), ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}

describe.skipIf(process.platform === 'win32')('first start against a local Electron mirror', () => {
  it('refuses an archive whose checksum is not Electron’s, installing nothing', async () => {
    const run = await runStart({ ELECTRON_MIRROR: mirrorUrl });
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n').at(-1)).toMatch(/refusé \(empreinte du fichier incorrecte\) ; lancez plutôt « npm run browser »/);
    expect(readdirSync(path.join(work, 'project', 'node_modules', 'electron'))).not.toContain('path.txt');
  });

  it('downloads with progress, lets Electron’s installer unpack it, then starts the app', async () => {
    // The mirror's own SHASUMS256.txt vouches for this archive (electron_use_remote_checksums).
    const run = await runStart({ ELECTRON_MIRROR: mirrorUrl, electron_use_remote_checksums: '1' });
    expect(run.stderr).toMatch(/^Première ouverture : téléchargement/);
    expect(run.stderr).toMatch(/Téléchargement d'Electron : 100 % \(2 Mo sur 2 Mo\)…/);
    expect(run.stderr).toMatch(/Electron est installé : ouverture de l'application…/);
    expect(run.stdout).toMatch(/ELECTRON STARTED .*dist\/electron\/main\.js/);
    expect(run.code).toBe(0);
    expect(readFileSync(path.join(work, 'project', 'node_modules', 'electron', 'path.txt'), 'utf8')).toBe(platformFile);
    // The second start finds it: nothing asked of the mirror again.
    const before = requested.length;
    const again = await runStart({ ELECTRON_MIRROR: mirrorUrl });
    expect(again.stdout).toMatch(/ELECTRON STARTED/);
    expect(again.stderr).not.toMatch(/Téléchargement/);
    expect(requested.length).toBe(before);
  });
});
