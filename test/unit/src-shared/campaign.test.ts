import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCampaign, pieceMaxBytes } from '../../../src-shared/campaign';
import { AppError } from '../../../src-shared/errors';

const demo = JSON.parse(readFileSync(new URL('../../../assets/demo-campaign.json', import.meta.url), 'utf8'));

function codeOf(input: unknown): string | null {
  try {
    parseCampaign(input);
    return null;
  } catch (error) {
    return error instanceof AppError ? error.code : 'thrown';
  }
}

describe('campaign file', () => {
  it('reads the demo campaign, with defaults and its deadline resolved', () => {
    const campaign = parseCampaign(demo);
    expect(campaign.timeZone).toBe('Europe/Paris');
    expect(campaign.closesAtInstant.toISOString()).toBe('2027-04-27T22:00:00.000Z');
    const cv = campaign.pieces.find((p) => p.id === 'cv')!;
    const identite = campaign.pieces.find((p) => p.id === 'identite')!;
    expect(pieceMaxBytes(campaign, cv)).toBe(5 * 1024 * 1024);
    expect(pieceMaxBytes(campaign, identite)).toBe(10 * 1024 * 1024);
  });

  it.each([
    ['both deadline forms', { ...demo, closesAt: '2027-04-27T22:00:00Z' }],
    ['no deadline', { ...demo, closesOn: undefined }],
    ['a duplicated piece', { ...demo, pieces: [demo.pieces[0], demo.pieces[0]] }],
    ['a duplicated dossier', { ...demo, candidates: [demo.candidates[0], demo.candidates[0]] }],
    ['a candidate without password', { ...demo, candidates: [{ dossier: 'X', lastName: 'A', firstName: 'B' }] }],
    ['a wrong type', { ...demo, maxBytes: '10 Mo' }],
    ['not an object', 'campagne'],
  ])('refuses %s', (_name, input) => {
    expect(codeOf(input)).toBe('validation_failed');
  });
});
