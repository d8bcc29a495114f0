/** The demo campaign's first candidate (assets/demo-campaign.json), as tests log in. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from './paths';

interface DemoCandidate {
  dossier: string;
  password: string;
  firstName: string;
  lastName: string;
}

const campaign = JSON.parse(readFileSync(path.join(projectRoot, 'assets', 'demo-campaign.json'), 'utf8')) as { candidates: DemoCandidate[] };
const lea = campaign.candidates[0]!;

export const DEMO_LEA = { dossier: lea.dossier, password: lea.password } as const;
