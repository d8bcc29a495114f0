/**
 * The service concours and a candidate, together, in Debian's Chromium: an instructor finds a
 * closed dossier in the back office (/instruction/ on the companion API), opens its documents,
 * asks for a correction; the candidate, in the app (browser host), reads the reason and replaces
 * the document after closure; the instructor's stale page is told the dossier changed, reloads,
 * and marks the piece Conforme; the dossier's ZIP holds the exact stored bytes and a receipt that
 * verifies. axe-core checks each back-office screen.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocumentInfo, SignedReceipt } from '../../../src-shared/contract';
import { DOWNLOAD_REFUSED_PAGE, ERRORS } from '../../../src-shared/errors';
import { closeWith, type SentFile } from '../../support/candidate-http';
import { DEMO_INSTRUCTOR, DEMO_PAUL, DEMO_PEOPLE, DEMO_SECOND_INSTRUCTOR, DEMO_STAFF } from '../../support/demo';
import { corpusDir } from '../../support/paths';
import { receiptVerifies } from '../../support/receipt';
import { expectNoAxeViolations, expectNoHorizontalScroll, focusedName, logInFromWelcome, POLL, screenshot, startStack, tabTo, type Stack } from '../../support/renderer-e2e';
import { readZip } from '../../support/zip';

let stack: Stack;
let office: Page;
let officeContext: BrowserContext;
let candidate: Page;
let stored: (DocumentInfo & { pieceId: string })[];
/** The campaign ZIP's address, once the browser has used its ticket. */
let usedDownload: string;

const CORRECTION = 'Document incomplet : le recto ou le verso manque.';
const ADDED_WORDS = ' Envoyez les deux faces dans un seul fichier.';
const CHANGED = "Ce dossier a changé depuis que vous l'avez ouvert. Rechargez-le avant de décider";
const OUTDATED_RELOADED = "Votre décision n'a pas été enregistrée : ce dossier a changé depuis que vous l'avez ouvert.";
const NEW_PHOTO = 'jpeg-exif-orientation-1-landscape.jpg';
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

async function photo(shade: number): Promise<Buffer> {
  return sharp({ create: { width: 600, height: 400, channels: 3, background: { r: shade, g: 120, b: 90 } } })
    .jpeg()
    .toBuffer();
}

beforeAll(async () => {
  stack = await startStack('instruction', { viewport: { width: 1100, height: 900 } });
  candidate = stack.page;
  const files: SentFile[] = [
    { pieceId: 'identite', filename: 'identite.jpg', mediaType: 'image/jpeg', bytes: await photo(40) },
    {
      pieceId: 'diplome',
      filename: 'diplome.pdf',
      mediaType: 'application/pdf',
      bytes: await readFile(path.join(corpusDir, 'pdf', 'pdf-simple-text-pdflatex.pdf')),
    },
    { pieceId: 'etat-services', filename: 'etat-des-services.jpg', mediaType: 'image/jpeg', bytes: await photo(200) },
  ];
  stored = await closeWith(stack.apiUrl, DEMO_PAUL, files);
  officeContext = await stack.browser.newContext({ locale: 'fr-FR', acceptDownloads: true, viewport: { width: 1100, height: 900 } });
  // Notes every blob: address the back office makes, with its Blob, for the checks of "Ouvrir".
  await officeContext.addInitScript(() => {
    const made = new Map<string, Blob | MediaSource>();
    (window as unknown as { madeBlobs: typeof made }).madeBlobs = made;
    const create = URL.createObjectURL.bind(URL);
    URL.createObjectURL = (object: Blob | MediaSource) => {
      const url = create(object);
      made.set(url, object);
      return url;
    };
  });
  office = await officeContext.newPage();
  await office.goto(`${stack.apiUrl}/instruction/`);
});

afterAll(async () => {
  await stack?.close();
});

