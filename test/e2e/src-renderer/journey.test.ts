/**
 * The whole procedure, as a candidate does it with the mouse, in Chromium through the browser
 * host, against a real companion API started with the demo campaign, with real files from the
 * corpus. axe-core checks every screen.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SignedReceipt } from '../../../src-shared/contract';
import { DEMO_LEA } from '../../support/demo';
import { corpusDir } from '../../support/paths';
import { receiptVerifies } from '../../support/receipt';
import { expectNoAxeViolations, focusedName, POLL, screenshot, startAsCandidate, startStack, type Stack } from '../../support/renderer-e2e';

let stack: Stack;
let page: Page;

beforeAll(async () => {
  stack = await startStack('journey', { timezoneId: 'America/Martinique', viewport: { width: 1100, height: 900 } });
  page = stack.page;
});

afterAll(async () => {
  await stack?.close();
});

const shot = (name: string) => screenshot(page, name);
const dialog = () => page.getByRole('dialog');
const corpus = (...parts: string[]) => path.join(corpusDir, ...parts);

async function chooseFiles(...files: string[]) {
  const chooser = page.waitForEvent('filechooser');
  await dialog().getByRole('button', { name: /^Choisir un (autre )?fichier$/ }).click();
  await (await chooser).setFiles(files);
}

/** The prepared document's line ("PDF, 2 pages, 1,2 Mo"), once the engine has finished. */
async function preparedLine(): Promise<string> {
  const send = page.getByRole('button', { name: 'Ajouter le fichier' });
  await expect.poll(() => send.isEnabled(), { timeout: 60_000 }).toBe(true);
  return (await dialog().locator('.result').textContent()) ?? '';
}

/**
 * Whether each page's thumbnail shows a picture, once its image has been decoded. A thumbnail
 * may still be loading when the document is ready (and a photo whose sheet was found changes
 * address then, reading as empty until the new picture has loaded): waited for by the image's
 * own event (`decode()`), not by polling for vitest's default second.
 */
async function thumbnailsDrawn(): Promise<boolean[]> {
  return dialog()
    .locator('.page-grid img')
    .evaluateAll((imgs) =>
      Promise.all(
        (imgs as HTMLImageElement[]).map((img) =>
          img.decode().then(
            () => img.naturalWidth > 0,
            () => false,
          ),
        ),
      ),
    );
}

async function pageAlts(): Promise<string[]> {
  return dialog().locator('.page-grid img').evaluateAll((imgs) => imgs.map((i) => (i as HTMLImageElement).alt));
}

