/**
 * What the renderer's end-to-end tests share: a real companion API (demo campaign) and the
 * browser host in their own temporary folder, Debian's Chromium, screenshots, axe-core checks,
 * and keyboard helpers.
 */
import { mkdir, mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { expect } from 'vitest';
import { launchChromium } from './browser';
import { DEMO_CAMPAIGN_TITLE } from './demo';
import { startFaultProxy, type FaultProxy } from './fault-proxy';
import { projectRoot } from './paths';
import { startDemoApi, startNode, type Running } from './processes';

/** How long a state may take to appear on a busy 2-core machine: waited for, never slept. */
export const POLL = { timeout: 20_000 };

export const SCREENS = path.join(projectRoot, 'test-results', 'screens');

export interface Stack {
  api: Running;
  apiUrl: string;
  host: Running;
  browser: Browser;
  page: Page;
  /** Between the browser host and the API when asked for: plays the network going down. */
  proxy: FaultProxy | null;
  close(): Promise<void>;
}

export async function startStack(
  name: string,
  context: BrowserContextOptions,
  options: { faultProxy?: boolean } = {},
): Promise<Stack> {
  const data = await mkdtemp(path.join(os.tmpdir(), `${name}-`));
  await mkdir(SCREENS, { recursive: true });
  const api = await startDemoApi(path.join(data, 'api'));
  const proxy = options.faultProxy ? await startFaultProxy(Number(new URL(api.url).port)) : null;
  const host = await startNode(
    'dist/browser-host/cli.js',
    ['--api', proxy?.url ?? api.url, '--port', '0', '--data', path.join(data, 'host')],
    /ready (http:\/\/\S+)/,
  );
  const browser = await launchChromium();
  const page = await (await browser.newContext({ locale: 'fr-FR', acceptDownloads: true, ...context })).newPage();
  await page.goto(host.match[1]!);
  return {
    api,
    apiUrl: api.url,
    host,
    browser,
    page,
    proxy,
    async close() {
      await browser.close();
      await host.stop();
      await proxy?.close();
      await api.stop();
    },
  };
}

/** The whole page, or, while a dialog is open, the window (a full-page shot would cut the overlay). */
export async function screenshot(page: Page, name: string): Promise<Buffer> {
  const dialogOpen = (await page.locator('.overlay').count()) > 0;
  return page.screenshot({ path: path.join(SCREENS, `${name}.png`), fullPage: !dialogOpen });
}

/** WCAG 2.1 A and AA rules of axe-core on what is on screen now (dialogs included). */
export async function expectNoAxeViolations(page: Page, where: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const violations = results.violations.map((v) => `${where}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(violations).toEqual([]);
}

/** At 200 % zoom nothing may need a horizontal scroll bar (WCAG 1.4.10 reflow). */
export async function expectNoHorizontalScroll(page: Page): Promise<void> {
  const overflow = await page.evaluate(() => {
    const overlay = document.querySelector('.overlay');
    const scroller = document.scrollingElement!;
    const pageOverflow = scroller.scrollWidth - scroller.clientWidth;
    const dialogOverflow = overlay ? overlay.scrollWidth - overlay.clientWidth : 0;
    return Math.max(pageOverflow, dialogOverflow);
  });
  expect(overflow).toBeLessThanOrEqual(0);
}

/** The accessible name of the focused element, roughly as a screen reader would say it. */
export function focusedName(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return '';
    const labelledBy = el.getAttribute('aria-labelledby');
    if (labelledBy)
      return labelledBy
        .split(' ')
        .map((id) => document.getElementById(id)?.textContent ?? '')
        .join(' ')
        .trim();
    const label = el.getAttribute('aria-label') ?? (el as HTMLInputElement).labels?.[0]?.textContent ?? el.textContent ?? '';
    return label.replace(/\s+/g, ' ').trim();
  });
}

/** Presses Tab until the focused element's name matches (a keyboard user can reach it), or fails. */
export async function tabTo(page: Page, name: RegExp, maxPresses = 60): Promise<void> {
  const seen: string[] = [];
  for (let i = 0; i < maxPresses; i++) {
    await page.keyboard.press('Tab');
    const current = await focusedName(page);
    if (name.test(current)) return;
    seen.push(current);
  }
  throw new Error(`${name} not reached with Tab; focus went through: ${seen.join(' | ')}`);
}

/**
 * The welcome screen once it has stopped moving: the campaign's card, then its countdown. Both
 * come after the screen (the campaign from the API, the countdown with the server's clock) and
 * each pushes « Commencer » down. A press begun before them can end beside the button, the
 * pointer coming up over the card: the press is lost and the login screen never shows.
 */
export async function welcomeSettled(page: Page, wait: { timeout: number } = POLL): Promise<void> {
  const card = page.locator('.deadline-card', { has: page.getByRole('heading', { level: 2, name: DEMO_CAMPAIGN_TITLE }) });
  await card.getByRole('timer').waitFor(wait);
}

/** From the welcome screen, once settled, « Commencer », up to the login screen's heading. */
export async function startAsCandidate(page: Page, wait: { timeout: number } = POLL): Promise<void> {
  await welcomeSettled(page, wait);
  // Playwright presses only a button visible, enabled and in the same place two frames running.
  await page.getByRole('button', { name: 'Commencer' }).click(wait);
  await page.getByRole('heading', { level: 1, name: 'Connexion' }).waitFor(wait);
}

/** From the welcome screen: « Commencer », the dossier number and password, « Connexion ». */
export async function logInFromWelcome(page: Page, credentials: { dossier: string; password: string }): Promise<void> {
  await startAsCandidate(page);
  await page.getByLabel('Identifiant (n° de dossier)').fill(credentials.dossier);
  await page.getByLabel('Mot de passe').fill(credentials.password);
  await page.getByRole('button', { name: 'Connexion' }).click();
}