const officeShot = (name: string) => screenshot(office, name);
const pieceCard = (label: string) => office.locator('li.piece', { has: office.getByRole('heading', { level: 3, name: label }) });

/** A second tab of the back office, where the demo's second instructor logs in (sessions are per tab). */
async function secondTab(): Promise<Page> {
  const second = await officeContext.newPage();
  await second.goto(`${stack.apiUrl}/instruction/`);
  await second.getByLabel('Identifiant').fill(DEMO_SECOND_INSTRUCTOR.login);
  await second.getByLabel('Mot de passe').fill(DEMO_SECOND_INSTRUCTOR.password);
  await second.getByRole('button', { name: 'Connexion' }).click();
  return second;
}

/** The instructor's token, for checks of what the screens say against what the API holds. */
async function instructorToken(): Promise<string> {
  const response = await fetch(`${stack.apiUrl}/api/v1/staff/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(DEMO_INSTRUCTOR),
  });
  return ((await response.json()) as { token: string }).token;
}

describe('an instructor checks a closed dossier and the candidate corrects a piece', () => {
  it("tells a help-desk account that instruction needs a service concours account", async () => {
    await office.getByRole('heading', { level: 1, name: 'Connexion' }).waitFor();
    await expectNoAxeViolations(office, 'Back office : connexion');
    await officeShot('bo-01-connexion');
    await office.getByLabel('Identifiant').fill(DEMO_STAFF.login);
    await office.getByLabel('Mot de passe').fill(DEMO_STAFF.password);
    await office.getByRole('button', { name: 'Connexion' }).click();
    await expect.poll(() => office.getByRole('alert').textContent(), POLL).toContain('compte de guichet');
    expect(await office.getByRole('heading', { level: 1, name: 'Connexion' }).count()).toBe(1);
    await expectNoAxeViolations(office, 'Back office : connexion (compte de guichet)');
    await office.getByLabel('Identifiant').fill('');
    await office.getByLabel('Mot de passe').fill('');
    await office.reload();
  });

  it('logs in to the back office with the keyboard alone', async () => {
    await office.getByRole('heading', { level: 1, name: 'Connexion' }).waitFor();
    await tabTo(office, /^Identifiant$/);
    await office.keyboard.type(DEMO_INSTRUCTOR.login);
    await office.keyboard.press('Tab');
    expect(await focusedName(office)).toBe('Mot de passe');
    await office.keyboard.type(DEMO_INSTRUCTOR.password);
    await office.keyboard.press('Enter');
    await office.getByRole('heading', { level: 1, name: 'Dossiers' }).waitFor();
    await expect.poll(() => focusedName(office), POLL).toBe('Dossiers');
  });

  it('finds the closed dossier by name, accents and case ignored', async () => {
    const rows = office.locator('table.dossiers tbody tr');
    await expect.poll(() => rows.count(), POLL).toBeGreaterThan(0);
    // Closed dossiers first: Paul's is there, Léa's (still open) is not.
    expect(await office.getByRole('radio', { name: 'Clôturés' }).isChecked()).toBe(true);
    expect(await rows.allTextContents()).toEqual([expect.stringContaining(DEMO_PAUL.dossier)]);
    await expectNoAxeViolations(office, 'Back office : dossiers');
    await officeShot('bo-02-dossiers');
    await office.locator('label.filter', { hasText: 'Ouverts' }).click();
    await expect.poll(() => rows.allTextContents(), POLL).toContainEqual(expect.stringContaining(DEMO_PEOPLE.lea.dossier));
    await office.locator('label.filter', { hasText: 'Clôturés' }).click();
    await office.getByRole('searchbox', { name: 'Rechercher un dossier' }).fill('DÛRAND');
    await expect.poll(() => office.locator('.list-count').textContent(), POLL).toBe('Page 1 : 1 dossier.');
    await office.getByRole('searchbox', { name: 'Rechercher un dossier' }).fill('martin');
    await expect.poll(() => office.locator('.list-count').textContent(), POLL).toBe('Aucun dossier ne correspond à « martin ».');
    await office.getByRole('searchbox', { name: 'Rechercher un dossier' }).fill('durand');
    const link = office.getByRole('link', { name: DEMO_PAUL.dossier });
    await link.waitFor();
    await link.focus();
    await office.keyboard.press('Enter');
    await office.getByRole('heading', { level: 1, name: `Dossier n° ${DEMO_PAUL.dossier} : Paul Durand` }).waitFor();
  });

  it('opens each document in a new tab: the exact stored bytes, a PDF in the viewer, a JPEG as an image', async () => {
    await pieceCard('Copie du diplôme').getByRole('button', { name: 'Ouvrir : diplome.pdf' }).waitFor();
    // The history arrives with the pieces and already holds the consultation that opened the page.
    expect(await office.locator('table.audit').textContent()).toContain('Consultation du dossier');
    await expectNoAxeViolations(office, 'Back office : dossier');
    await officeShot('bo-03-dossier');
    for (const doc of stored.filter((d) => d.pieceId !== 'etat-services')) {
      const opened = officeContext.waitForEvent('page');
      await office.getByRole('button', { name: `Ouvrir : ${doc.filename}` }).click();
      const tab = await opened;
      await expect.poll(() => tab.url(), POLL).toMatch(/^blob:/);
      await tab.waitForLoadState();
      // The tab shows a blob: address the back office made; the page's CSP lets no script fetch
      // it, so its Blob is read where it was made (noted by the init script below).
      const sha = await office.evaluate(async (url) => {
        const blob = (window as unknown as { madeBlobs: Map<string, Blob> }).madeBlobs.get(url)!;
        const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', await blob.arrayBuffer()));
        return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
      }, tab.url());
      expect(sha).toBe(doc.sha256);
      expect(await tab.evaluate(() => document.contentType)).toBe(doc.mediaType);
      if (doc.mediaType === 'image/jpeg')
        expect(await tab.evaluate(() => (document.images[0] as HTMLImageElement | undefined)?.naturalWidth)).toBe(600);
      // The PDF viewer draws the page a moment after the document has loaded.
      if (doc.mediaType === 'application/pdf') await tab.waitForTimeout(1500);
      await screenshot(tab, `bo-04-ouvrir-${doc.pieceId}`);
      await tab.close();
    }
  });

  it('asks for a correction by keyboard, from a ready-made reason edited', async () => {
    await office.getByRole('button', { name: "Demander une correction : Pièce d'identité" }).focus();
    await office.keyboard.press('Enter');
    const dialog = office.getByRole('dialog', { name: 'Demander une correction' });
    await dialog.waitFor();
    // An empty reason is refused with the fix, nothing is sent.
    await dialog.getByRole('button', { name: 'Envoyer la demande' }).click();
    await expect.poll(() => dialog.getByRole('alert').textContent(), POLL).toContain('Indiquez le motif');
    await tabTo(office, /^Incomplet \(recto ou verso manquant\)$/);
    await office.keyboard.press('Enter');
    const reason = dialog.getByRole('textbox', { name: 'Motif' });
    expect(await reason.inputValue()).toBe(CORRECTION);
    await reason.focus();
    await office.keyboard.press('End');
    await office.keyboard.type(ADDED_WORDS);
    await expectNoAxeViolations(office, 'Back office : demander une correction');
    await officeShot('bo-05-demander-correction');
    await tabTo(office, /^Envoyer la demande$/);
    await office.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    await office.getByRole('status').filter({ hasText: "Pièce d'identité : correction demandée au candidat." }).waitFor();
    const card = pieceCard("Pièce d'identité");
    await expect.poll(() => card.locator('.state').textContent(), POLL).toBe('Décision : Correction demandée');
    expect(await card.locator('.review-line q').textContent()).toBe(CORRECTION + ADDED_WORDS);
  });

  it('lists the dossier under "Corrections en attente" for a second instructor, in a second tab', async () => {
    const second = await secondTab();
    await second.locator('label.filter', { hasText: 'Corrections en attente' }).click();
    const rows = second.locator('table.dossiers tbody tr');
    await expect.poll(() => rows.allTextContents(), POLL).toEqual([expect.stringContaining('Clôturé, 1 correction en attente')]);
    expect(await rows.first().textContent()).toContain(DEMO_PAUL.dossier);
    await second.close();
  });

  it("the candidate reads the reason as written and replaces the document after closure", async () => {
    await logInFromWelcome(candidate, DEMO_PAUL);
    await candidate.getByRole('heading', { level: 1, name: 'Suivi de mon dossier' }).waitFor();
    await candidate.getByText(/^1 pièce à corriger/).waitFor();
    const piece = candidate.locator('li.piece', { has: candidate.getByRole('heading', { name: "Pièce d'identité" }) });
    expect(await piece.locator('.state').textContent()).toBe('État : Correction demandée');
    expect(await piece.locator('.correction-reason').textContent()).toBe(CORRECTION + ADDED_WORDS);
    await expectNoAxeViolations(candidate, 'Suivi : correction demandée');
    await screenshot(candidate, 'c-01-correction-demandee');

    // A one-document piece: the old document goes first, then the new one comes.
    await piece.getByRole('button', { name: 'Voir, remplacer ou supprimer : identite.jpg' }).click();
    const manage = candidate.getByRole('dialog', { name: 'Gestion du document' });
    await manage.getByRole('button', { name: 'Supprimer' }).click();
    await manage.getByRole('button', { name: 'Oui, supprimer' }).click();
    await manage.getByText('Le document a été supprimé.').waitFor();
    await manage.getByRole('button', { name: 'Fermer' }).click();
    await candidate.getByRole('button', { name: "Ajouter un document : Pièce d'identité" }).click();
    const chooser = candidate.waitForEvent('filechooser');
    await candidate.getByRole('dialog').getByRole('button', { name: /^Choisir un (autre )?fichier$/ }).click();
    await (await chooser).setFiles(path.join(corpusDir, 'images', 'jpeg-exif-orientation-1-landscape.jpg'));
    const send = candidate.getByRole('button', { name: 'Ajouter le fichier' });
    await expect.poll(() => send.isEnabled(), { timeout: 60_000 }).toBe(true);
    await send.click();
    await candidate.getByRole('button', { name: 'OK' }).click();
    await piece.getByText('Nouveau document reçu : le centre de gestion va le vérifier.').waitFor();
    expect(await candidate.getByText(/pièces? à corriger/).count()).toBe(0);
    // Nothing else of the closed dossier moved.
    expect(await candidate.getByText("Votre dossier est clôturé, il est en cours d'instruction.").count()).toBe(1);
    await screenshot(candidate, 'c-02-piece-corrigee');
  });

  it('lists the answered correction under "Nouveaux documents à vérifier", with the count of each filter', async () => {
    const second = await secondTab();
    const filter = second.getByRole('radio', { name: /^Nouveaux documents à vérifier/ });
    await expect.poll(() => second.locator('label.filter', { has: filter }).locator('.filter-count').textContent(), POLL).toBe('1');
    expect(await second.getByRole('radio', { name: 'Nouveaux documents à vérifier : 1 dossier' }).count()).toBe(1);
    await second.locator('label.filter', { hasText: 'Nouveaux documents à vérifier' }).click();
    const rows = second.locator('table.dossiers tbody tr');
    await expect.poll(() => rows.allTextContents(), POLL).toEqual([expect.stringContaining('Clôturé, 1 nouveau document à vérifier')]);
    expect(await rows.first().textContent()).toContain(DEMO_PAUL.dossier);
    await expectNoAxeViolations(second, 'Back office : nouveaux documents à vérifier');
    await screenshot(second, 'bo-10-nouveaux-documents');
    await second.close();
  });

  it('the open page says the dossier changed before the instructor decides', async () => {
    // Coming back to the window is one of the moments the page checks.
    await office.evaluate(() => window.dispatchEvent(new Event('focus')));
    const alert = office.getByRole('alert');
    await expect.poll(() => alert.textContent(), POLL).toContain(CHANGED);
    expect(await alert.textContent()).toContain(`Pièce d'identité : le candidat a envoyé un nouveau document (${NEW_PHOTO}).`);
    await expectNoAxeViolations(office, 'Back office : dossier changé');
    await officeShot('bo-06-dossier-change');
  });

  it('a decision on the stale view is refused, the piece reloaded and put first; then it is marked Conforme', async () => {
    await office.getByRole('button', { name: "Conforme : Pièce d'identité" }).click();
    const card = pieceCard("Pièce d'identité");
    await expect.poll(() => card.getByRole('alert').textContent(), POLL).toContain(OUTDATED_RELOADED);
    expect(await card.getByRole('alert').textContent()).toContain(`le candidat a envoyé un nouveau document (${NEW_PHOTO})`);
    await card.getByRole('button', { name: `Ouvrir : ${NEW_PHOTO}` }).waitFor();
    expect(await card.getByText('après la clôture').count()).toBe(1);
    expect(await card.locator('.state').textContent()).toBe('Décision : Nouveau document à vérifier');
    expect(await office.locator('li.piece h3').first().textContent()).toBe("Pièce d'identité");
    await expect.poll(() => focusedName(office), POLL).toBe("Pièce d'identité");
    await expectNoAxeViolations(office, 'Back office : décision refusée, dossier rechargé');
    await officeShot('bo-06b-decision-refusee');
    await card.getByRole('button', { name: "Conforme : Pièce d'identité" }).click();
    await expect.poll(() => card.locator('.state').textContent(), POLL).toBe('Décision : Conforme');
    // The button pressed is now disabled: the focus waits on the piece's title, not lost.
    await expect.poll(() => focusedName(office), POLL).toBe("Pièce d'identité");
    await office.getByText('1 pièce conforme, 2 pièces à vérifier.').waitFor();
  });

  it('downloads the dossier as a ZIP: the stored bytes, a manifest of SHA-256, a receipt that verifies', async () => {
    const download = office.waitForEvent('download');
    await office.getByRole('button', { name: 'Télécharger le dossier (ZIP)' }).click();
    const saved = await download;
    expect(saved.suggestedFilename()).toBe(`dossier-${DEMO_PAUL.dossier}.zip`);
    const entries = new Map((await readZip(await readFile((await saved.path())!))).map((e) => [e.name, e.bytes]));

    const token = await instructorToken();
    const answer = await fetch(`${stack.apiUrl}/api/v1/staff/dossiers/${DEMO_PAUL.dossier}/pieces`, { headers: { authorization: `Bearer ${token}` } });
    const { pieces } = (await answer.json()) as { pieces: { id: string; documents: DocumentInfo[] }[] };
    const documents = pieces.flatMap((p) => p.documents.map((d) => ({ ...d, pieceId: p.id })));
    expect(documents).toHaveLength(3);
    for (const doc of documents) {
      const bytes = entries.get(`${doc.pieceId}/${doc.filename}`);
      expect(bytes, `${doc.pieceId}/${doc.filename}`).toBeDefined();
      expect(sha256(bytes!)).toBe(doc.sha256);
    }
    const manifest = entries.get('manifest.csv')!.toString('utf8');
    expect(manifest.startsWith('\uFEFF')).toBe(true);
    for (const doc of documents) expect(manifest).toContain(doc.sha256);

    const receipt = JSON.parse(entries.get('recu.json')!.toString('utf8')) as SignedReceipt;
    expect(receipt.receipt.dossier).toBe(DEMO_PAUL.dossier);
    expect(await receiptVerifies(stack.apiUrl, receipt)).toBe(true);
    expect(entries.get('accuse-de-cloture.pdf')!.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });

  it('shows the audit trail: who opened, asked, decided and downloaded', async () => {
    await office.getByRole('button', { name: 'Recharger le dossier' }).click();
    const history = office.locator('table.audit');
    await expect.poll(() => history.locator('tbody tr').count(), POLL).toBeGreaterThanOrEqual(5);
    const text = (await history.textContent()) ?? '';
    expect(text).toContain(DEMO_INSTRUCTOR.login);
    expect(text).toContain('diplome.pdf');
    expect(text).toContain(`Demande de correction : motif « ${CORRECTION + ADDED_WORDS} »`);
    expect(text).toContain('Décision : pièce conforme');
    await expectNoAxeViolations(office, 'Back office : historique');
    await officeShot('bo-07-historique');
    // At 200 % zoom (half the width), the page reflows: only the tables may scroll, in their frame.
    await office.setViewportSize({ width: 550, height: 900 });
    await expectNoHorizontalScroll(office);
    await officeShot('bo-08-dossier-zoom-200');
    await office.setViewportSize({ width: 1100, height: 900 });
  });

  it("downloads the campaign's closed dossiers for the jury: the browser's own download, one folder a dossier", async () => {
    await office.getByRole('link', { name: 'Retour à la liste des dossiers' }).click();
    const button = office.getByRole('button', { name: 'Télécharger les dossiers clôturés (ZIP)' });
    await button.waitFor();
    const download = office.waitForEvent('download');
    await button.click();
    const saved = await download;
    // The address the browser fetched carries a single-use ticket, never the session token.
    expect(saved.url()).toMatch(/\/export\.zip\?state=closed&ticket=[A-Za-z0-9_-]{43}$/);
    expect(saved.suggestedFilename()).toMatch(/^campagne-.+-closed\.zip$/);
    const names = (await readZip(await readFile((await saved.path())!))).map((e) => e.name);
    expect(names).toContain(`${DEMO_PAUL.dossier}/manifest.csv`);
    expect(names).toContain(`${DEMO_PAUL.dossier}/recu.json`);
    expect(names.some((n) => n.startsWith(`${DEMO_PEOPLE.lea.dossier}/`))).toBe(false);
    await office.getByRole('status').filter({ hasText: 'Le téléchargement a commencé' }).waitFor();
    // Used once: the same address opens nothing any more, and says what to do.
    const again = await fetch(`${stack.apiUrl}${new URL(saved.url()).pathname}${new URL(saved.url()).search}`);
    expect(again.status).toBe(401);
    expect(((await again.json()) as { code: string }).code).toBe('download_ticket_invalid');
    await expectNoAxeViolations(office, 'Back office : remise au jury');
    await officeShot('bo-09-remise-au-jury');
    usedDownload = saved.url();
  });

  it('opened again by hand, the used link shows a page saying what happened and the way back', async () => {
    const tab = await officeContext.newPage();
    const answer = await tab.goto(usedDownload);
    expect(answer?.status()).toBe(401);
    await tab.getByRole('heading', { level: 1, name: DOWNLOAD_REFUSED_PAGE.title }).waitFor(POLL);
    expect(await tab.locator('main').textContent()).toContain(ERRORS.download_ticket_invalid.message);
    await expectNoAxeViolations(tab, 'Lien de téléchargement déjà utilisé');
    await screenshot(tab, 'bo-09b-lien-deja-utilise');
    await tab.getByRole('link', { name: DOWNLOAD_REFUSED_PAGE.back }).click();
    await tab.getByLabel('Identifiant').waitFor(POLL);
    expect(new URL(tab.url()).pathname).toBe('/instruction/');
    await tab.close();
  });
});