describe('a candidate sends the pieces and closes the dossier', () => {
  it('sees the deadline in Paris time, in their own time zone, and a countdown from the server clock', async () => {
    await page.getByRole('heading', { level: 1, name: 'Envoyer les pièces de votre inscription' }).waitFor();
    await expect.poll(() => page.getByText(/avant minuit/).count(), POLL).toBeGreaterThan(0);
    // Midnight in Paris is 19 h in Martinique, said with the place's name, not the zone's identifier.
    await expect
      .poll(() => page.locator('.local-time').textContent(), POLL)
      .toMatch(/^Chez vous, en Martinique, c'est le \p{L}+ \d{1,2} \p{L}+ \d{4} avant 19 h\.$/u);
    // The demo campaign closes at midnight Paris time, 14 days after it was first loaded.
    await expect.poll(() => page.getByRole('timer').textContent(), POLL).toMatch(/Il reste 1[34] jours/);
    await expectNoAxeViolations(page, 'Accueil');
    await shot('01-accueil');
    await startAsCandidate(page);
  });

  it('is told plainly when the password is wrong, then logs in', async () => {
    await page.getByRole('heading', { level: 1, name: 'Connexion' }).waitFor();
    await expectNoAxeViolations(page, 'Connexion');
    await page.getByLabel('Identifiant (n° de dossier)').fill(DEMO_LEA.dossier);
    await page.getByLabel('Mot de passe').fill('mauvais');
    await page.getByRole('button', { name: 'Connexion' }).click();
    await expect.poll(() => page.getByRole('alert').textContent(), POLL).toContain('mot de passe est incorrect');
    expect(await page.getByRole('alert').textContent()).not.toMatch(/invalid_credentials|Error|\bat\b.*\.js/);
    await expectNoAxeViolations(page, 'Connexion (erreur)');
    await shot('02-connexion-erreur');
    await page.getByLabel('Mot de passe').fill(DEMO_LEA.password);
    await page.getByRole('button', { name: 'Connexion' }).click();
    await page.getByRole('heading', { level: 1, name: 'Mes pièces' }).waitFor();
    // The countdown comes with the server's clock, after the screen: it adds a line above the
    // pieces and moves every button down. Waited for, so that no click lands while it moves.
    await page.locator('.lead', { hasText: /Il reste \d+ jours?/ }).waitFor();
    await expect.poll(() => focusedName(page), POLL).toBe('Mes pièces');
    expect(await page.locator('.state').allTextContents()).toEqual(Array(4).fill('État : À fournir'));
    expect(await page.getByText('Peut être envoyée après la clôture').count()).toBe(1);
    await expectNoAxeViolations(page, 'Mes pièces');
    await shot('03-mes-pieces');
  });

  it('turns an iPhone HEIC photo and a JPEG verso into one PDF, arranging the pages first', async () => {
    await page.getByRole('button', { name: "Ajouter un document : Pièce d'identité" }).click();
    await dialog().waitFor();
    await expectNoAxeViolations(page, 'Ajouter un document');
    await chooseFiles(
      corpus('phone', 'heic-iphone8plus-exif-orientation-6-irot.heic'),
      corpus('images', 'jpeg-exif-orientation-1-landscape.jpg'),
      corpus('images', 'jpeg-grayscale-single-channel.jpg'),
    );
    expect(await preparedLine()).toMatch(/PDF, 3 pages/);
    // Thumbnails are real pictures, drawn from the engine's JPEG bytes.
    expect(await thumbnailsDrawn()).toEqual([true, true, true]);
    // The iPhone photo is stored sideways with an EXIF orientation: its preview is upright (portrait).
    expect(await dialog().locator('.page-card .thumb').first().getAttribute('class')).toContain('portrait');
    await expect.poll(() => focusedName(page), POLL).toBe("Votre document, tel qu'il sera envoyé");

    // Edits in a row: the document is built again once they pause.
    await dialog().getByRole('button', { name: 'Retirer la page 3' }).click();
    await dialog().getByRole('button', { name: 'Tourner la page 2 vers la droite' }).click();
    expect((await pageAlts())[1]).toMatch(/Page 2 sur 2, tournée de 90 degrés \(jpeg-exif-orientation-1-landscape\.jpg\)/);
    await dialog().getByRole('button', { name: 'Placer la page 2 avant' }).click();
    await expect.poll(() => focusedName(page), POLL).toBe('Placer la page 1 après');
    expect(await preparedLine()).toMatch(/PDF, 2 pages, [\d,]+ (Ko|Mo)/);
    expect((await pageAlts())[0]).toMatch(/^Page 1 sur 2, tournée de 90 degrés \(jpeg-exif-orientation-1-landscape/);
    await expectNoAxeViolations(page, 'Ajouter un document (aperçu)');
    await shot('04-apercu-pages');

    await page.getByRole('button', { name: 'Ajouter le fichier' }).click();
    await page.getByRole('heading', { name: 'Fichier enregistré' }).waitFor();
    await expect.poll(() => focusedName(page), POLL).toBe('OK');
    await expectNoAxeViolations(page, 'Fichier enregistré');
    await shot('05-fichier-enregistre');
    await page.getByRole('button', { name: 'OK' }).click();
    // The sent document is listed, with a button whose visible words say what it opens.
    const manageButton = page.getByRole('button', { name: /^Voir, remplacer ou supprimer : .*\.pdf$/ });
    await manageButton.waitFor();
    expect(await manageButton.textContent()).toBe('Voir, remplacer ou supprimer');
    await expect.poll(() => focusedName(page), POLL).toBe("Pièce d'identité");
    expect(await page.getByRole('button', { name: "Ajouter un document : Pièce d'identité" }).count()).toBe(0);
  });

  it('is refused a Word file and a password-protected PDF, each with its fix, and nothing is sent', async () => {
    await page.getByRole('button', { name: 'Ajouter un document : Curriculum vitae' }).click();
    await chooseFiles(corpus('not-documents', 'docx-word-document.docx'));
    await expect.poll(() => dialog().getByRole('alert').textContent(), { timeout: 30_000 }).toContain('Enregistrer sous');
    expect(await page.getByRole('button', { name: 'Ajouter le fichier' }).isDisabled()).toBe(true);
    await expectNoAxeViolations(page, 'Fichier refusé');
    await shot('06-fichier-refuse-word');
    await chooseFiles(corpus('pdf', 'pdf-encrypted-user-password-aes256.pdf'));
    await expect.poll(() => dialog().getByRole('alert').textContent(), { timeout: 30_000 }).toContain('mot de passe');
    expect(await dialog().getByRole('alert').textContent()).toContain('Enregistrer au format PDF');
    expect(await page.getByRole('button', { name: 'Ajouter le fichier' }).isDisabled()).toBe(true);
    await shot('07-fichier-refuse-pdf-protege');
    await page.getByRole('button', { name: 'Annuler' }).click();
    await dialog().waitFor({ state: 'detached' });
    await expect.poll(() => focusedName(page), POLL).toBe('Ajouter un document : Curriculum vitae');
  });

  it('adds a PDF diploma dropped on the dialog', async () => {
    await page.getByRole('button', { name: 'Ajouter un document : Copie du diplôme' }).click();
    const bytes = await readFile(corpus('pdf', 'pdf-simple-text-pdflatex.pdf'));
    const transfer = await page.evaluateHandle((b64) => {
      const data = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      // A file dropped from the desktop has a file-system entry; one built by a script has none,
      // so files get the entry the operating system would give them.
      const native = DataTransferItem.prototype.webkitGetAsEntry;
      DataTransferItem.prototype.webkitGetAsEntry = function (this: DataTransferItem) {
        return native.call(this) ?? (this.kind === 'file' ? ({ isFile: true, isDirectory: false } as FileSystemEntry) : null);
      };
      const dt = new DataTransfer();
      dt.items.add(new File([data], 'diplome.pdf', { type: 'application/pdf' }));
      return dt;
    }, bytes.toString('base64'));
    const zone = dialog().locator('.dropzone');
    for (const type of ['dragenter', 'dragover', 'drop']) await zone.dispatchEvent(type, { dataTransfer: transfer });
    expect(await preparedLine()).toMatch(/PDF, 1 page/);
    await page.getByRole('button', { name: 'Ajouter le fichier' }).click();
    await page.getByRole('button', { name: 'OK' }).click();
    await page.getByRole('button', { name: /diplome\.pdf/ }).waitFor();
  });

  it('sees, deletes and adds again a document through "Gestion du document"', async () => {
    await page.getByRole('button', { name: /diplome\.pdf/ }).click();
    const manage = page.getByRole('dialog', { name: 'Gestion du document' });
    await manage.waitFor();
    await manage.getByRole('button', { name: 'Voir' }).click();
    await manage.locator('iframe[title^="Aperçu"]').waitFor();
    await expectNoAxeViolations(page, 'Gestion du document');
    await shot('08-gestion-voir');
    await manage.getByRole('button', { name: 'Supprimer' }).click();
    await manage.getByRole('button', { name: 'Oui, supprimer' }).click();
    await manage.getByText('Le document a été supprimé.').waitFor();
    await expect.poll(() => focusedName(page), POLL).toBe('Fermer');
    await manage.getByRole('button', { name: 'Fermer' }).click();
    await expect.poll(() => focusedName(page), POLL).toBe('Copie du diplôme');
    await page.getByRole('button', { name: 'Ajouter un document : Copie du diplôme' }).click();
    await chooseFiles(corpus('pdf', 'pdf-simple-text-pdflatex.pdf'));
    await preparedLine();
    await page.getByRole('button', { name: 'Ajouter le fichier' }).click();
    await page.getByRole('button', { name: 'OK' }).click();
    await page.getByRole('button', { name: /pdf-simple-text-pdflatex\.pdf/ }).waitFor();
  });

  it('closes the dossier after a recap and an explicit confirmation, and gets a signed receipt', async () => {
    await page.getByRole('button', { name: 'Clôturer mon inscription' }).click();
    await page.getByRole('heading', { level: 1, name: 'Clôturer mon inscription' }).waitFor();
    const later = page.locator('.card', { has: page.getByRole('heading', { name: 'Pièces que vous pourrez envoyer après la clôture' }) });
    expect(await later.getByRole('listitem').allTextContents()).toEqual(['État des services']);
    await page.getByRole('heading', { name: 'La clôture est définitive' }).waitFor();
    const close = page.getByRole('button', { name: 'Clôturer mon inscription' });
    expect(await close.isDisabled()).toBe(true);
    await page.getByText(/J'ai vérifié mes documents/).click();
    expect(await page.getByRole('checkbox', { name: /la clôture est définitive/ }).isChecked()).toBe(true);
    await expectNoAxeViolations(page, 'Clôture');
    await shot('09-cloture');
    await close.click();
    await page.getByText("Votre dossier est clôturé, il est en cours d'instruction.").waitFor();
    await page.getByRole('heading', { name: 'Accusé de clôture' }).waitFor();
    await expect.poll(() => focusedName(page), POLL).toBe('Suivi de mon dossier');
    await expectNoAxeViolations(page, 'Suivi');
    await shot('10-suivi');

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: "Enregistrer l'accusé" }).click();
    const saved = await download;
    expect(saved.suggestedFilename()).toBe(`accuse-de-cloture-${DEMO_LEA.dossier}.json`);
    const receipt = JSON.parse(await readFile((await saved.path())!, 'utf8')) as SignedReceipt;
    expect(receipt.receipt.documents.map((d) => d.pieceId).sort()).toEqual(['diplome', 'identite']);
    expect(await receiptVerifies(stack.apiUrl, receipt)).toBe(true);

    // Printing shows the receipt alone, without the buttons and the rest of the screen.
    await page.emulateMedia({ media: 'print' });
    expect(await page.getByRole('button', { name: "Imprimer l'accusé" }).isVisible()).toBe(false);
    expect(await page.getByRole('heading', { name: 'Accusé de clôture' }).isVisible()).toBe(true);
    await shot('11-accuse-impression');
    await page.emulateMedia({ media: 'screen' });
  });

  it('may still add a piece that is allowed after closure', async () => {
    await page.getByRole('button', { name: 'Ajouter un document : État des services' }).click();
    await chooseFiles(corpus('pdf', 'pdf-scanned-image-only-page.pdf'));
    await preparedLine();
    await page.getByRole('button', { name: 'Ajouter le fichier' }).click();
    await page.getByRole('heading', { name: 'Fichier enregistré' }).waitFor();
    await page.getByRole('button', { name: 'OK' }).click();
    // Closed: a document can be seen, no longer deleted, and the button says only that.
    const seeButton = page.getByRole('button', { name: /^Voir : pdf-scanned-image-only-page\.pdf$/ });
    await seeButton.waitFor();
    expect(await seeButton.textContent()).toBe('Voir');
  });

  it('says plainly that the server does not answer when the network is down', async () => {
    await stack.api.stop();
    await page.getByRole('button', { name: /pdf-scanned-image-only-page\.pdf/ }).click();
    await page.getByRole('dialog', { name: 'Gestion du document' }).getByRole('button', { name: 'Voir' }).click();
    await expect.poll(() => dialog().getByRole('alert').textContent(), { timeout: 30_000 }).toContain('ne répond pas');
    await shot('12-reseau-coupe');
  });
});
