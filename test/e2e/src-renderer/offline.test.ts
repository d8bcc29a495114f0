/**
 * Offline with the copy of the dossier kept on this computer, in Chromium through the browser
 * host: the line to the companion API goes down and the app is opened again. The candidate sees
 * the checklist, is told it is a copy and from when, adds a document (it waits on this
 * computer, and the count of required pieces says so), cannot close and is told why; the line
 * comes back, the document goes, the note leaves and closing is possible again.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_MAI } from '../../support/demo';
import { corpusDir as CORPUS } from '../../support/paths';
import { expectNoAxeViolations, focusedName, logInFromWelcome, POLL, screenshot, startStack, type Stack } from '../../support/renderer-e2e';

let stack: Stack;
let page: Page;

beforeAll(async () => {
  stack = await startStack('offline', { timezoneId: 'Europe/Paris', viewport: { width: 1100, height: 900 } }, { faultProxy: true });
  page = stack.page;
});

afterAll(async () => {
  await stack?.close();
});

const note = () => page.getByRole('region', { name: /Pas de connexion avec le centre de gestion/ });
const pieceState = (label: string) =>
  page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: label }) }).locator('.state');
const closeButton = () => page.getByRole('button', { name: 'Clôturer mon inscription' });
const requiredCount = () => page.locator('.summary').textContent();

/** Adds a corpus file to a piece through the dialog, as a candidate does. */
async function addFile(pieceLabel: string, corpusFile: string): Promise<void> {
  await page.getByRole('button', { name: `Ajouter un document : ${pieceLabel}` }).click();
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('dialog').getByRole('button', { name: 'Choisir un fichier' }).click();
  await (await chooser).setFiles(path.join(CORPUS, corpusFile));
  const send = page.getByRole('button', { name: 'Ajouter le fichier' });
  await expect.poll(() => send.isEnabled(), { timeout: 60_000 }).toBe(true);
  await send.click();
  await page.getByRole('dialog').waitFor({ state: 'detached', ...POLL });
}

describe('offline, the kept copy of the dossier', () => {
  it('opened again without network: the checklist, said to be a copy from a given moment', async () => {
    await logInFromWelcome(page, DEMO_MAI);
    await page.getByRole('heading', { level: 1, name: 'Mes pièces' }).waitFor();
    expect(await note().count()).toBe(0);
    expect(await closeButton().isEnabled()).toBe(true);

    stack.proxy!.down();
    await page.reload();
    // The session is taken up at start, and the server cannot be reached: the kept copy.
    await page.getByRole('heading', { level: 1, name: 'Mes pièces' }).waitFor(POLL);
    await note().waitFor(POLL);
    const said = (await note().textContent()) ?? '';
    expect(said).toMatch(/tel qu'il était aujourd'hui à \d{1,2} h \d{2}/);
    expect(said).toContain('envoyés automatiquement dès que la connexion reviendra');
    expect(said).toContain('La clôture demande une connexion à Internet');
    expect(await pieceState("Pièce d'identité").textContent()).toContain('À fournir');
    expect(await requiredCount()).toBe('Pièces obligatoires avant la clôture : 0 sur 2 ajoutée.');
    await expectNoAxeViolations(page, 'Mes pièces hors connexion');
    await screenshot(page, '20-hors-connexion');
  });

  it('cannot close offline, and the button says why', async () => {
    expect(await closeButton().isDisabled()).toBe(true);
    const reasonId = await closeButton().getAttribute('aria-describedby');
    expect(await page.locator(`#${reasonId}`).textContent()).toContain('la clôture sera possible dès que la connexion reviendra');
  });

  it('"Vérifier la connexion" says so when the line is still down', async () => {
    await note().getByRole('button', { name: 'Vérifier la connexion' }).click();
    await expect.poll(() => note().getByRole('status').textContent(), POLL).toContain('Toujours pas de connexion');
    expect(await note().count()).toBe(1);
  });

  it('adds a document offline: it waits on this computer, also after the app is opened again', async () => {
    await addFile("Pièce d'identité", 'images/jpeg-exif-orientation-1-landscape.jpg');
    await expect.poll(() => pieceState("Pièce d'identité").textContent(), POLL).toContain('Envoi en attente');
    // The button that opened the dialog is gone: the focus lands on the piece, not nowhere.
    await expect.poll(() => focusedName(page), POLL).toBe("Pièce d'identité");
    // Listed as waiting, and no second document is offered for this one-document piece meanwhile.
    expect(await page.getByText("en attente d'envoi, gardé sur cet ordinateur").count()).toBe(1);
    expect(await page.getByRole('button', { name: "Ajouter un document : Pièce d'identité" }).count()).toBe(0);
    // Counted as added, said to be waiting: not read as lost.
    const waitingLine =
      "Pièces obligatoires avant la clôture : 1 sur 2 ajoutée, en attente d'envoi : elle partira toute seule dès que la connexion reviendra.";
    expect(await requiredCount()).toBe(waitingLine);

    await page.reload();
    await note().waitFor(POLL);
    await expect.poll(() => pieceState("Pièce d'identité").textContent(), POLL).toContain('Envoi en attente');
    expect(await note().textContent()).toContain('Un document attend sur cet ordinateur');
    expect(await requiredCount()).toBe(waitingLine);
    await expectNoAxeViolations(page, 'Mes pièces hors connexion, un document en attente');
    await screenshot(page, '21-hors-connexion-en-attente');
  });

  it('the line comes back: the document goes, the note leaves, closing is possible again', async () => {
    stack.proxy!.up();
    await note().getByRole('button', { name: 'Vérifier la connexion' }).click();
    await note().waitFor({ state: 'detached', ...POLL });
    await expect.poll(() => pieceState("Pièce d'identité").textContent(), POLL).toContain('Enregistré');
    expect(await requiredCount()).toBe('Pièces obligatoires avant la clôture : 1 sur 2 ajoutée.');
    expect(await closeButton().isEnabled()).toBe(true);
  });
});

