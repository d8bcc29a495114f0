/**
 * The demo campaign's people (assets/demo-campaign.json), read from the file itself so the tests
 * and the demo never disagree: who they are, and what logs them in.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from './paths';

export interface DemoCandidate {
  dossier: string;
  password: string;
  firstName: string;
  lastName: string;
}

interface DemoCampaign {
  title: string;
  candidates: DemoCandidate[];
  staff: { login: string; password: string; role?: string }[];
}

const campaign = JSON.parse(readFileSync(path.join(projectRoot, 'assets', 'demo-campaign.json'), 'utf8')) as DemoCampaign;

function candidate(index: number): Readonly<DemoCandidate> {
  const found = campaign.candidates[index];
  if (!found) throw new Error(`assets/demo-campaign.json: no candidate n° ${index + 1}`);
  const { dossier, password, firstName, lastName } = found;
  return Object.freeze({ dossier, password, firstName, lastName });
}

/** Only what the login takes (its input schema wants nothing more). */
function credentials({ dossier, password }: DemoCandidate): Readonly<{ dossier: string; password: string }> {
  return Object.freeze({ dossier, password });
}

/** The demo campaign's title, as its card on the welcome screen heads it. */
export const DEMO_CAMPAIGN_TITLE = campaign.title;

/** The three demo candidates, in the file's order. */
export const DEMO_PEOPLE = Object.freeze({ lea: candidate(0), paul: candidate(1), mai: candidate(2) });

export const DEMO_LEA = credentials(DEMO_PEOPLE.lea);
export const DEMO_PAUL = credentials(DEMO_PEOPLE.paul);
export const DEMO_MAI = credentials(DEMO_PEOPLE.mai);

/** The demo's help-desk agent. */
export const DEMO_STAFF = Object.freeze({ login: campaign.staff[0]!.login, password: campaign.staff[0]!.password });

/** The demo's two instructors (service concours), to try side by side. */
const instructors = campaign.staff.filter((s) => s.role === 'instruction');
if (instructors.length < 2) throw new Error('assets/demo-campaign.json: two staff accounts with role "instruction" wanted');
export const DEMO_INSTRUCTOR = Object.freeze({ login: instructors[0]!.login, password: instructors[0]!.password });
export const DEMO_SECOND_INSTRUCTOR = Object.freeze({ login: instructors[1]!.login, password: instructors[1]!.password });
