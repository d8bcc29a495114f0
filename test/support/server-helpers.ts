/** Shared set-up for the server tests: a temporary data folder, a test campaign, a clock. */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src-server/app';
import { openContext, type ServerContext } from '../../src-server/context';
import type { LoadLimits } from '../../src-server/load-shedding';
import type { ScryptCost } from '../../src-server/passwords';
import { pdfFromObjects } from './hand-made-pdf';
import { corpusDir } from './paths';

export const FAST_SCRYPT: ScryptCost = { ln: 4, r: 8, p: 1 };
export { corpusDir, projectRoot } from './paths';
export const API = '/api/v1';

export function corpusFile(relative: string): Buffer {
  return readFileSync(path.join(corpusDir, relative));
}

export function tempDir(prefix = 'depot-server-'): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Winter closing day: 27 April is summer time; 15 January is winter time. */
export function testCampaign(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'test-2027',
    title: 'Concours de test 2027',
    organiser: 'Centre de gestion de test',
    closesOn: '2027-04-27',
    timeZone: 'Europe/Paris',
    maxBytes: 2 * 1024 * 1024,
    pieces: [
      { id: 'identite', label: "Pièce d'identité", help: 'Recto et verso.', required: true, lateAllowed: false, multiple: false },
      { id: 'diplome', label: 'Diplôme', required: true, lateAllowed: false, multiple: true },
      { id: 'cv', label: 'CV', required: false, lateAllowed: false, multiple: false, maxBytes: 20_000 },
      { id: 'etat-services', label: 'État des services', required: true, lateAllowed: true, multiple: true },
    ],
    candidates: [
      { dossier: 'T-001', lastName: 'Martin', firstName: 'Léa', password: 'secret-lea' },
      { dossier: 'T-002', lastName: 'Durand', firstName: 'Paul', password: 'secret-paul' },
    ],
    staff: [
      { login: 'guichet1', password: 'secret-guichet' },
      { login: 'instructeur1', role: 'instruction', password: 'secret-instruction' },
    ],
    ...overrides,
  };
}

/** A second campaign with its own candidate and instructor (instructeur2): what the first one's staff must not reach. */
export function otherInstructionCampaign(): Record<string, unknown> {
  return testCampaign({
    id: 'autre-2027',
    candidates: [{ dossier: 'A-001', lastName: 'Lefèvre', firstName: 'Zoé', password: 'secret-zoe' }],
    staff: [{ login: 'instructeur2', role: 'instruction', password: 'secret-autre' }],
  });
}

/** A clock tests move by hand. */
export class TestClock {
  constructor(public current: Date) {}
  now = (): Date => new Date(this.current.getTime());
  set(iso: string): void {
    this.current = new Date(iso);
  }
}

export interface TestApp {
  app: FastifyInstance;
  context: ServerContext;
  clock: TestClock;
  dataDir: string;
  close(): Promise<void>;
  login(dossier?: string, password?: string): Promise<string>;
  /** The help desk's agent by default; `instructeur1` for the service concours. */
  staffLogin(login?: string, password?: string): Promise<string>;
  upload(token: string, pieceId: string, bytes: Buffer, extra?: Partial<InjectOptions> & { headers?: Record<string, string> }): Promise<LightMyRequestResponse>;
}

export function sha256Header(bytes: Buffer): string {
  return `sha-256=:${createHash('sha256').update(bytes).digest('base64')}:`;
}

export async function makeTestApp(
  options: { campaigns?: unknown[]; now?: string; dataDir?: string; limits?: Partial<LoadLimits>; pdfWorkerScript?: string; backofficeDir?: string } = {},
): Promise<TestApp> {
  const temp = options.dataDir ? null : tempDir();
  const dataDir = options.dataDir ?? temp!.dir;
  const clock = new TestClock(new Date(options.now ?? '2027-04-01T10:00:00Z'));
  const context = await openContext({
    dataDir,
    campaignValues: options.campaigns ?? [testCampaign()],
    now: clock.now,
    scryptCost: FAST_SCRYPT,
    pdfWorkerScript: options.pdfWorkerScript,
  });
  const app = await buildApp({ context, limits: options.limits, backofficeDir: options.backofficeDir });
  await app.ready();
  const result: TestApp = {
    app,
    context,
    clock,
    dataDir,
    async close() {
      await app.close();
      await context.dispose();
      await context.storage.close();
      temp?.remove();
    },
    async login(dossier = 'T-001', password = dossier === 'T-001' ? 'secret-lea' : 'secret-paul') {
      const res = await app.inject({ method: 'POST', url: `${API}/session`, payload: { dossier, password } });
      if (res.statusCode !== 201) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
      return res.json<{ token: string }>().token;
    },
    async staffLogin(login = 'guichet1', password = login === 'instructeur1' ? 'secret-instruction' : 'secret-guichet') {
      const res = await app.inject({
        method: 'POST',
        url: `${API}/staff/session`,
        payload: { login, password },
      });
      if (res.statusCode !== 201) throw new Error(`staff login failed: ${res.statusCode} ${res.body}`);
      return res.json<{ token: string }>().token;
    },
    upload(token, pieceId, bytes, extra = {}) {
      const { headers, ...rest } = extra;
      return app.inject({
        method: 'POST',
        url: `${API}/pieces/${pieceId}/documents`,
        payload: bytes,
        ...rest,
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/pdf',
          'content-digest': sha256Header(bytes),
          ...headers,
        },
      });
    },
  };
  return result;
}

/** A tiny valid PDF made by hand (the same bytes every time unless `label` differs). */
export function tinyPdf(label = 'test'): Buffer {
  return pdfFromObjects(['<< /Type /Catalog /Pages 2 0 R >>'], label);
}

export function problemOf(res: { headers: Record<string, unknown>; json: () => unknown }): { code: string; detail: string; status: number } {
  return res.json() as { code: string; detail: string; status: number };
}
