/**
 * The companion API embedded on loopback with the demo campaign: what `npm start` and a
 * browser host without --api run, so that a newcomer can try the whole procedure at once.
 */
import { readFileSync } from 'node:fs';
import { startServer } from '../../src-server';
import { projectPath } from '../core/project-paths';

export const DEMO_CAMPAIGN_FILE = projectPath('assets', 'demo-campaign.json');

export async function startEmbeddedDemoApi(dataDir: string): Promise<{ url: string; close(): Promise<void> }> {
  return startServer({ dataDir, campaignFiles: [], demo: true, host: '127.0.0.1', port: 0 });
}

/** The demo accounts, to print in the terminal next to the app. */
export function demoAccountsText(): string {
  const campaign = JSON.parse(readFileSync(DEMO_CAMPAIGN_FILE, 'utf8')) as {
    candidates: { dossier: string; firstName: string; lastName: string; password?: string }[];
    staff?: { login: string; role?: string; password?: string }[];
  };
  const lines = campaign.candidates.map(
    (c) => `  n° de dossier ${c.dossier}   mot de passe ${c.password}   (${c.firstName} ${c.lastName})`,
  );
  const staff = (campaign.staff ?? []).map(
    (s) =>
      `  agent ${s.login}   mot de passe ${s.password}   (${s.role === 'instruction' ? 'service concours, /instruction/' : 'guichet'})`,
  );
  return `Comptes de démonstration :\n${[...lines, ...staff].join('\n')}\n`;
}
