/**
 * Counter mode in Chromium through the browser host, against a real companion API: a candidate
 * works with a scanner and a staff look-up, then "Nouveau candidat" (and, in a second host,
 * inactivity) wipes every trace: the data folder is searched byte by byte, and the page too.
 */
import { copyFile, mkdir, mkdtemp, readdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../support/browser';
import { JPEG_SOI, PDF_MAGIC, recordTokens, text, tracesUnder, type TokenRecorder } from '../../support/counter-traces';
import { DEMO_PEOPLE, DEMO_STAFF } from '../../support/demo';
import { corpusDir } from '../../support/paths';
import { startDemoApi, startNode, type Running, type RunningApi } from '../../support/processes';
import { expectNoAxeViolations, logInFromWelcome, screenshot } from '../../support/renderer-e2e';

const { lea: LEA, paul: PAUL } = DEMO_PEOPLE;
const SCAN_NAME = 'scan-identite-0001.jpg';

let root: string;
let api: RunningApi;
let proxy: TokenRecorder;
let browser: Browser;
const hosts: Running[] = [];

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'counter-e2e-'));
  api = await startDemoApi(path.join(root, 'api'));
  proxy = await recordTokens(api.url);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  for (const host of hosts) await host.stop();
  await proxy?.close();
  await api?.stop();
});

async function startCounterHost(name: string, extra: string[]): Promise<{ page: Page; data: string }> {
  const data = path.join(root, name);
  const host = await startNode(
    'dist/browser-host/cli.js',
    ['--api', proxy.url, '--port', '0', '--data', data, '--counter', ...extra],
    /ready (http:\/\/\S+)/,
  );
  hosts.push(host);
  const page = await (await browser.newContext({ locale: 'fr-FR', viewport: { width: 1100, height: 900 } })).newPage();
  await page.goto(host.match[1]!);
  await page.getByRole('button', { name: 'Nouveau candidat' }).waitFor();
  return { page, data };
}

async function logIn(page: Page, who: typeof LEA) {
  await logInFromWelcome(page, who);
  await page.getByRole('heading', { name: 'Mes pièces' }).waitFor();
}

function candidateNeedles(who: typeof LEA) {
  return [
    text('dossier number', who.dossier),
    text('first name', who.firstName),
    text('last name', who.lastName),
    ...proxy.tokens.map((t, i) => text(`token ${i}`, t)),
    ...proxy.deviceTokens.map((t, i) => text(`device token ${i}`, t)),
    JPEG_SOI,
    PDF_MAGIC,
  ];
}

/** Nothing of the candidate in the page: neither shown nor left in the DOM. */
async function expectPageClean(page: Page, who: typeof LEA, more: string[] = []) {
  const html = await page.content();
  for (const value of [who.dossier, who.firstName, who.lastName, ...more]) expect(html).not.toContain(value);
}

