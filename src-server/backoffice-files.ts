/**
 * Serves the instruction back office (api-contract.md 5.4) at /instruction/: the files Vite
 * built (dist/backoffice), read once at start into memory. They are few and small, and a lookup
 * in a fixed table cannot be led outside the folder, whatever the address asks. Their CSP is the
 * app's (scripts and styles from this origin only, documents shown as blob: addresses); every
 * other answer keeps the API's own, stricter one.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { CONTENT_SECURITY_POLICY } from '../src-shared/content-security-policy';
import { UI_CONTENT_TYPES } from '../src-shared/ui-files';
import { sendProblem } from './problem';

export const BACKOFFICE_PREFIX = '/instruction/';

interface StaticFile {
  type: string;
  bytes: Buffer;
  /** Vite names its assets by their content: they never change under one name. */
  immutable: boolean;
}

/** Every servable file under `dir`, by its path from there ('' is index.html). Source maps stay out. */
export function readBackofficeFiles(dir: string): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  if (!existsSync(path.join(dir, 'index.html'))) return files;
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const type = UI_CONTENT_TYPES[path.extname(entry.name)];
    if (!type) continue;
    const full = path.join(entry.parentPath, entry.name);
    const name = path.relative(dir, full).split(path.sep).join('/');
    files.set(name, { type, bytes: readFileSync(full), immutable: name.startsWith('assets/') });
  }
  files.set('', files.get('index.html')!);
  return files;
}

export function backofficeRoutes(app: FastifyInstance, dir: string | undefined): void {
  const files = dir ? readBackofficeFiles(dir) : new Map<string, StaticFile>();
  app.get('/instruction', { schema: { hide: true } as object }, async (_request, reply) => reply.redirect(BACKOFFICE_PREFIX, 301));
  app.get(`${BACKOFFICE_PREFIX}*`, { schema: { hide: true } as object }, async (request, reply) => {
    const name = (request.params as { '*': string })['*'];
    const file = files.get(name);
    if (!file) return sendProblem(reply, 'not_found');
    return reply
      .header('content-security-policy', CONTENT_SECURITY_POLICY)
      .header('cache-control', file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache')
      .type(file.type)
      .send(file.bytes);
  });
}
