/**
 * The campaigns one server serves, read from campaign files (api-contract.md section 2) and
 * reloadable in place: documents and closures live in storage, keyed by dossier and piece, so
 * a reload (a moved deadline, a new candidate, a corrected label) loses nothing. A reload that
 * fails keeps the previous campaigns in service.
 */
import { readFileSync, writeFileSync, renameSync, openSync, fsyncSync, closeSync } from 'node:fs';
import path from 'node:path';
import { DateTime } from 'luxon';
import { DEFAULT_TIME_ZONE, parseCampaign, type Campaign, type CampaignPiece, type StaffRole } from '../src-shared/campaign';
import { AppError } from '../src-shared/errors';
import demoCampaignFile from '../assets/demo-campaign.json';
import { isPasswordHash, type Secret } from './passwords';

export type CampaignSource =
  | { kind: 'file'; path: string }
  | { kind: 'object'; value: unknown }
  | { kind: 'demo'; dataDir: string; now: () => Date };

export interface CandidateAccount {
  campaign: Campaign;
  dossier: string;
  lastName: string;
  firstName: string;
  secret: Secret;
}

export interface StaffAccount {
  login: string;
  role: StaffRole;
  secret: Secret;
  campaignIds: string[];
}

const DEMO_LIFETIME_DAYS = 14;
const DEMO_STATE_FILE = 'demo-first-load.json';

function writeFileDurably(file: string, text: string): void {
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, text);
  const fd = openSync(tmp, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}

/**
 * The demo campaign closes 14 days after the first time this data folder loaded it, at
 * midnight Paris time like a real campaign ("avant minuit"), so the demo shows the real wording.
 */
function demoCampaign(dataDir: string, now: () => Date): unknown {
  const stateFile = path.join(dataDir, DEMO_STATE_FILE);
  let firstLoad: Date | null = null;
  try {
    const saved = JSON.parse(readFileSync(stateFile, 'utf8')) as { firstLoadedAt?: unknown };
    if (typeof saved.firstLoadedAt === 'string' && !Number.isNaN(Date.parse(saved.firstLoadedAt)))
      firstLoad = new Date(saved.firstLoadedAt);
  } catch {
    firstLoad = null;
  }
  if (!firstLoad) {
    firstLoad = now();
    writeFileDurably(stateFile, JSON.stringify({ firstLoadedAt: firstLoad.toISOString() }) + '\n');
  }
  const { timeZone = DEFAULT_TIME_ZONE } = demoCampaignFile as { timeZone?: string };
  const closesOn = DateTime.fromJSDate(firstLoad, { zone: timeZone }).plus({ days: DEMO_LIFETIME_DAYS }).toISODate();
  return { ...demoCampaignFile, closesOn };
}

function readSource(source: CampaignSource): { value: unknown; origin: string } {
  switch (source.kind) {
    case 'file': {
      let text: string;
      try {
        text = readFileSync(source.path, 'utf8');
      } catch (err) {
        throw new AppError(
          'validation_failed',
          `Fichier de campagne illisible : ${source.path} (${(err as NodeJS.ErrnoException).code ?? 'erreur'}).`,
        );
      }
      try {
        return { value: JSON.parse(text.replace(/^\uFEFF/, '')), origin: source.path };
      } catch {
        throw new AppError('validation_failed', `Fichier de campagne invalide : ${source.path} n'est pas du JSON.`);
      }
    }
    case 'object':
      return { value: source.value, origin: 'campagne fournie' };
    case 'demo':
      return { value: demoCampaign(source.dataDir, source.now), origin: 'campagne de démonstration' };
  }
}

function secretOf(entry: { password?: string; passwordHash?: string }, who: string): Secret {
  if (entry.passwordHash !== undefined) {
    if (!isPasswordHash(entry.passwordHash))
      throw new AppError(
        'validation_failed',
        `Fichier de campagne invalide : « passwordHash » de ${who} n'est pas au format de « hash-password ».`,
      );
    return { hash: entry.passwordHash };
  }
  return { plain: entry.password! };
}

interface Loaded {
  campaigns: Map<string, Campaign>;
  candidates: Map<string, CandidateAccount>;
  staff: Map<string, StaffAccount>;
}

function loadAll(sources: CampaignSource[]): Loaded {
  const loaded: Loaded = { campaigns: new Map(), candidates: new Map(), staff: new Map() };
  for (const source of sources) {
    const { value, origin } = readSource(source);
    let campaign: Campaign;
    try {
      campaign = parseCampaign(value);
    } catch (err) {
      if (err instanceof AppError) throw new AppError(err.code, `${origin} : ${err.message}`);
      throw err;
    }
    if (loaded.campaigns.has(campaign.id))
      throw new AppError('validation_failed', `${origin} : la campagne « ${campaign.id} » est chargée deux fois.`);
    loaded.campaigns.set(campaign.id, campaign);
    for (const c of campaign.candidates) {
      if (loaded.candidates.has(c.dossier))
        throw new AppError(
          'validation_failed',
          `${origin} : le dossier « ${c.dossier} » existe déjà dans une autre campagne.`,
        );
      loaded.candidates.set(c.dossier, {
        campaign,
        dossier: c.dossier,
        lastName: c.lastName,
        firstName: c.firstName,
        secret: secretOf(c, `« ${c.dossier} »`),
      });
    }
    for (const s of campaign.staff ?? []) {
      const existing = loaded.staff.get(s.login);
      // One login listed by several campaigns is one agent: the first entry's password counts.
      // A second entry may not widen what the agent may do: the roles must agree.
      const role = s.role ?? 'guichet';
      if (existing && existing.role !== role)
        throw new AppError(
          'validation_failed',
          `${origin} : l'agent « ${s.login} » a le rôle « ${role} » ici et « ${existing.role} » dans une autre campagne.`,
        );
      if (existing) existing.campaignIds.push(campaign.id);
      else
        loaded.staff.set(s.login, {
          login: s.login,
          role,
          secret: secretOf(s, `l'agent « ${s.login} »`),
          campaignIds: [campaign.id],
        });
    }
  }
  return loaded;
}

export class CampaignRegistry {
  private state: Loaded;

  constructor(private readonly sources: CampaignSource[]) {
    this.state = loadAll(sources);
  }

  /** Reads every source again; on any error the campaigns in service stay as they were. */
  reload(): void {
    this.state = loadAll(this.sources);
  }

  list(): Campaign[] {
    return [...this.state.campaigns.values()];
  }

  campaign(id: string): Campaign | undefined {
    return this.state.campaigns.get(id);
  }

  /** Every dossier of every campaign, as storage indexes them for staff search. */
  identities(): { dossier: string; campaignId: string; lastName: string; firstName: string }[] {
    return [...this.state.candidates.values()].map((c) => ({
      dossier: c.dossier,
      campaignId: c.campaign.id,
      lastName: c.lastName,
      firstName: c.firstName,
    }));
  }

  candidate(dossier: string): CandidateAccount | undefined {
    return this.state.candidates.get(dossier);
  }

  staff(login: string): StaffAccount | undefined {
    return this.state.staff.get(login);
  }
}

export function findPiece(campaign: Campaign, pieceId: string): CampaignPiece | undefined {
  return campaign.pieces.find((p) => p.id === pieceId);
}

/** Required pieces that may not come after closure: without a document, they block it. */
export function blockingPieces(campaign: Campaign): string[] {
  return campaign.pieces.filter((p) => p.required && !p.lateAllowed).map((p) => p.id);
}
