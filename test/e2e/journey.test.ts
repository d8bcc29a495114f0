/**
 * The whole procedure, as a candidate does it, in Chromium through the browser host, against a
 * real companion API started with the demo campaign.
 */
import { mkdir, mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser';
import { CORPUS, ROOT, startNode, type Running } from '../support/processes';

const SCREENS = path.join(ROOT, 'test-results', 'screens');
let api: Running;
let host: Running;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  const data = await mkdtemp(path.join(os.tmpdir(), 'journey-'));
  await mkdir(SCREENS, { recursive: true });
  api = await startNode('dist/server/cli.js', ['--demo', '--port', '0', '--data', path.join(data, 'api')], /listening (http:\/\/\S+)/);
  host = await startNode(
    'dist/browser-host/cli.js',
    ['--api', api.match[1]!, '--port', '0', '--data', path.join(data, 'host')],
    /ready (http:\/\/\S+)/,
  );
  browser = await launchChromium();
  page = await browser.newPage({ locale: 'fr-FR', timezoneId: 'America/Martinique', viewport: { width: 1100, height: 900 } });
  await page.goto(host.match[1]!);
});

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  await api?.stop();
});

const shot = (name: string) => page.screenshot({ path: path.join(SCREENS, `${name}.png`), fullPage: true });

async function addDocument(pieceLabel: string, file: string) {
  await page.getByRole('button', { name: `Ajouter un document : ${pieceLabel}` }).click();
  await page.getByLabel('Choisir un fichier').setInputFiles(file);
  await page.getByRole('button', { name: 'Ajouter le fichier' }).click();
}

describe('a candidate sends the pieces and closes the dossier', () => {
  it('sees the deadline in Paris time and in their own time zone on the welcome screen', async () => {
    await expect.poll(() => page.getByText(/avant minuit/).count()).toBeGreaterThan(0);
    await expect.poll(() => page.getByText(/Chez vous \(America\/Martinique\)/).count()).toBe(1);
    await expect.poll(() => page.getByText(/Il reste 1[34] jours/).count()).toBe(1);
    await shot('1-accueil');
    await page.getByRole('button', { name: 'Commencer' }).click();
  });

  it('is told plainly when the password is wrong, then logs in', async () => {
    await page.getByLabel('Identifiant (n° de dossier)').fill('DEMO-00001');
    await page.getByLabel('Mot de passe').fill('mauvais');
    await page.getByRole('button', { name: 'Connexion' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('mot de passe est incorrect');
    await shot('2-connexion-erreur');
    await page.getByLabel('Mot de passe').fill('demo-lea-2027');
    await page.getByRole('button', { name: 'Connexion' }).click();
    await page.getByRole('heading', { name: 'Mes pièces' }).waitFor();
    expect(await page.getByText('À fournir').count()).toBe(4);
    await shot('3-mes-pieces');
  });

  it('adds a JPEG to the identity piece: "Fichier enregistré", OK', async () => {
    await addDocument("Pièce d'identité", path.join(CORPUS, 'images', 'jpeg-exif-orientation-1-landscape.jpg'));
    await page.getByRole('heading', { name: 'Fichier enregistré' }).waitFor();
    await shot('4-fichier-enregistre');
    await page.getByRole('button', { name: 'OK' }).click();
    await page.getByRole('button', { name: /jpeg-exif-orientation-1-landscape\.jpg/ }).waitFor();
    expect(await page.getByRole('button', { name: "Ajouter un document : Pièce d'identité" }).count()).toBe(0);
  });

  it('is refused a Word file with a French reason, and nothing is sent', async () => {
    await page.getByRole('button', { name: 'Ajouter un document : Curriculum vitae' }).click();
    await page.getByLabel('Choisir un fichier').setInputFiles(path.join(CORPUS, 'not-documents', 'docx-word-document.docx'));
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('Enregistrer sous');
    expect(await page.getByRole('button', { name: 'Ajouter le fichier' }).isDisabled()).toBe(true);
    await shot('5-fichier-refuse');
    await page.getByRole('button', { name: 'Annuler' }).click();
  });

  it('adds a PDF diploma', async () => {
    await addDocument('Copie du diplôme', path.join(CORPUS, 'pdf', 'pdf-simple-text-pdflatex.pdf'));
    await page.getByRole('button', { name: 'OK' }).click();
    await page.getByRole('button', { name: /pdf-simple-text-pdflatex\.pdf/ }).waitFor();
  });

  it('sees, deletes and adds again a document through "Gestion du document"', async () => {
    await page.getByRole('button', { name: /jpeg-exif-orientation-1-landscape\.jpg/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Gestion du document' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Voir' }).click();
    await dialog.getByRole('img', { name: /Aperçu/ }).waitFor();
    await expect.poll(() => dialog.getByRole('img').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
    await shot('6-gestion-voir');
    await dialog.getByRole('button', { name: 'Supprimer' }).click();
    await dialog.getByRole('button', { name: 'Oui, supprimer' }).click();
    await dialog.getByText('Le document a été supprimé.').waitFor();
    await dialog.getByRole('button', { name: 'Fermer' }).click();
    await page.getByRole('button', { name: "Ajouter un document : Pièce d'identité" }).waitFor();
    await addDocument("Pièce d'identité", path.join(CORPUS, 'images', 'jpeg-grayscale-single-channel.jpg'));
    await page.getByRole('button', { name: 'OK' }).click();
  });

  it('closes the dossier after an explicit confirmation', async () => {
    await page.getByRole('button', { name: 'Clôturer mon inscription' }).click();
    await page.getByText('Pièces que vous pourrez envoyer après la clôture').waitFor();
    const close = page.getByRole('button', { name: 'Clôturer mon inscription' });
    expect(await close.isDisabled()).toBe(true);
    await page.getByLabel(/la clôture est définitive/).check();
    await shot('7-cloture');
    await close.click();
    await page.getByText("Votre dossier est clôturé, il est en cours d'instruction.").waitFor();
    await page.getByRole('heading', { name: 'Accusé de clôture' }).waitFor();
    await shot('8-suivi');
  });

  it('may still add a piece that is allowed after closure', async () => {
    await addDocument('État des services', path.join(CORPUS, 'pdf', 'pdf-scanned-image-only-page.pdf'));
    await page.getByRole('heading', { name: 'Fichier enregistré' }).waitFor();
    await page.getByRole('button', { name: 'OK' }).click();
    await page.getByRole('button', { name: /pdf-scanned-image-only-page\.pdf/ }).waitFor();
  });
});