describe('counter mode: "Nouveau candidat" wipes every trace of the candidate', () => {
  let page: Page;
  let data: string;
  let scans: string;

  beforeAll(async () => {
    scans = path.join(root, 'scanner');
    await mkdir(scans, { recursive: true });
    ({ page, data } = await startCounterHost('host-a', ['--scan-folder', scans, '--idle-seconds', '3600']));
  });

  it('offers what the scanner saves for the current document, and sends it', async () => {
    await logIn(page, LEA);
    await expectNoAxeViolations(page, 'Mes pièces au guichet');
    await page.getByRole('button', { name: "Ajouter un document : Pièce d'identité" }).click();
    await page.getByText('Documents du scanner').waitFor();
    await copyFile(path.join(corpusDir, 'images', 'jpeg-exif-orientation-1-landscape.jpg'), path.join(scans, SCAN_NAME));
    await page.getByText(new RegExp(SCAN_NAME)).waitFor();
    await expectNoAxeViolations(page, 'Documents du scanner');
    await page.getByText(new RegExp(SCAN_NAME)).click();
    expect(await page.getByRole('checkbox', { name: new RegExp(SCAN_NAME) }).isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Utiliser les scans choisis' }).click();
    const send = page.getByRole('button', { name: 'Ajouter le fichier' });
    await expect.poll(() => send.isEnabled(), { timeout: 30_000 }).toBe(true);
    await send.click();
    await page.getByRole('heading', { name: 'Fichier enregistré' }).waitFor();
    await page.getByRole('button', { name: 'OK' }).click();
  });

  it('keeps the chosen files on this computer while they are being arranged', async () => {
    await page.getByRole('button', { name: 'Ajouter un document : Copie du diplôme' }).click();
    // A PDF and a photo at once (they would become one PDF): both stay on disk while arranged.
    await page
      .locator('input[type=file]')
      .setInputFiles([
        path.join(corpusDir, 'pdf', 'pdf-simple-text-pdflatex.pdf'),
        path.join(corpusDir, 'images', 'jpeg-exif-orientation-6-landscape.jpg'),
      ]);
    await page.getByRole('heading', { name: "Votre document, tel qu'il sera envoyé" }).waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Annuler' }).click();
    // The search below must be able to fail: the documents are on disk before the wipe.
    const before = await tracesUnder(data, candidateNeedles(LEA));
    expect(before.some((t) => t.endsWith(PDF_MAGIC.label))).toBe(true);
    expect(before.some((t) => t.endsWith(JPEG_SOI.label))).toBe(true);
  });

  it('lets staff look a dossier up with their own account: state and missing pieces', async () => {
    await page.getByRole('button', { name: 'Consulter un dossier (agent)' }).click();
    await page.getByLabel("Identifiant d'agent").fill(DEMO_STAFF.login);
    await page.getByLabel("Mot de passe d'agent").fill(DEMO_STAFF.password);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByLabel('Numéro de dossier à consulter').fill(LEA.dossier);
    await page.getByRole('button', { name: 'Consulter', exact: true }).click();
    const view = page.getByRole('region', { name: new RegExp(`Dossier n° ${LEA.dossier}`) });
    await view.getByText('Pas encore clôturé.').waitFor();
    expect(await view.getByRole('listitem').filter({ hasText: 'Copie du diplôme' }).count()).toBeGreaterThan(0);
    expect(await view.textContent()).toContain("Pièce d'identité : 1");
    await expectNoAxeViolations(page, 'Consulter un dossier');
    await page.getByRole('button', { name: 'Fermer', exact: true }).click();
    expect(proxy.tokens.length).toBe(2);
  });

  it('offers large text for the counter screen', async () => {
    const size = () => page.evaluate(() => getComputedStyle(document.documentElement).fontSize);
    const before = await size();
    await page.getByRole('button', { name: 'Grands caractères' }).click();
    await expect.poll(size).not.toBe(before);
    expect(parseFloat(await size())).toBeGreaterThan(parseFloat(before));
    await page.getByRole('button', { name: 'Grands caractères' }).click();
    await expect.poll(size).toBe(before);
  });

  it('after "Nouveau candidat", no file holds the dossier, the name, a token or a document, and the screen is blank', async () => {
    await page.getByRole('button', { name: 'Nouveau candidat' }).click();
    await page.getByRole('dialog', { name: 'Passer au candidat suivant ?' }).waitFor();
    await expectNoAxeViolations(page, 'Nouveau candidat');
    await page.getByRole('button', { name: 'Oui, nouveau candidat' }).click();
    await page.getByRole('button', { name: 'Commencer' }).waitFor();

    expect(await tracesUnder(data, candidateNeedles(LEA))).toEqual([]);
    expect(await readdir(scans)).toEqual([]);
    await expectPageClean(page, LEA, [SCAN_NAME, 'pdf-simple-text-pdflatex', DEMO_STAFF.login]);

    // The sessions ended on the server too: the tokens are worthless now.
    for (const token of proxy.tokens) {
      const answer = await fetch(`${api.match[1]}/api/v1/staff/dossiers/${LEA.dossier}`, {
        headers: { Authorization: `Bearer ${token}` },
      });
      expect(answer.status).toBe(401);
    }
    // And the staff must log in again.
    await page.getByRole('button', { name: 'Consulter un dossier (agent)' }).click();
    await page.getByLabel("Identifiant d'agent").waitFor();
    await page.getByRole('button', { name: 'Fermer' }).click();
  });
});

describe('counter mode: inactivity', () => {
  it('warns first, keeps the session on a touch, then wipes on its own', async () => {
    // 21 s without a touch ends the session; the warning comes 7 s before (a third of it).
    const { page, data } = await startCounterHost('host-b', ['--idle-seconds', '21']);
    await logIn(page, PAUL);
    const warning = page.getByRole('dialog', { name: 'Êtes-vous toujours là ?' });
    await warning.waitFor({ timeout: 30_000 });
    const touched = Date.now();
    await page.getByRole('button', { name: 'Je continue' }).click();
    await warning.waitFor({ state: 'detached' });
    // The warning came 14 s after the last touch, so the first deadline was at most 7 s after
    // this one (a wipe then would show within a second or two). Well past it, and before a new
    // warning (14 s after the touch), the session must still be there, untouched.
    await page.waitForTimeout(Math.max(0, touched + 11_500 - Date.now()));
    expect(await page.getByRole('heading', { name: 'Mes pièces' }).count()).toBe(1);
    expect(await warning.count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Commencer' }).count()).toBe(0);

    await page.getByRole('button', { name: 'Commencer' }).waitFor({ timeout: 30_000 });
    // Counted from the touch, not from the login.
    expect(Date.now() - touched).toBeGreaterThanOrEqual(20_000);
    await expectPageClean(page, PAUL);
    expect(await tracesUnder(data, candidateNeedles(PAUL))).toEqual([]);
  });
});

describe('"Réglages du guichet": where staff look for it, never under a candidate\'s checklist', () => {
  it('outside counter mode, a discreet staff line of the welcome screen only; once on, in the counter bar', async () => {
    const host = await startNode(
      'dist/browser-host/cli.js',
      ['--api', api.match[1]!, '--port', '0', '--data', path.join(root, 'host-c')],
      /ready (http:\/\/\S+)/,
    );
    hosts.push(host);
    const page = await (await browser.newContext({ locale: 'fr-FR', viewport: { width: 1100, height: 900 } })).newPage();
    await page.goto(host.match[1]!);
    const settings = page.getByRole('button', { name: 'Réglages du guichet' });
    await settings.waitFor();
    expect(await page.getByText('Vous êtes agent du centre de gestion ?').count()).toBe(1);
    await screenshot(page, '30-accueil-ligne-agent');

    await logIn(page, PAUL);
    expect(await settings.count()).toBe(0);
    await page.getByRole('button', { name: 'Se déconnecter' }).click();

    await settings.click();
    const dialog = page.getByRole('dialog', { name: 'Réglages du guichet' });
    await dialog.getByText(/^Mode guichet/).click();
    await dialog.getByLabel("Identifiant d'agent").fill(DEMO_STAFF.login);
    await dialog.getByLabel("Mot de passe d'agent").fill(DEMO_STAFF.password);
    await expectNoAxeViolations(page, 'Réglages du guichet');
    await dialog.getByRole('button', { name: 'Enregistrer les réglages' }).click();

    const bar = page.getByRole('region', { name: 'Guichet' });
    await bar.getByRole('button', { name: 'Nouveau candidat' }).waitFor();
    expect(await bar.getByRole('button', { name: 'Réglages du guichet' }).count()).toBe(1);
    expect(await page.getByText('Vous êtes agent du centre de gestion ?').count()).toBe(0);
    await logIn(page, PAUL);
    expect(await settings.count()).toBe(1);
    await expectNoAxeViolations(page, 'Mes pièces, mode guichet activé');
    await screenshot(page, '31-guichet-barre');
  });
});
