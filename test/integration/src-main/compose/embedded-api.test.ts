/**
 * The demo's accounts as a newcomer meets them: printed in the terminal, listed in the README,
 * and logging in to the embedded API. Two instructors, so two can be tried side by side.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoAccountsText, startEmbeddedDemoApi } from '../../../../src-main/compose/embedded-api';
import { API_BASE } from '../../../../src-shared/contract';
import { projectRoot } from '../../../support/paths';

interface DemoStaff {
  login: string;
  password: string;
  role?: string;
}

let demoStaff: DemoStaff[];
let api: { url: string; close(): Promise<void> };
let dataDir: string;

beforeAll(async () => {
  demoStaff = (JSON.parse(await readFile(path.join(projectRoot, 'assets', 'demo-campaign.json'), 'utf8')) as { staff: DemoStaff[] }).staff;
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'depot-demo-accounts-'));
  api = await startEmbeddedDemoApi(dataDir);
});

afterAll(async () => {
  await api?.close();
  await rm(dataDir, { recursive: true, force: true });
});

const instructors = () => demoStaff.filter((s) => s.role === 'instruction');

describe('the demo staff accounts', () => {
  it('has two instructors, each logging in to the demo campaign on its own session', async () => {
    expect(instructors().length).toBeGreaterThanOrEqual(2);
    const tokens: string[] = [];
    for (const { login, password } of instructors()) {
      const session = await fetch(`${api.url}${API_BASE}/staff/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ login, password }),
      });
      expect(session.status, login).toBe(201);
      const { token } = (await session.json()) as { token: string };
      tokens.push(token);
      const campaigns = await fetch(`${api.url}${API_BASE}/staff/campaigns`, { headers: { authorization: `Bearer ${token}` } });
      expect(campaigns.status, login).toBe(200);
      expect(((await campaigns.json()) as { campaigns: { id: string }[] }).campaigns).toHaveLength(1);
    }
    expect(new Set(tokens).size).toBe(tokens.length);
  });

  it('prints every staff account in the terminal and lists it in the README, with its password', async () => {
    const printed = demoAccountsText();
    const readme = await readFile(path.join(projectRoot, 'README.md'), 'utf8');
    for (const { login, password, role = 'guichet' } of demoStaff) {
      expect(printed).toContain(`agent ${login}   mot de passe ${password}`);
      expect(readme.split('\n')).toContainEqual(expect.stringMatching(new RegExp(`^\\| ${login} \\| ${password} \\| \`${role}\`:`)));
    }
  });
});