describe('a document waiting while the server answers', () => {
  it('counts it as added and waiting, on the checklist and on the closing screen, and closing waits for it', async () => {
    // The line gives way under each upload while the rest passes: the dossier is the server's.
    stack.proxy!.cutUploads = true;
    await addFile('Copie du diplôme', 'pdf/pdf-simple-text-pdflatex.pdf');
    await expect.poll(() => pieceState('Copie du diplôme').textContent(), POLL).toContain('Envoi en attente');
    // One sent, one waiting: closing comes once the waiting one has gone; the words are those
    // of the queue's note above the screen.
    await expect
      .poll(requiredCount, POLL)
      .toBe(
        "Pièces obligatoires avant la clôture : 2 sur 2 ajoutées, dont 1 en attente d'envoi : elle partira toute seule dès que le serveur répondra. Vous pourrez clôturer votre inscription après son envoi.",
      );
    expect(await page.getByRole('status').filter({ hasText: "Un document est en attente d'envoi" }).count()).toBe(1);
    expect(await note().count()).toBe(0);
    await screenshot(page, '22-une-envoyee-une-en-attente');

    await closeButton().click();
    await page.getByRole('heading', { level: 1, name: 'Clôturer mon inscription' }).waitFor(POLL);
    const waiting = page.locator('.card', { has: page.getByRole('heading', { name: "Pièce obligatoire en attente d'envoi" }) });
    expect(await waiting.getByRole('listitem').allTextContents()).toEqual(['Copie du diplôme']);
    expect(await waiting.textContent()).toContain(
      'Son document est gardé sur cet ordinateur et partira tout seul dès que le serveur répondra. Vous pourrez clôturer votre inscription après son envoi.',
    );
    // Waiting is not missing; and closing is not offered before the server has it.
    expect(await page.getByRole('heading', { name: 'Il manque encore des pièces obligatoires' }).count()).toBe(0);
    expect(await closeButton().count()).toBe(0);
    await expectNoAxeViolations(page, 'Clôture, une pièce en attente');
    await screenshot(page, '23-cloture-une-piece-en-attente');
    await page.getByRole('button', { name: 'Retour à mes pièces' }).click();
    await page.getByRole('heading', { level: 1, name: 'Mes pièces' }).waitFor(POLL);
  });
});

describe('logging out with a document still waiting', () => {
  it('goes back to the welcome screen, not to a "log in again" notice', async () => {
    stack.proxy!.down();
    await addFile('Copie du diplôme', 'pdf/pdf-simple-text-pdflatex.pdf');
    await expect.poll(() => pieceState('Copie du diplôme').textContent(), POLL).toContain('Envoi en attente');
    await page.getByRole('button', { name: 'Se déconnecter' }).click();
    await page.getByRole('heading', { level: 1, name: 'Envoyer les pièces de votre inscription' }).waitFor(POLL);
    // The queue's view going away must not read as a lost session.
    expect(await page.getByRole('heading', { level: 1, name: 'Connexion' }).count()).toBe(0);
  });
});
