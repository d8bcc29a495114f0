/**
 * The renderer end-to-end tests' way in: « Commencer » is pressed only once the welcome screen
 * has stopped moving. The campaign's answer is held back: the button is there and pressable,
 * yet nothing may press it until the campaign's card has come above it.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAsCandidate, startStack, type Stack } from '../../support/renderer-e2e';

let stack: Stack;
let page: Page;
let releaseCampaigns: () => void;

beforeAll(async () => {
  stack = await startStack('start-as-candidate', { viewport: { width: 1100, height: 900 } });
  page = await (await stack.browser.newContext({ locale: 'fr-FR', viewport: { width: 1100, height: 900 } })).newPage();
  const campaignsReleased = new Promise<void>((resolve) => (releaseCampaigns = resolve));
  await page.route('**/bridge/listCampaigns', async (route) => {
    await campaignsReleased;
    await route.continue();
  });
  // Every press on « Commencer », and whether the campaign's card was on screen at that moment.
  await page.addInitScript(() => {
    const presses: boolean[] = [];
    Object.assign(window, { presses });
    document.addEventListener(
      'pointerdown',
      (event) => {
        const button = (event.target as Element).closest('button');
        if (button?.textContent?.trim() === 'Commencer') presses.push(document.querySelector('.deadline-card') !== null);
      },
      true,
    );
  });
  await page.goto(stack.host.match[1]!);
});

afterAll(async () => {
  await stack?.close();
});

const presses = () => page.evaluate(() => (window as unknown as { presses: boolean[] }).presses);

describe('startAsCandidate', () => {
  it('does not press « Commencer » while the campaign has not come, though the button is there', async () => {
    await page.getByRole('button', { name: 'Commencer' }).click({ trial: true });
    await expect(startAsCandidate(page, { timeout: 2_000 })).rejects.toThrow(/Timeout 2000ms exceeded/);
    expect(await presses()).toEqual([]);
  });

  it('presses it once the card is shown, and waits for the login screen', async () => {
    releaseCampaigns();
    await startAsCandidate(page);
    expect(await presses()).toEqual([true]);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Connexion');
  });
});
