/**
 * The whole journey with the keyboard alone, at 200 % zoom (a 1280 × 900 screen zoomed twice is
 * a 640 × 450 window): every control reached with Tab, pressed with Enter or Space, the focus
 * where a person expects it after each step, no horizontal scrolling, and axe-core clean.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PAUL } from '../../support/demo';
import { corpusDir } from '../../support/paths';
import {
  expectNoAxeViolations,
  expectNoHorizontalScroll,
  focusedName,
  screenshot,
  startStack,
  tabTo,
  POLL,
  type Stack,
  welcomeSettled,
} from '../../support/renderer-e2e';

let stack: Stack;
let page: Page;

beforeAll(async () => {
  stack = await startStack('keyboard', { timezoneId: 'Europe/Paris', viewport: { width: 640, height: 450 } });
  page = stack.page;
});

afterAll(async () => {
  await stack?.close();
});

async function checkScreen(name: string) {
  await expectNoHorizontalScroll(page);
  await expectNoAxeViolations(page, name);
  await screenshot(page, `zoom200-${name}`);
}

/** Chooses files from the file picker that the focused "Choisir un fichier" button opens with Enter. */
async function chooseWithKeyboard(file: string) {
  await tabTo(page, /^Choisir un fichier$/);
  const chooser = page.waitForEvent('filechooser');
  await page.keyboard.press('Enter');
  await (await chooser).setFiles(file);
  await expect.poll(() => focusedName(page), { timeout: 60_000 }).toBe("Votre document, tel qu'il sera envoyé");
}

async function addWithKeyboard(pieceLabel: string, file: string) {
  await tabTo(page, new RegExp(`^Ajouter un document : ${pieceLabel}$`));
  await page.keyboard.press('Enter');
  await page.getByRole('dialog').waitFor();
  await chooseWithKeyboard(file);
  await tabTo(page, /^Ajouter le fichier$/);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Fichier enregistré' }).waitFor();
  await expect.poll(() => focusedName(page), POLL).toBe('OK');
  await page.keyboard.press('Enter');
  await expect.poll(() => focusedName(page), POLL).toBe(pieceLabel);
}

describe('the journey with the keyboard alone, at 200 % zoom', () => {
  it('starts from the welcome screen and logs in', async () => {
    // Pressed with Enter, « Commencer » does not care where it is; the screen's checks below do.
    await welcomeSettled(page);
    expect(await page.getByRole('timer').count()).toBe(1);
    // Same time zone as Paris: no second time is shown.
    expect(await page.getByText(/Chez vous|heure de votre ordinateur/).count()).toBe(0);
    await checkScreen('accueil');
    await tabTo(page, /^Commencer$/);
    await page.keyboard.press('Enter');
    await expect.poll(() => focusedName(page), POLL).toBe('Connexion');
    await checkScreen('connexion');
    await tabTo(page, /^Identifiant/);
    await page.keyboard.type(DEMO_PAUL.dossier);
    await page.keyboard.press('Tab');
    expect(await focusedName(page)).toBe('Mot de passe');
    await page.keyboard.type(DEMO_PAUL.password);
    await page.keyboard.press('Enter');
    await expect.poll(() => focusedName(page), POLL).toBe('Mes pièces');
    await checkScreen('mes-pieces');
  });

  it('adds a document, arranging it with the keyboard first', async () => {
    await tabTo(page, /^Ajouter un document : Pièce d'identité$/);
    await page.keyboard.press('Enter');
    await page.getByRole('dialog').waitFor();
    await chooseWithKeyboard(path.join(corpusDir, 'images', 'jpeg-exif-orientation-8-portrait.jpg'));
    await tabTo(page, /^Tourner la page 1 vers la droite$/);
    await page.keyboard.press('Enter');
    // The focus stays on the button, so pressing again turns the page again.
    await expect.poll(() => focusedName(page), POLL).toBe('Tourner la page 1 vers la droite');
    await expect.poll(() => page.getByRole('button', { name: 'Ajouter le fichier' }).isEnabled(), { timeout: 60_000 }).toBe(true);
    expect(await page.getByRole('dialog').locator('.page-grid img').getAttribute('alt')).toMatch(/tournée de 90 degrés/);
    await checkScreen('ajouter-apercu');
    await tabTo(page, /^Ajouter le fichier$/);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Fichier enregistré' }).waitFor();
    await expect.poll(() => focusedName(page), POLL).toBe('OK');
    await checkScreen('fichier-enregistre');
    await page.keyboard.press('Enter');
    await expect.poll(() => focusedName(page), POLL).toBe("Pièce d'identité");
  });

  it('closes a dialog with Escape, the focus going back to the button that opened it', async () => {
    await tabTo(page, /^Ajouter un document : Curriculum vitae$/);
    await page.keyboard.press('Enter');
    await page.getByRole('dialog').waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await expect.poll(() => focusedName(page), POLL).toBe('Ajouter un document : Curriculum vitae');
  });

  it('adds the diploma, then closes the dossier with the keyboard', async () => {
    await addWithKeyboard('Copie du diplôme', path.join(corpusDir, 'pdf', 'pdf-simple-text-pdflatex.pdf'));
    await tabTo(page, /^Clôturer mon inscription$/);
    await page.keyboard.press('Enter');
    await expect.poll(() => focusedName(page), POLL).toBe('Clôturer mon inscription');
    await checkScreen('cloture');
    await tabTo(page, /la clôture est définitive/);
    await page.keyboard.press('Space');
    expect(await page.getByRole('checkbox').isChecked()).toBe(true);
    await tabTo(page, /^Clôturer mon inscription$/);
    await page.keyboard.press('Enter');
    await page.getByText("Votre dossier est clôturé, il est en cours d'instruction.").waitFor();
    await expect.poll(() => focusedName(page), POLL).toBe('Suivi de mon dossier');
    await page.getByRole('heading', { name: 'Accusé de clôture' }).waitFor();
    await checkScreen('suivi');
    await tabTo(page, /^Imprimer l'accusé$/);
    await tabTo(page, /^Ajouter un document : État des services$/);
  });
});
